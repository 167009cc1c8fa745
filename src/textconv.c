/* textconv.c — encoding detection and conversion of office CSV files with
 * ICU's converters, and delimiter detection. The encoding rules are those
 * of textconv.h: a byte-order mark decides, then valid UTF-8, then
 * Windows-1251 when the decoded text reads as Cyrillic words. */
#include "textconv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "text.h"
#include "util.h"

/* Where the bytes being looked at start in the file: messages count lines
 * and bytes from 1, also when only a window of a large file is read. */
struct origin {
	size_t line; /* the line of the first byte */
	size_t byte; /* bytes of the file before the first byte */
};

static size_t line_at(const unsigned char *p, size_t off, struct origin o)
{
	size_t line = o.line;

	for (size_t i = 0; i < off; i++)
		line += p[i] == '\n';
	return line;
}

/* Offset of the first invalid UTF-8 sequence or NUL in p[0..n), or n when
 * there is none; *nul says which was found. */
static size_t utf8_first_bad(const unsigned char *p, size_t n, int *nul)
{
	size_t valid = text_valid_len((const char *)p, n);
	const unsigned char *z = memchr(p, 0, valid);

	*nul = z != NULL;
	return z ? (size_t)(z - p) : valid;
}

/* Whether a file that is not valid UTF-8 is still mostly UTF-8: more valid
 * multi-byte sequences than invalid ones. Windows-1251 text seldom forms a
 * valid sequence (a letter is C0..FF, a continuation 80..BF), while UTF-8
 * Cyrillic with one stray byte decoded as Windows-1251 would read as
 * Cyrillic mojibake ("Р°Р»"): such a file must be refused, not misread. */
static int mostly_utf8(const unsigned char *p, size_t n)
{
	size_t good = 0, bad = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = text_decode((const char *)p + i, n - i, &cp);

		if (len > 1)
			good++;
		else if (cp == TEXT_REPLACEMENT)
			bad++;
		i += len;
	}
	return good > bad;
}

/* Decodes n bytes with the named ICU converter into a malloc'd UTF-16
 * buffer, stopping at the first sequence the converter cannot decode.
 * Returns 0, or 1 with *bad the offset of that sequence; *out and *outlen
 * hold what was decoded before it either way. */
static int decode(const char *conv_name, const unsigned char *p, size_t n, UChar **out,
    int32_t *outlen, size_t *bad, struct cb_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *conv = ucnv_open(conv_name, &st);
	const char *src = (const char *)p;
	UChar *buf, *dst;
	int rc = 0;

	if (U_FAILURE(st))
		return cb_err_set(err, CB_EIO, _("cannot read %s text: %s"), conv_name,
		    u_errorName(st));
	ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
	/* Every byte of Windows-1251 and every two of UTF-16 give at most one
	 * UTF-16 unit; one more for the NUL. */
	buf = dst = xmalloc((n + 1) * sizeof *buf);
	ucnv_toUnicode(conv, &dst, buf + n, &src, (const char *)p + n, NULL, 1, &st);
	if (U_FAILURE(st)) {
		char bytes[32];
		int8_t blen = sizeof bytes;
		UErrorCode st2 = U_ZERO_ERROR;

		ucnv_getInvalidChars(conv, bytes, &blen, &st2);
		*bad = (size_t)(src - (const char *)p) - (U_SUCCESS(st2) ? (size_t)blen : 0);
		rc = 1;
	}
	ucnv_close(conv);
	*dst = 0;
	*out = buf;
	*outlen = (int32_t)(dst - buf);
	return rc;
}

static int is_cyrillic(UChar c)
{
	return c >= 0x0400 && c <= 0x04ff;
}

/* Whether decoded text reads as Cyrillic: of the words (runs of letters)
 * that hold a letter beyond ASCII, at least 80% are wholly Cyrillic; and no
 * C1 control appears (0x98, undefined in Windows-1251, decodes as U+0098). */
