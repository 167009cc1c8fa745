/* Unit tests of the store: CRUD, indexes kept in step, conflicts, audit,
 * map growth, permissions, foreign and corrupt databases, check. */
#include "unit.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fold.h"
#include "query.h"
#include "store.h"
#include "store_lmdb.h"
#include "store_trash.h"

static uint64_t add(struct store *st, const char *a1, const char *a2, const char *a3)
{
	struct case_record c;
	struct cb_err err;
	const char *as[] = {a1, a2, a3};
	case_init(&c);
	for (int i = 0; i < 3; i++)
		if (as[i])
			assert_int_equal(case_assign(&c, as[i], &err), 0);
	assert_int_equal(store_add(st, &c, &err), 0);
	uint64_t id = c.id;
	case_free(&c);
	return id;
}

/* Ids stored under key in index idx. */
static size_t index_ids(struct store *st, int idx, const char *key, uint64_t *ids, size_t max)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k = {strlen(key), (void *)key}, v;
	size_t n = 0;
	assert_int_equal(store_read_begin(st, &txn, NULL), 0);
	assert_int_equal(mdb_cursor_open(txn, store_dbi_index(st, idx), &cur), 0);
	int rc = mdb_cursor_get(cur, &k, &v, MDB_SET);
	while (rc == 0 && n < max) {
		memcpy(&ids[n++], v.mv_data, 8);
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
	}
	mdb_cursor_close(cur);
	store_read_end(st);
	return n;
}

static void test_create_get(void **state)
{
	struct unit_db *f = *state;
	struct case_record c;
	struct cb_err err;
	uint64_t id = add(f->st, "name=Ninagul DZHUMANIYAZOVA", "city=Almaty",
	    "injuries=strangulation:body=neck|bruise|head_trauma");
	assert_int_equal(id, 1);
	assert_int_equal(store_get(f->st, id, &c, &err), 0);
	assert_string_equal(c.name, "Ninagul DZHUMANIYAZOVA");
	assert_string_equal(c.city, "Almaty");
	assert_int_equal(c.n_injuries, 3);
	assert_int_equal(c.rev, 1);
	assert_true(c.created > 0);
	assert_non_null(c.updated_by);
	case_free(&c);
	assert_int_equal(store_get(f->st, 99, &c, &err), CB_ENOTFOUND);
	assert_non_null(strstr(err.msg, "99"));
	case_free(&c);
}

static void test_index_moves_on_update(void **state)
{
	struct unit_db *f = *state;
	struct case_record c;
	struct cb_err err;
	uint64_t ids[8];
	uint64_t id = add(f->st, "name=Yerkin KAZIYEV", "city=Алматы", "injuries=bruise|abrasion");
	assert_int_equal(index_ids(f->st, IDX_CITY, "алматы", ids, 8), 1);
	assert_int_equal(ids[0], id);
	assert_int_equal(index_ids(f->st, IDX_INJURY, "abrasion", ids, 8), 1);

	assert_int_equal(store_get(f->st, id, &c, &err), 0);
	assert_int_equal(case_assign(&c, "city=Шымкент", &err), 0);
	assert_int_equal(case_assign(&c, "injuries=bruise", &err), 0);
	assert_int_equal(store_update(f->st, &c, 1, &err), 0);
	assert_int_equal(c.rev, 2);
	case_free(&c);
	assert_int_equal(index_ids(f->st, IDX_CITY, "алматы", ids, 8), 0);
	assert_int_equal(index_ids(f->st, IDX_CITY, "шымкент", ids, 8), 1);
	assert_int_equal(index_ids(f->st, IDX_INJURY, "abrasion", ids, 8), 0);
	assert_int_equal(index_ids(f->st, IDX_INJURY, "bruise", ids, 8), 1);
	assert_int_equal(index_ids(f->st, IDX_NAME, "kaziyev", ids, 8), 1);

	assert_int_equal(store_delete(f->st, id, 0, &err), 0);
	assert_int_equal(index_ids(f->st, IDX_CITY, "шымкент", ids, 8), 0);
	assert_int_equal(index_ids(f->st, IDX_NAME, "kaziyev", ids, 8), 0);
	assert_int_equal(store_check(f->st, NULL, NULL, NULL, &err), 0);
	/* Ids are never reused. */
	assert_int_equal(add(f->st, "name=Next", NULL, NULL), id + 1);
}

