/* test_query.c — the filter parser (every form, every error), the planner
 * on a real temporary store, sorted paging, facets, and a randomized
 * differential test against a brute-force evaluation written here. */
#include "unit.h"

#include "case.h"
#include "fold.h"
#include "index_key.h"
#include "query.h"
#include "skeleton.h"
#include "store.h"
#include "util.h"

/* ---- Parser -------------------------------------------------------------- */

static char *canon(const char *text)
{
	struct query *q;
	struct cb_err err = {0};
	if (query_parse(text, &q, &err) != 0) {
		fprintf(stderr, "parse \"%s\": %s\n", text, err.msg);
		return NULL;
	}
	char *s = query_to_text(q);
	query_free(q);
	return s;
}

static void expect_canon(const char *text, const char *want)
{
	char *got = canon(text);
	assert_non_null(got);
	assert_string_equal(got, want);
	/* The canonical text parses back to itself. */
	char *again = canon(got);
	assert_non_null(again);
	assert_string_equal(again, got);
	free(again);
	free(got);
}

static void test_parse_forms(void **state)
{
	(void)state;
	struct query *q;
	struct cb_err err = {0};

	assert_int_equal(query_parse("", &q, &err), 0);
	assert_true(query_is_empty(q));
	query_free(q);
	assert_int_equal(query_parse("   ", &q, &err), 0);
	assert_true(query_is_empty(q));
	query_free(q);
	assert_int_equal(query_parse("city:Almaty", &q, &err), 0);
	assert_false(query_is_empty(q));
	query_free(q);

	expect_canon("city:Алматы", "city:Алматы");
	expect_canon("city:Almaty,Shymkent", "city:Almaty,Shymkent");
	expect_canon("-injury:bruise", "-injury:bruise");
	expect_canon("measure:ADMIN_ARREST", "measure:admin_arrest");
	expect_canon("event:\"2021-05-01 DCK rallies\"", "event:\"2021-05-01 DCK rallies\"");
	expect_canon("city:\"Nur-Sultan, Astana\",Almaty", "city:\"Nur-Sultan, Astana\",Almaty");
	expect_canon("lawyer:\"say \\\"hi\\\"\"", "lawyer:\"say \\\"hi\\\"\"");
	expect_canon("kaz", "name:kaz");
	expect_canon("-kaz", "-name:kaz");
	expect_canon("\"ivan pet\"", "name:\"ivan pet\"");
	expect_canon("name:Ivan", "name:Ivan");
	expect_canon("date:2021-05-01..2021-05-31", "date:2021-05-01..2021-05-31");
	expect_canon("date:2021-05", "date:2021-05");
	expect_canon("date:2021..", "date:2021..");
	expect_canon("date:..2021-05", "date:..2021-05");
	expect_canon("hearing:2021-06..2021-07", "hearing:2021-06..2021-07");
	expect_canon("days:>=10", "days:>=10");
	expect_canon("days:<=3 days:>2 days:<9 days:7", "days:<=3 days:>2 days:<9 days:7");
	expect_canon("days:5..15", "days:5..15");
	expect_canon("status:in_court,appeal verification:confirmed sex:f confidentiality:public",
	    "status:in_court,appeal verification:confirmed sex:f confidentiality:public");
	expect_canon("  region:X   city:Y  ", "region:X city:Y");
}

static void test_parse_argv(void **state)
{
	(void)state;
	struct query *q;
	struct cb_err err = {0};
	char *s;

	/* A value with spaces needs no extra quoting in one argv element. */
	char *a1[] = {(char *)"event:2021-05-01 DCK rallies", (char *)"city:Almaty"};
	assert_int_equal(query_parse_argv(2, a1, &q, &err), 0);
	s = query_to_text(q);
	assert_string_equal(s, "event:\"2021-05-01 DCK rallies\" city:Almaty");
	free(s);
	query_free(q);

	/* One element may hold several terms. */
	char *a2[] = {(char *)"city:Almaty injury:bruise", (char *)"-status:closed"};
	assert_int_equal(query_parse_argv(2, a2, &q, &err), 0);
	s = query_to_text(q);
	assert_string_equal(s, "city:Almaty injury:bruise -status:closed");
	free(s);
	query_free(q);

	/* Quotes in an element are honoured as in filter text. */
	char *a3[] = {(char *)"event:\"a b\" city:c"};
	assert_int_equal(query_parse_argv(1, a3, &q, &err), 0);
	s = query_to_text(q);
	assert_string_equal(s, "event:\"a b\" city:c");
	free(s);
	query_free(q);

	assert_int_equal(query_parse_argv(0, NULL, &q, &err), 0);
	assert_true(query_is_empty(q));
	query_free(q);

	char *a4[] = {(char *)"citty:x"};
	assert_int_equal(query_parse_argv(1, a4, &q, &err), CB_EINVAL);
	assert_null(q);
	assert_non_null(strstr(err.msg, "unknown field \"citty\""));
}

/* query_quote gives what the parser reads back as the same one value. */
static void test_quote(void **state)
{
	static const char *const values[] = {"Almaty", "Ust-Kamenogorsk", "a b", "a,b",
	    "say \"hi\"", "back\\slash", "tab\there", "Алматы қаласы"};
	(void)state;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct buf b = {0};
		struct query *q;
		struct cb_err err = {0};
		buf_puts(&b, "event:");
		query_quote(&b, values[i]);
		bool quoted = buf_cstr(&b)[6] == '"';
		assert_int_equal(quoted, strpbrk(values[i], " ,\"\\\t") != NULL);
		assert_int_equal(query_parse(buf_cstr(&b), &q, &err), 0);
		char *s = query_to_text(q);
		assert_string_equal(s, buf_cstr(&b));
		free(s);
		query_free(q);
		buf_free(&b);
	}
	struct buf e = {0};
	query_quote(&e, "");
	assert_string_equal(buf_cstr(&e), "\"\"");
	buf_free(&e);
}

