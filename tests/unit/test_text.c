/* Unit tests of the text module: the UTF-8 decoder against ICU, widths of
 * the scripts casebook shows, fitting with an ellipsis, word wrapping (and
 * that it stays linear), terminal-safe text and time stamps. */
#include "unit.h"

#include <time.h>
#include <unicode/utf8.h>

#include "text.h"

/* ---- Decoding ------------------------------------------------------------- */

static void test_decode_valid(void **state)
{
	(void)state;
	uint32_t cp;

	assert_int_equal(text_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_decode("Ж", 2, &cp), 2);
	assert_int_equal(cp, 0x416);
	assert_int_equal(text_decode("Қ", 2, &cp), 2);
	assert_int_equal(cp, 0x49a);
	assert_int_equal(text_decode("中", 3, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(text_decode("😀", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(text_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	/* A real U+FFFD is valid text. */
	assert_int_equal(text_valid_len("a\xef\xbf\xbd", 4), 4);
}

static void test_decode_invalid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		const char *why;
	} bad[] = {
	    {"\x80", "stray continuation byte"},
	    {"\xbf", "stray continuation byte"},
	    {"\xc0\x80", "overlong NUL"},
	    {"\xc1\xbf", "overlong 2-byte"},
	    {"\xe0\x80\x80", "overlong 3-byte"},
	    {"\xe0\x9f\xbf", "overlong 3-byte"},
	    {"\xf0\x80\x80\x80", "overlong 4-byte"},
	    {"\xf0\x8f\xbf\xbf", "overlong 4-byte"},
	    {"\xed\xa0\x80", "surrogate U+D800"},
	    {"\xed\xbf\xbf", "surrogate U+DFFF"},
	    {"\xf4\x90\x80\x80", "above U+10FFFF"},
	    {"\xf5\x80\x80\x80", "lead byte F5"},
	    {"\xff", "byte FF"},
	    {"\xd0", "2-byte sequence cut short"},
	    {"\xe2\x82", "3-byte sequence cut short"},
	    {"\xf0\x9f\x98", "4-byte sequence cut short"},
	    {"\xe2\x82\x41", "continuation replaced by ASCII"},
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t cp;
		size_t n = strlen(bad[i].s);
		size_t len = text_decode(bad[i].s, n, &cp);
		if (len != 1 || cp != TEXT_REPLACEMENT)
			fail_msg("%s: length %zu, U+%04X", bad[i].why, len, (unsigned)cp);
		assert_int_equal(text_valid_len(bad[i].s, n), 0);
		/* Shown as one U+FFFD per bad byte, never passed through. */
		char *shown = text_sanitize(bad[i].s, 0);
		size_t nbad = 0;
		for (size_t k = 0; k < n; k++)
			nbad += (unsigned char)bad[i].s[k] >= 0x80;
		struct buf want = {0};
		for (size_t k = 0; k < n; k++) {
			if ((unsigned char)bad[i].s[k] >= 0x80)
				buf_puts(&want, "\xef\xbf\xbd");
			else
				buf_putc(&want, (unsigned char)bad[i].s[k]);
		}
		assert_true(nbad > 0);
		assert_string_equal(shown, buf_cstr(&want));
		free(shown);
		buf_free(&want);
	}
	/* Decoding resumes right after a bad byte. */
	assert_int_equal(text_valid_len("ok\xd0Ж", 5), 2);
	char *s = text_sanitize("Ал\xffматы", 0);
	assert_string_equal(s, "Ал\xef\xbf\xbdматы");
	free(s);
}

/* Every code point survives encoding and decoding. */
static void test_encode_round_trip(void **state)
{
	(void)state;
	struct buf b = {0};

	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		b.len = 0;
		text_put_char(&b, cp);
		uint32_t back;
		size_t len = text_decode((const char *)b.p, b.len, &back);
		if (len != b.len || back != cp)
			fail_msg("U+%04X: decoded as U+%04X, %zu of %zu bytes", (unsigned)cp,
			    (unsigned)back, len, b.len);
	}
	b.len = 0;
	text_put_char(&b, 0xd800);
	text_put_char(&b, 0x110000);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.p, "\xef\xbf\xbd\xef\xbf\xbd", 6);
	buf_free(&b);
}

/* On random bytes the decoder agrees with ICU's strict U8_NEXT about what
 * is valid and what each character is. */
static void test_decode_matches_icu(void **state)
{
	(void)state;
	unsigned seed = 12345;
	unsigned char s[16];

	for (int round = 0; round < 200000; round++) {
		for (size_t i = 0; i < sizeof s; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			/* Mostly lead and continuation bytes, some ASCII. */
			s[i] = (unsigned char)(r % 4 == 0 ? r % 0x80 : 0x80 | (r % 0x80));
		}
		int32_t i = 0;
		while (i < (int32_t)sizeof s) {
			int32_t at = i;
			UChar32 c;
			U8_NEXT(s, i, (int32_t)sizeof s, c);
			uint32_t cp;
			size_t len = text_decode((const char *)s + at, sizeof s - (size_t)at, &cp);
			bool bad = len == 1 && s[at] >= 0x80;
			if (c < 0) {
				assert_true(bad);
			} else {
				assert_false(bad);
				assert_int_equal(cp, (uint32_t)c);
				assert_int_equal(len, (size_t)(i - at));
			}
			i = at + (int32_t)len;
		}
	}
}

static void test_incomplete_tail(void **state)
{
	(void)state;
	assert_int_equal(text_incomplete_tail("abc", 3), 0);
	assert_int_equal(text_incomplete_tail("Ж", 2), 0);
	assert_int_equal(text_incomplete_tail("a\xd0", 2), 1);
	assert_int_equal(text_incomplete_tail("a\xe2\x80", 3), 2);
	assert_int_equal(text_incomplete_tail("\xf0\x9f\x98", 3), 3);
	assert_int_equal(text_incomplete_tail("😀", 4), 0);
	assert_int_equal(text_incomplete_tail("a\x80", 2), 0);
	assert_int_equal(text_incomplete_tail("", 0), 0);
}

/* ---- Width ---------------------------------------------------------------- */

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width("Almaty"), 6);
	assert_int_equal(text_width("Алматы"), 6);
	assert_int_equal(text_width("Қазақстан Өскемен ұлт ғ і ң ү һ"), 31);
	assert_int_equal(text_width("中文字"), 6);
	assert_int_equal(text_width("한국"), 4);
	/* Combining acute: e + U+0301 is one column, as is precomposed é. */
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width("й"), 1);
	assert_int_equal(text_width("и\xcc\x86"), 1);
	assert_int_equal(text_width("😀"), 2);
	assert_int_equal(text_width("👍🏽"), 4);
	/* Shown escaped: the escape's width. */
	assert_int_equal(text_width("\x1b"), 2); /* ^[ */
	assert_int_equal(text_width("\x7f"), 2); /* ^? */
	assert_int_equal(text_width("\xc2\x9b"), 4); /* \x9b */
	assert_int_equal(text_width("\xe2\x80\xae"), 8); /* <U+202E> */
	assert_int_equal(text_width("\xff"), 1); /* U+FFFD */
	/* The documented choice: unknown to wcwidth (unassigned U+0378) is 1. */
	assert_int_equal(text_char_width(0x378), 1);
	assert_int_equal(text_char_width(0x301), 0);
	/* Every string measures what its sanitized form measures. */
	const char *mixed = "a\x1b[2J\xe2\x80\xaeб\xff中\xcc\x81";
	char *s = text_sanitize(mixed, 0);
	assert_int_equal(text_width(mixed), text_width(s));
	assert_int_equal(text_width(s), strlen(s) - strlen("б中\xcc\x81\xef\xbf\xbd") + 1 + 2 + 1);
	free(s);
}

