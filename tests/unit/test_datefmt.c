/* test_datefmt.c — local and ISO dates: every accepted form gives the same
 * pdate as its ISO spelling, impossible and ambiguous dates are refused
 * with the exact one-line message (at most 80 columns), ranges split at the
 * right pair of dots, and the display style follows config and language. */
#include "unit.h"

#include "datefmt.h"
#include "text.h"

/* Parses s and checks the result against the canonical ISO text. */
static void expect_date(const char *s, const char *iso)
{
	struct pdate d = {7, 7, 7};
	struct cb_err err = {0};
	char buf[DATEFMT_BUFSZ];

	if (datefmt_parse(s, &d, &err) != 0)
		fail_msg("\"%s\" refused: %s", s, err.msg);
	if (strcmp(pdate_format(d, buf), iso) != 0)
		fail_msg("\"%s\" gave \"%s\", want \"%s\"", s, buf, iso);
}

/* Checks that s is refused with exactly msg, and that msg fits 80 columns. */
static void expect_refused(const char *s, const char *msg)
{
	struct pdate d = {1999, 1, 1};
	struct cb_err err = {0};

	if (datefmt_parse(s, &d, &err) != CB_EINVAL)
		fail_msg("\"%s\" accepted", s);
	assert_int_equal(err.code, CB_EINVAL);
	assert_string_equal(err.msg, msg);
	if (text_width(err.msg) > 80)
		fail_msg("message for \"%s\" is %zu columns: %s", s, text_width(err.msg), err.msg);
	/* A refused date leaves the output as it was. */
	assert_int_equal(d.year, 1999);
}

static void test_local_forms(void **state)
{
	(void)state;
	expect_date("01.05.2021", "2021-05-01");
	expect_date("1.5.2021", "2021-05-01");
	expect_date("01.5.2021", "2021-05-01");
	expect_date("1.05.2021", "2021-05-01");
	expect_date("31.12.1999", "1999-12-31");
	expect_date("05.2021", "2021-05");
	expect_date("5.2021", "2021-05");
	expect_date("2021", "2021");
	expect_date("1000", "1000");
	expect_date("9999", "9999");
}

static void test_iso_forms(void **state)
{
	(void)state;
	expect_date("2021-05-01", "2021-05-01");
	expect_date("2021-05", "2021-05");
	expect_date("2021-12-31", "2021-12-31");
}

