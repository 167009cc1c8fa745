/* test_csvio.c — CSV and JSON import/export: quoting, line numbers, every
 * kind of bad row, all-or-nothing writes, dry runs, randomized round trips
 * and a 100,000-row file. */
#include "unit.h"

#include <time.h>

#include "case.h"
#include "csvio.h"
#include "import.h"
#include "jsonio.h"
#include "store.h"
#include "util.h"

/* Reads CSV text through csvio_read; returns its code. */
static int read_csv(const char *text, const struct csvio_options *opt, struct csvio_batch *b)
{
	struct cb_err err = {0};
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	csvio_batch_init(b);
	int rc = csvio_read(f, "test.csv", opt, b, &err);
	fclose(f);
	return rc;
}

/* True when some recorded error contains both needles. */
static bool has_error(const struct csvio_batch *b, const char *a, const char *c)
{
	for (size_t i = 0; i < b->errors.n; i++)
		if (strstr(b->errors.items[i], a) && (!c || strstr(b->errors.items[i], c)))
			return true;
	return false;
}

static void dump_errors(const struct csvio_batch *b)
{
	for (size_t i = 0; i < b->errors.n; i++)
		print_message("  error: %s\n", b->errors.items[i]);
}

static void test_quoting_bom_crlf(void **state)
{
	(void)state;
	struct csvio_batch b;
	/* BOM, CRLF line ends, quoted commas, doubled quotes, a line break
	 * inside a field, columns in an unusual order. */
	const char *text =
	    "\xef\xbb\xbf"
	    "city,name,notes,measures\r\n"
	    "Almaty,\"DZHUMANIYAZOVA, Ninagul\",\"said \"\"stop\"\"\r\nthen left\",detention\r\n"
	    "\"Шымкент\",Ерлан,,admin_arrest:days=15:date=2021-04-26|fine:fine=100 MRP\r\n";

	assert_int_equal(read_csv(text, NULL, &b), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.rows[0].c.name, "DZHUMANIYAZOVA, Ninagul");
	assert_string_equal(b.rows[0].c.city, "Almaty");
	assert_non_null(strstr(b.rows[0].c.notes, "said \"stop\""));
	assert_non_null(strstr(b.rows[0].c.notes, "then left"));
	assert_int_equal(b.rows[0].line, 2);
	assert_int_equal(b.rows[1].line, 4); /* the quoted line break took line 3 */
	assert_string_equal(b.rows[1].c.city, "Шымкент");
	assert_int_equal(b.rows[1].c.n_measures, 2);
	assert_int_equal(b.rows[1].c.measures[0].type, MEASURE_ADMIN_ARREST);
	assert_int_equal(b.rows[1].c.measures[0].days, 15);
	assert_string_equal(b.rows[1].c.measures[1].fine, "100 MRP");
	assert_true(b.rows[0].fields & (1u << FIELD_NOTES));
	assert_false(b.rows[0].fields & (1u << FIELD_REGION));
	csvio_batch_free(&b);
}

