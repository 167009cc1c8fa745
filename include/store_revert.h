/* store_revert.h — reverting one chosen change of a case (the TUI's `u` on
 * a history entry), where store_undo reverts the newest. */
#ifndef CASEBOOK_STORE_REVERT_H
#define CASEBOOK_STORE_REVERT_H

#include <stdint.h>

#include "error.h"
#include "store.h"

/* Reverts the change of case id audited at seq: a new revision (audited
 * as an undo of that entry with its own field diff), *new_rev set to it.
 * Refused with CB_EINVAL, naming the fields, when a later change touched
 * any field that change touched (revert those first); also when the entry
 * is not a change with field data, or is undone already. CB_ENOTFOUND for
 * an unknown or trashed case or an unknown entry. */
int store_revert(struct store *st, uint64_t id, uint64_t seq, uint32_t *new_rev,
    struct cb_err *err);

#endif
