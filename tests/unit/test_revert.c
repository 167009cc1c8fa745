/* Unit tests of store_revert: one chosen change reverted as a new
 * revision, refused naming the fields when a later change touched them,
 * refused for entries that are not field changes or are undone already. */
#include "unit.h"

#include "store.h"
#include "store_revert.h"

struct seqs {
	uint64_t seq[16];
	size_t n;
};

static int keep_seq(const struct audit_entry *e, void *ctx)
{
	struct seqs *s = ctx;
	if (s->n < 16)
		s->seq[s->n++] = e->seq;
	return 0;
}

static void edit(struct store *st, uint64_t id, const char *a1, const char *a2)
{
	struct case_record c;
	struct cb_err err;
	assert_int_equal(store_get(st, id, &c, &err), 0);
	assert_int_equal(case_assign(&c, a1, &err), 0);
	if (a2)
		assert_int_equal(case_assign(&c, a2, &err), 0);
	assert_int_equal(store_update(st, &c, c.rev, &err), 0);
	case_free(&c);
}

static char *field(struct store *st, uint64_t id, int f)
{
	struct case_record c;
	struct cb_err err;
	assert_int_equal(store_get(st, id, &c, &err), 0);
	char *v = case_get_field(&c, f);
	case_free(&c);
	return v;
}

static void test_revert(void **state)
{
	char *dir = unit_tmpdir(), path[4200];
	struct store *st;
	struct cb_err err;
	struct case_record c;
	struct seqs s = {0};
	uint32_t rev;
	char *v;

	(void)state;
	snprintf(path, sizeof path, "%s/db", dir);
	assert_int_equal(store_open(&st, path, NULL, &err), 0);
	case_init(&c);
	assert_int_equal(case_assign(&c, "name=A", &err), 0);
	assert_int_equal(case_assign(&c, "lawyer=L1", &err), 0);
	assert_int_equal(store_add(st, &c, &err), 0);
	case_free(&c);
	edit(st, 1, "lawyer=L2", "city=Almaty"); /* entry 2 */
	edit(st, 1, "city=Astana", NULL); /* entry 3 */
	edit(st, 1, "notes=n", NULL); /* entry 4 */
	assert_int_equal(store_history(st, 1, keep_seq, &s, &err), 0);
	assert_int_equal(s.n, 4);

	/* Entry 2 changed lawyer and city; entry 3 changed city since. */
	assert_int_equal(store_revert(st, 1, s.seq[1], &rev, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "later changes touched city"));
	assert_null(strstr(err.msg, "lawyer"));
	v = field(st, 1, FIELD_LAWYER);
	assert_string_equal(v, "L2"); /* nothing changed */
	free(v);

	/* Entry 3 alone: no later change touched city. */
	assert_int_equal(store_revert(st, 1, s.seq[2], &rev, &err), 0);
	assert_int_equal(rev, 5);
	v = field(st, 1, FIELD_CITY);
	assert_string_equal(v, "Almaty");
	free(v);
	v = field(st, 1, FIELD_NOTES);
	assert_string_equal(v, "n"); /* the later change stays */
	free(v);
	/* Reverted once: a second time is refused. */
	assert_int_equal(store_revert(st, 1, s.seq[2], &rev, &err), CB_EINVAL);
	assert_non_null(strstr(err.msg, "undone already"));
	/* The create is not a change of fields. */
	assert_int_equal(store_revert(st, 1, s.seq[0], &rev, &err), CB_EINVAL);
	/* An unknown entry and an unknown case. */
	assert_int_equal(store_revert(st, 1, 999, &rev, &err), CB_ENOTFOUND);
	assert_int_equal(store_revert(st, 7, s.seq[1], &rev, &err), CB_ENOTFOUND);

	store_close(st);
	unit_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_revert),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
