/* store.c — the LMDB environment behind a store: opening (the directory,
 * data.mdb, the schema, the read-only and lockless fallbacks), read
 * transactions, the handles and backup. Cases and the write transaction are
 * in store_record.c, meta and the audit log in store_audit.c, index upkeep in
 * store_index.c, the consistency check in store_check.c; they share
 * store_int.h. A record, all of its index entries and its audit entry change
 * in one write transaction, so the indexes never disagree with the records.
 * The only other module that touches LMDB is the query module
 * (src/query_*.c), through store_lmdb.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index_key.h"
#include "mdbfile.h"
#include "safefile.h"
#include "store_int.h"
#include "store_journal.h"
#include "store_lmdb.h"
#include "text.h"

/* The schema a database is written in. 2: cases also have skeleton name
 * keys (name_skel) and person links, which a casebook that knows only 1
 * would leave stale when writing; so 2 is refused by it, and a database at
 * 1 is brought to 2 by its first writable open here (the opening
 * transaction has just built those indexes). */
#define SCHEMA_VERSION "2"
#define SCHEMA_UPGRADABLE "1"
#define DEFAULT_MAP ((size_t)256 << 20)
#define MAX_DBS 64

/* The map a store starts with; CASEBOOK_TEST_MAP_KB makes it small so that
 * tests see the map grow in the middle of a change. */
static size_t initial_map(void)
{
	const char *s = getenv("CASEBOOK_TEST_MAP_KB");
	long kb = s ? strtol(s, NULL, 10) : 0;
	return kb >= 64 && kb < (1L << 30) ? (size_t)kb << 10 : DEFAULT_MAP;
}

int store_lmdb_error(struct cb_err *err, int rc, const char *doing)
{
	switch (rc) {
	case MDB_MAP_FULL:
		return cb_err_set(err, CB_EDB, _("%s: the database map is full"), doing);
	case ENOSPC:
	case EDQUOT:
		return cb_err_set(err, CB_EDB,
		    _("%s: the disk is full; nothing was saved "
		      "(free some space and try again)"),
		    doing);
	case EIO:
		/* LMDB reports a short write (a disk that filled up) as EIO. */
		return cb_err_set(err, CB_EDB,
		    _("%s: could not write the database file (is the "
		      "disk full?); nothing was saved"),
		    doing);
	case EACCES:
	case EPERM:
		return cb_err_set(err, CB_EDB, _("%s: permission denied"), doing);
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
		return cb_err_set(err, CB_EDB, _("%s: not an LMDB database of a known version"),
		    doing);
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
		return cb_err_set(err, CB_ECORRUPT, _("%s: the database file is corrupted (%s)"),
		    doing, mdb_strerror(rc));
	default:
		return cb_err_set(err, CB_EDB, "%s: %s", doing, mdb_strerror(rc));
	}
}

/* ---- Opening ------------------------------------------------------------ */

/* Creates dir and missing parents with mode 0700. */
static int make_dirs(const char *dir, struct cb_err *err)
{
	char *p = xstrdup(dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			cb_err_set(err, CB_EDB, _("cannot create directory %s: %s"), p,
			    strerror(errno));
			free(p);
			return CB_EDB;
		}
		*s = '/';
	}
	free(p);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return cb_err_set(err, CB_EDB, _("cannot create database directory %s: %s"), dir,
		    strerror(errno));
	return 0;
}

/* True when the unnamed main database of txn holds keys other than our
 * named databases: then the directory belongs to some other program. */
static int main_db_is_foreign(MDB_txn *txn, bool *foreign, bool *empty)
{
	MDB_dbi main_dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;
	bool has_meta = false;

	*foreign = false;
	*empty = true;
	if ((rc = mdb_dbi_open(txn, NULL, 0, &main_dbi)) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, main_dbi, &cur)) != 0)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		*empty = false;
		if (k.mv_size == 4 && memcmp(k.mv_data, "meta", 4) == 0)
			has_meta = true;
	}
	mdb_cursor_close(cur);
	if (!*empty && !has_meta)
		*foreign = true;
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Opens every index. One that a database made by an earlier version lacks
 * is created and filled from the records, in this same transaction; when
 * the database is opened read-only it stays absent (store_index_present).
 * One made under another key version is rebuilt (store_index_sync_version). */
