/* bench_persons.c — people across cases, casebook against SQLite (issue
 * "people across cases", item 9): N synthetic cases (default 1,000,000) of
 * N/3 people, each person's cases spelling the name in Cyrillic or Latin,
 * in either order, some without a birth year. Measures
 *   - import with linking (by default as many cases a transaction as
 *     `casebook import` writes in one, 20,000), cases/s;
 *   - a person's timeline and totals (cases read, sorted, repeats marked);
 *   - the number of people under a one-term filter (`persons --count city:X`);
 * and the same through SQLite: a cases table with a person column, a
 * persons table with an index on (identity key, birth year), linking done
 * by a lookup of that index per case, and indexes on every filtered field.
 * Medians of RUNS runs; the answers of both are compared (exit 1 if any
 * differs).
 *
 *   bench_persons [-n CASES] [-b CASES_PER_TXN] [-r RUNS] [-d DIR [-R]] [-x]
 *   bench_persons -n CASES -G FILE   only writes the cases as CSV (bench/import_mem.sh)
 * -b sets the cases a transaction, -d keeps the databases in DIR, -R reuses them (no load), -x
 * leaves SQLite out (casebook only, for profiling). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <sys/stat.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "case.h"
#include "csvio.h"
#include "person.h"
#include "query.h"
#include "store.h"
#include "store_journal.h"
#include "util.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const first[][2] = {{"Жанар", "Zhanar"}, {"Асель", "Assel"},
    {"Нұржан", "Nurzhan"}, {"Ерлан", "Yerlan"}, {"Айдар", "Aidar"}, {"Бауыржан", "Baurzhan"},
    {"Гүлнар", "Gulnar"}, {"Серік", "Serik"}, {"Дана", "Dana"}, {"Мұрат", "Murat"}};
static const char *const cities[] = {"Алматы", "Астана", "Шымкент", "Атырау", "Актобе", "Караганда",
    "Тараз", "Павлодар", "Жанаозен", "Уральск"};

/* Person p's surname: a made-up word, the same in both scripts' letters
 * (syllables that romanise one to one), so every spelling of p is one key. */
static void surname(unsigned p, bool latin, char *out, size_t cap)
{
	static const char *const cyr[] = {"ка", "ли", "мо", "ну", "ра", "се", "та", "бо", "ди",
	    "ге"};
	static const char *const lat[] = {"ka", "li", "mo", "nu", "ra", "se", "ta", "bo", "di",
	    "ge"};
	size_t len = 0;
	out[0] = 0;
	for (unsigned q = p + 1000; q; q /= 10)
		len += (size_t)snprintf(out + len, cap - len, "%s", (latin ? lat : cyr)[q % 10]);
	snprintf(out + len, cap - len, "%s", latin ? "ov" : "ов");
}

/* Case i of n: its person, spelling and year. */
static void gen_case(struct case_record *c, unsigned people)
{
	unsigned p = rnd(people), v = rnd(4);
	char sur[96], name[160];
	struct cb_err err;

	case_init(c);
	surname(p, v & 1, sur, sizeof sur);
	const char *f = first[p % 10][v & 1];
	if (v & 2)
		snprintf(name, sizeof name, "%s %s", sur, f);
	else
		snprintf(name, sizeof name, "%s %s", f, sur);
	case_set_field(c, FIELD_NAME, name, false, &err);
	c->birth_year = rnd(10) == 0 ? 0 : 1940 + (int)(p % 70);
	case_set_field(c, FIELD_CITY, cities[rnd(10)], false, &err);
	c->date = (struct pdate){(uint16_t)(2018 + rnd(6)), (uint8_t)(1 + rnd(12)),
	    (uint8_t)(1 + rnd(28))};
	case_set_field(c, FIELD_MEASURES,
	    rnd(2) ? "admin_arrest:days=10|fine:fine=50 MRP" : "detention", false, &err);
}

struct batch {
	struct case_record *c;
	size_t n;
};

static int add_batch(struct store_txn *tx, void *ctx)
{
	struct batch *b = ctx;
	struct cb_err err;
	for (size_t i = 0; i < b->n; i++)
		if (store_txn_add(tx, &b->c[i], &err) != 0) {
			fprintf(stderr, "bench_persons: add: %s\n", err.msg);
			return 1;
		}
	return 0;
}

