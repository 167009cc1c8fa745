/* test_wline.c — the TUI's line editor (struct wline): text in and out as
 * UTF-8, every editing key, and random key sequences against a plain model
 * of the same edits. No terminal is needed: the editing functions never
 * touch curses. */
#include "unit.h"

#include <wchar.h>

#include "tui/tui.h"

#define BS KF(KEY_BACKSPACE)
#define DEL KF(KEY_DC)

static void keys(struct wline *l, const int *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wline_key(l, k[i]);
}

/* The text of l as UTF-8, compared with want. */
static void assert_text(const struct wline *l, const char *want)
{
	char *s = wline_utf8(l);
	assert_string_equal(s, want);
	free(s);
}

static void test_set_and_read_back(void **state)
{
	(void)state;
	struct wline l = {0};
	const char *texts[] = {"", "Иван Петров", "Айгерім Сәрсенқызы", "王小明 Zoë", "a\tb",
	    "😀 emoji", "Алматы, ул. Абая 1"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		wline_set(&l, texts[i]);
		assert_text(&l, texts[i]);
		assert_int_equal(l.cur, l.len);
		assert_int_equal(l.len, mbstowcs(NULL, texts[i], 0));
	}
	free(l.s);
}

static void test_invalid_bytes_become_replacement(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l,
	    "a\xff"
	    "b\xd0");
	assert_int_equal(l.len, 4);
	assert_int_equal(l.s[1], 0xfffd);
	assert_int_equal(l.s[3], 0xfffd);
	assert_text(&l,
	    "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd");
	free(l.s);
}

static void test_insert_in_the_middle(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l, "Алмты");
	int k[] = {KF(KEY_LEFT), KF(KEY_LEFT)};
	keys(&l, k, 2);
	assert_int_equal(l.cur, 3);
	assert_true(wline_key(&l, L'а'));
	assert_text(&l, "Алматы");
	assert_int_equal(l.cur, 4);
	/* Home (and ^A), then a character goes first; End, then last. */
	assert_false(wline_key(&l, KF(KEY_HOME)));
	assert_int_equal(l.cur, 0);
	assert_true(wline_key(&l, L'г'));
	assert_false(wline_key(&l, KF(KEY_END)));
	assert_true(wline_key(&l, L'!'));
	assert_text(&l, "гАлматы!");
	assert_false(wline_key(&l, 1));
	assert_int_equal(l.cur, 0);
	free(l.s);
}

static void test_cursor_stops_at_the_ends(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l, "ab");
	assert_false(wline_key(&l, KF(KEY_RIGHT)));
	assert_int_equal(l.cur, 2);
	int k[] = {KF(KEY_LEFT), KF(KEY_LEFT), KF(KEY_LEFT)};
	keys(&l, k, 3);
	assert_int_equal(l.cur, 0);
	assert_text(&l, "ab");
	free(l.s);
}

static void test_backspace(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l, "Қазақ");
	assert_true(wline_key(&l, BS));
	assert_text(&l, "Қаза");
	assert_true(wline_key(&l, 127));
	assert_true(wline_key(&l, 8));
	assert_text(&l, "Қа");
	assert_int_equal(l.cur, 2);
	wline_key(&l, KF(KEY_HOME));
	assert_false(wline_key(&l, BS));
	assert_text(&l, "Қа");
	assert_int_equal(l.cur, 0);
	free(l.s);
}

static void test_delete(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l, "abc");
	assert_false(wline_key(&l, DEL));
	assert_false(wline_key(&l, 4));
	wline_key(&l, KF(KEY_HOME));
	assert_true(wline_key(&l, DEL));
	assert_text(&l, "bc");
	assert_true(wline_key(&l, 4));
	assert_text(&l, "c");
	assert_int_equal(l.cur, 0);
	free(l.s);
}

static void test_kill_to_start(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l, "city:Алматы name:Иван");
	for (int i = 0; i < 9; i++)
		wline_key(&l, KF(KEY_LEFT));
	assert_true(wline_key(&l, 21));
	assert_text(&l, "name:Иван");
	assert_int_equal(l.cur, 0);
	assert_false(wline_key(&l, 21));
	assert_text(&l, "name:Иван");
	free(l.s);
}