static int open_indexes(struct store *st, MDB_txn *txn, bool empty)
{
	unsigned flags = MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP;
	int rc = 0;

	for (int i = 0; i < IDX__COUNT; i++) {
		st->absent[i] = false;
		rc = mdb_dbi_open(txn, index_name(i), flags, &st->idx[i]);
		if (rc == 0) {
			if ((rc = store_index_sync_version(st, txn, i, false)) != 0)
				return rc;
			continue;
		}
		if (rc != MDB_NOTFOUND)
			return rc;
		if (st->readonly) {
			st->absent[i] = true;
			continue;
		}
		if ((rc = mdb_dbi_open(txn, index_name(i), flags | MDB_CREATE, &st->idx[i])) != 0)
			return rc;
		if (!empty && (rc = store_index_fill(st, txn, i)) != 0)
			return rc;
		if ((rc = store_index_sync_version(st, txn, i, true)) != 0)
			return rc;
	}
	return 0;
}

/* Opens every named database in one transaction and keeps the handles. */
/* Doubles the map after MDB_MAP_FULL in the opening transaction. */
static void map_double(struct store *st)
{
	MDB_envinfo info;
	mdb_env_info(st->env, &info);
	mdb_env_set_mapsize(st->env, info.me_mapsize * 2);
}

/* Whether a meta value is the string want. */
static bool meta_is(const MDB_val *v, const char *want)
{
	return v->mv_size == strlen(want) && memcmp(v->mv_data, want, v->mv_size) == 0;
}

static int open_databases(struct store *st, struct cb_err *err)
{
	MDB_txn *txn;
	unsigned create = st->readonly ? 0 : MDB_CREATE;
	bool foreign, empty;
	int rc, grown = 0;

again:
	/* Another process may grow the map between mdb_env_open and here:
	 * adopt its size and begin again, as store_read_begin does. */
	for (int tries = 0; tries < 8; tries++) {
		rc = mdb_txn_begin(st->env, NULL, st->readonly ? MDB_RDONLY : 0, &txn);
		if (rc != MDB_MAP_RESIZED)
			break;
		mdb_env_set_mapsize(st->env, 0);
	}
	if (rc)
		return store_lmdb_error(err, rc, _("opening the database"));
	if ((rc = main_db_is_foreign(txn, &foreign, &empty)) != 0)
		goto fail;
	if (foreign) {
		mdb_txn_abort(txn);
		return cb_err_set(err, CB_EDB,
		    _("%s holds some other program's LMDB database, not casebook's; "
		      "choose another directory with -d"),
		    st->path);
	}
	if (empty && st->readonly) {
		mdb_txn_abort(txn);
		return cb_err_set(err, CB_ENOTFOUND,
		    _("%s has no casebook database yet (it cannot be created read-only)"),
		    st->path);
	}
	if ((rc = mdb_dbi_open(txn, "meta", create, &st->meta)) != 0 ||
	    (rc = mdb_dbi_open(txn, "cases", create | MDB_INTEGERKEY, &st->cases)) != 0 ||
	    (rc = mdb_dbi_open(txn, "audit", create, &st->audit)) != 0)
		goto fail;
	if ((rc = open_indexes(st, txn, empty)) != 0)
		goto fail;
	if (!st->readonly && (rc = store_places_sync(st, txn, empty)) != 0)
		goto fail;
	if ((rc = store_person_open(txn, st->meta, st->readonly, empty, &st->pdb)) != 0)
		goto fail;
	MDB_val v;
	rc = store_meta_get_raw(txn, st->meta, "schema", &v);
	if (rc == MDB_NOTFOUND && empty) {
		if ((rc = store_meta_put_raw(txn, st->meta, "schema", SCHEMA_VERSION)) != 0)
			goto fail;
	} else if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return cb_err_set(err, CB_EDB,
		    _("%s: database has no schema version; "
		      "it was not made by casebook"),
		    st->path);
	} else if (rc) {
		goto fail;
	} else if (meta_is(&v, SCHEMA_UPGRADABLE)) {
		/* Read-only it is read as it is: names then match by folded words. */
		if (!st->readonly &&
		    (rc = store_meta_put_raw(txn, st->meta, "schema", SCHEMA_VERSION)) != 0)
			goto fail;
	} else if (!meta_is(&v, SCHEMA_VERSION)) {
		mdb_txn_abort(txn);
		return cb_err_set(err, CB_EDB,
		    _("%s: database schema %.*s is not the one this "
		      "casebook reads (%s); use a matching casebook version"),
		    st->path, (int)(v.mv_size > 20 ? 20 : v.mv_size), (const char *)v.mv_data,
		    SCHEMA_VERSION);
	}
	if ((rc = mdb_txn_commit(txn)) != 0) {
		/* The commit writes the free-page list and may find the map full
		 * too (the transaction is gone either way). */
		if (rc == MDB_MAP_FULL && !st->readonly && grown++ < 8) {
			map_double(st);
			goto again;
		}
		return store_lmdb_error(err, rc, _("opening the database"));
	}
	return 0;