/* In a locale without UTF-8, non-ASCII characters count one column and the
 * cut is marked "~". */
static void test_non_utf8_locale(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C"));
	assert_string_equal(text_ellipsis(), "~");
	assert_int_equal(text_width("中文"), 2);
	struct buf b = {0};
	text_put_fitted(&b, "abcdef", 4, false);
	assert_string_equal(buf_cstr(&b), "abc~");
	buf_free(&b);
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	assert_string_equal(text_ellipsis(), "…");
}

/* ---- Fitting -------------------------------------------------------------- */

static void test_fit(void **state)
{
	(void)state;
	size_t used;

	assert_int_equal(text_fit("Алматы", 3, &used), 6);
	assert_int_equal(used, 3);
	/* A wide character that does not fit is left out whole. */
	assert_int_equal(text_fit("a中b", 2, &used), 1);
	assert_int_equal(used, 1);
	/* Combining marks stay with the letter before them. */
	assert_int_equal(text_fit("e\xcc\x81x", 1, &used), 3);
	assert_int_equal(text_fit("abc", 0, &used), 0);
	assert_int_equal(used, 0);
}

static void test_fit_ellipsis_every_width(void **state)
{
	(void)state;
	static const char *const texts[] = {
	    "Ninagul DZHUMANIYAZOVA",
	    "Жанар Ахметова",
	    "中文字符测试",
	    "e\xcc\x81t\xc3\xa9 Қ😀",
	    "",
	};

	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		const char *s = texts[t];
		size_t total = text_width(s);
		for (size_t w = 0; w <= total + 2; w++) {
			for (int pad = 0; pad < 2; pad++) {
				struct buf b = {0};
				size_t used = text_put_fitted(&b, s, w, pad);
				const char *out = buf_cstr(&b);
				assert_int_equal(used, text_width(out));
				assert_true(used <= w);
				if (pad)
					assert_int_equal(used, w);
				if (total <= w) {
					assert_memory_equal(out, s, strlen(s));
				} else if (w == 0) {
					assert_string_equal(out, "");
				} else {
					/* A prefix of the text, then the mark. */
					const char *mark = strstr(out, "…");
					assert_non_null(mark);
					assert_memory_equal(out, s, (size_t)(mark - out));
					if (w == 1)
						assert_string_equal(out, "…");
					/* As much as fits: one more character would not. */
					size_t pre = (size_t)(mark - out), pw;
					text_fit(s, w - 1, &pw);
					assert_int_equal(pre, text_fit(s, w - 1, NULL));
					assert_int_equal(used - (pad ? w - 1 - pw : 0), pw + 1);
				}
				buf_free(&b);
			}
		}
	}
}