struct batch_ctx {
	int from, n;
	uint64_t first;
};

/* Adds b->n cases in one transaction, each named for itself (so the
 * queue of index entries grows several times while it holds entries) with
 * a long first word they share, and one of three lawyers whose keys share
 * their first bytes. Halfway, the first case of the transaction is
 * changed, which writes the queue out before the transaction goes on. */
static int add_batch(struct store_txn *tx, void *ctx)
{
	struct batch_ctx *b = ctx;
	struct cb_err err;
	char name[96], lawyer[64];
	int rc = 0;

	for (int i = 0; i < b->n && rc == 0; i++) {
		struct case_record c;
		case_init(&c);
		snprintf(name, sizeof name, "name=Абдурахмановна Тулеген%d", b->from + i);
		snprintf(lawyer, sizeof lawyer, "lawyer=Адвокатская контора %d", i % 3);
		assert_int_equal(case_assign(&c, name, &err), 0);
		assert_int_equal(case_assign(&c, lawyer, &err), 0);
		assert_int_equal(case_assign(&c, "aliases=Абдурахмановна", &err), 0);
		rc = store_txn_add(tx, &c, &err);
		if (i == 0)
			b->first = c.id;
		case_free(&c);
		if (rc == 0 && i == b->n / 2) {
			struct case_record o;
			assert_int_equal(store_txn_get(tx, b->first, &o, &err), 0);
			assert_int_equal(case_assign(&o, "lawyer=Другой адвокат", &err), 0);
			rc = store_txn_update(tx, &o, o.rev, &err);
			case_free(&o);
		}
	}
	return rc;
}

/* Ids strictly ascending. */
static bool ascending(const uint64_t *ids, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (ids[i] <= ids[i - 1])
			return false;
	return true;
}

/* The index entries of many cases added in one transaction are queued and
 * written at its end (and before a change to one of them): every entry
 * arrives under its key, in two transactions one after the other. */
static void test_batch_index_queue(void **state)
{
	struct unit_db *f = *state;
	static uint64_t ids[8192];
	struct batch_ctx b1 = {0, 5000, 0}, b2 = {5000, 3000, 0};
	struct store_check_report rep;
	struct cb_err err;

	assert_int_equal(store_write(f->st, add_batch, &b1, &err), 0);
	assert_int_equal(store_write(f->st, add_batch, &b2, &err), 0);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.cases, 8000);
	size_t n = index_ids(f->st, IDX_NAME, "абдурахмановна", ids, 8192);
	assert_int_equal(n, 8000);
	assert_true(ascending(ids, n));
	/* i % 3 == 1: 1,667 of the first 5,000 and 1,000 of the next 3,000. */
	n = index_ids(f->st, IDX_LAWYER, "адвокатская контора 1", ids, 8192);
	assert_int_equal(n, 2667);
	assert_true(ascending(ids, n));
	/* The first case of each transaction moved to another lawyer. */
	assert_int_equal(index_ids(f->st, IDX_LAWYER, "адвокатская контора 0", ids, 8192),
	    1667 - 1 + 1000 - 1);
	assert_int_equal(index_ids(f->st, IDX_LAWYER, "другой адвокат", ids, 8192), 2);
	assert_int_equal(ids[0], b1.first);
	assert_int_equal(ids[1], b2.first);
	assert_int_equal(index_ids(f->st, IDX_NAME, "тулеген7999", ids, 8192), 1);
	assert_int_equal(ids[0], b2.first + 2999);
}