static void test_keys_that_are_not_text(void **state)
{
	(void)state;
	struct wline l = {0};
	wline_set(&l, "x");
	int k[] = {27, '\n', '\r', '\t', 0x7f - 0x60, KF(KEY_F(1)), KF(KEY_UP), KF(KEY_RESIZE),
	    0x85};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		assert_false(wline_key(&l, k[i]));
	assert_text(&l, "x");
	assert_int_equal(l.cur, 1);
	free(l.s);
}

static void test_long_line_grows(void **state)
{
	(void)state;
	struct wline l = {0};
	char want[4 * 2000 + 1];
	size_t n = 0;
	wline_set(&l, "");
	for (int i = 0; i < 2000; i++) {
		assert_true(wline_key(&l, i % 2 ? L'ж' : L'z'));
		n += (size_t)wctomb(want + n, i % 2 ? L'ж' : L'z');
	}
	want[n] = '\0';
	assert_int_equal(l.len, 2000);
	assert_text(&l, want);
	free(l.s);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	return (unsigned)(unit_xorshift(&rng) % n);
}

/* Random keys on a wline and on a plain array edited the obvious way: the
 * two agree after every key, and wline_key says "changed" exactly when the
 * text changed. */
static void test_random_edits_match_a_model(void **state)
{
	(void)state;
	static const int pool[] = {KF(KEY_LEFT), KF(KEY_RIGHT), KF(KEY_HOME), KF(KEY_END), 1, BS,
	    127, 8, DEL, 4, 21, 'a', L'я', L'Ә', L'中', ' ', 27, KF(KEY_F(2))};
	for (int round = 0; round < 200; round++) {
		wchar_t model[512];
		size_t len = 0, cur = 0;
		struct wline l = {0};
		wline_set(&l, "");
		for (int step = 0; step < 300; step++) {
			int k = pool[rnd(sizeof pool / sizeof *pool)];
			wchar_t before[512];
			size_t blen = len;
			wmemcpy(before, model, len);
			if (k == KF(KEY_LEFT)) {
				cur -= cur > 0;
			} else if (k == KF(KEY_RIGHT)) {
				cur += cur < len;
			} else if (k == KF(KEY_HOME) || k == 1) {
				cur = 0;
			} else if (k == KF(KEY_END)) {
				cur = len;
			} else if (k == BS || k == 127 || k == 8) {
				if (cur > 0) {
					wmemmove(model + cur - 1, model + cur, len - cur);
					cur--;
					len--;
				}
			} else if (k == DEL || k == 4) {
				if (cur < len) {
					wmemmove(model + cur, model + cur + 1, len - cur - 1);
					len--;
				}
			} else if (k == 21) {
				wmemmove(model, model + cur, len - cur);
				len -= cur;
				cur = 0;
			} else if (k >= 0x20 && !(k & 0x40000000) && len < 500) {
				wmemmove(model + cur + 1, model + cur, len - cur);
				model[cur++] = (wchar_t)k;
				len++;
			} else if (k >= 0x20 && !(k & 0x40000000)) {
				continue; /* the model is full: skip the key on both */
			}
			bool changed = wline_key(&l, k);
			assert_int_equal(l.len, len);
			assert_int_equal(l.cur, cur);
			assert_true(wmemcmp(l.s, model, len) == 0);
			assert_int_equal(l.s[l.len], 0);
			assert_int_equal(changed, blen != len || wmemcmp(before, model, len) != 0);
		}
		free(l.s);
	}
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_set_and_read_back),
	    cmocka_unit_test(test_invalid_bytes_become_replacement),
	    cmocka_unit_test(test_insert_in_the_middle),
	    cmocka_unit_test(test_cursor_stops_at_the_ends),
	    cmocka_unit_test(test_backspace),
	    cmocka_unit_test(test_delete),
	    cmocka_unit_test(test_kill_to_start),
	    cmocka_unit_test(test_keys_that_are_not_text),
	    cmocka_unit_test(test_long_line_grows),
	    cmocka_unit_test(test_random_edits_match_a_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
