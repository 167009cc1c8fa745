/* bench.c — casebook against SQLite on the same synthetic cases and the
 * same queries (DESIGN.md §7). Generates N cases (default 1,000,000) from a
 * fixed seed, loads them into a casebook store and into an SQLite file
 * (same fields, an index on every filtered field, the same transaction
 * size), runs each query on both a number of times and prints the median
 * of each, their ratio, import throughput, sizes on disk and peak memory.
 * The answers of both engines are compared; any difference exits 1.
 *
 *   bench [-n CASES] [-r RUNS] [-b BATCH] [-d DIR [-R]] [-q QUERY] [-g FILE|none]
 *   bench -n CASES -G FILE    only writes the cases as a CSV file to import
 *
 * Cities and regions go through the gazetteer data/places.tsv (-g another
 * file, or -g none for text keys only, as before places had keys); SQLite's
 * city_key column holds the same precomputed key, and a query's place is
 * resolved through the same gazetteer before SQLite is asked.
 *
 * -d DIR keeps the databases in DIR; -R then reuses them (no load: for
 * profiling one query, -q N runs only the N-th, counted from 1, and -C
 * times casebook only; -x loads and times casebook only, to profile it).
 * Everything is written in a private directory (mkdtemp, 0700) removed at
 * the end; -d keeps it in DIR instead. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "case.h"
#include "csvio.h"
#include "fold.h"
#include "gazetteer.h"
#include "index_key.h"
#include "place.h"
#include "query.h"
#include "store.h"
#include "text.h"
#include "util.h"

/* ---- Synthetic cases ------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd64(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(rnd64() % n);
}

/* Cities with a Zipf-like weight (1/rank): Almaty is about a fifth. */
static const char *const cities[] = {
    "Алматы",
    "Астана",
    "Шымкент",
    "Актобе",
    "Караганда",
    "Тараз",
    "Павлодар",
    "Усть-Каменогорск",
    "Семей",
    "Атырау",
    "Костанай",
    "Кызылорда",
    "Уральск",
    "Петропавловск",
    "Актау",
    "Темиртау",
    "Туркестан",
    "Кокшетау",
    "Талдыкорган",
    "Экибастуз",
    "Рудный",
    "Жанаозен",
    "Жезказган",
    "Балхаш",
    "Кентау",
    "Сатпаев",
    "Каскелен",
    "Конаев",
    "Степногорск",
    "Лисаковск",
    "Аксу",
    "Аркалык",
    "Шахтинск",
    "Сарань",
    "Байконыр",
    "Щучинск",
    "Житикара",
    "Аральск",
    "Зайсан",
    "Риддер",
};
#define N_CITIES (sizeof cities / sizeof cities[0])
static const char *const regions[] = {
    "Алматинская область",
    "Акмолинская область",
    "Туркестанская область",
    "Актюбинская область",
    "Карагандинская область",
    "Жамбылская область",
    "Павлодарская область",
    "Восточно-Казахстанская область",
    "Атырауская область",
    "Костанайская область",
    "Кызылординская область",
    "Западно-Казахстанская область",
    "Северо-Казахстанская область",
    "Мангистауская область",
};
static const char *const first_cyr[] = {
    "Асет",
    "Айгерим",
    "Нурлан",
    "Дина",
    "Ерлан",
    "Жанна",
    "Бауыржан",
    "Гульнара",
    "Марат",
    "Алия",
    "Серик",
    "Мадина",
    "Ержан",
    "Сауле",
    "Дархан",
    "Асель",
    "Йеркин",
    "Қайрат",
    "Әсем",
    "Ұлан",
};
static const char *const last_cyr[] = {
    "Жанұзақов",
    "Ахметов",
    "Сейткали",
    "Иманбаев",
    "Оспанова",
    "Касымов",
    "Нургалиева",
    "Абенов",
    "Тулегенов",
    "Смагулова",
    "Казбеков",
    "Кадырова",
    "Есенов",
    "Байжанов",
    "Мукашева",
    "Жумабаев",
};
static const char *const first_lat[] = {
    "Aset",
    "Aigerim",
    "Nurlan",
    "Dina",
    "Erlan",
    "Zhanna",
    "Baurzhan",
    "Gulnara",
    "Marat",
    "Aliya",
    "Serik",
    "Madina",
    "Ninagul",
    "Saule",
    "Darkhan",
    "Assel",
};
static const char *const last_lat[] = {
    "Dzhumaniyazova",
    "Akhmetov",
    "Kazybekov",
    "Imanbayev",
    "Ospanova",
    "Kassymov",
    "Kazakova",
    "Abenov",
    "Tulegenov",
    "Smagulova",
    "Kazhimuratov",
    "Kadyrova",
    "Yessenov",
    "Baizhanov",
    "Mukasheva",
    "Zhumabayev",
};
static const char *const events[] = {
    "2021-04-24 DCK rallies",
    "2021-05-01 DCK rallies",
    "2021-02-28 rally",
    "2021-06-06 rally",
    "2022-01 January events",
    "2019-06 election protests",
    "2020-06-06 rallies",
    "2021-10-25 rally",
    "2022-03-12 rally",
    "2023-03-19 election",
    "Zhanaozen anniversary",
    "Online posts",
    "Pre-election pressure",
    "Summons wave",
};
static const char *const lawyer_names[] = {
    "Ivanova",
    "Seitkali",
    "Abenova",
    "Tulegenov",
    "Akhmetova",
    "Kim",
    "Li",
    "Zhaksybekov",
    "Mukhamedov",
    "Sarsenova",
};

