/* test_case.c — vocabularies, partial dates, list syntax, fields, validation. */
#include "unit.h"

#include <time.h>

#include "case.h"
#include "util.h"

static void test_vocab_terms(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof unit_vocabs / sizeof unit_vocabs[0]; v++) {
		const struct vocab *voc = unit_vocabs[v];
		assert_true(voc->count > 0);
		for (int i = 0; i < voc->count; i++) {
			char upper[64];
			int out = -1;
			struct cb_err err = {0};
			assert_int_equal(vocab_find(voc, voc->terms[i].key), i);
			snprintf(upper, sizeof upper, "%s", voc->terms[i].key);
			for (char *p = upper; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p -= 32;
			assert_int_equal(vocab_find(voc, upper), i);
			assert_int_equal(vocab_parse(voc, voc->terms[i].key, &out, &err), 0);
			assert_int_equal(out, i);
			assert_string_equal(vocab_key(voc, i), voc->terms[i].key);
			assert_true(strlen(vocab_label(voc, i)) > 0);
			assert_non_null(strstr(vocab_list(voc), voc->terms[i].key));
		}
		assert_string_equal(vocab_key(voc, voc->count), "?");
		assert_string_equal(vocab_key(voc, -1), "?");
		assert_string_equal(vocab_label(voc, voc->count), "?");
	}
	/* The enum order is the table order. */
	assert_string_equal(vocab_key(&vocab_measure, MEASURE_ADMIN_ARREST), "admin_arrest");
	assert_string_equal(vocab_key(&vocab_measure, MEASURE_OTHER), "other");
	assert_string_equal(vocab_key(&vocab_injury, INJURY_HEAD_TRAUMA), "head_trauma");
	assert_string_equal(vocab_label(&vocab_injury, INJURY_HEAD_TRAUMA),
	    "craniocerebral trauma, concussion");
	assert_string_equal(vocab_key(&vocab_status, STATUS_IN_COURT), "in_court");
	assert_string_equal(vocab_key(&vocab_verification, VERIF_POSSIBLE), "possible");
	assert_string_equal(vocab_key(&vocab_confidentiality, CONF_RESTRICTED), "restricted");
	assert_string_equal(vocab_key(&vocab_sex, SEX_M), "m");
	assert_string_equal(vocab_measure.terms[MEASURE_REFUSAL].esf, "120106");
	assert_string_equal(vocab_measure.terms[MEASURE_DETENTION].esf, "030101");
	assert_string_equal(vocab_measure.terms[MEASURE_SEARCH].esf, "040101");
	assert_int_equal(vocab_measure.count, MEASURE_OTHER + 1);
	assert_int_equal(vocab_injury.count, INJURY_OTHER + 1);
}

static void test_vocab_unknown(void **state)
{
	struct cb_err err = {0};
	int out = 77;

	(void)state;
	assert_int_equal(vocab_find(&vocab_injury, "bruses"), -1);
	assert_int_equal(vocab_find(&vocab_injury, ""), -1);
	assert_int_equal(vocab_find(&vocab_injury, NULL), -1);
	assert_int_equal(vocab_find(&vocab_injury, "bruise "), -1);
	assert_int_equal(vocab_parse(&vocab_injury, "bruses", &out, &err), CB_EINVAL);
	assert_int_equal(err.code, CB_EINVAL);
	assert_int_equal(out, 77);
	assert_string_equal(err.msg,
	    "unknown injury type \"bruses\"; did you mean bruise? (known: strangulation, bruise, "
	    "abrasion, head_trauma, "
	    "joint_injury, fracture, laceration, burn, chemical, other)");
	assert_string_equal(vocab_list(&vocab_sex), "f, m, unknown");
}

static void check_date(const char *s, unsigned y, unsigned m, unsigned d)
{
	struct pdate p;
	struct cb_err err = {0};
	char buf[11];

	assert_int_equal(pdate_parse(s, &p, &err), 0);
	assert_int_equal(p.year, y);
	assert_int_equal(p.month, m);
	assert_int_equal(p.day, d);
	assert_string_equal(pdate_format(p, buf), s);
}

static void check_bad_date(const char *s, const char *fragment)
{
	struct pdate p = {1999, 1, 2};
	struct cb_err err = {0};

	assert_int_equal(pdate_parse(s, &p, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "bad date"));
	if (fragment && !strstr(err.msg, fragment))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", s, err.msg, fragment);
	/* Unchanged on error. */
	assert_int_equal(p.year, 1999);
	assert_int_equal(p.month, 1);
	assert_int_equal(p.day, 2);
}

