/* store_person_blocks.c — the links of cases to people a second time,
 * packed for reading many at once: `person_blocks` holds, under block
 * number case id / 256 (u64, INTEGERKEY), one 8-byte duplicate per linked
 * case of that block, (case id % 256) << 56 | person id (DUPFIXED,
 * INTEGERDUP, so sorted by case id). `casebook persons --count` under a
 * filter of 100,000 cases reads some 4,000 blocks a page of links at a
 * time (MDB_GET_MULTIPLE) instead of looking up 100,000 links one by one.
 * Kept in step with case_person in the same transactions; filled once
 * from case_person when a database made before it is first opened with
 * write access; `casebook check` proves both agree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

#define BLOCK_SHIFT 8
#define PID_BITS 56
#define BLOCKS_META "person_blocks"

static uint64_t block_of(uint64_t cid)
{
	return cid >> BLOCK_SHIFT;
}

static uint64_t block_value(uint64_t cid, uint64_t pid)
{
	return (cid & ((1u << BLOCK_SHIFT) - 1)) << PID_BITS | pid;
}

int person_block_put(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err)
{
	uint64_t blk = block_of(cid), val = block_value(cid, pid);
	MDB_val k = {sizeof blk, &blk}, v = {sizeof val, &val};
	int rc;

	if (pid >> PID_BITS)
		return cb_err_set(err, CB_EDB, _("too many people for this database"));
	/* New cases have the largest ids: their link goes at the end of its
	 * block without a search of the block. */
	rc = mdb_put(tx->txn, tx->st->pdb.blocks, &k, &v, MDB_APPENDDUP);
	if (rc == MDB_KEYEXIST || rc == EINVAL)
		rc = mdb_put(tx->txn, tx->st->pdb.blocks, &k, &v, MDB_NODUPDATA);
	if (rc && rc != MDB_KEYEXIST)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}

int person_block_queue(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err)
{
	uint64_t blk = block_of(cid);

	if (pid >> PID_BITS)
		return cb_err_set(err, CB_EDB, _("too many people for this database"));
	person_q_put(tx, PQ_BLOCKS, &blk, sizeof blk, block_value(cid, pid));
	return 0;
}

int person_block_del(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err)
{
	uint64_t blk = block_of(cid), val = block_value(cid, pid);
	MDB_val k = {sizeof blk, &blk}, v = {sizeof val, &val};
	int rc = mdb_del(tx->txn, tx->st->pdb.blocks, &k, &v);

	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}

/* Writes a block entry for every link in case_person, in order (an empty
 * person_blocks: every put is an append). */