fail:
	mdb_txn_abort(txn);
	if (rc == MDB_MAP_FULL && !st->readonly && grown++ < 8) {
		/* Building an index (open_indexes) needed more room than the map
		 * has: grow it, as store_write does, and open again. */
		map_double(st);
		goto again;
	}
	if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE)
		return cb_err_set(err, CB_EDB, _("%s is not a casebook database (%s)"), st->path,
		    mdb_strerror(rc));
	return store_lmdb_error(err, rc, _("opening the database"));
}

/* In a group-shared directory the group must be able to write both files,
 * whatever the creating user's umask took away (LMDB applies it). */
static void share_with_group(const char *dir)
{
	static const char *const files[] = {"data.mdb", "lock.mdb"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		struct stat sb;
		if (stat(path, &sb) == 0 && sb.st_uid == geteuid() && (sb.st_mode & 0777) != 0660)
			chmod(path, 0660);
		free(path);
	}
}

/* Looks at data.mdb before LMDB maps it (mdbfile.h): a truncated, empty or
 * foreign file is refused, never opened or set up as new; a missing one
 * may be made only in a new or empty directory. */
static int check_data_file(const char *dir, unsigned flags, struct cb_err *err)
{
	bool fresh;

	switch (mdbfile_check_dir(dir, &fresh, err)) {
	case MDBFILE_WHOLE:
		return 0;
	case MDBFILE_ABSENT:
		if (flags & (STORE_RDONLY | STORE_NOCREATE))
			return cb_err_set(err, CB_ENOTFOUND, _("no database at %s"), dir);
		if (!fresh) {
			char *clean = text_sanitize(dir, 0);
			cb_err_set(err, CB_EDB,
			    _("%s holds other files but no casebook database "
			      "(data.mdb); a new database is only made in a new or empty "
			      "directory"),
			    clean);
			free(clean);
			return CB_EDB;
		}
		return 0; /* a new database */
	default:
		return CB_EDB;
	}
}

/* One pass from a path to open handles, kept in one function so that the
 * order of the checks (directory, its mode, data.mdb, then LMDB and its
 * read-only fallbacks) reads top to bottom. */
int store_open(struct store **out, const char *dir, const struct store_options *opt,
    struct cb_err *err)
{
	static const struct store_options defaults;
	struct stat sb;
	mode_t mode = 0600;
	int rc;

