/* store_person_int.h — what the store's files share about people
 * (store_person.c, store_person_read.c, and the hooks the case write path
 * and the consistency check call). Not part of any public interface:
 * person.h is.
 *
 * The databases:
 *   persons       person id (u64, INTEGERKEY) → encoded person record
 *   case_person   case id (u64, INTEGERKEY) → person id (u64) + flags (1 byte)
 *   person_cases  person id → case ids (DUPSORT|DUPFIXED|INTEGERDUP)
 *   person_key    identity key (text) → person ids (DUPSORT...): every key
 *                 of every spelling the person holds
 *   person_part   a part of an identity key (a proper subset of its words,
 *                 keys of up to PERSON_PARTIAL_WORDS words) → person ids:
 *                 finds people whose name has a word more
 *   person_count  number of cases (u32 big-endian) → person ids: people
 *                 with at least N cases without reading them all
 * and in meta: next_person (the id counter), persons_built ("1"). */
#ifndef CASEBOOK_STORE_PERSON_INT_H
#define CASEBOOK_STORE_PERSON_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <lmdb.h>

#include "case.h"
#include "error.h"
#include "idset.h"
#include "person.h"

struct store;
struct store_txn;

/* The handles, kept in struct store. */
struct person_dbs {
	MDB_dbi persons, case_person, person_cases, key, part, count;
	MDB_dbi blocks; /* store_person_blocks.c: the links packed by blocks of case ids */
	bool blocks_ok; /* the blocks are made and kept (false: older, read-only) */
	MDB_dbi years; /* store_person_year.c: keys with the birth year */
	bool years_ok; /* made and kept (false: older, read-only) */
	bool present; /* the databases exist (false: older, opened read-only) */
	bool built; /* people were built from the cases */
};

/* A case's link flags. */
enum { PLINK_MANUAL = 1 }; /* set by link/unlink/merge: the rule leaves it alone */

/* Opens (or, writable, creates) the databases in txn into d. A new empty
 * store is marked built at once; an older one is built by store_person_build. */
int store_person_open(MDB_txn *txn, MDB_dbi meta, bool readonly, bool empty, struct person_dbs *d);
/* Builds people from every case by the rule, in one write transaction,
 * with a progress line on stderr when it is a terminal. */
int store_person_build(struct store *st, struct cb_err *err);

/* The case write path's hook: case id went from old to new (old NULL: a
 * new case; new NULL: deleted), both records as stored in tx. Links,
 * unlinks or moves the case by the rule and keeps every person database
 * in step. */
int store_person_case_changed(struct store_txn *tx, uint64_t id, const struct case_record *old,
    const struct case_record *new, struct cb_err *err);
/* Saves the person id counter when tx used it (store_write calls it
 * before the commit). */
int store_person_txn_end(struct store_txn *tx, struct cb_err *err);

/* `casebook check`'s part: every link agrees both ways, every person's
 * derived fields and index entries are what its cases imply. Each
 * problem goes to problem(line, ctx); *problems counts them. */
int store_person_check(struct store *st, MDB_txn *txn, void (*problem)(const char *line, void *ctx),
    void *ctx, uint64_t *persons, uint64_t *problems);

/* ---- Shared by store_person.c and store_person_read.c ---- */

/* Inside a write transaction: recompute person pid from its cases; a new
 * person id; person from emptied into into; the error for an older
 * database without people; the progress line of the build. */
int store_person_refresh(struct store_txn *tx, uint64_t pid, struct cb_err *err);
int store_person_new_id(struct store_txn *tx, uint64_t *out, struct cb_err *err);
int store_person_mark_merged(struct store_txn *tx, uint64_t from, uint64_t into,
    struct cb_err *err);
int store_person_not_built(struct store *st, struct cb_err *err);
const char *store_person_progress(uint64_t done, uint64_t total);

/* The handles of st. */
const struct person_dbs *store_person_dbs(struct store *st);
/* Encodes p (with a CRC-32) into out / decodes v into p (init'ed by the
 * call); decode returns CB_ECORRUPT for bytes that do not check. */