static int reads_as_cyrillic(const UChar *u, int32_t n)
{
	size_t words = 0, cyrillic = 0;

	for (int32_t i = 0; i < n;) {
		int beyond = 0, other = 0;

		if (u[i] >= 0x80 && u[i] <= 0x9f)
			return 0;
		if (!u_isalpha(u[i])) {
			i++;
			continue;
		}
		for (; i < n && u_isalpha(u[i]); i++) {
			beyond |= u[i] >= 0x80;
			other |= !is_cyrillic(u[i]);
		}
		if (beyond) {
			words++;
			cyrillic += !other;
		}
	}
	return words > 0 && cyrillic * 5 >= words * 4;
}

/* Lines before offset unit of decoded UTF-16 text, counted from 1. */
static size_t line_at16(const UChar *u, int32_t n)
{
	size_t line = 1;

	for (int32_t i = 0; i < n; i++)
		line += u[i] == '\n';
	return line;
}

/* Fills out with the UTF-8 form of n UTF-16 units. */
static void to_utf8(const UChar *u, int32_t n, struct textconv_text *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t need = 0;

	u_strToUTF8(NULL, 0, &need, u, n, &st);
	st = U_ZERO_ERROR;
	out->text = xmalloc((size_t)need + 1);
	u_strToUTF8(out->text, need + 1, &need, u, n, &st);
	if (U_FAILURE(st))
		die("textconv: %s", u_errorName(st));
	out->len = (size_t)need;
}

/* UTF-16 after its byte-order mark: every unit must decode, none be NUL. */
static int from_utf16(const unsigned char *p, size_t n, int be, struct textconv_text *out,
    struct cb_err *err)
{
	UChar *u;
	int32_t ulen;
	size_t bad = 0;
	int rc = decode(be ? "UTF-16BE" : "UTF-16LE", p + 2, n - 2, &u, &ulen, &bad, err);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		UChar *z = u_memchr(u, 0, ulen);
		if (z) {
			rc = cb_err_set(err, CB_EINVAL,
			    _("line %zu, byte %zu: NUL character (not a text file? save it as "
			      "CSV)"),
			    line_at16(u, (int32_t)(z - u)), 2 + 2 * (size_t)(z - u) + 1);
			free(u);
			return rc;
		}
		to_utf8(u, ulen, out);
		out->enc = be ? TEXTCONV_UTF16BE : TEXTCONV_UTF16LE;
		free(u);
		return 0;
	}
	if (2 + bad + 1 >= n)
		rc = cb_err_set(err, CB_EINVAL,
		    _("line %zu, byte %zu: the file ends inside a UTF-16 character"),
		    line_at16(u, ulen), 2 + bad + 1);
	else
		rc = cb_err_set(err, CB_EINVAL,
		    _("line %zu, byte %zu: bad UTF-16 sequence after a UTF-16 byte-order mark"),
		    line_at16(u, ulen), 2 + bad + 1);
	free(u);
	return rc;
}

/* Index of the first '?' followed by a Cyrillic letter in decoded
 * Windows-1251 text, or -1. Excel writes '?' for each letter the code page
 * lacks, such as the Kazakh ә ғ қ ң ө ұ ү һ ("Қала" becomes "?ала"); a
 * question mark that ends a sentence is not followed by a letter. */
static int32_t lost_letter(const UChar *u, int32_t n)
{
	for (int32_t i = 0; i + 1 < n; i++)
		if (u[i] == '?' && is_cyrillic(u[i + 1]) && u_isalpha(u[i + 1]))
			return i;
	return -1;
}

/* Refuses text that lost letters, quoting the word around index at. */
static int lost_letter_error(const UChar *u, int32_t n, int32_t at, struct origin o,
    struct cb_err *err)
{
	int32_t a = at, b = at + 1, wlen = 0;
	char word[128];
	UErrorCode st = U_ZERO_ERROR;