static double city_cdf[N_CITIES];

static void init_cdf(void)
{
	double sum = 0, acc = 0;
	for (size_t i = 0; i < N_CITIES; i++)
		sum += 1.0 / (double)(i + 1);
	for (size_t i = 0; i < N_CITIES; i++) {
		acc += 1.0 / (double)(i + 1) / sum;
		city_cdf[i] = acc;
	}
}

static size_t pick_city(void)
{
	double u = (double)(rnd64() >> 11) / 9007199254740992.0;
	for (size_t i = 0; i < N_CITIES; i++)
		if (u < city_cdf[i])
			return i;
	return N_CITIES - 1;
}

static struct pdate rand_date(int y0, int years)
{
	struct pdate d = {(uint16_t)(y0 + (int)rnd((unsigned)years)), (uint8_t)(1 + rnd(12)),
	    (uint8_t)(1 + rnd(28))};
	unsigned k = rnd(100);
	if (k < 5)
		d.month = 0, d.day = 0; /* year only */
	else if (k < 15)
		d.day = 0; /* month only */
	return d;
}

static void gen_case(struct case_record *c)
{
	char buf[256];

	case_init(c);
	unsigned k = rnd(100);
	if (k < 50) {
		snprintf(buf, sizeof buf, "%s %s", first_cyr[rnd(20)], last_cyr[rnd(16)]);
		c->name = xstrdup(buf);
		if (rnd(5) == 0) {
			snprintf(buf, sizeof buf, "%s %s", first_lat[rnd(16)], last_lat[rnd(16)]);
			c->name_latin = xstrdup(buf);
		}
	} else if (k < 92) {
		snprintf(buf, sizeof buf, "%s %s", first_lat[rnd(16)], last_lat[rnd(16)]);
		c->name = xstrdup(buf);
	}
	if (rnd(20) == 0)
		strlist_add(&c->aliases, last_cyr[rnd(16)]);
	c->sex = (int)rnd(3);
	if (rnd(2))
		c->birth_year = 1950 + (int)rnd(55);
	size_t city = pick_city();
	c->city = xstrdup(cities[city]);
	c->region = xstrdup(regions[city % (sizeof regions / sizeof regions[0])]);
	c->event = xstrdup(events[rnd(sizeof events / sizeof events[0])]);
	if (rnd(100) >= 3)
		c->date = rand_date(2019, 5);
	unsigned nm = rnd(4);
	if (nm) {
		c->measures = xcalloc(nm, sizeof *c->measures);
		for (unsigned i = 0; i < nm; i++) {
			struct measure *m = &c->measures[c->n_measures++];
			unsigned t = rnd(100);
			m->days = -1;
			m->type = t < 25 ? MEASURE_DETENTION
			    : t < 45     ? MEASURE_ADMIN_ARREST
			    : t < 65     ? MEASURE_FINE
			    : t < 75     ? MEASURE_ADMIN_CASE
			    : t < 83     ? MEASURE_WARNING
			    : t < 90     ? MEASURE_PREVENTIVE
			    : t < 93     ? MEASURE_CRIMINAL_CASE
			    : t < 95     ? MEASURE_THREAT
			                 : (int)(MEASURE_REFUSAL + rnd(7));
			if (m->type == MEASURE_ADMIN_ARREST)
				m->days = 1 + (int)rnd(30);
			else if (m->type == MEASURE_DETENTION && rnd(2))
				m->days = 1 + (int)rnd(3);
			if (m->type == MEASURE_FINE)
				m->fine = xstrdup("100 MRP");
			if (m->type == MEASURE_ADMIN_ARREST)
				m->article = xstrdup("KoAP 488 part 6");
		}
	}
	if (rnd(10) == 0) {
		unsigned ni = 1 + rnd(2);
		c->injuries = xcalloc(ni, sizeof *c->injuries);
		for (unsigned i = 0; i < ni; i++) {
			struct injury *in = &c->injuries[c->n_injuries++];
			in->type = (int)rnd((unsigned)vocab_injury.count);
			in->exam = -1;
		}
	}
	unsigned s = rnd(100);
	c->status = s < 40 ? STATUS_OPEN
	    : s < 60       ? STATUS_AWAITING_TRIAL
	    : s < 75       ? STATUS_IN_COURT
	    : s < 80       ? STATUS_APPEAL
	                   : STATUS_CLOSED;
	c->verification = (int)rnd(4);
	c->confidentiality = (int)rnd(3);
	if (rnd(10) < 3)
		c->lawyer = xstrdup(lawyer_names[rnd(10)]);
	if (rnd(5) == 0)
		c->hearing = rand_date(2021, 3);
	strlist_add(&c->sources, "https://example.org/bulletin/2021-05");
	if (rnd(4) == 0)
		c->notes = xstrdup("Detained after the rally; relatives informed.");
}

/* ---- Timing and small helpers -------------------------------------------- */

static long long du(const char *path)
{
	long long sum = 0;
	struct stat sb;
	const char *names[] = {"", "/data.mdb", "-wal", "-shm", NULL};
	for (int i = 0; names[i]; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", path, names[i]);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			sum += (long long)sb.st_blocks * 512;
	}
	return sum;
}

static long rss_anon_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "RssAnon: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void sq_check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench: sqlite: %s: %s\n", what, sqlite3_errmsg(db));
		exit(3);
	}
}

static void sq_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench: sqlite: %s: %s\n", sql, msg ? msg : "?");
		exit(3);
	}
}

/* ---- Loading ------------------------------------------------------------- */

struct batch {
	struct case_record *c;
	size_t n;
};