static int fill(MDB_txn *txn, const struct person_dbs *d)
{
	MDB_cursor *src, *dst;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, d->case_person, &src);

	if (rc)
		return rc;
	if ((rc = mdb_cursor_open(txn, d->blocks, &dst)) != 0) {
		mdb_cursor_close(src);
		return rc;
	}
	uint64_t last = UINT64_MAX;
	for (rc = mdb_cursor_get(src, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(src, &k, &v, MDB_NEXT)) {
		uint64_t cid, pid;
		if (k.mv_size != sizeof cid || v.mv_size != 9) {
			rc = MDB_CORRUPTED;
			break;
		}
		memcpy(&cid, k.mv_data, sizeof cid);
		memcpy(&pid, v.mv_data, sizeof pid);
		if (pid >> PID_BITS) {
			rc = MDB_CORRUPTED;
			break;
		}
		uint64_t blk = block_of(cid), val = block_value(cid, pid);
		MDB_val bk = {sizeof blk, &blk}, bv = {sizeof val, &val};
		rc = mdb_cursor_put(dst, &bk, &bv, blk == last ? MDB_APPENDDUP : MDB_APPEND);
		if (rc)
			break;
		last = blk;
	}
	mdb_cursor_close(dst);
	mdb_cursor_close(src);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Whether the blocks can be read in txn: made, and holding as many links
 * as case_person (a casebook made before them that wrote to this database
 * leaves them short; then the links are read one by one). */
static bool usable(MDB_txn *txn, const struct person_dbs *d)
{
	MDB_stat a, b;
	return d->blocks_ok && mdb_stat(txn, d->case_person, &a) == 0 &&
	    mdb_stat(txn, d->blocks, &b) == 0 && a.ms_entries == b.ms_entries;
}

int person_blocks_open(MDB_txn *txn, MDB_dbi meta, bool readonly, struct person_dbs *d)
{
	MDB_val v;
	int rc = mdb_dbi_open(txn, BLOCKS_META,
	    MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP |
	        (readonly ? 0 : MDB_CREATE),
	    &d->blocks);

	d->blocks_ok = false;
	if (rc == MDB_NOTFOUND && readonly)
		return 0; /* made before the blocks, read only: links one by one */
	if (rc)
		return rc;
	rc = store_meta_get_raw(txn, meta, BLOCKS_META, &v);
	if (rc == MDB_NOTFOUND && readonly)
		return 0;
	if (rc && rc != MDB_NOTFOUND)
		return rc;
	d->blocks_ok = rc == 0;
	if (readonly || (rc == 0 && usable(txn, d)))
		return 0;
	/* Made before the blocks (or just now), or left short by an older
	 * casebook: fill them from the links. */
	if ((rc = mdb_drop(txn, d->blocks, 0)) != 0 || (rc = fill(txn, d)) != 0 ||
	    (rc = store_meta_put_raw(txn, meta, BLOCKS_META, "1")) != 0)
		return rc;
	d->blocks_ok = true;
	return 0;
}

/* The links of the cases of one block that are among ids (their low
 * bytes set in want), appended to pids. */
static int read_block(MDB_cursor *c, uint64_t blk, const uint64_t want[4], uint64_t *pids,
    size_t *np)
{
	MDB_val k = {sizeof blk, &blk}, v;
	int rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);

	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc == 0)
		rc = mdb_cursor_get(c, &k, &v, MDB_GET_MULTIPLE);
	while (rc == 0) {
		const unsigned char *p = v.mv_data;
		for (size_t i = 0; i + 8 <= v.mv_size; i += 8) {
			uint64_t val;
			memcpy(&val, p + i, sizeof val);
			unsigned low = (unsigned)(val >> PID_BITS);
			if (want[low >> 6] & UINT64_C(1) << (low & 63))
				pids[(*np)++] = val & ((UINT64_C(1) << PID_BITS) - 1);
		}
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_MULTIPLE);
	}
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int person_blocks_links(MDB_txn *txn, const struct person_dbs *d, const uint64_t *ids, size_t n,
    uint64_t *pids, size_t *np)
{
	MDB_cursor *c;
	int rc;

	*np = 0;
	if (!usable(txn, d))
		return 1;
	for (size_t i = 1; i < n; i++)
		if (ids[i] <= ids[i - 1])
			return 1; /* not ascending: one by one */
	if ((rc = mdb_cursor_open(txn, d->blocks, &c)) != 0)
		return rc;
	for (size_t i = 0, j; i < n && rc == 0; i = j) {
		uint64_t blk = block_of(ids[i]), want[4] = {0};
		for (j = i; j < n && block_of(ids[j]) == blk; j++) {
			unsigned low = (unsigned)(ids[j] & ((1u << BLOCK_SHIFT) - 1));
			want[low >> 6] |= UINT64_C(1) << (low & 63);
		}
		rc = read_block(c, blk, want, pids, np);
	}
	mdb_cursor_close(c);
	return rc;
}

int person_blocks_check(MDB_txn *txn, const struct person_dbs *d,
    void (*problem)(void *ck, uint64_t cid, uint64_t pid, uint64_t linked), void *ck)
{
	MDB_cursor *c;
	MDB_val k, v;
	MDB_stat a, b;
	int rc;

	if (!d->blocks_ok)
		return 0;
	if ((rc = mdb_cursor_open(txn, d->blocks, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t blk, val, linked = 0;
		memcpy(&blk, k.mv_data, sizeof blk);
		memcpy(&val, v.mv_data, sizeof val);
		uint64_t cid = blk << BLOCK_SHIFT | val >> PID_BITS;
		uint64_t pid = val & ((UINT64_C(1) << PID_BITS) - 1);
		if (person_link_get(txn, d, cid, &linked, NULL) != 0 || linked != pid)
			problem(ck, cid, pid, linked);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return rc;
	/* Each block entry matches a link, so equal counts mean every link
	 * has its entry. */
	if ((rc = mdb_stat(txn, d->case_person, &a)) != 0 || (rc = mdb_stat(txn, d->blocks, &b)))
		return rc;
	if (a.ms_entries != b.ms_entries)
		problem(ck, 0, a.ms_entries, b.ms_entries);
	return 0;
}
