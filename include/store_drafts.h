/* store_drafts.h — drafts (drafts.h) in the database's `drafts` table, one
 * per user, case (0: a new case) and form. A draft that cannot be decoded
 * (a newer version's, damaged) is never dropped: it is reported and can
 * be set aside, where `casebook drafts` still lists it. */
#ifndef CASEBOOK_STORE_DRAFTS_H
#define CASEBOOK_STORE_DRAFTS_H

#include <stdbool.h>
#include <stdint.h>

#include "drafts.h"
#include "error.h"
#include "store.h"

/* Writes d (replacing the draft of the same user, case and token), in a
 * write transaction of its own. */
int store_draft_put(struct store *st, const struct draft *d, struct cb_err *err);
/* Removes the draft of user, case_id and token (aside or not); no error
 * when there is none. */
int store_draft_delete(struct store *st, const char *user, uint64_t case_id, uint64_t token,
    struct cb_err *err);

/* What store_drafts_foreach hands its callback: a draft (its fields empty
 * when it did not decode), whether it was set aside, and why it does not
 * decode (NULL when it does). */
struct draft_seen {
	const struct draft *d;
	bool aside;
	const char *why;
};

/* Calls fn for each draft of user (NULL: of every user), by user, case
 * and token, stopping when fn returns non-zero (returned). */
int store_drafts_foreach(struct store *st, const char *user,
    int (*fn)(const struct draft_seen *s, void *ctx), void *ctx, struct cb_err *err);

/* Moves the draft of user, case_id and token aside: kept, listed by
 * `casebook drafts`, never offered to resume again. */
int store_draft_set_aside(struct store *st, const char *user, uint64_t case_id, uint64_t token,
    struct cb_err *err);

#endif
