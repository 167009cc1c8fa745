/* store.c — cases, secondary indexes, audit log and meta in one LMDB
 * environment: opening, reading, write transactions and backup. A record,
 * all of its index entries (store_index.c) and its audit entry change in
 * one write transaction, so the indexes never
 * disagree with the records. The only other module that touches LMDB is the query module
 * (src/query_*.c), through store_lmdb.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "fold.h"
#include "index_key.h"
#include "mdbfile.h"
#include "safefile.h"
#include "store_int.h"
#include "store_lmdb.h"
#include "text.h"

#define SCHEMA_VERSION "1"
#define DEFAULT_MAP ((size_t)256 << 20)
#define MAX_DBS 32

struct store {
	MDB_env *env;
	MDB_dbi cases, meta, audit, idx[IDX__COUNT];
	bool absent[IDX__COUNT]; /* index missing from a database opened read-only */
	bool readonly;
	char *path;
	MDB_txn *rtxn; /* reusable read transaction: reset when not in use */
	int rdepth; /* nesting of store_read_begin */
};

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

static int meta_get_raw(MDB_txn *txn, MDB_dbi dbi, const char *key, MDB_val *v)
{
	MDB_val k = {strlen(key), (void *)key};
	return mdb_get(txn, dbi, &k, v);
}

static int meta_put_raw(MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value)
{
	MDB_val k = {strlen(key), (void *)key}, v = {strlen(value), (void *)value};
	return mdb_put(txn, dbi, &k, &v, 0);
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
 * the database is opened read-only it stays absent (store_index_present). */
static int open_indexes(struct store *st, MDB_txn *txn, bool empty)
{
	unsigned flags = MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP;
	int rc = 0;

	for (int i = 0; i < IDX__COUNT; i++) {
		st->absent[i] = false;
		rc = mdb_dbi_open(txn, index_name(i), flags, &st->idx[i]);
		if (rc == 0)
			continue;
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
	}
	return 0;
}

/* Opens every named database in one transaction and keeps the handles. */
static int open_databases(struct store *st, struct cb_err *err)
{
	MDB_txn *txn;
	unsigned create = st->readonly ? 0 : MDB_CREATE;
	bool foreign, empty;
	int rc;

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
	MDB_val v;
	rc = meta_get_raw(txn, st->meta, "schema", &v);
	if (rc == MDB_NOTFOUND && empty) {
		if ((rc = meta_put_raw(txn, st->meta, "schema", SCHEMA_VERSION)) != 0)
			goto fail;
	} else if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return cb_err_set(err, CB_EDB,
		    _("%s: database has no schema version; "
		      "it was not made by casebook"),
		    st->path);
	} else if (rc) {
		goto fail;
	} else if (v.mv_size != strlen(SCHEMA_VERSION) ||
	    memcmp(v.mv_data, SCHEMA_VERSION, v.mv_size) != 0) {
		mdb_txn_abort(txn);
		return cb_err_set(err, CB_EDB,
		    _("%s: database schema %.*s is not the one this "
		      "casebook reads (%s); use a matching casebook version"),
		    st->path, (int)(v.mv_size > 20 ? 20 : v.mv_size), (const char *)v.mv_data,
		    SCHEMA_VERSION);
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return store_lmdb_error(err, rc, _("opening the database"));
	return 0;
fail:
	mdb_txn_abort(txn);
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
	mdb_env_set_mapsize(st->env, opt->initial_map ? opt->initial_map : DEFAULT_MAP);
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
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->rtxn)
		mdb_txn_abort(st->rtxn);
	mdb_env_close(st->env);
	free(st->path);
	free(st);
}