static int add_batch(struct store_txn *tx, void *ctx)
{
	struct batch *b = ctx;
	struct cb_err err;
	for (size_t i = 0; i < b->n; i++) {
		int rc = store_txn_add(tx, &b->c[i], &err);
		if (rc) {
			fprintf(stderr, "bench: add: %s\n", err.msg);
			return rc;
		}
	}
	return 0;
}

static const char *const schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA cache_size=-65536;"
    "PRAGMA mmap_size=2147483648;"
    "CREATE TABLE cases(id INTEGER PRIMARY KEY, name TEXT, name_latin TEXT, aliases TEXT,"
    " sex TEXT, birth_year INTEGER, affiliation TEXT, event TEXT, event_key TEXT,"
    " date TEXT, date_first INTEGER, date_last INTEGER, region TEXT, region_key TEXT,"
    " city TEXT, city_key TEXT, measures TEXT, injuries TEXT, status TEXT,"
    " verification TEXT, lawyer TEXT, lawyer_key TEXT, hearing TEXT,"
    " hearing_first INTEGER, hearing_last INTEGER, confidentiality TEXT, sources TEXT,"
    " notes TEXT, days INTEGER, sortname TEXT, created INTEGER, updated INTEGER,"
    " updated_by TEXT, rev INTEGER);"
    "CREATE TABLE measure(type TEXT, case_id INTEGER, PRIMARY KEY(type, case_id)) WITHOUT ROWID;"
    "CREATE TABLE injury(type TEXT, case_id INTEGER, PRIMARY KEY(type, case_id)) WITHOUT ROWID;"
    "CREATE TABLE name_token(token TEXT, case_id INTEGER, PRIMARY KEY(token, case_id)) WITHOUT "
    "ROWID;"
    /* The skeleton of each name word (index_key.h), computed at load like
     * casebook's, with its index: the primary key. */
    "CREATE TABLE name_skel(skel TEXT, case_id INTEGER, PRIMARY KEY(skel, case_id)) WITHOUT "
    "ROWID;"
    "CREATE INDEX cases_city ON cases(city_key);"
    "CREATE INDEX cases_region ON cases(region_key);"
    "CREATE INDEX cases_event ON cases(event_key);"
    "CREATE INDEX cases_lawyer ON cases(lawyer_key);"
    "CREATE INDEX cases_status ON cases(status);"
    "CREATE INDEX cases_verification ON cases(verification);"
    "CREATE INDEX cases_sex ON cases(sex);"
    "CREATE INDEX cases_conf ON cases(confidentiality);"
    "CREATE INDEX cases_date ON cases(date);"
    "CREATE INDEX cases_date_span ON cases(date_first, date_last);"
    "CREATE INDEX cases_hearing ON cases(hearing);"
    "CREATE INDEX cases_hearing_span ON cases(hearing_first, hearing_last);"
    "CREATE INDEX cases_days ON cases(days);"
    "CREATE INDEX cases_sortname ON cases(sortname);";

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (str_empty(v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* The city key of case c as casebook's index has it (a place's key, or
 * the folded text), for SQLite's precomputed column. */
static void bind_city_key(sqlite3_stmt *s, int i, const struct case_record *c)
{
	struct strlist keys = {0};

	index_case_keys(c, IDX_CITY, &keys);
	if (keys.n)
		sqlite3_bind_text(s, i, keys.items[0], -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
	strlist_free(&keys);
}

static void bind_key(sqlite3_stmt *s, int i, const char *v)
{
	if (str_empty(v)) {
		sqlite3_bind_null(s, i);
		return;
	}
	char *k = fold_text(v);
	index_key_clip(k);
	sqlite3_bind_text(s, i, k, -1, free);
}

struct sq {
	sqlite3 *db;
	sqlite3_stmt *ins, *ins_m, *ins_i, *ins_n, *ins_s;
};

/* Inserts (key, id) with stmt for each key case c has in index idx. */
static void sq_insert_keys(sqlite3 *db, sqlite3_stmt *stmt, const struct case_record *c, int idx,
    uint64_t id, const char *what)
{
	struct strlist keys = {0};

	index_case_keys(c, idx, &keys);
	for (size_t j = 0; j < keys.n; j++) {
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, keys.items[j], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)id);
		sq_check(db, sqlite3_step(stmt), what);
	}
	strlist_free(&keys);
}