	while (a > 0 && at - a < 20 && (u_isalpha(u[a - 1]) || u[a - 1] == '?'))
		a--;
	while (b < n && b - at < 20 && (u_isalpha(u[b]) || u[b] == '?'))
		b++;
	u_strToUTF8(word, sizeof word, &wlen, u + a, b - a, &st);
	if (U_FAILURE(st))
		word[0] = '\0';
	/* TRANSLATORS: Excel replaced letters Windows-1251 lacks by "?". */
	return cb_err_set(err, CB_EINVAL,
	    _("line %zu, byte %zu: \"%s\" has lost letters Windows-1251 cannot hold "
	      "(such as Kazakh қ, ә, ң); save the file as \"CSV UTF-8\""),
	    o.line - 1 + line_at16(u, at), o.byte + (size_t)at + 1, word);
}

/* How much decoded text reads like Russian: the mean frequency, in letters
 * per thousand of ordinary Russian text, of its Cyrillic letters (а–я, case
 * folded). Windows-1251 and KOI8-R both give Cyrillic letters for the
 * bytes 0xC0–0xFF, but in another order and case, so text decoded with the
 * wrong one reads as rare letters: about 30 against 55 or more. */
static unsigned russian_score(const UChar *u, int32_t n)
{
	/* а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я */
	static const unsigned char freq[32] = {80, 16, 45, 17, 30, 85, 9, 16, 74, 12, 35, 44, 32,
	    67, 110, 28, 47, 55, 63, 26, 3, 10, 5, 14, 7, 4, 1, 19, 17, 3, 6, 20};
	unsigned long sum = 0, letters = 0;

	for (int32_t i = 0; i < n; i++) {
		UChar c = u[i];
		if (c >= 0x0410 && c <= 0x042f)
			c += 0x20;
		if (c == 0x0451) /* ё */
			c = 0x0435;
		if (c >= 0x0430 && c <= 0x044f) {
			sum += freq[c - 0x0430];
			letters++;
		}
	}
	return letters ? (unsigned)(sum / letters) : 0;
}

/* Whether bytes that decode as Cyrillic Windows-1251 (u1251) are KOI8-R:
 * they decode as Cyrillic there too and read more like Russian. On true
 * fills *koi (free it) with the KOI8-R text. */
static bool is_koi8r(const unsigned char *p, size_t n, const UChar *u1251, int32_t n1251,
    UChar **koi, int32_t *nkoi)
{
	size_t bad = 0;
	struct cb_err ignored = {0};

	*koi = NULL;
	int rc = decode("KOI8-R", p, n, koi, nkoi, &bad, &ignored);
	if (rc != 0) {
		if (rc > 0)
			free(*koi);
		*koi = NULL;
		return false;
	}
	if (reads_as_cyrillic(*koi, *nkoi) &&
	    russian_score(*koi, *nkoi) > russian_score(u1251, n1251))
		return true;
	free(*koi);
	*koi = NULL;
	return false;
}

/* A file that is not UTF-8 from byte bad on: Windows-1251 if it reads as
 * Cyrillic, KOI8-R if it reads as Cyrillic there too and more like Russian
 * (is_koi8r), else refused naming that first bad byte. *enc says which;
 * out NULL: only decides, converts nothing. */
static int from_cp1251(const unsigned char *p, size_t n, size_t bad, struct origin o,
    enum textconv_encoding *enc, struct textconv_text *out, struct cb_err *err)
{
	UChar *u, *koi;
	int32_t ulen, nkoi;
	size_t bad1251 = 0;
	int rc = decode("windows-1251", p, n, &u, &ulen, &bad1251, err);

	if (rc < 0)
		return rc;
	if (rc == 0 && reads_as_cyrillic(u, ulen)) {
		if (is_koi8r(p, n, u, ulen, &koi, &nkoi)) {
			*enc = TEXTCONV_KOI8R;
			if (out)
				to_utf8(koi, nkoi, out);
			free(koi);
			free(u);
			return 0;
		}
		int32_t at = lost_letter(u, ulen);
		if (at >= 0) {
			rc = lost_letter_error(u, ulen, at, o, err);
			free(u);
			return rc;
		}
		if (out)
			to_utf8(u, ulen, out);
		free(u);
		return 0;
	}
	free(u);
	/* TRANSLATORS: "CSV UTF-8" is the name of the format in Excel's Save As. */
	return cb_err_set(err, CB_EINVAL,
	    _("line %zu, byte %zu: not UTF-8 (0x%02X), nor Cyrillic Windows-1251; "
	      "save the file as \"CSV UTF-8\""),
	    line_at(p, bad, o), o.byte + bad + 1, p[bad]);
}