static void test_map_cyrillic_and_ignore(void **state)
{
	(void)state;
	struct csvio_batch b;
	struct csvio_options opt = {.map = "ФИО=name, Город=city", .ignore = "Примечание"};
	const char *text = "ФИО,Город,Примечание,sex\n"
	                   "Ерлан Казиев,Алматы,что угодно,m\n";

	assert_int_equal(read_csv(text, &opt, &b), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.rows[0].c.name, "Ерлан Казиев");
	assert_string_equal(b.rows[0].c.city, "Алматы");
	assert_int_equal(b.rows[0].c.sex, SEX_M);
	assert_null(b.rows[0].c.notes);
	csvio_batch_free(&b);

	/* Without the map the office's usual headers are known by their
	 * built-in names, and said so; an unknown one is still an error. */
	assert_int_equal(read_csv(text, NULL, &b), 0);
	assert_string_equal(b.rows[0].c.name, "Ерлан Казиев");
	assert_string_equal(b.rows[0].c.notes, "что угодно");
	assert_int_equal(b.aliased.n, 3);
	assert_string_equal(b.aliased.items[0], "\"ФИО\" as name");
	csvio_batch_free(&b);
	assert_int_equal(read_csv("Любимый цвет,ФИО\nсиний,X\n", NULL, &b), CB_EINVAL);
	assert_true(has_error(&b, "line 1", "unknown column \"Любимый цвет\""));
	assert_true(has_error(&b, "unknown column \"Любимый цвет\"", "--ignore"));
	assert_true(b.fatal);
	assert_int_equal(b.n, 0);
	csvio_batch_free(&b);

	/* Surname and first name in two columns make one name; semicolons. */
	struct csvio_options semi = {.delimiter = ';'};
	assert_int_equal(read_csv("Фамилия;Имя;Город\nКазиев;Ерлан;Алматы, центр\n", &semi, &b), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.rows[0].c.name, "Казиев Ерлан");
	assert_string_equal(b.rows[0].c.city, "Алматы, центр");
	csvio_batch_free(&b);
	/* Tabs after Excel's sep= line; the spaces around a cell are trimmed. */
	struct csvio_options tab = {.delimiter = '\t'};
	assert_int_equal(read_csv("sep=\t\nname\tcity\n Ерлан\tАлматы\n", &tab, &b), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.rows[0].c.name, "Ерлан");
	assert_string_equal(b.rows[0].c.city, "Алматы");
	csvio_batch_free(&b);

	/* A map to a field that does not exist, and a map naming no column. */
	struct csvio_options bad = {.map = "ФИО=fullname,Страна=city"};
	assert_int_equal(read_csv("ФИО\nX\n", &bad, &b), CB_EINVAL);
	assert_true(has_error(&b, "unknown field \"fullname\"", NULL));
	assert_true(has_error(&b, "no column \"Страна\"", NULL));
	csvio_batch_free(&b);
}

/* The same problem on many lines is one line of the list, naming the
 * column as the file does; a row's messages go to b->reject with its text. */
static size_t n_rejects;
static char reject_text[256];
static void on_reject(long line, const char *raw, size_t len, const char *why, void *ctx)
{
	(void)ctx;
	if (line == 0)
		return;
	if (n_rejects++ == 0)
		snprintf(reject_text, sizeof reject_text, "%ld|%.*s|%s", line, (int)len, raw, why);
}

static void test_grouped_problems(void **state)
{
	(void)state;
	struct csvio_batch b;
	struct buf text = {0};
	struct cb_err err = {0};

	buf_puts(&text, "ФИО;Дата задержания;Травмы\n");
	for (int i = 2; i <= 40; i++) /* lines 2..40 */
		buf_printf(&text, "P%d;%s;%s\n", i,
		    (i == 3 || (i >= 5 && i <= 9) || (i >= 20 && i % 2 == 0)) ? "31.02.2021"
		                                                              : "01.05.2021",
		    i == 4 ? "ушибб" : "");
	FILE *f = fmemopen(text.p, text.len, "r");
	struct csvio_options semi = {.delimiter = ';'};
	csvio_batch_init(&b);
	n_rejects = 0;
	b.reject = on_reject;
	assert_int_equal(csvio_read(f, "t.csv", &semi, &b, &err), CB_EINVAL);
	fclose(f);
	assert_false(b.fatal);
	assert_int_equal(csvio_problem_count(&b), 2);
	char *p0 = csvio_problem_text(&b, 0), *p1 = csvio_problem_text(&b, 1);
	assert_string_equal(p0,
	    "lines 3, 5–9, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38 and 1 more: column \"Дата "
	    "задержания\": bad date \"31.02.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	assert_string_equal(p1,
	    "line 4: column \"Травмы\": unknown injury type \"ушибб\"; did you "
	    "mean bruise? (known: strangulation, bruise, abrasion, head_trauma, "
	    "joint_injury, fracture, laceration, burn, chemical, other)");
	free(p0);
	free(p1);
	assert_int_equal(b.n_rejected, 18);
	assert_int_equal(n_rejects, 18);
	assert_string_equal(reject_text,
	    "3|P3;31.02.2021;\n|column \"Дата задержания\": bad date "
	    "\"31.02.2021\": no such day (use DD.MM.YYYY or YYYY-MM-DD)");
	assert_int_equal(csvio_problems_untold(&b), 0);
	csvio_batch_free(&b);
	buf_free(&text);
}