static void sq_insert(struct sq *q, const struct case_record *c, uint64_t id)
{
	sqlite3_stmt *s = q->ins;
	char date[16], hearing[16];
	uint32_t f, l;
	int i = 1;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, i++, (sqlite3_int64)id);
	bind_text(s, i++, c->name);
	bind_text(s, i++, c->name_latin);
	char *al = strlist_format(&c->aliases);
	bind_text(s, i++, al);
	free(al);
	bind_text(s, i++, vocab_key(&vocab_sex, c->sex));
	sqlite3_bind_int(s, i++, c->birth_year);
	char *af = strlist_format(&c->affiliation);
	bind_text(s, i++, af);
	free(af);
	bind_text(s, i++, c->event);
	bind_key(s, i++, c->event);
	bind_text(s, i++, pdate_format(c->date, date));
	pdate_span(c->date, &f, &l);
	if (pdate_is_set(c->date)) {
		sqlite3_bind_int(s, i++, (int)f);
		sqlite3_bind_int(s, i++, (int)l);
	} else {
		sqlite3_bind_null(s, i++);
		sqlite3_bind_null(s, i++);
	}
	bind_text(s, i++, c->region);
	bind_key(s, i++, c->region);
	bind_text(s, i++, c->city);
	bind_city_key(s, i++, c);
	char *ms = measures_format(c->measures, c->n_measures);
	bind_text(s, i++, ms);
	free(ms);
	char *is = injuries_format(c->injuries, c->n_injuries);
	bind_text(s, i++, is);
	free(is);
	bind_text(s, i++, vocab_key(&vocab_status, c->status));
	bind_text(s, i++, vocab_key(&vocab_verification, c->verification));
	bind_text(s, i++, c->lawyer);
	bind_key(s, i++, c->lawyer);
	bind_text(s, i++, pdate_format(c->hearing, hearing));
	pdate_span(c->hearing, &f, &l);
	if (pdate_is_set(c->hearing)) {
		sqlite3_bind_int(s, i++, (int)f);
		sqlite3_bind_int(s, i++, (int)l);
	} else {
		sqlite3_bind_null(s, i++);
		sqlite3_bind_null(s, i++);
	}
	bind_text(s, i++, vocab_key(&vocab_confidentiality, c->confidentiality));
	char *so = strlist_format(&c->sources);
	bind_text(s, i++, so);
	free(so);
	bind_text(s, i++, c->notes);
	sqlite3_bind_int(s, i++, case_total_days(c));
	if (!str_empty(c->name) || !str_empty(c->name_latin))
		bind_key(s, i++, case_display_name(c));
	else
		sqlite3_bind_null(s, i++);
	sqlite3_bind_int64(s, i++, c->created);
	sqlite3_bind_int64(s, i++, c->updated);
	bind_text(s, i++, c->updated_by);
	sqlite3_bind_int(s, i++, (int)c->rev);
	sq_check(q->db, sqlite3_step(s), "insert case");

	sq_insert_keys(q->db, q->ins_m, c, IDX_MEASURE, id, "insert measure");
	sq_insert_keys(q->db, q->ins_i, c, IDX_INJURY, id, "insert injury");
	sq_insert_keys(q->db, q->ins_n, c, IDX_NAME, id, "insert name token");
	sq_insert_keys(q->db, q->ins_s, c, IDX_NAME_SKEL, id, "insert name skeleton");
}

/* ---- Queries ------------------------------------------------------------- */

/* Q_COUNTED: the count and the first sorted page (the SQL gives the count
 * in a second column). */
enum qkind { Q_COUNT, Q_FACETS, Q_PAGE, Q_COUNTED };

struct bq {
	const char *label;
	int kind;
	const char *filter; /* casebook filter text */
	const char *sort; /* Q_PAGE: sort key */
	int middle; /* Q_PAGE: page in the middle of the result */
	const char *sql; /* ?1.. bound from args */
	const char *args[8];
};

#define PAGE 40

/* The cases with a name word whose skeleton is in ?a..?b or whose folded
 * form is in ?c..?d: what casebook's name term matches. */
#define NAME_MATCH(a, b, c, d)                                                                     \
	"SELECT case_id FROM name_skel WHERE skel >= ?" a " AND skel < ?" b                        \
	" UNION SELECT case_id FROM name_token WHERE token >= ?" c " AND token < ?" d