static void expect_error(const char *text, const char *want)
{
	struct query *q = (struct query *)1;
	struct cb_err err = {0};
	int rc = query_parse(text, &q, &err);
	if (rc != CB_EINVAL || !strstr(err.msg, want))
		fprintf(stderr, "filter %s: rc %d, message \"%s\", wanted \"%s\"\n", text, rc,
		    err.msg, want);
	assert_int_equal(rc, CB_EINVAL);
	assert_null(q);
	assert_non_null(strstr(err.msg, want));
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("citty:Almaty",
	    "filter \"citty:Almaty\": unknown field \"citty\"; did you mean city? (fields: city, "
	    "region, event, "
	    "measure, "
	    "injury, status, verification, lawyer, date, hearing, days, name, sex, "
	    "confidentiality, "
	    "exam, person, cases, repeat)");
	expect_error("measure:arest",
	    "filter \"measure:arest\": unknown measure type \"arest\"; did you mean admin_arrest? "
	    "(known: ");
	expect_error("injury:bruses", "unknown injury type \"bruses\"");
	expect_error("status:pending", "unknown status");
	expect_error("sex:x", "\"x\"");
	expect_error("date:2021-13-40", "filter \"date:2021-13-40\": bad date \"2021-13-40\"");
	expect_error("date:2021-02-29", "2021-02-29");
	expect_error("date:2021-06..2021-05", "range \"2021-06..2021-05\" ends before it starts");
	expect_error("date:..", "bad date range \"..\"");
	expect_error("hearing:soon", "bad date \"soon\"");
	expect_error("days:ten", "filter \"days:ten\": bad days \"ten\"");
	expect_error("days:>=-1", "bad days \">=-1\"");
	expect_error("days:15..5", "range \"15..5\" ends before it starts");
	expect_error("days:<0", "\"<0\" can match nothing");
	expect_error("days:1.5", "bad days \"1.5\"");
	expect_error("city:", "filter \"city:\": empty value");
	expect_error("city:a,,b", "empty value");
	expect_error("event:\"open", "missing closing quote");
	expect_error("name:---", "has no letters or digits");
	expect_error("city:Almaty citi:x",
	    "filter \"citi:x\": unknown field \"citi\"; did you mean city?");
	/* A colon after anything but a field's name is free text, not an error. */
	const char *free_text[] = {"Meeting: 1 May", "10:30", "https://example.org/a:b", ":x",
	    "city:Almaty bad:x", "Митинг: 1 мая"};
	for (size_t i = 0; i < sizeof free_text / sizeof free_text[0]; i++) {
		struct query *q = NULL;
		struct cb_err e = {0};
		if (query_parse(free_text[i], &q, &e) != 0)
			fail_msg("\"%s\" refused: %s", free_text[i], e.msg);
		query_free(q);
	}

	struct query_sort s;
	struct cb_err err = {0};
	assert_int_equal(query_sort_parse("-date", &s, &err), 0);
	assert_int_equal(s.key, SORT_DATE);
	assert_true(s.descending);
	assert_int_equal(query_sort_parse("hearing", &s, &err), 0);
	assert_int_equal(s.key, SORT_HEARING);
	assert_false(s.descending);
	assert_int_equal(query_sort_parse("colour", &s, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "unknown sort key \"colour\""));
	assert_string_equal(query_sort_name(SORT_NAME), "name");
}

/* ---- A store with hand-made cases ---------------------------------------- */

static uint64_t add(struct store *st, const char *const *assign)
{
	struct case_record c;
	struct cb_err err = {0};
	case_init(&c);
	for (; *assign; assign++) {
		if (case_assign(&c, *assign, &err) != 0)
			fail_msg("%s: %s", *assign, err.msg);
	}
	if (store_add(st, &c, &err) != 0)
		fail_msg("add: %s", err.msg);
	uint64_t id = c.id;
	case_free(&c);
	return id;
}

static size_t run_ids(struct store *st, const char *text, const char *sort, uint64_t *ids,
    size_t max)
{
	struct query *q;
	struct query_result *r;
	struct query_sort s = {SORT_ID, false};
	struct cb_err err = {0};
	if (query_parse(text, &q, &err) != 0)
		fail_msg("%s: %s", text, err.msg);
	if (sort && query_sort_parse(sort, &s, &err) != 0)
		fail_msg("%s: %s", sort, err.msg);
	if (query_run(st, q, s, &r, &err) != 0)
		fail_msg("run %s: %s", text, err.msg);
	size_t n = query_result_count(r);
	size_t got = query_result_page(r, 0, max, ids);
	assert_int_equal(got, n < max ? n : max);
	query_result_free(r);
	query_free(q);
	return n;
}

static void expect_ids(struct store *st, const char *text, const char *sort, const uint64_t *want,
    size_t n)
{
	uint64_t got[64];
	size_t c = run_ids(st, text, sort, got, 64);
	if (c != n) {
		fprintf(stderr, "%s: %zu results, wanted %zu\n", text, c, n);
		for (size_t i = 0; i < c && i < 64; i++)
			fprintf(stderr, " %llu", (unsigned long long)got[i]);
		fprintf(stderr, "\n");
	}
	assert_int_equal(c, n);
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i])
			fprintf(stderr, "%s sort %s: row %zu is %llu, wanted %llu\n", text,
			    sort ? sort : "id", i, (unsigned long long)got[i],
			    (unsigned long long)want[i]);
		assert_int_equal(got[i], want[i]);
	}
}

#define IDS(...)                                                                                   \
	(const uint64_t[]){__VA_ARGS__}, sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t)

static void load_small(struct store *st)
{
	/* 1 */ add(st,
	    (const char *[]){"name=Ninagul DZHUMANIYAZOVA", "city=Алматы", "date=2021-05-01",
	        "injuries=strangulation:body=neck|bruise",
	        "measures=admin_arrest:days=15|fine:fine=100 MRP", "status=in_court", "sex=f",
	        NULL});
	/* 2 */ add(st,
	    (const char *[]){"name=Асет Жанұзақов", "city=АЛМАТЫ", "date=2021-05",
	        "injuries=head_trauma", "measures=detention:days=3|admin_arrest:days=10",
	        "lawyer=Ivanova", "hearing=2021-07-01", "sex=m", NULL});
	/* 3 */ add(st,
	    (const char *[]){"name=Kazbek Ospanov", "name_latin=Kazbek Ospanov", "aliases=Казбек",
	        "city=Shymkent", "date=2021", "measures=warning", "status=closed",
	        "event=2021-05-01 DCK rallies", NULL});
	/* 4 */ add(st,
	    (const char *[]){"city=алматы", "date=2021-04-24", "measures=preventive",
	        "event=2021-05-01 dck RALLIES", NULL});
	/* 5 */ add(st,
	    (const char *[]){"name=Йеркин Ахметов", "city=Taraz", "measures=admin_arrest:days=5",
	        "hearing=2021-06", NULL});
}