/* ---- Wrapping ------------------------------------------------------------- */

/* All lines of s wrapped to width, joined with '\n'. */
static char *wrap_all(const char *s, size_t width, size_t *nlines)
{
	struct buf b = {0};
	size_t n = strlen(s), off = 0;

	*nlines = 0;
	do {
		size_t next, len = text_wrap_next(s + off, n - off, width, &next);
		assert_true(next > 0 || n == 0);
		if (*nlines)
			buf_putc(&b, '\n');
		buf_put(&b, s + off, len);
		(*nlines)++;
		off += next;
	} while (off < n);
	return buf_steal(&b);
}

/* s without blanks and newlines. */
static char *squeeze(const char *s)
{
	char *out = strdup(s), *q = out;
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			*q++ = *s;
	*q = '\0';
	return out;
}

static void test_wrap_long_words(void **state)
{
	(void)state;
	const char *text = "Жанар Ахметова 中文字符测试中文字符测试 e\xcc\x81t\xc3\xa9 "
	                   "https://example.org/a/very/long/path/that/cannot/fit/on/one/line";
	char *want = squeeze(text);

	for (size_t w = 1; w <= 40; w++) {
		size_t n;
		char *all = wrap_all(text, w, &n);
		assert_true(n >= 1);
		for (char *line = all; line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			/* A wide character cannot fit a one-column line. */
			assert_true(text_width(line) <= (w < 2 ? 2 : w));
			assert_false(line[0] == ' ');
			assert_false(*line && line[strlen(line) - 1] == ' ');
			/* Never a combining mark at the start of a line. */
			assert_false((unsigned char)line[0] == 0xcc);
			if (nl)
				*nl = '\n';
			line = nl ? nl + 1 : NULL;
		}
		/* Nothing lost. */
		char *got = squeeze(all);
		assert_string_equal(got, want);
		free(got);
		free(all);
	}
	free(want);
}