bool store_readonly(const struct store *st)
{
	return st->readonly;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

/* The handle of `audit` (store_int.h). */
MDB_dbi store_dbi_audit(struct store *st)
{
	return st->audit;
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
 * no transaction of ours alive, so the cached read transaction goes too. */
static void adopt_map_size(struct store *st)
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
			adopt_map_size(st);
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

/* ---- Reading ------------------------------------------------------------ */

/* A record that does not decode: one whose checksum fails is named as
 * damaged, with the way back; other errors get the case id in front
 * (store_int.h). */
int store_decode_failed(struct cb_err *err, uint64_t id, const MDB_val *v)
{
	if (!codec_checksum_ok(v->mv_data, v->mv_size))
		return cb_err_set(err, CB_ECORRUPT,
		    _("case %llu is damaged: restore it from a "
		      "backup (its bytes do not match their checksum)"),
		    (unsigned long long)id);
	cb_err_prefix(err, _("case %llu"), (unsigned long long)id);
	return CB_ECORRUPT;
}

/* Reads and decodes case id in txn (store_int.h). */
int store_get_in(MDB_txn *txn, MDB_dbi dbi, uint64_t id, struct case_record *out,
    struct cb_err *err)
{
	MDB_val k = {sizeof id, &id}, v;
	int rc = mdb_get(txn, dbi, &k, &v);

	case_init(out);
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("no case %llu"), (unsigned long long)id);
	if (rc)
		return store_lmdb_error(err, rc, _("reading a case"));
	if (codec_decode(v.mv_data, v.mv_size, out, err) != 0)
		return store_decode_failed(err, id, &v);
	return 0;
}

int store_get(struct store *st, uint64_t id, struct case_record *out, struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0) {
		case_init(out);
		return rc;
	}
	rc = store_get_in(txn, st->cases, id, out, err);
	store_read_end(st);
	return rc;
}

int store_count(struct store *st, uint64_t *out, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_stat ms;
	int rc;

	*out = 0;
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = mdb_stat(txn, st->cases, &ms);
	store_read_end(st);
	if (rc)
		return store_lmdb_error(err, rc, _("counting cases"));
	*out = ms.ms_entries;
	return 0;
}

int store_foreach(struct store *st, int (*fn)(const struct case_record *c, void *ctx), void *ctx,
    struct cb_err *err)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, r = 0;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, st->cases, &cur)) != 0) {
		store_read_end(st);
		return store_lmdb_error(err, rc, _("reading cases"));
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		struct case_record c;
		uint64_t id;
		memcpy(&id, k.mv_data, sizeof id);
		case_init(&c);
		if (codec_decode(v.mv_data, v.mv_size, &c, err) != 0) {
			r = store_decode_failed(err, id, &v);
			break;
		}
		r = fn(&c, ctx);
		case_free(&c);
		if (r)
			break;
	}
	mdb_cursor_close(cur);
	store_read_end(st);
	if (r)
		return r;
	if (rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading cases"));
	return 0;
}

int store_meta_get(struct store *st, const char *key, char **value, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_val v;
	int rc;

	*value = NULL;
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = meta_get_raw(txn, st->meta, key, &v);
	if (rc == 0)
		*value = xstrndup(v.mv_data, v.mv_size);
	store_read_end(st);
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("setting %s is not set"), key);
	if (rc)
		return store_lmdb_error(err, rc, _("reading settings"));
	return 0;
}

/* ---- Writing ------------------------------------------------------------ */

/* Records an LMDB failure inside a write transaction. */
/* A failed put in a write transaction: a full map is noted for store_write
 * to grow and rerun (store_int.h). */
int store_txn_fail(struct store_txn *tx, int rc, const char *doing, struct cb_err *err)
{
	if (rc == MDB_MAP_FULL)
		tx->map_full = true;
	return store_lmdb_error(err, rc, doing);
}

/* Reads a decimal counter from meta; *out keeps its value when unset. */
/* A number kept in meta as text; 0 when absent (store_int.h). */
int store_meta_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *out)
{
	MDB_val v;
	char s[24];
	int rc = meta_get_raw(txn, dbi, key, &v);

	if (rc)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if (v.mv_size >= sizeof s)
		return MDB_CORRUPTED;
	memcpy(s, v.mv_data, v.mv_size);
	s[v.mv_size] = '\0';
	*out = strtoull(s, NULL, 10);
	return 0;
}

/* The audit chain's head: the hash of the newest chained entry, in hex
 * under "audit_head", and the seq of the first chained entry under
 * "audit_chain_from". */
