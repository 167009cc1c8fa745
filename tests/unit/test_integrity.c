/* test_integrity.c — damage the store cannot see by itself: a changed byte
 * in any stored record is refused by name (never shown as data), records
 * from before checksums still read and get one from store_rewrite, and
 * opening never fails while another process grows the map. */
#include "unit.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "codec.h"
#include "store.h"
#include "store_lmdb.h"

static char *dir, *dbdir;

static int setup(void **state)
{
	(void)state;
	dir = unit_tmpdir();
	dbdir = xasprintf("%s/db", dir);
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(dbdir);
	unit_rmdir(dir);
	return 0;
}

static uint64_t add(struct store *st, const char *notes)
{
	struct case_record c;
	struct cb_err err;
	case_init(&c);
	assert_int_equal(case_assign(&c, "name=Айгерим Damaged", &err), 0);
	assert_int_equal(case_assign(&c, "city=Almaty", &err), 0);
	assert_int_equal(case_assign(&c, "measures=detention:days=10", &err), 0);
	if (notes)
		assert_int_equal(case_set_field(&c, FIELD_NOTES, notes, true, &err), 0);
	assert_int_equal(store_add(st, &c, &err), 0);
	uint64_t id = c.id;
	case_free(&c);
	return id;
}

/* Reads (get) or replaces (put) the stored bytes of case id, behind the
 * store's back, as a failing disk or a stray write would. */
static void raw_record(uint64_t id, struct buf *get, const struct buf *put)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = {sizeof id, &id}, v;
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, dbdir, MDB_NOSYNC, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "cases", MDB_INTEGERKEY, &dbi), 0);
	if (get) {
		assert_int_equal(mdb_get(txn, dbi, &k, &v), 0);
		get->len = 0;
		buf_put(get, v.mv_data, v.mv_size);
	}
	if (put) {
		v.mv_size = put->len;
		v.mv_data = put->p;
		assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	}
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

/* Every byte of a stored record changed, one at a time: check reports
 * exactly that case as damaged, and reading it gives the message instead
 * of the (wrong) data. */
static void test_every_byte_flip_detected(void **state)
{
	(void)state;
	struct store *st;
	struct cb_err err;
	struct buf orig = {0}, bad = {0};
	assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
	add(st, "before");
	uint64_t id = add(st, "The court refused to hear the defence witnesses.");
	add(st, "after");
	store_close(st);
	raw_record(id, &orig, NULL);
	assert_true(codec_is_current(orig.p, orig.len));
	assert_true(orig.len > 60);

	for (size_t i = 0; i < orig.len; i++) {
		bad.len = 0;
		buf_put(&bad, orig.p, orig.len);
		bad.p[i] ^= (unsigned char)(1u << (i % 8));
		raw_record(id, NULL, &bad);
		assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
		struct store_check_report rep;
		assert_int_equal(store_check(st, NULL, NULL, &rep, &err), CB_ECORRUPT);
		if (rep.problems != 1)
			fail_msg("byte %zu: %llu problems", i, (unsigned long long)rep.problems);
		struct case_record c;
		int rc = store_get(st, id, &c, &err);
		if (rc != CB_ECORRUPT)
			fail_msg("byte %zu of %zu changed: store_get returned %d", i, orig.len, rc);
		char want[64];
		snprintf(want, sizeof want, "case %llu", (unsigned long long)id);
		assert_non_null(strstr(err.msg, want));
		/* A changed version byte reads as another version; everything
		 * else is caught by the checksum and named as damage. */
		if (i > 0 && !strstr(err.msg, "is damaged: restore it from a backup"))
			fail_msg("byte %zu: message \"%s\"", i, err.msg);
		store_close(st);
	}
	raw_record(id, NULL, &orig);
	assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
	assert_int_equal(store_check(st, NULL, NULL, NULL, &err), 0);
	store_close(st);
	buf_free(&orig);
	buf_free(&bad);
}

/* A record as version 1 wrote it: no checksum. */
static void to_version1(struct buf *b)
{
	assert_true(b->len > 5 && b->p[0] == CODEC_VERSION);
	b->p[0] = 1;
	b->len -= 4;
}

