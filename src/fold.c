/* fold.c — NFKC + full case folding of index keys and filter values, with
 * ICU's NFKC_Casefold normaliser. Import folds millions of keys, so text made
 * only of Latin, Greek and Cyrillic letters that normalisation treats one by
 * one takes a fast path: a table of each such character's folding, filled
 * from ICU itself on first use. Everything else goes through ICU whole. */
#include "fold.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "util.h"

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Folds n bytes of ASCII into out. */
static void fold_ascii(const char *s, size_t n, struct buf *out)
{
	buf_reserve(out, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out->p[out->len++] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
	}
}

/* Converts UTF-8 to a malloc'd UTF-16 string (invalid bytes become U+FFFD). */
static UChar *to_utf16(const char *s, size_t n, int32_t *len)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t need = 0;

	u_strFromUTF8WithSub(NULL, 0, &need, s, (int32_t)n, 0xfffd, NULL, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		die("fold: cannot convert text (%s)", u_errorName(status));
	UChar *u = xmalloc(((size_t)need + 1) * sizeof(UChar));
	status = U_ZERO_ERROR;
	u_strFromUTF8WithSub(u, need + 1, len, s, (int32_t)n, 0xfffd, NULL, &status);
	if (U_FAILURE(status))
		die("fold: cannot convert text (%s)", u_errorName(status));
	return u;
}

/* Applies NFKC_Casefold to UTF-16 text; returns a malloc'd result. */
static UChar *nfkc_casefold(const UChar *u, int32_t len, int32_t *outlen)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&status);
	if (U_FAILURE(status))
		die("fold: ICU NFKC_Casefold unavailable (%s)", u_errorName(status));
	int32_t cap = len * 3 + 16;
	UChar *out = xmalloc((size_t)cap * sizeof(UChar));
	*outlen = unorm2_normalize(norm, u, len, out, cap, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		cap = *outlen + 1;
		out = xrealloc(out, (size_t)cap * sizeof(UChar));
		status = U_ZERO_ERROR;
		*outlen = unorm2_normalize(norm, u, len, out, cap, &status);
	}
	if (U_FAILURE(status))
		die("fold: normalisation failed (%s)", u_errorName(status));
	return out;
}

static void put_utf8(const UChar *u, int32_t len, struct buf *out)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t need = 0;

	u_strToUTF8(NULL, 0, &need, u, len, &status);
	buf_reserve(out, (size_t)need);
	status = U_ZERO_ERROR;
	u_strToUTF8((char *)out->p + out->len, need + 1, &need, u, len, &status);
	if (U_FAILURE(status))
		die("fold: cannot convert text (%s)", u_errorName(status));
	out->len += (size_t)need;
}

/* Folds s[0..n) (no trimming) and appends the result to out. */
/* The fast-path table covers U+0000..U+04FF (Latin, Greek, Cyrillic). A
 * character is in it only when NFKC_Casefold has a boundary before it (it
 * never combines with what precedes it): a string of such characters then
 * splits at every character and folds character by character. Combining
 * marks are not in the table, so text holding one goes through ICU whole. */
#define FAST_LIMIT 0x500

struct fast_fold {
	unsigned char len; /* 0: not on the fast path */
	char utf8[11];
};

static struct fast_fold fast_table[FAST_LIMIT];
static unsigned char fast_word[FAST_LIMIT]; /* is_word_char of each */
static int fast_ready;

static int is_word_char(UChar32 c);

static void fast_init(void)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&status);

	if (U_FAILURE(status))
		die("fold: ICU NFKC_Casefold unavailable (%s)", u_errorName(status));
	for (UChar32 c = 0; c < FAST_LIMIT; c++)
		fast_word[c] = (unsigned char)is_word_char(c);
	for (UChar32 c = 0x80; c < FAST_LIMIT; c++) {
		UChar in[2], outu[8];
		int32_t n = 0, fl;
		if (!unorm2_hasBoundaryBefore(norm, c))
			continue;
		U16_APPEND_UNSAFE(in, n, c);
		status = U_ZERO_ERROR;
		fl = unorm2_normalize(norm, in, n, outu, 8, &status);
		if (U_FAILURE(status))
			continue;
		char utf8[16];
		int32_t ul = 0;
		status = U_ZERO_ERROR;
		u_strToUTF8(utf8, sizeof utf8, &ul, outu, fl, &status);
		if (U_FAILURE(status) || ul >= (int32_t)sizeof fast_table[c].utf8)
			continue;
		memcpy(fast_table[c].utf8, utf8, (size_t)ul);
		fast_table[c].len = (unsigned char)(ul ? ul : 0xff); /* 0xff: folds to nothing */
	}
	fast_ready = 1;
}

/* Folds s[0..n) through the table; false (out unchanged) when some
 * character is not on the fast path. */