static int head_get(struct store_txn *tx)
{
	MDB_val v;
	int rc = meta_get_raw(tx->txn, tx->st->meta, "audit_head", &v);

	memset(tx->audit_head, 0, sizeof tx->audit_head);
	tx->head_dirty = false;
	if (rc)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if (v.mv_size != 2 * AUDIT_HASH_LEN)
		return MDB_CORRUPTED;
	for (int i = 0; i < AUDIT_HASH_LEN; i++) {
		unsigned hi, lo;
		char pair[3] = {((char *)v.mv_data)[2 * i], ((char *)v.mv_data)[2 * i + 1], 0};
		if (sscanf(pair, "%1x%1x", &hi, &lo) != 2)
			return MDB_CORRUPTED;
		tx->audit_head[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int head_put(struct store_txn *tx)
{
	char hex[2 * AUDIT_HASH_LEN + 1], s[24];
	int rc;

	audit_hex(tx->audit_head, hex);
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->chain_from);
	if ((rc = meta_put_raw(tx->txn, tx->st->meta, "audit_head", hex)) == 0)
		rc = meta_put_raw(tx->txn, tx->st->meta, "audit_chain_from", s);
	return rc;
}

static int load_counters(struct store_txn *tx, struct cb_err *err)
{
	int rc;

	if (tx->counters)
		return 0;
	tx->next_id = 1;
	tx->audit_seq = 1;
	if ((rc = store_meta_get_u64(tx->txn, tx->st->meta, "next_id", &tx->next_id)) != 0 ||
	    (rc = store_meta_get_u64(tx->txn, tx->st->meta, "audit_seq", &tx->audit_seq)) != 0 ||
	    (rc = store_meta_get_u64(tx->txn, tx->st->meta, "audit_chain_from", &tx->chain_from)) !=
	        0 ||
	    (rc = head_get(tx)) != 0)
		return store_txn_fail(tx, rc, _("reading the counters"), err);
	tx->counters = true;
	return 0;
}

static int save_counters(struct store_txn *tx, struct cb_err *err)
{
	char s[24];
	int rc;

	if (!tx->counters)
		return 0;
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->next_id);
	if ((rc = meta_put_raw(tx->txn, tx->st->meta, "next_id", s)) != 0)
		return store_txn_fail(tx, rc, _("saving the id counter"), err);
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->audit_seq);
	if ((rc = meta_put_raw(tx->txn, tx->st->meta, "audit_seq", s)) != 0)
		return store_txn_fail(tx, rc, _("saving the audit counter"), err);
	if (tx->head_dirty && (rc = head_put(tx)) != 0)
		return store_txn_fail(tx, rc, _("saving the audit counter"), err);
	return 0;
}

/* Grows the map after MDB_MAP_FULL: doubles it. */
static void grow_map(struct store *st)
{
	MDB_envinfo info;
	mdb_env_info(st->env, &info);
	if (st->rtxn) {
		mdb_txn_abort(st->rtxn);
		st->rtxn = NULL;
	}
	mdb_env_set_mapsize(st->env, info.me_mapsize * 2);
}

int store_write(struct store *st, int (*fn)(struct store_txn *tx, void *ctx), void *ctx,
    struct cb_err *err)
{
	int rc;

	if (st->readonly)
		return cb_err_set(err, CB_EREADONLY,
		    _("the database is open read-only (-r, or "
		      "you may not write to %s); nothing was changed"),
		    st->path);
	if (st->rdepth > 0)
		return cb_err_set(err, CB_EDB, "store_write inside a read transaction");
	for (int tries = 0; tries < 64; tries++) {
		struct store_txn tx = {.st = st};
		rc = mdb_txn_begin(st->env, NULL, 0, &tx.txn);
		if (rc == MDB_MAP_RESIZED) {
			adopt_map_size(st);
			continue;
		}
		if (rc)
			return store_lmdb_error(err, rc, _("starting a change"));
		int r = fn(&tx, ctx);
		if (r == 0 && !tx.map_full)
			r = store_pending_flush(&tx, err);
		if (r == 0 && !tx.map_full)
			r = save_counters(&tx, err);
		buf_free(&tx.enc);
		buf_free(&tx.scratch);
		buf_free(&tx.audit_enc);
		store_pending_free(&tx);
		if (tx.map_full) {
			mdb_txn_abort(tx.txn);
			grow_map(st);
			continue;
		}
		if (r) {
			mdb_txn_abort(tx.txn);
			return r;
		}
		rc = mdb_txn_commit(tx.txn);
		if (rc == MDB_MAP_FULL) {
			grow_map(st);
			continue;
		}
		if (rc)
			return store_lmdb_error(err, rc, _("saving the change"));
		return 0;
	}
	return cb_err_set(err, CB_EDB, _("the database could not grow to fit the change"));
}

/* Audit entries are keyed by (case id, sequence), both big-endian, so a
 * case's history is one range walk. Values are audit.c's encoding: since
 * version 2 with the field changes and the hash chain, which runs in
 * sequence order across all cases. */
