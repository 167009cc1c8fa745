/* store_journal.c — the journal of an import written in several
 * transactions (store_journal.h): the reserved id range in `meta` under
 * "import_journal", the lock file that says its importer still runs, the
 * roll-back of a partial import, and the audit entries written at the end.
 *
 * Why the audit entries wait for the last transaction: the audit log is a
 * hash chain in sequence order across all cases, and someone else's `add`
 * during the import chains onto whatever entry came last. Entries written
 * in the early chunks could then never be taken out again without breaking
 * the chain; written at the end they never need to be, and a rolled-back
 * import leaves the log exactly as it was. */
#include "store_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "store_int.h"
#include "text.h"

static char journal_key[] = "import_journal";
#define LOCK_NAME "import.lock"
#define DEFAULT_CHUNK 20000

uint64_t store_journal_chunk_rows(void)
{
	const char *s = getenv("CASEBOOK_IMPORT_CHUNK");
	char *end;
	unsigned long long n;

	if (!s || !*s)
		return DEFAULT_CHUNK;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n == 0)
		return DEFAULT_CHUNK;
	return n;
}

/* ---- The journal in meta ------------------------------------------------ */

/* "1 FIRST COUNT STARTED USER": version, range, start time, user. */
static int journal_read(MDB_txn *txn, MDB_dbi meta, struct store_journal *j)
{
	MDB_val k = {sizeof journal_key - 1, journal_key}, v;
	char s[160];
	unsigned long long first, count;
	long long started;
	int used = 0;
	int rc = mdb_get(txn, meta, &k, &v);

	memset(j, 0, sizeof *j);
	j->lock_fd = -1;
	if (rc)
		return rc;
	if (v.mv_size >= sizeof s)
		return MDB_CORRUPTED;
	memcpy(s, v.mv_data, v.mv_size);
	s[v.mv_size] = '\0';
	if (sscanf(s, "1 %llu %llu %lld %n", &first, &count, &started, &used) != 3 || used == 0)
		return MDB_CORRUPTED;
	j->first = first;
	j->count = count;
	j->started = started;
	snprintf(j->user, sizeof j->user, "%s", s + used);
	return 0;
}

static int journal_write(MDB_txn *txn, MDB_dbi meta, const struct store_journal *j)
{
	char s[160];
	int n = snprintf(s, sizeof s, "1 %llu %llu %lld %s", (unsigned long long)j->first,
	    (unsigned long long)j->count, (long long)j->started, j->user);
	MDB_val k = {sizeof journal_key - 1, journal_key}, v = {(size_t)n, s};

	return mdb_put(txn, meta, &k, &v, 0);
}

