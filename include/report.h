/* report.h — the bulletin of DESIGN.md §6 regenerated from cases: per
 * event, refusals, preventive persecutions, persecutions on the day and
 * threats of prosecution, each counted with its towns and measures, and the
 * named injured. The figures are computed into plain structs (report_add),
 * so tests check numbers; report_render turns them into text or Markdown.
 *
 * Each case falls into one group of its event:
 *   refusals    — it has a `refusal` measure (a banned assembly);
 *   preventive  — else it has a `preventive` measure (summons, home visit,
 *                 pre-event detention); its other measures, e.g. the
 *                 administrative arrests, are the "including" counts;
 *   threats     — else its only measures are `threat` (and `other`);
 *   on the day  — else it has any measure or injury.
 * A case's place is its city, else its region. Unidentified people (no
 * name) and restricted cases count everywhere but are never named. */
#ifndef CASEBOOK_REPORT_H
#define CASEBOOK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "case.h"
#include "error.h"
#include "gazetteer.h"
#include "idset.h"
#include "query.h"
#include "store.h"

enum report_group_kind {
	REPORT_REFUSALS,
	REPORT_PREVENTIVE,
	REPORT_ON_DAY,
	REPORT_THREATS,
	REPORT__GROUPS
};

#define REPORT_MEASURE_TYPES (MEASURE_OTHER + 1)

struct report_group {
	size_t cases;
	size_t measures[REPORT_MEASURE_TYPES]; /* measures of each type in these cases */
	size_t admin_cases_awaiting; /* admin_case measures of cases awaiting trial */
	long arrest_days; /* days of administrative arrest, summed */
	struct strlist towns; /* distinct places, first spelling seen, sorted */
	struct strlist town_keys; /* their keys (parallel to towns): the
	                           * gazetteer id, else the folded spelling */
	struct idarr ids; /* the cases counted here, for their people */
	size_t unidentified; /* how many of them have no name */
	size_t people; /* distinct people (see report_people); 0: not known */
};

struct report_injured {
	char *name;
	char *city;
	struct injury *injuries;
	size_t n_injuries;
};

/* A person with an administrative sanction that repeats an earlier one
 * within repeat_window_months. */
struct report_repeat {
	uint64_t person;
	char *name; /* NULL when the person may not be named (a restricted case) */
	uint32_t repeats;
	char *sanctions; /* "2021-02-23 administrative arrest, 15 days; ..." */
};

struct report_event {
	char *title; /* "" when the cases name no event */
	char *key; /* folded title: cases group by it */
	struct pdate date; /* the title's leading YYYY-MM-DD, else the earliest case date */
	bool dated_by_title;
	size_t cases;
	struct report_group group[REPORT__GROUPS];
	struct report_injured *injured; /* named injured, in order of name */
	size_t n_injured;
	size_t unnamed_injured; /* injured people who may not be named */
};

struct report {
	struct report_event *events; /* after report_finish: by date, then title */
	size_t n_events;
	size_t cases;
	struct idarr ids; /* every case counted */
	size_t unidentified, people; /* as in a group, over every case */
	struct report_repeat *repeats; /* people with a repeated sanction, most first */
	size_t n_repeats;
	int repeat_window; /* months, for the heading of that list */
	const struct gazetteer *gaz; /* names places when set; see report_use_gazetteer */
	struct gazetteer *own_gaz; /* one the report owns, freed with it (NULL: none) */
};

void report_init(struct report *r);
void report_free(struct report *r);
/* Names places through g (not owned; NULL: as the cases spell them): a
 * town spelt "Almaty" in one case and "Алматы" in another is one town,
 * and the bulletin gives it in its own language. Call before report_add. */
void report_use_gazetteer(struct report *r, const struct gazetteer *g);
/* Counts one case. */
void report_add(struct report *r, const struct case_record *c);
/* The people behind the figures, from the store (report_build calls it
 * after the last add): the distinct people of every group and of the
 * whole report (each person once, each unidentified case as one person),
 * and the people among the report's cases with a repeated administrative
 * sanction. An older database opened read-only (no people yet) leaves
 * both out. */
int report_people(struct store *st, struct report *r, struct cb_err *err);
/* Sorts events and the lists inside them; call once after the last add. */
void report_finish(struct report *r);
/* The group a case falls into, or -1 when it has no measure and no injury. */
int report_group_of(const struct case_record *c);
/* The report over every case matching q (NULL or empty: all cases),
 * with places named through the installed gazetteer, or the one in the
 * source tree beside an uninstalled binary; without either, places stay
 * as the cases spell them. */
int report_build(struct store *st, const struct query *q, struct report *r, struct cb_err *err);

enum report_format { REPORT_TEXT, REPORT_MARKDOWN };
/* "49 detentions" and the like, one counted measure of the "(including
 * ...)" list, in the language of the messages (ngettext: each language's
 * numeral forms). awaiting: administrative cases awaiting trial. Malloc'd. */
char *report_measure_phrase(int type, size_t n, bool awaiting);
/* The opening of a group's line: "90 political persecutions on the day in
 * 20 towns and localities" (towns 0: no place part), in the language and
 * word order of the messages. Malloc'd. */
char *report_group_phrase(int group, size_t cases, size_t towns);
/* The same with the people counted: "53 preventive political persecutions
 * of 50 people in 21 towns and localities" (people 0: no people part). */
char *report_group_phrase_of(int group, size_t cases, size_t people, size_t towns);
/* Writes the bulletin, places named in the language of the messages when
 * the report has a gazetteer. Text from cases is sanitised for terminals. */
int report_render(FILE *f, const struct report *r, int format);

#endif