static void test_bad_rows(void **state)
{
	(void)state;
	struct csvio_batch b;
	const char *text = "name,city,date,birth_year,injuries,notes\n"
	                   "A,Almaty,2021-05-01,1990,bruise,ok\n" /* 2: good */
	                   "B,Almaty,2021-05-01,1990,bruses,x\n" /* 3: unknown term */
	                   "C,Almaty,2021-02-30,1990,,x\n" /* 4: bad date */
	                   "D,Almaty,2021-05-01,19x0,,x\n" /* 5: bad number */
	                   "E,Almaty,2021-05-01\n" /* 6: column count */
	                   "F,\"multi\nline\",2021-05-01,1990,,x\n" /* 7-8: good */
	                   "G,Alm\xff"
	                   "aty,2021-05-01,1990,,x\n" /* 9: invalid UTF-8 */
	                   "H,Almaty,2021-05-01,1990,,x\n"; /* 10: good */

	assert_int_equal(read_csv(text, NULL, &b), CB_EINVAL);
	dump_errors(&b);
	assert_int_equal(b.n_errors, 5);
	assert_true(has_error(&b, "line 3:", "unknown injury type \"bruses\""));
	assert_true(has_error(&b, "line 4:", "date"));
	assert_true(has_error(&b, "line 5:", "bad number \"19x0\""));
	assert_true(has_error(&b, "line 6:", "wrong column count: 3 fields, the header has 6"));
	assert_true(has_error(&b, "line 9:", "invalid UTF-8"));
	assert_true(has_error(&b, "line 9:", "city"));
	csvio_batch_free(&b);

	/* Header problems: a duplicate header, two columns for one field, an
	 * unknown column. */
	assert_int_equal(read_csv("name,city,name\nA,B,C\n", NULL, &b), CB_EINVAL);
	assert_true(has_error(&b, "line 1:", "duplicate column \"name\""));
	csvio_batch_free(&b);
	struct csvio_options opt = {.map = "Город=city"};
	assert_int_equal(read_csv("city,Город\nA,B\n", &opt, &b), CB_EINVAL);
	assert_true(has_error(&b, "both give field city", NULL));
	csvio_batch_free(&b);
	assert_int_equal(read_csv("name,citty\nA,B\n", NULL, &b), CB_EINVAL);
	assert_true(has_error(&b, "unknown column \"citty\"", NULL));
	csvio_batch_free(&b);

	/* Unnamed trailing columns and empty rows, as spreadsheets write them,
	 * are fine while empty. */
	assert_int_equal(read_csv("name,city,,\nA,B,,\n,,,\n", NULL, &b), 0);
	assert_int_equal(b.n, 1);
	csvio_batch_free(&b);
	assert_int_equal(read_csv("name,\nA,x\n", NULL, &b), CB_EINVAL);
	assert_true(has_error(&b, "line 2:", "column 2 has no name"));
	csvio_batch_free(&b);

	/* A quote that is never closed, and an empty file. */
	assert_int_equal(read_csv("name,city\nA,\"Alm\naty\n", NULL, &b), CB_EINVAL);
	assert_true(has_error(&b, "line 2:", "not closed"));
	csvio_batch_free(&b);
	assert_int_equal(read_csv("", NULL, &b), CB_EINVAL);
	assert_true(has_error(&b, "header row", NULL));
	csvio_batch_free(&b);
}

static void test_error_limit(void **state)
{
	(void)state;
	struct csvio_batch b;
	struct buf t = {0};

	buf_puts(&t, "name,sex\n");
	for (int i = 0; i < 120; i++)
		buf_puts(&t, "X,q\n");
	assert_int_equal(read_csv(buf_cstr(&t), NULL, &b), CB_EINVAL);
	assert_int_equal(b.n_errors, 120);
	assert_int_equal(b.errors.n, CSVIO_MAX_ERRORS);
	assert_true(has_error(&b, "line 2:", "unknown sex \"q\""));
	csvio_batch_free(&b);
	buf_free(&t);
}

/* ---- Random cases ------------------------------------------------------- */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* Awkward text: Cyrillic and Kazakh letters, quotes, commas, separators
 * of the list syntax, backslashes, and (when lines) line breaks. Never
 * empty, never with outer spaces (the model trims). */