static void test_conflict_on_stale_rev(void **state)
{
	struct unit_db *f = *state;
	struct case_record a, b, now;
	struct cb_err err;
	uint64_t id = add(f->st, "name=Dastan BAZENOV", "city=Almaty", NULL);

	assert_int_equal(store_get(f->st, id, &a, &err), 0);
	assert_int_equal(store_get(f->st, id, &b, &err), 0);
	assert_int_equal(case_assign(&a, "city=Astana", &err), 0);
	assert_int_equal(store_update(f->st, &a, a.rev, &err), 0);
	assert_int_equal(case_assign(&b, "city=Aktobe", &err), 0);
	assert_int_equal(store_update(f->st, &b, 1, &err), CB_ECONFLICT);
	assert_non_null(strstr(err.msg, "changed by"));
	assert_int_equal(store_get(f->st, id, &now, &err), 0);
	assert_string_equal(now.city, "Astana");
	assert_int_equal(now.rev, 2);
	assert_int_equal(store_delete(f->st, id, 1, &err), CB_ECONFLICT);
	assert_int_equal(store_check(f->st, NULL, NULL, NULL, &err), 0);
	case_free(&a), case_free(&b), case_free(&now);
}

static int count_history(const struct audit_entry *e, void *ctx)
{
	int *n = ctx;
	assert_int_equal(e->action, *n + 1 > 2 ? AUDIT_DELETE : *n + 1);
	(*n)++;
	return 0;
}