static void test_planner(void **state)
{
	struct unit_db *f = *state;
	struct store *st = f->st;
	load_small(st);

	expect_ids(st, "", NULL, IDS(1, 2, 3, 4, 5));
	expect_ids(st, "city:алматы", NULL, IDS(1, 2, 4));
	expect_ids(st, "city:ALMATY", NULL, NULL, 0);
	expect_ids(st, "city:Алматы injury:head_trauma", NULL, IDS(2));
	expect_ids(st, "city:Алматы,Taraz -measure:preventive", NULL, IDS(1, 2, 5));
	expect_ids(st, "-city:алматы", NULL, IDS(3, 5));
	expect_ids(st, "measure:admin_arrest", NULL, IDS(1, 2, 5));
	expect_ids(st, "days:>=10", NULL, IDS(1, 2));
	expect_ids(st, "days:13", NULL, IDS(2));
	expect_ids(st, "days:0", NULL, IDS(3, 4));
	expect_ids(st, "days:4..14", NULL, IDS(2, 5));
	expect_ids(st, "days:<5", NULL, IDS(3, 4));
	/* A partial date matches a range only when its whole period is inside. */
	expect_ids(st, "date:2021-05", NULL, IDS(1, 2));
	expect_ids(st, "date:2021-05-01..2021-05-31", NULL, IDS(1, 2));
	expect_ids(st, "date:2021-05-01..2021-05-30", NULL, IDS(1));
	expect_ids(st, "date:2021", NULL, IDS(1, 2, 3, 4));
	expect_ids(st, "date:2021-04-24..2021-12", NULL, IDS(1, 2, 4));
	expect_ids(st, "date:..2021-04", NULL, IDS(4));
	expect_ids(st, "date:2021-05..", NULL, IDS(1, 2));
	expect_ids(st, "hearing:2021-06..2021-07", NULL, IDS(2, 5));
	/* Names: any word of name, name_latin or aliases, by folded prefix. */
	expect_ids(st, "name:kaz", NULL, IDS(3));
	expect_ids(st, "каз", NULL, IDS(3));
	expect_ids(st, "name:dzhuman", NULL, IDS(1));
	expect_ids(st, "ЖАНҰЗ", NULL, IDS(2));
	expect_ids(st, "\"ninagul dzh\"", NULL, IDS(1));
	expect_ids(st, "\"ninagul osp\"", NULL, NULL, 0);
	/* Decomposed Й (И + U+0306) finds the precomposed spelling. */
	expect_ids(st, "name:\xd0\x98\xcc\x86\xd0\xb5\xd1\x80", NULL, IDS(5));
	expect_ids(st, "event:\"2021-05-01 DCK rallies\"", NULL, IDS(3, 4));
	expect_ids(st, "lawyer:ivanova status:open", NULL, IDS(2));
	expect_ids(st, "sex:f,m", NULL, IDS(1, 2));
	expect_ids(st, "injury:bruise injury:strangulation", NULL, IDS(1));
	expect_ids(st, "city:Nowhere", NULL, NULL, 0);
	expect_ids(st, "-city:Nowhere", NULL, IDS(1, 2, 3, 4, 5));

	/* Sorting: by index key, cases without a value last. */
	expect_ids(st, "", "date", IDS(3, 4, 2, 1, 5));
	expect_ids(st, "", "-date", IDS(1, 2, 4, 3, 5));
	expect_ids(st, "", "hearing", IDS(5, 2, 1, 3, 4));
	expect_ids(st, "", "city", IDS(3, 5, 1, 2, 4)); /* Latin sorts before Cyrillic */
	expect_ids(st, "", "name", IDS(3, 1, 2, 5, 4));
	expect_ids(st, "", "-id", IDS(5, 4, 3, 2, 1));
	expect_ids(st, "city:алматы", "-date", IDS(1, 2, 4));

	/* Deleting makes ids sparse: "all" must still be exact. */
	struct cb_err err = {0};
	assert_int_equal(store_delete(st, 2, 0, &err), 0);
	expect_ids(st, "", NULL, IDS(1, 3, 4, 5));
	expect_ids(st, "-measure:warning", NULL, IDS(1, 4, 5));
	expect_ids(st, "", "-date", IDS(1, 4, 3, 5));
}

static void test_paging_rows(void **state)
{
	struct unit_db *f = *state;
	struct store *st = f->st;
	struct cb_err err = {0};
	char date[32], city[32];

	/* 300 cases: dates cycle over 30 days, a tenth without a date. */
	for (int i = 1; i <= 300; i++) {
		snprintf(date, sizeof date, "date=%s", i % 10 == 0 ? "" : "");
		if (i % 10)
			snprintf(date, sizeof date, "date=2021-05-%02d", 1 + (i * 7) % 30);
		snprintf(city, sizeof city, "city=C%d", i % 7);
		add(st, (const char *[]){date, city, NULL});
	}
	struct query *q;
	struct query_result *r;
	assert_int_equal(query_parse("-city:C3", &q, &err), 0);
	for (int mode = 0; mode < 2; mode++) {
		query_set_decode_sort_limit(mode ? 100000 : 0);
		for (int desc = 0; desc < 2; desc++) {
			struct query_sort s = {SORT_DATE, desc};
			assert_int_equal(query_run(st, q, s, &r, &err), 0);
			size_t n = query_result_count(r);
			assert_int_equal(n, 300 - 43);
			/* Pages in any order give the same rows as one big page. */
			uint64_t all[300], page[17];
			assert_int_equal(query_result_page(r, 0, 300, all), n);
			struct query_result *r2;
			assert_int_equal(query_run(st, q, s, &r2, &err), 0);
			for (size_t at = 200; at < n + 17; at = (at + 17) % (n + 40)) {
				size_t got = query_result_page(r2, at, 17, page);
				size_t want = at >= n ? 0 : (n - at < 17 ? n - at : 17);
				assert_int_equal(got, want);
				for (size_t i = 0; i < got; i++)
					assert_int_equal(page[i], all[at + i]);
				if (at < 17)
					break;
			}
			for (size_t i = 0; i < n; i += 13)
				assert_int_equal(query_result_row(r2, all[i]), (long)i);
			assert_int_equal(query_result_row(r2, 3), -1); /* C3 excluded */
			assert_false(query_result_contains(r2, 3));
			assert_true(query_result_contains(r2, all[5]));
			query_result_free(r2);
			/* Dates ascend (descend), undated last. */
			for (size_t i = 1; i < n; i++) {
				struct case_record a, b;
				assert_int_equal(store_get(st, all[i - 1], &a, &err), 0);
				assert_int_equal(store_get(st, all[i], &b, &err), 0);
				if (pdate_is_set(b.date)) {
					assert_true(pdate_is_set(a.date));
					int c = pdate_cmp(a.date, b.date);
					assert_true(desc ? c >= 0 : c <= 0);
					if (c == 0)
						assert_true(desc ? a.id > b.id : a.id < b.id);
				}
				case_free(&a);
				case_free(&b);
			}
			query_result_free(r);
		}
	}
	query_set_decode_sort_limit((size_t)-1);
	/* Id order pages and rows. */
	struct query_sort s = {SORT_ID, true};
	assert_int_equal(query_run(st, q, s, &r, &err), 0);
	uint64_t page[5];
	assert_int_equal(query_result_page(r, 0, 5, page), 5);
	assert_int_equal(page[0], 300);
	assert_int_equal(page[1], 299);
	assert_int_equal(page[2], 298);
	assert_int_equal(page[3], 296); /* 297 is C3 */
	assert_int_equal(page[4], 295);
	assert_int_equal(query_result_row(r, 295), 4);
	assert_int_equal(query_result_page(r, query_result_count(r) - 1, 5, page), 1);
	assert_int_equal(page[0], 1);
	query_result_free(r);
	query_free(q);

	/* Unfiltered results find far pages from the index's key counts:
	 * the same rows as a walk, in both directions, up to the undated tail. */
	assert_int_equal(query_parse("", &q, &err), 0);
	for (int key = SORT_DATE; key <= SORT_CITY; key++) {
		for (int desc = 0; desc < 2; desc++) {
			struct query_sort srt = {key, desc};
			uint64_t all[300], got[23];
			query_set_far_rows((size_t)-1 / 2); /* walk only */
			assert_int_equal(query_run(st, q, srt, &r, &err), 0);
			assert_int_equal(query_result_page(r, 0, 300, all), 300);
			query_result_free(r);
			query_set_far_rows(0);
			for (size_t at = 1; at < 300; at += 37) {
				assert_int_equal(query_run(st, q, srt, &r, &err), 0);
				size_t n = query_result_page(r, at, 23, got);
				assert_int_equal(n, 300 - at < 23 ? 300 - at : 23);
				for (size_t i = 0; i < n; i++)
					assert_int_equal(got[i], all[at + i]);
				query_result_free(r);
			}
		}
	}
	query_set_far_rows(4096);
	query_free(q);
}