static char *rnd_text(bool lines)
{
	static const char *const parts[] = {
	    "a",
	    "Z",
	    "Ж",
	    "ә",
	    "ң",
	    "Ү",
	    "\"",
	    ",",
	    "|",
	    ":",
	    "\\",
	    "=",
	    " ",
	    "'",
	    "«",
	    "»",
	    "Алматы",
	    "KoAP 488",
	    "x\\|y",
	    "\\\\",
	    ";",
	    "#",
	    "😀",
	};
	struct buf b = {0};
	int n = 1 + (int)rnd(12);

	buf_puts(&b, "q");
	for (int i = 0; i < n; i++) {
		if (lines && rnd(8) == 0)
			buf_puts(&b, "\n");
		buf_puts(&b, parts[rnd(sizeof parts / sizeof parts[0])]);
	}
	buf_puts(&b, "e");
	return buf_steal(&b);
}

static struct pdate rnd_date(void)
{
	struct pdate d = {0};
	switch (rnd(4)) {
	case 0:
		return d;
	case 1:
		d.year = (uint16_t)(2000 + rnd(30));
		return d;
	case 2:
		d.year = (uint16_t)(2000 + rnd(30));
		d.month = (uint8_t)(1 + rnd(12));
		return d;
	default:
		d.year = (uint16_t)(2000 + rnd(30));
		d.month = (uint8_t)(1 + rnd(12));
		d.day = (uint8_t)(1 + rnd(28));
		return d;
	}
}

static void rnd_case(struct case_record *c)
{
	case_init(c);
	if (rnd(4))
		c->name = rnd_text(false);
	if (rnd(3) == 0)
		c->name_latin = rnd_text(false);
	for (unsigned i = rnd(3); i > 0; i--) {
		char *s = rnd_text(false);
		strlist_add(&c->aliases, s);
		free(s);
	}
	c->sex = (int)rnd(3);
	c->birth_year = rnd(2) ? 1950 + (int)rnd(50) : 0;
	for (unsigned i = rnd(3); i > 0; i--) {
		char *s = rnd_text(false);
		strlist_add(&c->affiliation, s);
		free(s);
	}
	c->event = rnd_text(false);
	c->date = rnd_date();
	if (rnd(2))
		c->region = rnd_text(false);
	c->city = rnd_text(false);
	c->n_measures = rnd(4);
	c->measures = xcalloc(c->n_measures + 1, sizeof *c->measures);
	for (size_t i = 0; i < c->n_measures; i++) {
		struct measure *m = &c->measures[i];
		m->type = (int)rnd((unsigned)vocab_measure.count);
		m->days = rnd(2) ? (int32_t)rnd(60) : -1;
		m->fine = rnd(3) == 0 ? rnd_text(false) : NULL;
		m->date = rnd_date();
		m->article = rnd(2) ? rnd_text(false) : NULL;
		m->court = rnd(3) == 0 ? rnd_text(false) : NULL;
	}
	c->n_injuries = rnd(3);
	c->injuries = xcalloc(c->n_injuries + 1, sizeof *c->injuries);
	for (size_t i = 0; i < c->n_injuries; i++) {
		struct injury *in = &c->injuries[i];
		in->type = (int)rnd((unsigned)vocab_injury.count);
		in->body = rnd(2) ? rnd_text(false) : NULL;
		in->note = rnd(2) ? rnd_text(false) : NULL;
		in->exam = (int)rnd(3) - 1;
	}
	c->status = (int)rnd(5);
	c->verification = (int)rnd(4);
	if (rnd(2))
		c->lawyer = rnd_text(false);
	c->hearing = rnd_date();
	c->confidentiality = (int)rnd(3);
	for (unsigned i = rnd(3); i > 0; i--) {
		char *s = rnd(2) ? rnd_text(false) : xstrdup("https://example.org/a?b=c:d");
		strlist_add(&c->sources, s);
		free(s);
	}
	if (rnd(2))
		c->notes = rnd_text(true);
	c->id = 1 + rnd(1000000);
	c->rev = 1 + rnd(50);
	c->created = 1600000000 + (int64_t)rnd(100000000);
	c->updated = c->created + (int64_t)rnd(1000);
	c->updated_by = xstrdup(rnd(2) ? "ana" : "ерлан");
}

