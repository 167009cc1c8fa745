/* store_index.c — keeping the secondary indexes in step with the records:
 * moving one case's entries on a change (store_reindex), writing the
 * entries of cases added in one transaction sorted by key at its end
 * (store_pending.c), and filling an index a database made by
 * an earlier version lacks. Keys come from index_key.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec.h"
#include "index_key.h"
#include "place.h"
#include "store.h"
#include "store_int.h"

/* Databases of at least this many cases show the filling of an index on a
 * terminal, updated every FILL_STEP cases. */
#define FILL_PROGRESS 20000
#define FILL_STEP 8192

/* The progress line of filling index idx: done of total cases (a
 * terminal only, big databases only); done == total ends the line. */
static void fill_progress(int idx, size_t done, size_t total)
{
	if (total < FILL_PROGRESS || !isatty(STDERR_FILENO))
		return;
	if (done != total && done % FILL_STEP != 0)
		return;
	fputc('\r', stderr);
	fprintf(stderr,
	    ngettext("casebook: building the %s index: %zu of %zu case...",
	        "casebook: building the %s index: %zu of %zu cases...", total),
	    index_name(idx), done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* Writes the entries of index idx for every case: an index this version
 * added to a database made before it, or one whose keys it makes another
 * way. One pass over the records in txn, with a progress line on a
 * terminal for a big database. */
int store_index_fill(struct store *st, MDB_txn *txn, int idx)
{
	MDB_cursor *cur;
	MDB_val k, v;
	MDB_stat ms;
	struct strlist keys = {0};
	size_t done = 0;
	int rc = mdb_stat(txn, store_dbi_cases(st), &ms);

	if (rc == 0)
		rc = mdb_cursor_open(txn, store_dbi_cases(st), &cur);
	if (rc)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		fill_progress(idx, done++, ms.ms_entries);
		struct case_record c;
		case_init(&c);
		if (codec_decode(v.mv_data, v.mv_size, &c, NULL) != 0) {
			case_free(&c); /* check reports it; it cannot be indexed */
			continue;
		}
		index_case_keys(&c, idx, &keys);
		for (size_t i = 0; i < keys.n && rc == 0; i++) {
			MDB_val ik = {index_key_len(idx, keys.items[i]), keys.items[i]};
			MDB_val iv = {sizeof c.id, &c.id};
			rc = mdb_put(txn, store_dbi_index(st, idx), &ik, &iv, MDB_NODUPDATA);
			if (rc == MDB_KEYEXIST)
				rc = 0;
		}
		strlist_free(&keys);
		case_free(&c);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		fill_progress(idx, ms.ms_entries, ms.ms_entries);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The meta key holding the key version index idx was made under. */
static void version_key(int idx, char *out, size_t cap)
{
	snprintf(out, cap, "index_version:%s", index_name(idx));
}

/* Makes index idx hold the keys this version makes (index_key_version):
 * one made under another key version (meta "index_version:NAME", absent
 * meaning 0) is emptied and filled again from the records, in txn, and the
 * version is stored with it. Opened read-only, such an index is left as it
 * is and marked absent, so nobody reads keys of another version. fresh:
 * the index was just created (and filled, if there were records). */
int store_index_sync_version(struct store *st, MDB_txn *txn, int idx, bool fresh)
{
	char key[64], val[24];
	uint64_t have = 0;
	unsigned want = index_key_version(idx);
	int rc;

	version_key(idx, key, sizeof key);
	if (!fresh && (rc = store_meta_get_u64(txn, st->meta, key, &have)) != 0)
		return rc;
	if (!fresh && have == want)
		return 0;
	if (st->readonly) {
		st->absent[idx] = true;
		return 0;
	}
	if (!fresh &&
	    ((rc = mdb_drop(txn, st->idx[idx], 0)) != 0 ||
	        (rc = store_index_fill(st, txn, idx)) != 0))
		return rc;
	if (fresh && want == 0)
		return 0; /* absent means 0 */
	snprintf(val, sizeof val, "%u", want);
	return store_meta_put_raw(txn, st->meta, key, val);
}

static int index_put(struct store_txn *tx, int idx, const char *key, uint64_t id,
    struct cb_err *err)
{
	MDB_val k = {index_key_len(idx, key), (void *)key}, v = {sizeof id, &id};
	int rc = mdb_put(tx->txn, store_dbi_index(tx->st, idx), &k, &v, MDB_NODUPDATA);
	if (rc && rc != MDB_KEYEXIST)
		return store_txn_fail(tx, rc, _("updating an index"), err);
	return 0;
}

static int index_del(struct store_txn *tx, int idx, const char *key, uint64_t id,
    struct cb_err *err)
{
	MDB_val k = {index_key_len(idx, key), (void *)key}, v = {sizeof id, &id};
	int rc = mdb_del(tx->txn, store_dbi_index(tx->st, idx), &k, &v);
	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("updating an index"), err);
	return 0;
}

static bool keys_have(const struct strlist *keys, int idx, const char *k)
{
	size_t len = index_key_len(idx, k);
	for (size_t i = 0; i < keys->n; i++)
		if (index_key_len(idx, keys->items[i]) == len &&
		    memcmp(keys->items[i], k, len) == 0)
			return true;
	return false;
}

/* Moves the index entries of one case from what old implies to what new
 * implies (either may be NULL: create or delete). */
int store_reindex(struct store_txn *tx, uint64_t id, const struct case_record *old,
    const struct case_record *new, struct cb_err *err)
{
	int rc = 0;

	for (int idx = 0; idx < IDX__COUNT && rc == 0; idx++) {
		struct strlist ok = {0}, nk = {0};
		if (old)
			index_case_keys(old, idx, &ok);
		if (new)
			index_case_keys(new, idx, &nk);
		for (size_t i = 0; i < ok.n && rc == 0; i++)
			if (!keys_have(&nk, idx, ok.items[i]))
				rc = index_del(tx, idx, ok.items[i], id, err);
		for (size_t i = 0; i < nk.n && rc == 0; i++)
			if (!old || !keys_have(&ok, idx, nk.items[i]))
				rc = index_put(tx, idx, nk.items[i], id, err);
		strlist_free(&ok);
		strlist_free(&nk);
	}
	return rc;
}

/* ---- Place indexes and the gazetteer ------------------------------------ */

/* The meta key of the digest of the gazetteer the place indexes were built
 * with (place_digest); absent in databases made before places had keys of
 * their own, which is the digest "none". */
#define PLACES_META "places_digest"

static bool places_digest_is(MDB_txn *txn, MDB_dbi meta, const char *want)
{
	MDB_val k = {strlen(PLACES_META), (void *)PLACES_META}, v;
	int rc = mdb_get(txn, meta, &k, &v);

	if (rc != 0)
		return strcmp(want, "none") == 0;
	return v.mv_size == strlen(want) && memcmp(v.mv_data, want, v.mv_size) == 0;
}

bool store_places_current(struct store *st, MDB_txn *txn)
{
	return places_digest_is(txn, store_dbi_meta(st), place_digest());
}

int store_places_sync(struct store *st, MDB_txn *txn, bool empty)
{
	const char *want = place_digest();
	MDB_dbi meta = store_dbi_meta(st);
	int rc = 0;

	if (places_digest_is(txn, meta, want))
		return 0;
	if (!empty) {
		if ((rc = mdb_drop(txn, store_dbi_index(st, IDX_CITY), 0)) != 0 ||
		    (rc = mdb_drop(txn, store_dbi_index(st, IDX_REGION), 0)) != 0 ||
		    (rc = store_index_fill(st, txn, IDX_CITY)) != 0 ||
		    (rc = store_index_fill(st, txn, IDX_REGION)) != 0)
			return rc;
	}
	MDB_val k = {strlen(PLACES_META), (void *)PLACES_META};
	MDB_val v = {strlen(want), (void *)want};
	return mdb_put(txn, meta, &k, &v, 0);
}