static int fold_fast(const char *s, size_t n, struct buf *out)
{
	if (!fast_ready)
		fast_init();
	/* A table entry is at most 10 bytes for a 2-byte character. */
	buf_reserve(out, n * 5);
	unsigned char *w = out->p + out->len;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			*w++ = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
			i++;
			continue;
		}
		/* Two-byte sequences cover U+0080..U+07FF; the table ends at U+04FF. */
		if ((c & 0xe0) != 0xc0 || i + 1 >= n || ((unsigned char)s[i + 1] & 0xc0) != 0x80)
			return 0;
		unsigned cp = ((c & 0x1fu) << 6) | ((unsigned char)s[i + 1] & 0x3fu);
		if (cp < 0x80 || cp >= FAST_LIMIT || fast_table[cp].len == 0)
			return 0;
		if (fast_table[cp].len != 0xff) {
			memcpy(w, fast_table[cp].utf8, fast_table[cp].len);
			w += fast_table[cp].len;
		}
		i += 2;
	}
	out->len = (size_t)(w - out->p);
	return 1;
}

static void fold_into(const char *s, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == n) {
		fold_ascii(s, n, out);
		return;
	}
	if (fold_fast(s, n, out))
		return;
	int32_t ulen, flen;
	UChar *u = to_utf16(s, n, &ulen);
	UChar *f = nfkc_casefold(u, ulen, &flen);
	put_utf8(f, flen, out);
	free(u);
	free(f);
}

void fold_text_append(const char *s, struct buf *out)
{
	size_t base = out->len, start;

	s = str_or_empty(s);
	fold_into(s, strlen(s), out);
	/* Trim after folding: NFKC turns no-break and ideographic spaces into
	 * plain ones, which must not make a key of their own. */
	while (out->len > base && is_space(out->p[out->len - 1]))
		out->len--;
	for (start = base; start < out->len && is_space(out->p[start]); start++)
		;
	if (start > base)
		memmove(out->p + base, out->p + start, out->len - start);
	out->len -= start - base;
}

char *fold_text(const char *s)
{
	struct buf b = {0};

	fold_text_append(s, &b);
	return buf_steal(&b);
}

static int is_word_char(UChar32 c)
{
	return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
	    (U_GET_GC_MASK(c) & U_GC_M_MASK);
}

static void add_unique(struct strlist *out, struct buf *word)
{
	const char *w = buf_cstr(word);
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->items[i], w) == 0)
			return;
	strlist_add(out, w);
}

/* Splits folded UTF-8 into words with the fast table; false when some
 * character lies beyond it (nothing is added then). */
static int split_fast(const unsigned char *p, size_t n, struct strlist *out, struct buf *word)
{
	for (size_t i = 0; i < n;) {
		unsigned cp = p[i];
		size_t len = 1;
		if (cp >= 0x80) {
			if ((cp & 0xe0) != 0xc0 || i + 1 >= n)
				return 0;
			cp = ((cp & 0x1fu) << 6) | (p[i + 1] & 0x3fu);
			if (cp >= FAST_LIMIT)
				return 0;
			len = 2;
		}
		i += len;
	}
	size_t start = 0;
	int inword = 0;
	for (size_t i = 0; i <= n;) {
		unsigned cp = 0;
		size_t len = 1;
		if (i < n) {
			cp = p[i];
			if (cp >= 0x80)
				cp = ((cp & 0x1fu) << 6) | (p[i + 1] & 0x3fu), len = 2;
		}
		int w = i < n && fast_word[cp];
		if (w && !inword) {
			start = i;
			inword = 1;
		} else if (!w && inword) {
			word->len = 0;
			buf_put(word, p + start, i - start);
			add_unique(out, word);
			inword = 0;
		}
		i += len;
	}
	return 1;
}

void fold_words(const char *s, struct strlist *out)
{
	struct buf folded = {0}, word = {0};
	int32_t ulen;

	s = str_or_empty(s);
	fold_into(s, strlen(s), &folded);
	if (!fast_ready)
		fast_init();
	if (split_fast(folded.p, folded.len, out, &word)) {
		buf_free(&folded);
		buf_free(&word);
		return;
	}
	UChar *u = to_utf16((const char *)buf_cstr(&folded), folded.len, &ulen);
	int32_t i = 0, start = -1;
	while (i <= ulen) {
		UChar32 c = 0;
		int32_t at = i;
		if (i < ulen)
			U16_NEXT(u, i, ulen, c);
		else
			i++;
		int inword = at < ulen && is_word_char(c);
		if (inword && start < 0) {
			start = at;
		} else if (!inword && start >= 0) {
			word.len = 0;
			put_utf8(u + start, at - start, &word);
			add_unique(out, &word);
			start = -1;
		}
	}
	free(u);
	buf_free(&folded);
	buf_free(&word);
}