static const struct bq queries[] = {
    {"city:Алматы (count)", Q_COUNT, "city:Алматы", NULL, 0,
        "SELECT count(*) FROM cases WHERE city_key = ?1", {"@Алматы"}},
    {"city:Almaty (count, Latin: through the gazetteer)", Q_COUNT, "city:Almaty", NULL, 0,
        "SELECT count(*) FROM cases WHERE city_key = ?1", {"@Almaty"}},
    {"city:Alma-Ata,Uralsk (count, former name + other)", Q_COUNT, "city:Alma-Ata,Uralsk", NULL, 0,
        "SELECT count(*) FROM cases WHERE city_key IN (?1, ?2)", {"@Alma-Ata", "@Uralsk"}},
    {"injury:head_trauma (count)", Q_COUNT, "injury:head_trauma", NULL, 0,
        "SELECT count(*) FROM injury WHERE type = ?1", {"head_trauma"}},
    {"status:in_court (count)", Q_COUNT, "status:in_court", NULL, 0,
        "SELECT count(*) FROM cases WHERE status = ?1", {"in_court"}},
    {"city:Алматы injury:head_trauma", Q_COUNT, "city:Алматы injury:head_trauma", NULL, 0,
        "SELECT count(*) FROM cases c JOIN injury i ON i.case_id = c.id"
        " WHERE c.city_key = ?1 AND i.type = ?2",
        {"@Алматы", "head_trauma"}},
    {"lawyer:Ivanova status:awaiting_trial", Q_COUNT, "lawyer:Ivanova status:awaiting_trial", NULL,
        0, "SELECT count(*) FROM cases WHERE lawyer_key = ?1 AND status = ?2",
        {"ivanova", "awaiting_trial"}},
    {"city:Алматы measure:admin_arrest status:in_court", Q_COUNT,
        "city:Алматы measure:admin_arrest status:in_court", NULL, 0,
        "SELECT count(*) FROM cases c WHERE c.city_key = ?1 AND c.status = ?3 AND EXISTS"
        " (SELECT 1 FROM measure m WHERE m.type = ?2 AND m.case_id = c.id)",
        {"@Алматы", "admin_arrest", "in_court"}},
    {"measure:admin_arrest days:>=10 date:2021-05", Q_COUNT,
        "measure:admin_arrest days:>=10 date:2021-05", NULL, 0,
        "SELECT count(*) FROM cases c WHERE c.days >= 10 AND c.date_first >= 20210501"
        " AND c.date_last <= 20210531 AND EXISTS"
        " (SELECT 1 FROM measure m WHERE m.type = ?1 AND m.case_id = c.id)",
        {"admin_arrest"}},
    {"date:2021-05-01..2021-05-31", Q_COUNT, "date:2021-05-01..2021-05-31", NULL, 0,
        "SELECT count(*) FROM cases WHERE date_first >= 20210501 AND date_last <= 20210531", {0}},
    {"name:kaz (prefix, skeleton or folded)", Q_COUNT, "name:kaz", NULL, 0,
        "SELECT count(*) FROM (" NAME_MATCH("1", "2", "3", "4") ")",
        {"kaz", "kaz\xff", "kaz", "kaz\xff"}},
    {"name:есенов (finds Yessenov) + first 40 by name", Q_COUNTED, "name:есенов", "name", 0,
        "SELECT c.id, count(*) OVER () FROM cases c WHERE c.id IN (" NAME_MATCH("1", "2", "3",
            "4") ") ORDER BY c.sortname IS NULL, c.sortname, c.id LIMIT 40",
        {"esenov", "esenov\xff", "есенов", "есенов\xff"}},
    {"name:zhanna name:тулегенов + first 40 by name", Q_COUNTED, "name:zhanna name:тулегенов",
        "name", 0,
        "SELECT c.id, count(*) OVER () FROM cases c WHERE c.id IN (SELECT * FROM (" NAME_MATCH("1",
            "2", "3", "4") ") INTERSECT SELECT * FROM (" NAME_MATCH("5", "6", "7",
            "8") ")) ORDER BY c.sortname IS NULL, c.sortname, c.id LIMIT 40",
        {"jana", "jana\xff", "zhanna", "zhanna\xff", "tulegenov", "tulegenov\xff", "тулегенов",
            "тулегенов\xff"}},
    {"event:rally (a whole word of the title)", Q_COUNT, "event:rally", NULL, 0,
        "SELECT count(*) FROM cases WHERE event_key IN (SELECT DISTINCT event_key FROM cases"
        " WHERE ' ' || event_key || ' ' LIKE ?1)",
        {"% rally %"}},
    {"event:05.2021 (events dated in May 2021)", Q_COUNT, "event:05.2021", NULL, 0,
        "SELECT count(*) FROM cases WHERE event_key >= ?1 AND event_key < ?2",
        {"2021-05", "2021-06"}},
    {"-status:closed sex:f (exclusion)", Q_COUNT, "-status:closed sex:f", NULL, 0,
        "SELECT count(*) FROM cases WHERE sex = ?1 AND status <> ?2", {"f", "closed"}},
    {"facets city (all cases)", Q_FACETS, "", NULL, 0,
        "SELECT city_key, count(*) FROM cases WHERE city_key IS NOT NULL GROUP BY city_key", {0}},
    {"facets city | injury:head_trauma", Q_FACETS, "injury:head_trauma", NULL, 0,
        "SELECT c.city_key, count(*) FROM cases c JOIN injury i ON i.case_id = c.id"
        " WHERE i.type = ?1 GROUP BY c.city_key",
        {"head_trauma"}},
    {"facets city | measure:admin_arrest", Q_FACETS, "measure:admin_arrest", NULL, 0,
        "SELECT c.city_key, count(*) FROM cases c JOIN measure m ON m.case_id = c.id"
        " WHERE m.type = ?1 GROUP BY c.city_key",
        {"admin_arrest"}},
    {"city:Алматы sorted by date, first 40", Q_PAGE, "city:Алматы", "date", 0,
        "SELECT id FROM cases WHERE city_key = ?1 ORDER BY date IS NULL, date, id LIMIT 40",
        {"@Алматы"}},
    {"3 terms: count + first 40 by date", Q_PAGE,
        "city:Алматы measure:admin_arrest status:in_court", "date", 0,
        "SELECT id FROM cases c WHERE c.city_key = ?1 AND c.status = ?3 AND EXISTS"
        " (SELECT 1 FROM measure m WHERE m.type = ?2 AND m.case_id = c.id)"
        " ORDER BY date IS NULL, date, id LIMIT 40",
        {"@Алматы", "admin_arrest", "in_court"}},
    {"all sorted by name, first 40", Q_PAGE, "", "name", 0,
        "SELECT id FROM cases WHERE sortname IS NOT NULL ORDER BY sortname, id LIMIT 40", {0}},
    {"all sorted by date, page in the middle", Q_PAGE, "", "date", 1,
        "SELECT id FROM cases WHERE date IS NOT NULL ORDER BY date, id LIMIT 40 OFFSET ?9", {0}},
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

struct answer {
	uint64_t count;
	uint64_t ids[PAGE];
	size_t nids;
	struct facet *f; /* facets: key and count */
	size_t nf;
};

static void answer_free(struct answer *a)
{
	query_facets_free(a->f, a->nf);
	memset(a, 0, sizeof *a);
}

static int run_casebook(struct store *st, const struct bq *b, struct answer *a)
{
	struct query *q;
	struct query_result *r;
	struct cb_err err;
	struct query_sort s = {SORT_ID, false};

	if (query_parse(b->filter, &q, &err) != 0) {
		fprintf(stderr, "bench: %s: %s\n", b->filter, err.msg);
		return -1;
	}
	if (b->kind == Q_FACETS) {
		int rc = query_facets(st, "city", q, &a->f, &a->nf, &err);
		query_free(q);
		if (rc)
			fprintf(stderr, "bench: facets: %s\n", err.msg);
		return rc;
	}
	if (b->sort)
		query_sort_parse(b->sort, &s, &err);
	if (query_run(st, q, s, &r, &err) != 0) {
		fprintf(stderr, "bench: %s: %s\n", b->filter, err.msg);
		query_free(q);
		return -1;
	}
	a->count = query_result_count(r);
	if (b->kind == Q_PAGE || b->kind == Q_COUNTED)
		a->nids = query_result_page(r, b->middle ? a->count / 2 : 0, PAGE, a->ids);
	query_result_free(r);
	query_free(q);
	return 0;
}

/* The city key a query argument "@Name" stands for: resolved as casebook
 * resolves city:Name (the place's key when the gazetteer knows it). */
static char *city_arg(const char *name)
{
	struct strlist keys = {0};
	bool clipped;

	index_filter_keys(IDX_CITY, name, &keys, &clipped);
	char *k = xstrdup(keys.n ? keys.items[0] : "");
	strlist_free(&keys);
	return k;
}

static void run_sqlite(sqlite3 *db, sqlite3_stmt *s, const struct bq *b, uint64_t offset,
    struct answer *a)
{
	sqlite3_reset(s);
	for (int i = 0; i < 8; i++)
		if (b->args[i] && b->args[i][0] == '@')
			sqlite3_bind_text(s, i + 1, city_arg(b->args[i] + 1), -1, free);
		else if (b->args[i])
			sqlite3_bind_text(s, i + 1, b->args[i], -1, SQLITE_STATIC);
	if (b->middle)
		sqlite3_bind_int64(s, 9, (sqlite3_int64)offset);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (b->kind == Q_COUNT) {
			a->count = (uint64_t)sqlite3_column_int64(s, 0);
		} else if (b->kind == Q_PAGE) {
			if (a->nids < PAGE)
				a->ids[a->nids++] = (uint64_t)sqlite3_column_int64(s, 0);
		} else if (b->kind == Q_COUNTED) {
			if (a->nids < PAGE)
				a->ids[a->nids++] = (uint64_t)sqlite3_column_int64(s, 0);
			a->count = (uint64_t)sqlite3_column_int64(s, 1);
		} else {
			if (a->nf == cap) {
				cap = cap ? cap * 2 : 64;
				a->f = xreallocarray(a->f, cap, sizeof *a->f);
			}
			const unsigned char *k = sqlite3_column_text(s, 0);
			a->f[a->nf].key = xstrdup(k ? (const char *)k : "");
			a->f[a->nf].value = xstrdup("");
			a->f[a->nf].count = (uint64_t)sqlite3_column_int64(s, 1);
			a->nf++;
		}
	}
	sq_check(db, rc, b->label);
}