static void test_old_records_and_rewrite(void **state)
{
	(void)state;
	struct store *st;
	struct cb_err err;
	struct buf rec = {0};
	struct case_record c;
	uint64_t ids[3], n;
	assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
	for (int i = 0; i < 3; i++)
		ids[i] = add(st, "an old note");
	store_close(st);
	for (int i = 0; i < 2; i++) {
		raw_record(ids[i], &rec, NULL);
		to_version1(&rec);
		raw_record(ids[i], NULL, &rec);
	}
	assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
	/* Old records read as before, and check counts them. */
	assert_int_equal(store_get(st, ids[0], &c, &err), 0);
	assert_string_equal(c.notes, "an old note");
	uint32_t rev = c.rev;
	case_free(&c);
	struct store_check_report rep;
	assert_int_equal(store_check(st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.old_records, 2);
	/* Written again, a record gets its checksum. */
	assert_int_equal(store_get(st, ids[1], &c, &err), 0);
	assert_int_equal(case_assign(&c, "city=Astana", &err), 0);
	assert_int_equal(store_update(st, &c, c.rev, &err), 0);
	case_free(&c);
	assert_int_equal(store_check(st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.old_records, 1);
	/* store_rewrite does the rest, changing nothing else. */
	assert_int_equal(store_rewrite(st, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_check(st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.old_records, 0);
	assert_int_equal(store_get(st, ids[0], &c, &err), 0);
	assert_int_equal(c.rev, rev);
	assert_string_equal(c.notes, "an old note");
	case_free(&c);
	assert_int_equal(store_rewrite(st, &n, &err), 0);
	assert_int_equal(n, 0);
	store_close(st);
	raw_record(ids[0], &rec, NULL);
	assert_true(codec_is_current(rec.p, rec.len));
	buf_free(&rec);
}

static void print_line(const char *line, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "check: %s\n", line);
}

/* Adds *ctx cases in one transaction. */
static int add_many(struct store_txn *tx, void *ctx)
{
	struct cb_err err;
	for (int i = 0; i < *(int *)ctx; i++) {
		struct case_record c;
		case_init(&c);
		case_assign(&c, "name=Batch", &err);
		int rc = store_txn_add(tx, &c, &err);
		case_free(&c);
		if (rc)
			return rc;
	}
	return 0;
}

/* More old records than one rewrite batch: all are done. */
static void test_rewrite_batches(void **state)
{
	(void)state;
	struct store *st;
	struct cb_err err;
	struct buf rec = {0};
	uint64_t n;
	const int total = 12000;
	assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
	int count = total;
	assert_int_equal(store_write(st, add_many, &count, &err), 0);
	store_close(st);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, dbdir, MDB_NOSYNC, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "cases", MDB_INTEGERKEY, &dbi), 0);
	assert_int_equal(mdb_cursor_open(txn, dbi, &cur), 0);
	while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
		rec.len = 0;
		buf_put(&rec, v.mv_data, v.mv_size);
		to_version1(&rec);
		uint64_t id;
		memcpy(&id, k.mv_data, sizeof id);
		MDB_val nk = {sizeof id, &id}, nv = {rec.len, rec.p};
		assert_int_equal(mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT), 0);
	}
	mdb_cursor_close(cur);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	assert_int_equal(store_open(&st, dbdir, NULL, &err), 0);
	if (store_rewrite(st, &n, &err) != 0)
		fail_msg("rewrite: %s", err.msg);
	assert_int_equal(n, total);
	struct store_check_report rep;
	assert_int_equal(store_check(st, print_line, NULL, &rep, &err), 0);
	assert_int_equal(rep.old_records, 0);
	assert_int_equal(rep.cases, total);
	store_close(st);
	buf_free(&rec);
}

/* While a child grows the map from a tiny size, the parent opens the store
 * over and over: no open may fail (MDB_MAP_RESIZED is retried). */
static void test_open_during_growth(void **state)
{
	(void)state;
	struct store_options opt = {.initial_map = 64 * 1024};
	struct store *st;
	struct cb_err err;
	assert_int_equal(store_open(&st, dbdir, &opt, &err), 0);
	add(st, NULL);
	store_close(st);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *w;
		if (store_open(&w, dbdir, &opt, &err) != 0)
			_exit(1);
		for (int i = 0; i < 600; i++) {
			struct case_record c;
			case_init(&c);
			case_assign(&c, "name=Grower", &err);
			case_assign(&c,
			    "notes=Enough text that the map has to grow again and again.", &err);
			if (store_add(w, &c, &err) != 0) {
				fprintf(stderr, "writer: %s\n", err.msg);
				_exit(2);
			}
			case_free(&c);
		}
		store_close(w);
		_exit(0);
	}
	int opens = 0, failures = 0, status;
	char first[1024] = "";
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		uint64_t n;
		if (store_open(&st, dbdir, &opt, &err) != 0 || store_count(st, &n, &err) != 0) {
			if (!failures++)
				snprintf(first, sizeof first, "%s", err.msg);
		} else {
			opens++;
		}
		if (st)
			store_close(st);
		st = NULL;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (waitpid(pid, &status, WNOHANG) == 0 && t.tv_sec - t0.tv_sec < 20);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("writer: status %d, %d opens, %d failed: %s", status, opens, failures,
		    first);
	if (failures)
		fail_msg("%d of %d opens failed, first: %s", failures, opens + failures, first);
	assert_true(opens > 10);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_every_byte_flip_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_old_records_and_rewrite, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rewrite_batches, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_during_growth, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