static void test_whitespace_and_year_marks(void **state)
{
	(void)state;
	expect_date("  01.05.2021\t", "2021-05-01");
	expect_date("\xc2\xa0"
	            "2021-05-01\xc2\xa0",
	    "2021-05-01"); /* no-break spaces */
	expect_date("01.05.2021 г.", "2021-05-01");
	expect_date("2021г.", "2021");
	expect_date("2021 ж.", "2021");
	expect_date("05.2021 г", "2021-05");
	expect_date("", "");
	expect_date("   ", "");
	expect_date(NULL, "");
	/* Spaces inside a date are not a form anyone means. */
	expect_refused("01. 05.2021",
	    "bad date \"01. 05.2021\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	/* A year mark alone is not a date. */
	expect_refused("г.", "bad date \"г.\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
}

static void test_leap_years(void **state)
{
	(void)state;
	expect_date("29.02.2020", "2020-02-29");
	expect_date("29.02.2000", "2000-02-29");
	expect_date("2024-02-29", "2024-02-29");
	expect_refused("29.02.2021",
	    "bad date \"29.02.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("29.02.1900",
	    "bad date \"29.02.1900\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("2100-02-29",
	    "bad date \"2100-02-29\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
}

static void test_impossible_dates(void **state)
{
	(void)state;
	expect_refused("31.02.2021",
	    "bad date \"31.02.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("31.04.2021",
	    "bad date \"31.04.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("00.05.2021",
	    "bad date \"00.05.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("01.13.2021",
	    "bad date \"01.13.2021\": no such month (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("13.2021", "bad date \"13.2021\": no such month (use MM.YYYY or YYYY-MM)");
	expect_refused("00.2021", "bad date \"00.2021\": no such month (use MM.YYYY or YYYY-MM)");
	expect_refused("2021-00", "bad date \"2021-00\": no such month (use MM.YYYY or YYYY-MM)");
	expect_refused("2021-05-00",
	    "bad date \"2021-05-00\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("2021-02-30",
	    "bad date \"2021-02-30\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("01.05.0999",
	    "bad date \"01.05.0999\": year out of range (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("0000",
	    "bad date \"0000\": year out of range (use DD.MM.YYYY or YYYY-MM-DD)");
}

static void test_short_years_and_ambiguous_forms(void **state)
{
	(void)state;
	expect_refused("01.05.21",
	    "bad date \"01.05.21\": year needs 4 digits (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("1.5.21",
	    "bad date \"1.5.21\": year needs 4 digits (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("05.21", "bad date \"05.21\": year needs 4 digits (use MM.YYYY or YYYY-MM)");
	expect_refused("21", "bad date \"21\": year needs 4 digits (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("05/01/2021",
	    "bad date \"05/01/2021\": day or month first? (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("2021.05.01",
	    "bad date \"2021.05.01\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("01-05-2021",
	    "bad date \"01-05-2021\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("2021-5-1",
	    "bad date \"2021-5-1\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("01.05-2021",
	    "bad date \"01.05-2021\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("01.05.2021.",
	    "bad date \"01.05.2021.\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("001.05.2021",
	    "bad date \"001.05.2021\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("1 мая 2021",
	    "bad date \"1 мая 2021\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("20210501",
	    "bad date \"20210501\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
}

static void test_long_input_is_cut_to_fit(void **state)
{
	(void)state;
	/* Fifteen columns are quoted whole; longer text is cut to fourteen and
	 * an ellipsis. */
	expect_refused("первое мая две тысячи двадцать первого",
	    "bad date \"первое мая две…\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("31.02.2021\x1b[2J",
	    "bad date \"31.02.2021^[[2J\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_refused("31.02.2021\x1b[2JX",
	    "bad date \"31.02.2021^[[2…\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
}

/* Parses a range and checks both ends' ISO text. */
static void expect_range(const char *s, const char *lo, const char *hi)
{
	struct pdate a, b;
	struct cb_err err = {0};
	char x[DATEFMT_BUFSZ], y[DATEFMT_BUFSZ];
	int rc = datefmt_parse_range(s, &a, &b, &err);

	if (rc != 1)
		fail_msg("range \"%s\": rc %d: %s", s, rc, err.msg);
	assert_string_equal(pdate_format(a, x), lo);
	assert_string_equal(pdate_format(b, y), hi);
}

static void expect_bad_range(const char *s, const char *msg)
{
	struct pdate a, b;
	struct cb_err err = {0};

	assert_int_equal(datefmt_parse_range(s, &a, &b, &err), CB_EINVAL);
	assert_string_equal(err.msg, msg);
	assert_true(text_width(err.msg) <= 80);
}

static void test_ranges(void **state)
{
	struct pdate a = {0}, b = {0};
	(void)state;

	expect_range("01.05.2021..31.05.2021", "2021-05-01", "2021-05-31");
	expect_range("1.5.2021..2021-05-31", "2021-05-01", "2021-05-31");
	expect_range("05.2021..06.2021", "2021-05", "2021-06");
	expect_range("2021..2022", "2021", "2022");
	expect_range("01.05.2021..", "2021-05-01", "");
	expect_range("..31.05.2021", "", "2021-05-31");
	expect_range(" 01.05.2021 .. 31.05.2021 ", "2021-05-01", "2021-05-31");
	/* Three dots: the one cut that leaves two dates is taken. */
	expect_range("2021 г...2022", "2021", "2022");
	/* A day inside the month it starts: the range is not reversed. */
	expect_range("05.2021..01.05.2021", "2021-05", "2021-05-01");
	/* Not a range at all: the caller parses one date. */
	assert_int_equal(datefmt_parse_range("01.05.2021", &a, &b, NULL), 0);
	assert_int_equal(datefmt_parse_range("", &a, &b, NULL), 0);

	expect_bad_range("2021...2022",
	    "bad date \".2022\": not a date (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_bad_range("..", "bad date range \"..\" (use A..B, A.. or ..B)");
	expect_bad_range("31.05.2021..01.05.2021",
	    "date range \"31.05.2021..01.05.2021\" ends before it starts");
	expect_bad_range("01.05.2021..31.02.2021",
	    "bad date \"31.02.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	expect_bad_range("01.05.21..31.05.2021",
	    "bad date \"01.05.21\": year needs 4 digits (use DD.MM.YYYY or YYYY-MM-DD)");
}

static void test_format(void **state)
{
	char buf[DATEFMT_BUFSZ];
	(void)state;

	struct pdate full = {2021, 5, 1}, month = {2021, 5, 0}, year = {2021, 0, 0},
	             none = {0, 0, 0};
	assert_string_equal(datefmt_format(full, DATEFMT_LOCAL, buf), "01.05.2021");
	assert_string_equal(datefmt_format(month, DATEFMT_LOCAL, buf), "05.2021");
	assert_string_equal(datefmt_format(year, DATEFMT_LOCAL, buf), "2021");
	assert_string_equal(datefmt_format(none, DATEFMT_LOCAL, buf), "");
	assert_string_equal(datefmt_format(full, DATEFMT_ISO, buf), "2021-05-01");
	assert_string_equal(datefmt_format(month, DATEFMT_ISO, buf), "2021-05");
	assert_string_equal(datefmt_format(none, DATEFMT_ISO, buf), "");

	/* What is shown in either style is read back as the same date. */
	static const char *const iso[] = {"2021-05-01", "2020-02-29", "1999-12", "2021",
	    "1000-01-01"};
	for (size_t i = 0; i < sizeof iso / sizeof iso[0]; i++) {
		struct pdate d, back;
		char iso_back[DATEFMT_BUFSZ];
		assert_int_equal(pdate_parse(iso[i], &d, NULL), 0);
		for (int st = DATEFMT_ISO; st <= DATEFMT_LOCAL; st++) {
			assert_int_equal(datefmt_parse(datefmt_format(d, st, buf), &back, NULL), 0);
			assert_string_equal(pdate_format(back, iso_back), iso[i]);
		}
	}
}

static void test_style_choice(void **state)
{
	enum datefmt_style st;
	struct cb_err err = {0};
	(void)state;

	static const struct {
		const char *conf, *lang;
		enum datefmt_style want;
	} cases[] = {
	    {NULL, "ru", DATEFMT_LOCAL},
	    {"auto", "kk", DATEFMT_LOCAL},
	    {"", "ru_RU.UTF-8", DATEFMT_LOCAL},
	    {"AUTO", "kk_KZ", DATEFMT_LOCAL},
	    {NULL, "en", DATEFMT_ISO},
	    {NULL, "en_US.UTF-8", DATEFMT_ISO},
	    {NULL, "C", DATEFMT_ISO},
	    {NULL, "rus", DATEFMT_ISO},
	    {"iso", "ru", DATEFMT_ISO},
	    {"local", "en", DATEFMT_LOCAL},
	    {"Local", "C", DATEFMT_LOCAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(datefmt_style_choose(cases[i].conf, cases[i].lang, &st, &err), 0);
		if (st != cases[i].want)
			fail_msg("date_format=%s language=%s: got style %d", cases[i].conf,
			    cases[i].lang, st);
	}
	/* No language given: the LC_MESSAGES locale decides (C.UTF-8 here). */
	assert_int_equal(datefmt_style_choose(NULL, NULL, &st, &err), 0);
	assert_int_equal(st, DATEFMT_ISO);

	st = DATEFMT_LOCAL;
	assert_int_equal(datefmt_style_choose("dd.mm.yyyy", "ru", &st, &err), CB_EINVAL);
	assert_string_equal(err.msg, "bad date_format \"dd.mm.yyyy\" (use iso, local or auto)");
	assert_int_equal(st, DATEFMT_ISO);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_local_forms),
	    cmocka_unit_test(test_iso_forms),
	    cmocka_unit_test(test_whitespace_and_year_marks),
	    cmocka_unit_test(test_leap_years),
	    cmocka_unit_test(test_impossible_dates),
	    cmocka_unit_test(test_short_years_and_ambiguous_forms),
	    cmocka_unit_test(test_long_input_is_cut_to_fit),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_style_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