static void be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Appends an entry for case id; changes (n of them) stay the caller's. */
static int audit_append(struct store_txn *tx, uint64_t id, int action, uint32_t old_rev,
    uint32_t new_rev, int64_t when, uint64_t undoes, struct audit_change *changes, size_t n,
    struct cb_err *err)
{
	unsigned char key[16];
	struct audit_entry e = {.time = when,
	    .case_id = id,
	    .action = action,
	    .old_rev = old_rev,
	    .new_rev = new_rev,
	    .version = AUDIT_V2,
	    .undoes = undoes,
	    .changes = changes,
	    .n_changes = n};
	int rc;

	if ((rc = load_counters(tx, err)) != 0)
		return rc;
	snprintf(e.user, sizeof e.user, "%s", util_username());
	e.seq = tx->audit_seq++;
	if (!tx->chain_from)
		tx->chain_from = e.seq;
	memcpy(e.prev, tx->audit_head, AUDIT_HASH_LEN);
	be64(key, id);
	be64(key + 8, e.seq);
	tx->audit_enc.len = 0;
	audit_encode(&e, &tx->audit_enc);
	memcpy(tx->audit_head, e.hash, AUDIT_HASH_LEN);
	tx->head_dirty = true;
	MDB_val k = {sizeof key, key}, v = {tx->audit_enc.len, tx->audit_enc.p};
	/* A new case has the largest id yet, so its entry goes at the end. */
	rc = mdb_put(tx->txn, tx->st->audit, &k, &v,
	    action == AUDIT_CREATE ? MDB_APPEND : MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST && action == AUDIT_CREATE)
		rc = mdb_put(tx->txn, tx->st->audit, &k, &v, MDB_NOOVERWRITE);
	if (rc != 0)
		return store_txn_fail(tx, rc, _("writing the audit log"), err);
	return 0;
}

/* Writes the record; is_new: c->id is larger than every stored id, so the
 * record goes at the end of the tree without a search. */
static int put_record(struct store_txn *tx, const struct case_record *c, bool is_new,
    struct cb_err *err)
{
	uint64_t id = c->id;
	int rc;

	tx->enc.len = 0;
	codec_encode(c, &tx->enc);
	MDB_val k = {sizeof id, &id}, v = {tx->enc.len, tx->enc.p};
	rc = mdb_put(tx->txn, tx->st->cases, &k, &v, is_new ? MDB_APPEND : 0);
	if (rc == MDB_KEYEXIST && is_new) {
		/* Not the largest id: insert in place, but never over a case. */
		rc = mdb_put(tx->txn, tx->st->cases, &k, &v, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST)
			return cb_err_set(err, CB_ECORRUPT,
			    _("case %llu already exists: the id "
			      "counter is damaged; nothing was saved (run casebook check)"),
			    (unsigned long long)id);
	}
	if (rc)
		return store_txn_fail(tx, rc, _("saving a case"), err);
	return 0;
}

/* The queued ids of one index key. Cases are added in id order, so each
 * list is already sorted. */
int store_txn_get(struct store_txn *tx, uint64_t id, struct case_record *out, struct cb_err *err)
{
	return store_get_in(tx->txn, tx->st->cases, id, out, err);
}

static void stamp(struct case_record *c, int64_t now)
{
	c->updated = now;
	free(c->updated_by);
	c->updated_by = xstrdup(util_username());
}

int store_txn_add(struct store_txn *tx, struct case_record *c, struct cb_err *err)
{
	int64_t now = (int64_t)time(NULL);
	int rc;

	if ((rc = case_validate(c, err)) != 0)
		return rc;
	if ((rc = load_counters(tx, err)) != 0)
		return rc;
	c->id = tx->next_id++;
	c->rev = 1;
	c->created = now;
	stamp(c, now);
	if ((rc = put_record(tx, c, true, err)) != 0 ||
	    (rc = audit_append(tx, c->id, AUDIT_CREATE, 0, 1, now, 0, NULL, 0, err)) != 0)
		return rc;
	store_pending_add(tx, c);
	return 0;
}

static int conflict(const struct case_record *stored, uint32_t expected, struct cb_err *err)
{
	char when[TEXT_TIME_MAX];
	return cb_err_set(err, CB_ECONFLICT,
	    _("case %llu was changed by %s at %s (now revision %u; you started from revision %u); "
	      "nothing was saved"),
	    (unsigned long long)stored->id,
	    str_empty(stored->updated_by) ? "?" : stored->updated_by,
	    text_time(when, stored->updated, TEXT_TIME_LOCAL), stored->rev, expected);
}

