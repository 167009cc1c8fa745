/* Unit tests of drafts: the encoding (round trip, another version, damage,
 * truncation) and the drafts table (per user, replace, delete, a draft
 * that does not decode is reported and set aside, never dropped). */
#include "unit.h"

#include "../../src/store_int.h"
#include "drafts.h"
#include "store.h"
#include "store_drafts.h"

static void fill(struct draft *d)
{
	draft_init(d);
	snprintf(d->user, sizeof d->user, "aigul");
	d->case_id = 224;
	d->token = 7;
	d->base_rev = 3;
	d->changed = 1700000000;
	draft_set(d, "name", "Айгуль Серикова");
	draft_set(d, "measures.1.type", "admin_arrest");
	draft_set(d, "birth_year", "19"); /* half typed: not a valid value yet */
	draft_set(d, "notes", "");
}

static void test_round_trip(void **state)
{
	struct draft d, e;
	struct buf b = {0};
	struct cb_err err;

	(void)state;
	fill(&d);
	draft_set(&d, "name", "Айгуль"); /* replaces, does not add */
	assert_int_equal(d.n, 4);
	draft_encode(&d, &b);
	assert_int_equal(b.p[0], DRAFT_VERSION);
	draft_init(&e);
	assert_int_equal(draft_decode(b.p, b.len, &e, &err), 0);
	assert_int_equal(e.base_rev, 3);
	assert_int_equal(e.changed, 1700000000);
	assert_int_equal(e.n, 4);
	assert_string_equal(draft_get(&e, "name"), "Айгуль");
	assert_string_equal(draft_get(&e, "birth_year"), "19");
	assert_string_equal(draft_get(&e, "notes"), "");
	assert_null(draft_get(&e, "city"));
	draft_free(&d);
	draft_free(&e);
	buf_free(&b);
}

static void test_bad_bytes(void **state)
{
	struct draft d, e;
	struct buf b = {0};
	struct cb_err err;

	(void)state;
	fill(&d);
	draft_encode(&d, &b);
	draft_init(&e);
	/* A newer version's draft is named as such. */
	b.p[0] = DRAFT_VERSION + 1;
	assert_int_equal(draft_decode(b.p, b.len, &e, &err), CB_ECORRUPT);
	assert_non_null(strstr(err.msg, "another version"));
	b.p[0] = DRAFT_VERSION;
	/* One byte changed: the checksum says so. */
	b.p[10] ^= 1;
	assert_int_equal(draft_decode(b.p, b.len, &e, &err), CB_ECORRUPT);
	assert_non_null(strstr(err.msg, "checksum"));
	b.p[10] ^= 1;
	/* Every truncation fails cleanly. */
	for (size_t n = 0; n < b.len; n++)
		assert_int_equal(draft_decode(b.p, n, &e, &err), CB_ECORRUPT);
	assert_int_equal(draft_decode(b.p, b.len, &e, &err), 0);
	draft_free(&d);
	draft_free(&e);
	buf_free(&b);
}

struct seen {
	int n, bad, aside;
	char last_name[128];
	uint64_t case_id;
};

static int count_seen(const struct draft_seen *s, void *ctx)
{
	struct seen *n = ctx;
	n->n++;
	n->bad += s->why != NULL;
	n->aside += s->aside;
	n->case_id = s->d->case_id;
	const char *name = draft_get(s->d, "name");
	snprintf(n->last_name, sizeof n->last_name, "%s", name ? name : "");
	return 0;
}

/* Overwrites the value of aigul's draft of case 224 with bytes of a
 * version this build does not read. */
static int spoil(struct store_txn *tx, void *ctx)
{
	unsigned char key[] = {'D', 'a', 'i', 'g', 'u', 'l', 0, 0, 0, 0, 0, 0, 0, 0, 224, 0, 0, 0,
	    0, 0, 0, 0, 7};
	unsigned char val[] = {99, 1, 2, 3};
	MDB_dbi dbi;
	(void)ctx;
	assert_int_equal(mdb_dbi_open(tx->txn, "drafts", 0, &dbi), 0);
	MDB_val k = {sizeof key, key}, v = {sizeof val, val};
	assert_int_equal(mdb_put(tx->txn, dbi, &k, &v, 0), 0);
	return 0;
}

static void test_store(void **state)
{
	char *dir = unit_tmpdir(), path[4200];
	struct store *st;
	struct cb_err err;
	struct draft d;
	struct seen s = {0};

	(void)state;
	snprintf(path, sizeof path, "%s/db", dir);
	assert_int_equal(store_open(&st, path, NULL, &err), 0);
	/* No draft was ever written: an empty list, not an error. */
	assert_int_equal(store_drafts_foreach(st, "aigul", count_seen, &s, &err), 0);
	assert_int_equal(s.n, 0);

	fill(&d);
	assert_int_equal(store_draft_put(st, &d, &err), 0);
	draft_set(&d, "name", "Changed");
	assert_int_equal(store_draft_put(st, &d, &err), 0); /* replaces */
	snprintf(d.user, sizeof d.user, "aigerim"); /* another user's */
	d.case_id = 0;
	assert_int_equal(store_draft_put(st, &d, &err), 0);

	memset(&s, 0, sizeof s);
	assert_int_equal(store_drafts_foreach(st, "aigul", count_seen, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.last_name, "Changed");
	assert_int_equal(s.case_id, 224);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_drafts_foreach(st, NULL, count_seen, &s, &err), 0);
	assert_int_equal(s.n, 2);

	/* A draft that does not decode is reported, then kept aside. */
	assert_int_equal(store_write(st, spoil, NULL, &err), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_drafts_foreach(st, "aigul", count_seen, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.bad, 1);
	assert_int_equal(s.aside, 0);
	assert_int_equal(store_draft_set_aside(st, "aigul", 224, 7, &err), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_drafts_foreach(st, "aigul", count_seen, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.bad, 1);
	assert_int_equal(s.aside, 1);

	/* Deleting removes it, aside or not; the other user's stays. */
	assert_int_equal(store_draft_delete(st, "aigul", 224, 7, &err), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_drafts_foreach(st, NULL, count_seen, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.case_id, 0);
	assert_int_equal(store_draft_delete(st, "nobody", 1, 1, &err), 0);

	draft_free(&d);
	store_close(st);
	unit_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_bad_bytes),
	    cmocka_unit_test(test_store),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