static void test_wrap_rules(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t width;
		const char *want; /* the lines joined by newlines */
		size_t lines;
	} rules[] = {
	    {"one two three", 7, "one two\nthree", 2},
	    {"", 10, "", 1},
	    /* Newlines end lines; an empty line stays; a final newline adds none. */
	    {"a\n\nb\n", 10, "a\n\nb", 3},
	    /* Blanks at a break are dropped, indentation of a paragraph kept. */
	    {"  indented line   wraps here", 12, "  indented\nline   wraps\nhere", 3},
	    /* Blanks that end a line before a newline make no empty line. */
	    {"abcde     \nf", 5, "abcde\nf", 2},
	    /* A tab counts one column and is a place to break. */
	    {"ab\tcd\tef", 5, "ab\tcd\nef", 2},
	    /* Width 0 acts as 1; a wide character gets a line of its own. */
	    {"ab", 0, "a\nb", 2},
	    {"中文", 1, "中\n文", 2},
	    /* Escapes are measured as shown: ESC is "^[", two columns. */
	    {"ab\033cd", 3, "ab\n\033c\nd", 3},
	    /* Cyrillic breaks by columns, not bytes. */
	    {"Заметка о задержании в Алматы", 10, "Заметка о\nзадержании\nв Алматы", 3},
	};

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		size_t n;
		char *s = wrap_all(rules[i].text, rules[i].width, &n);
		assert_string_equal(s, rules[i].want);
		assert_int_equal(n, rules[i].lines);
		free(s);
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Cyrillic notes of about `bytes` bytes, words and a newline now and then. */
static char *cyrillic_notes(size_t bytes)
{
	static const char *const words[] = {"задержание", "Алматы", "протест", "суд",
	    "административный", "арест", "свидетель", "Қазақстан"};
	struct buf b = {0};
	unsigned k = 0;

	while (b.len < bytes) {
		buf_puts(&b, words[k % 8]);
		k = k * 7 + 3;
		buf_putc(&b, k % 50 == 0 ? '\n' : ' ');
	}
	return buf_steal(&b);
}

/* Seconds to wrap all of s to 60 columns (the best of `runs`). */
static double time_wrap(const char *s, size_t max_lines, int runs)
{
	double best = 1e9;
	size_t n = strlen(s);

	for (int r = 0; r < runs; r++) {
		double t0 = now_s();
		size_t off = 0, lines = 0;
		while (off < n && lines < max_lines) {
			size_t next;
			text_wrap_next(s + off, n - off, 60, &next);
			off += next;
			lines++;
		}
		double t = now_s() - t0;
		best = t < best ? t : best;
	}
	return best;
}

/* Wrapping is linear in the text's length: 8 times the text takes about 8
 * times as long, where a quadratic wrapper takes 64 times. The two sizes
 * are timed in turns and the best of each kept, so a busy machine slows
 * both; the bound of 32 sits halfway to quadratic. */
static void test_wrap_linear(void **state)
{
	(void)state;
	char *small = cyrillic_notes(512 * 1024), *big = cyrillic_notes(4 * 1024 * 1024);
	double ts = 1e9, tb = 1e9;

	for (int round = 0; round < 5; round++) {
		double s = time_wrap(small, SIZE_MAX, 2), b = time_wrap(big, SIZE_MAX, 1);
		ts = s < ts ? s : ts;
		tb = b < tb ? b : tb;
	}
	if (tb > 32 * ts)
		fail_msg("4 MB took %.1f ms, 512 KB %.1f ms (%.1fx)", tb * 1e3, ts * 1e3, tb / ts);
	/* The first screen of a huge text costs what it costs for a small one. */
	double fs = time_wrap(small, 40, 50), fb = time_wrap(big, 40, 50);
	if (fb > 5 * fs + 1e-4)
		fail_msg("first 40 lines: %.3f ms of 4 MB, %.3f ms of 512 KB", fb * 1e3, fs * 1e3);
	free(small);
	free(big);
}