static void sq(sqlite3 *db, const char *sql)
{
	char *e = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK) {
		fprintf(stderr, "bench_persons: sqlite: %s\n", e);
		exit(2);
	}
}

/* SQLite's linking: the case's key and year looked up in persons(key, year);
 * a match gets the case, else a new person. Same rule as casebook's for
 * this data (whole key, known equal years). */
static sqlite3_int64 sq_link(sqlite3 *db, sqlite3_stmt *find, sqlite3_stmt *newp, const char *key,
    int year)
{
	if (year) {
		sqlite3_bind_text(find, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int(find, 2, year);
		if (sqlite3_step(find) == SQLITE_ROW) {
			sqlite3_int64 id = sqlite3_column_int64(find, 0);
			sqlite3_reset(find);
			return id;
		}
		sqlite3_reset(find);
	}
	sqlite3_bind_text(newp, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(newp, 2, year);
	sqlite3_step(newp);
	sqlite3_reset(newp);
	return sqlite3_last_insert_rowid(db);
}

/* Case c into SQLite, linked by sq_link. */
static void sq_insert(sqlite3 *db, sqlite3_stmt *find, sqlite3_stmt *newp, sqlite3_stmt *ins,
    const struct case_record *c)
{
	char key[PERSON_KEY_MAX], d[16];
	person_key(c->name, key); /* the same identity key for both */
	sqlite3_int64 pid = sq_link(db, find, newp, key, c->birth_year);
	sqlite3_bind_text(ins, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(ins, 2, c->birth_year);
	sqlite3_bind_text(ins, 3, c->city, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, pdate_format(c->date, d), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 5, pid);
	sqlite3_bind_int(ins, 6, c->measures[0].type == MEASURE_ADMIN_ARREST ? 10 : 0);
	sqlite3_bind_int(ins, 7, 0);
	sqlite3_bind_int(ins, 8, c->n_measures > 1);
	sqlite3_step(ins);
	sqlite3_reset(ins);
}

/* The benchmark's state: both engines, what was loaded, the options. */
struct bench {
	struct store *st;
	sqlite3 *db; /* NULL with -x: casebook only */
	size_t n, batch;
	unsigned people;
	int runs;
	double *tc, *ts;
};

/* Loads b->n cases into both engines, b->batch a transaction (by default
 * as many as `casebook import` writes in one: its chunk), timing each
 * engine's part (wall and CPU). */
static int load(struct bench *b)
{
	struct batch cur = {xcalloc(b->batch, sizeof *cur.c), 0};
	sqlite3_stmt *find = NULL, *newp = NULL, *ins = NULL;
	double t_cb = 0, t_sq = 0, c_cb = 0, c_sq = 0;
	struct cb_err err;

	if (b->db) {
		sqlite3_prepare_v2(b->db,
		    "SELECT id FROM persons WHERE key=? AND year=? ORDER BY id LIMIT 1", -1, &find,
		    NULL);
		sqlite3_prepare_v2(b->db, "INSERT INTO persons(key, year) VALUES(?, ?)", -1, &newp,
		    NULL);
		sqlite3_prepare_v2(b->db,
		    "INSERT INTO cases(name, year, city, date, person, arrest_days, "
		    "detention_days, fines) VALUES(?,?,?,?,?,?,?,?)",
		    -1, &ins, NULL);
	}
	for (size_t done = 0; done < b->n; done += cur.n) {
		cur.n = b->n - done < b->batch ? b->n - done : b->batch;
		for (size_t i = 0; i < cur.n; i++)
			gen_case(&cur.c[i], b->people);
		double t0 = now(), u0 = cpu_now();
		if (store_write(b->st, add_batch, &cur, &err) != 0) {
			fprintf(stderr, "bench_persons: %s\n", err.msg);
			return 2;
		}
		double t1 = now(), u1 = cpu_now();
		t_cb += t1 - t0;
		c_cb += u1 - u0;
		if (b->db) {
			sq(b->db, "BEGIN");
			for (size_t i = 0; i < cur.n; i++)
				sq_insert(b->db, find, newp, ins, &cur.c[i]);
			sq(b->db, "COMMIT");
			t_sq += now() - t1;
			c_sq += cpu_now() - u1;
		}
		for (size_t i = 0; i < cur.n; i++)
			case_free(&cur.c[i]);
	}
	printf("import with linking, %zu cases: casebook %.0f cases/s (%.0f per CPU second)", b->n,
	    (double)b->n / t_cb, (double)b->n / c_cb);
	if (b->db)
		printf(", SQLite %.0f cases/s (%.0f per CPU second)", (double)b->n / t_sq,
		    (double)b->n / c_sq);
	printf("\n");
	sqlite3_finalize(find), sqlite3_finalize(newp), sqlite3_finalize(ins);
	free(cur.c);
	return 0;
}

/* A random case's person's timeline and totals, RUNS times; 1 when the
 * engines' answers differ. */
static int timeline(struct bench *b)
{
	sqlite3_stmt *tl = NULL;
	struct cb_err err;
	int bad = 0;

	if (b->db)
		sqlite3_prepare_v2(b->db,
		    "SELECT count(*), sum(arrest_days), sum(fines), min(date) FROM "
		    "(SELECT * FROM cases WHERE person=? ORDER BY date)",
		    -1, &tl, NULL);
	for (int r = 0; r < b->runs; r++) {
		uint64_t cid = 1 + rnd((unsigned)b->n), pid;
		struct person_timeline t;
		store_person_of_case(b->st, cid, &pid, &err);
		double t0 = now();
		store_person_timeline(b->st, pid, 12, &t, &err);
		b->tc[r] = now() - t0;
		if (b->db) {
			sqlite3_stmt *pc;
			sqlite3_prepare_v2(b->db, "SELECT person FROM cases WHERE id=?", -1, &pc,
			    NULL);
			sqlite3_bind_int64(pc, 1, (sqlite3_int64)cid);
			sqlite3_step(pc);
			sqlite3_int64 spid = sqlite3_column_int64(pc, 0);
			sqlite3_finalize(pc);
			double t2 = now();
			sqlite3_bind_int64(tl, 1, spid);
			sqlite3_step(tl);
			int cnt = sqlite3_column_int(tl, 0), days = sqlite3_column_int(tl, 1);
			sqlite3_reset(tl);
			b->ts[r] = now() - t2;
			if ((unsigned)cnt != t.totals.cases ||
			    (unsigned)days != t.totals.arrest_days)
				bad++;
		}
		person_timeline_free(&t);
	}
	printf("a person's timeline and totals: casebook %.3f ms", median(b->tc, b->runs) * 1e3);
	if (b->db)
		printf(", SQLite %.3f ms (%s)", median(b->ts, b->runs) * 1e3,
		    bad ? "ANSWERS DIFFER" : "same answers");
	printf("\n");
	sqlite3_finalize(tl);
	return bad != 0;
}

/* The number of people under city:X as `casebook persons --count` finds
 * it (parse, run, the ids, the people), RUNS times over the ten cities; 1
 * when the engines' answers differ. */
static int count_people(struct bench *b)
{
	sqlite3_stmt *pcount = NULL;
	struct cb_err err;
	int bad = 0;

	if (b->db)
		sqlite3_prepare_v2(b->db, "SELECT count(DISTINCT person) FROM cases WHERE city=?",
		    -1, &pcount, NULL);
	for (int r = 0; r < b->runs; r++) {
		const char *city = cities[r % 10];
		char *text = xasprintf("city:%s", city);
		struct query *q;
		struct query_result *res;
		struct query_sort sort = {SORT_ID, false};
		double t0 = now();
		query_parse(text, &q, &err);
		query_run(b->st, q, sort, &res, &err);
		size_t total = query_result_count(res), got = 0, np;
		uint64_t *ids = xmalloc((total ? total : 1) * sizeof *ids);
		while (got < total) {
			size_t k = query_result_page(res, got, total - got, ids + got);
			if (!k)
				break;
			got += k;
		}
		store_persons_of_cases(b->st, ids, got, NULL, &np, &err);
		b->tc[r] = now() - t0;
		free(ids);
		query_result_free(res);
		query_free(q);
		free(text);
		if (!b->db)
			continue;
		double t1 = now();
		sqlite3_bind_text(pcount, 1, city, -1, SQLITE_STATIC);
		sqlite3_step(pcount);
		size_t sn = (size_t)sqlite3_column_int64(pcount, 0);
		sqlite3_reset(pcount);
		b->ts[r] = now() - t1;
		/* SQLite's persons are the same as casebook's only where linking
		 * agrees; cases without a birth year are their own person in both. */
		if (sn != np)
			bad++;
	}
	printf("persons --count city:X: casebook %.2f ms", median(b->tc, b->runs) * 1e3);
	if (b->db)
		printf(", SQLite %.2f ms (%s)", median(b->ts, b->runs) * 1e3,
		    bad ? "ANSWERS DIFFER" : "same answers");
	printf("\n");
	sqlite3_finalize(pcount);
	return bad != 0;
}

/* -G: the same cases as CSV, to time `casebook import` itself with linking. */
static int write_csv(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	struct case_record c;
	unsigned people = (unsigned)(n / 3 ? n / 3 : 1);

	if (!f || csvio_write_header_ex(f, true) != 0)
		return 3;
	for (size_t i = 0; i < n; i++) {
		gen_case(&c, people);
		int rc = csvio_write_case_ex(f, &c, true);
		case_free(&c);
		if (rc != 0)
			return 3;
	}
	return fclose(f) != 0 ? 3 : 0;
}

static const char usage[] =
    "usage: bench_persons [-n CASES] [-b CASES_PER_TXN] [-r RUNS] [-d DIR [-R]] [-x] [-G CSV]\n";

int main(int argc, char **argv)
{
	struct bench b = {.n = 1000000, .runs = 21};
	const char *keep = NULL;
	const char *csv = NULL;
	bool reuse = false, no_sqlite = false;
	char tmp[] = "/tmp/casebook-bench-persons.XXXXXX";
	const char *dir = tmp;
	struct cb_err err;
	int opt;

	setlocale(LC_ALL, "C.UTF-8");
	b.batch = (size_t)store_journal_chunk_rows();
	while ((opt = getopt(argc, argv, "n:b:r:d:RxG:")) != -1) {
		if (opt == 'G')
			csv = optarg;
		else if (opt == 'n')
			b.n = strtoul(optarg, NULL, 10);
		else if (opt == 'b')
			b.batch = strtoul(optarg, NULL, 10);
		else if (opt == 'r')
			b.runs = atoi(optarg);
		else if (opt == 'd')
			keep = optarg;
		else if (opt == 'R')
			reuse = true;
		else if (opt == 'x')
			no_sqlite = true;
		else {
			fprintf(stderr, usage);
			return 2;
		}
	}
	if (b.n == 0 || b.batch == 0 || b.runs < 1 || (reuse && !keep)) {
		fprintf(stderr, usage);
		return 2;
	}
	if (csv)
		return write_csv(csv, b.n);
	if (keep && !reuse && mkdir(keep, 0700) != 0) {
		perror(keep);
		return 2;
	}
	if (keep)
		dir = keep;
	else if (!mkdtemp(tmp))
		return 2;
	b.people = (unsigned)(b.n / 3 ? b.n / 3 : 1);
	char *cbdir = xasprintf("%s/cb", dir), *sqpath = xasprintf("%s/sq.db", dir);
	struct store_options so = {.initial_map = (size_t)4 << 30};
	if (store_open(&b.st, cbdir, &so, &err) != 0) {
		fprintf(stderr, "bench_persons: %s\n", err.msg);
		return 2;
	}
	if (!no_sqlite) {
		sqlite3_open(sqpath, &b.db);
		if (!reuse)
			sq(b.db,
			    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			    "CREATE TABLE persons(id INTEGER PRIMARY KEY, key TEXT, year INT);"
			    "CREATE INDEX persons_key ON persons(key, year);"
			    "CREATE TABLE cases(id INTEGER PRIMARY KEY, name TEXT, year INT, city "
			    "TEXT, date TEXT, person INT, arrest_days INT, detention_days INT, "
			    "fines INT);"
			    "CREATE INDEX cases_person ON cases(person);"
			    "CREATE INDEX cases_city ON cases(city);");
	}
	b.tc = xcalloc((size_t)b.runs, sizeof *b.tc);
	b.ts = xcalloc((size_t)b.runs, sizeof *b.ts);
	int rc = reuse ? 0 : load(&b);
	if (rc == 0)
		rc = timeline(&b) | count_people(&b);
	sqlite3_close(b.db);
	store_close(b.st);
	if (!keep)
		rm_tree(dir);
	free(cbdir), free(sqpath), free(b.tc), free(b.ts);
	return rc;
}