/* Decides between UTF-8 and Windows-1251 for n bytes without a byte-order
 * mark (or after a UTF-8 one: bom), which start at o in the file; converts
 * them into out unless out is NULL. */
static int classify(const unsigned char *p, size_t n, struct origin o, bool bom,
    enum textconv_encoding *enc, struct textconv_text *out, struct cb_err *err)
{
	int nul;
	size_t bad = utf8_first_bad(p, n, &nul);

	*enc = bom ? TEXTCONV_UTF8_BOM : TEXTCONV_UTF8;
	if (bad == n) {
		if (out) {
			out->text = xstrndup((const char *)p, n);
			out->len = n;
		}
		return 0;
	}
	if (nul)
		return cb_err_set(err, CB_EINVAL,
		    _("line %zu, byte %zu: NUL character (not a text file? save it as "
		      "CSV)"),
		    line_at(p, bad, o), o.byte + bad + 1);
	if (bom)
		return cb_err_set(err, CB_EINVAL,
		    _("line %zu, byte %zu: bad UTF-8 (0x%02X) after a UTF-8 byte-order "
		      "mark"),
		    line_at(p, bad, o), o.byte + bad + 1, p[bad]);
	if (mostly_utf8(p, n))
		return cb_err_set(err, CB_EINVAL,
		    _("line %zu, byte %zu: bad UTF-8 (0x%02X) in text that is otherwise "
		      "UTF-8"),
		    line_at(p, bad, o), o.byte + bad + 1, p[bad]);
	const unsigned char *z = memchr(p + bad, 0, n - bad);
	if (z)
		return cb_err_set(err, CB_EINVAL,
		    _("line %zu, byte %zu: NUL character (not a text file? save it as "
		      "CSV)"),
		    line_at(p, (size_t)(z - p), o), o.byte + (size_t)(z - p) + 1);
	*enc = TEXTCONV_CP1251;
	return from_cp1251(p, n, bad, o, enc, out, err);
}

/* A spreadsheet workbook rather than text: a zip (.xlsx, .ods) or an OLE
 * compound file (.xls). */
static bool is_workbook(const unsigned char *p, size_t n)
{
	return (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) ||
	    (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0);
}

static int workbook_error(struct cb_err *err)
{
	return cb_err_set(err, CB_EINVAL,
	    _("this is a spreadsheet workbook (.xlsx, .xls or .ods), not CSV text: "
	      "save it as \"CSV UTF-8\" first"));
}

/* Detects and converts; see textconv.h. */
int textconv_to_utf8(const void *data, size_t n, struct textconv_text *out, struct cb_err *err)
{
	const unsigned char *p = data;
	enum textconv_encoding enc;
	bool bom;
	int rc;

	out->text = NULL;
	out->len = 0;
	out->enc = TEXTCONV_UTF8;
	if (n > INT32_MAX / 2)
		return cb_err_set(err, CB_EINVAL, _("file too large to import (over 1 GB)"));
	if (is_workbook(p, n))
		return workbook_error(err);
	if (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 || memcmp(p, "\xfe\xff", 2) == 0))
		return from_utf16(p, n, p[0] == 0xfe, out, err);
	bom = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0;
	struct origin o = {1, bom ? 3 : 0};
	rc = classify(p + o.byte, n - o.byte, o, bom, &enc, out, err);
	if (rc != 0) {
		free(out->text);
		out->text = NULL;
		return rc;
	}
	out->enc = enc;
	return 0;
}

