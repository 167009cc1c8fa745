/* test_report.c — the bulletin regenerated from the demo data: every figure
 * of the founding bulletin, and who may be named. */
#include "unit.h"

#include "case.h"
#include "csvio.h"
#include "gazetteer.h"
#include "report.h"
#include "util.h"

static struct csvio_batch demo;
static struct report rep;

static int load_demo(void **state)
{
	(void)state;
	struct cb_err err = {0};
	FILE *f = fopen("examples/demo.csv", "r");

	if (!f)
		f = fopen("../examples/demo.csv", "r");
	if (!f) {
		fprintf(stderr, "examples/demo.csv not found (run from the top of the tree)\n");
		return -1;
	}
	csvio_batch_init(&demo);
	int rc = csvio_read(f, "demo.csv", NULL, &demo, &err);
	fclose(f);
	if (rc != 0) {
		for (size_t i = 0; i < demo.errors.n; i++)
			fprintf(stderr, "demo.csv: %s\n", demo.errors.items[i]);
		return -1;
	}
	report_init(&rep);
	for (size_t i = 0; i < demo.n; i++)
		report_add(&rep, &demo.rows[i].c);
	report_finish(&rep);
	return 0;
}

static int free_demo(void **state)
{
	(void)state;
	report_free(&rep);
	csvio_batch_free(&demo);
	return 0;
}

static const struct report_event *event(const char *title)
{
	for (size_t i = 0; i < rep.n_events; i++)
		if (strcmp(rep.events[i].title, title) == 0)
			return &rep.events[i];
	fail_msg("no event \"%s\" in the report", title);
	return NULL;
}

/* The group's towns joined with ", " (sorted by the report). */
static bool has_towns(const struct report_group *g, const char *const *want, size_t n)
{
	if (g->towns.n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < g->towns.n && !found; j++)
			found = strcmp(g->towns.items[j], want[i]) == 0;
		if (!found)
			return false;
	}
	return true;
}

static void test_events_in_order(void **state)
{
	(void)state;
	assert_int_equal(rep.n_events, 3);
	assert_string_equal(rep.events[0].title, "2021-04-24 DPK rally");
	assert_string_equal(rep.events[1].title, "2021-04-24 Жер Сатылмасын");
	assert_string_equal(rep.events[2].title, "2021-05-01 DCK rallies");
	assert_int_equal(rep.cases, demo.n);
}

/* 24 April (DPK, Almaty): 1 administrative arrest of 15 days (Shymkent,
 * 26 April), 1 refusal, 1 threat of prosecution. */
static void test_dpk(void **state)
{
	(void)state;
	const struct report_event *e = event("2021-04-24 DPK rally");
	const struct report_group *day = &e->group[REPORT_ON_DAY];
	static const char *const shymkent[] = {"Shymkent"};

	assert_int_equal(e->group[REPORT_REFUSALS].cases, 1);
	assert_int_equal(e->group[REPORT_THREATS].cases, 1);
	assert_int_equal(e->group[REPORT_PREVENTIVE].cases, 0);
	assert_int_equal(day->cases, 1);
	assert_int_equal(day->measures[MEASURE_ADMIN_ARREST], 1);
	assert_int_equal(day->arrest_days, 15);
	assert_true(has_towns(day, shymkent, 1));
	/* The arrest itself was on 26 April. */
	bool found = false;
	for (size_t i = 0; i < demo.n; i++) {
		const struct case_record *c = &demo.rows[i].c;
		if (strcmp(c->event, e->title) == 0 && c->n_measures == 1 &&
		    c->measures[0].type == MEASURE_ADMIN_ARREST) {
			assert_int_equal(c->measures[0].date.month, 4);
			assert_int_equal(c->measures[0].date.day, 26);
			found = true;
		}
	}
	assert_true(found);
	assert_int_equal(e->cases, 3);
}

/* 24 April («Жер Сатылмасын»): 3 refusals (Astana, Uralsk, Zaisan), 19
 * preventive persecutions in 13 cities and localities (including 4
 * administrative arrests), 33 persecutions in 12 towns and localities on
 * the day (including 13 arrests). */