static void test_facets(void **state)
{
	struct unit_db *f = *state;
	struct store *st = f->st;
	struct facet *fs;
	size_t n;
	struct cb_err err = {0};
	struct query *q;

	load_small(st);
	assert_int_equal(query_facets(st, "city", NULL, &fs, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(fs[0].count, 3);
	assert_string_equal(fs[0].value, "Алматы"); /* spelling of the first case */
	assert_string_equal(fs[0].key, "алматы");
	assert_int_equal(fs[1].count, 1);
	assert_string_equal(fs[1].value, "Shymkent"); /* ties by value */
	assert_string_equal(fs[2].value, "Taraz");
	query_facets_free(fs, n);

	assert_int_equal(query_parse("measure:admin_arrest", &q, &err), 0);
	assert_int_equal(query_facets(st, "city", q, &fs, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(fs[0].count, 2);
	assert_string_equal(fs[0].key, "алматы");
	assert_int_equal(fs[1].count, 1);
	assert_string_equal(fs[1].value, "Taraz");
	query_facets_free(fs, n);
	query_free(q);

	assert_int_equal(query_parse("city:алматы", &q, &err), 0);
	assert_int_equal(query_facets(st, "measure", q, &fs, &n, &err), 0);
	assert_int_equal(n, 4); /* admin_arrest, detention, fine, preventive */
	assert_string_equal(fs[0].value, "admin_arrest");
	assert_int_equal(fs[0].count, 2);
	query_facets_free(fs, n);
	query_free(q);

	assert_int_equal(query_parse("city:Nowhere", &q, &err), 0);
	assert_int_equal(query_facets(st, "city", q, &fs, &n, &err), 0);
	assert_int_equal(n, 0);
	query_facets_free(fs, n);
	query_free(q);

	assert_int_equal(query_facets(st, "date", NULL, &fs, &n, &err), CB_EINVAL);
	assert_non_null(
	    strstr(err.msg, "no facets for \"date\" (fields: city, region, event, measure"));
}

/* a (query_result_facets) and b (query_facets) are the same values, counts and order. */
static void expect_same_facets(const struct facet *a, size_t na, const struct facet *b, size_t nb,
    const char *what)
{
	if (na != nb)
		fail_msg("%s: %zu values from the result, %zu from query_facets", what, na, nb);
	for (size_t i = 0; i < na; i++) {
		if (strcmp(a[i].key, b[i].key) || strcmp(a[i].value, b[i].value) ||
		    a[i].count != b[i].count)
			fail_msg("%s: value %zu is %s (%s) %llu, query_facets says %s (%s) %llu",
			    what, i, a[i].key, a[i].value, (unsigned long long)a[i].count, b[i].key,
			    b[i].value, (unsigned long long)b[i].count);
	}
}

static struct query_result *run_sorted(struct store *st, const char *text, int key)
{
	struct query *q;
	struct query_result *r;
	struct cb_err err = {0};
	if (query_parse(text, &q, &err) != 0)
		fail_msg("%s: %s", text, err.msg);
	if (query_run(st, q, (struct query_sort){key, false}, &r, &err) != 0)
		fail_msg("run %s: %s", text, err.msg);
	query_free(q);
	return r;
}

/* Every bucket of the date and days fields (query_result_facets) names a
 * term that, with the result's filter, finds as many cases as its count;
 * the days buckets hold every case of the result once. */
static void expect_buckets(struct store *st, const char *filter, struct query_result *r,
    struct query_fcache *cache)
{
	static const char *const fields[] = {"date", "days"};
	struct facet *out[2];
	size_t n[2];
	struct cb_err err = {0};
	uint64_t held = 0;

	if (query_result_facets_cached(r, cache, fields, 2, out, n, &err) != 0)
		fail_msg("%s: %s", filter, err.msg);
	for (size_t f = 0; f < 2; f++)
		for (size_t i = 0; i < n[f]; i++) {
			char *text = xasprintf("%s %s:%s", filter, fields[f], out[f][i].key);
			struct query_result *t = run_sorted(st, text, SORT_ID);
			if (query_result_count(t) != out[f][i].count)
				fail_msg("%s: %llu cases, its bucket says %llu", text,
				    (unsigned long long)query_result_count(t),
				    (unsigned long long)out[f][i].count);
			held += f == 1 ? out[f][i].count : 0;
			query_result_free(t);
			free(text);
		}
	if (held != query_result_count(r))
		fail_msg("%s: the days buckets hold %llu of %llu cases", filter,
		    (unsigned long long)held, (unsigned long long)query_result_count(r));
	query_facets_free(out[0], n[0]);
	query_facets_free(out[1], n[1]);
}

static void test_result_facets(void **state)
{
	struct unit_db *f = *state;
	struct store *st = f->st;
	struct cb_err err = {0};
	static const char *const fields[] = {"city", "measure", "injury", "status", "event",
	    "lawyer", "sex", "confidentiality"};
	enum { NF = sizeof fields / sizeof fields[0] };
	static const char *const filters[] = {"", "measure:admin_arrest", "city:алматы",
	    "city:Nowhere", "-status:closed", "injury:bruise,head_trauma", "sex:f"};
	struct facet *out[NF], *fs;
	size_t n[NF], nf;

	load_small(st);
	/* The same counts as query_facets, for every plan of the count, with
	 * and without the per-case tables (one cache for every filter). */
	static const unsigned costs[] = {0, 16, 4000000000u};
	struct query_fcache *cache = query_fcache_new();
	for (size_t c = 0; c < 6; c++) {
		struct query_fcache *fc = c >= 3 ? cache : NULL;
		query_set_probe_cost(costs[c % 3]);
		for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
			struct query *q;
			assert_int_equal(query_parse(filters[i], &q, &err), 0);
			struct query_result *r = run_sorted(st, filters[i], SORT_NAME);
			assert_int_equal(query_result_facets_cached(r, fc, fields, NF, out, n,
			                     &err),
			    0);
			expect_buckets(st, filters[i], r, fc);
			for (size_t j = 0; j < NF; j++) {
				char what[200];
				snprintf(what, sizeof what, "%s | %s%s", fields[j], filters[i],
				    fc ? " (tables)" : "");
				assert_int_equal(query_facets(st, fields[j], q, &fs, &nf, &err), 0);
				expect_same_facets(out[j], n[j], fs, nf, what);
				query_facets_free(fs, nf);
				query_facets_free(out[j], n[j]);
			}
			query_result_free(r);
			query_free(q);
		}
	}
	query_set_probe_cost(16);

	/* A known answer: cities among the cases with an administrative arrest. */
	struct query_result *r = run_sorted(st, "measure:admin_arrest", SORT_ID);
	assert_int_equal(query_result_facets(r, fields, 2, out, n, &err), 0);
	assert_int_equal(n[0], 2);
	assert_string_equal(out[0][0].value, "Алматы");
	assert_int_equal(out[0][0].count, 2);
	assert_string_equal(out[0][1].value, "Taraz");
	assert_int_equal(out[0][1].count, 1);
	assert_int_equal(n[1], 3); /* admin_arrest 3, detention 1, fine 1 */
	assert_string_equal(out[1][0].key, "admin_arrest");
	assert_int_equal(out[1][0].count, 3);
	query_facets_free(out[0], n[0]);
	query_facets_free(out[1], n[1]);

	/* Known buckets: May 2021 (one case on the 1st, one of the month only;
	 * case 5 has no date), the month before its day; days held 15, 13, 5. */
	static const char *const dd[] = {"date", "days"};
	assert_int_equal(query_result_facets(r, dd, 2, out, n, &err), 0);
	assert_int_equal(n[0], 2);
	assert_string_equal(out[0][0].key, "2021-05");
	assert_int_equal(out[0][0].count, 2);
	assert_string_equal(out[0][1].key, "2021-05-01");
	assert_int_equal(out[0][1].count, 1);
	assert_int_equal(n[1], 2);
	assert_string_equal(out[1][0].key, "1..5");
	assert_int_equal(out[1][0].count, 1);
	assert_string_equal(out[1][1].key, "11..15");
	assert_int_equal(out[1][1].count, 2);
	query_facets_free(out[0], n[0]);
	query_facets_free(out[1], n[1]);

	/* A field without facets: an error naming it, and nothing returned. */
	static const char *const bad[] = {"city", "hearing"};
	assert_int_equal(query_result_facets(r, bad, 2, out, n, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "no facets for \"hearing\""));
	assert_null(out[0]);
	assert_int_equal(n[0], 0);
	assert_int_equal(query_result_facets(r, fields, 0, out, n, &err), 0);
	query_result_free(r);

	/* Counted on the newest snapshot within the result's cases: a case
	 * added later is not in the result, a deleted one is gone. */
	struct query_result *all = run_sorted(st, "", SORT_ID);
	struct query_result *alm = run_sorted(st, "city:алматы", SORT_DATE);
	assert_int_equal(query_result_count(all), 5);
	assert_int_equal(query_result_count(alm), 3);
	add(st, (const char *[]){"name=Later", "city=Алматы", "measures=warning", NULL});
	assert_int_equal(store_delete(st, 2, 0, &err), 0);
	/* The tables made before the change are made again for the new
	 * snapshot: the counts are those without tables. */
	for (size_t i = 0; i < 2; i++) {
		struct query_result *res = i ? alm : all;
		struct facet *plain[NF];
		size_t np[NF];
		assert_int_equal(query_result_facets_cached(res, cache, fields, NF, out, n, &err),
		    0);
		assert_int_equal(query_result_facets(res, fields, NF, plain, np, &err), 0);
		for (size_t j = 0; j < NF; j++) {
			expect_same_facets(out[j], n[j], plain[j], np[j], fields[j]);
			query_facets_free(plain[j], np[j]);
			query_facets_free(out[j], n[j]);
		}
	}
	query_fcache_free(cache);
	assert_int_equal(query_result_facets(all, fields, 1, out, n, &err), 0);
	assert_int_equal(n[0], 3);
	assert_string_equal(out[0][0].key, "алматы");
	assert_int_equal(out[0][0].count, 2); /* 1 and 4 */
	assert_int_equal(out[0][1].count + out[0][2].count, 2);
	query_facets_free(out[0], n[0]);
	assert_int_equal(query_result_facets(alm, fields, 2, out, n, &err), 0);
	assert_int_equal(n[0], 1);
	assert_int_equal(out[0][0].count, 2);
	assert_int_equal(n[1], 3); /* admin_arrest, fine, preventive; no detention, no warning */
	for (size_t i = 0; i < n[1]; i++) {
		assert_int_equal(out[1][i].count, 1);
		assert_true(strcmp(out[1][i].key, "detention") && strcmp(out[1][i].key, "warning"));
	}
	query_facets_free(out[0], n[0]);
	query_facets_free(out[1], n[1]);
	query_result_free(all);
	query_result_free(alm);
}

/* ---- Randomized differential test ---------------------------------------- */

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	return (unsigned)(unit_xorshift(&rng) % n);
}

static const char *const cities[] = {
    "Алматы",
    "АЛМАТЫ",
    "алматы",
    "Almaty",
    "Шымкент",
    "Shymkent",
    "Ақтөбе",
    "АҚТӨБЕ",
    "Йошкар",
    "\xd0\x98\xcc\x86\xd0\xbe\xd1\x88\xd0\xba\xd0\xb0\xd1\x80",
    "Taraz",
    "Нур-Султан",
};
static const char *const names[] = {
    "Асет",
    "АСЕТ",
    "Kazbek",
    "Казбек",
    "Жанұзақов",
    "Ospanov",
    "Йеркин",
    "\xd0\x98\xcc\x86\xd0\xb5\xd1\x80\xd0\xba\xd0\xb8\xd0\xbd",
    "Ninagul",
    "Dzhumaniyazova",
    "Айгерим",
    "Ахметов",
    "O'Brien",
    "Kazakova",
    "Ka",
    "Сейітқали-Омарова",
    "Omarova",
};
#define N_NAMES (unsigned)(sizeof names / sizeof names[0])
static const char *const lawyers[] = {"Ivanova", "IVANOVA", "Сейткали", "Ли"};
static const char *const events[] = {"2021-05-01 DCK rallies", "2021-04-24 rally", "Janaozen"};

static void rand_date(char *buf, size_t n, int year0)
{
	int y = year0 + (int)rnd(2), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
	switch (rnd(4)) {
	case 0:
		snprintf(buf, n, "%d", y);
		break;
	case 1:
		snprintf(buf, n, "%d-%02d", y, m);
		break;
	default:
		snprintf(buf, n, "%d-%02d-%02d", y, m, d);
		break;
	}
}

static void rand_case(struct store *st)
{
	struct case_record c;
	struct cb_err err = {0};
	char buf[256];
	struct buf b = {0};

	case_init(&c);
	if (rnd(8)) {
		snprintf(buf, sizeof buf, "%s %s", names[rnd(N_NAMES)], names[rnd(N_NAMES)]);
		case_set_field(&c, FIELD_NAME, buf, false, &err);
	}
	if (!rnd(4))
		case_set_field(&c, FIELD_NAME_LATIN, names[rnd(N_NAMES)], false, &err);
	if (!rnd(5))
		case_set_field(&c, FIELD_ALIASES, names[rnd(N_NAMES)], false, &err);
	if (rnd(10))
		case_set_field(&c, FIELD_CITY, cities[rnd(12)], false, &err);
	if (!rnd(3))
		case_set_field(&c, FIELD_REGION, cities[rnd(12)], false, &err);
	if (!rnd(3))
		case_set_field(&c, FIELD_EVENT, events[rnd(3)], false, &err);
	if (!rnd(3))
		case_set_field(&c, FIELD_LAWYER, lawyers[rnd(4)], false, &err);
	if (rnd(6)) {
		rand_date(buf, sizeof buf, 2020);
		case_set_field(&c, FIELD_DATE, buf, false, &err);
	}
	if (!rnd(3)) {
		rand_date(buf, sizeof buf, 2021);
		case_set_field(&c, FIELD_HEARING, buf, false, &err);
	}
	unsigned nm = rnd(4);
	for (unsigned i = 0; i < nm; i++) {
		int t = (int)rnd(vocab_measure.count);
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, vocab_key(&vocab_measure, t));
		if ((t == MEASURE_ADMIN_ARREST || t == MEASURE_DETENTION) && rnd(3))
			buf_printf(&b, ":days=%u", rnd(20));
	}
	if (nm)
		case_set_field(&c, FIELD_MEASURES, buf_cstr(&b), false, &err);
	b.len = 0;
	unsigned ni = rnd(4) ? 0 : 1 + rnd(2);
	for (unsigned i = 0; i < ni; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, vocab_key(&vocab_injury, (int)rnd(vocab_injury.count)));
	}
	if (ni)
		case_set_field(&c, FIELD_INJURIES, buf_cstr(&b), false, &err);
	buf_free(&b);
	c.status = (int)rnd(vocab_status.count);
	c.verification = (int)rnd(vocab_verification.count);
	c.sex = (int)rnd(vocab_sex.count);
	c.confidentiality = (int)rnd(vocab_confidentiality.count);
	if (store_add(st, &c, &err) != 0)
		fail_msg("add: %s", err.msg);
	case_free(&c);
}

