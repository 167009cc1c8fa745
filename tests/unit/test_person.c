/* test_person.c — the linking rule of people across cases, as tables of
 * name-and-birth-year pairs that must be linked, that must only be offered
 * as possible duplicates and that must not match, each with its reason;
 * then identity keys, a person's derived names, repeat marks and totals.
 * The tables are the specification. */
#include "unit.h"

#include "person.h"

struct pair {
	const char *a;
	int year_a;
	const char *b;
	int year_b;
	const char *why;
};

/* Linked automatically: the whole key equal, birth years known and equal. */
static const struct pair must_link[] = {
    {"Жанар Төлегенов", 1990, "TOLEGENOV Zhanar", 1990,
        "Kazakh Cyrillic and passport Latin, order"},
    {"Жанар Төлегенов", 1990, "Janar Tolegenov", 1990, "2021 Kazakh Latin alphabet"},
    {"Жанар Төлегенов", 1990, "Жанар Толегенов", 1990, "Russian keyboard without ө"},
    {"Төлегенов Жанар", 1990, "жанар   төлегенов", 1990, "case and extra spaces"},
    {"Айдар Бауыржанұлы", 1985, "Aidar Baurzhanuly", 1985, "уы is у, ұ is у"},
    {"Джамиля Сериккызы", 1979, "Jamilya SERIKKYZY", 1979, "Дж is J, doubled letters"},
    {"Асель Нурланова", 2001, "Assel Nurlanova", 2001, "doubled s"},
    {"Ерлан Ким", 1970, "Yerlan Kim", 1970, "ye is е"},
    {"Ержан Ахметов Болатович", 1988, "Akhmetov Yerzhan Bolatovich", 1988,
        "three words, any order"},
};

/* Possible duplicates: shown, never linked. */
static const struct pair must_be_candidates[] = {
    {"Жанар Төлегенов", 1990, "TOLEGENOV Zhanar", 0, "birth year missing on one side"},
    {"Жанар Төлегенов", 0, "Жанар Төлегенов", 0, "birth year missing on both sides"},
    {"Жанар Төлегенов", 1990, "Жанар Төлегенов Маратовна", 1990, "an extra patronymic"},
    {"Жанар Төлегенов Маратовна", 1990, "Жанар Төлегенов", 1990, "the same, the other way round"},
    {"Жанар Төлегенов", 1990, "Төлегенов", 1990, "a missing first name"},
    {"Tolegenov", 0, "Zhanar Tolegenov Maratovna", 1990, "a part, a birth year missing"},
    {"Жанар", 1990, "Janar", 1990, "a one-word name is never enough to link"},
};

/* Not the same person as far as the rule can tell. */
static const struct pair must_not_match[] = {
    {"Жанар Төлегенов", 1990, "Жанар Төлегенов", 1991, "known birth years differ"},
    {"Жанар Төлегенов", 1990, "Жанар Ахметова", 1990, "a different surname"},
    {"Жанар Төлегенов", 1990, "Жанара Төлегенова", 1990,
        "different word forms are different words"},
    {"Жанар Төлегенов", 1990, "", 1990, "an unidentified person"},
    {"", 0, "", 0, "two unidentified people"},
    {"Жанар Төлегенов", 1990, "Жанар Маратовна", 1990, "two words shared partly, neither a part"},
    {"Төлегенов", 1990, "Төлегенов Маратовна", 1985, "a part, but birth years differ"},
    {"---", 0, "...", 0, "names without letters"},
};

static enum person_match match_names(const char *a, int ya, const char *b, int yb,
    enum person_reason *why)
{
	char ka[PERSON_KEY_MAX], kb[PERSON_KEY_MAX];
	person_key(a, ka);
	person_key(b, kb);
	return person_match_keys(ka, ya, kb, yb, why);
}

static void run_table(const struct pair *t, size_t n, enum person_match want)
{
	static const char *const names[] = {"different", "possible", "same"};
	for (size_t i = 0; i < n; i++) {
		enum person_reason why;
		enum person_match m = match_names(t[i].a, t[i].year_a, t[i].b, t[i].year_b, &why);
		if (m != want)
			fail_msg("«%s» %d / «%s» %d: %s, expected %s (%s)", t[i].a, t[i].year_a,
			    t[i].b, t[i].year_b, names[m], names[want], t[i].why);
		/* The rule is symmetric. */
		m = match_names(t[i].b, t[i].year_b, t[i].a, t[i].year_a, NULL);
		if (m != want)
			fail_msg("reversed «%s» / «%s»: %s, expected %s (%s)", t[i].b, t[i].a,
			    names[m], names[want], t[i].why);
		if (want == PERSON_POSSIBLE && why == PREASON_NONE)
			fail_msg("«%s» / «%s»: a possible duplicate without a reason", t[i].a,
			    t[i].b);
	}
}

static void test_must_link(void **state)
{
	(void)state;
	run_table(must_link, sizeof must_link / sizeof *must_link, PERSON_SAME);
}

