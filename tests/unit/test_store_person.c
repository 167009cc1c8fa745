/* test_store_person.c — people in the store: cases linked by the rule as
 * they are added, edited and deleted; link, unlink and merge and their
 * refusals (nothing changed); candidates; the people of a set of cases;
 * and `check` agreeing after every step, also on a random mix of
 * spellings, years, edits and moves compared with a model. */
#include "unit.h"

#include <zlib.h>

#include "../../src/store_int.h"
#include "person.h"
#include "store.h"
#include "store_person_int.h"

struct fixture {
	char *dir, *dbdir;
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct cb_err err;
	f->dir = unit_tmpdir();
	f->dbdir = malloc(strlen(f->dir) + 8);
	sprintf(f->dbdir, "%s/db", f->dir);
	if (store_open(&f->st, f->dbdir, NULL, &err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	free(f->dbdir);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static uint64_t add(struct store *st, const char *name, int year)
{
	struct case_record c;
	struct cb_err err;
	case_init(&c);
	assert_int_equal(case_set_field(&c, FIELD_NAME, name, false, &err), 0);
	c.birth_year = year;
	assert_int_equal(store_add(st, &c, &err), 0);
	uint64_t id = c.id;
	case_free(&c);
	return id;
}

static uint64_t person_of(struct store *st, uint64_t cid)
{
	struct cb_err err;
	uint64_t p = 99;
	assert_int_equal(store_person_of_case(st, cid, &p, &err), 0);
	return p;
}

static void check_ok(struct store *st)
{
	struct store_check_report rep;
	struct cb_err err;
	int rc = store_check(st, NULL, NULL, &rep, &err);
	if (rc)
		fail_msg("check: %s", err.msg);
}

static void test_rule_in_the_store(void **state)
{
	struct fixture *f = *state;
	struct cb_err err;
	uint64_t a = add(f->st, "Жанар Төлегенов", 1990);
	uint64_t b = add(f->st, "TOLEGENOV Zhanar", 1990);
	uint64_t c = add(f->st, "Zhanar Tolegenov", 0);
	uint64_t d = add(f->st, "", 1990);
	assert_int_equal(person_of(f->st, a), person_of(f->st, b));
	assert_int_not_equal(person_of(f->st, a), person_of(f->st, c));
	assert_int_equal(person_of(f->st, d), 0);
	check_ok(f->st);

	/* c is a candidate of a's person, with the reason. */
	struct person_candidate cand[4];
	size_t n;
	assert_int_equal(store_person_candidates(f->st, c, cand, 4, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cand[0].person_id, person_of(f->st, a));
	assert_int_equal(cand[0].reason, PREASON_SAME_NAME_NO_YEAR);
	assert_int_equal(cand[0].n_cases, 2);

	/* A case as typed in the form, not saved yet. */
	struct case_record typed;
	case_init(&typed);
	assert_int_equal(case_set_field(&typed, FIELD_NAME, "Tolegenov Zhanar", false, &err), 0);
	typed.birth_year = 1990;
	assert_int_equal(store_person_candidates_for(f->st, &typed, cand, 4, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cand[0].person_id, person_of(f->st, a)); /* whom it will join */
	assert_int_equal(cand[0].reason, PREASON_NONE);
	assert_int_equal(cand[1].person_id, person_of(f->st, c));
	assert_int_equal(cand[1].reason, PREASON_SAME_NAME_NO_YEAR);
	assert_int_equal(case_set_field(&typed, FIELD_NAME, "Төлегенов", false, &err), 0);
	assert_int_equal(store_person_candidates_for(f->st, &typed, cand, 4, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cand[0].reason, PREASON_PART_OF_NAME);
	case_free(&typed);

	/* An edit that gives c the year links it; one that changes b's name moves b away. */
	struct case_record r;
	assert_int_equal(store_get(f->st, c, &r, &err), 0);
	r.birth_year = 1990;
	assert_int_equal(store_update(f->st, &r, 0, &err), 0);
	case_free(&r);
	assert_int_equal(person_of(f->st, c), person_of(f->st, a));
	assert_int_equal(store_get(f->st, b, &r, &err), 0);
	assert_int_equal(case_set_field(&r, FIELD_NAME, "Ерлан Ким", false, &err), 0);
	assert_int_equal(store_update(f->st, &r, 0, &err), 0);
	case_free(&r);
	assert_int_not_equal(person_of(f->st, b), person_of(f->st, a));
	struct person_record p;
	assert_int_equal(store_person_get(f->st, person_of(f->st, a), &p, &err), 0);
	assert_int_equal(p.n_cases, 2);
	for (size_t i = 0; i < p.names.n; i++)
		assert_string_not_equal(p.names.items[i], "TOLEGENOV Zhanar");
	person_record_free(&p);
	check_ok(f->st);

	/* A deleted case leaves its person. */
	assert_int_equal(store_delete(f->st, c, 0, &err), 0);
	assert_int_equal(store_person_get(f->st, person_of(f->st, a), &p, &err), 0);
	assert_int_equal(p.n_cases, 1);
	person_record_free(&p);
	check_ok(f->st);
}

static void test_operations_and_refusals(void **state)
{
	struct fixture *f = *state;
	struct cb_err err;
	uint64_t a = add(f->st, "Асель Нурланова", 2001);
	uint64_t b = add(f->st, "Assel Nurlanova", 2001);
	uint64_t c = add(f->st, "Асель Нурланова", 0);
	uint64_t pa = person_of(f->st, a), pc = person_of(f->st, c), np;

	/* Refusals change nothing (the person's revision stays). */
	struct person_record before, after;
	assert_int_equal(store_person_get(f->st, pa, &before, &err), 0);
	assert_int_equal(store_person_link(f->st, 999, pa, 0, &err), CB_ENOTFOUND);
	assert_int_equal(store_person_link(f->st, a, 999, 0, &err), CB_ENOTFOUND);
	assert_int_equal(store_person_link(f->st, a, pa, 0, &err), CB_EINVAL);
	assert_int_equal(store_person_merge(f->st, pa, 0, pa, 0, &err), CB_EINVAL);
	assert_int_equal(store_person_merge(f->st, pa, before.rev + 1, pc, 0, &err), CB_ECONFLICT);
	assert_int_equal(store_person_unlink(f->st, c, &np, &err), CB_EINVAL);
	assert_int_equal(store_person_get(f->st, pa, &after, &err), 0);
	assert_int_equal(after.rev, before.rev);
	assert_int_equal(after.n_cases, 2);
	person_record_free(&after);

	/* Merge, then undo it by linking back; unlink, then link back. */
	assert_int_equal(store_person_merge(f->st, pa, before.rev, pc, 0, &err), 0);
	assert_int_equal(person_of(f->st, c), pa);
	assert_int_equal(store_person_get(f->st, pc, &after, &err), 0);
	assert_int_equal(after.n_cases, 0);
	assert_int_equal(after.merged_into, pa);
	person_record_free(&after);
	check_ok(f->st);
	assert_int_equal(store_person_link(f->st, c, pc, 0, &err), 0);
	assert_int_equal(person_of(f->st, c), pc);
	check_ok(f->st);
	assert_int_equal(store_person_unlink(f->st, b, &np, &err), 0);
	assert_true(np > pc);
	assert_int_equal(person_of(f->st, b), np);
	/* Moved by hand: an edit does not bring it back. */
	struct case_record r;
	assert_int_equal(store_get(f->st, b, &r, &err), 0);
	assert_int_equal(case_set_field(&r, FIELD_CITY, "Алматы", false, &err), 0);
	assert_int_equal(case_set_field(&r, FIELD_ALIASES, "Асель", false, &err), 0);
	assert_int_equal(store_update(f->st, &r, 0, &err), 0);
	case_free(&r);
	assert_int_equal(person_of(f->st, b), np);
	assert_int_equal(store_person_link(f->st, b, pa, 0, &err), 0);
	check_ok(f->st);
	person_record_free(&before);

	/* The people of a set of cases, most matching first. */
	uint64_t ids[] = {a, b, c};
	struct person_count *pcs;
	size_t n;
	assert_int_equal(store_persons_of_cases(f->st, ids, 3, &pcs, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pcs[0].person_id, pa);
	assert_int_equal(pcs[0].matching, 2);
	free(pcs);
	assert_int_equal(store_persons_of_cases(f->st, ids, 3, NULL, &n, &err), 0);
	assert_int_equal(n, 2);
}

static uint64_t add_sex(struct store *st, const char *name, int year, int sex)
{
	struct case_record c;
	struct cb_err err;
	case_init(&c);
	assert_int_equal(case_set_field(&c, FIELD_NAME, name, false, &err), 0);
	c.birth_year = year;
	c.sex = sex;
	assert_int_equal(store_add(st, &c, &err), 0);
	uint64_t id = c.id;
	case_free(&c);
	return id;
}

static int sex_of(struct store *st, uint64_t cid)
{
	struct person_record p;
	struct cb_err err;
	assert_int_equal(store_person_get(st, person_of(st, cid), &p, &err), 0);
	int sex = p.sex;
	person_record_free(&p);
	return sex;
}

struct three {
	int year, sex[3];
};

static int add_three(struct store_txn *tx, void *ctx)
{
	struct three *t = ctx;
	struct cb_err err;
	for (int i = 0; i < 3; i++) {
		struct case_record c;
		case_init(&c);
		case_set_field(&c, FIELD_NAME, i % 2 ? "KIM Yerlan" : "Ерлан Ким", false, &err);
		c.birth_year = t->year;
		c.sex = t->sex[i];
		int rc = store_txn_add(tx, &c, &err);
		case_free(&c);
		if (rc)
			return rc;
	}
	return 0;
}

/* A new case joining a person gives the sex a recomputation would: known
 * when all known ones agree, unknown when none is known or they differ
 * (the record cannot tell those two apart), also within one transaction. */
static void test_join_sex(void **state)
{
	struct fixture *f = *state;
	struct cb_err err;
	uint64_t a = add_sex(f->st, "Жанар Төлегенов", 1990, SEX_UNKNOWN);
	assert_int_equal(sex_of(f->st, a), SEX_UNKNOWN);
	add_sex(f->st, "TOLEGENOV Zhanar", 1990, SEX_F);
	assert_int_equal(sex_of(f->st, a), SEX_F);
	check_ok(f->st);
	add_sex(f->st, "Zhanar Tolegenov", 1990, SEX_M);
	assert_int_equal(sex_of(f->st, a), SEX_UNKNOWN);
	add_sex(f->st, "Толегенов Жанар", 1990, SEX_F);
	assert_int_equal(sex_of(f->st, a), SEX_UNKNOWN); /* still mixed */
	check_ok(f->st);

	/* A new person and its joins all in one transaction, then more. */
	struct three t = {1985, {SEX_UNKNOWN, SEX_M, SEX_UNKNOWN}};
	assert_int_equal(store_write(f->st, add_three, &t, &err), 0);
	uint64_t k = add_sex(f->st, "Ерлан Ким", 1985, SEX_UNKNOWN);
	assert_int_equal(sex_of(f->st, k), SEX_M);
	struct three u = {1985, {SEX_M, SEX_F, SEX_M}};
	assert_int_equal(store_write(f->st, add_three, &u, &err), 0);
	assert_int_equal(sex_of(f->st, k), SEX_UNKNOWN);
	check_ok(f->st);
	struct three v = {1986, {SEX_UNKNOWN, SEX_F, SEX_F}};
	assert_int_equal(store_write(f->st, add_three, &v, &err), 0);
	k = add_sex(f->st, "Ерлан Ким", 1986, SEX_UNKNOWN);
	assert_int_equal(sex_of(f->st, k), SEX_F);
	check_ok(f->st);
}

static int mixed_of(struct store *st, uint64_t cid)
{
	struct person_record p;
	struct cb_err err;
	assert_int_equal(store_person_get(st, person_of(st, cid), &p, &err), 0);
	int mixed = p.sex_mixed;
	person_record_free(&p);
	return mixed;
}

static void set_sex(struct store *st, uint64_t cid, int sex)
{
	struct case_record c;
	struct cb_err err;
	assert_int_equal(store_get(st, cid, &c, &err), 0);
	c.sex = sex;
	assert_int_equal(store_update(st, &c, c.rev, &err), 0);
	case_free(&c);
}

/* Rewrites person pid as a record of before the mixed mark (version 1). */
static int make_v1(struct store_txn *tx, void *ctx)
{
	uint64_t pid = *(uint64_t *)ctx;
	MDB_val k = {sizeof pid, &pid}, v;
	assert_int_equal(mdb_get(tx->txn, tx->st->pdb.persons, &k, &v), 0);
	unsigned char *b = malloc(v.mv_size);
	memcpy(b, v.mv_data, v.mv_size);
	assert_int_equal(b[0], 2);
	b[0] = 1;
	b[11] &= 0x7f; /* the sex byte, after version, rev, count, year */
	uint32_t crc = (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), b, v.mv_size - 4);
	for (int i = 0; i < 4; i++)
		b[v.mv_size - 4 + (size_t)i] = (unsigned char)(crc >> (8 * i));
	MDB_val nv = {v.mv_size, b};
	int rc = mdb_put(tx->txn, tx->st->pdb.persons, &k, &nv, 0);
	free(b);
	return rc;
}

/* The record marks a person whose cases have two known sexes, so a case
 * joining it needs no reading of the others; edits clear the mark, and a
 * record written before the mark is still read right (from its cases). */
static void test_mixed_mark(void **state)
{
	struct fixture *f = *state;
	struct cb_err err;
	uint64_t a = add_sex(f->st, "Асель Нурланова", 1992, SEX_F);
	assert_int_equal(mixed_of(f->st, a), 0);
	uint64_t b = add_sex(f->st, "NURLANOVA Assel", 1992, SEX_M);
	assert_int_equal(sex_of(f->st, a), SEX_UNKNOWN);
	assert_int_equal(mixed_of(f->st, a), 1);
	add_sex(f->st, "Nurlanova Asel", 1992, SEX_F);
	assert_int_equal(sex_of(f->st, a), SEX_UNKNOWN);
	check_ok(f->st);
	set_sex(f->st, b, SEX_F); /* the one man was a mistake */
	assert_int_equal(sex_of(f->st, a), SEX_F);
	assert_int_equal(mixed_of(f->st, a), 0);
	check_ok(f->st);
	set_sex(f->st, b, SEX_UNKNOWN);
	assert_int_equal(sex_of(f->st, a), SEX_F);
	add_sex(f->st, "Нурланова Асель", 1992, SEX_M);
	assert_int_equal(mixed_of(f->st, a), 1);
	check_ok(f->st);

	/* Before the mark: "unknown" in a record could be none known or mixed. */
	uint64_t u = add_sex(f->st, "Ерболат Сейтов", 1980, SEX_UNKNOWN);
	uint64_t m = add_sex(f->st, "Даурен Омаров", 1975, SEX_F);
	add_sex(f->st, "OMAROV Dauren", 1975, SEX_M);
	uint64_t pu = person_of(f->st, u), pm = person_of(f->st, m);
	assert_int_equal(store_write(f->st, make_v1, &pu, &err), 0);
	assert_int_equal(store_write(f->st, make_v1, &pm, &err), 0);
	assert_int_equal(mixed_of(f->st, u), -1);
	check_ok(f->st);
	add_sex(f->st, "SEITOV Yerbolat", 1980, SEX_M); /* none known: now a man */
	assert_int_equal(sex_of(f->st, u), SEX_M);
	assert_int_equal(mixed_of(f->st, u), 0);
	add_sex(f->st, "Омаров Даурен", 1975, SEX_F); /* mixed already: stays unknown */
	assert_int_equal(sex_of(f->st, m), SEX_UNKNOWN);
	assert_int_equal(mixed_of(f->st, m), 1);
	check_ok(f->st);
}

/* A random mix of spellings, missing years, unlinks and edits of sex
 * (which take the recomputing path): check agrees after every step. */
static void test_random_mix(void **state)
{
	struct fixture *f = *state;
	static const char *const spell[][4] = {
	    {"Жанар Төлегенов", "TOLEGENOV Zhanar", "Janar Tolegenov", "Толегенов Жанар"},
	    {"Ерлан Ким", "KIM Yerlan", "Erlan Kim", "Ким Ерлан"},
	    {"Айдар Бауыржанұлы", "Aidar Baurzhanuly", "БАУЫРЖАНҰЛЫ Айдар", "Aydar Bauyrzhanuly"},
	};
	struct cb_err err;
	uint64_t ids[60];
	srand(7);
	for (int i = 0; i < 60; i++) {
		int who = rand() % 3;
		ids[i] = add(f->st, spell[who][rand() % 4], rand() % 4 ? 1980 + who : 0);
		if (i % 10 == 9) {
			uint64_t x = ids[rand() % (i + 1)], np;
			store_person_unlink(f->st, x, &np, &err);
			struct case_record r;
			if (store_get(f->st, ids[rand() % (i + 1)], &r, &err) == 0) {
				r.sex = rand() % 2 ? SEX_F : SEX_M;
				assert_int_equal(store_update(f->st, &r, 0, &err), 0);
			}
			case_free(&r);
			check_ok(f->st);
		}
	}
	check_ok(f->st);
}

/* Person p of the bulk tests: a surname sharing its first 24 letters
 * with every other (so the flush's sort must look past its first 8 and
 * 16 bytes), one of four first names; born 1950 + p % 40, unknown for
 * every tenth case. */
static void bulk_name(int p, int v, char *out, size_t cap)
{
	static const char *const first[][2] = {{"Жанар", "Zhanar"}, {"Асель", "Assel"},
	    {"Ерлан", "Yerlan"}, {"Айдар", "Aidar"}};
	const char *f = first[p % 4][v & 1];
	if (v & 2)
		snprintf(out, cap, "Abdrakhmanovazhanarbekkyzy%04d %s", p, f);
	else
		snprintf(out, cap, "%s abdrakhmanovazhanarbekkyzy%04d", f, p);
}

struct bulk {
	int n, at, people;
	uint64_t *cid;
	int *who, *year;
};

static int add_bulk(struct store_txn *tx, void *ctx)
{
	struct bulk *b = ctx;
	struct cb_err err;
	for (int i = 0; i < b->n; i++, b->at++) {
		struct case_record c;
		char name[96], alias[96];
		int p = (b->at * 7919) % b->people, v = b->at % 4;
		case_init(&c);
		bulk_name(p, v, name, sizeof name);
		assert_int_equal(case_set_field(&c, FIELD_NAME, name, false, &err), 0);
		if (b->at % 7 == 0) { /* eight spellings: more than the keys kept inline */
			for (int a = 0; a < 6; a++) {
				bulk_name(p, a, alias, sizeof alias);
				strlist_add(&c.aliases, alias);
			}
		}
		c.birth_year = b->at % 10 == 9 ? 0 : 1950 + p % 40;
		int rc = store_txn_add(tx, &c, &err);
		b->cid[b->at] = c.id;
		b->who[b->at] = p;
		b->year[b->at] = c.birth_year;
		case_free(&c);
		if (rc)
			return rc;
	}
	return 0;
}

/* Many new cases a transaction, as an import writes them, over several
 * transactions (the queue's tables kept from one to the next): every case
 * with a known year is linked to the one person of its name, every case
 * without one is its own, the counts are right and check agrees. */
static void test_bulk_transactions(void **state)
{
	struct fixture *f = *state;
	enum { TXNS = 3, PER = 700, PEOPLE = 300 };
	struct bulk b = {.n = PER, .people = PEOPLE};
	uint64_t first[PEOPLE] = {0};
	uint32_t cases[PEOPLE] = {0};
	struct cb_err err;

	b.cid = calloc(TXNS * PER, sizeof *b.cid);
	b.who = calloc(TXNS * PER, sizeof *b.who);
	b.year = calloc(TXNS * PER, sizeof *b.year);
	for (int t = 0; t < TXNS; t++)
		assert_int_equal(store_write(f->st, add_bulk, &b, &err), 0);
	for (int i = 0; i < TXNS * PER; i++) {
		uint64_t pid = person_of(f->st, b.cid[i]);
		assert_int_not_equal(pid, 0);
		if (!b.year[i]) {
			struct person_record p;
			assert_int_equal(store_person_get(f->st, pid, &p, &err), 0);
			assert_int_equal(p.n_cases, 1);
			person_record_free(&p);
			continue;
		}
		if (!first[b.who[i]])
			first[b.who[i]] = pid;
		assert_int_equal(pid, first[b.who[i]]);
		cases[b.who[i]]++;
	}
	for (int p = 0; p < PEOPLE; p++) {
		struct person_record r;
		if (!first[p])
			continue;
		assert_int_equal(store_person_get(f->st, first[p], &r, &err), 0);
		assert_int_equal(r.n_cases, cases[p]);
		assert_int_equal(r.birth_year, 1950 + p % 40);
		person_record_free(&r);
	}
	check_ok(f->st);
	free(b.cid), free(b.who), free(b.year);
}

/* The keys of a case as the link path keeps them are person_case_keys's,
 * in its order, and each spelling points at its own key. */
static void test_case_keys(void **state)
{
	(void)state;
	struct cb_err err;
	struct case_record c;
	const char *aliases[] = {"Zhanar Tolegenov", "", "Ерлан Ким", "KIM Yerlan", "!!", "Kim",
	    "Tolegenov Zhanar Serikovna"};

	case_init(&c);
	assert_int_equal(case_set_field(&c, FIELD_NAME, "Жанар Төлегенов", false, &err), 0);
	assert_int_equal(case_set_field(&c, FIELD_NAME_LATIN, "TOLEGENOV Zhanar", false, &err), 0);
	for (int round = 0; round < 2; round++) {
		struct strlist want = {0};
		struct case_keys ck;
		person_case_keys(&c, &want);
		case_keys_make(&c, &ck);
		assert_int_equal(ck.n, want.n);
		for (size_t i = 0; i < want.n; i++) {
			assert_string_equal(ck.k[i], want.items[i]);
			assert_false(ck.mark[i]);
		}
		assert_int_equal(ck.n_spell, 2 + c.aliases.n);
		for (size_t j = 0; j < ck.n_spell; j++) {
			const char *sp = j == 0 ? c.name
			    : j == 1            ? c.name_latin
			                        : c.aliases.items[j - 2];
			char k[PERSON_KEY_MAX];
			if (str_empty(sp) || person_key(sp, k) == 0) {
				assert_int_equal(ck.of[j], -1);
				continue;
			}
			assert_true(ck.of[j] >= 0);
			assert_string_equal(ck.k[ck.of[j]], k);
		}
		case_keys_free(&ck);
		strlist_free(&want);
		for (size_t a = 0; a < sizeof aliases / sizeof *aliases; a++)
			strlist_add(&c.aliases, aliases[a]); /* the second round: on the heap */
	}
	assert_int_equal(case_set_field(&c, FIELD_NAME, "", false, &err), 0);
	struct case_keys none;
	case_keys_make(&c, &none);
	assert_int_equal(none.n, 0); /* unidentified: no keys, whatever the aliases */
	case_keys_free(&none);
	case_free(&c);
}

static void add_seen(void *ctx, const char *part, size_t len)
{
	struct strlist *l = ctx;
	assert_int_equal(strlen(part), len);
	strlist_add(l, part);
}

/* Year keys and parts built in place are the ones the lists give. */
static void test_year_keys_and_parts(void **state)
{
	(void)state;
	char yk[PERSON_YEAR_KEY_MAX];
	assert_int_equal(person_year_key("janar tolegenov", 1990, yk), 20);
	assert_memory_equal(yk,
	    "janar tolegenov\x01"
	    "1990",
	    21);
	assert_int_equal(person_year_key("a b", 7, yk), 8);
	assert_string_equal(yk,
	    "a b\x01"
	    "0007");
	assert_int_equal(person_year_key("tolegenov", 1990, yk), 0);
	assert_string_equal(yk, "");
	assert_int_equal(person_year_key("a b", 0, yk), 0);
	assert_int_equal(person_year_key("a b", 10000, yk), 0);

	struct strlist parts = {0};
	const char *want[] = {"a", "b", "a b", "c", "a c", "b c"};
	person_key_parts_each("a b c", add_seen, &parts);
	assert_int_equal(parts.n, 6);
	for (size_t i = 0; i < parts.n; i++)
		assert_string_equal(parts.items[i], want[i]);
	strlist_free(&parts);
	person_key_parts_each("a b c d e f", add_seen, &parts); /* too many words */
	person_key_parts_each("abc", add_seen, &parts);
	assert_int_equal(parts.n, 0);
	person_key_parts("a b c d e", &parts);
	assert_int_equal(parts.n, 30);
	strlist_free(&parts);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_rule_in_the_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_operations_and_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_mix, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_sex, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mixed_mark, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_transactions, setup, teardown),
	    cmocka_unit_test(test_case_keys),
	    cmocka_unit_test(test_year_keys_and_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
