/* test_casejson.c — a case as JSON and back. */
#include "unit.h"

#include "case.h"
#include "casejson.h"
#include "util.h"

static void full_case(struct case_record *c)
{
	static const char *const set[][2] = {
	    {"id", "77"},
	    {"rev", "3"},
	    {"name", "Нинагуль Джуманиязова"},
	    {"name_latin", "Ninagul DZHUMANIYAZOVA"},
	    {"aliases", "Нинагүл|N\\|D"},
	    {"sex", "f"},
	    {"birth_year", "1985"},
	    {"affiliation", "activist|DCK supporter"},
	    {"event", "2021-05-01 DCK rallies"},
	    {"date", "2021-05"},
	    {"region", "Алматы"},
	    {"city", "Алматы"},
	    {"measures",
	        "admin_arrest:days=15:date=2021-04-26:article=KoAP 488:court=суд|"
	        "fine:fine=100 MRP|detention:days=0"},
	    {"injuries", "strangulation:body=neck:exam=yes|bruise:note=a\\: b|burn:exam=no"},
	    {"status", "awaiting_trial"},
	    {"verification", "possible"},
	    {"lawyer", "Адвокат"},
	    {"hearing", "2021-06-10"},
	    {"confidentiality", "public"},
	    {"sources", "https://example.org/x?y=1"},
	    {"notes", "Строка 1\n\"quoted\""},
	    {"created", "2021-05-02T08:00:00Z"},
	    {"updated", "2021-05-03T09:30:15Z"},
	    {"updated_by", "aigerim"},
	};
	unit_case_fill(c, set, sizeof set / sizeof set[0]);
}

static void test_roundtrip(void **state)
{
	struct case_record c, d;
	struct cb_err err = {0};
	json_t *o, *back;
	char *text, *x, *y;

	(void)state;
	full_case(&c);
	o = casejson_from_case(&c);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	back = json_loads(text, 0, NULL);
	assert_non_null(back);
	free(text);
	if (casejson_to_case(back, &d, &err))
		fail_msg("%s", err.msg);
	json_decref(back);
	x = unit_case_dump(&c);
	y = unit_case_dump(&d);
	assert_string_equal(x, y);
	free(x);
	free(y);
	assert_int_equal(d.measures[2].days, 0);
	assert_int_equal(d.measures[1].days, -1);
	assert_int_equal(d.injuries[2].exam, 0);
	assert_int_equal(d.injuries[1].exam, -1);
	case_free(&d);
	case_free(&c);
}

static void test_shape(void **state)
{
	struct case_record c;
	json_t *o, *m, *inj;

	(void)state;
	full_case(&c);
	o = casejson_from_case(&c);
	assert_true(json_is_integer(json_object_get(o, "id")));
	assert_int_equal(json_integer_value(json_object_get(o, "id")), 77);
	assert_int_equal(json_integer_value(json_object_get(o, "rev")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "birth_year")), 1985);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Нинагуль Джуманиязова");
	assert_true(json_is_array(json_object_get(o, "aliases")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "aliases"), 1)),
	    "N|D");
	assert_string_equal(json_string_value(json_object_get(o, "date")), "2021-05");
	assert_string_equal(json_string_value(json_object_get(o, "sex")), "f");
	assert_string_equal(json_string_value(json_object_get(o, "created")),
	    "2021-05-02T08:00:00Z");
	m = json_object_get(o, "measures");
	assert_int_equal(json_array_size(m), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "type")),
	    "admin_arrest");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 0), "days")), 15);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "date")),
	    "2021-04-26");
	/* Empty parts are omitted; days=0 is not empty. */
	assert_int_equal(json_object_size(json_array_get(m, 1)), 2);
	assert_null(json_object_get(json_array_get(m, 1), "days"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(m, 2), "days")), 0);
	inj = json_object_get(o, "injuries");
	assert_true(json_is_true(json_object_get(json_array_get(inj, 0), "exam")));
	assert_true(json_is_false(json_object_get(json_array_get(inj, 2), "exam")));
	assert_null(json_object_get(json_array_get(inj, 1), "exam"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(inj, 1), "note")),
	    "a: b");
	json_decref(o);
	case_free(&c);

	/* An empty case: only the vocabulary fields, which always have a value. */
	case_init(&c);
	o = casejson_from_case(&c);
	assert_int_equal(json_object_size(o), 4);
	assert_string_equal(json_string_value(json_object_get(o, "confidentiality")), "internal");
	assert_null(json_object_get(o, "id"));
	assert_null(json_object_get(o, "name"));
	assert_null(json_object_get(o, "measures"));
	json_decref(o);
	case_free(&c);
}