static void test_pdate_parse(void **state)
{
	struct pdate p = {1, 2, 3};
	char buf[11];

	(void)state;
	check_date("2021", 2021, 0, 0);
	check_date("2021-05", 2021, 5, 0);
	check_date("2021-05-01", 2021, 5, 1);
	check_date("2020-02-29", 2020, 2, 29);
	check_date("2000-02-29", 2000, 2, 29);
	check_date("1000-01-01", 1000, 1, 1);
	check_date("9999-12-31", 9999, 12, 31);
	assert_int_equal(pdate_parse("", &p, NULL), 0);
	assert_false(pdate_is_set(p));
	assert_string_equal(pdate_format(p, buf), "");

	check_bad_date("2021-13", "month 13");
	check_bad_date("2021-13-40", "month 13");
	check_bad_date("2021-00", "month 0");
	check_bad_date("2021-02-29", "no day 29");
	check_bad_date("1900-02-29", "no day 29");
	check_bad_date("2021-04-31", "no day 31");
	check_bad_date("2021-04-00", "no day 0");
	check_bad_date("2021-4-1", "expected YYYY, YYYY-MM or YYYY-MM-DD");
	check_bad_date("21", "expected YYYY");
	check_bad_date("0999", "year");
	check_bad_date("garbage", "expected YYYY");
	check_bad_date("2021-05-01x", "expected YYYY");
	check_bad_date("2021-05-01 ", NULL);
	check_bad_date(" 2021", NULL);
	check_bad_date("2021/05/01", NULL);
	check_bad_date("2021-05-", NULL);
	check_bad_date("+021", NULL);
	check_bad_date("20210501", NULL);
}

static struct pdate D(const char *s) {
	struct pdate p;

	assert_int_equal(pdate_parse(s, &p, NULL), 0);
	return p;
}

static void
test_pdate_span_cmp(void **state)
{
	uint32_t a, b;

	(void)state;
	pdate_span(D("2021"), &a, &b);
	assert_int_equal(a, 20210101);
	assert_int_equal(b, 20211231);
	pdate_span(D("2020-02"), &a, &b);
	assert_int_equal(a, 20200201);
	assert_int_equal(b, 20200229);
	pdate_span(D("2021-02"), &a, &b);
	assert_int_equal(b, 20210228);
	pdate_span(D("2021-05-01"), &a, &b);
	assert_int_equal(a, 20210501);
	assert_int_equal(b, 20210501);
	pdate_span(D(""), &a, &b);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);

	assert_true(pdate_cmp(D(""), D("1000")) < 0);
	assert_true(pdate_cmp(D("1000"), D("")) > 0);
	assert_int_equal(pdate_cmp(D(""), D("")), 0);
	assert_true(pdate_cmp(D("2021"), D("2021-05")) < 0);
	assert_true(pdate_cmp(D("2021-05"), D("2021-05-01")) < 0);
	assert_true(pdate_cmp(D("2021-05-01"), D("2021-05")) > 0);
	assert_true(pdate_cmp(D("2021-01"), D("2021")) > 0);
	assert_true(pdate_cmp(D("2021-05-01"), D("2021-05-02")) < 0);
	assert_true(pdate_cmp(D("2021-05-31"), D("2021-06")) < 0);
	assert_true(pdate_cmp(D("2020-12-31"), D("2021")) < 0);
	assert_int_equal(pdate_cmp(D("2021-05"), D("2021-05")), 0);
}

static void test_strlist(void **state)
{
	struct strlist l;
	char *s;

	(void)state;
	assert_int_equal(strlist_parse(" a | b\\|c |\\\\d||  |e\\:f\\x\\", &l, NULL), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[0], "a");
	assert_string_equal(l.items[1], "b|c");
	assert_string_equal(l.items[2], "\\d");
	assert_string_equal(l.items[3], "e\\:f\\x\\");
	s = strlist_format(&l);
	assert_string_equal(s, "a|b\\|c|\\\\d|e\\\\:f\\\\x\\\\");
	strlist_free(&l);
	assert_null(l.items);
	assert_int_equal(l.n, 0);
	/* What format writes, parse reads back. */
	assert_int_equal(strlist_parse(s, &l, NULL), 0);
	free(s);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[1], "b|c");
	assert_string_equal(l.items[3], "e\\:f\\x\\");
	strlist_free(&l);

	/* URLs keep their colons. */
	assert_int_equal(strlist_parse("https://example.org/a?b=c|Радио Азаттык", &l, NULL), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0], "https://example.org/a?b=c");
	assert_string_equal(l.items[1], "Радио Азаттык");
	s = strlist_format(&l);
	assert_string_equal(s, "https://example.org/a?b=c|Радио Азаттык");
	free(s);
	strlist_free(&l);

	assert_int_equal(strlist_parse("", &l, NULL), 0);
	assert_int_equal(l.n, 0);
	s = strlist_format(&l);
	assert_string_equal(s, "");
	free(s);
	strlist_add(&l, "x");
	strlist_add(&l, "y|");
	s = strlist_format(&l);
	assert_string_equal(s, "x|y\\|");
	free(s);
	strlist_free(&l);
	strlist_free(&l);
}