	*out = NULL;
	if (!opt)
		opt = &defaults;
	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT)
			return cb_err_set(err, CB_EDB, _("cannot use %s: %s"), dir,
			    strerror(errno));
		if (opt->flags & (STORE_RDONLY | STORE_NOCREATE))
			return cb_err_set(err, CB_ENOTFOUND, _("no database at %s"), dir);
		if ((rc = make_dirs(dir, err)) != 0)
			return rc;
		if (stat(dir, &sb) != 0)
			return cb_err_set(err, CB_EDB, _("cannot use %s: %s"), dir,
			    strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return cb_err_set(err, CB_EDB,
		    _("%s is not a directory; a casebook database is a "
		      "directory"),
		    dir);
	if (safefile_check_dir(dir, _("database directory"), true, err) != 0) {
		if (err)
			err->code = CB_EDB;
		return CB_EDB;
	}
	if ((rc = check_data_file(dir, opt->flags, err)) != 0)
		return rc;
	if (sb.st_mode & S_IWGRP)
		mode = 0660; /* a shared group directory: let the group in, nobody else */

	struct store *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(dir);
	st->readonly = (opt->flags & STORE_RDONLY) != 0;
	if (!st->readonly) {
		char *data = xasprintf("%s/data.mdb", dir);
		if (access(dir, W_OK) != 0 || (access(data, F_OK) == 0 && access(data, W_OK) != 0))
			st->readonly = true;
		free(data);
	}
	if ((rc = mdb_env_create(&st->env)) != 0) {
		free(st->path), free(st);
		return store_lmdb_error(err, rc, _("creating the database environment"));
	}
	mdb_env_set_maxdbs(st->env, MAX_DBS);
	mdb_env_set_mapsize(st->env, opt->initial_map ? opt->initial_map : initial_map());
	rc = mdb_env_open(st->env, dir, MDB_NOTLS | (st->readonly ? MDB_RDONLY : 0), mode);
	if (rc == EACCES && !st->readonly && !(opt->flags & STORE_RDONLY)) {
		/* Cannot write the lock or data file: fall back to reading. */
		mdb_env_close(st->env);
		mdb_env_create(&st->env);
		mdb_env_set_maxdbs(st->env, MAX_DBS);
		st->readonly = true;
		rc = mdb_env_open(st->env, dir, MDB_NOTLS | MDB_RDONLY, mode);
	}
	if (rc == EACCES && st->readonly) {
		/* LMDB opens lock.mdb for writing even to read; when nobody may
		 * write it (a read-only copy, files 0444) read without it. */
		mdb_env_close(st->env);
		mdb_env_create(&st->env);
		mdb_env_set_maxdbs(st->env, MAX_DBS);
		rc = mdb_env_open(st->env, dir, MDB_NOTLS | MDB_RDONLY | MDB_NOLOCK, mode);
	}
	if (rc) {
		if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
			cb_err_set(err, CB_EDB,
			    _("%s/data.mdb is not a casebook database "
			      "(not an LMDB file, or damaged)"),
			    dir);
		else if (rc == ENOENT)
			cb_err_set(err, CB_ENOTFOUND, _("no database at %s"), dir);
		else
			store_lmdb_error(err, rc, dir);
		mdb_env_close(st->env);
		free(st->path), free(st);
		return err ? err->code : CB_EDB;
	}
	if (mode == 0660 && !st->readonly)
		share_with_group(dir);
	int dead = 0;
	mdb_reader_check(st->env, &dead); /* clear slots of crashed readers */
	if ((rc = open_databases(st, err)) != 0) {
		mdb_env_close(st->env);
		free(st->path), free(st);
		return rc;
	}
	/* A database from before people existed gets them on its first
	 * writable open (one transaction); read-only it works without. */
	if (!st->readonly && !st->pdb.built && (rc = store_person_build(st, err)) != 0) {
		store_close(st);
		return rc;
	}
	/* An import interrupted by the death of its process is undone; when
	 * that fails (a full disk), the next open tries again. */
	store_journal_recover(st, NULL, NULL);
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->rtxn)
		mdb_txn_abort(st->rtxn);
	store_pending_release(st->pending_spare);
	person_q_release(st);
	mdb_env_close(st->env);
	free(st->path);
	free(st);
}