static void expect_error(const char *text, const char *fragment)
{
	json_error_t jerr;
	json_t *o = json_loads(text, JSON_ALLOW_NUL, &jerr);
	struct case_record d;
	struct cb_err err = {0};

	if (!o)
		fail_msg("bad test JSON %s: %s", text, jerr.text);
	assert_int_equal(casejson_to_case(o, &d, &err), CB_EINVAL);
	if (!strstr(err.msg, fragment))
		fail_msg("%s: message \"%s\" lacks \"%s\"", text, err.msg, fragment);
	/* Left initialised and empty. */
	assert_null(d.name);
	assert_null(d.measures);
	assert_int_equal(d.n_measures, 0);
	assert_int_equal(d.aliases.n, 0);
	assert_int_equal(d.sex, SEX_UNKNOWN);
	json_decref(o);
	case_free(&d);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{\"name\":\"x\",\"citty\":\"Almaty\"}",
	    "unknown field \"citty\" (fields: id, rev, name,");
	expect_error("[1]", "expected an object");
	expect_error("{\"name\":5}", "name: expected a string, got a whole number");
	expect_error("{\"name\":\"a\\u0000b\"}", "name: text contains a NUL");
	expect_error("{\"sex\":\"x\",\"name\":\"a\"}", "sex: unknown sex \"x\"");
	expect_error("{\"name\":\"a\",\"birth_year\":\"19x0\"}", "birth_year: bad number \"19x0\"");
	expect_error("{\"name\":\"a\",\"birth_year\":-5}", "birth_year: bad number");
	expect_error("{\"name\":\"a\",\"birth_year\":1.5}", "birth_year: expected a string");
	expect_error("{\"name\":\"a\",\"date\":\"2021-02-29\"}", "date: bad date \"2021-02-29\"");
	expect_error("{\"name\":\"a\",\"aliases\":[\"x\",3]}",
	    "aliases: item 2: expected a string, got a whole number");
	expect_error("{\"name\":\"a\",\"measures\":[{\"type\":\"fine\"},{\"type\":\"arest\"}]}",
	    "measures: measure 2: unknown measure type \"arest\"");
	expect_error("{\"name\":\"a\",\"measures\":[{\"type\":\"fine\",\"dayz\":3}]}",
	    "measures: measure 1: unknown key \"dayz\" (known: type, days, fine, date, article, "
	    "court)");
	expect_error("{\"name\":\"a\",\"measures\":[{\"type\":\"detention\",\"days\":\"3\"}]}",
	    "days: expected a whole number");
	expect_error("{\"name\":\"a\",\"measures\":[{\"type\":\"detention\",\"days\":40000}]}",
	    "bad days 40000");
	expect_error("{\"name\":\"a\",\"measures\":[{\"days\":4}]}", "missing \"type\"");
	expect_error("{\"name\":\"a\",\"measures\":[{\"type\":\"fine\",\"date\":\"May\"}]}",
	    "bad date \"May\"");
	expect_error("{\"name\":\"a\",\"measures\":[\"fine\"]}",
	    "measures: measure 1: expected an object, got a string");
	expect_error("{\"name\":\"a\",\"injuries\":[{\"type\":\"burn\",\"exam\":\"maybe\"}]}",
	    "injuries: injury 1: exam: expected true or false");
	expect_error("{\"name\":\"a\",\"injuries\":[{\"type\":\"bruses\"}]}",
	    "unknown injury type \"bruses\"");
	expect_error("{\"name\":\"a\",\"injuries\":[{\"type\":\"burn\",\"days\":1}]}",
	    "unknown key \"days\" (known: type, body, note, exam)");
	expect_error("{\"name\":\"a\",\"injuries\":\"burn:exam=maybe\"}",
	    "injuries: burn: bad exam \"maybe\"");
	expect_error("{\"name\":\"a\",\"created\":\"yesterday\"}", "created: bad time");
}

static void test_lenient_forms(void **state)
{
	const char *text = "{\"name\":\"  a  \",\"measures\":\"detention:days=3|fine\","
	                   "\"aliases\":[\" x \",\"\",\"y\"],\"sources\":\"u1|u2\",\"city\":null,"
	                   "\"id\":5,\"birth_year\":\"1990\",\"created\":\"2021-05-02T08:00:00Z\"}";
	json_t *o = json_loads(text, 0, NULL);
	struct case_record d;
	struct cb_err err = {0};

	(void)state;
	assert_non_null(o);
	if (casejson_to_case(o, &d, &err))
		fail_msg("%s", err.msg);
	json_decref(o);
	assert_string_equal(d.name, "a");
	assert_int_equal(d.n_measures, 2);
	assert_int_equal(d.measures[0].days, 3);
	assert_int_equal(d.aliases.n, 2);
	assert_string_equal(d.aliases.items[0], "x");
	assert_int_equal(d.sources.n, 2);
	assert_null(d.city);
	assert_true(d.id == 5);
	assert_int_equal(d.birth_year, 1990);
	assert_int_equal(d.created, 1619942400);
	case_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_shape),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_lenient_forms),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