void person_encode(const struct person_record *p, struct buf *out);
int person_decode(const void *v, size_t n, uint64_t id, struct person_record *p,
    struct cb_err *err);
/* Reads person id in txn: 0, MDB_NOTFOUND, or CB_ECORRUPT (err set). */
int person_read(MDB_txn *txn, const struct person_dbs *d, uint64_t id, struct person_record *p,
    struct cb_err *err);
/* Reads case id's link in txn: 0 or MDB_NOTFOUND (then *pid 0). */
int person_link_get(MDB_txn *txn, const struct person_dbs *d, uint64_t case_id, uint64_t *pid,
    unsigned *flags);
/* Appends the case ids of person pid, ascending; an LMDB code on error. */
int person_case_ids(MDB_txn *txn, const struct person_dbs *d, uint64_t pid, struct idarr *out);
/* The identity keys of a person (from its names) into keys. */
void person_record_keys(const struct person_record *p, struct strlist *keys);
/* The parts of a key (every proper non-empty subset of its words, as
 * keys) into out, for keys of 2..PERSON_PARTIAL_WORDS words. */
void person_key_parts(const char *key, struct strlist *out);
/* The same parts, each handed to fn (part NUL-terminated, len bytes; valid
 * during the call only), in the order person_key_parts gives them. */
void person_key_parts_each(const char *key, void (*fn)(void *ctx, const char *part, size_t len),
    void *ctx);

/* The case ids behind the filters, set in b (read in txn; nothing when
 * people are not built): person:ID, cases:LO..HI (cases of people with
 * that many cases) and repeat:yes (cases with a repeat sanction within
 * window months). 0, an LMDB code or a negative code. */
int store_person_filter_person(struct store *st, MDB_txn *txn, uint64_t pid, struct idbm *b);
int store_person_filter_cases(struct store *st, MDB_txn *txn, uint32_t lo, uint32_t hi,
    struct idbm *b);
int store_person_filter_repeat(struct store *st, MDB_txn *txn, int window, struct idbm *b);

/* ---- store_person_blocks.c: the links again, packed by blocks of cases ---- */

/* Opens (writable: creates, and fills from case_person when made before
 * the blocks or left short by an older casebook) the blocks into d. */
int person_blocks_open(MDB_txn *txn, MDB_dbi meta, bool readonly, struct person_dbs *d);
/* Adds / removes the block entry of the link case cid → person pid in tx. */
int person_block_put(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err);
/* The same put, queued for the flush (store_person_queue.c): a new case's. */
int person_block_queue(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err);
int person_block_del(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err);
/* The person of each linked case among ids[0..n) (ascending) into pids
 * (*np of them, in case order), read a block at a time: 0, an LMDB code,
 * or 1 when the blocks cannot be used here (then read the links one by one). */
int person_blocks_links(MDB_txn *txn, const struct person_dbs *d, const uint64_t *ids, size_t n,
    uint64_t *pids, size_t *np);
/* `casebook check`: every block entry is a link of case_person and there
 * are as many; problem(ck, cid, pid, linked) for each entry that is not
 * (cid 0: the counts differ, pid and linked are them). */
int person_blocks_check(MDB_txn *txn, const struct person_dbs *d,
    void (*problem)(void *ck, uint64_t cid, uint64_t pid, uint64_t linked), void *ck);

/* ---- store_person_year.c: identity keys with the birth year ---- */

/* The year keys ("KEY\x01YYYY") of keys of two words or more, for a
 * known year (none for year 0), appended to out. */
void person_year_keys(const struct strlist *keys, int year, struct strlist *out);
/* Bytes of one year key, NUL included. */
#define PERSON_YEAR_KEY_MAX (PERSON_KEY_MAX + 8)
/* The year key of one key into out (PERSON_YEAR_KEY_MAX bytes) and its
 * length; 0 (out "") when it has none (one word, or the year not known). */
size_t person_year_key(const char *key, int year, char *out);
/* Opens (writable: creates, and fills from the records when made before
 * it) person_key_year into d. */
int person_years_open(MDB_txn *txn, MDB_dbi meta, bool readonly, struct person_dbs *d);
/* `casebook check`: every entry belongs to a person that has that key and
 * year; problem(ck, pid, key) for each that does not. */