static void test_history(void **state)
{
	struct unit_db *f = *state;
	struct case_record c;
	struct cb_err err;
	int n = 0;
	uint64_t other = add(f->st, "name=Other", NULL, NULL);
	uint64_t id = add(f->st, "name=Hist", NULL, NULL);
	assert_int_equal(store_get(f->st, id, &c, &err), 0);
	assert_int_equal(case_assign(&c, "city=Almaty", &err), 0);
	assert_int_equal(store_update(f->st, &c, 0, &err), 0);
	case_free(&c);
	assert_int_equal(store_delete(f->st, id, 0, &err), 0);
	assert_int_equal(store_history(f->st, id, count_history, &n, &err), 0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(store_history(f->st, other, count_history, &n, &err), 0);
	assert_int_equal(n, 1);
}

static void test_folding(void **state)
{
	(void)state;
	char *a = fold_text("АЛМАТЫ"), *b = fold_text("Алматы"), *c = fold_text("  алматы ");
	assert_string_equal(a, b);
	assert_string_equal(b, c);
	free(a), free(b), free(c);
	/* Decomposed И + combining breve and precomposed Й meet. */
	a = fold_text("\xd0\x98\xcc\x86"), b = fold_text("\xd0\x99"), c = fold_text("й");
	assert_string_equal(a, b);
	assert_string_equal(b, c);
	free(a), free(b), free(c);
	a = fold_text("Straße"), b = fold_text("STRASSE");
	assert_string_equal(a, b);
	free(a), free(b);
	struct strlist w = {0};
	fold_words("Ninagul  DZHUMANIYAZOVA, Нинагуль-Джуманиязова ninagul", &w);
	assert_int_equal(w.n, 4);
	assert_string_equal(w.items[0], "ninagul");
	assert_string_equal(w.items[1], "dzhumaniyazova");
	assert_string_equal(w.items[2], "нинагуль");
	strlist_free(&w);
	a = fold_text("bad \xff byte");
	assert_non_null(strstr(a, "\xef\xbf\xbd"));
	free(a);
}

static void test_name_tokens_from_all_names(void **state)
{
	struct unit_db *f = *state;
	uint64_t ids[4];
	uint64_t id = add(f->st, "name=Ерқин Қазиев", "name_latin=Yerkin Kaziyev",
	    "aliases=Erkin Kaziev|Еркин");
	assert_int_equal(index_ids(f->st, IDX_NAME, "қазиев", ids, 4), 1);
	assert_int_equal(index_ids(f->st, IDX_NAME, "kaziyev", ids, 4), 1);
	assert_int_equal(index_ids(f->st, IDX_NAME, "kaziev", ids, 4), 1);
	assert_int_equal(index_ids(f->st, IDX_NAME, "еркин", ids, 4), 1);
	assert_int_equal(ids[0], id);
}

static void test_map_grows(void **state)
{
	struct unit_db *f = *state;
	struct store_options opt = {.initial_map = 64 * 1024};
	struct cb_err err;
	struct store *st;
	char *dir = malloc(strlen(f->dir) + 8);
	sprintf(dir, "%s/tiny", f->dir);
	assert_int_equal(store_open(&st, dir, &opt, &err), 0);
	for (int i = 0; i < 3000; i++) {
		char name[64];
		snprintf(name, sizeof name, "name=Person Number%d", i);
		add(st, name, "city=Almaty",
		    "notes=Some notes that take room in the map, more than a few bytes.");
	}
	uint64_t n;
	assert_int_equal(store_count(st, &n, &err), 0);
	assert_int_equal(n, 3000);
	assert_int_equal(store_check(st, NULL, NULL, NULL, &err), 0);
	store_close(st);
	free(dir);
}

static void test_permissions(void **state)
{
	struct unit_db *f = *state;
	struct stat sb;
	char path[4200];
	assert_int_equal(stat(f->dbdir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof path, "%s/data.mdb", f->dbdir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0077, 0);
	snprintf(path, sizeof path, "%s/lock.mdb", f->dbdir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0077, 0);

	/* A group-shared directory gives group access, never world access. */
	struct store *st;
	struct cb_err err;
	snprintf(path, sizeof path, "%s/shared", f->dir);
	assert_int_equal(mkdir(path, 0770), 0);
	assert_int_equal(chmod(path, 02770), 0);
	mode_t old_umask = umask(022); /* a common umask that drops group write */
	assert_int_equal(store_open(&st, path, NULL, &err), 0);
	umask(old_umask);
	store_close(st);
	strcat(path, "/data.mdb");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0660);
	snprintf(path, sizeof path, "%s/shared/lock.mdb", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0660);
}

static void test_readonly_refuses_writes(void **state)
{
	struct unit_db *f = *state;
	struct store_options opt = {.flags = STORE_RDONLY};
	struct case_record c;
	struct cb_err err;
	struct store *ro;
	add(f->st, "name=Existing", NULL, NULL);
	assert_int_equal(store_open(&ro, f->dbdir, &opt, &err), 0);
	assert_true(store_readonly(ro));
	case_init(&c);
	assert_int_equal(case_assign(&c, "name=New", &err), 0);
	assert_int_equal(store_add(ro, &c, &err), CB_EREADONLY);
	case_free(&c);
	uint64_t n;
	assert_int_equal(store_count(ro, &n, &err), 0);
	assert_int_equal(n, 1);
	store_close(ro);
}

static void test_foreign_and_corrupt(void **state)
{
	struct unit_db *f = *state;
	struct cb_err err;
	struct store *st;
	char path[4200];

	/* Some other program's LMDB environment. */
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	snprintf(path, sizeof path, "%s/foreign", f->dir);
	mkdir(path, 0700);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, path, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
	MDB_val k = {5, (void *)"hello"}, v = {5, (void *)"world"};
	assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	assert_int_equal(store_open(&st, path, NULL, &err), CB_EDB);
	assert_non_null(strstr(err.msg, "other program"));

	/* A file of garbage where data.mdb should be. */
	snprintf(path, sizeof path, "%s/garbage", f->dir);
	mkdir(path, 0700);
	strcat(path, "/data.mdb");
	FILE *fp = fopen(path, "w");
	for (int i = 0; i < 20000; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/garbage", f->dir);
	assert_int_not_equal(store_open(&st, path, NULL, &err), 0);
	assert_non_null(strstr(err.msg, "not a casebook database"));

	/* A plain file instead of a directory. */
	snprintf(path, sizeof path, "%s/plain", f->dir);
	fp = fopen(path, "w");
	fclose(fp);
	assert_int_not_equal(store_open(&st, path, NULL, &err), 0);
	assert_non_null(strstr(err.msg, "not a directory"));
}

/* A write that changes nothing still commits cleanly. */
static int no_change(struct store_txn *tx, void *ctx)
{
	(void)tx, (void)ctx;
	return 0;
}

static void test_check_finds_disagreement(void **state)
{
	struct unit_db *f = *state;
	struct store_check_report rep;
	struct cb_err err;
	uint64_t id = add(f->st, "name=Checked", "city=Almaty", NULL);
	add(f->st, "name=Other", "city=Almaty", NULL);
	assert_int_equal(store_write(f->st, no_change, NULL, &err), 0);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.cases, 2);
	assert_int_equal(rep.problems, 0);

	/* Open LMDB directly, as a buggy program would, and drop an entry. */
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	store_close(f->st);
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, f->dbdir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "city", MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
	                     &dbi),
	    0);
	MDB_val k = {6, (void *)"almaty"}, v = {8, &id};
	assert_int_equal(mdb_del(txn, dbi, &k, &v), 0);
	uint64_t ghost = 777;
	MDB_val k2 = {6, (void *)"astana"}, v2 = {8, &ghost};
	assert_int_equal(mdb_put(txn, dbi, &k2, &v2, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	assert_int_equal(store_open(&f->st, f->dbdir, NULL, &err), 0);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), CB_ECORRUPT);
	assert_int_equal(rep.problems, 2);
}