static void test_zher(void **state)
{
	(void)state;
	const struct report_event *e = event("2021-04-24 Жер Сатылмасын");
	static const char *const refused[] = {"Astana", "Uralsk", "Zaisan"};

	assert_int_equal(e->group[REPORT_REFUSALS].cases, 3);
	assert_true(has_towns(&e->group[REPORT_REFUSALS], refused, 3));
	assert_int_equal(e->group[REPORT_PREVENTIVE].cases, 19);
	assert_int_equal(e->group[REPORT_PREVENTIVE].towns.n, 13);
	assert_int_equal(e->group[REPORT_PREVENTIVE].measures[MEASURE_ADMIN_ARREST], 4);
	assert_int_equal(e->group[REPORT_ON_DAY].cases, 33);
	assert_int_equal(e->group[REPORT_ON_DAY].towns.n, 12);
	assert_int_equal(e->group[REPORT_ON_DAY].measures[MEASURE_ADMIN_ARREST], 13);
	assert_int_equal(e->group[REPORT_ON_DAY].measures[MEASURE_DETENTION], 0);
	assert_int_equal(e->group[REPORT_THREATS].cases, 0);
	assert_int_equal(e->n_injured, 0);
}

/* 1 May (DCK): 18 refusals in 11 cities and localities, 53 preventive
 * persecutions in 21 cities and localities (including 14 administrative
 * arrests), 90 persecutions in 20 towns and localities on the day
 * (including 49 detentions, 2 administrative arrests, 2 administrative
 * fines, 2 administrative cases awaiting trial), threats of prosecution in
 * Almaty, Astana, Shymkent and Aktobe region; the three named injured. */
static void test_dck(void **state)
{
	(void)state;
	const struct report_event *e = event("2021-05-01 DCK rallies");
	const struct report_group *day = &e->group[REPORT_ON_DAY];
	static const char *const threats[] = {"Almaty", "Astana", "Shymkent", "Aktobe Region"};

	assert_int_equal(e->group[REPORT_REFUSALS].cases, 18);
	assert_int_equal(e->group[REPORT_REFUSALS].towns.n, 11);
	assert_int_equal(e->group[REPORT_PREVENTIVE].cases, 53);
	assert_int_equal(e->group[REPORT_PREVENTIVE].towns.n, 21);
	assert_int_equal(e->group[REPORT_PREVENTIVE].measures[MEASURE_ADMIN_ARREST], 14);
	assert_int_equal(day->cases, 90);
	assert_int_equal(day->towns.n, 20);
	assert_int_equal(day->measures[MEASURE_DETENTION], 49);
	assert_int_equal(day->measures[MEASURE_ADMIN_ARREST], 2);
	assert_int_equal(day->measures[MEASURE_FINE], 2);
	assert_int_equal(day->measures[MEASURE_ADMIN_CASE], 2);
	assert_int_equal(day->admin_cases_awaiting, 2);
	assert_int_equal(e->group[REPORT_THREATS].cases, 4);
	assert_true(has_towns(&e->group[REPORT_THREATS], threats, 4));

	/* The named injured, with their injuries as the bulletin gives them. */
	assert_int_equal(e->n_injured, 3);
	assert_int_equal(e->unnamed_injured, 0);
	const struct report_injured *p = e->injured;
	assert_string_equal(p[0].name, "Ninagul DZHUMANIYAZOVA");
	assert_int_equal(p[0].n_injuries, 3);
	assert_int_equal(p[0].injuries[0].type, INJURY_STRANGULATION);
	assert_int_equal(p[0].injuries[1].type, INJURY_BRUISE);
	assert_int_equal(p[0].injuries[2].type, INJURY_HEAD_TRAUMA);
	assert_string_equal(p[1].name, "Yerkin KAZIYEV");
	assert_int_equal(p[1].n_injuries, 2);
	assert_int_equal(p[1].injuries[0].type, INJURY_BRUISE);
	assert_int_equal(p[1].injuries[1].type, INJURY_ABRASION);
	assert_string_equal(p[2].name, "Dastan BAZENOV");
	assert_int_equal(p[2].n_injuries, 1);
	assert_int_equal(p[2].injuries[0].type, INJURY_JOINT_INJURY);
	assert_string_equal(p[2].injuries[0].body, "left shoulder");
}

/* Only the three injured carry a name: everybody else is unidentified. */
static void test_demo_names(void **state)
{
	(void)state;
	size_t named = 0;
	for (size_t i = 0; i < demo.n; i++)
		named += !str_empty(demo.rows[i].c.name) || !str_empty(demo.rows[i].c.name_latin);
	assert_int_equal(named, 3);
}