/* The brute-force side: one alternative of one term. */
struct balt {
	char *text; /* for the filter text */
	char *folded; /* text fields */
	int vocab; /* vocab fields: term index */
	uint32_t lo, hi; /* date spans, days */
	struct strlist words;
	struct strlist typed; /* name: the words as typed (split at spaces) */
};

struct bterm {
	int field; /* 0 city 1 region 2 event 3 lawyer 4 measure 5 injury 6 status
	            * 7 verification 8 sex 9 confidentiality 10 date 11 hearing 12 days 13 name */
	bool negate;
	struct balt alts[2];
	int n;
};

static const char *const bfield[] = {"city", "region", "event", "lawyer", "measure", "injury",
    "status", "verification", "sex", "confidentiality", "date", "hearing", "days", "name"};
static const struct vocab *const bvocab[] = {NULL, NULL, NULL, NULL, &vocab_measure, &vocab_injury,
    &vocab_status, &vocab_verification, &vocab_sex, &vocab_confidentiality};

static void rand_alt(int field, struct balt *a)
{
	char buf[64], d1[16], d2[16];
	struct pdate p;
	uint32_t f1, l1, f2, l2;

	memset(a, 0, sizeof *a);
	if (field <= 3) {
		const char *v = field == 0 || field == 1 ? cities[rnd(12)]
		    : field == 2                         ? events[rnd(3)]
		                                         : lawyers[rnd(4)];
		if (!rnd(15))
			v = "Nowhere";
		a->text = strdup(v);
		a->folded = fold_text(v);
	} else if (field <= 9) {
		a->vocab = (int)rnd(bvocab[field]->count);
		a->text = strdup(vocab_key(bvocab[field], a->vocab));
	} else if (field <= 11) {
		int y = field == 10 ? 2020 : 2021;
		rand_date(d1, sizeof d1, y);
		rand_date(d2, sizeof d2, y);
		pdate_parse(d1, &p, NULL);
		pdate_span(p, &f1, &l1);
		pdate_parse(d2, &p, NULL);
		pdate_span(p, &f2, &l2);
		if (f2 < f1) { /* keep the range forwards */
			char t[16];
			uint32_t x;
			memcpy(t, d1, 16), memcpy(d1, d2, 16), memcpy(d2, t, 16);
			x = f1, f1 = f2, f2 = x;
			x = l1, l1 = l2, l2 = x;
		}
		if (l2 < f1)
			l2 = l1, memcpy(d2, d1, 16);
		switch (rnd(4)) {
		case 0:
			snprintf(buf, sizeof buf, "%s", d1);
			a->lo = f1, a->hi = l1;
			break;
		case 1:
			snprintf(buf, sizeof buf, "%s..", d1);
			a->lo = f1, a->hi = 99991231;
			break;
		case 2:
			snprintf(buf, sizeof buf, "..%s", d2);
			a->lo = 0, a->hi = l2;
			break;
		default:
			snprintf(buf, sizeof buf, "%s..%s", d1, d2);
			a->lo = f1, a->hi = l2;
			break;
		}
		a->text = strdup(buf);
	} else if (field == 12) {
		unsigned n = rnd(25), m = n + rnd(10);
		switch (rnd(6)) {
		case 0:
			snprintf(buf, sizeof buf, "%u", n);
			a->lo = a->hi = n;
			break;
		case 1:
			snprintf(buf, sizeof buf, ">=%u", n);
			a->lo = n, a->hi = UINT32_MAX;
			break;
		case 2:
			snprintf(buf, sizeof buf, ">%u", n);
			a->lo = n + 1, a->hi = UINT32_MAX;
			break;
		case 3:
			snprintf(buf, sizeof buf, "<=%u", n);
			a->lo = 0, a->hi = n;
			break;
		case 4:
			snprintf(buf, sizeof buf, "<%u", n + 1);
			a->lo = 0, a->hi = n;
			break;
		default:
			snprintf(buf, sizeof buf, "%u..%u", n, m);
			a->lo = n, a->hi = m;
			break;
		}
		a->text = strdup(buf);
	} else {
		const char *nm = names[rnd(N_NAMES)];
		/* A prefix of a name (whole characters), sometimes two words. */
		size_t len = strlen(nm), cut = 1 + rnd((unsigned)len);
		while (cut < len && ((unsigned char)nm[cut] & 0xc0) == 0x80)
			cut++;
		if (rnd(5) == 0)
			snprintf(buf, sizeof buf, "\"%.*s %s\"", (int)cut, nm, names[rnd(N_NAMES)]);
		else
			snprintf(buf, sizeof buf, "%.*s", (int)cut, nm);
		if (strchr(buf, '\'')) /* O'Brien: keep it simple for the shell-less parser */
			snprintf(buf, sizeof buf, "brien");
		a->text = strdup(buf);
		char *plain = strdup(buf[0] == '"' ? buf + 1 : buf);
		if (plain[0] && plain[strlen(plain) - 1] == '"')
			plain[strlen(plain) - 1] = '\0';
		fold_words(plain, &a->words);
		for (char *s = strtok(plain, " "); s; s = strtok(NULL, " "))
			strlist_add(&a->typed, s);
		free(plain);
	}
}