static void assert_same_case(const struct case_record *a, const struct case_record *b)
{
	for (int f = 0; f < FIELD__COUNT; f++) {
		char *x = case_get_field(a, f), *y = case_get_field(b, f);
		if (strcmp(x, y) != 0)
			print_message("field %s differs:\n  wrote [%s]\n  read  [%s]\n",
			    case_fields[f].name, x, y);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
}

/* Cells a spreadsheet would run get a leading apostrophe (and an
 * apostrophe one more); reading drops exactly one; CSVIO_RAW writes the
 * value as it is. Tab and CR cannot start a stored value (the setters
 * trim them), so only their writing is checked. */
static void test_formula_cells(void **state)
{
	(void)state;
	static const char *const values[] = {"=1+2", "+7", "-5", "@SUM(A1)", "\tx", "\rx", "'x",
	    "''x", "a=b", "x'"};
	static const char *const want[] = {"'=1+2", "'+7", "'-5", "'@SUM(A1)", "'\tx", "\"'\rx\"",
	    "''x", "'''x", "a=b", "x'"};

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct case_record c;
		char *text = NULL;
		size_t len = 0;
		case_init(&c);
		c.city = xstrdup(values[i]);
		FILE *f = open_memstream(&text, &len);
		assert_int_equal(csvio_write_case_ex(f, &c, CSVIO_NO_META), 0);
		fclose(f);
		char *cell = xasprintf(",%s,", want[i]);
		if (!strstr(text, cell))
			fail_msg("value %zu: wanted %s in %s", i, cell, text);
		free(cell);
		free(text);
		text = NULL;
		f = open_memstream(&text, &len);
		assert_int_equal(csvio_write_case_ex(f, &c, CSVIO_NO_META | CSVIO_RAW), 0);
		fclose(f);
		assert_null(strstr(text, "'''"));
		assert_true(values[i][0] != '=' || strstr(text, ",=1+2,"));
		free(text);
		case_free(&c);
	}
	struct csvio_batch b;
	assert_int_equal(read_csv("name,city\nA,'=1+2\nB,''x\nC,'''x\nD,x'\n", NULL, &b), 0);
	assert_string_equal(b.rows[0].c.city, "=1+2");
	assert_string_equal(b.rows[1].c.city, "'x");
	assert_string_equal(b.rows[2].c.city, "''x");
	assert_string_equal(b.rows[3].c.city, "x'");
	csvio_batch_free(&b);
	struct csvio_options raw = {.raw = true};
	assert_int_equal(read_csv("name,city\nA,'=1+2\n", &raw, &b), 0);
	assert_string_equal(b.rows[0].c.city, "'=1+2");
	csvio_batch_free(&b);
}

#define N_RANDOM 300

static void test_roundtrip_random(void **state)
{
	(void)state;
	struct case_record cases[N_RANDOM];
	char *csv = NULL, *json = NULL;
	size_t csv_len = 0, json_len = 0;
	FILE *f;
	struct csvio_batch b;
	struct cb_err err = {0};
	struct jsonio_writer w;

	for (int i = 0; i < N_RANDOM; i++) {
		rnd_case(&cases[i]);
		cases[i].id = (uint64_t)i + 1; /* ids are unique within a file */
	}

	/* CSV: write, read back, compare every field; then write again and
	 * compare the bytes. */
	f = open_memstream(&csv, &csv_len);
	assert_int_equal(csvio_write_header(f), 0);
	for (int i = 0; i < N_RANDOM; i++)
		assert_int_equal(csvio_write_case(f, &cases[i]), 0);
	fclose(f);
	f = fmemopen(csv, csv_len, "r");
	csvio_batch_init(&b);
	int rc = csvio_read(f, "random.csv", NULL, &b, &err);
	fclose(f);
	if (rc)
		dump_errors(&b);
	assert_int_equal(rc, 0);
	assert_int_equal(b.n, N_RANDOM);
	char *again = NULL;
	size_t again_len = 0;
	f = open_memstream(&again, &again_len);
	csvio_write_header(f);
	for (int i = 0; i < N_RANDOM; i++) {
		assert_same_case(&cases[i], &b.rows[i].c);
		csvio_write_case(f, &b.rows[i].c);
	}
	fclose(f);
	assert_int_equal(again_len, csv_len);
	assert_memory_equal(again, csv, csv_len);
	free(again);
	csvio_batch_free(&b);

	/* JSON: the same. */
	f = open_memstream(&json, &json_len);
	jsonio_write_begin(&w, f, false);
	for (int i = 0; i < N_RANDOM; i++)
		assert_int_equal(jsonio_write_case(&w, &cases[i]), 0);
	jsonio_write_end(&w);
	fclose(f);
	f = fmemopen(json, json_len, "r");
	csvio_batch_init(&b);
	rc = jsonio_read(f, "random.json", NULL, &b, &err);
	fclose(f);
	if (rc)
		dump_errors(&b);
	assert_int_equal(rc, 0);
	assert_int_equal(b.n, N_RANDOM);
	for (int i = 0; i < N_RANDOM; i++) {
		assert_same_case(&cases[i], &b.rows[i].c);
		assert_int_equal(b.rows[i].line, i + 2); /* one object per line after "[" */
	}
	csvio_batch_free(&b);

	for (int i = 0; i < N_RANDOM; i++)
		case_free(&cases[i]);
	free(csv);
	free(json);
}