static void test_render(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(report_render(f, &rep, REPORT_TEXT), 0);
	fclose(f);
	assert_non_null(
	    strstr(text, "3 refusals in 3 towns and localities: Astana, Uralsk, Zaisan"));
	assert_non_null(strstr(text,
	    "19 preventive political persecutions in 13 towns and localities "
	    "(including 4 administrative arrests)"));
	assert_non_null(strstr(text,
	    "90 political persecutions on the day in 20 towns and localities "
	    "(including 49 detentions, 2 administrative arrests, 2 administrative "
	    "fines, 2 administrative cases awaiting trial)"));
	assert_non_null(strstr(text, "1 refusal in 1 town or locality: Almaty"));
	assert_non_null(strstr(text, "Dastan BAZENOV (Almaty): joint injury (left shoulder"));
	/* Events in date order. */
	assert_true(strstr(text, "DPK rally") < strstr(text, "DCK rallies"));
	free(text);

	f = open_memstream(&text, &len);
	assert_int_equal(report_render(f, &rep, REPORT_MARKDOWN), 0);
	fclose(f);
	assert_non_null(strstr(text, "## 2021-05-01 DCK rallies"));
	assert_non_null(strstr(text, "**Yerkin KAZIYEV**"));
	free(text);
}

static void make_case(struct case_record *c, const char *name, int conf, const char *measures,
    const char *injuries)
{
	struct cb_err err = {0};

	case_init(c);
	assert_int_equal(case_set_field(c, FIELD_NAME, name, false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_EVENT, "2022-01-05 January", false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_CITY, "Алматы", false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_MEASURES, measures, false, &err), 0);
	assert_int_equal(case_set_field(c, FIELD_INJURIES, injuries, false, &err), 0);
	c->confidentiality = conf;
}

/* Unidentified and restricted people count but are never named; places
 * that differ only in case are one town. */
static void test_never_named(void **state)
{
	(void)state;
	struct report r;
	struct case_record c[4];
	char *text = NULL;
	size_t len = 0;

	make_case(&c[0], "Public Person", CONF_PUBLIC, "detention", "bruise");
	make_case(&c[1], "Secret Person", CONF_RESTRICTED, "detention", "fracture:body=arm");
	make_case(&c[2], "", CONF_PUBLIC, "detention|fine", "burn");
	make_case(&c[3], "Threatened Person", CONF_PUBLIC, "threat", "");
	free(c[3].city);
	c[3].city = xstrdup("АЛМАТЫ");
	report_init(&r);
	for (int i = 0; i < 4; i++)
		report_add(&r, &c[i]);
	report_finish(&r);
	assert_int_equal(r.n_events, 1);
	const struct report_event *e = &r.events[0];
	assert_int_equal(e->group[REPORT_ON_DAY].cases, 3);
	assert_int_equal(e->group[REPORT_ON_DAY].measures[MEASURE_DETENTION], 3);
	assert_int_equal(e->group[REPORT_ON_DAY].measures[MEASURE_FINE], 1);
	assert_int_equal(e->group[REPORT_ON_DAY].towns.n, 1);
	assert_int_equal(e->group[REPORT_THREATS].cases, 1);
	assert_int_equal(e->group[REPORT_THREATS].towns.n, 1);
	assert_int_equal(e->n_injured, 1);
	assert_int_equal(e->unnamed_injured, 2);

	FILE *f = open_memstream(&text, &len);
	report_render(f, &r, REPORT_TEXT);
	fclose(f);
	assert_non_null(strstr(text, "Public Person"));
	assert_null(strstr(text, "Secret Person"));
	assert_null(strstr(text, "Threatened Person"));
	assert_null(strstr(text, "fracture"));
	assert_non_null(strstr(text, "2 more injured people, not named"));
	free(text);
	report_free(&r);
	for (int i = 0; i < 4; i++)
		case_free(&c[i]);
}

static void test_group_rules(void **state)
{
	(void)state;
	struct case_record c;

	make_case(&c, "", CONF_PUBLIC, "preventive|admin_arrest:days=10", "");
	assert_int_equal(report_group_of(&c), REPORT_PREVENTIVE);
	case_free(&c);
	make_case(&c, "", CONF_PUBLIC, "refusal|preventive", "");
	assert_int_equal(report_group_of(&c), REPORT_REFUSALS);
	case_free(&c);
	make_case(&c, "", CONF_PUBLIC, "threat|detention", "");
	assert_int_equal(report_group_of(&c), REPORT_ON_DAY);
	case_free(&c);
	make_case(&c, "", CONF_PUBLIC, "threat", "bruise");
	assert_int_equal(report_group_of(&c), REPORT_ON_DAY);
	case_free(&c);
	make_case(&c, "", CONF_PUBLIC, "", "");
	assert_int_equal(report_group_of(&c), -1);
	case_free(&c);
}