/* store_txn_update, audited as action (AUDIT_UPDATE, or AUDIT_UNDO of the
 * entry at seq undoes). */
static int update_as(struct store_txn *tx, struct case_record *c, uint32_t expected_rev, int action,
    uint64_t undoes, struct cb_err *err)
{
	struct case_record old;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if ((rc = case_validate(c, err)) != 0)
		return rc;
	/* Queued entries of a case added in this transaction must be in the
	 * index before this change moves them. */
	if ((rc = store_pending_flush(tx, err)) != 0)
		return rc;
	if ((rc = store_get_in(tx->txn, tx->st->cases, c->id, &old, err)) != 0) {
		case_free(&old);
		return rc;
	}
	if (expected_rev && old.rev != expected_rev) {
		rc = conflict(&old, expected_rev, err);
		case_free(&old);
		return rc;
	}
	c->rev = old.rev + 1;
	c->created = old.created;
	stamp(c, now);
	if ((rc = put_record(tx, c, false, err)) == 0 &&
	    (rc = store_reindex(tx, c->id, &old, c, err)) == 0) {
		struct audit_change *ch;
		size_t n;
		audit_diff(&old, c, &ch, &n);
		rc = audit_append(tx, c->id, action, old.rev, c->rev, now, undoes, ch, n, err);
		audit_changes_free(ch, n);
	}
	case_free(&old);
	return rc;
}

int store_txn_update(struct store_txn *tx, struct case_record *c, uint32_t expected_rev,
    struct cb_err *err)
{
	return update_as(tx, c, expected_rev, AUDIT_UPDATE, 0, err);
}

int store_txn_delete(struct store_txn *tx, uint64_t id, uint32_t expected_rev, struct cb_err *err)
{
	struct case_record old;
	int rc;

	if ((rc = store_pending_flush(tx, err)) != 0)
		return rc;
	if ((rc = store_get_in(tx->txn, tx->st->cases, id, &old, err)) != 0) {
		case_free(&old);
		return rc;
	}
	if (expected_rev && old.rev != expected_rev) {
		rc = conflict(&old, expected_rev, err);
		case_free(&old);
		return rc;
	}
	MDB_val k = {sizeof id, &id};
	if ((rc = mdb_del(tx->txn, tx->st->cases, &k, NULL)) != 0)
		rc = store_txn_fail(tx, rc, _("deleting a case"), err);
	if (rc == 0 && (rc = store_reindex(tx, id, &old, NULL, err)) == 0) {
		/* The deleted values are kept in the log: nothing typed is lost. */
		struct audit_change *ch;
		size_t n;
		audit_diff(&old, NULL, &ch, &n);
		rc = audit_append(tx, id, AUDIT_DELETE, old.rev, 0, (int64_t)time(NULL), 0, ch, n,
		    err);
		audit_changes_free(ch, n);
	}
	case_free(&old);
	return rc;
}

int store_txn_meta_put(struct store_txn *tx, const char *key, const char *value, struct cb_err *err)
{
	int rc = meta_put_raw(tx->txn, tx->st->meta, key, value);
	if (rc)
		return store_txn_fail(tx, rc, _("saving a setting"), err);
	return 0;
}

/* One operation for the single-operation wrappers, with its error. */
struct one_op {
	struct case_record *c;
	uint64_t id;
	uint32_t rev;
	int op;
};

struct one_op_err {
	struct one_op op;
	struct cb_err *err;
};

static int one_op_run_err(struct store_txn *tx, void *ctx)
{
	struct one_op_err *o = ctx;
	switch (o->op.op) {
	case AUDIT_CREATE:
		return store_txn_add(tx, o->op.c, o->err);
	case AUDIT_UPDATE:
		return store_txn_update(tx, o->op.c, o->op.rev, o->err);
	default:
		return store_txn_delete(tx, o->op.id, o->op.rev, o->err);
	}
}

int store_add(struct store *st, struct case_record *c, struct cb_err *err)
{
	struct one_op_err o = {{.c = c, .op = AUDIT_CREATE}, err};
	return store_write(st, one_op_run_err, &o, err);
}