/* ---- Terminal safety ------------------------------------------------------ */

static void test_sanitize_controls(void **state)
{
	(void)state;
	char *s = text_sanitize("Evil\x1b]2;pwned\x07Name\x7f\xc2\x9b", 0);
	assert_string_equal(s, "Evil^[]2;pwned^GName^?\\x9b");
	free(s);
	s = text_sanitize("line one\n\tline two\r", 1);
	assert_string_equal(s, "line one\n\tline two^M");
	free(s);
	s = text_sanitize("a\nb\tc", 0);
	assert_string_equal(s, "a^Jb^Ic");
	free(s);
	s = text_sanitize("Жанар Ахметова, Қызылорда 中文 😀", 1);
	assert_string_equal(s, "Жанар Ахметова, Қызылорда 中文 😀");
	free(s);
	s = text_sanitize(NULL, 0);
	assert_string_equal(s, "");
	free(s);
}

/* D12: the direction controls never reach a terminal raw. */
static void test_sanitize_bidi(void **state)
{
	(void)state;
	static const uint32_t controls[] = {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d,
	    0x202e, 0x2066, 0x2067, 0x2068, 0x2069};

	for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
		struct buf in = {0};
		buf_puts(&in, "Ivan");
		text_put_char(&in, controls[i]);
		buf_puts(&in, "vokhA");
		char want[64];
		snprintf(want, sizeof want, "Ivan<U+%04X>vokhA", (unsigned)controls[i]);
		for (int keep = 0; keep < 2; keep++) {
			char *s = text_sanitize(buf_cstr(&in), keep);
			assert_string_equal(s, want);
			free(s);
		}
		assert_int_equal(text_width(buf_cstr(&in)), 4 + 8 + 5);
		buf_free(&in);
	}
	/* Neighbours that are not direction controls stay as they are. */
	char *s = text_sanitize("a\342\200\251b\342\201\245c\330\233", 0);
	assert_string_equal(s, "a\342\200\251b\342\201\245c\330\233");
	free(s);
	/* Sanitizing twice changes nothing more. */
	char *once = text_sanitize("\xe2\x80\xae\x1b\xff", 0), *twice = text_sanitize(once, 0);
	assert_string_equal(once, "<U+202E>^[\xef\xbf\xbd");
	assert_string_equal(once, twice);
	free(once);
	free(twice);
}

/* ---- Time stamps ---------------------------------------------------------- */

static void test_time(void **state)
{
	(void)state;
	char b[TEXT_TIME_MAX];

	assert_string_equal(text_time(b, 0, TEXT_TIME_UTC), "1970-01-01T00:00:00Z");
	assert_string_equal(text_time(b, 1619856000, TEXT_TIME_UTC), "2021-05-01T08:00:00Z");
	setenv("TZ", "UTC-5", 1); /* five hours east, as Almaty */
	tzset();
	assert_string_equal(text_time(b, 1619856000, TEXT_TIME_LOCAL), "2021-05-01 13:00");
	unsetenv("TZ");
	tzset();
	/* Beyond what the C library converts: the number of seconds. */
	assert_string_equal(text_time(b, INT64_MAX, TEXT_TIME_UTC), "9223372036854775807");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_valid),
	    cmocka_unit_test(test_decode_invalid),
	    cmocka_unit_test(test_encode_round_trip),
	    cmocka_unit_test(test_decode_matches_icu),
	    cmocka_unit_test(test_incomplete_tail),
	    cmocka_unit_test(test_width),
	    cmocka_unit_test(test_non_utf8_locale),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_fit_ellipsis_every_width),
	    cmocka_unit_test(test_wrap_long_words),
	    cmocka_unit_test(test_wrap_rules),
	    cmocka_unit_test(test_wrap_linear),
	    cmocka_unit_test(test_sanitize_controls),
	    cmocka_unit_test(test_sanitize_bidi),
	    cmocka_unit_test(test_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