/* Switches the messages to lang from the catalog the build makes
 * (build/locale); skips the test when the build makes none for lang. */
static void messages_in(const char *lang, const char *locale)
{
	char *mo = xasprintf("build/locale/%s/LC_MESSAGES/casebook.mo", lang);
	bool built = access(mo, R_OK) == 0;

	free(mo);
	if (!built)
		skip();
	setenv("LANGUAGE", lang, 1);
	if (!setlocale(LC_ALL, locale))
		fail_msg("the %s locale is missing (make deps)", locale);
	bindtextdomain("casebook", "build/locale");
	textdomain("casebook");
}

/* Russian; fails when the tree has a Russian catalog the build did not make. */
static void russian(void)
{
	if (access("po/ru.po", R_OK) == 0 &&
	    access("build/locale/ru/LC_MESSAGES/casebook.mo", R_OK) != 0)
		fail_msg("po/ru.po is not built into build/locale (make tests)");
	messages_in("ru", "ru_RU.UTF-8");
}

static void english(void)
{
	unsetenv("LANGUAGE");
	setlocale(LC_ALL, "C.UTF-8");
}

static const unsigned long counts[] = {1, 2, 4, 5, 11, 14, 21, 22, 25, 101, 111};
#define N_COUNTS (sizeof counts / sizeof counts[0])

/* One measure's phrase at every count of counts[], against the three
 * Russian forms: one (1, 21, 101), few (2-4, 22), many (5-20, 25, 111). */
static void check_measure(int type, bool awaiting, const char *one, const char *few,
    const char *many)
{
	static const char form[N_COUNTS] = {'1', 'f', 'f', 'm', 'm', 'm', '1', 'f', 'm', '1', 'm'};

	for (size_t i = 0; i < N_COUNTS; i++) {
		char *got = report_measure_phrase(type, counts[i], awaiting);
		char *want = xasprintf("%lu %s", counts[i],
		    form[i] == '1'       ? one
		        : form[i] == 'f' ? few
		                         : many);
		if (strcmp(got, want) != 0)
			fail_msg("n=%lu: \"%s\", wanted \"%s\"", counts[i], got, want);
		free(got);
		free(want);
	}
}

/* «в том числе 49 задержаний, 2 административных ареста, 1
 * административный штраф»: every counted measure agrees with its number. */
static void test_ru_measures(void **state)
{
	(void)state;
	russian();
	check_measure(MEASURE_DETENTION, false, "задержание", "задержания", "задержаний");
	check_measure(MEASURE_ADMIN_ARREST, false, "административный арест",
	    "административных ареста", "административных арестов");
	check_measure(MEASURE_FINE, false, "административный штраф", "административных штрафа",
	    "административных штрафов");
	check_measure(MEASURE_ADMIN_CASE, true, "административное дело, ожидающее суда",
	    "административных дела, ожидающих суда", "административных дел, ожидающих суда");
	check_measure(MEASURE_CRIMINAL_CASE, false, "уголовное дело", "уголовных дела",
	    "уголовных дел");
	check_measure(MEASURE_SEARCH, false, "обыск", "обыска", "обысков");
	english();
}

/* «90 фактов политического преследования в день акции в 20 городах и
 * населённых пунктах»: the count in the nominative, the places in the
 * prepositional, each agreeing with its own number. */
static void test_ru_group_phrase(void **state)
{
	(void)state;
	static const char *const facts[N_COUNTS] = {
	    "факт",
	    "факта",
	    "факта",
	    "фактов",
	    "фактов",
	    "фактов",
	    "факт",
	    "факта",
	    "фактов",
	    "факт",
	    "фактов",
	};
	russian();
	for (size_t i = 0; i < N_COUNTS; i++) {
		unsigned long n = counts[i], m = counts[N_COUNTS - 1 - i];
		bool one = m % 10 == 1 && m % 100 != 11;
		char *got = report_group_phrase(REPORT_ON_DAY, n, m);
		char *want = xasprintf("%lu %s политического преследования в день акции в %lu %s",
		    n, facts[i], m, one ? "населённом пункте" : "городах и населённых пунктах");
		if (strcmp(got, want) != 0)
			fail_msg("n=%lu m=%lu: \"%s\", wanted \"%s\"", n, m, got, want);
		free(got);
		free(want);
	}
	char *s = report_group_phrase(REPORT_REFUSALS, 3, 0);
	assert_string_equal(s, "3 отказа в проведении собраний");
	free(s);
	english();
}