/* Translated encoding name; see textconv.h. */
const char *textconv_encoding_name(enum textconv_encoding enc)
{
	switch (enc) {
	case TEXTCONV_UTF8:
		return _("UTF-8");
	case TEXTCONV_UTF8_BOM:
		return _("UTF-8 with byte-order mark");
	case TEXTCONV_UTF16LE:
		return _("UTF-16 (little-endian)");
	case TEXTCONV_UTF16BE:
		return _("UTF-16 (big-endian)");
	case TEXTCONV_CP1251:
		return _("Windows-1251 (Cyrillic)");
	case TEXTCONV_KOI8R:
		return _("KOI8-R (Cyrillic)");
	}
	return "?";
}

/* The three delimiters, in the order that wins a tie. */
static const char candidates[] = {'\t', ';', ','};
enum { N_CAND = 3, MAX_ROWS = 20 };

/* Reads Excel's "sep=X" first line; returns X or 0, with *skip its length. */
static char sep_line(const char *t, size_t len, size_t *skip)
{
	size_t i = 5;

	if (len < 5 || strncmp(t, "sep=", 4) != 0 || t[4] == '\n' || t[4] == '\r')
		return 0;
	if (i < len && t[i] == '\r')
		i++;
	if (i < len && t[i] != '\n')
		return 0;
	*skip = i < len ? i + 1 : i;
	return t[4];
}

/* Picks the delimiter; see textconv.h. */
char textconv_delimiter(const char *text, size_t len, size_t *skip)
{
	size_t head[N_CAND] = {0}, row[N_CAND] = {0}, same[N_CAND] = {0}, dummy;
	int rows = -1, quoted = 0, blank = 1, best = -1;
	char sep;

	if (!skip)
		skip = &dummy;
	*skip = 0;
	if ((sep = sep_line(text, len, skip)) != 0)
		return sep;
	/* Records end at a line end outside quotes; blank ones are passed over.
	 * The first record is the header (rows == 0 from then on). */
	for (size_t i = 0; i <= len && rows < MAX_ROWS; i++) {
		if (i < len && (quoted || text[i] != '\n')) {
			if (text[i] == '"')
				quoted = !quoted;
			else if (!quoted)
				for (int c = 0; c < N_CAND; c++)
					row[c] += text[i] == candidates[c];
			blank &= text[i] == '\r';
			continue;
		}
		if (!blank && rows < 0) {
			memcpy(head, row, sizeof head);
			rows = 0;
		} else if (!blank) {
			for (int c = 0; c < N_CAND; c++)
				same[c] += row[c] == head[c];
			rows++;
		}
		memset(row, 0, sizeof row);
		blank = 1;
	}
	for (int c = 0; c < N_CAND; c++) {
		if (head[c] == 0)
			continue;
		if (best < 0 || same[c] > same[best] ||
		    (same[c] == same[best] && head[c] > head[best]))
			best = c;
	}
	return best < 0 ? ',' : candidates[best];
}

/* Translated delimiter name; see textconv.h. */
const char *textconv_delimiter_name(char delim)
{
	static char other[256][2];

	switch (delim) {
	case ',':
		return _("comma");
	case ';':
		return _("semicolon");
	case '\t':
		return _("tab");
	}
	other[(unsigned char)delim][0] = delim;
	return other[(unsigned char)delim];
}

/* The import summary line; see textconv.h. */
char *textconv_summary(enum textconv_encoding enc, char delim)
{
	/* TRANSLATORS: "read as Windows-1251 (Cyrillic), columns separated by semicolon" */
	return xasprintf(_("read as %s, columns separated by %s"), textconv_encoding_name(enc),
	    textconv_delimiter_name(delim));
}

/* The import summary line with any encoding name; see textconv.h. */
char *textconv_summary_named(const char *encoding_name, char delim)
{
	return xasprintf(_("read as %s, columns separated by %s"), encoding_name,
	    textconv_delimiter_name(delim));
}

/* ---- Streams ------------------------------------------------------------ */

enum { WINDOW = 65536, UCAP = WINDOW + 2 };