int person_years_check(MDB_txn *txn, const struct person_dbs *d,
    void (*problem)(void *ck, uint64_t pid, const char *key), void *ck);

/* ---- store_person_link.c: the rule on the path of a new case ---- */

/* Keys a case's spellings hold without an allocation. */
#define CASE_KEYS_INLINE 6

/* A case's identity keys (what person_case_keys gives, in its order): key
 * i is k[i]; spelling j (0 name, 1 name_latin, 2 + a: alias a) has key
 * of[j], -1 for none; mark[i] is the caller's (false when made). In the
 * struct itself for up to CASE_KEYS_INLINE spellings: not to be copied. */
struct case_keys {
	size_t n, n_spell;
	char (*k)[PERSON_KEY_MAX];
	int *of;
	bool *mark;
	char inl[CASE_KEYS_INLINE][PERSON_KEY_MAX];
	int inl_of[CASE_KEYS_INLINE];
	bool inl_mark[CASE_KEYS_INLINE];
};

/* Makes / frees the keys of case c (none for an unidentified case). */
void case_keys_make(const struct case_record *c, struct case_keys *ck);
void case_keys_free(struct case_keys *ck);
/* The lowest-numbered person the rule links a case with keys ck and
 * birth year year to, or 0: a key of two words or more under which a person
 * with cases and the same known birth year is found (*matched: which key).
 * Looked up under the key with the year (store_person_year.c); in an older
 * database opened read-only, among the people under the key alone. 0,
 * CB_ECORRUPT or another error (set in err). */
int person_find_match(struct store_txn *tx, const struct case_keys *ck, int year, uint64_t *out,
    size_t *matched, struct cb_err *err);
/* New case c (the largest id yet, keys ck) joins person pid, which the
 * rule matched under key matched, or when pid is 0 becomes a new person;
 * the entries are queued. Marks of ck are used. */
int person_link_fresh(struct store_txn *tx, const struct case_record *c, struct case_keys *ck,
    uint64_t pid, size_t matched, struct cb_err *err);

/* ---- store_person_queue.c: entries of new cases, written sorted at the end ---- */

enum {
	PQ_CASES,
	PQ_KEY,
	PQ_PART,
	PQ_COUNT,
	PQ_YEAR,
	PQ_BLOCKS
}; /* person_cases, _key, _part, _count, _key_year, person_blocks */
struct person_queue;

/* Person pid as this transaction has it (read once, then kept): *out
 * points into the queue until another record is added or the queue is
 * flushed; change: it will be written at the flush. 0, MDB_NOTFOUND or
 * CB_ECORRUPT. */
int person_q_record(struct store_txn *tx, uint64_t pid, bool change, struct person_record **out,
    struct cb_err *err);
/* A new person pid (init'ed, id set), written at the flush. */
struct person_record *person_q_new_record(struct store_txn *tx, uint64_t pid);
/* Queues id under key in database which (PQ_*); the count entries of
 * changed records are queued by the flush itself. */
void person_q_put(struct store_txn *tx, int which, const void *key, size_t len, uint64_t id);
/* Queues the link of new case cid to person pid (case_person), written
 * in case order at the flush. */
void person_q_link(struct store_txn *tx, uint64_t cid, uint64_t pid);
/* The ids queued under key in which (*ids NULL when none; an id may
 * appear more than once until the flush); *ids holds until the next put. */
size_t person_q_ids(struct store_txn *tx, int which, const void *key, size_t len,
    const uint64_t **ids);
/* How many records the queue holds. */
size_t person_q_size(struct store_txn *tx);
/* Writes everything queued, sorted, and empties the queue. */
int person_q_flush(struct store_txn *tx, struct cb_err *err);
/* Drops the queue unwritten (an aborted or rerun transaction; also after
 * the flush at the end of every write): its tables, when small, are kept
 * by the store for the next write. */
void person_q_free(struct store_txn *tx);
/* Frees the tables the store keeps (store_close). */
void person_q_release(struct store *st);

#endif
