/* Unit tests of an import in several transactions (store_journal.h): the
 * reserved range, the guard, the audit entries at the end, the roll-back
 * giving the ids back, and recovery only when the importer is gone. */
#include "unit.h"

#include <sys/stat.h>

#include "store.h"
#include "store_journal.h"

static uint64_t add(struct store *st, const char *name)
{
	struct case_record c;
	struct cb_err err;
	case_init(&c);
	assert_int_equal(case_set_field(&c, FIELD_NAME, name, false, &err), 0);
	assert_int_equal(store_add(st, &c, &err), 0);
	uint64_t id = c.id;
	case_free(&c);
	return id;
}

/* Stores n cases at the range's first ids in one transaction. */
struct adds {
	const struct store_journal *j;
	uint64_t n;
};

static int add_range(struct store_txn *tx, void *ctx)
{
	struct adds *a = ctx;
	struct cb_err err;
	for (uint64_t i = 0; i < a->n; i++) {
		struct case_record c;
		char name[32];
		case_init(&c);
		snprintf(name, sizeof name, "Imported %llu", (unsigned long long)i);
		assert_int_equal(case_set_field(&c, FIELD_NAME, name, false, &err), 0);
		int rc = store_journal_txn_add(tx, a->j, a->j->first + i, &c, &err);
		case_free(&c);
		if (rc)
			return rc;
	}
	return 0;
}

static int finish(struct store_txn *tx, void *ctx)
{
	struct cb_err err;
	return store_journal_txn_finish(tx, ctx, &err);
}

static int count_entries(const struct audit_entry *e, void *ctx)
{
	(void)e;
	++*(int *)ctx;
	return 0;
}

static bool lock_file_exists(const struct unit_db *f)
{
	char path[4200];
	struct stat sb;
	snprintf(path, sizeof path, "%s/import.lock", f->dbdir);
	return lstat(path, &sb) == 0;
}

static void test_reserve_guard_finish(void **state)
{
	struct unit_db *f = *state;
	struct store_journal j, seen;
	struct store_audit_report rep;
	struct case_record c;
	struct cb_err err;
	bool running = false;
	int n = 0;

	assert_int_equal(add(f->st, "Before"), 1);
	assert_int_equal(store_journal_begin(f->st, 3, &j, &err), 0);
	assert_int_equal(j.first, 2);
	assert_true(lock_file_exists(f));
	/* Someone else's add meanwhile gets an id after the range. */
	assert_int_equal(add(f->st, "Meanwhile"), 5);
	struct adds a = {&j, 3};
	assert_int_equal(store_write(f->st, add_range, &a, &err), 0);
	assert_int_equal(store_journal_pending(f->st, &seen, &running, &err), 0);
	assert_true(running);
	assert_int_equal(seen.first, 2);
	assert_int_equal(seen.count, 3);
	/* The import's cases may not change yet; others may. */
	assert_int_equal(store_get(f->st, 3, &c, &err), 0);
	assert_int_equal(store_update(f->st, &c, 0, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "has not finished"));
	case_free(&c);
	assert_int_equal(store_get(f->st, 5, &c, &err), 0);
	assert_int_equal(store_update(f->st, &c, 0, &err), 0);
	case_free(&c);
	/* No audit entry before the end, one after. */
	assert_int_equal(store_history(f->st, 3, count_entries, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_write(f->st, finish, &j, &err), 0);
	store_journal_end(f->st, &j);
	assert_false(lock_file_exists(f));
	assert_int_equal(store_journal_pending(f->st, &seen, NULL, &err), CB_ENOTFOUND);
	assert_int_equal(store_history(f->st, 3, count_entries, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_audit_verify(f->st, &rep, &err), 0);
	assert_int_equal(rep.entries, 6); /* 1, 5 twice, 2, 3, 4 */
	assert_int_equal(store_get(f->st, 4, &c, &err), 0);
	assert_int_equal(store_update(f->st, &c, 0, &err), 0);
	case_free(&c);
}

static void test_rollback_gives_ids_back(void **state)
{
	struct unit_db *f = *state;
	struct store_journal j;
	struct store_check_report rep;
	uint64_t n;
	struct cb_err err;

	add(f->st, "Before");
	assert_int_equal(store_journal_begin(f->st, 50, &j, &err), 0);
	struct adds a = {&j, 30}; /* interrupted after 30 of 50 */
	assert_int_equal(store_write(f->st, add_range, &a, &err), 0);
	assert_int_equal(store_count(f->st, &n, &err), 0);
	assert_int_equal(n, 31);
	assert_int_equal(store_journal_rollback(f->st, &j, &err), 0);
	store_journal_end(f->st, &j);
	assert_int_equal(store_count(f->st, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.cases, 1);
	assert_int_equal(add(f->st, "After"), 2);
}

static void test_rollback_keeps_later_ids(void **state)
{
	struct unit_db *f = *state;
	struct store_journal j;
	struct cb_err err;

	assert_int_equal(store_journal_begin(f->st, 10, &j, &err), 0);
	struct adds a = {&j, 10};
	assert_int_equal(store_write(f->st, add_range, &a, &err), 0);
	assert_int_equal(add(f->st, "Meanwhile"), 11);
	assert_int_equal(store_journal_rollback(f->st, &j, &err), 0);
	store_journal_end(f->st, &j);
	/* Someone took an id after the range: its ids are not used again. */
	assert_int_equal(add(f->st, "After"), 12);
}

static void test_recover_only_when_importer_gone(void **state)
{
	struct unit_db *f = *state;
	struct store_journal j, again;
	struct cb_err err;
	bool rolled_back = true;
	uint64_t n;

	assert_int_equal(store_journal_begin(f->st, 5, &j, &err), 0);
	struct adds a = {&j, 5};
	assert_int_equal(store_write(f->st, add_range, &a, &err), 0);
	/* The importer holds the lock: nothing is touched. */
	assert_int_equal(store_journal_recover(f->st, &rolled_back, &err), 0);
	assert_false(rolled_back);
	assert_int_equal(store_count(f->st, &n, &err), 0);
	assert_int_equal(n, 5);
	/* A second import is refused while it runs. */
	assert_int_equal(store_journal_begin(f->st, 1, &again, &err), CB_EDB);
	assert_non_null(strstr(err.msg, "another import"));
	/* The importer dies (its lock goes with its descriptor). */
	close(j.lock_fd);
	assert_true(lock_file_exists(f));
	assert_int_equal(store_journal_recover(f->st, &rolled_back, &err), 0);
	assert_true(rolled_back);
	assert_int_equal(store_count(f->st, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_false(lock_file_exists(f));
	assert_int_equal(store_journal_pending(f->st, &again, NULL, &err), CB_ENOTFOUND);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reserve_guard_finish, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_rollback_gives_ids_back, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_rollback_keeps_later_ids, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_recover_only_when_importer_gone, unit_db_setup,
	        unit_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