struct textconv_stream {
	FILE *in;
	FILE *view; /* in, or the cookie stream over the conversion */
	enum textconv_encoding enc;
	char name[64]; /* a name given to textconv_open, else "" */
	UConverter *conv; /* NULL: the UTF-8 of in is passed through */
	off_t text_start; /* where the text starts in in (after a byte-order mark) */
	struct buf out; /* converted text not yet read, from out_pos */
	size_t out_pos;
	bool in_eof, started;
	UChar held; /* a high surrogate waiting for its other half, or 0 */
	UChar last; /* the last unit emitted, for the lost-letter check */
	size_t lines; /* line ends emitted */
	size_t bytes; /* bytes of in converted */
	bool failed;
	struct cb_err err;
	char *peek; /* UTF-8 passed through: the first window of the text */
	size_t peek_len;
	unsigned char raw[WINDOW];
	UChar u[UCAP + 1];
};

/* Records the first problem met while converting; reads fail from then on. */
static void stream_fail(struct textconv_stream *s, size_t at)
{
	s->failed = true;
	cb_err_set(&s->err, CB_EINVAL, _("line %zu, byte %zu: not valid %s text"), s->lines + 1,
	    at + 1, textconv_stream_name(s));
}

/* Hands n decoded units on as UTF-8: drops a leading byte-order mark,
 * keeps a high surrogate for the next call, and refuses in Windows-1251
 * what textconv_to_utf8 refuses (C1 controls, letters lost as "?"). */
static void stream_emit(struct textconv_stream *s, UChar *u, int32_t n, bool flush)
{
	UChar *start = u;
	UErrorCode st = U_ZERO_ERROR;
	int32_t need = 0;

	if (s->held) {
		*--start = s->held; /* u has room before it: see stream_fill */
		n++;
		s->held = 0;
	}
	if (!s->started && n > 0) {
		s->started = true;
		if (start[0] == 0xfeff)
			start++, n--;
	}
	if (n > 0 && !flush && U16_IS_LEAD(start[n - 1]))
		s->held = start[--n];
	for (int32_t i = 0; i < n; i++) {
		UChar prev = i > 0 ? start[i - 1] : s->last;
		if (s->enc == TEXTCONV_CP1251 &&
		    ((start[i] >= 0x80 && start[i] <= 0x9f) ||
		        (prev == '?' && is_cyrillic(start[i]) && u_isalpha(start[i])))) {
			stream_fail(s, s->bytes + (size_t)i);
			return;
		}
		s->lines += start[i] == '\n';
	}
	if (n == 0)
		return;
	s->last = start[n - 1];
	u_strToUTF8(NULL, 0, &need, start, n, &st);
	st = U_ZERO_ERROR;
	buf_reserve(&s->out, (size_t)need + 1);
	u_strToUTF8((char *)s->out.p + s->out.len, need + 1, &need, start, n, &st);
	s->out.len += (size_t)need;
}

/* Converts the next piece of in onto s->out. False at the end or after a
 * problem. */
static bool stream_fill(struct textconv_stream *s)
{
	if (s->in_eof || s->failed)
		return false;
	size_t n = fread(s->raw, 1, sizeof s->raw, s->in);
	if (n < sizeof s->raw) {
		if (ferror(s->in)) {
			s->failed = true;
			cb_err_set(&s->err, CB_EIO, "%s", strerror(errno));
			return false;
		}
		s->in_eof = true;
	}
	const char *src = (const char *)s->raw, *end = src + n;
	UErrorCode st;
	do {
		UChar *t = s->u + 1; /* s->u[0] is room for a held surrogate */
		st = U_ZERO_ERROR;
		ucnv_toUnicode(s->conv, &t, s->u + UCAP, &src, end, NULL, s->in_eof, &st);
		stream_emit(s, s->u + 1, (int32_t)(t - (s->u + 1)), s->in_eof && !U_FAILURE(st));
		if (U_FAILURE(st) && st != U_BUFFER_OVERFLOW_ERROR && !s->failed)
			stream_fail(s, s->bytes + (size_t)(src - (const char *)s->raw));
	} while (st == U_BUFFER_OVERFLOW_ERROR && !s->failed);
	s->bytes += n;
	return !s->failed && (n > 0 || s->out.len > s->out_pos);
}

