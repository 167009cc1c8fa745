/* import_write.c — pass two of a streamed import: the rows pass one
 * checked and spooled (import.c) written into the store, all or nothing.
 *
 * An import that adds at most one chunk of cases (store_journal_chunk_rows,
 * 20,000) is written in one transaction, as it always was. A larger one
 * would make LMDB hold every page the transaction changes in memory until
 * the commit (640 MiB of heap for a million new cases), so it is written in
 * chunks instead (store_journal.h), one transaction each:
 *   1. when the file updates existing cases, all its rows are checked
 *      against the database first, so a bad row writes nothing at all;
 *   2. one transaction reserves the ids of the new cases and records the
 *      journal ("an import is in progress");
 *   3. the new cases, a chunk per transaction, with their index entries;
 *   4. the last transaction writes the updates of existing cases (all of
 *      them: an update must be undone exactly, which only an abort can do),
 *      the audit entries of the new cases, and clears the journal. Its
 *      commit is the commit of the import.
 * Any failure before that (a bad update, a full disk, Ctrl-C) removes the
 * new cases again, in chunked transactions; when the process dies instead,
 * the next writable open does it. Other processes see the new cases arrive
 * chunk by chunk and may add their own meanwhile (with ids after the
 * reserved range), but not change the import's cases until it ends. */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <unistd.h>

#include "import.h"
#include "import_int.h"
#include "store_journal.h"

static int rewind_spool(struct import_plan *p, off_t to, struct cb_err *err)
{
	if (fseeko(p->spool, to, SEEK_SET) != 0)
		return cb_err_set(err, CB_EIO, _("cannot read the import's temporary file: %s"),
		    strerror(errno));
	return 0;
}

/* The problems found in the rows, as one error (0 when there were none,
 * or when the import keeps the good rows and refuses only the bad). */
static int rows_verdict(struct apply *a)
{
	if (a->b->n_errors > a->base_errors && !a->plan->partial)
		return csvio_errors_summary(&a->err, a->conflict ? CB_ECONFLICT : CB_EINVAL, NULL,
		    a->b->n_errors);
	return 0;
}

/* Pass two, every spooled row that a->phase takes, inside the write
 * transaction (store_write may run it again after growing the map: each
 * run starts afresh). */
static int replay_rows(struct store_txn *tx, struct apply *a)
{
	struct import_plan *p = a->plan;
	struct csvio_batch *b = a->b;
	int rc = 0;

	a->tx = tx;
	import_reset(a);
	memset(&a->err, 0, sizeof a->err);
	if ((rc = rewind_spool(p, 0, &a->err)) != 0)
		return rc;
	for (size_t i = 0; i < p->rows && rc == 0; i++) {
		rc = import_replay_row(a, p);
		if (a->phase == IMPORT_ALL && b->progress && (i + 1) % 10000 == 0)
			b->progress(i + 1, b->progress_ctx);
	}
	return rc != 0 ? rc : rows_verdict(a);
}

static int replay(struct store_txn *tx, void *ctx)
{
	struct apply *a = ctx;
	a->first_new = 0;
	return replay_rows(tx, a);
}

/* ---- Chunks ---------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Where the chunks have got to: the next spooled row and the id it gets.
 * A run of write_chunk sets the *_after fields; they are taken only once
 * its transaction committed. */
struct chunker {
	struct apply *a;
	struct store_journal j;
	uint64_t limit; /* new cases per transaction */
	off_t off, off_after;
	size_t row, row_after;
	uint64_t id, id_after;
};

static int write_chunk(struct store_txn *tx, void *ctx)
{
	struct chunker *k = ctx;
	struct apply *a = k->a;
	struct import_plan *p = a->plan;
	uint64_t n = 0;
	size_t i = k->row;
	int rc;

	memset(&a->err, 0, sizeof a->err);
	if ((rc = rewind_spool(p, k->off, &a->err)) != 0)
		return rc;
	a->tx = tx;
	a->phase = IMPORT_ADDS;
	a->journal = &k->j;
	a->next_id = k->id;
	for (; i < p->rows && n < k->limit; i++) {
		if (interrupted)
			return cb_err_set(&a->err, CB_EINVAL, "%s",
			    _("the import was interrupted; nothing was imported"));
		if ((rc = import_replay_row(a, p)) != 0)
			return rc;
		n += a->was_add;
		if (a->b->progress && (i + 1) % 10000 == 0)
			a->b->progress(i + 1, a->b->progress_ctx);
	}
	if ((rc = rows_verdict(a)) != 0)
		return rc;
	k->off_after = ftello(p->spool);
	k->row_after = i;
	k->id_after = a->next_id;
	return 0;
}

/* The last transaction: the updates, every new case's audit entry, the
 * journal cleared. */