/* Prints a label padded to 50 display columns (Cyrillic is 2 bytes a letter). */
static void put_label(const char *s)
{
	size_t w = text_width(s);
	fputs(s, stdout);
	for (; w < 50; w++)
		putchar(' ');
}

static int facet_key_cmp(const void *x, const void *y)
{
	return strcmp(((const struct facet *)x)->key, ((const struct facet *)y)->key);
}

/* Compares what the two engines answered; prints the difference. */
static bool same_answer(const struct bq *b, struct answer *c, struct answer *s)
{
	if (b->kind == Q_COUNT) {
		if (c->count == s->count)
			return true;
		fprintf(stderr, "bench: %s: casebook %llu, sqlite %llu\n", b->label,
		    (unsigned long long)c->count, (unsigned long long)s->count);
		return false;
	}
	if (b->kind == Q_COUNTED && c->count != s->count) {
		fprintf(stderr, "bench: %s: casebook counted %llu, sqlite %llu\n", b->label,
		    (unsigned long long)c->count, (unsigned long long)s->count);
		return false;
	}
	if (b->kind == Q_PAGE || b->kind == Q_COUNTED) {
		bool ok = c->nids == s->nids;
		for (size_t i = 0; ok && i < c->nids; i++)
			ok = c->ids[i] == s->ids[i];
		if (!ok)
			fprintf(stderr, "bench: %s: pages differ (first ids %llu / %llu)\n",
			    b->label, (unsigned long long)(c->nids ? c->ids[0] : 0),
			    (unsigned long long)(s->nids ? s->ids[0] : 0));
		return ok;
	}
	qsort(c->f, c->nf, sizeof *c->f, facet_key_cmp);
	qsort(s->f, s->nf, sizeof *s->f, facet_key_cmp);
	bool ok = c->nf == s->nf;
	for (size_t i = 0; ok && i < c->nf; i++)
		ok = strcmp(c->f[i].key, s->f[i].key) == 0 && c->f[i].count == s->f[i].count;
	if (!ok)
		fprintf(stderr, "bench: %s: facet counts differ (%zu / %zu values)\n", b->label,
		    c->nf, s->nf);
	return ok;
}

/* The TUI's filter pane (casebook only): counts of five fields under one
 * filter, as one query_run and one query_result_facets, and as five
 * query_facets calls (each evaluating the filter again). */