static bool text_eq(const char *field, const char *folded)
{
	if (str_empty(field))
		return false;
	char *f = fold_text(field);
	char *g = strdup(folded);
	index_key_clip(f);
	index_key_clip(g);
	bool eq = strcmp(f, g) == 0 && f[0];
	free(f);
	free(g);
	return eq;
}

/* Whether one folded token of toks starts with prefix. */
static bool tok_starts(const struct strlist *toks, const char *prefix)
{
	for (size_t i = 0; i < toks->n; i++)
		if (strncmp(toks->items[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* Whether sk starts the skeleton of word w (len bytes). */
static bool skel_of_starts(const char *w, size_t len, const char *sk)
{
	char word[SKELETON_CAP];
	return skeleton_word(w, len, word, sizeof word) && strncmp(word, sk, strlen(sk)) == 0;
}

/* Whether the skeleton of one space-separated word of text, or of a part
 * of a hyphenated one, starts with sk. */
static bool skel_starts(const char *text, const char *sk)
{
	char *t = strdup(str_or_empty(text));
	bool found = false;
	for (char *s = strtok(t, " "); s && !found; s = strtok(NULL, " ")) {
		found = skel_of_starts(s, strlen(s), sk);
		for (char *p = s, *h; !found && (h = strchr(p, '-')) != NULL; p = h + 1)
			found = skel_of_starts(p, (size_t)(h - p), sk) ||
			    (!strchr(h + 1, '-') && skel_of_starts(h + 1, strlen(h + 1), sk));
	}
	free(t);
	return found;
}

/* A name alternative: every typed word matches a name word by skeleton
 * prefix, or all of its folded words start folded name words. */
static bool name_match(const struct balt *a, const struct case_record *c)
{
	struct strlist toks = {0};
	bool all = true;

	fold_words(c->name, &toks);
	fold_words(c->name_latin, &toks);
	for (size_t i = 0; i < c->aliases.n; i++)
		fold_words(c->aliases.items[i], &toks);
	for (size_t w = 0; w < a->typed.n && all; w++) {
		const char *typed = a->typed.items[w];
		char sk[SKELETON_CAP];
		struct strlist fw = {0};
		bool by_skel = false;
		if (skeleton_word(typed, strlen(typed), sk, sizeof sk)) {
			by_skel = skel_starts(c->name, sk) || skel_starts(c->name_latin, sk);
			for (size_t i = 0; i < c->aliases.n && !by_skel; i++)
				by_skel = skel_starts(c->aliases.items[i], sk);
		}
		fold_words(typed, &fw);
		bool by_fold = fw.n > 0;
		for (size_t i = 0; i < fw.n && by_fold; i++)
			by_fold = tok_starts(&toks, fw.items[i]);
		strlist_free(&fw);
		all = by_skel || by_fold;
	}
	strlist_free(&toks);
	return all;
}

static bool alt_match(const struct bterm *t, const struct balt *a, const struct case_record *c)
{
	uint32_t first, last;
	switch (t->field) {
	case 0:
		return text_eq(c->city, a->folded);
	case 1:
		return text_eq(c->region, a->folded);
	case 2:
		return text_eq(c->event, a->folded);
	case 3:
		return text_eq(c->lawyer, a->folded);
	case 4:
		for (size_t i = 0; i < c->n_measures; i++)
			if (c->measures[i].type == a->vocab)
				return true;
		return false;
	case 5:
		for (size_t i = 0; i < c->n_injuries; i++)
			if (c->injuries[i].type == a->vocab)
				return true;
		return false;
	case 6:
		return c->status == a->vocab;
	case 7:
		return c->verification == a->vocab;
	case 8:
		return c->sex == a->vocab;
	case 9:
		return c->confidentiality == a->vocab;
	case 10:
	case 11: {
		struct pdate d = t->field == 10 ? c->date : c->hearing;
		if (!pdate_is_set(d))
			return false;
		pdate_span(d, &first, &last);
		return first >= a->lo && last <= a->hi;
	}
	case 12: {
		uint32_t days = (uint32_t)case_total_days(c);
		return days >= a->lo && days <= a->hi;
	}
	default:
		return name_match(a, c);
	}
}

static bool case_match(const struct bterm *ts, int nt, const struct case_record *c)
{
	for (int i = 0; i < nt; i++) {
		bool any = false;
		for (int j = 0; j < ts[i].n && !any; j++)
			any = alt_match(&ts[i], &ts[i].alts[j], c);
		if (any == ts[i].negate)
			return false;
	}
	return true;
}

struct all_cases {
	struct case_record *v;
	size_t n;
};

static int collect(const struct case_record *c, void *ctx)
{
	struct all_cases *a = ctx;
	a->v = realloc(a->v, (a->n + 1) * sizeof *a->v);
	case_copy(&a->v[a->n++], c);
	return 0;
}

/* The index key a case sorts under (as the store computes it), or NULL. */
static char *sort_key_of(const struct case_record *c, int key)
{
	int idx = key == SORT_DATE ? IDX_DATE
	    : key == SORT_NAME     ? IDX_SORTNAME
	    : key == SORT_CITY     ? IDX_CITY
	                           : IDX_HEARING;
	struct strlist keys = {0};
	index_case_keys(c, idx, &keys);
	char *k = keys.n ? strdup(keys.items[0]) : NULL;
	strlist_free(&keys);
	return k;
}

static void test_differential(void **state)
{
	struct unit_db *f = *state;
	struct store *st = f->st;
	struct cb_err err = {0};
	struct all_cases all = {0};

	for (int i = 0; i < 400; i++)
		rand_case(st);
	for (uint64_t id = 7; id <= 400; id += 37) /* holes in the ids */
		assert_int_equal(store_delete(st, id, 0, &err), 0);
	assert_int_equal(store_foreach(st, collect, &all, &err), 0);
	assert_int_equal(all.n, 400 - 11);

	uint64_t *got = malloc(all.n * sizeof *got), *want = malloc(all.n * sizeof *want);
	size_t nonempty = 0, empty = 0;
	for (int round = 0; round < 3000; round++) {
		struct bterm ts[4];
		int nt = (int)rnd(4);
		struct buf text = {0};
		for (int i = 0; i < nt; i++) {
			ts[i].field = (int)rnd(14);
			ts[i].negate = rnd(4) == 0;
			ts[i].n = 1 + (int)(rnd(3) == 0);
			if (i)
				buf_putc(&text, ' ');
			if (ts[i].negate)
				buf_putc(&text, '-');
			bool bare = ts[i].field == 13 && rnd(2);
			if (!bare)
				buf_printf(&text, "%s:", bfield[ts[i].field]);
			for (int j = 0; j < ts[i].n; j++) {
				rand_alt(ts[i].field, &ts[i].alts[j]);
				const char *v = ts[i].alts[j].text;
				if (j)
					buf_putc(&text, ',');
				if (strchr(v, ' ') && v[0] != '"')
					buf_printf(&text, "\"%s\"", v);
				else
					buf_puts(&text, v);
			}
		}
		const char *ftext = buf_cstr(&text);
		size_t nw = 0;
		for (size_t i = 0; i < all.n; i++)
			if (case_match(ts, nt, &all.v[i]))
				want[nw++] = all.v[i].id;

		struct query *q;
		struct query_result *r;
		if (query_parse(ftext, &q, &err) != 0)
			fail_msg("parse %s: %s", ftext, err.msg);
		int sk = (int)rnd(5);
		bool desc = rnd(2);
		struct query_sort s = {sk, desc};
		query_set_decode_sort_limit(rnd(2) ? 0 : 1000);
		/* Every plan: always probe, never probe, or the default rule. */
		static const unsigned costs[] = {0, 16, 4000000000u};
		query_set_probe_cost(costs[rnd(3)]);
		if (query_run(st, q, s, &r, &err) != 0)
			fail_msg("run %s: %s", ftext, err.msg);
		size_t n = query_result_count(r);
		if (n != nw)
			fail_msg("filter %s: %zu results, brute force %zu", ftext, n, nw);
		nw ? nonempty++ : empty++;
		/* Read the order in uneven pages. */
		size_t at = 0;
		while (at < n) {
			size_t step = 1 + rnd(60);
			size_t g = query_result_page(r, at, step, got + at);
			assert_int_equal(g, n - at < step ? n - at : step);
			at += g;
		}
		/* Same set... */
		uint64_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
		memcpy(sorted, got, n * sizeof *sorted);
		for (size_t i = 1; i < n; i++) /* insertion sort: small n */
			for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
				uint64_t x = sorted[j];
				sorted[j] = sorted[j - 1];
				sorted[j - 1] = x;
			}
		for (size_t i = 0; i < n; i++)
			if (sorted[i] != want[i])
				fail_msg("filter %s: result %zu is %llu, brute force %llu", ftext,
				    i, (unsigned long long)sorted[i], (unsigned long long)want[i]);
		free(sorted);
		/* ...in the right order. */
		for (size_t i = 1; i < n; i++) {
			const struct case_record *a = NULL, *b = NULL;
			for (size_t j = 0; j < all.n; j++) {
				if (all.v[j].id == got[i - 1])
					a = &all.v[j];
				if (all.v[j].id == got[i])
					b = &all.v[j];
			}
			int c;
			if (sk == SORT_ID) {
				c = 0;
			} else {
				char *ka = sort_key_of(a, sk), *kb = sort_key_of(b, sk);
				/* Cases without a value come last, in either direction. */
				if (!ka && !kb)
					c = 0;
				else if (!ka || !kb)
					c = ka ? -1 : 1;
				else
					c = desc ? -strcmp(ka, kb) : strcmp(ka, kb);
				if (c > 0 && getenv("QDEBUG"))
					for (size_t z = 0; z < n; z++) {
						const struct case_record *cz = NULL;
						for (size_t j = 0; j < all.n; j++)
							if (all.v[j].id == got[z])
								cz = &all.v[j];
						char *kz = sort_key_of(cz, sk);
						fprintf(stderr, "%zu: %llu %s\n", z,
						    (unsigned long long)got[z], kz ? kz : "-");
						free(kz);
					}
				if (c > 0)
					fail_msg("filter %s sort %s%s: rows %zu,%zu out of order "
					         "(%s, %s)",
					    ftext, desc ? "-" : "", query_sort_name(sk), i - 1, i,
					    ka ? ka : "-", kb ? kb : "-");
				free(ka);
				free(kb);
			}
			if (c == 0 && (desc ? got[i - 1] < got[i] : got[i - 1] > got[i]))
				fail_msg("filter %s sort %s: ties out of id order", ftext,
				    query_sort_name(sk));
		}
		if (n) {
			size_t k = rnd((unsigned)n);
			assert_int_equal(query_result_row(r, got[k]), (long)k);
		}
		query_result_free(r);

		/* Facets of a random field under the same filter. */
		if (round % 5 == 0) {
			static const char *const ff[] = {"city", "region", "event", "measure",
			    "injury", "status", "verification", "lawyer", "sex", "confidentiality"};
			static const int fidx[] = {IDX_CITY, IDX_REGION, IDX_EVENT, IDX_MEASURE,
			    IDX_INJURY, IDX_STATUS, IDX_VERIFICATION, IDX_LAWYER, IDX_SEX,
			    IDX_CONFIDENTIALITY};
			int fi = (int)rnd(10);
			struct facet *fs;
			size_t nf;
			if (query_facets(st, ff[fi], q, &fs, &nf, &err) != 0)
				fail_msg("facets %s %s: %s", ff[fi], ftext, err.msg);
			uint64_t total = 0;
			for (size_t i = 0; i < nf; i++) {
				uint64_t cnt = 0;
				for (size_t j = 0; j < all.n; j++) {
					if (!case_match(ts, nt, &all.v[j]))
						continue;
					struct strlist keys = {0};
					index_case_keys(&all.v[j], fidx[fi], &keys);
					for (size_t k = 0; k < keys.n; k++)
						cnt += strcmp(keys.items[k], fs[i].key) == 0;
					strlist_free(&keys);
				}
				if (cnt != fs[i].count)
					fail_msg("facets %s %s: %s counted %llu, brute force %llu",
					    ff[fi], ftext, fs[i].key,
					    (unsigned long long)fs[i].count,
					    (unsigned long long)cnt);
				if (i)
					assert_true(fs[i - 1].count >= fs[i].count);
				total += cnt;
			}
			/* No key left out. */
			uint64_t bt = 0;
			for (size_t j = 0; j < all.n; j++) {
				if (!case_match(ts, nt, &all.v[j]))
					continue;
				struct strlist keys = {0};
				index_case_keys(&all.v[j], fidx[fi], &keys);
				bt += keys.n;
				strlist_free(&keys);
			}
			assert_int_equal(total, bt);
			query_facets_free(fs, nf);

			/* Every field at once from one result: the same as query_facets. */
			struct facet *outs[10];
			size_t ns[10];
			struct query_result *rr;
			if (query_run(st, q, s, &rr, &err) != 0)
				fail_msg("run %s: %s", ftext, err.msg);
			if (query_result_facets(rr, ff, 10, outs, ns, &err) != 0)
				fail_msg("result facets %s: %s", ftext, err.msg);
			for (int k = 0; k < 10; k++) {
				char what[300];
				snprintf(what, sizeof what, "facets %s | %s", ff[k], ftext);
				if (query_facets(st, ff[k], q, &fs, &nf, &err) != 0)
					fail_msg("%s: %s", what, err.msg);
				expect_same_facets(outs[k], ns[k], fs, nf, what);
				query_facets_free(fs, nf);
				query_facets_free(outs[k], ns[k]);
			}
			query_result_free(rr);
		}
		query_free(q);
		for (int i = 0; i < nt; i++)
			for (int j = 0; j < ts[i].n; j++) {
				free(ts[i].alts[j].text);
				free(ts[i].alts[j].folded);
				strlist_free(&ts[i].alts[j].words);
				strlist_free(&ts[i].alts[j].typed);
			}
		buf_free(&text);
	}
	query_set_decode_sort_limit((size_t)-1);
	query_set_probe_cost(16);
	/* The random filters must exercise both outcomes. */
	assert_true(nonempty > 300);
	if (getenv("QDEBUG"))
		fprintf(stderr, "%zu non-empty, %zu empty\n", nonempty, empty);
	assert_true(empty > 100);
	for (size_t i = 0; i < all.n; i++)
		case_free(&all.v[i]);
	free(all.v);
	free(got);
	free(want);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_forms),
	    cmocka_unit_test(test_parse_argv),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test_setup_teardown(test_planner, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_paging_rows, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_facets, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_result_facets, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_differential, unit_db_setup, unit_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
