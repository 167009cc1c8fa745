/* person.h — people across cases (DESIGN.md §8): one human being's cases
 * linked to one person record, the conservative linking rule, possible
 * duplicates, link/unlink/merge, and a person's timeline with the totals a
 * court needs.
 *
 * Two files implement it: src/person.c holds the model (identity keys, the
 * linking rule, repeat marks, totals: pure functions, no storage) and
 * src/store_person.c keeps people in LMDB beside the cases, changed in the
 * same write transaction as the case.
 *
 * The rule. A name's identity key is its words (split at whitespace only)
 * each through skeleton_word(), empty skeletons dropped, sorted and joined
 * with one space: «Жанар Төлегенов» and «TOLEGENOV Zhanar» both give
 * "janar tolegenov". A case has one key per spelling it holds (name,
 * name_latin and every alias). A case is linked automatically to a person
 * only when one of its keys equals one of the person's keys word for word,
 * that key has at least two words, and both birth years are known and
 * equal. Anything less certain (a birth year missing on either side, a name
 * whose words are a part of the other's — an extra patronymic, a missing
 * first name —, a one-word name) makes the two a possible duplicate: shown,
 * never linked. Known and different birth years are two people. A case
 * with an empty name (an unidentified person) has no person.
 *
 * Every identified case belongs to exactly one person; a case that matches
 * nobody is its own person. A person's names, sex and birth year are
 * derived from its cases (the union of their spellings; the most common
 * known birth year and sex), so moving a case never loses a spelling: it
 * goes with the case. Person ids are never reused; a person left without
 * cases by a merge or a link stays as an empty record, so the inverse
 * operation (`link CASE PERSON`) can bring its cases back under the same
 * id. */
#ifndef CASEBOOK_PERSON_H
#define CASEBOOK_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "error.h"
#include "idset.h"
#include "util.h"

struct store;
struct store_txn;

/* ---- The model (person.c) ---------------------------------------------- */

/* Bytes of an identity key, NUL included; longer keys are clipped at a
 * word boundary. */
#define PERSON_KEY_MAX 256
/* Words of a name that take part in partial matching (subsets); a name
 * with more words is matched only as a whole. */
#define PERSON_PARTIAL_WORDS 5

/* The identity key of one spelling of a name into out (PERSON_KEY_MAX
 * bytes): sorted skeletons joined by single spaces, "" for a name without
 * letters or digits. Returns the number of words in the key. */
int person_key(const char *name, char *out);

/* The distinct identity keys of a case's spellings (name, name_latin,
 * aliases), non-empty ones only, in the order first seen. Empty for an
 * unidentified case (empty name). */
void person_case_keys(const struct case_record *c, struct strlist *out);

/* How two name-and-birth-year pairs relate under the rule above. */
enum person_match {
	PERSON_DIFFERENT, /* not the same person as far as the rule can tell */
	PERSON_POSSIBLE, /* a possible duplicate: shown, never linked */
	PERSON_SAME, /* linked automatically */
};

/* Why two pairs are possible duplicates (for the evidence column). */
enum person_reason {
	PREASON_NONE,
	PREASON_SAME_NAME_NO_YEAR, /* same words, a birth year missing */
	PREASON_PART_OF_NAME, /* one name's words are a part of the other's */
	PREASON_ONE_WORD, /* the same single word */
	PREASON_SAME_NAME_YEAR, /* same name and birth year, kept apart by hand */
};

/* Compares two identity keys with their birth years (0 = not known).
 * *reason (may be NULL) says why a PERSON_POSSIBLE is possible. Empty keys
 * never match. */
enum person_match person_match_keys(const char *key_a, int year_a, const char *key_b, int year_b,
    enum person_reason *reason);

/* The best relation between any key of a and any key of b (lists of
 * identity keys, as person_case_keys gives them). */
enum person_match person_match_lists(const struct strlist *keys_a, int year_a,
    const struct strlist *keys_b, int year_b, enum person_reason *reason);

/* The translated words for a reason: "same name, birth year missing", ... */
const char *person_reason_text(enum person_reason r);

/* True for the measure types that count as an administrative sanction for
 * repeat marks: administrative arrest, fine, warning. */
bool person_is_admin_sanction(int measure_type);

/* ---- A person's record and timeline ------------------------------------ */

struct person_record {
	uint64_t id;
	uint32_t rev; /* +1 whenever its cases or derived fields change */
	struct strlist names; /* every spelling seen on its cases, first seen first */
	int sex; /* enum sex; SEX_UNKNOWN when not known or mixed */
	/* Whether its cases have two different known sexes (sex is then
	 * SEX_UNKNOWN): 1 or 0; -1 in a record written before casebook kept
	 * it, which then has to be found out from the cases. */
	int sex_mixed;
	int birth_year; /* 0 when not known */
	uint32_t n_cases;
	uint64_t merged_into; /* set when a merge emptied it: the person it went into */
};

void person_record_init(struct person_record *p);
void person_record_free(struct person_record *p);

/* Fills p's names, sex, birth year and n_cases from the n cases that are
 * its (id, rev and merged_into are left as they are). */
void person_derive(struct person_record *p, const struct case_record *cases, size_t n);
/* Appends spelling s to l unless it is empty or there already (the union
 * of spellings person_derive makes). */
void person_add_name(struct strlist *l, const char *s);

/* Totals over a person's cases. Fines are free text ("100 MRP"): amounts
 * with the same unit after the number are added up, the rest listed. */