static void test_must_be_candidates(void **state)
{
	(void)state;
	run_table(must_be_candidates, sizeof must_be_candidates / sizeof *must_be_candidates,
	    PERSON_POSSIBLE);
}

static void test_must_not_match(void **state)
{
	(void)state;
	run_table(must_not_match, sizeof must_not_match / sizeof *must_not_match, PERSON_DIFFERENT);
}

static void test_reasons(void **state)
{
	enum person_reason why;
	(void)state;
	match_names("Жанар Төлегенов", 0, "Zhanar Tolegenov", 1990, &why);
	assert_int_equal(why, PREASON_SAME_NAME_NO_YEAR);
	match_names("Жанар Төлегенов", 1990, "Төлегенов", 1990, &why);
	assert_int_equal(why, PREASON_PART_OF_NAME);
	match_names("Жанар", 1990, "Janar", 1990, &why);
	assert_int_equal(why, PREASON_ONE_WORD);
	assert_string_not_equal(person_reason_text(PREASON_PART_OF_NAME), "");
}

static void test_keys(void **state)
{
	char k[PERSON_KEY_MAX];
	(void)state;
	assert_int_equal(person_key("Жанар Төлегенов", k), 2);
	assert_string_equal(k, "janar tolegenov");
	assert_int_equal(person_key("  TOLEGENOV\tZhanar\n", k), 2);
	assert_string_equal(k, "janar tolegenov");
	/* Split at whitespace only: a hyphen joins (rule 5 of the skeleton). */
	assert_int_equal(person_key("Абдул-Азиз Ким", k), 2);
	assert_string_equal(k, "abdulaziz kim");
	/* Punctuation-only words are dropped, a name of them gives "". */
	assert_int_equal(person_key("Ким - Ерлан", k), 2);
	assert_string_equal(k, "erlan kim");
	assert_int_equal(person_key(" -- ", k), 0);
	assert_string_equal(k, "");
	assert_int_equal(person_key(NULL, k), 0);
	/* A no-break space separates words too. */
	assert_int_equal(person_key("Ерлан\xc2\xa0Ким", k), 2);
	/* A very long name is clipped at a word boundary, never mid-word. */
	char longname[4000] = "";
	for (int i = 0; i < 200; i++)
		strcat(longname, i % 2 ? "Абвгд " : "Ежзик ");
	int n = person_key(longname, k);
	assert_true(n > 0);
	assert_true(strlen(k) < PERSON_KEY_MAX);
	assert_true(k[strlen(k) - 1] != ' ');
}

static void fill(struct case_record *c, const char *name, const char *latin, const char *aliases,
    int year, const char *date, const char *measures)
{
	struct cb_err err;
	case_init(c);
	assert_int_equal(case_set_field(c, FIELD_NAME, name, false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_NAME_LATIN, latin, false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_ALIASES, aliases, false, &err), 0);
	c->birth_year = year;
	assert_int_equal(case_set_field(c, FIELD_DATE, date, false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_MEASURES, measures, false, &err), 0);
}

static void test_case_keys_and_lists(void **state)
{
	struct case_record a, b;
	struct strlist ka = {0}, kb = {0};
	(void)state;
	fill(&a, "Жанар Төлегенов", "Zhanar Tolegenov", "Жанара Тулегенова|Zhanar TOLEGENOV", 1990,
	    "", "");
	person_case_keys(&a, &ka);
	/* name and name_latin give one key; the alias a second one. */
	assert_int_equal(ka.n, 2);
	assert_string_equal(ka.items[0], "janar tolegenov");
	assert_string_equal(ka.items[1], "janara tulegenova");
	/* A case is linked through any of its spellings. */
	fill(&b, "Тулегенова Жанара", "", "", 1990, "", "");
	person_case_keys(&b, &kb);
	assert_int_equal(person_match_lists(&ka, 1990, &kb, 1990, NULL), PERSON_SAME);
	assert_int_equal(person_match_lists(&ka, 1990, &kb, 0, NULL), PERSON_POSSIBLE);
	strlist_free(&kb);
	case_free(&b);
	/* An unidentified case has no keys, even with aliases. */
	fill(&b, "", "Zhanar Tolegenov", "Жанар", 1990, "", "");
	person_case_keys(&b, &kb);
	assert_int_equal(kb.n, 0);
	assert_int_equal(person_match_lists(&ka, 1990, &kb, 1990, NULL), PERSON_DIFFERENT);
	strlist_free(&ka);
	strlist_free(&kb);
	case_free(&a);
	case_free(&b);
}

