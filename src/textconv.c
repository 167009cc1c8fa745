/* textconv.c — encoding detection and conversion of office CSV files with
 * ICU's converters, and delimiter detection. The encoding rules are those
 * of textconv.h: a byte-order mark decides, then valid UTF-8, then
 * Windows-1251 when the decoded text reads as Cyrillic words. */
#include "textconv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "text.h"
#include "util.h"

/* Lines and bytes a message names are counted from 1. */
static size_t line_at(const unsigned char *p, size_t off)
{
	size_t line = 1;

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
static int lost_letter_error(const UChar *u, int32_t n, int32_t at, struct cb_err *err)
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
	    line_at16(u, at), (size_t)at + 1, word);
}

/* A file that is not UTF-8 from byte bad on: Windows-1251 if it reads as
 * Cyrillic, else refused naming that first bad byte. */
static int from_cp1251(const unsigned char *p, size_t n, size_t bad, struct textconv_text *out,
    struct cb_err *err)
{
	UChar *u;
	int32_t ulen;
	size_t bad1251 = 0;
	int rc = decode("windows-1251", p, n, &u, &ulen, &bad1251, err);

	if (rc < 0)
		return rc;
	if (rc == 0 && reads_as_cyrillic(u, ulen)) {
		int32_t at = lost_letter(u, ulen);
		if (at >= 0) {
			rc = lost_letter_error(u, ulen, at, err);
			free(u);
			return rc;
		}
		to_utf8(u, ulen, out);
		out->enc = TEXTCONV_CP1251;
		free(u);
		return 0;
	}
	free(u);
	/* TRANSLATORS: "CSV UTF-8" is the name of the format in Excel's Save As. */
	return cb_err_set(err, CB_EINVAL,
	    _("line %zu, byte %zu: not UTF-8 (0x%02X), nor Cyrillic Windows-1251; "
	      "save the file as \"CSV UTF-8\""),
	    line_at(p, bad), bad + 1, p[bad]);
}

/* Detects and converts; see textconv.h. */
int textconv_to_utf8(const void *data, size_t n, struct textconv_text *out, struct cb_err *err)
{
	const unsigned char *p = data;
	size_t bad;
	int nul;

	out->text = NULL;
	out->len = 0;
	out->enc = TEXTCONV_UTF8;
	if (n > INT32_MAX / 2)
		return cb_err_set(err, CB_EINVAL, _("file too large to import (over 1 GB)"));
	if ((n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) ||
	    (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0))
		return cb_err_set(err, CB_EINVAL,
		    _("this is a spreadsheet workbook (.xlsx, .xls or .ods), not CSV text: "
		      "save it as \"CSV UTF-8\" first"));
	if (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 || memcmp(p, "\xfe\xff", 2) == 0))
		return from_utf16(p, n, p[0] == 0xfe, out, err);
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		out->enc = TEXTCONV_UTF8_BOM;
		p += 3, n -= 3;
	}
	bad = utf8_first_bad(p, n, &nul);
	if (bad < n) {
		size_t skipped = out->enc == TEXTCONV_UTF8_BOM ? 3 : 0;
		if (nul)
			return cb_err_set(err, CB_EINVAL,
			    _("line %zu, byte %zu: NUL character (not a text file? save it as "
			      "CSV)"),
			    line_at(p, bad), skipped + bad + 1);
		if (skipped)
			return cb_err_set(err, CB_EINVAL,
			    _("line %zu, byte %zu: bad UTF-8 (0x%02X) after a UTF-8 byte-order "
			      "mark"),
			    line_at(p, bad), skipped + bad + 1, p[bad]);
		if (mostly_utf8(p, n))
			return cb_err_set(err, CB_EINVAL,
			    _("line %zu, byte %zu: bad UTF-8 (0x%02X) in text that is otherwise "
			      "UTF-8"),
			    line_at(p, bad), bad + 1, p[bad]);
		const unsigned char *z = memchr(p + bad, 0, n - bad);
		if (z)
			return cb_err_set(err, CB_EINVAL,
			    _("line %zu, byte %zu: NUL character (not a text file? save it as "
			      "CSV)"),
			    line_at(p, (size_t)(z - p)), (size_t)(z - p) + 1);
		return from_cp1251(p, n, bad, out, err);
	}
	out->text = xstrndup((const char *)p, n);
	out->len = n;
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