struct person_totals {
	uint32_t cases;
	uint32_t detention_days, arrest_days; /* summed days of detention, admin_arrest */
	uint32_t detentions, arrests, fines; /* how many measures of each */
	char *fine_total; /* "150 MRP, 20000 KZT"; "" when there are no fines; malloc'd */
	uint32_t repeats; /* administrative sanctions marked as repeats */
};

/* A person's cases in time order (date, then id) with their measures'
 * repeat marks and the totals. repeat[i] points at case i's n_measures
 * marks: true for an administrative sanction that follows an earlier one
 * of the same person within the window (measure date, else case date;
 * sanctions without a date are never marked). */
struct person_timeline {
	struct person_record person;
	struct case_record *cases;
	size_t n;
	bool **repeat;
	struct person_totals totals;
};

/* Sorts the n cases (a malloc'd array taken over by tl, freed with it)
 * by date, marks repeats with a window of window_months (<= 0 means 12)
 * and sums totals. tl->person is left empty for the caller to fill. */
void person_timeline_build(struct person_timeline *tl, struct case_record *cases, size_t n,
    int window_months);
void person_timeline_free(struct person_timeline *tl);

/* True when some measure of case c is a repeat mark in tl (c among tl's cases). */
bool person_timeline_case_repeats(const struct person_timeline *tl, size_t i);

/* ---- In the store (store_person.c) ------------------------------------- */

/* The person of case id (0 when the case is unidentified, unknown, or the
 * people are not built yet in a database opened read-only). */
int store_person_of_case(struct store *st, uint64_t case_id, uint64_t *person_id,
    struct cb_err *err);

/* Reads person id (CB_ENOTFOUND when there is no such person). */
int store_person_get(struct store *st, uint64_t person_id, struct person_record *out,
    struct cb_err *err);

/* The ids of person_id's cases, ascending, appended to out. */
int store_person_cases(struct store *st, uint64_t person_id, struct idarr *out, struct cb_err *err);

/* The person with its cases read, sorted, marked and totalled (see
 * person_timeline_build). CB_ENOTFOUND for an unknown person. */
int store_person_timeline(struct store *st, uint64_t person_id, int window_months,
    struct person_timeline *out, struct cb_err *err);

/* One possible duplicate: the other person, why, and its case count. */
struct person_candidate {
	uint64_t person_id;
	enum person_reason reason;
	uint32_t n_cases;
	int birth_year;
};

/* The persons other than the case's own that case_id may also belong to
 * (found through the key and word-subset indexes, never by scanning),
 * lowest id first, at most max. *n gets how many. */
int store_person_candidates(struct store *st, uint64_t case_id, struct person_candidate *out,
    size_t max, size_t *n, struct cb_err *err);

/* The same for a case as typed, not saved yet (c->id 0), or saved (its
 * own person left out): what the form shows before saving. A person the
 * rule will link an unsaved case to is listed with reason PREASON_NONE;
 * for a saved case such a person (kept apart) has PREASON_SAME_NAME_YEAR. */
int store_person_candidates_for(struct store *st, const struct case_record *c,
    struct person_candidate *out, size_t max, size_t *n, struct cb_err *err);

/* A pair of persons that may be one (for `persons --duplicates`). */
struct person_pair {
	uint64_t a, b; /* a < b */
	enum person_reason reason;
};

/* Every pair of possible duplicates among the persons with cases, a
 * ascending then b; calls fn for each, stopping when it returns non-zero. */
int store_person_duplicates(struct store *st, int (*fn)(const struct person_pair *p, void *ctx),
    void *ctx, struct cb_err *err);

/* Calls fn for every person that has cases, in id order. */
int store_person_foreach(struct store *st, int (*fn)(const struct person_record *p, void *ctx),
    void *ctx, struct cb_err *err);

/* One person among the persons of a set of cases: how many of those
 * cases are theirs, and how many cases they have in all. */
struct person_count {
	uint64_t person_id;
	uint32_t matching, total;
};

/* The distinct persons of the case ids ids[0..n) (unidentified cases have
 * none), most matching cases first, then lowest id; *out malloc'd. With out NULL
 * only *nout is found (the number of people), which is faster. In an
 * older database opened read-only (people not built) an error says so. */
int store_persons_of_cases(struct store *st, const uint64_t *ids, size_t n,
    struct person_count **out, size_t *nout, struct cb_err *err);

/* Whether people have been built from the cases (false only in an older
 * database opened read-only: every command still works, without people). */
bool store_persons_built(struct store *st);

/* The operations of `casebook link`, `unlink` and `merge`. Each is one
 * write transaction and one audit entry (who, when, from which person to
 * which), and each is undone by its inverse: link CASE OLD-PERSON after a
 * link or unlink; link of each case back after a merge (the emptied person
 * keeps its id). A rev other than 0 is the person's revision the caller
 * saw: a different stored one is refused as a stale edit (CB_ECONFLICT).
 * Errors, with nothing changed: an unknown case or person (CB_ENOTFOUND),
 * an unidentified case, a case linked to its own person, a person merged
 * with itself (CB_EINVAL). A case moved by hand is never moved again by the
 * automatic rule. */
int store_person_link(struct store *st, uint64_t case_id, uint64_t person_id, uint32_t person_rev,
    struct cb_err *err);
/* The case becomes its own new person; *new_person gets its id. A case that
 * is already alone in its person is refused (CB_EINVAL). */
int store_person_unlink(struct store *st, uint64_t case_id, uint64_t *new_person,
    struct cb_err *err);
/* Moves every case of person from into person into; from is left empty
 * (merged_into set). */
int store_person_merge(struct store *st, uint64_t into, uint32_t into_rev, uint64_t from,
    uint32_t from_rev, struct cb_err *err);

#endif