static int journal_clear(MDB_txn *txn, MDB_dbi meta)
{
	MDB_val k = {sizeof journal_key - 1, journal_key};
	int rc = mdb_del(txn, meta, &k, NULL);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static int counter_put(MDB_txn *txn, MDB_dbi meta, const char *key, uint64_t value)
{
	char s[24];
	int n = snprintf(s, sizeof s, "%llu", (unsigned long long)value);
	MDB_val k = {strlen(key), (char *)key}, v = {(size_t)n, s};
	return mdb_put(txn, meta, &k, &v, 0);
}

/* ---- The lock file -------------------------------------------------------- */

/* The lock file cannot be used: the message names it, shown safely. */
static void lock_error(struct cb_err *err, const char *path, const char *why)
{
	char *clean = text_sanitize(path, 0);
	cb_err_set(err, CB_EDB, _("cannot use %s: %s"), clean, why);
	free(clean);
}

/* Opens import.lock (creating it when create; 0600, or 0660 in a
 * group-shared directory; never through a link) and takes an exclusive
 * flock without waiting. Returns the descriptor, -1 with *busy set when
 * someone holds it, -1 with the error set otherwise (without create, a
 * missing file is "not busy", no error). The importer removes the file
 * while still holding the lock, so a lock taken on a file that is no
 * longer the one at the path is given up and taken again. */
static int lock_take(struct store *st, bool create, bool *busy, struct cb_err *err)
{
	char *path = xasprintf("%s/%s", store_path(st), LOCK_NAME);
	struct stat dir, fsb, psb;
	mode_t mode = 0600;
	int fd = -1;

	*busy = false;
	if (stat(store_path(st), &dir) == 0 && (dir.st_mode & S_IWGRP))
		mode = 0660;
	for (int tries = 0; tries < 16; tries++) {
		/* O_NONBLOCK: something other than a file there (a FIFO) must
		 * not hang the open; it is refused below. */
		fd = open(path,
		    (create ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
		    mode);
		if (fd < 0) {
			if (errno == ENOENT && !create)
				break;
			lock_error(err, path, strerror(errno));
			break;
		}
		if (fstat(fd, &fsb) != 0 || !S_ISREG(fsb.st_mode)) {
			lock_error(err, path, _("not a regular file"));
			break;
		}
		if (create && fsb.st_uid == geteuid() && (fsb.st_mode & 0777) != mode)
			fchmod(fd, mode);
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			if (errno == EWOULDBLOCK)
				*busy = true;
			else
				lock_error(err, path, strerror(errno));
			break;
		}
		if (lstat(path, &psb) == 0 && psb.st_dev == fsb.st_dev &&
		    psb.st_ino == fsb.st_ino) {
			free(path);
			return fd;
		}
		close(fd); /* removed meanwhile by an importer that finished */
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return -1;
}

/* Removes the lock file while holding it, then lets go. */
static void lock_release(struct store *st, int fd)
{
	char *path;

	if (fd < 0)
		return;
	path = xasprintf("%s/%s", store_path(st), LOCK_NAME);
	unlink(path);
	free(path);
	close(fd);
}

/* ---- Reading the journal ------------------------------------------------ */

static int pending_read(struct store *st, struct store_journal *j, struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = journal_read(txn, store_dbi_meta(st), j);
	store_read_end(st);
	if (rc == MDB_NOTFOUND)
		return CB_ENOTFOUND;
	if (rc)
		return store_lmdb_error(err, rc, _("reading the import journal"));
	return 0;
}

int store_journal_pending(struct store *st, struct store_journal *j, bool *running,
    struct cb_err *err)
{
	bool busy = false;
	int rc = pending_read(st, j, err);

	if (rc == 0 && running) {
		int fd = lock_take(st, false, &busy, NULL);
		if (fd >= 0)
			close(fd); /* only looked: the file stays */
		*running = busy;
	}
	return rc;
}

/* ---- Writing -------------------------------------------------------------- */

struct reservation {
	struct store_journal *j;
	struct cb_err *err;
};

static int reserve(struct store_txn *tx, void *ctx)
{
	struct reservation *res = ctx;
	struct store_journal *j = res->j;
	MDB_dbi meta = store_dbi_meta(tx->st);
	uint64_t next = 1;
	int rc;

	if ((rc = store_meta_get_u64(tx->txn, meta, "next_id", &next)) != 0 ||
	    (rc = counter_put(tx->txn, meta, "next_id", next + j->count)) != 0)
		return store_txn_fail(tx, rc, _("reserving ids for the import"), res->err);
	j->first = next;
	if ((rc = journal_write(tx->txn, meta, j)) != 0)
		return store_txn_fail(tx, rc, _("writing the import journal"), res->err);
	return 0;
}

int store_journal_begin(struct store *st, uint64_t count, struct store_journal *j,
    struct cb_err *err)
{
	struct store_journal old;
	struct reservation res = {j, err};
	bool busy;
	int rc;

	memset(j, 0, sizeof *j);
	j->lock_fd = -1;
	if (store_readonly(st))
		return store_write(st, reserve, &res, err); /* says read-only */
	j->lock_fd = lock_take(st, true, &busy, err);
	if (j->lock_fd < 0) {
		if (busy)
			return cb_err_set(err, CB_EDB, "%s",
			    _("another import into this database is running (or being undone); "
			      "nothing was imported; try again when it has finished"));
		return err ? err->code : CB_EDB;
	}
	/* A journal left by an importer that is gone (we hold its lock). */
	rc = pending_read(st, &old, err);
	if (rc == 0)
		rc = store_journal_rollback(st, &old, err);
	else if (rc == CB_ENOTFOUND)
		rc = 0;
	if (rc == 0) {
		j->count = count;
		j->started = (int64_t)time(NULL);
		snprintf(j->user, sizeof j->user, "%s", util_username());
		rc = store_write(st, reserve, &res, err);
	}
	if (rc != 0) {
		lock_release(st, j->lock_fd);
		j->lock_fd = -1;
	}
	return rc;
}

int store_journal_txn_add(struct store_txn *tx, const struct store_journal *j, uint64_t id,
    struct case_record *c, struct cb_err *err)
{
	int rc;

	if (id < j->first || id - j->first >= j->count)
		return cb_err_set(err, CB_EDB, "import: id %llu outside the reserved range",
		    (unsigned long long)id);
	if ((rc = case_validate(c, err)) != 0)
		return rc;
	c->id = id;
	c->rev = 1;
	c->created = c->updated = j->started;
	free(c->updated_by);
	c->updated_by = xstrdup(j->user);
	tx->enc.len = 0;
	codec_encode(c, &tx->enc);
	MDB_val k = {sizeof id, &id}, v = {tx->enc.len, tx->enc.p};
	/* The range's ids come in order, so a record goes at the end of the
	 * tree, unless someone added a case after the range meanwhile. */
	rc = mdb_put(tx->txn, store_dbi_cases(tx->st), &k, &v, MDB_APPEND);
	if (rc == MDB_KEYEXIST)
		rc = mdb_put(tx->txn, store_dbi_cases(tx->st), &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST)
		return cb_err_set(err, CB_ECORRUPT,
		    _("case %llu already exists: the id counter is damaged; nothing was saved "
		      "(run casebook check)"),
		    (unsigned long long)id);
	if (rc)
		return store_txn_fail(tx, rc, _("saving a case"), err);
	if ((rc = store_person_case_changed(tx, id, NULL, c, err)) != 0)
		return rc;
	store_pending_add(tx, c);
	return 0;
}

int store_journal_txn_finish(struct store_txn *tx, const struct store_journal *j,
    struct cb_err *err)
{
	uint64_t id = j->first, end = j->first + j->count;
	MDB_val k = {sizeof id, &id}, v;
	MDB_cursor *cur;
	int rc;

	/* The cases as stored (the range holds no others), in id order. */
	if ((rc = mdb_cursor_open(tx->txn, store_dbi_cases(tx->st), &cur)) != 0)
		return store_txn_fail(tx, rc, _("writing the audit log"), err);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		memcpy(&id, k.mv_data, sizeof id);
		if (id >= end)
			break;
		int r = store_audit_append(tx, id, AUDIT_CREATE, 0, 1, j->started, 0, NULL, 0, err);
		if (r != 0) {
			mdb_cursor_close(cur);
			return r;
		}
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("writing the audit log"), err);
	if ((rc = journal_clear(tx->txn, store_dbi_meta(tx->st))) != 0)
		return store_txn_fail(tx, rc, _("clearing the import journal"), err);
	return 0;
}

/* One transaction of a roll-back: removes up to `limit` cases of the
 * range from `from` on; the last one also clears the journal. */
struct rollback {
	const struct store_journal *j;
	uint64_t from, next;
	uint64_t limit;
	bool done;
	struct cb_err *err;
};

static int rollback_chunk(struct store_txn *tx, void *ctx)
{
	struct rollback *r = ctx;
	MDB_dbi cases = store_dbi_cases(tx->st), meta = store_dbi_meta(tx->st);
	uint64_t end = r->j->first + r->j->count, id = r->from, n = 0;
	MDB_cursor *cur;
	int rc;

	r->done = false;
	if ((rc = mdb_cursor_open(tx->txn, cases, &cur)) != 0)
		return store_txn_fail(tx, rc, _("undoing the import"), r->err);
	for (; n < r->limit; n++) {
		MDB_val k = {sizeof id, &id}, v;
		struct case_record old;
		struct cb_err e = {0};
		if ((rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE)) != 0)
			break;
		memcpy(&id, k.mv_data, sizeof id);
		if (id >= end)
			break;
		/* A record that does not decode is removed all the same; its
		 * index entries are then left for `check` to report. */
		bool decoded = codec_decode(v.mv_data, v.mv_size, &old, &e) == 0;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		if (decoded) {
			int r2 = store_reindex(tx, id, &old, NULL, r->err);
			if (r2 == 0)
				r2 = store_person_case_changed(tx, id, &old, NULL, r->err);
			case_free(&old);
			if (r2 != 0) {
				mdb_cursor_close(cur);
				return r2;
			}
		}
		id++;
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	if (rc)
		return store_txn_fail(tx, rc, _("undoing the import"), r->err);
	r->next = id;
	if (n == r->limit)
		return 0;
	/* The whole range is gone: the journal goes, and the ids come back
	 * when nobody added a case after them. */
	uint64_t next = 0;
	if ((rc = store_meta_get_u64(tx->txn, meta, "next_id", &next)) == 0 && next == end &&
	    r->j->count > 0)
		rc = counter_put(tx->txn, meta, "next_id", r->j->first);
	if (rc == 0)
		rc = journal_clear(tx->txn, meta);
	if (rc)
		return store_txn_fail(tx, rc, _("undoing the import"), r->err);
	r->done = true;
	return 0;
}

int store_journal_rollback(struct store *st, const struct store_journal *j, struct cb_err *err)
{
	struct rollback r = {.j = j,
	    .from = j->first,
	    .limit = store_journal_chunk_rows(),
	    .err = err};
	int rc;

	do {
		if ((rc = store_write(st, rollback_chunk, &r, err)) != 0)
			return rc;
		r.from = r.next;
	} while (!r.done);
	return 0;
}

void store_journal_end(struct store *st, struct store_journal *j)
{
	lock_release(st, j->lock_fd);
	j->lock_fd = -1;
}

int store_journal_recover(struct store *st, bool *rolled_back, struct cb_err *err)
{
	struct store_journal j;
	bool busy;
	int fd, rc;

	if (rolled_back)
		*rolled_back = false;
	if (store_readonly(st))
		return 0;
	if ((rc = pending_read(st, &j, err)) != 0)
		return rc == CB_ENOTFOUND ? 0 : rc;
	if ((fd = lock_take(st, true, &busy, err)) < 0)
		return busy ? 0 : (err ? err->code : CB_EDB); /* the importer still runs */
	/* Read again under the lock: the import may have finished meanwhile. */
	rc = pending_read(st, &j, err);
	if (rc == 0) {
		rc = store_journal_rollback(st, &j, err);
		if (rc == 0 && rolled_back)
			*rolled_back = true;
	} else if (rc == CB_ENOTFOUND) {
		rc = 0;
	}
	lock_release(st, fd);
	return rc;
}

int store_journal_txn_guard(struct store_txn *tx, uint64_t id, struct cb_err *err)
{
	struct store_journal j;
	char when[TEXT_TIME_MAX];
	int rc = journal_read(tx->txn, store_dbi_meta(tx->st), &j);

	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return store_txn_fail(tx, rc, _("reading the import journal"), err);
	if (id < j.first || id - j.first >= j.count)
		return 0;
	return cb_err_set(err, CB_EINVAL,
	    _("case %llu belongs to an import that has not finished yet (started by %s at %s); "
	      "nothing was changed; try again when it has finished"),
	    (unsigned long long)id, j.user, text_time(when, j.started, TEXT_TIME_LOCAL));
}
