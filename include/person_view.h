/* person_view.h — a person's other cases where the work happens: the
 * one-line summaries of a case that the detail pane, the case sheet and
 * the bulletin show, and the other cases of a case's person, read from the
 * store in time order. Built on person.h; it prints nothing and knows
 * nothing of terminals (src/person_view.c). */
#ifndef CASEBOOK_PERSON_VIEW_H
#define CASEBOOK_PERSON_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "error.h"

struct store;

/* The index in c->measures of the measure that weighs most (a criminal
 * case, then an administrative arrest, a detention, a fine, ...; the
 * longer arrest among two), or -1 when c has no measure. */
int person_view_strongest(const struct case_record *c);

/* One measure in words, "administrative arrest, 15 days" or "fine, 100
 * MRP", sanitized for a terminal; malloc'd. */
char *person_view_measure(const struct measure *m);

/* One line for case c, without any name: "2021-05-01, EVENT: MEASURE",
 * the date as datefmt_show writes it ("01.05.2021" in Russian) and said
 * once when the event's title starts with it, with the strongest measure
 * (all: every measure, joined by "; "). Parts the case lacks are left out. Sanitized; malloc'd. */
char *person_view_case_line(const struct case_record *c, bool all);

/* The cases of case_id's person other than case_id itself, by date then
 * id, into *out (malloc'd, free each with case_free and the array with
 * free). *n is 0 for a case without a person or alone in it; *person
 * (may be NULL) gets the person's id, 0 when none. */
int person_view_others(struct store *st, uint64_t case_id, uint64_t *person,
    struct case_record **out, size_t *n, struct cb_err *err);

/* Frees what person_view_others gave. */
void person_view_others_free(struct case_record *cases, size_t n);

#endif
