/* Unit tests of folding: the fast path for Latin, Greek and Cyrillic text
 * must give exactly what ICU's NFKC_Casefold gives for the whole string. */
#include "unit.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "fold.h"
#include "util.h"

/* The reference: ICU on the whole string, then trimmed like fold_text. */
static char *icu_fold(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&st);
	UChar u[1024], f[4096];
	int32_t ul, fl, ol;
	char *out = malloc(8192);

	u_strFromUTF8WithSub(u, 1024, &ul, s, -1, 0xfffd, NULL, &st);
	fl = unorm2_normalize(norm, u, ul, f, 4096, &st);
	u_strToUTF8(out, 8192, &ol, f, fl, &st);
	assert_true(U_SUCCESS(st));
	/* fold_text trims ASCII white space at both ends after folding. */
	char *p = out;
	while (*p && strchr(" \t\n\r\v\f", *p))
		p++;
	size_t n = strlen(p);
	while (n && strchr(" \t\n\r\v\f", p[n - 1]))
		p[--n] = '\0';
	memmove(out, p, n + 1);
	return out;
}

static void put_cp(struct buf *b, unsigned cp)
{
	if (cp < 0x80) {
		buf_putc(b, (unsigned char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (unsigned char)(0xc0 | cp >> 6));
		buf_putc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (unsigned char)(0xe0 | cp >> 12));
		buf_putc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

static void test_every_character_alone(void **state)
{
	(void)state;
	for (unsigned cp = 0x21; cp < 0x500; cp++) {
		struct buf b = {0};
		if (cp == 0x7f)
			continue;
		put_cp(&b, cp);
		char *want = icu_fold(buf_cstr(&b)), *got = fold_text(buf_cstr(&b));
		if (strcmp(want, got) != 0)
			fail_msg("U+%04X folds to \"%s\", ICU says \"%s\"", cp, got, want);
		free(want), free(got);
		buf_free(&b);
	}
}

/* Random strings mixing fast-path letters with combining marks (which
 * compose with the letter before them) and characters beyond the table. */
static void test_random_strings_match_icu(void **state)
{
	(void)state;
	static const unsigned extra[] = {0x0300, 0x0301, 0x0306, 0x0308, 0x0483, 0x0487, 0x1E9E,
	    0x212A, 0xFB01, 0x3000, 0x4E2D, 0x00AD, 0x200B};
	srand(7);
	for (int t = 0; t < 20000; t++) {
		struct buf b = {0};
		int len = 1 + rand() % 12;
		for (int i = 0; i < len; i++) {
			int r = rand() % 10;
			unsigned cp;
			if (r < 5)
				cp = 0x400 + (unsigned)(rand() % 0x100); /* Cyrillic */
			else if (r < 7)
				cp = 0x20 + (unsigned)(rand() % 0x5f); /* ASCII */
			else if (r < 9)
				cp = 0xa0 + (unsigned)(rand() % (0x400 - 0xa0)); /* Latin, Greek */
			else
				cp = extra[rand() % (int)(sizeof extra / sizeof extra[0])];
			put_cp(&b, cp);
		}
		char *want = icu_fold(buf_cstr(&b)), *got = fold_text(buf_cstr(&b));
		if (strcmp(want, got) != 0)
			fail_msg("\"%s\" folds to \"%s\", ICU says \"%s\"", buf_cstr(&b), got,
			    want);
		free(want), free(got);
		buf_free(&b);
	}
}

/* The reference word splitter: ICU over the whole folded text. */
static void icu_words(const char *s, struct strlist *out)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&st);
	UChar u[1024], f[4096];
	int32_t ul, fl;

	u_strFromUTF8WithSub(u, 1024, &ul, s, -1, 0xfffd, NULL, &st);
	fl = unorm2_normalize(norm, u, ul, f, 4096, &st);
	int32_t i = 0, start = -1;
	while (i <= fl) {
		UChar32 c = 0;
		int32_t at = i;
		if (i < fl)
			U16_NEXT(f, i, fl, c);
		else
			i++;
		int w = at < fl &&
		    (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
		        (U_GET_GC_MASK(c) & U_GC_M_MASK));
		if (w && start < 0) {
			start = at;
		} else if (!w && start >= 0) {
			char word[1024];
			int32_t wl;
			u_strToUTF8(word, sizeof word, &wl, f + start, at - start, &st);
			int dup = 0;
			for (size_t k = 0; k < out->n; k++)
				dup |= strcmp(out->items[k], word) == 0;
			if (!dup)
				strlist_add(out, word);
			start = -1;
		}
	}
}

static void test_random_words_match_icu(void **state)
{
	(void)state;
	srand(11);
	for (int t = 0; t < 20000; t++) {
		struct buf b = {0};
		struct strlist want = {0}, got = {0};
		int len = 1 + rand() % 16;
		for (int i = 0; i < len; i++) {
			int r = rand() % 12;
			unsigned cp;
			if (r < 5)
				cp = 0x400 + (unsigned)(rand() % 0x100);
			else if (r < 8)
				cp = 0x20 + (unsigned)(rand() % 0x5f);
			else if (r < 10)
				cp = 0xa0 + (unsigned)(rand() % (0x400 - 0xa0));
			else if (r < 11)
				cp = " -,."[rand() % 4];
			else
				cp = 0x300 + (unsigned)(rand() % 0x70);
			put_cp(&b, cp);
		}
		icu_words(buf_cstr(&b), &want);
		fold_words(buf_cstr(&b), &got);
		assert_int_equal(got.n, want.n);
		for (size_t i = 0; i < got.n; i++)
			assert_string_equal(got.items[i], want.items[i]);
		strlist_free(&want), strlist_free(&got);
		buf_free(&b);
	}
}

static void test_known_foldings(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
	    {"АЛМАТЫ", "алматы"},
	    {"Қазақстан", "қазақстан"},
	    {"ЁЛКА", "ёлка"},
	    {"\xd0\x98\xcc\x86", "й"}, /* decomposed Й */
	    {"Straße", "strasse"},
	    {"ΣΟΦΊΑ", "σοφία"},
	    {"ﬁle", "file"},
	    {"  Almaty  ", "almaty"},
	    {"Ӏ", "ӏ"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char *got = fold_text(pairs[i][0]);
		assert_string_equal(got, pairs[i][1]);
		free(got);
	}
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_character_alone),
	    cmocka_unit_test(test_random_strings_match_icu),
	    cmocka_unit_test(test_random_words_match_icu),
	    cmocka_unit_test(test_known_foldings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