/* Kazakh: the place first («20 қала мен елді мекенде ... 90 саяси
 * қудалау»), the noun singular after every numeral. */
static void test_kk_group_phrase(void **state)
{
	(void)state;
	messages_in("kk", "kk_KZ.UTF-8");
	char *s = report_group_phrase(REPORT_ON_DAY, 90, 20);
	char *one = report_group_phrase(REPORT_ON_DAY, 1, 1);
	char *m = report_measure_phrase(MEASURE_DETENTION, 49, false);
	english();
	assert_string_equal(s, "20 қала мен елді мекенде іс-шара күні 90 саяси қудалау");
	assert_string_equal(one, "1 елді мекенде іс-шара күні 1 саяси қудалау");
	assert_string_equal(m, "49 ұстау");
	free(s);
	free(one);
	free(m);
}

/* n detained people in one town (spelt two ways) of one event. */
static void detained(struct report *r, const struct gazetteer *g, size_t n)
{
	report_init(r);
	report_use_gazetteer(r, g);
	for (size_t i = 0; i < n; i++) {
		struct case_record c;
		make_case(&c, "", CONF_PUBLIC, "detention", "");
		free(c.city);
		c.city = xstrdup(i % 2 ? "Almaty" : "АЛМАТЫ");
		report_add(r, &c);
		case_free(&c);
	}
	report_finish(r);
}

static char *render(const struct report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(report_render(f, r, REPORT_TEXT), 0);
	fclose(f);
	return text;
}

/* With the gazetteer, two spellings of Almaty are one town, named in the
 * bulletin's language (in English its English name, though the first case
 * found spells it АЛМАТЫ);
 * without it they are two, as spelt. */
static void test_towns_by_gazetteer(void **state)
{
	(void)state;
	struct gazetteer *g = NULL;
	struct cb_err err = {0};
	struct report r;
	char *text;

	if (gazetteer_load("data/places.tsv", NULL, &g, &err) != 0)
		fail_msg("%s", err.msg);
	detained(&r, NULL, 2);
	assert_int_equal(r.events[0].group[REPORT_ON_DAY].towns.n, 2);
	report_free(&r);

	detained(&r, g, 21);
	assert_int_equal(r.events[0].group[REPORT_ON_DAY].towns.n, 1);
	text = render(&r);
	assert_non_null(strstr(text, "21 cases\n"));
	assert_non_null(strstr(text,
	    "21 political persecutions on the day in 1 town or locality "
	    "(including 21 detentions): Almaty\n"));
	free(text);
	report_free(&r);
	gazetteer_free(g);
}

/* The same in Russian: the gazetteer's Russian name, the header and every
 * count in its numeral form. */
static void test_ru_towns(void **state)
{
	(void)state;
	struct gazetteer *g = NULL;
	struct cb_err err = {0};
	struct report r;
	char *text;

	russian();
	if (gazetteer_load("data/places.tsv", NULL, &g, &err) != 0)
		fail_msg("%s", err.msg);
	detained(&r, g, 21);
	text = render(&r);
	english();
	assert_non_null(strstr(text, "21 дело\n"));
	assert_non_null(strstr(text,
	    "21 факт политического преследования в день акции в 1 населённом "
	    "пункте (в том числе 21 задержание): Алматы\n"));
	free(text);
	report_free(&r);
	gazetteer_free(g);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events_in_order),
	    cmocka_unit_test(test_dpk),
	    cmocka_unit_test(test_zher),
	    cmocka_unit_test(test_dck),
	    cmocka_unit_test(test_demo_names),
	    cmocka_unit_test(test_render),
	    cmocka_unit_test(test_never_named),
	    cmocka_unit_test(test_group_rules),
	    cmocka_unit_test(test_towns_by_gazetteer),
	    cmocka_unit_test(test_ru_towns),
	    cmocka_unit_test(test_ru_measures),
	    cmocka_unit_test(test_ru_group_phrase),
	    cmocka_unit_test(test_kk_group_phrase),
	};
	return cmocka_run_group_tests(tests, load_demo, free_demo);
}
