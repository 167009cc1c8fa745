/* test_place.c — places through the gazetteer with the key casebook uses
 * (the skeleton of the name): the shipped file loads under it with no name
 * of two places it does not flag, Latin spellings no row lists resolve,
 * a case's city and region give the keys the filters look up, and facet
 * labels follow the language of place names. */
#include "unit.h"

#include "case.h"
#include "gazetteer.h"
#include "index_key.h"
#include "place.h"
#include "util.h"

static struct gazetteer *shipped;

static int load_shipped(void **state)
{
	struct cb_err err = {0};
	struct gazetteer_keyer keyer = {place_key_fn, NULL};
	const char *path =
	    access("data/places.tsv", R_OK) == 0 ? "data/places.tsv" : "../data/places.tsv";

	(void)state;
	/* The loader refuses a name of two places unless both rows say
	 * shared: under the skeleton key too. */
	if (gazetteer_load(path, &keyer, &shipped, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	place_use(shipped, "test");
	return 0;
}

static int free_shipped(void **state)
{
	(void)state;
	place_use(NULL, NULL);
	gazetteer_free(shipped);
	shipped = NULL;
	return 0;
}

static const char *id_of(const char *name)
{
	size_t p[4];
	size_t n = place_resolve(name, false, p, 4);
	if (n != 1)
		fail_msg("\"%s\" names %zu places, want 1", name, n);
	return gazetteer_id(shipped, p[0]);
}

/* Spellings a romanisation rule derives, listed in no row. */
static void test_latin_spellings(void **state)
{
	static const char *const pairs[][2] = {
	    {"Qyzylorda", "kyzylorda"},
	    {"Kyzylorda", "kyzylorda"},
	    {"Кызылорда", "kyzylorda"},
	    {"Қызылорда", "kyzylorda"},
	    {"Aqtobe", "aktobe"},
	    {"Aktyubinsk", "aktobe"},
	    {"Zaysan", "zaisan"},
	    {"Janaozen", "zhanaozen"},
	    {"Жанаозен", "zhanaozen"},
	    {"Zhanaozen", "zhanaozen"},
	    {"Uralsk", "oral"},
	    {"Орал", "oral"},
	    {"Уральск", "oral"},
	    {"ОРАЛ", "oral"},
	    {"Усть-Каменогорск", "oskemen"},
	    {"усть каменогорск", "oskemen"},
	    {"Öskemen", "oskemen"},
	    {"Şymkent", "shymkent"},
	    {"Alma-Ata", "almaty"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (strcmp(id_of(pairs[i][0]), pairs[i][1]) != 0)
			fail_msg("%s is %s, want %s", pairs[i][0], id_of(pairs[i][0]), pairs[i][1]);
}

/* Every name of the West Kazakhstan Region names it, and only it. */
static void test_region_names(void **state)
{
	static const char *const names[] = {"West Kazakhstan Region", "Батыс Қазақстан облысы",
	    "Западно-Казахстанская область", "ЗКО"};
	size_t r[4];

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(place_resolve(names[i], true, r, 4), 1);
		assert_string_equal(gazetteer_id(shipped, r[0]), "west-kazakhstan-region");
	}
	/* A town is not a region. */
	assert_int_equal(place_resolve("Уральск", true, r, 4), 0);
}

/* A shared name: the region tells the places apart, the bracketed label
 * names one, and a case that does not say gets the key of both. */
static void test_shared_name(void **state)
{
	size_t p[4];

	(void)state;
	assert_int_equal(place_resolve("Аксу", false, p, 4), 2);
	assert_int_equal(place_of_city("Аксу", NULL), GAZETTEER_NONE);
	size_t pav = place_of_city("Aksu", "Павлодарская область");
	assert_int_not_equal(pav, GAZETTEER_NONE);
	assert_string_equal(gazetteer_id(shipped, pav), "aksu-pavlodar");
	char *label = place_label(pav);
	assert_string_equal(label, "Аксу (Павлодарская область)");
	assert_int_equal(place_resolve(label, false, p, 4), 1);
	assert_int_equal(p[0], pav);
	free(label);

	struct case_record a, b;
	struct strlist ka = {0}, kb = {0}, want = {0};
	bool clipped;
	case_init(&a);
	case_init(&b);
	a.city = xstrdup("Аксу");
	b.city = xstrdup("Ақсу");
	index_case_keys(&a, IDX_CITY, &ka);
	index_case_keys(&b, IDX_CITY, &kb);
	assert_int_equal(ka.n, 1);
	assert_string_equal(ka.items[0], kb.items[0]);
	assert_int_equal(place_key_place(ka.items[0], strlen(ka.items[0])), GAZETTEER_NONE);
	/* city:Aksu looks up that key besides both places'. */
	index_filter_keys(IDX_CITY, "Aksu", &want, &clipped);
	bool found = false;
	for (size_t i = 0; i < want.n; i++)
		found |= strcmp(want.items[i], ka.items[0]) == 0;
	assert_true(found);
	assert_true(index_case_matches(&a, IDX_CITY, "Aksu"));
	assert_false(index_case_matches(&a, IDX_CITY, "Аксу (Павлодарская область)"));
	strlist_free(&ka);
	strlist_free(&kb);
	strlist_free(&want);
	case_free(&a);
	case_free(&b);
}

/* A case's keys: one per place however spelt; an empty region takes the
 * city's; an unknown town keeps its folded text. */
static void test_case_keys(void **state)
{
	static const char *const spellings[] = {"Орал", "Уральск", "Uralsk", "oral"};
	struct strlist first = {0};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		struct case_record c;
		struct strlist city = {0}, region = {0};
		case_init(&c);
		c.city = xstrdup(spellings[i]);
		index_case_keys(&c, IDX_CITY, &city);
		index_case_keys(&c, IDX_REGION, &region);
		assert_int_equal(city.n, 1);
		assert_int_equal(region.n, 1);
		assert_string_equal(gazetteer_id(shipped,
		                        place_key_place(city.items[0], strlen(city.items[0]))),
		    "oral");
		assert_string_equal(gazetteer_id(shipped,
		                        place_key_place(region.items[0], strlen(region.items[0]))),
		    "west-kazakhstan-region");
		if (i == 0)
			strlist_add(&first, city.items[0]);
		else
			assert_string_equal(first.items[0], city.items[0]);
		assert_true(index_case_matches(&c, IDX_REGION, "Батыс Қазақстан облысы"));
		assert_false(index_case_matches(&c, IDX_REGION, "Almaty Region"));
		strlist_free(&city);
		strlist_free(&region);
		case_free(&c);
	}
	strlist_free(&first);

	struct case_record v;
	struct strlist keys = {0};
	case_init(&v);
	v.city = xstrdup("Жаңа Ауыл");
	index_case_keys(&v, IDX_CITY, &keys);
	assert_int_equal(keys.n, 1);
	assert_string_equal(keys.items[0], "жаңа ауыл");
	assert_true(index_case_matches(&v, IDX_CITY, "ЖАҢА АУЫЛ"));
	assert_false(index_case_matches(&v, IDX_CITY, "Жана Ауыл2"));
	strlist_free(&keys);
	/* No region key: the city is unknown and the region empty. */
	index_case_keys(&v, IDX_REGION, &keys);
	assert_int_equal(keys.n, 0);
	strlist_free(&keys);
	case_free(&v);
}

/* Labels follow place_names, else the interface language. */
static void test_labels(void **state)
{
	size_t oral = gazetteer_find_id(shipped, "oral");

	(void)state;
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	setenv("LANGUAGE", "kk", 1);
	char *l = place_label(oral);
	assert_string_equal(l, "Орал");
	free(l);
	setenv("LANGUAGE", "en", 1);
	l = place_label(oral);
	assert_string_equal(l, "Уральск"); /* English UI: the Russian name */
	free(l);
	setenv("LANGUAGE", "ru", 1);
	l = place_label(oral);
	assert_string_equal(l, "Уральск");
	free(l);
}

/* Without a gazetteer every value is its folded text, as before places. */
static void test_without_gazetteer(void **state)
{
	struct case_record c;
	struct strlist keys = {0};

	(void)state;
	place_use(NULL, NULL);
	assert_string_equal(place_digest(), "none");
	case_init(&c);
	c.city = xstrdup("Уральск");
	index_case_keys(&c, IDX_CITY, &keys);
	assert_int_equal(keys.n, 1);
	assert_string_equal(keys.items[0], "уральск");
	assert_false(index_case_matches(&c, IDX_CITY, "Орал"));
	strlist_free(&keys);
	case_free(&c);
	place_use(shipped, "test");
	assert_string_equal(place_digest(), "test");
}

/* Type-ahead: any script finds the town, its name in the display
 * language first; the region of a known town fills an empty region. */
static void test_complete(void **state)
{
	size_t out[16];

	(void)state;
	setenv("LANGUAGE", "ru", 1);
	static const char *const typed[] = {"Ура", "Ural", "Ора", "oral", "ОРАЛ"};
	for (size_t i = 0; i < 5; i++) {
		size_t n = place_complete(typed[i], out, 16);
		bool found = false;
		for (size_t j = 0; j < n; j++)
			found |= strcmp(gazetteer_id(shipped, out[j]), "oral") == 0;
		if (!found)
			fail_msg("\"%s\" does not offer Oral", typed[i]);
	}
	/* "Ура" starts the Russian name: Уральск comes before places that
	 * only another name of matches. */
	assert_true(place_complete("Ура", out, 16) >= 1);
	assert_string_equal(gazetteer_id(shipped, out[0]), "oral");
	/* Regions are no cities. */
	size_t n = place_complete("Западно", out, 16);
	for (size_t j = 0; j < n; j++)
		assert_int_not_equal(gazetteer_kind(shipped, out[j]), GAZETTEER_REGION);
	assert_int_equal(place_complete("", out, 16), 0);
	assert_int_equal(place_complete("12345", out, 16), 0);
	assert_string_equal(place_region_of("Uralsk"), "Западно-Казахстанская область");
	assert_string_equal(place_region_of("Алматы"), "Алматы");
	assert_null(place_region_of("Аксу")); /* two towns: the region is not guessed */
	assert_null(place_region_of("Жаңа Ауыл"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_latin_spellings),
	    cmocka_unit_test(test_region_names),
	    cmocka_unit_test(test_shared_name),
	    cmocka_unit_test(test_case_keys),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_complete),
	    cmocka_unit_test(test_without_gazetteer),
	};

	setlocale(LC_ALL, "C.UTF-8");
	/* No settings file of the machine's or the user's may choose the
	 * language of place names. */
	setenv("CASEBOOK_SYSTEM_CONFIG", "/nonexistent/casebook-config", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent/casebook-config-home", 1);
	return cmocka_run_group_tests(tests, load_shipped, free_shipped);
}