static void pane_facets(struct store *st, double *t1, double *t5, int runs)
{
	static const char *const fields[] = {"city", "injury", "measure", "event", "status"};
	static const char *const filters[] = {"injury:head_trauma", "measure:admin_arrest"};
	struct cb_err err;

	printf("\n%-50s %12s %12s\n", "filter pane: 5 facet fields (casebook only)", "one result",
	    "5 calls");
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		struct query *q;
		if (query_parse(filters[i], &q, &err) != 0)
			return;
		for (int r = 0; r < runs; r++) {
			struct facet *f[5];
			size_t n[5];
			struct query_result *res;
			double t0 = now();
			if (query_run(st, q, (struct query_sort){SORT_ID, false}, &res, &err) !=
			        0 ||
			    query_result_facets(res, fields, 5, f, n, &err) != 0) {
				fprintf(stderr, "bench: filter pane: %s\n", err.msg);
				exit(3);
			}
			t1[r] = (now() - t0) * 1e3;
			query_result_free(res);
			for (int k = 0; k < 5; k++)
				query_facets_free(f[k], n[k]);
			t0 = now();
			for (int k = 0; k < 5; k++) {
				if (query_facets(st, fields[k], q, &f[k], &n[k], &err) != 0) {
					fprintf(stderr, "bench: filter pane: %s\n", err.msg);
					exit(3);
				}
			}
			t5[r] = (now() - t0) * 1e3;
			for (int k = 0; k < 5; k++)
				query_facets_free(f[k], n[k]);
		}
		put_label(filters[i]);
		printf(" %12.3f %12.3f\n", median(t1, runs), median(t5, runs));
		query_free(q);
	}
}

/* -G: the same synthetic cases as CSV without the metadata columns, for
 * timing `casebook import` (bench/run.sh). */
static int write_csv(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	struct case_record c;

	if (!f || csvio_write_header_ex(f, true) != 0)
		return 3;
	init_cdf();
	for (size_t i = 0; i < n; i++) {
		gen_case(&c);
		int rc = csvio_write_case_ex(f, &c, true);
		case_free(&c);
		if (rc != 0)
			return 3;
	}
	return fclose(f) != 0 ? 3 : 0;
}

