/* test_gazetteer.c — the gazetteer: the shipped data/places.tsv loads and
 * holds the facts staff rely on (every spelling of a town is one place,
 * every demo city and region resolves), malformed files are refused with
 * the line named, and near misses get suggestions. */
#include "unit.h"

#include "case.h"
#include "csvio.h"
#include "gazetteer.h"
#include "util.h"

static struct gazetteer *shipped;

/* Opens a repository file from the top of the tree (make check) or from
 * build/ (running the test binary by hand). */
static FILE *open_repo_file(const char *rel)
{
	char path[256];
	FILE *f = fopen(rel, "r");

	if (!f) {
		snprintf(path, sizeof path, "../%s", rel);
		f = fopen(path, "r");
	}
	if (!f)
		fprintf(stderr, "%s not found (run from the top of the tree)\n", rel);
	return f;
}

static int load_shipped(void **state)
{
	struct cb_err err = {0};
	const char *path = "data/places.tsv";

	(void)state;
	if (access(path, R_OK) != 0)
		path = "../data/places.tsv";
	if (gazetteer_load(path, NULL, &shipped, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int free_shipped(void **state)
{
	(void)state;
	gazetteer_free(shipped);
	shipped = NULL;
	return 0;
}

/* The one place a name resolves to; fails the test unless exactly one. */
static size_t one_place(const struct gazetteer *g, const char *name)
{
	size_t out[4];
	size_t n = gazetteer_lookup(g, name, out, 4);

	if (n != 1)
		fail_msg("\"%s\" resolves to %zu places, want 1", name, n);
	return out[0];
}

static size_t place_by_id(const struct gazetteer *g, const char *id)
{
	size_t p = gazetteer_find_id(g, id);
	if (p == GAZETTEER_NONE)
		fail_msg("no place with id %s", id);
	return p;
}

/* ---- The shipped file --------------------------------------------------- */

static void test_shipped_shape(void **state)
{
	size_t kinds[5] = {0};

	(void)state;
	for (size_t p = 0; p < gazetteer_count(shipped); p++) {
		kinds[gazetteer_kind(shipped, p)]++;
		/* The shipped file names every place in all three languages. */
		for (int l = GAZETTEER_KK; l <= GAZETTEER_EN; l++) {
			const char *want[] = {"kk", "ru", "en"};
			size_t n;
			const char *const *names = gazetteer_names(shipped, p, &n);
			int found = 0;
			for (size_t i = 0; i < n; i++)
				found |=
				    strcmp(names[i],
				        gazetteer_name(shipped, p, (enum gazetteer_lang)l)) == 0;
			if (!found)
				fail_msg("%s: its %s name is not among its names",
				    gazetteer_id(shipped, p), want[l]);
		}
		size_t r = gazetteer_region(shipped, p);
		assert_true(gazetteer_is_region(shipped, r));
		/* Every name of a place finds it (and, unless shared, only it). */
		size_t n, found[4];
		const char *const *names = gazetteer_names(shipped, p, &n);
		assert_true(n >= 2);
		for (size_t i = 0; i < n; i++) {
			size_t k = gazetteer_lookup(shipped, names[i], found, 4);
			int self = 0;
			for (size_t j = 0; j < k && j < 4; j++)
				self |= found[j] == p;
			if (!self || k == 0 || k > 2)
				fail_msg("%s: its name \"%s\" finds %zu places, not it",
				    gazetteer_id(shipped, p), names[i], k);
		}
	}
	/* 17 regions since 2022 and three cities of republican significance. */
	assert_int_equal(kinds[GAZETTEER_REGION], 17);
	assert_int_equal(kinds[GAZETTEER_CITY], 3);
	/* Every region centre is listed; there are far more towns than that. */
	assert_true(kinds[GAZETTEER_TOWN] >= 80);
	for (size_t p = 0; p < gazetteer_count(shipped); p++)
		if (gazetteer_kind(shipped, p) == GAZETTEER_CITY)
			assert_true(gazetteer_is_region(shipped, p));
}

static void test_oral_uralsk(void **state)
{
	(void)state;
	size_t oral = one_place(shipped, "Орал");
	assert_string_equal(gazetteer_id(shipped, oral), "oral");
	assert_int_equal(one_place(shipped, "Уральск"), oral);
	assert_int_equal(one_place(shipped, "Uralsk"), oral);
	assert_int_equal(one_place(shipped, "URALSK"), oral);
	assert_int_equal(one_place(shipped, "  oral "), oral);
	assert_int_equal(gazetteer_kind(shipped, oral), GAZETTEER_TOWN);
	assert_string_equal(gazetteer_name(shipped, oral, GAZETTEER_KK), "Орал");
	assert_string_equal(gazetteer_name(shipped, oral, GAZETTEER_RU), "Уральск");
	assert_string_equal(gazetteer_name(shipped, oral, GAZETTEER_EN), "Oral");

	size_t wko = gazetteer_region(shipped, oral);
	assert_string_equal(gazetteer_id(shipped, wko), "west-kazakhstan-region");
	assert_string_equal(gazetteer_name(shipped, wko, GAZETTEER_EN), "West Kazakhstan Region");
	assert_string_equal(gazetteer_name(shipped, wko, GAZETTEER_KK), "Батыс Қазақстан облысы");
	assert_string_equal(gazetteer_name(shipped, wko, GAZETTEER_RU),
	    "Западно-Казахстанская область");
	assert_int_equal(one_place(shipped, "West Kazakhstan Region"), wko);
	assert_int_equal(one_place(shipped, "Батыс Қазақстан облысы"), wko);
	assert_int_equal(one_place(shipped, "западно-казахстанская область"), wko);
	assert_int_equal(one_place(shipped, "ЗКО"), wko);
	assert_true(gazetteer_is_region(shipped, wko));
	assert_false(gazetteer_is_region(shipped, oral));
}

static void test_astana_names(void **state)
{
	static const char *const names[] = {
	    "Астана",
	    "Нур-Султан",
	    "Nur-Sultan",
	    "Astana",
	    "Акмола",
	    "Ақмола",
	    "Целиноград",
	    "nur sultan",
	    "НУР-СУЛТАН",
	};

	(void)state;
	size_t astana = place_by_id(shipped, "astana");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (one_place(shipped, names[i]) != astana)
			fail_msg("\"%s\" is not Astana", names[i]);
	assert_int_equal(gazetteer_kind(shipped, astana), GAZETTEER_CITY);
	assert_int_equal(gazetteer_region(shipped, astana), astana);
	/* The city's former name is not the region's name. */
	assert_int_not_equal(one_place(shipped, "Акмолинская область"), astana);
	assert_string_equal(gazetteer_id(shipped, one_place(shipped, "Akmola Region")),
	    "akmola-region");
}

static void test_almaty_names(void **state)
{
	(void)state;
	size_t almaty = one_place(shipped, "Алматы");
	assert_string_equal(gazetteer_id(shipped, almaty), "almaty");
	assert_int_equal(one_place(shipped, "Алма-Ата"), almaty);
	assert_int_equal(one_place(shipped, "Almaty"), almaty);
	assert_int_equal(one_place(shipped, "Alma-Ata"), almaty);
	assert_int_equal(one_place(shipped, "alma ata"), almaty);
	/* Almaty Region is another place, with its centre in Konaev. */
	size_t region = one_place(shipped, "Almaty Region");
	assert_int_not_equal(region, almaty);
	assert_int_equal(one_place(shipped, "Алматинская область"), region);
	size_t konaev = one_place(shipped, "Капшагай");
	assert_int_equal(one_place(shipped, "Қонаев"), konaev);
	assert_int_equal(gazetteer_region(shipped, konaev), region);
}

/* The 2022 regions: towns carry their current region and the former one. */
static void test_new_regions(void **state)
{
	static const char *const moved[][3] = {
	    {"Семей", "abai-region", "east-kazakhstan-region"},
	    {"Семипалатинск", "abai-region", "east-kazakhstan-region"},
	    {"Талдыкорган", "jetisu-region", "almaty-region"},
	    {"Жезказган", "ulytau-region", "karaganda-region"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++) {
		size_t p = one_place(shipped, moved[i][0]);
		assert_string_equal(gazetteer_id(shipped, gazetteer_region(shipped, p)),
		    moved[i][1]);
		assert_string_equal(gazetteer_id(shipped, gazetteer_former_region(shipped, p)),
		    moved[i][2]);
	}
	assert_int_equal(gazetteer_former_region(shipped, one_place(shipped, "Oral")),
	    GAZETTEER_NONE);
	/* South Kazakhstan Region was renamed Turkistan Region in 2018. */
	assert_string_equal(gazetteer_id(shipped, one_place(shipped, "Южно-Казахстанская область")),
	    "turkistan-region");
	assert_string_equal(gazetteer_id(shipped, one_place(shipped, "ЮКО")), "turkistan-region");
}

/* Two places of one name, marked shared in the file: both come back and
 * their regions tell them apart. */
static void test_shipped_shared_name(void **state)
{
	size_t out[4];

	(void)state;
	assert_int_equal(gazetteer_lookup(shipped, "Аксу", out, 4), 2);
	assert_int_not_equal(gazetteer_region(shipped, out[0]), gazetteer_region(shipped, out[1]));
	/* Yermak was the Pavlodar one's name only. */
	assert_string_equal(gazetteer_id(shipped, one_place(shipped, "Ермак")), "aksu-pavlodar");
}

/* Every city and region of the demo data resolves, and each city lies in
 * the demo's region, or did before the 2022 changes. */
static void test_demo_places_resolve(void **state)
{
	struct csvio_batch demo;
	struct cb_err err = {0};
	FILE *f = open_repo_file("examples/demo.csv");
	size_t cities = 0;

	(void)state;
	assert_non_null(f);
	csvio_batch_init(&demo);
	assert_int_equal(csvio_read(f, "demo.csv", NULL, &demo, &err), 0);
	fclose(f);
	assert_true(demo.n > 100);
	for (size_t i = 0; i < demo.n; i++) {
		const struct case_record *c = &demo.rows[i].c;
		size_t city = GAZETTEER_NONE, region = GAZETTEER_NONE;
		if (!str_empty(c->city)) {
			city = one_place(shipped, c->city);
			assert_int_not_equal(gazetteer_kind(shipped, city), GAZETTEER_REGION);
			cities++;
		}
		if (!str_empty(c->region)) {
			region = one_place(shipped, c->region);
			if (!gazetteer_is_region(shipped, region))
				fail_msg("line %ld: \"%s\" is not a region", demo.rows[i].line,
				    c->region);
		}
		if (city != GAZETTEER_NONE && region != GAZETTEER_NONE &&
		    gazetteer_region(shipped, city) != region &&
		    gazetteer_former_region(shipped, city) != region)
			fail_msg("line %ld: %s does not lie in %s", demo.rows[i].line, c->city,
			    c->region);
	}
	assert_true(cities > 100);
	csvio_batch_free(&demo);
}

static void test_all_names_have_distinct_keys(void **state)
{
	(void)state;
	size_t oral = place_by_id(shipped, "oral"), n;
	const char *const *names = gazetteer_names(shipped, oral, &n);
	const char *want[] = {"Орал", "Уральск", "Oral", "Uralsk"};
	assert_int_equal(n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(names[i], want[i]);
	/* Астана is both the Kazakh and the Russian name: listed once. */
	size_t astana = place_by_id(shipped, "astana");
	names = gazetteer_names(shipped, astana, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(names[i], names[j]);
	assert_string_equal(names[0], "Астана");
	assert_string_equal(names[1], "Astana");
}

/* ---- Nearest names ------------------------------------------------------ */

static void test_nearest(void **state)
{
	struct gazetteer_hit hits[5];

	(void)state;
	size_t n = gazetteer_nearest(shipped, "Almatu", hits, 5);
	assert_true(n >= 1);
	assert_string_equal(gazetteer_id(shipped, hits[0].place), "almaty");
	assert_string_equal(hits[0].name, "Almaty");
	assert_int_equal(hits[0].distance, 1);

	n = gazetteer_nearest(shipped, "Шимкент", hits, 5);
	assert_true(n >= 1);
	assert_string_equal(gazetteer_id(shipped, hits[0].place), "shymkent");
	assert_string_equal(hits[0].name, "Шымкент");

	/* A transposition counts as one edit. */
	n = gazetteer_nearest(shipped, "Pavoldar", hits, 5);
	assert_true(n >= 1);
	assert_string_equal(gazetteer_id(shipped, hits[0].place), "pavlodar");
	assert_int_equal(hits[0].distance, 1);

	/* Hits come nearest first, one per place. */
	n = gazetteer_nearest(shipped, "Аксуу", hits, 5);
	assert_true(n >= 2);
	for (size_t i = 1; i < n; i++) {
		assert_true(hits[i - 1].distance <= hits[i].distance);
		assert_int_not_equal(hits[i - 1].place, hits[i].place);
	}

	/* Nothing is suggested for text that is near no name. */
	assert_int_equal(gazetteer_nearest(shipped, "Qwertyzxcvb", hits, 5), 0);
	assert_int_equal(gazetteer_nearest(shipped, "", hits, 5), 0);
	/* max bounds what is stored. */
	assert_int_equal(gazetteer_nearest(shipped, "Аксуу", hits, 1), 1);
}

/* ---- Malformed files ---------------------------------------------------- */

#define HEADER "id\tkind\tregion\tkk\tru\ten\tformer\tother\tshared\n"
#define REGION_ROW "r\tregion\tr\tР облысы\tР область\tR Region\t\t\t\n"

/* Loads text and expects it refused with a message holding each needle. */
static void expect_refused(const char *text, const char *needle1, const char *needle2)
{
	struct gazetteer *g = (struct gazetteer *)1;
	struct cb_err err = {0};

	int rc = gazetteer_load_mem(text, strlen(text), "t.tsv", NULL, &g, &err);
	if (rc != CB_EINVAL)
		fail_msg("accepted (rc %d) a file that should fail with \"%s\"", rc, needle1);
	assert_null(g);
	if (!strstr(err.msg, needle1) || (needle2 && !strstr(err.msg, needle2)))
		fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.msg, needle1,
		    needle2 ? needle2 : "");
}

static void test_refuses_missing_column(void **state)
{
	(void)state;
	expect_refused("# comment\n" HEADER REGION_ROW "t\ttown\tr\tТ\tТ\tT\t\t\n",
	    "t.tsv: line 4:", "8 columns where the header has 9");
	expect_refused("id\tkind\tregion\tkk\tru\n", "t.tsv: line 1:", "lacks the column \"en\"");
	expect_refused("id\tkind\tregion\tkk\tru\ten\tcolour\n",
	    "line 1, column 7:", "unknown column");
}

static void test_refuses_unknown_region(void **state)
{
	(void)state;
	expect_refused(HEADER REGION_ROW "t\ttown\tnowhere\tТ\tТ\tT\t\t\t\n",
	    "t.tsv: line 3, column 3 (region):", "unknown region \"nowhere\"");
	/* A region must be a region, not a town. */
	expect_refused(HEADER REGION_ROW "t\ttown\tr\tТ\tТ\tT\t\t\t\nu\ttown\tt\tУ\tУ\tU\t\t\t\n",
	    "line 4, column 3 (region):", "\"t\" is a town, not a region");
	/* A region is its own region. */
	expect_refused(HEADER REGION_ROW "s\tregion\tr\tС\tС\tS\t\t\t\n",
	    "line 3, column 3 (region):", "its own region");
	/* Regions may be defined after the rows that name them. */
	const char *later = HEADER "t\ttown\tr\tТ\tТ\tT\t\t\t\n" REGION_ROW;
	struct gazetteer *g;
	struct cb_err err = {0};
	assert_int_equal(gazetteer_load_mem(later, strlen(later), "t.tsv", NULL, &g, &err), 0);
	assert_int_equal(gazetteer_region(g, one_place(g, "T")), one_place(g, "R Region"));
	gazetteer_free(g);
}

static void test_refuses_bad_cells(void **state)
{
	(void)state;
	expect_refused(HEADER REGION_ROW "t\thamlet\tr\tТ\tТ\tT\t\t\t\n",
	    "line 3, column 2 (kind):", "unknown kind \"hamlet\"");
	expect_refused(HEADER REGION_ROW "r\ttown\tr\tТ\tТ\tT\t\t\t\n",
	    "line 3, column 1 (id):", "already used on line 2");
	expect_refused(HEADER REGION_ROW "t\ttown\tr\tТ\tТ\tT\tA||B\t\t\n",
	    "line 3, column 7 (former):", "empty name");
	expect_refused(HEADER REGION_ROW "t\ttown\tr\tТ\tТ|Тэ\tT\t\t\t\n",
	    "line 3, column 5 (ru):", "one name only");
	expect_refused(HEADER REGION_ROW "t\ttown\tr\t\t\t\t\t\t\n",
	    "line 3, column 4 (kk):", "no name");
	expect_refused(HEADER REGION_ROW "t\ttown\tr\tТ\tТ\tT\t\t\tmaybe\n",
	    "line 3, column 9 (shared):", "maybe");
	expect_refused(HEADER REGION_ROW "t\ttown\tr\tТ\t--\tT\t\t\t\n",
	    "line 3, column 5 (ru):", "no letters");
	expect_refused(HEADER REGION_ROW "t\ttown\tr\tТ\t\xff\tT\t\t\t\n",
	    "line 3, column 5:", "UTF-8");
	expect_refused("# only comments\n\n", "t.tsv", "no header");
}

static void test_refuses_unflagged_shared_name(void **state)
{
	(void)state;
	/* The Russian name of the second town is the Latin name of the first,
	 * in another case and with a hyphen for a space: one key. */
	expect_refused(HEADER REGION_ROW "a\ttown\tr\tА\tА\tAk Su\t\t\t\n"
	                                 "b\ttown\tr\tБ\tAK-SU\tB\t\t\t\n",
	    "t.tsv: line 4, column 5 (ru):", "also a name of \"a\" (line 3)");
	/* Flagging only one row is not enough. */
	expect_refused(HEADER REGION_ROW "s\tregion\ts\tС\tС\tS\t\t\t\n"
	                                 "a\ttown\tr\tАксу\tАксу\tAksu\t\t\tyes\n"
	                                 "b\ttown\ts\tАксу\tАксу\tAksu\t\t\t\n",
	    "line 5, column 4 (kk):", "shared column of both rows");
	/* Flagged, but in one region: nothing would tell them apart. */
	expect_refused(HEADER REGION_ROW "a\ttown\tr\tАксу\tАксу\tAksu\t\t\tyes\n"
	                                 "b\tvillage\tr\tАксу\tАксу\tAksu\t\t\tyes\n",
	    "line 4:", "in one region");
}

static void test_accepts_flagged_shared_name(void **state)
{
	const char *text = HEADER REGION_ROW "s\tregion\ts\tС облысы\tС область\tS Region\t\t\t\n"
	                                     "a\ttown\tr\tАқсу\tАксу\tAksu\tЕрмак\t\tyes\n"
	                                     "b\tvillage\ts\tАқсу\tАксу\tAksu\t\t\tyes\n";
	struct gazetteer *g;
	struct cb_err err = {0};
	size_t out[4];

	(void)state;
	assert_int_equal(gazetteer_load_mem(text, strlen(text), "t.tsv", NULL, &g, &err), 0);
	assert_int_equal(gazetteer_count(g), 4);
	assert_int_equal(gazetteer_lookup(g, "aksu", out, 4), 2);
	assert_string_equal(gazetteer_id(g, out[0]), "a");
	assert_string_equal(gazetteer_id(g, out[1]), "b");
	assert_string_equal(gazetteer_id(g, gazetteer_region(g, out[0])), "r");
	assert_string_equal(gazetteer_id(g, gazetteer_region(g, out[1])), "s");
	/* A name only one of them has finds only that one. */
	assert_string_equal(gazetteer_id(g, one_place(g, "Ермак")), "a");
	/* The count is the whole number even when out is small. */
	assert_int_equal(gazetteer_lookup(g, "Aksu", out, 1), 2);
	assert_int_equal(gazetteer_lookup(g, "Nowhere", out, 4), 0);
	gazetteer_free(g);
}

/* ---- Keys, languages, files ---------------------------------------------- */

/* A key that ignores every vowel: stands for a skeleton plugged in later. */
static void no_vowels(const char *name, struct buf *out, void *ctx)
{
	(*(int *)ctx)++;
	for (const char *s = name; *s; s++)
		if (!strchr("aeiouyAEIOUY -", *s))
			buf_putc(out, (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
}

static void test_pluggable_key(void **state)
{
	const char *text = HEADER REGION_ROW "t\ttown\tr\t\t\tAlmaty\t\t\t\n";
	int calls = 0;
	struct gazetteer_keyer keyer = {no_vowels, &calls};
	struct gazetteer *g;
	struct cb_err err = {0};
	size_t out[2];

	(void)state;
	assert_int_equal(gazetteer_load_mem(text, strlen(text), "t.tsv", &keyer, &g, &err), 0);
	assert_true(calls > 0);
	assert_int_equal(gazetteer_lookup(g, "Olmety", out, 2), 1);
	assert_string_equal(gazetteer_id(g, out[0]), "t");
	gazetteer_free(g);
	/* The default key does not do that. */
	assert_int_equal(gazetteer_lookup(shipped, "Olmety", out, 2), 0);
}

static void test_name_fallback_and_lang(void **state)
{
	const char *text = HEADER REGION_ROW "t\ttown\tr\t\tТест\t\t\t\t\n";
	struct gazetteer *g;
	struct cb_err err = {0};
	enum gazetteer_lang lang;

	(void)state;
	assert_int_equal(gazetteer_load_mem(text, strlen(text), "t.tsv", NULL, &g, &err), 0);
	size_t t = one_place(g, "тест");
	assert_string_equal(gazetteer_name(g, t, GAZETTEER_KK), "Тест");
	assert_string_equal(gazetteer_name(g, t, GAZETTEER_EN), "Тест");
	gazetteer_free(g);

	assert_int_equal(gazetteer_lang_parse("kk", &lang, &err), 0);
	assert_int_equal(lang, GAZETTEER_KK);
	assert_int_equal(gazetteer_lang_parse("en", &lang, &err), 0);
	assert_int_equal(lang, GAZETTEER_EN);
	assert_int_equal(gazetteer_lang_parse("de", &lang, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "kk, ru, en"));
}

static void test_file_errors(void **state)
{
	struct gazetteer *g;
	struct cb_err err = {0};
	char *dir = unit_tmpdir();
	char path[4200];

	(void)state;
	assert_int_equal(gazetteer_load("/nonexistent/places.tsv", NULL, &g, &err), CB_EIO);
	assert_null(g);
	assert_non_null(strstr(err.msg, "/nonexistent/places.tsv"));
	/* A file with Windows line ends and a byte-order mark reads the same. */
	snprintf(path, sizeof path, "%s/p.tsv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("\xef\xbb\xbfid\tkind\tregion\tkk\tru\ten\r\nr\tregion\tr\tР\tР\tR\r\n", f);
	fclose(f);
	assert_int_equal(gazetteer_load(path, NULL, &g, &err), 0);
	assert_string_equal(gazetteer_name(g, one_place(g, "R"), GAZETTEER_EN), "R");
	gazetteer_free(g);
	assert_true(strstr(gazetteer_default_path(), "/casebook/places.tsv") != NULL);
	unit_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_shape),
	    cmocka_unit_test(test_oral_uralsk),
	    cmocka_unit_test(test_astana_names),
	    cmocka_unit_test(test_almaty_names),
	    cmocka_unit_test(test_new_regions),
	    cmocka_unit_test(test_shipped_shared_name),
	    cmocka_unit_test(test_demo_places_resolve),
	    cmocka_unit_test(test_all_names_have_distinct_keys),
	    cmocka_unit_test(test_nearest),
	    cmocka_unit_test(test_refuses_missing_column),
	    cmocka_unit_test(test_refuses_unknown_region),
	    cmocka_unit_test(test_refuses_bad_cells),
	    cmocka_unit_test(test_refuses_unflagged_shared_name),
	    cmocka_unit_test(test_accepts_flagged_shared_name),
	    cmocka_unit_test(test_pluggable_key),
	    cmocka_unit_test(test_name_fallback_and_lang),
	    cmocka_unit_test(test_file_errors),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, load_shipped, free_shipped);
}