static ssize_t stream_read(void *cookie, char *buf, size_t size)
{
	struct textconv_stream *s = cookie;

	while (s->out.len == s->out_pos) {
		s->out.len = s->out_pos = 0;
		if (!stream_fill(s) && s->out.len == 0) {
			if (s->failed) {
				errno = EILSEQ;
				return -1;
			}
			return 0;
		}
	}
	size_t n = s->out.len - s->out_pos;
	if (n > size)
		n = size;
	memcpy(buf, s->out.p + s->out_pos, n);
	s->out_pos += n;
	return (ssize_t)n;
}

/* The known encodings by the names people give them. */
static bool names_encoding(const char *name, enum textconv_encoding *enc)
{
	static const struct {
		const char *name;
		enum textconv_encoding enc;
	} names[] = {{"utf-8", TEXTCONV_UTF8}, {"utf8", TEXTCONV_UTF8},
	    {"windows-1251", TEXTCONV_CP1251}, {"cp1251", TEXTCONV_CP1251},
	    {"utf-16le", TEXTCONV_UTF16LE}, {"utf-16be", TEXTCONV_UTF16BE}};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0) {
			*enc = names[i].enc;
			return true;
		}
	return false;
}

/* Reads the file on from a first window that is all ASCII to the first
 * byte beyond it, and decides the encoding from the window there. */
static int detect_later(struct textconv_stream *s, struct origin o, struct cb_err *err)
{
	size_t n;

	for (;;) {
		n = fread(s->raw, 1, sizeof s->raw, s->in);
		size_t i = 0;
		while (i < n && s->raw[i] < 0x80 && s->raw[i] != 0)
			i++;
		if (i < n) {
			o.line = line_at(s->raw, i, o);
			o.byte += i;
			break;
		}
		if (n < sizeof s->raw)
			return ferror(s->in) ? cb_err_set(err, CB_EIO, "%s", strerror(errno)) : 0;
		o.line = line_at(s->raw, n, o);
		o.byte += n;
	}
	if (fseeko(s->in, (off_t)o.byte, SEEK_SET) != 0)
		return cb_err_set(err, CB_EIO, "%s", strerror(errno));
	n = fread(s->raw, 1, sizeof s->raw, s->in);
	if (n == sizeof s->raw) { /* end the window at a line end, or before a cut character */
		const unsigned char *nl = memrchr(s->raw, '\n', n);
		n = nl ? (size_t)(nl - s->raw) + 1 : n - 3;
	}
	return classify(s->raw, n, o, false, &s->enc, NULL, err);
}

/* Decides the encoding of a file that names none; see textconv_open. */
static int detect(struct textconv_stream *s, struct cb_err *err)
{
	size_t n = fread(s->raw, 1, sizeof s->raw, s->in);
	const unsigned char *p = s->raw;
	int rc = 0;

	if (ferror(s->in))
		return cb_err_set(err, CB_EIO, "%s", strerror(errno));
	if (is_workbook(p, n))
		return workbook_error(err);
	if (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 || memcmp(p, "\xfe\xff", 2) == 0)) {
		s->enc = p[0] == 0xfe ? TEXTCONV_UTF16BE : TEXTCONV_UTF16LE;
		s->text_start = 2;
		return 0;
	}
	bool bom = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0;
	struct origin o = {1, bom ? 3 : 0};
	size_t ascii = o.byte;
	while (ascii < n && p[ascii] < 0x80 && p[ascii] != 0)
		ascii++;
	s->text_start = (off_t)o.byte;
	if (ascii < n || bom || n < sizeof s->raw) {
		size_t len = n;
		if (n == sizeof s->raw) {
			const unsigned char *nl = memrchr(p, '\n', n);
			len = nl && nl > p + o.byte ? (size_t)(nl - p) + 1 : n - 3;
		}
		rc = classify(p + o.byte, len - o.byte, o, bom, &s->enc, NULL, err);
	} else {
		rc = detect_later(s, (struct origin){line_at(p, n, o), n}, err);
	}
	return rc;
}

