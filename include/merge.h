/* merge.h — three-way merge of a case (DESIGN.md §5, issue "three-way
 * conflicts"): base is the revision an edit started from, theirs the case
 * as a colleague saved it meanwhile, yours the edit. A field only one side
 * changed takes that side's value; a field both changed to different
 * values is a conflict, which only the person editing may settle (keep
 * theirs, keep mine, or edit). Fields are compared in their text form
 * (case_get_field), measures and injuries as one field each. */
#ifndef CASEBOOK_MERGE_H
#define CASEBOOK_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "error.h"
#include "store.h"

/* One field both sides changed: its values in the text form. */
struct merge_conflict {
	int field; /* enum case_field */
	char *base, *theirs, *yours;
};

struct merge_result {
	struct merge_conflict *conflicts;
	size_t n;
};

/* Writes into out (case_init'ed by the call) theirs with every field only
 * yours changed taken from yours; each field both changed differently is
 * listed in res (out keeps theirs' value there). Bookkeeping fields (id,
 * rev, created, updated, updated_by) come from theirs. */
void merge_cases(const struct case_record *base, const struct case_record *theirs,
    const struct case_record *yours, struct case_record *out, struct merge_result *res);
void merge_result_free(struct merge_result *res);

/* Sets field of c to its text value (as merge_conflict holds it). */
int merge_take(struct case_record *c, int field, const char *value, struct cb_err *err);

/* Rebuilds revision rev of case id from the case now and the field
 * changes of its audit log (out case_init'ed by the call). CB_EINVAL when
 * the log cannot say (an entry before field history, a revision the case
 * never had); CB_ENOTFOUND for an unknown case. */
int merge_base_at(struct store *st, uint64_t id, uint32_t rev, struct case_record *out,
    struct cb_err *err);

/* "lawyer: theirs «Б», yours «В»; status: theirs in_court, yours appeal":
 * the conflicts for a message, control characters made visible. Malloc'd. */
char *merge_describe(const struct merge_result *res);

#endif