static int finish(struct store_txn *tx, void *ctx)
{
	struct chunker *k = ctx;
	struct apply *a = k->a;
	int rc = 0;

	a->first_new = k->j.first; /* the file's ids are those of before */
	a->phase = IMPORT_UPDATES;
	a->journal = NULL;
	if (a->plan->n_ids > 0) {
		rc = replay_rows(tx, a);
	} else {
		a->tx = tx;
		import_reset(a);
	}
	a->stats.added = (size_t)k->j.count;
	if (rc == 0 && interrupted)
		rc = cb_err_set(&a->err, CB_EINVAL, "%s",
		    _("the import was interrupted; nothing was imported"));
	if (rc == 0)
		rc = store_journal_txn_finish(tx, &k->j, &a->err);
	return rc;
}

/* The heap an import may hold. LMDB keeps every page a transaction changes
 * in malloc'd memory until its commit, and keeps those buffers for the next
 * transaction; a chunk's pages grow with the database when its keys land
 * all over large indexes (a million cases with as many different names:
 * about 2.4 pages a case). */
#define HEAP_BUDGET ((size_t)224 << 20)
#define CHUNK_MIN 2000

/* After a chunk: the next ones are half as large while the heap is over
 * the budget, so a large import stays within it whatever its names. */
static uint64_t next_chunk_limit(uint64_t limit)
{
	struct mallinfo2 mi = mallinfo2();

	if (mi.uordblks + mi.hblkhd > HEAP_BUDGET && limit / 2 >= CHUNK_MIN)
		return limit / 2;
	return limit;
}

/* For tests only: CASEBOOK_IMPORT_PAUSE_MS holds the import between its
 * transactions, so a test can act while it runs on any machine speed. */
static void pause_between_chunks(void)
{
	const char *s = getenv("CASEBOOK_IMPORT_PAUSE_MS");
	long ms = s ? strtol(s, NULL, 10) : 0;

	if (ms > 0 && ms < 10000) {
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* Steps 2 to 4 of the comment at the top, and the roll-back. */
static int write_in_chunks(struct apply *a, uint64_t n_new, struct cb_err *err)
{
	struct chunker k = {.a = a, .limit = store_journal_chunk_rows()};
	struct sigaction sa = {.sa_handler = on_signal}, old[3];
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	struct cb_err e = {0};
	int rc;

	if ((rc = store_journal_begin(a->st, n_new, &k.j, err)) != 0)
		return rc;
	interrupted = 0;
	sigemptyset(&sa.sa_mask);
	for (int s = 0; s < 3; s++)
		sigaction(sigs[s], &sa, &old[s]);
	k.id = k.j.first;
	while (k.id - k.j.first < n_new) {
		if ((rc = store_write(a->st, write_chunk, &k, &e)) != 0)
			break;
		k.off = k.off_after, k.row = k.row_after, k.id = k.id_after;
		k.limit = next_chunk_limit(k.limit);
		pause_between_chunks();
	}
	if (rc == 0)
		rc = store_write(a->st, finish, &k, &e);
	if (rc != 0) {
		struct cb_err rb = {0};
		if (a->err.code == 0)
			a->err = e;
		if (a->err.code == 0)
			rows_verdict(a);
		/* The spool is not needed any more: on a full disk its space
		 * is what the roll-back may need. */
		if (ftruncate(fileno(a->plan->spool), 0) != 0)
			clearerr(a->plan->spool);
		if (store_journal_rollback(a->st, &k.j, &rb) != 0) {
			char cause[sizeof a->err.msg];
			memcpy(cause, a->err.msg, sizeof cause);
			cb_err_set(&a->err, rc,
			    _("%s; the cases it had written so far could not all be removed yet "
			      "(%s): casebook removes them the next time it opens this database "
			      "for writing"),
			    cause, rb.msg);
		}
	}
	store_journal_end(a->st, &k.j);
	for (int s = 0; s < 3; s++)
		sigaction(sigs[s], &old[s], NULL);
	return rc;
}

int import_stream(struct store *st, struct import_plan *plan, struct csvio_batch *b, bool dry_run,
    struct import_stats *stats, struct cb_err *err)
{
	struct apply a = {.st = st, .b = b, .plan = plan};
	uint64_t n_new = plan->rows - plan->n_ids;
	int rc;

	a.base_errors = b->n_errors;
	a.base_kept = b->errors.n;
	a.base_lines = b->n_lines;
	a.base_rejected = b->n_rejected;
	if (dry_run) {
		rc = replay(NULL, &a);
	} else if (n_new <= store_journal_chunk_rows()) {
		rc = store_write(st, replay, &a, err);
	} else {
		/* Step 1: a file that updates cases is checked whole first
		 * (unless the bad rows are only to be refused). */
		rc = plan->n_ids > 0 && !plan->partial ? replay(NULL, &a) : 0;
		if (rc == 0)
			rc = write_in_chunks(&a, n_new, err);
	}
	if (rc != 0 && a.err.code != 0)
		*err = a.err;
	if (stats)
		*stats = a.stats;
	return rc;
}