static void test_measures_roundtrip(void **state)
{
	const char *in = "admin_arrest:days=15:date=2021-04-26:article=KoAP 488|fine:fine=100 MRP";
	struct measure *m;
	size_t n;
	char *s;
	struct cb_err err = {0};

	(void)state;
	assert_int_equal(measures_parse(in, &m, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].type, MEASURE_ADMIN_ARREST);
	assert_int_equal(m[0].days, 15);
	assert_int_equal(m[0].date.year, 2021);
	assert_int_equal(m[0].date.month, 4);
	assert_int_equal(m[0].date.day, 26);
	assert_string_equal(m[0].article, "KoAP 488");
	assert_null(m[0].fine);
	assert_null(m[0].court);
	assert_int_equal(m[1].type, MEASURE_FINE);
	assert_int_equal(m[1].days, -1);
	assert_string_equal(m[1].fine, "100 MRP");
	assert_false(pdate_is_set(m[1].date));
	s = measures_format(m, n);
	assert_string_equal(s, in);
	free(s);
	for (size_t i = 0; i < n; i++)
		measure_free(&m[i]);
	free(m);

	/* Any key order, upper case, spaces and escapes; canonical on output. */
	assert_int_equal(measures_parse(" DETENTION : court = Алматы \\| суд : days=0 "
	                                ":article=a\\:b\\\\c=d | search|criminal_case:",
	                     &m, &n, &err),
	    0);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].type, MEASURE_DETENTION);
	assert_int_equal(m[0].days, 0);
	assert_string_equal(m[0].court, "Алматы | суд");
	assert_string_equal(m[0].article, "a:b\\c=d");
	assert_int_equal(m[1].type, MEASURE_SEARCH);
	assert_int_equal(m[2].type, MEASURE_CRIMINAL_CASE);
	s = measures_format(m, n);
	assert_string_equal(s,
	    "detention:days=0:article=a\\:b\\\\c=d:court=Алматы \\| суд|search|criminal_case");
	for (size_t i = 0; i < n; i++)
		measure_free(&m[i]);
	free(m);
	assert_int_equal(measures_parse(s, &m, &n, &err), 0);
	free(s);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].court, "Алматы | суд");
	assert_string_equal(m[0].article, "a:b\\c=d");
	s = measures_format(m, n);
	assert_string_equal(s,
	    "detention:days=0:article=a\\:b\\\\c=d:court=Алматы \\| суд|search|criminal_case");
	free(s);
	for (size_t i = 0; i < n; i++)
		measure_free(&m[i]);
	free(m);

	assert_int_equal(measures_parse("", &m, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(m);
	s = measures_format(NULL, 0);
	assert_string_equal(s, "");
	free(s);
}

static void check_measures_error(const char *in, const char *expect)
{
	struct measure *m = (struct measure *)1;
	size_t n = 99;
	struct cb_err err = {0};

	assert_int_equal(measures_parse(in, &m, &n, &err), CB_EINVAL);
	assert_null(m);
	assert_int_equal(n, 0);
	if (!strstr(err.msg, expect))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, err.msg, expect);
}

static void test_measures_errors(void **state)
{
	(void)state;
	check_measures_error("fine|arest:days=5",
	    "unknown measure type \"arest\"; did you mean admin_arrest? (known: detention, "
	    "admin_arrest, fine,");
	check_measures_error("admin_arrest:dayz=5",
	    "admin_arrest: unknown key \"dayz\" (measure keys: days, fine, date, article, court)");
	check_measures_error("admin_arrest:days=x", "admin_arrest: bad days \"x\"");
	check_measures_error("admin_arrest:days=-1", "bad days \"-1\"");
	check_measures_error("admin_arrest:days=36501", "bad days \"36501\"");
	check_measures_error("admin_arrest:days=99999999999999999999", "bad days");
	check_measures_error("admin_arrest:date=2021-13-01",
	    "admin_arrest: bad date \"2021-13-01\"");
	check_measures_error("admin_arrest:days=1:days=2", "admin_arrest: duplicate key \"days\"");
	check_measures_error("admin_arrest:days", "admin_arrest: part \"days\" has no value");
	check_measures_error(":days=3", "missing measure type");
	/* An escaped '|' does not split items, so the type is wrong. */
	check_measures_error("fine\\|detention", "unknown measure type \"fine|detention\"");
}

