/* test_keys.c — the key table's answers to a yes/no question: the Latin and
 * Cyrillic answer keys in both cases, and no layout twin standing in for an
 * answer (the key of y types н, "no", on the Russian layout). Also that the
 * command letters keep their twins, and that the help lists the answers. */
#include "unit.h"

#include "tui/tui.h"

static void test_yes_keys(void **state)
{
	(void)state;
	const int yes[] = {'y', 'Y', L'д', L'Д', L'и', L'И'};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		assert_int_equal(keys_answer(yes[i]), 1);
}

static void test_no_keys(void **state)
{
	(void)state;
	const int no[] = {'n', 'N', 'q', 'Q', 27, L'н', L'Н', L'ж', L'Ж', L'й', L'Й'};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_int_equal(keys_answer(no[i]), 0);
}

/* Keys that answer nothing: other letters, the layout twins of n and y
 * (т, and н is "no" by meaning, tested above), the keys of other actions,
 * function keys. */
static void test_other_keys_answer_nothing(void **state)
{
	(void)state;
	const int other[] = {'j', 'k', 'a', ' ', '\n', L'т', L'о', L'ё', KF(KEY_ENTER),
	    KF(KEY_DOWN), KF(KEY_F(1)), '?'};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		assert_int_equal(keys_answer(other[i]), -1);
	/* A question takes answers only: no global key falls through. */
	assert_int_equal(keys_action(KC_DIALOG, 'j'), ACT_NONE);
	assert_int_equal(keys_action(KC_DIALOG, L'о'), ACT_NONE);
}

/* The commands keep their Cyrillic twins: j is also о, q is also й. */
static void test_command_twins_still_work(void **state)
{
	(void)state;
	assert_int_equal(keys_action(KC_LIST, L'о'), ACT_DOWN);
	assert_int_equal(keys_action(KC_LIST, L'й'), ACT_QUIT);
	assert_int_equal(keys_action(KC_LIST, L'н'), ACT_NONE);
}

/* The help has a section for questions naming the Cyrillic answers. */
static void test_help_lists_the_answers(void **state)
{
	(void)state;
	struct strlist help = {0};
	bool section = false, yes = false, no = false;

	keys_help(&help);
	for (size_t i = 0; i < help.n; i++) {
		const char *line = help.items[i];
		section |= strcmp(line, "Questions (y/n)") == 0;
		yes |= section && strstr(line, "y (д, и)") && strstr(line, "Answer yes");
		no |= section && strstr(line, "n, q, Esc (н, ж, й)") && strstr(line, "Answer no");
	}
	strlist_free(&help);
	assert_true(section);
	assert_true(yes);
	assert_true(no);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_yes_keys),
	    cmocka_unit_test(test_no_keys),
	    cmocka_unit_test(test_other_keys_answer_nothing),
	    cmocka_unit_test(test_command_twins_still_work),
	    cmocka_unit_test(test_help_lists_the_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