int store_update(struct store *st, struct case_record *c, uint32_t expected_rev, struct cb_err *err)
{
	struct one_op_err o = {{.c = c, .rev = expected_rev, .op = AUDIT_UPDATE}, err};
	return store_write(st, one_op_run_err, &o, err);
}

int store_delete(struct store *st, uint64_t id, uint32_t expected_rev, struct cb_err *err)
{
	struct one_op_err o = {{.id = id, .rev = expected_rev, .op = AUDIT_DELETE}, err};
	return store_write(st, one_op_run_err, &o, err);
}

/* ---- History ------------------------------------------------------------ */

/* Decodes the entry at cursor position k/v and passes it to fn. */
static int history_call(const MDB_val *k, const MDB_val *v, bool *hash_ok,
    int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, struct cb_err *err)
{
	struct audit_entry e;
	int r = audit_decode(v->mv_data, v->mv_size, get_be64(k->mv_data),
	    get_be64((const unsigned char *)k->mv_data + 8), NULL, &e, hash_ok, err);
	if (r)
		return r;
	r = fn(&e, ctx);
	audit_entry_free(&e);
	return r;
}

/* Walks case id's entries in txn, oldest first. */
static int history_in(struct store *st, MDB_txn *txn, uint64_t id,
    int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_cursor *cur;
	unsigned char start[16];
	MDB_val k = {sizeof start, start}, v;
	int rc, r = 0;
	bool ok;

	if ((rc = mdb_cursor_open(txn, st->audit, &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading the audit log"));
	be64(start, id);
	be64(start + 8, 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 16 || get_be64(k.mv_data) != id)
			break;
		if ((r = history_call(&k, &v, &ok, fn, ctx, err)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (r)
		return r;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading the audit log"));
	return 0;
}

int store_history(struct store *st, uint64_t id, int (*fn)(const struct audit_entry *e, void *ctx),
    void *ctx, struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = history_in(st, txn, id, fn, ctx, err);
	store_read_end(st);
	return rc;
}

static int cmp_seq(const void *a, const void *b)
{
	uint64_t x = get_be64((const unsigned char *)a + 8),
	         y = get_be64((const unsigned char *)b + 8);
	return x < y ? -1 : x > y;
}

/* Calls fn(entry, hash_ok) for every entry in seq order, hash_ok checked
 * against the hash prev holds at the time (NULL: not checked). The keys are
 * sorted by case id first, so they are gathered and sorted. */
static int audit_walk(struct store *st, const unsigned char *prev,
    int (*fn)(const struct audit_entry *e, bool hash_ok, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	struct buf keys = {0};
	int rc, r = 0;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, st->audit, &cur)) != 0) {
		store_read_end(st);
		return store_lmdb_error(err, rc, _("reading the audit log"));
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if (k.mv_size == 16)
			buf_put(&keys, k.mv_data, 16);
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		r = store_lmdb_error(err, rc, _("reading the audit log"));
	size_t n = keys.len / 16;
	if (n)
		qsort(keys.p, n, 16, cmp_seq);
	for (size_t i = 0; i < n && r == 0; i++) {
		MDB_val kk = {16, keys.p + 16 * i};
		struct audit_entry e;
		bool ok;
		if ((rc = mdb_get(txn, st->audit, &kk, &v)) != 0) {
			r = store_lmdb_error(err, rc, _("reading the audit log"));
			break;
		}
		r = audit_decode(v.mv_data, v.mv_size, get_be64(kk.mv_data),
		    get_be64(keys.p + 16 * i + 8), prev, &e, &ok, err);
		if (r && prev) {
			/* Verifying: an entry that cannot be decoded is a broken
			 * link like any other, named by its key. */
			memset(&e, 0, sizeof e);
			e.case_id = get_be64(kk.mv_data);
			e.seq = get_be64(keys.p + 16 * i + 8);
			e.version = AUDIT_V2;
			ok = false;
			r = 0;
		}
		if (r)
			break;
		r = fn(&e, ok, ctx);
		audit_entry_free(&e);
	}
	buf_free(&keys);
	store_read_end(st);
	return r;
}

struct foreach_ctx {
	int (*fn)(const struct audit_entry *e, void *ctx);
	void *ctx;
};

static int foreach_one(const struct audit_entry *e, bool hash_ok, void *ctx)
{
	struct foreach_ctx *f = ctx;
	(void)hash_ok;
	return f->fn(e, f->ctx);
}

int store_audit_foreach(struct store *st, int (*fn)(const struct audit_entry *e, void *ctx),
    void *ctx, struct cb_err *err)
{
	struct foreach_ctx f = {fn, ctx};
	return audit_walk(st, NULL, foreach_one, &f, err);
}

struct verifier {
	struct store_audit_report *out;
	struct audit_chain chain;
};

static int verify_one(const struct audit_entry *e, bool hash_ok, void *ctx)
{
	struct verifier *v = ctx;
	const char *why = audit_chain_step(&v->chain, e, hash_ok);

	if (!why)
		return 0;
	v->out->broken = true;
	v->out->seq = e->seq;
	v->out->case_id = e->case_id;
	v->out->time = e->time;
	snprintf(v->out->why, sizeof v->out->why, "%s", why);
	return 1;
}

int store_audit_verify(struct store *st, struct store_audit_report *out, struct cb_err *err)
{
	struct store_txn tx = {.st = st};
	struct verifier v = {.out = out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_read_begin(st, &tx.txn, err)) != 0)
		return rc;
	rc = store_meta_get_u64(tx.txn, st->meta, "audit_chain_from", &v.chain.chain_from);
	if (rc == 0)
		rc = head_get(&tx);
	store_read_end(st);
	if (rc)
		return store_lmdb_error(err, rc, _("reading the audit log"));
	if ((rc = audit_walk(st, v.chain.prev, verify_one, &v, err)) < 0)
		return rc;
	out->entries = v.chain.entries;
	out->chained = v.chain.chained;
	out->unchained = v.chain.unchained;
	memcpy(out->head, v.chain.prev, AUDIT_HASH_LEN);
	if (!out->broken && v.chain.chain_from &&
	    memcmp(v.chain.prev, tx.audit_head, AUDIT_HASH_LEN) != 0) {
		/* The newest entries are gone: the head no longer matches. */
		out->broken = true;
		out->seq = v.chain.last_seq + 1;
		snprintf(out->why, sizeof out->why, "%s",
		    _("the newest entries of the log are missing (removed)"));
	}
	return out->broken ? CB_ECORRUPT : 0;
}

/* ---- Undo --------------------------------------------------------------- */

struct undo_ctx {
	struct audit_entry *e;
	size_t n;
};

/* Keeps a copy of each entry of the case. */
static int undo_collect(const struct audit_entry *e, void *ctx)
{
	struct undo_ctx *u = ctx;
	u->e = xreallocarray(u->e, u->n + 1, sizeof *u->e);
	audit_entry_copy(&u->e[u->n++], e);
	return 0;
}

struct undo_op {
	uint64_t id;
	uint32_t new_rev;
	struct cb_err *err;
};

static int undo_run(struct store_txn *tx, void *ctx)
{
	struct undo_op *op = ctx;
	struct undo_ctx u = {0};
	struct case_record c;
	int rc;

	if ((rc = store_pending_flush(tx, op->err)) != 0)
		return rc;
	if ((rc = store_get_in(tx->txn, tx->st->cases, op->id, &c, op->err)) == 0 &&
	    (rc = history_in(tx->st, tx->txn, op->id, undo_collect, &u, op->err)) == 0) {
		long t = audit_undo_target(u.e, u.n);
		if (t < 0)
			rc = cb_err_set(op->err, CB_EINVAL, _("case %llu: nothing to undo"),
			    (unsigned long long)op->id);
		else if (u.e[t].new_rev != c.rev && u.e[u.n - 1].new_rev != c.rev)
			rc = cb_err_set(op->err, CB_ECORRUPT,
			    _("case %llu: its history does not "
			      "reach its revision %u; nothing was changed"),
			    (unsigned long long)op->id, c.rev);
		else if ((rc = audit_revert(&u.e[t], &c, op->err)) == 0 &&
		    (rc = update_as(tx, &c, c.rev, AUDIT_UNDO, u.e[t].seq, op->err)) == 0)
			op->new_rev = c.rev;
	}
	for (size_t i = 0; i < u.n; i++)
		audit_entry_free(&u.e[i]);
	free(u.e);
	case_free(&c);
	return rc;
}

int store_undo(struct store *st, uint64_t id, uint32_t *new_rev, struct cb_err *err)
{
	struct undo_op op = {id, 0, err};
	int rc = store_write(st, undo_run, &op, err);
	if (rc == 0 && new_rev)
		*new_rev = op.new_rev;
	return rc;
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