static void test_json_errors(void **state)
{
	(void)state;
	struct csvio_batch b;
	struct cb_err err = {0};
	const char *text = "[\n{\"name\": \"A\", \"city\": \"Almaty\"},\n{\"name\": \"B\", "
	                   "\"injuries\": [{\"type\": \"bruses\"}]},\n"
	                   "{\"name\": \"C\", \"cityy\": \"X\"}\n]\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	csvio_batch_init(&b);
	assert_int_equal(jsonio_read(f, "t.json", NULL, &b, &err), CB_EINVAL);
	fclose(f);
	dump_errors(&b);
	assert_int_equal(b.n_errors, 2);
	assert_true(has_error(&b, "line 3:", "bruses"));
	assert_true(has_error(&b, "line 4:", "cityy"));
	csvio_batch_free(&b);

	const char *broken = "[\n{\"name\": \"A\"},\n{\"name\": \n";
	f = fmemopen((void *)broken, strlen(broken), "r");
	csvio_batch_init(&b);
	assert_int_equal(jsonio_read(f, "t.json", NULL, &b, &err), CB_EINVAL);
	fclose(f);
	assert_true(has_error(&b, "JSON", NULL));
	csvio_batch_free(&b);
}

/* ---- Writing to a store ------------------------------------------------- */

static int dump_one(const struct case_record *c, void *ctx)
{
	return csvio_write_case(ctx, c);
}

/* Every case of the store as CSV text (malloc'd). */
static char *db_dump(struct store *st)
{
	char *s = NULL;
	size_t n = 0;
	struct cb_err err = {0};
	FILE *f = open_memstream(&s, &n);

	csvio_write_header(f);
	assert_int_equal(store_foreach(st, dump_one, f, &err), 0);
	fclose(f);
	return s;
}

static int import_text(struct store *st, const char *text, bool dry, struct import_stats *stats,
    struct csvio_batch *b)
{
	struct cb_err err = {0};
	int rc = read_csv(text, NULL, b);
	if (rc == 0)
		rc = import_apply(st, b, dry, stats, &err);
	return rc;
}