bool store_readonly(const struct store *st)
{
	return st->readonly;
}

/* The database directory (store_int.h). */
const char *store_path(const struct store *st)
{
	return st->path;
}

/* The handle of `meta` (store_int.h). */
MDB_dbi store_dbi_meta(struct store *st)
{
	return st->meta;
}

MDB_dbi store_dbi_cases(struct store *st)
{
	return st->cases;
}

MDB_dbi store_dbi_index(struct store *st, int idx)
{
	return st->idx[idx];
}

bool store_index_present(const struct store *st, int idx)
{
	return !st->absent[idx];
}

uint64_t store_generation(struct store *st)
{
	MDB_envinfo info;
	if (mdb_env_info(st->env, &info) != 0)
		return 0;
	return (uint64_t)info.me_last_txnid;
}

/* Another process grew the map beyond ours: adopt its size. Only legal with
 * no transaction of ours alive, so the cached read transaction goes too
 * (store_int.h). */
void store_adopt_map_size(struct store *st)
{
	if (st->rtxn) {
		mdb_txn_abort(st->rtxn);
		st->rtxn = NULL;
	}
	mdb_env_set_mapsize(st->env, 0);
}

int store_read_begin(struct store *st, MDB_txn **txn, struct cb_err *err)
{
	int rc;

	if (st->rdepth > 0) {
		st->rdepth++;
		*txn = st->rtxn;
		return 0;
	}
	for (int tries = 0;; tries++) {
		if (st->rtxn)
			rc = mdb_txn_renew(st->rtxn);
		else
			rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &st->rtxn);
		if (rc == MDB_MAP_RESIZED && tries < 3) {
			if (st->rtxn)
				mdb_txn_abort(st->rtxn);
			st->rtxn = NULL;
			store_adopt_map_size(st);
			continue;
		}
		break;
	}
	if (rc) {
		if (st->rtxn) {
			mdb_txn_abort(st->rtxn);
			st->rtxn = NULL;
		}
		return store_lmdb_error(err, rc, _("reading the database"));
	}
	st->rdepth = 1;
	*txn = st->rtxn;
	return 0;
}

void store_read_end(struct store *st)
{
	if (st->rdepth > 0 && --st->rdepth == 0)
		mdb_txn_reset(st->rtxn);
}

/* ---- Backup ------------------------------------------------------------- */

int store_backup(struct store *st, const char *dest, struct cb_err *err)
{
	struct stat sb;
	struct safefile sf;
	int rc;

	if (stat(dest, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return cb_err_set(err, CB_EIO,
			    _("backup: %s exists and is not a directory"), dest);
	} else if ((rc = make_dirs(dest, err)) != 0) {
		return rc;
	}
	/* The copy is created owner-only by us, under a temporary name, and
	 * handed to LMDB as a descriptor: it is never readable by others, not
	 * even while it is written, and a failed copy leaves nothing behind. */
	char *data = xasprintf("%s/data.mdb", dest);
	if (lstat(data, &sb) == 0) {
		free(data);
		return cb_err_set(err, CB_EIO,
		    _("backup: %s already holds a database; "
		      "choose an empty directory"),
		    dest);
	}
	rc = safefile_open(&sf, data, SAFEFILE_NOREPLACE, err);
	free(data);
	if (rc)
		return rc;
	rc = mdb_env_copyfd2(st->env, sf.fd, MDB_CP_COMPACT);
	if (rc) {
		safefile_abort(&sf);
		return store_lmdb_error(err, rc, _("backup"));
	}
	if ((rc = safefile_commit(&sf, err)) != 0)
		cb_err_prefix(err, _("backup"));
	return rc;
}
