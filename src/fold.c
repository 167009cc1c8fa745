/* fold.c — NFKC + full case folding of index keys and filter values, with
 * ICU's NFKC_Casefold normaliser. ASCII text takes a fast path (NFKC leaves
 * it alone and its case folding is tolower), which matters for import speed. */
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
static void fold_into(const char *s, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == n) {
		fold_ascii(s, n, out);
		return;
	}
	int32_t ulen, flen;
	UChar *u = to_utf16(s, n, &ulen);
	UChar *f = nfkc_casefold(u, ulen, &flen);
	put_utf8(f, flen, out);
	free(u);
	free(f);
}

char *fold_text(const char *s)
{
	struct buf b = {0};
	size_t n;

	s = str_or_empty(s);
	while (is_space((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	fold_into(s, n, &b);
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

void fold_words(const char *s, struct strlist *out)
{
	struct buf folded = {0}, word = {0};
	int32_t ulen;

	s = str_or_empty(s);
	fold_into(s, strlen(s), &folded);
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
