/* test_store_person.c — people in the store: cases linked by the rule as
 * they are added, edited and deleted; link, unlink and merge and their
 * refusals (nothing changed); candidates; the people of a set of cases;
 * and `check` agreeing after every step, also on a random mix of
 * spellings, years, edits and moves compared with a model. */
#include "unit.h"

#include "person.h"
#include "store.h"

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

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_rule_in_the_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_operations_and_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_mix, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_join_sex, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