/* Opens a file as UTF-8; see textconv.h. */
int textconv_open(FILE *in, const char *encoding, struct textconv_stream **out, struct cb_err *err)
{
	struct textconv_stream *s = xcalloc(1, sizeof *s);
	int rc = 0;

	*out = NULL;
	s->in = in;
	if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
		if (!names_encoding(encoding, &s->enc))
			snprintf(s->name, sizeof s->name, "%s", encoding);
		unsigned char bom[3];
		size_t n = fread(bom, 1, sizeof bom, in);
		if (s->enc == TEXTCONV_UTF8 && !s->name[0] && n == 3 &&
		    memcmp(bom, "\xef\xbb\xbf", 3) == 0) {
			s->enc = TEXTCONV_UTF8_BOM;
			s->text_start = 3;
		}
	} else {
		rc = detect(s, err);
	}
	if (rc == 0 && (s->name[0] || (s->enc != TEXTCONV_UTF8 && s->enc != TEXTCONV_UTF8_BOM))) {
		UErrorCode st = U_ZERO_ERROR;
		const char *icu = s->name[0]     ? s->name
		    : s->enc == TEXTCONV_CP1251  ? "windows-1251"
		    : s->enc == TEXTCONV_KOI8R   ? "KOI8-R"
		    : s->enc == TEXTCONV_UTF16LE ? "UTF-16LE"
		                                 : "UTF-16BE";
		s->conv = ucnv_open(icu, &st);
		if (U_FAILURE(st)) {
			s->conv = NULL;
			rc = cb_err_set(err, CB_EINVAL,
			    _("unknown encoding \"%s\" (e.g. utf-8, windows-1251, koi8-r, "
			      "utf-16le)"),
			    encoding);
		} else {
			ucnv_setToUCallBack(s->conv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL,
			    &st);
		}
	}
	s->bytes = (size_t)s->text_start;
	if (rc == 0 && fseeko(in, s->text_start, SEEK_SET) != 0)
		rc = cb_err_set(err, CB_EIO, "%s", strerror(errno));
	if (rc != 0) {
		textconv_close(s);
		return rc;
	}
	if (s->conv) {
		cookie_io_functions_t io = {.read = stream_read};
		if (!(s->view = fopencookie(s, "r", io)))
			die("%s", _("out of memory"));
	} else {
		s->view = in;
	}
	*out = s;
	return 0;
}

FILE *textconv_file(struct textconv_stream *s)
{
	return s->view;
}

const char *textconv_peek(struct textconv_stream *s, size_t *len)
{
	if (s->conv) {
		while (s->out.len - s->out_pos < WINDOW && stream_fill(s))
			;
		*len = s->out.len - s->out_pos;
		return (const char *)s->out.p + s->out_pos;
	}
	if (!s->peek) {
		off_t at = ftello(s->in);
		s->peek = xmalloc(WINDOW + 1);
		s->peek_len = fread(s->peek, 1, WINDOW, s->in);
		s->peek[s->peek_len] = '\0';
		if (at >= 0 && fseeko(s->in, at, SEEK_SET) != 0)
			s->peek_len = 0;
	}
	*len = s->peek_len;
	return s->peek;
}

const char *textconv_stream_name(const struct textconv_stream *s)
{
	return s->name[0] ? s->name : textconv_encoding_name(s->enc);
}

bool textconv_failed(const struct textconv_stream *s, struct cb_err *err)
{
	if (s->failed && err)
		*err = s->err;
	return s->failed;
}

void textconv_close(struct textconv_stream *s)
{
	if (!s)
		return;
	if (s->view && s->view != s->in)
		fclose(s->view);
	if (s->conv)
		ucnv_close(s->conv);
	buf_free(&s->out);
	free(s->peek);
	free(s);
}