/* A database made before the exam index existed: read-only, filters on
 * exam say how to add it and check still passes; the first writable open
 * adds the index, filled from the records, and check agrees. */
/* A database whose map is full when its first writable open must build a
 * missing index (name_skel): the open grows the map and builds it. */
static void test_index_fill_grows_full_map(void **state)
{
	struct unit_db *f = *state;
	struct store_options small = {.initial_map = (size_t)1 << 20};
	struct store_check_report rep;
	struct cb_err err;
	uint64_t ids[4];
	char name[64];

	store_close(f->st);
	assert_int_equal(store_open(&f->st, f->dbdir, &small, &err), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "name=Нұржан Person%03d", i);
		add(f->st, name, NULL, NULL);
	}
	store_close(f->st);
	f->st = NULL;

	/* Drop name_skel, then fill the map to the last page with a filler. */
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	char junk[2048];
	memset(junk, 'x', sizeof junk);
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, f->dbdir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "name_skel", 0, &dbi), 0);
	assert_int_equal(mdb_drop(txn, dbi, 1), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	for (uint32_t k = 0, full = 0; !full; k++) {
		assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
		assert_int_equal(mdb_dbi_open(txn, "filler", MDB_CREATE, &dbi), 0);
		MDB_val key = {sizeof k, &k}, val = {sizeof junk, junk};
		int rc = mdb_put(txn, dbi, &key, &val, 0);
		if (rc == 0)
			rc = mdb_txn_commit(txn); /* a full map may show here too */
		else
			mdb_txn_abort(txn);
		assert_true(rc == 0 || rc == MDB_MAP_FULL);
		full = rc == MDB_MAP_FULL;
	}
	mdb_env_close(env);

	assert_int_equal(store_open(&f->st, f->dbdir, &small, &err), 0);
	assert_int_equal(index_ids(f->st, IDX_NAME_SKEL, "nurjan", ids, 4), 4);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.problems, 0);
}

static void test_new_index_filled_on_open(void **state)
{
	struct unit_db *f = *state;
	struct store_check_report rep;
	struct store_options ro = {.flags = STORE_RDONLY};
	struct query *q;
	struct query_result *r;
	struct cb_err err;
	uint64_t ids[4];

	uint64_t yes = add(f->st, "name=Yes", "injuries=bruise:exam=yes|burn", NULL);
	uint64_t no = add(f->st, "name=No", "injuries=burn:exam=no", NULL);
	add(f->st, "name=None", "injuries=burn", NULL);
	store_close(f->st);
	f->st = NULL;

	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, f->dbdir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "exam", 0, &dbi), 0);
	assert_int_equal(mdb_drop(txn, dbi, 1), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	assert_int_equal(store_open(&f->st, f->dbdir, &ro, &err), 0);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(query_parse("exam:yes", &q, &err), 0);
	assert_int_equal(query_run(f->st, q, (struct query_sort){0}, &r, &err), CB_EDB);
	assert_non_null(strstr(err.msg, "no exam index yet"));
	store_close(f->st);

	assert_int_equal(store_open(&f->st, f->dbdir, NULL, &err), 0);
	assert_int_equal(index_ids(f->st, IDX_EXAM, "yes", ids, 4), 1);
	assert_int_equal(ids[0], yes);
	assert_int_equal(index_ids(f->st, IDX_EXAM, "no", ids, 4), 1);
	assert_int_equal(ids[0], no);
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_int_equal(rep.problems, 0);
	assert_int_equal(query_run(f->st, q, (struct query_sort){0}, &r, &err), 0);
	assert_int_equal(query_result_count(r), 1);
	assert_true(query_result_contains(r, yes));
	query_result_free(r);
	query_free(q);
}