static void test_injuries(void **state)
{
	const char *in = "strangulation:body=neck:exam=yes|bruise";
	struct injury *inj;
	size_t n;
	char *s;
	struct cb_err err = {0};

	(void)state;
	assert_int_equal(injuries_parse(in, &inj, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(inj[0].type, INJURY_STRANGULATION);
	assert_string_equal(inj[0].body, "neck");
	assert_null(inj[0].note);
	assert_int_equal(inj[0].exam, 1);
	assert_int_equal(inj[1].type, INJURY_BRUISE);
	assert_int_equal(inj[1].exam, -1);
	assert_null(inj[1].body);
	s = injuries_format(inj, n);
	assert_string_equal(s, in);
	free(s);
	for (size_t i = 0; i < n; i++)
		injury_free(&inj[i]);
	free(inj);

	/* An unescaped '|' starts a new item: "shoulder" is no type. */
	assert_int_equal(injuries_parse("joint_injury:exam=NO:note=closed\\: "
	                                "left|shoulder:body=плечо",
	                     &inj, &n, &err),
	    CB_EINVAL);
	assert_non_null(strstr(err.msg, "unknown injury type \"shoulder\""));
	assert_int_equal(injuries_parse("joint_injury:exam=NO:note=closed\\: "
	                                "left\\|shoulder:body=плечо",
	                     &inj, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(inj[0].exam, 0);
	assert_string_equal(inj[0].note, "closed: left|shoulder");
	assert_string_equal(inj[0].body, "плечо");
	s = injuries_format(inj, n);
	assert_string_equal(s, "joint_injury:body=плечо:note=closed\\: left\\|shoulder:exam=no");
	for (size_t i = 0; i < n; i++)
		injury_free(&inj[i]);
	free(inj);
	assert_int_equal(injuries_parse(s, &inj, &n, &err), 0);
	free(s);
	assert_int_equal(n, 1);
	assert_string_equal(inj[0].note, "closed: left|shoulder");
	injury_free(&inj[0]);
	free(inj);

	assert_int_equal(injuries_parse("bruses", &inj, &n, &err), CB_EINVAL);
	assert_string_equal(err.msg,
	    "unknown injury type \"bruses\"; did you mean bruise? (known: strangulation, bruise, "
	    "abrasion, head_trauma, "
	    "joint_injury, fracture, laceration, burn, chemical, other)");
	assert_int_equal(injuries_parse("burn:exam=maybe", &inj, &n, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "burn: bad exam \"maybe\" (expected yes or no)"));
	assert_int_equal(injuries_parse("burn:days=3", &inj, &n, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "unknown key \"days\" (injury keys: body, note, exam)"));
	assert_int_equal(injuries_parse("burn:body=a:body=b", &inj, &n, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "duplicate key \"body\""));
	/* An error after good items frees them (ASan checks). */
	assert_int_equal(injuries_parse("burn:body=arm|bruise:note=x|chemical:exam=?", &inj, &n,
	                     &err),
	    CB_EINVAL);
	assert_null(inj);
	assert_int_equal(n, 0);
}

/* A case with every user field set through case_set_field. */
static void fill_case(struct case_record *c)
{
	static const char *const set[][2] = {
	    {"name", "  Нинагуль Джуманиязова "},
	    {"name_latin", "Ninagul DZHUMANIYAZOVA"},
	    {"aliases", "Ninagul Dzhumaniyazova|Нинагүл"},
	    {"sex", "f"},
	    {"birth_year", "1985"},
	    {"affiliation", "activist|DCK supporter"},
	    {"event", "2021-05-01 DCK rallies"},
	    {"date", "2021-05-01"},
	    {"region", "Алматы"},
	    {"city", "Алматы"},
	    {"measures",
	        "detention:days=1|admin_arrest:days=15:date=2021-05-03:court=Медеуский суд"},
	    {"injuries", "strangulation:body=neck:exam=yes|bruise"},
	    {"status", "in_court"},
	    {"verification", "confirmed"},
	    {"lawyer", "А. Адвокатова"},
	    {"hearing", "2021-06"},
	    {"confidentiality", "restricted"},
	    {"sources", "https://example.org/x|bulletin 2021-05"},
	    {"notes", "Line one\nline two"},
	};
	struct cb_err err = {0};

	case_init(c);
	for (size_t i = 0; i < sizeof set / sizeof set[0]; i++) {
		int f = case_field_find(set[i][0]);
		assert_true(f >= 0);
		if (case_set_field(c, f, set[i][1], false, &err))
			fail_msg("%s: %s", set[i][0], err.msg);
	}
}

static void test_case_fields(void **state)
{
	struct case_record c;
	char *s;

	(void)state;
	for (int i = 0; i < FIELD__COUNT; i++) {
		assert_int_equal(case_field_find(case_fields[i].name), i);
		assert_true(strlen(case_fields[i].label) > 0);
	}
	assert_int_equal(case_field_find("citty"), -1);
	assert_int_equal(case_field_find("City"), -1);
	assert_false(case_fields[FIELD_ID].user_set);
	assert_false(case_fields[FIELD_UPDATED_BY].user_set);
	assert_true(case_fields[FIELD_NOTES].user_set);
	assert_non_null(strstr(case_field_list(), "name, name_latin, aliases"));
	assert_null(strstr(case_field_list(), "updated_by"));

	fill_case(&c);
	assert_string_equal(c.name, "Нинагуль Джуманиязова");
	assert_int_equal(c.aliases.n, 2);
	assert_string_equal(c.aliases.items[1], "Нинагүл");
	assert_int_equal(c.sex, SEX_F);
	assert_int_equal(c.birth_year, 1985);
	assert_int_equal(c.n_measures, 2);
	assert_int_equal(c.n_injuries, 2);
	assert_int_equal(c.status, STATUS_IN_COURT);
	assert_int_equal(c.verification, VERIF_CONFIRMED);
	assert_int_equal(c.confidentiality, CONF_RESTRICTED);
	assert_int_equal(c.hearing.month, 6);
	assert_string_equal(c.notes, "Line one\nline two");
	assert_int_equal(case_total_days(&c), 16);

	/* get_field writes what set_field reads. */
	for (int f = 0; f < FIELD__COUNT; f++) {
		struct case_record d;
		struct cb_err err = {0};
		char *t;
		s = case_get_field(&c, f);
		case_init(&d);
		if (case_set_field(&d, f, s, true, &err))
			fail_msg("%s=%s: %s", case_fields[f].name, s, err.msg);
		t = case_get_field(&d, f);
		assert_string_equal(s, t);
		free(s);
		free(t);
		case_free(&d);
	}
	s = case_get_field(&c, FIELD_MEASURES);
	assert_string_equal(s,
	    "detention:days=1|admin_arrest:days=15:date=2021-05-03:court=Медеуский суд");
	free(s);
	s = case_get_field(&c, FIELD_SEX);
	assert_string_equal(s, "f");
	free(s);
	s = case_get_field(&c, FIELD_ID);
	assert_string_equal(s, "");
	free(s);

	/* "" clears; vocabularies go back to their default. */
	for (int f = 0; f < FIELD__COUNT; f++)
		assert_int_equal(case_set_field(&c, f, "", true, NULL), 0);
	struct case_record empty;
	case_init(&empty);
	for (int f = 0; f < FIELD__COUNT; f++) {
		char *a = case_get_field(&c, f), *b = case_get_field(&empty, f);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_null(c.name);
	assert_null(c.measures);
	assert_int_equal(c.sex, SEX_UNKNOWN);
	assert_int_equal(c.confidentiality, CONF_INTERNAL);
	case_free(&c);
}

static void test_case_internal_fields(void **state)
{
	struct case_record c;
	struct cb_err err = {0};
	char *s;

	(void)state;
	case_init(&c);
	assert_int_equal(case_set_field(&c, FIELD_ID, "5", false, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "id: "));
	assert_int_equal(c.id, 0);
	assert_int_equal(case_set_field(&c, FIELD_ID, "18446744073709551615", true, &err), 0);
	assert_true(c.id == UINT64_MAX);
	assert_int_equal(case_set_field(&c, FIELD_ID, "18446744073709551616", true, &err),
	    CB_EINVAL);
	assert_true(c.id == UINT64_MAX);
	assert_int_equal(case_set_field(&c, FIELD_REV, "4294967296", true, &err), CB_EINVAL);
	assert_int_equal(case_set_field(&c, FIELD_REV, "7", true, &err), 0);
	assert_int_equal(c.rev, 7);
	assert_int_equal(case_set_field(&c, FIELD_CREATED, "2021-05-01T10:20:30Z", true, &err), 0);
	assert_int_equal(c.created, 1619864430);
	s = case_get_field(&c, FIELD_CREATED);
	assert_string_equal(s, "2021-05-01T10:20:30Z");
	free(s);
	assert_int_equal(case_set_field(&c, FIELD_UPDATED, "2021-05-01 10:20:30", true, &err),
	    CB_EINVAL);
	assert_non_null(strstr(err.msg, "updated: bad time"));
	assert_int_equal(case_set_field(&c, FIELD_UPDATED, "2021-02-30T10:20:30Z", true, &err),
	    CB_EINVAL);
	assert_int_equal(c.updated, 0);
	assert_int_equal(case_set_field(&c, FIELD_UPDATED_BY, "alice", false, &err), CB_EINVAL);
	assert_int_equal(case_set_field(&c, FIELD_UPDATED_BY, "alice", true, &err), 0);
	assert_string_equal(c.updated_by, "alice");
	assert_int_equal(case_set_field(&c, -1, "x", true, &err), CB_EINVAL);
	assert_int_equal(case_set_field(&c, FIELD__COUNT, "x", true, &err), CB_EINVAL);
	case_free(&c);
}

static void check_set_error(int field, const char *value, const char *expect)
{
	struct case_record c;
	struct cb_err err = {0};
	char *before, *after;

	fill_case(&c);
	before = unit_case_dump(&c);
	assert_int_equal(case_set_field(&c, field, value, false, &err), CB_EINVAL);
	if (!strstr(err.msg, expect))
		fail_msg("%s=\"%s\": message \"%s\" lacks \"%s\"", case_fields[field].name, value,
		    err.msg, expect);
	after = unit_case_dump(&c);
	assert_string_equal(before, after);
	free(before);
	free(after);
	case_free(&c);
}

static void test_case_set_errors(void **state)
{
	(void)state;
	check_set_error(FIELD_BIRTH_YEAR, "19x0", "birth_year: bad number \"19x0\"");
	check_set_error(FIELD_BIRTH_YEAR, "-1985", "birth_year: bad number");
	check_set_error(FIELD_BIRTH_YEAR, "1850", "birth_year: 1850 is not a plausible");
	check_set_error(FIELD_BIRTH_YEAR, "3000", "birth_year: 3000");
	check_set_error(FIELD_SEX, "x", "sex: unknown sex \"x\" (known: f, m, unknown)");
	check_set_error(FIELD_STATUS, "done", "status: unknown status \"done\" (known: open,");
	check_set_error(FIELD_VERIFICATION, "sure", "verification: unknown verification \"sure\"");
	check_set_error(FIELD_CONFIDENTIALITY, "secret",
	    "confidentiality: unknown confidentiality");
	check_set_error(FIELD_DATE, "2021-02-29", "date: bad date \"2021-02-29\"");
	check_set_error(FIELD_HEARING, "tomorrow", "hearing: bad date \"tomorrow\"");
	check_set_error(FIELD_MEASURES, "detention:days=3|arest",
	    "measures: unknown measure type \"arest\"");
	check_set_error(FIELD_INJURIES, "bruses",
	    "injuries: unknown injury type \"bruses\"; did you mean bruise? (known: strangulation, "
	    "bruise,");
	check_set_error(FIELD_INJURIES, "bruise:exam=1", "injuries: bruise: bad exam \"1\"");
	check_set_error(FIELD_NAME, "\xd0\x9d\xff", "name: not valid UTF-8");
	check_set_error(FIELD_CITY, "\xc0\xaf", "city: not valid UTF-8");
	check_set_error(FIELD_ID, "3", "id: ");
	check_set_error(FIELD_CREATED, "2021-05-01T00:00:00Z", "created: ");
}

static void test_case_assign(void **state)
{
	struct case_record c;
	struct cb_err err = {0};

	(void)state;
	case_init(&c);
	assert_int_equal(case_assign(&c, "city= Алматы ", &err), 0);
	assert_string_equal(c.city, "Алматы");
	assert_int_equal(case_assign(&c, "notes=a=b", &err), 0);
	assert_string_equal(c.notes, "a=b");
	assert_int_equal(case_assign(&c, "citty=Almaty", &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "unknown field \"citty\" (fields: name, name_latin, "));
	assert_int_equal(case_assign(&c, "Almaty", &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "expected FIELD=VALUE"));
	assert_int_equal(case_assign(&c, "id=3", &err), CB_EINVAL);
	assert_int_equal(c.id, 0);
	assert_int_equal(case_assign(&c, "city=", &err), 0);
	assert_null(c.city);
	/* Control characters are kept (display sanitizes them). */
	assert_int_equal(case_assign(&c, "notes=a\x1b[31mb", &err), 0);
	assert_string_equal(c.notes, "a\x1b[31mb");
	case_free(&c);
	case_free(&c);
}

/* One part of a measure or an injury set from text, read back, and the
 * item left as it was when the text is refused. */
static void test_item_parts(void **state)
{
	struct measure m;
	struct injury inj;
	struct cb_err err = {0};
	char *s;

	(void)state;
	item_init(&item_measure, &m);
	assert_int_equal(m.days, -1);
	assert_int_equal(measure_set_part(&m, MP_TYPE, "admin_arrest", &err), 0);
	assert_int_equal(measure_set_part(&m, MP_DAYS, " 15 ", &err), 0);
	assert_int_equal(m.days, 15);
	assert_int_equal(measure_set_part(&m, MP_COURT, "суд | район: 2", &err), 0);
	assert_string_equal(m.court, "суд | район: 2");
	assert_int_equal(measure_set_part(&m, MP_DATE, "2021-04", &err), 0);
	s = measures_format(&m, 1);
	assert_string_equal(s, "admin_arrest:days=15:date=2021-04:court=суд \\| район\\: 2");
	free(s);
	assert_int_equal(measure_set_part(&m, MP_DAYS, "36501", &err), CB_EINVAL);
	assert_string_equal(err.msg, "bad days \"36501\" (expected a whole number 0..36500)");
	assert_int_equal(m.days, 15);
	assert_int_equal(measure_set_part(&m, MP_DATE, "2021-13", &err), CB_EINVAL);
	assert_int_equal(m.date.month, 4);
	assert_int_equal(measure_set_part(&m, MP_TYPE, "arest", &err), CB_EINVAL);
	assert_int_equal(m.type, MEASURE_ADMIN_ARREST);
	s = item_get_part(&item_measure, &m, MP_COURT);
	assert_string_equal(s, "суд | район: 2");
	free(s);
	assert_int_equal(measure_set_part(&m, MP_COURT, "", &err), 0);
	assert_null(m.court);
	assert_int_equal(measure_set_part(&m, MP_DAYS, "", &err), 0);
	assert_int_equal(m.days, -1);
	measure_free(&m);

	item_init(&item_injury, &inj);
	assert_int_equal(inj.exam, -1);
	assert_int_equal(injury_set_part(&inj, IP_EXAM, "YES", &err), 0);
	assert_int_equal(inj.exam, 1);
	assert_int_equal(injury_set_part(&inj, IP_EXAM, "no", &err), 0);
	assert_int_equal(inj.exam, 0);
	assert_int_equal(injury_set_part(&inj, IP_EXAM, "maybe", &err), CB_EINVAL);
	assert_string_equal(err.msg, "bad exam \"maybe\" (expected yes or no)");
	assert_int_equal(inj.exam, 0);
	assert_int_equal(injury_set_part(&inj, IP_BODY, "neck", &err), 0);
	s = injuries_format(&inj, 1);
	assert_string_equal(s, "strangulation:body=neck:exam=no");
	free(s);
	assert_int_equal(injury_set_part(&inj, IP_EXAM, "", &err), 0);
	assert_int_equal(inj.exam, -1);
	assert_int_equal(injury_set_part(&inj, 9, "x", &err), CB_EINVAL);
	assert_int_equal(item_part_find(&item_injury, "Exam"), IP_EXAM);
	assert_int_equal(item_part_find(&item_injury, "days"), -1);
	injury_free(&inj);
}

/* The Russian and Kazakh labels of every measure and injury part, and of
 * the exam answers, as the catalogs (po/ru.po, po/kk.po, compiled here)
 * give them, read back under any interface language: an office file in
 * Russian imports under a Kazakh or English interface. */
static void test_item_parts_any_language(void **state)
{
	static const char *const langs[2][2] = {{"ru", "ru_RU.UTF-8"}, {"kk", "kk_KZ.UTF-8"}};
	const struct item_def *defs[2] = {&item_measure, &item_injury};
	char dir[] = "/tmp/casebook-parts-XXXXXX", cmd[1024];
	char *label[2][2][8] = {{{0}}}, *yes[2], *no[2];
	struct cb_err err = {0};

	(void)state;
	if (!mkdtemp(dir))
		fail_msg("mkdtemp");
	snprintf(cmd, sizeof cmd,
	    "mkdir -p %s/ru/LC_MESSAGES %s/kk/LC_MESSAGES && "
	    "msgfmt -o %s/ru/LC_MESSAGES/casebook.mo po/ru.po && "
	    "msgfmt -o %s/kk/LC_MESSAGES/casebook.mo po/kk.po",
	    dir, dir, dir, dir);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		(void)system(cmd);
		skip(); /* no msgfmt: make deps installs it */
	}
	bindtextdomain("casebook", dir);
	textdomain("casebook");
	for (int l = 0; l < 2; l++) {
		if (!setlocale(LC_ALL, langs[l][1]))
			skip(); /* make deps generates both locales */
		for (int d = 0; d < 2; d++)
			for (int p = 0; p < defs[d]->nparts; p++)
				label[l][d][p] = xstrdup(item_part_label(defs[d], p));
		yes[l] = xstrdup(vocab_label(&vocab_exam, 0));
		no[l] = xstrdup(vocab_label(&vocab_exam, 1));
	}
	setlocale(LC_ALL, "C.UTF-8");
	textdomain("casebook-none");
	for (int l = 0; l < 2; l++) {
		for (int d = 0; d < 2; d++)
			for (int p = 0; p < defs[d]->nparts; p++) {
				/* A translated label, not the English one. */
				assert_string_not_equal(label[l][d][p], defs[d]->parts[p].name);
				assert_int_equal(item_part_find(defs[d], label[l][d][p]), p);
				free(label[l][d][p]);
			}
		struct injury inj;
		item_init(&item_injury, &inj);
		assert_int_equal(injury_set_part(&inj, IP_EXAM, yes[l], &err), 0);
		assert_int_equal(inj.exam, 1);
		assert_int_equal(injury_set_part(&inj, IP_EXAM, no[l], &err), 0);
		assert_int_equal(inj.exam, 0);
		injury_free(&inj);
		free(yes[l]);
		free(no[l]);
	}
	/* A part of the other kind of item is still unknown. */
	assert_int_equal(item_part_find(&item_injury, "сутки"), -1);
	assert_int_equal(item_part_find(&item_measure, "дене бөлігі"), -1);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)system(cmd);
}

static void test_case_copy_free(void **state)
{
	struct case_record c, d;
	char *a, *b;

	(void)state;
	fill_case(&c);
	c.unknown = malloc(3);
	memcpy(c.unknown, "\x63\x01\x00", 3);
	c.unknown_len = 3;
	case_copy(&d, &c);
	a = unit_case_dump(&c);
	b = unit_case_dump(&d);
	assert_string_equal(a, b);
	assert_ptr_not_equal(c.name, d.name);
	assert_ptr_not_equal(c.measures, d.measures);
	assert_int_equal(d.unknown_len, 3);
	assert_memory_equal(d.unknown, "\x63\x01\x00", 3);
	free(a);
	free(b);
	case_free(&c);
	/* case_free leaves an initialised record: a second free is harmless. */
	assert_null(c.name);
	assert_int_equal(c.sex, SEX_UNKNOWN);
	assert_int_equal(c.confidentiality, CONF_INTERNAL);
	case_free(&c);
	assert_string_equal(d.name, "Нинагуль Джуманиязова");
	case_free(&d);

	case_init(&c);
	case_copy(&d, &c);
	assert_null(d.unknown);
	case_free(&d);
	case_free(&c);
}

static void test_case_validate(void **state)
{
	struct case_record c;
	struct cb_err err = {0};

	(void)state;
	fill_case(&c);
	assert_int_equal(case_validate(&c, &err), 0);
	/* A hearing before the event date is allowed. */
	c.hearing = D("2020-01-01");
	assert_int_equal(case_validate(&c, &err), 0);
	c.birth_year = 2021;
	assert_int_equal(case_validate(&c, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "hearing"));
	c.hearing = D("");
	assert_int_equal(case_validate(&c, &err), 0);
	c.date = D("2020-12");
	assert_int_equal(case_validate(&c, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "birth_year"));
	c.date = D("2021");
	c.hearing = D("");
	c.sex = 7;
	assert_int_equal(case_validate(&c, &err), CB_EINVAL);
	c.sex = SEX_M;
	c.injuries[0].type = 99;
	assert_int_equal(case_validate(&c, &err), CB_EINVAL);
	c.injuries[0].type = 0;
	c.date.day = 31;
	c.date.month = 2;
	assert_int_equal(case_validate(&c, &err), CB_EINVAL);
	case_free(&c);
}

static void test_case_days_names(void **state)
{
	struct case_record c;
	char *s;

	(void)state;
	case_init(&c);
	assert_int_equal(case_total_days(&c), 0);
	assert_string_equal(case_display_name(&c), "(unidentified)");
	s = case_initials(&c);
	assert_string_equal(s, "(unidentified)");
	free(s);
	assert_int_equal(case_assign(&c,
	                     "measures=detention:days=2|fine:fine=5|admin_arrest:days=15|"
	                     "admin_arrest|preventive|detention:days=0|admin_case",
	                     NULL),
	    0);
	assert_int_equal(case_total_days(&c), 17);
	c.measures[3].days = -1;
	c.measures[4].days = 1000; /* not detention or arrest */
	assert_int_equal(case_total_days(&c), 17);

	assert_int_equal(case_assign(&c, "name_latin=Ninagul DZHUMANIYAZOVA", NULL), 0);
	assert_string_equal(case_display_name(&c), "Ninagul DZHUMANIYAZOVA");
	s = case_initials(&c);
	assert_string_equal(s, "N. D.");
	free(s);
	assert_int_equal(case_assign(&c, "name=  жанар   ахметова-Қасымова ", NULL), 0);
	assert_string_equal(case_display_name(&c), "жанар   ахметова-Қасымова");
	s = case_initials(&c);
	assert_string_equal(s, "Ж. А.");
	free(s);
	assert_int_equal(case_assign(&c, "name=ǆemal ǌ", NULL), 0);
	s = case_initials(&c);
	assert_string_equal(s, "Ǆ. Ǌ.");
	free(s);
	case_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vocab_terms),
	    cmocka_unit_test(test_vocab_unknown),
	    cmocka_unit_test(test_pdate_parse),
	    cmocka_unit_test(test_pdate_span_cmp),
	    cmocka_unit_test(test_strlist),
	    cmocka_unit_test(test_measures_roundtrip),
	    cmocka_unit_test(test_measures_errors),
	    cmocka_unit_test(test_injuries),
	    cmocka_unit_test(test_case_fields),
	    cmocka_unit_test(test_case_internal_fields),
	    cmocka_unit_test(test_case_set_errors),
	    cmocka_unit_test(test_case_assign),
	    cmocka_unit_test(test_item_parts),
	    cmocka_unit_test(test_item_parts_any_language),
	    cmocka_unit_test(test_case_copy_free),
	    cmocka_unit_test(test_case_validate),
	    cmocka_unit_test(test_case_days_names),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
