/* bulk.h — one change made to many cases at once (`casebook set`, the
 * TUI's tag-and-apply): which fields such a change may set, the change
 * read and checked once (values through the field table, so bad values get
 * the errors `edit` gives), what it does to each case, and committing it
 * for a chosen set of cases in one write transaction, audited as one
 * change that lists the cases and can be undone as a whole. */
#ifndef CASEBOOK_BULK_H
#define CASEBOOK_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "error.h"
#include "store.h"

/* One part of a change: set a field (status, lawyer, verification,
 * confidentiality) to a value, or add measures. */
struct bulk_assign {
	int field; /* enum case_field: FIELD_MEASURES means "add these measures" */
	char *value; /* canonical text: a vocabulary key, the lawyer, the measures */
};

struct bulk_change {
	struct bulk_assign *a;
	size_t n;
};

/* "status, lawyer, verification, confidentiality, measure": for messages. */
const char *bulk_field_list(void);
/* True when field (enum case_field) may be set on many cases at once. */
bool bulk_field_settable(int field);

/* Adds "FIELD=VALUE" to bc: status=, lawyer=, verification=,
 * confidentiality= set the field (an empty value clears the lawyer or
 * resets a vocabulary to its default), measure= (or measure+=) adds a
 * measure written as in add/edit (`fine:fine=100 MRP`). The value is
 * checked as edit checks it; errors name the field and the fix. A field
 * given twice keeps the last value. */
int bulk_add(struct bulk_change *bc, const char *assignment, struct cb_err *err);
/* The same for field and value apart (the TUI's menus). */
int bulk_add_field(struct bulk_change *bc, int field, const char *value, struct cb_err *err);
void bulk_free(struct bulk_change *bc);

/* What the change does, for people: "Set status to in_court; Add measure
 * fine". Translated, control characters made visible. malloc'd. */
char *bulk_describe(const struct bulk_change *bc);
/* The question asked before changing n cases: "Set status to in_court on
 * 37 cases?". malloc'd. */
char *bulk_question(const struct bulk_change *bc, size_t n);

/* Applies bc to c; *changed says whether any field took a new value (a
 * measure the case already has, identical in every part, is not added
 * again). CB_EINVAL when the result breaks a rule of the whole case
 * (case_validate), message prefixed with the case id; c is then unchanged. */
int bulk_apply(const struct bulk_change *bc, struct case_record *c, bool *changed,
    struct cb_err *err);

/* A case the change will touch, at the revision it was seen. */
struct bulk_target {
	uint64_t id;
	uint32_t rev;
};

/* The cases among ids[0..n) that bc would change. Cases deleted since
 * the ids were found are left out. each, when set, is called with the
 * case before and after the change (for --dry-run). */
struct bulk_plan {
	struct bulk_target *t;
	size_t n; /* cases that change */
	size_t seen; /* cases read */
};
int bulk_plan(struct store *st, const uint64_t *ids, size_t n, const struct bulk_change *bc,
    void (*each)(const struct case_record *old, const struct case_record *new, void *ctx),
    void *ctx, struct bulk_plan *out, struct cb_err *err);
void bulk_plan_free(struct bulk_plan *p);

/* Makes the change to every case of the plan in one write transaction.
 * A case changed or deleted since the plan was made refuses the whole
 * change (CB_ECONFLICT, as edit --rev does, or CB_ENOTFOUND) and nothing
 * is saved. what describes where the cases came from (the filter text,
 * "tagged cases") for the log. *change is set to the number of the
 * audit entry that lists the cases (what store_undo_change takes). */
int bulk_commit(struct store *st, const struct bulk_plan *p, const struct bulk_change *bc,
    const char *what, uint64_t *change, struct cb_err *err);

#endif