int main(int argc, char **argv)
{
	size_t n = 1000000, batch = 10000;
	int runs = 21, opt;
	const char *keep = NULL, *csv = NULL, *places = "data/places.tsv";
	bool reuse = false, cb_only = false, no_sqlite = false;
	int only = 0;
	char dir[4096];
	struct cb_err err;

	setlocale(LC_ALL, "C.UTF-8");
	umask(077);
	while ((opt = getopt(argc, argv, "n:r:b:d:Rq:CP:xG:g:")) != -1) {
		switch (opt) {
		case 'g':
			places = optarg;
			break;
		case 'n':
			n = (size_t)strtoull(optarg, NULL, 10);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'b':
			batch = (size_t)strtoull(optarg, NULL, 10);
			break;
		case 'd':
			keep = optarg;
			break;
		case 'R':
			reuse = true;
			break;
		case 'C':
			cb_only = true;
			break;
		case 'x':
			no_sqlite = cb_only = true;
			break;
		case 'P':
			query_set_probe_cost((unsigned)atoi(optarg));
			break;
		case 'q':
			only = atoi(optarg);
			break;
		case 'G':
			csv = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench [-n CASES] [-r RUNS] [-b BATCH] [-d DIR]\n");
			return 2;
		}
	}
	if (n == 0 || batch == 0 || runs < 1 || runs > 1001) {
		fprintf(stderr, "bench: -n, -b and -r must be positive\n");
		return 2;
	}
	if (csv)
		return write_csv(csv, n);
	struct gazetteer *gaz = NULL;
	if (strcmp(places, "none") != 0) {
		struct gazetteer_keyer keyer = {place_key_fn, NULL};
		if (gazetteer_load(places, &keyer, &gaz, &err) != 0) {
			fprintf(stderr, "bench: %s (-g none: without a gazetteer)\n", err.msg);
			return 3;
		}
	}
	/* The digest names the file, so -R on a database of another -g
	 * makes its place indexes again. */
	place_use(gaz, places);
	if (keep) {
		snprintf(dir, sizeof dir, "%s", keep);
		if (!reuse && mkdir(dir, 0700) != 0) {
			perror(dir);
			return 3;
		}
	} else {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/casebook-bench.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 3;
		}
	}
	char cbdir[4200], sqpath[4200];
	snprintf(cbdir, sizeof cbdir, "%s/casebook", dir);
	snprintf(sqpath, sizeof sqpath, "%s/sqlite.db", dir);
	init_cdf();

	struct store *st;
	struct store_options so = {0, (size_t)8 << 30};
	if (store_open(&st, cbdir, &so, &err) != 0) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 3;
	}
	struct sq sq = {0};
	if (sqlite3_open(sqpath, &sq.db) != SQLITE_OK) {
		fprintf(stderr, "bench: sqlite: cannot open %s\n", sqpath);
		return 3;
	}
	if (!reuse)
		sq_exec(sq.db, schema);
	else
		sq_exec(sq.db, "PRAGMA cache_size=-65536; PRAGMA mmap_size=2147483648;");
	sq_check(sq.db,
	    sqlite3_prepare_v2(sq.db,
	        "INSERT INTO cases "
	        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	        -1, &sq.ins, NULL),
	    "prepare");
	sq_check(sq.db,
	    sqlite3_prepare_v2(sq.db, "INSERT INTO measure VALUES(?,?)", -1, &sq.ins_m, NULL),
	    "prepare");
	sq_check(sq.db,
	    sqlite3_prepare_v2(sq.db, "INSERT INTO injury VALUES(?,?)", -1, &sq.ins_i, NULL),
	    "prepare");
	sq_check(sq.db,
	    sqlite3_prepare_v2(sq.db, "INSERT INTO name_token VALUES(?,?)", -1, &sq.ins_n, NULL),
	    "prepare");
	sq_check(sq.db,
	    sqlite3_prepare_v2(sq.db, "INSERT INTO name_skel VALUES(?,?)", -1, &sq.ins_s, NULL),
	    "prepare");

	/* Load: the same batches into both, each batch one transaction. */
	printf("casebook vs SQLite %s: %zu synthetic cases, %zu per transaction, median of %d "
	       "runs; places through %s\n",
	    sqlite3_libversion(), n, batch, runs, gaz ? places : "no gazetteer (text keys)");
	fflush(stdout);
	double t_cb = 0, t_sq = 0, c_cb = 0;
	struct batch b = {xcalloc(batch, sizeof *b.c), 0};
	for (size_t done = 0; !reuse && done < n; done += b.n) {
		b.n = n - done < batch ? n - done : batch;
		for (size_t i = 0; i < b.n; i++)
			gen_case(&b.c[i]);
		double t0 = now(), u0 = cpu_now();
		if (store_write(st, add_batch, &b, &err) != 0) {
			fprintf(stderr, "bench: load: %s\n", err.msg);
			return 3;
		}
		double t1 = now();
		c_cb += cpu_now() - u0;
		if (!no_sqlite) {
			sq_exec(sq.db, "BEGIN");
			for (size_t i = 0; i < b.n; i++)
				sq_insert(&sq, &b.c[i], b.c[i].id);
			sq_exec(sq.db, "COMMIT");
		}
		double t2 = now();
		t_cb += t1 - t0;
		t_sq += t2 - t1;
		for (size_t i = 0; i < b.n; i++)
			case_free(&b.c[i]);
	}
	free(b.c);
	if (!reuse) {
		sq_exec(sq.db, "ANALYZE");
		sq_exec(sq.db, "PRAGMA wal_checkpoint(TRUNCATE)");
	}

	/* Queries. */
	sqlite3_stmt *stmts[N_QUERIES];
	for (size_t i = 0; i < N_QUERIES; i++)
		sq_check(sq.db, sqlite3_prepare_v2(sq.db, queries[i].sql, -1, &stmts[i], NULL),
		    queries[i].sql);
	double *tc = xcalloc((size_t)runs, sizeof *tc), *ts = xcalloc((size_t)runs, sizeof *ts);
	int bad = 0;
	double worst_ratio = 1e9;
	printf("\n%-50s %12s %12s %9s %10s\n", "query", "casebook ms", "sqlite ms", "ratio",
	    "rows");
	for (size_t i = 0; i < N_QUERIES; i++) {
		const struct bq *q = &queries[i];
		if (only && (size_t)only != i + 1)
			continue;
		struct answer ac = {0}, as = {0};
		/* One untimed run each (warms both caches) that also checks the answers. */
		if (run_casebook(st, q, &ac) != 0)
			return 3;
		if (!no_sqlite) {
			run_sqlite(sq.db, stmts[i], q, ac.count / 2, &as);
			if (!same_answer(q, &ac, &as))
				bad++;
		}
		uint64_t rows = q->kind == Q_FACETS ? ac.nf : ac.count;
		uint64_t offset = ac.count / 2;
		answer_free(&ac);
		answer_free(&as);
		/* All runs of one engine, then all of the other: each has its
		 * own working set warm in the CPU caches. */
		for (int r = 0; r < runs; r++) {
			double t0 = now();
			run_casebook(st, q, &ac);
			tc[r] = (now() - t0) * 1e3;
			answer_free(&ac);
		}
		for (int r = 0; r < runs && !cb_only; r++) {
			double t0 = now();
			run_sqlite(sq.db, stmts[i], q, offset, &as);
			ts[r] = (now() - t0) * 1e3;
			answer_free(&as);
		}
		double mc = median(tc, runs), ms = median(ts, runs);
		put_label(q->label);
		printf(" %12.4f %12.4f %8.0fx %10llu\n", mc, ms, ms / mc, (unsigned long long)rows);
		fflush(stdout);
		if (ms / mc < worst_ratio)
			worst_ratio = ms / mc;
	}
	for (size_t i = 0; i < N_QUERIES; i++)
		sqlite3_finalize(stmts[i]);
	if (!only)
		pane_facets(st, tc, ts, runs);
	free(tc);
	free(ts);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	if (!reuse) {
		printf("\n%-50s %12.0f %12.0f %8.1fx\n", "import, cases/s", (double)n / t_cb,
		    (double)n / t_sq, t_sq / t_cb);
		printf("%-50s %12.0f\n", "import, casebook cases per CPU second", (double)n / c_cb);
	}
	long long cb_size = du(cbdir), sq_size = du(sqpath);
	printf("%-50s %12.1f %12.1f\n", "size on disk, MB", (double)cb_size / 1048576.0,
	    (double)sq_size / 1048576.0);
	printf("peak RSS %.1f MB (both engines in one process, mapped and cached pages included);"
	       " heap now %.1f MB\n",
	    (double)ru.ru_maxrss / 1024.0, (double)rss_anon_kb() / 1024.0);
	printf("smallest ratio sqlite/casebook: %.0fx\n", worst_ratio);

	sqlite3_finalize(sq.ins);
	sqlite3_finalize(sq.ins_m);
	sqlite3_finalize(sq.ins_i);
	sqlite3_finalize(sq.ins_n);
	sqlite3_finalize(sq.ins_s);
	sqlite3_close(sq.db);
	store_close(st);
	place_use(NULL, NULL);
	gazetteer_free(gaz);
	if (!keep)
		rm_tree(dir);
	if (bad) {
		fprintf(stderr, "bench: %d queries answered differently by the two engines\n", bad);
		return 1;
	}
	return 0;
}