/* A child writing in a loop, killed with SIGKILL mid-write, leaves a
 * database that opens, passes check and holds every committed case. */
static void test_sigkill_mid_write(void **state)
{
	struct unit_db *f = *state;
	struct cb_err err;
	store_close(f->st);
	f->st = NULL;
	for (int round = 0; round < 3; round++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct store *st;
			if (store_open(&st, f->dbdir, NULL, &err) != 0)
				_exit(1);
			for (int i = 0;; i++) {
				struct case_record c;
				char name[64];
				case_init(&c);
				snprintf(name, sizeof name, "name=Killed %d", i);
				case_assign(&c, name, &err);
				case_assign(&c, "city=Almaty", &err);
				case_assign(&c, "notes=Some text so that pages fill up and split.",
				    &err);
				store_add(st, &c, &err);
				case_free(&c);
			}
		}
		usleep(150000 + round * 50000);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	assert_int_equal(store_open(&f->st, f->dbdir, NULL, &err), 0);
	struct store_check_report rep;
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), 0);
	assert_true(rep.cases > 0);
	assert_int_equal(rep.problems, 0);
	/* Still writable, and the next id follows the largest committed one. */
	uint64_t id = add(f->st, "name=After", NULL, NULL);
	assert_int_equal(id, rep.cases + 1);
}

/* Another process grows the map past this process's map size: the next
 * read and write here adopt the new size (MDB_MAP_RESIZED) and succeed. */
static void test_map_resized_by_other_process(void **state)
{
	struct unit_db *f = *state;
	struct store_options opt = {.initial_map = 64 * 1024};
	struct cb_err err;
	struct store *st;
	char *dir = malloc(strlen(f->dir) + 8);
	sprintf(dir, "%s/grow", f->dir);
	assert_int_equal(store_open(&st, dir, &opt, &err), 0);
	add(st, "name=First", NULL, NULL);
	uint64_t n;
	assert_int_equal(store_count(st, &n, &err), 0); /* leaves a reset read txn */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *other;
		if (store_open(&other, dir, &opt, &err) != 0)
			_exit(1);
		for (int i = 0; i < 3000; i++) {
			struct case_record c;
			case_init(&c);
			case_assign(&c, "name=Grower", &err);
			case_assign(&c, "notes=Text enough to need a much larger map than 64 KiB.",
			    &err);
			if (store_add(other, &c, &err) != 0)
				_exit(2);
			case_free(&c);
		}
		store_close(other);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(store_count(st, &n, &err), 0);
	assert_int_equal(n, 3001);
	assert_int_equal(add(st, "name=Last", NULL, NULL), 3002);
	struct case_record c;
	assert_int_equal(store_get(st, 2000, &c, &err), 0);
	assert_string_equal(c.name, "Grower");
	case_free(&c);
	assert_int_equal(store_check(st, NULL, NULL, NULL, &err), 0);
	store_close(st);
	free(dir);
}

/* Sets meta next_id behind the store's back, as damage would. */
static void set_next_id(const char *dir, const char *value)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
	MDB_val k = {7, (void *)"next_id"}, v = {strlen(value), (void *)value};
	assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

/* New ids are normally the largest, so records and index entries are
 * appended; when they are not (a damaged counter), they go in place, and a
 * case is never overwritten. */