static void test_derive(void **state)
{
	struct case_record c[3];
	struct person_record p;
	(void)state;
	fill(&c[0], "Жанар Төлегенов", "", "", 1990, "2021-05-01", "");
	fill(&c[1], "TOLEGENOV Zhanar", "Zhanar Tolegenov", "Жанар Төлегенов", 0, "2021-06-01", "");
	fill(&c[2], "Janar Tolegenov", "", "", 1990, "2022", "");
	c[0].sex = SEX_F;
	c[2].sex = SEX_F;
	person_record_init(&p);
	person_derive(&p, c, 3);
	/* Every spelling once, first seen first. */
	assert_int_equal(p.names.n, 4);
	assert_string_equal(p.names.items[0], "Жанар Төлегенов");
	assert_string_equal(p.names.items[1], "TOLEGENOV Zhanar");
	assert_string_equal(p.names.items[2], "Zhanar Tolegenov");
	assert_string_equal(p.names.items[3], "Janar Tolegenov");
	assert_int_equal(p.birth_year, 1990);
	assert_int_equal(p.sex, SEX_F);
	assert_int_equal(p.n_cases, 3);
	/* Mixed sexes give unknown; the most common known year wins. */
	c[1].sex = SEX_M;
	c[2].sex = SEX_M;
	c[1].birth_year = 1991;
	c[2].birth_year = 1991;
	person_derive(&p, c, 3);
	assert_int_equal(p.sex, SEX_UNKNOWN);
	assert_int_equal(p.birth_year, 1991);
	person_record_free(&p);
	for (int i = 0; i < 3; i++)
		case_free(&c[i]);
}

static void test_timeline_repeats_and_totals(void **state)
{
	struct case_record *c = calloc(5, sizeof *c);
	struct person_timeline tl;
	(void)state;
	/* Given out of order: the timeline sorts by date. */
	fill(&c[0], "A B", "", "", 1990, "2022-03-01", "admin_arrest:days=15|fine:fine=50 MRP");
	fill(&c[1], "A B", "", "", 1990, "2021-01-10", "detention:days=1|fine:fine=100 MRP");
	fill(&c[2], "A B", "", "", 1990, "2021-05-01",
	    "preventive|admin_arrest:days=10:date=2021-05-03");
	fill(&c[3], "A B", "", "", 1990, "", "warning|fine:fine=20000 KZT");
	fill(&c[4], "A B", "", "", 1990, "2023-06-01", "fine:fine=about 30 MRP");
	for (int i = 0; i < 5; i++)
		c[i].id = (uint64_t)i + 1;
	person_timeline_build(&tl, c, 5, 12);
	assert_int_equal(tl.n, 5);
	/* Undated first, then by date. */
	assert_int_equal(tl.cases[0].id, 4);
	assert_int_equal(tl.cases[1].id, 2);
	assert_int_equal(tl.cases[2].id, 3);
	assert_int_equal(tl.cases[3].id, 1);
	assert_int_equal(tl.cases[4].id, 5);
	/* Undated sanctions are never marked. */
	assert_false(tl.repeat[0][0]);
	assert_false(tl.repeat[0][1]);
	/* The first sanction is not a repeat; a detention never is. */
	assert_false(tl.repeat[1][0]);
	assert_false(tl.repeat[1][1]);
	/* 2021-05-03 follows the fine of 2021-01-10 within 12 months. */
	assert_false(tl.repeat[2][0]);
	assert_true(tl.repeat[2][1]);
	/* 2022-03-01 follows 2021-05-03 within 12 months: both marked. */
	assert_true(tl.repeat[3][0]);
	assert_true(tl.repeat[3][1]);
	/* 2023-06-01 is 15 months after 2022-03-01: not a repeat. */
	assert_false(tl.repeat[4][0]);
	assert_true(person_timeline_case_repeats(&tl, 3));
	assert_false(person_timeline_case_repeats(&tl, 4));
	assert_int_equal(tl.totals.cases, 5);
	assert_int_equal(tl.totals.detention_days, 1);
	assert_int_equal(tl.totals.arrest_days, 25);
	assert_int_equal(tl.totals.arrests, 2);
	assert_int_equal(tl.totals.fines, 4);
	assert_int_equal(tl.totals.repeats, 3);
	assert_string_equal(tl.totals.fine_total, "20000 KZT, 150 MRP, about 30 MRP");
	person_timeline_free(&tl);

	/* A window of 18 months marks the 2023 fine too. */
	c = calloc(2, sizeof *c);
	fill(&c[0], "A B", "", "", 1990, "2022-03-01", "fine:fine=1");
	fill(&c[1], "A B", "", "", 1990, "2023-06-01", "admin_arrest:days=3");
	person_timeline_build(&tl, c, 2, 18);
	assert_true(tl.repeat[1][0]);
	person_timeline_free(&tl);
	c = calloc(2, sizeof *c);
	fill(&c[0], "A B", "", "", 1990, "2022-03-01", "fine:fine=1");
	fill(&c[1], "A B", "", "", 1990, "2023-03-01", "admin_arrest:days=3");
	/* Exactly 12 months later is still within the window. */
	person_timeline_build(&tl, c, 2, 12);
	assert_true(tl.repeat[1][0]);
	person_timeline_free(&tl);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_must_link),
	    cmocka_unit_test(test_must_be_candidates),
	    cmocka_unit_test(test_must_not_match),
	    cmocka_unit_test(test_reasons),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_case_keys_and_lists),
	    cmocka_unit_test(test_derive),
	    cmocka_unit_test(test_timeline_repeats_and_totals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