static void test_apply_all_or_nothing(void **state)
{
	(void)state;
	struct unit_db d;
	assert_true(unit_db_open(&d));
	struct csvio_batch b;
	struct import_stats stats;
	uint64_t n = 0;
	struct cb_err err = {0};

	assert_int_equal(import_text(d.st, "name,city\nA,Almaty\nB,Астана\n", false, &stats, &b),
	    0);
	assert_int_equal(stats.added, 2);
	csvio_batch_free(&b);
	char *before = db_dump(d.st);
	uint64_t gen = store_generation(d.st);

	/* Dry run: reports, writes nothing. */
	assert_int_equal(import_text(d.st, "name,city\nC,Almaty\n", true, &stats, &b), 0);
	assert_int_equal(stats.added, 1);
	csvio_batch_free(&b);
	assert_int_equal(store_generation(d.st), gen);

	/* A good row, an update of case 1, and an id that does not exist:
	 * nothing at all is written. */
	assert_int_equal(import_text(d.st,
	                     "id,rev,name,city\n,,C,Almaty\n1,1,A2,Almaty\n99,1,Z,Almaty\n", false,
	                     &stats, &b),
	    CB_EINVAL);
	assert_true(has_error(&b, "line 4:", "id 99 does not exist"));
	csvio_batch_free(&b);
	char *after = db_dump(d.st);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(store_count(d.st, &n, &err), 0);
	assert_int_equal(n, 2);

	/* A stale revision is a conflict; nothing written either. */
	assert_int_equal(import_text(d.st, "id,rev,city\n1,7,Shymkent\n", false, &stats, &b),
	    CB_ECONFLICT);
	assert_true(has_error(&b,
	    "line 2:", "case 1: the file says rev 7, but the database has only rev 1"));
	csvio_batch_free(&b);
	after = db_dump(d.st);
	assert_string_equal(before, after);
	free(after);

	/* The same id twice in one file. */
	assert_int_equal(import_text(d.st, "id,city\n1,X\n1,Y\n", false, &stats, &b), CB_EINVAL);
	assert_true(has_error(&b, "line 3:", "first on line 2"));
	csvio_batch_free(&b);

	/* Matching revision: an update of only the columns given. */
	assert_int_equal(import_text(d.st, "id,rev,city\n1,1,Shymkent\n2,1,Астана\n", false, &stats,
	                     &b),
	    0);
	assert_int_equal(stats.updated, 1);
	assert_int_equal(stats.unchanged, 1);
	assert_int_equal(stats.added, 0);
	csvio_batch_free(&b);
	struct case_record c;
	assert_int_equal(store_get(d.st, 1, &c, &err), 0);
	assert_string_equal(c.city, "Shymkent");
	assert_string_equal(c.name, "A"); /* not in the file: kept */
	assert_int_equal(c.rev, 2);
	case_free(&c);

	/* Re-importing an export of the database changes nothing. */
	char *dump = db_dump(d.st);
	gen = store_generation(d.st);
	assert_int_equal(import_text(d.st, dump, false, &stats, &b), 0);
	assert_int_equal(stats.unchanged, 2);
	assert_int_equal(stats.added + stats.updated, 0);
	csvio_batch_free(&b);
	free(dump);

	free(before);
	unit_db_close(&d);
}

static void test_large_file(void **state)
{
	(void)state;
	struct unit_db d;
	assert_true(unit_db_open(&d));
	struct buf t = {0};
	struct csvio_batch b;
	struct import_stats stats;
	static const char *const cities[] = {"Almaty", "Астана", "Shymkent", "Aktobe", "Уральск"};
	uint64_t n = 0;
	struct cb_err err = {0};
	enum { ROWS = 100000 };

	buf_puts(&t, "name,sex,event,date,city,measures,injuries,notes\n");
	for (int i = 0; i < ROWS; i++)
		buf_printf(&t,
		    "Person %d,%s,2021-05-01 DCK rallies,2021-05-%02d,%s,"
		    "detention:date=2021-05-01|admin_arrest:days=%d,%s,\"note %d, with a comma\"\n",
		    i, i % 2 ? "m" : "f", 1 + i % 28, cities[i % 5], i % 20,
		    i % 7 ? "" : "bruise:note=multiple", i);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(import_text(d.st, buf_cstr(&t), false, &stats, &b), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("100,000 rows imported in %.2f s\n", secs);
	assert_int_equal(stats.added, ROWS);
	assert_int_equal(b.rows[ROWS - 1].line, ROWS + 1);
	csvio_batch_free(&b);
	assert_int_equal(store_count(d.st, &n, &err), 0);
	assert_int_equal(n, ROWS);
	/* Loose: seconds in a plain build; sanitizers are slower. */
	assert_true(secs < 120.0);
	buf_free(&t);
	unit_db_close(&d);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting_bom_crlf),
	    cmocka_unit_test(test_map_cyrillic_and_ignore),
	    cmocka_unit_test(test_bad_rows),
	    cmocka_unit_test(test_grouped_problems),
	    cmocka_unit_test(test_error_limit),
	    cmocka_unit_test(test_roundtrip_random),
	    cmocka_unit_test(test_json_errors),
	    cmocka_unit_test(test_apply_all_or_nothing),
	    cmocka_unit_test(test_large_file),
	    cmocka_unit_test(test_formula_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