static void test_damaged_counter_never_overwrites(void **state)
{
	struct unit_db *f = *state;
	struct case_record c;
	struct cb_err err;
	for (int i = 0; i < 5; i++)
		add(f->st, "name=Existing", "status=open", "city=Almaty");
	assert_int_equal(store_delete(f->st, 3, 0, &err), 0);
	/* Deleted cases keep their id in the trash: purged, id 3 is free. */
	assert_int_equal(store_purge(f->st, 3, &err), 0);
	store_close(f->st);
	set_next_id(f->dbdir, "3");
	assert_int_equal(store_open(&f->st, f->dbdir, NULL, &err), 0);
	/* Id 3 is free: it goes in place, in the record tree and every index. */
	assert_int_equal(add(f->st, "name=Inserted", "status=open", "city=Almaty"), 3);
	/* The indexes agree; check still names the damaged counter. */
	struct store_check_report rep;
	assert_int_equal(store_check(f->st, NULL, NULL, &rep, &err), CB_ECORRUPT);
	assert_int_equal(rep.problems, 1);
	uint64_t ids[8];
	assert_int_equal(index_ids(f->st, IDX_CITY, "almaty", ids, 8), 5);
	assert_int_equal(ids[2], 3);
	/* Id 4 is taken: refused, and case 4 is untouched. */
	case_init(&c);
	assert_int_equal(case_assign(&c, "name=Intruder", &err), 0);
	assert_int_equal(store_add(f->st, &c, &err), CB_ECORRUPT);
	assert_non_null(strstr(err.msg, "id counter"));
	case_free(&c);
	assert_int_equal(store_get(f->st, 4, &c, &err), 0);
	assert_string_equal(c.name, "Existing");
	case_free(&c);
}

/* Sets (val) or reads (val NULL, into out) the meta value key of the
 * database in dir, through LMDB directly: what another casebook would
 * have left there. */
static void meta_raw(const char *dir, const char *key, const char *val, char *out, size_t cap)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = {strlen(key), (void *)key}, v;
	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 64);
	assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
	if (val) {
		v = (MDB_val){strlen(val), (void *)val};
		assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
		assert_int_equal(mdb_txn_commit(txn), 0);
	} else {
		assert_int_equal(mdb_get(txn, dbi, &k, &v), 0);
		assert_true(v.mv_size < cap);
		memcpy(out, v.mv_data, v.mv_size);
		out[v.mv_size] = '\0';
		mdb_txn_abort(txn);
	}
	mdb_env_close(env);
}

/* A new database is at schema 2; one at schema 1 (made before skeleton
 * keys and people) is read as it is read-only and brought to 2 by a
 * writable open, so that a casebook knowing only 1 refuses it from then
 * on; an unknown schema is refused, naming both versions. */
static void test_schema_versions(void **state)
{
	struct unit_db *f = *state;
	struct store_options ro = {.flags = STORE_RDONLY};
	struct cb_err err;
	char got[32];

	add(f->st, "name=Нұржан", NULL, NULL);
	store_close(f->st);
	f->st = NULL;
	meta_raw(f->dbdir, "schema", NULL, got, sizeof got);
	assert_string_equal(got, "2");

	meta_raw(f->dbdir, "schema", "1", NULL, 0);
	assert_int_equal(store_open(&f->st, f->dbdir, &ro, &err), 0);
	store_close(f->st);
	f->st = NULL;
	meta_raw(f->dbdir, "schema", NULL, got, sizeof got);
	assert_string_equal(got, "1");
	assert_int_equal(store_open(&f->st, f->dbdir, NULL, &err), 0);
	store_close(f->st);
	f->st = NULL;
	meta_raw(f->dbdir, "schema", NULL, got, sizeof got);
	assert_string_equal(got, "2");

	meta_raw(f->dbdir, "schema", "3", NULL, 0);
	assert_int_equal(store_open(&f->st, f->dbdir, NULL, &err), CB_EDB);
	assert_non_null(strstr(err.msg, "schema 3"));
	assert_non_null(strstr(err.msg, "(2)"));
	assert_int_equal(store_open(&f->st, f->dbdir, &ro, &err), CB_EDB);
	f->st = NULL;
	meta_raw(f->dbdir, "schema", NULL, got, sizeof got);
	assert_string_equal(got, "3");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_get, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_index_moves_on_update, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_batch_index_queue, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_conflict_on_stale_rev, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_history, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test(test_folding),
	    cmocka_unit_test_setup_teardown(test_name_tokens_from_all_names, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_map_grows, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_permissions, unit_db_setup, unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_refuses_writes, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_foreign_and_corrupt, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_check_finds_disagreement, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_new_index_filled_on_open, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_index_fill_grows_full_map, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_sigkill_mid_write, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_map_resized_by_other_process, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_counter_never_overwrites, unit_db_setup,
	        unit_db_teardown),
	    cmocka_unit_test_setup_teardown(test_schema_versions, unit_db_setup, unit_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
