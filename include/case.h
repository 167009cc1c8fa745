/* case.h — the case model of DESIGN.md §1: fields, closed vocabularies,
 * partial dates, the CSV list syntax for measures and injuries, validation.
 * Knows nothing of storage or terminals. */
#ifndef CASEBOOK_CASE_H
#define CASEBOOK_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* ---- Vocabularies -------------------------------------------------------
 * One table per closed vocabulary: stable key (stored, typed in CSV and
 * filters), English label (translated through gettext when shown) and the
 * HURIDOCS ESF code where one exists (NULL otherwise). The order of a table
 * is the enum order below; keys are what the codec stores, so a term may be
 * appended but never renamed. */
struct vocab_term {
	const char *key;
	const char *label;
	const char *esf;
};

struct vocab {
	const char *name; /* e.g. "measure type", used in error messages */
	const struct vocab_term *terms;
	int count;
};

enum measure_type {
	MEASURE_DETENTION,
	MEASURE_ADMIN_ARREST,
	MEASURE_FINE,
	MEASURE_ADMIN_CASE,
	MEASURE_CRIMINAL_CASE,
	MEASURE_WARNING,
	MEASURE_PREVENTIVE,
	MEASURE_REFUSAL,
	MEASURE_THREAT,
	MEASURE_SURVEILLANCE,
	MEASURE_HACKING,
	MEASURE_INTERNET_BLOCK,
	MEASURE_SEARCH,
	MEASURE_OTHER,
};
enum injury_type {
	INJURY_STRANGULATION,
	INJURY_BRUISE,
	INJURY_ABRASION,
	INJURY_HEAD_TRAUMA,
	INJURY_JOINT_INJURY,
	INJURY_FRACTURE,
	INJURY_LACERATION,
	INJURY_BURN,
	INJURY_CHEMICAL,
	INJURY_OTHER,
};
enum case_status {
	STATUS_OPEN,
	STATUS_AWAITING_TRIAL,
	STATUS_IN_COURT,
	STATUS_APPEAL,
	STATUS_CLOSED
};
enum verification { VERIF_CONFIRMED, VERIF_LIKELY, VERIF_POSSIBLE, VERIF_UNKNOWN };
enum confidentiality { CONF_PUBLIC, CONF_INTERNAL, CONF_RESTRICTED };
enum sex { SEX_F, SEX_M, SEX_UNKNOWN };

extern const struct vocab vocab_measure;
extern const struct vocab vocab_injury;
extern const struct vocab vocab_status;
extern const struct vocab vocab_verification;
extern const struct vocab vocab_confidentiality;
extern const struct vocab vocab_sex;
/* The answers of an injury's exam part as keys (yes, no): for filters. */
extern const struct vocab vocab_exam;

/* Index of the term whose key equals key (exact, ASCII case-insensitive), or -1. */
int vocab_find(const struct vocab *v, const char *key);
/* The term that text names: a key, a label in English, Russian or Kazakh,
 * a synonym or a unique prefix (see vocab_match.h). On failure sets err to
 * `unknown VOCAB-NAME "TEXT"; did you mean K? (known: a, b, c)` (or
 * `ambiguous ...` naming the rivals) and returns CB_EINVAL. */
int vocab_parse(const struct vocab *v, const char *key, int *out, struct cb_err *err);
/* Key and translated label of term i; "?" when i is out of range. */
const char *vocab_key(const struct vocab *v, int i);
const char *vocab_label(const struct vocab *v, int i);
/* "a, b, c": the known keys, for messages. Static storage per vocabulary. */
const char *vocab_list(const struct vocab *v);

/* ---- Partial dates ------------------------------------------------------ */

/* YYYY, YYYY-MM or YYYY-MM-DD. year == 0 means "no date"; month/day == 0
 * mean "not known". */
struct pdate {
	uint16_t year;
	uint8_t month;
	uint8_t day;
};

static inline bool pdate_is_set(struct pdate d)
{
	return d.year != 0;
}

/* Parses s (exactly one of the three forms, calendar-checked including leap
 * years; years 1000..9999). "" gives an unset date. On error sets
 * `bad date "S" (expected YYYY, YYYY-MM or YYYY-MM-DD)` or a more precise reason. */
int pdate_parse(const char *s, struct pdate *out, struct cb_err *err);
/* Writes the canonical form ("" when unset) into buf (11 bytes at least). */
char *pdate_format(struct pdate d, char *buf);
/* First and last day covered, as YYYYMMDD integers (2021 -> 20210101, 20211231).
 * Both 0 when unset. */
void pdate_span(struct pdate d, uint32_t *first, uint32_t *last);
/* Orders dates: unset first, then by first day, then a wider period first. */
int pdate_cmp(struct pdate a, struct pdate b);

/* ---- Lists -------------------------------------------------------------- */

struct strlist {
	char **items;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);
/* Splits a plain CSV list field on unescaped '|', undoing "\|" and "\\".
 * Items are trimmed of surrounding spaces; empty items are dropped. */
int strlist_parse(const char *s, struct strlist *out, struct cb_err *err);
/* Joins with '|', escaping '|' and '\' (exactly what strlist_parse reads). */
char *strlist_format(const struct strlist *l);

/* One act against the person. days < 0: not given. */
struct measure {
	int type; /* enum measure_type */
	int32_t days;
	char *fine;
	struct pdate date;
	char *article;
	char *court;
};

/* exam: -1 not said, 0 no, 1 yes. */
struct injury {
	int type; /* enum injury_type */
	char *body;
	char *note;
	int exam;
};

/* `type[:key=value]...` items separated by '|', e.g.
 * `admin_arrest:days=15:date=2021-04-26:article=KoAP 488|fine:fine=100 MRP`.
 * Measure keys: days, fine, date, article, court. Injury keys: body, note,
 * exam (yes/no). '\|', '\:' and '\\' escape. Errors name the bad part. */
int measures_parse(const char *s, struct measure **out, size_t *n, struct cb_err *err);
char *measures_format(const struct measure *m, size_t n);
int injuries_parse(const char *s, struct injury **out, size_t *n, struct cb_err *err);
char *injuries_format(const struct injury *inj, size_t n);
void measure_free(struct measure *m);
void injury_free(struct injury *i);

/* ---- Field facts -------------------------------------------------------
 * Every field and every part of a measure or an injury is described once,
 * here: its kind, its vocabulary, the index it is searched through, its
 * label. The codec, JSON, CSV, the store's index keys, the filter language
 * and the form all work from these tables. */

enum field_kind {
	KIND_TEXT, /* char *, "" or NULL when empty */
	KIND_LIST, /* struct strlist, `a|b` in CSV */
	KIND_VOCAB, /* int, a term of .vocab; .vocab_default when not given */
	KIND_DATE, /* struct pdate */
	KIND_NUMBER, /* whole number: id, rev, birth year; a part's days */
	KIND_MEASURES, /* struct measure[] */
	KIND_INJURIES, /* struct injury[] */
	KIND_TIME, /* int64_t unix seconds, YYYY-MM-DDTHH:MM:SSZ as text */
	KIND_YESNO, /* int: -1 not said, 0 no, 1 yes (an injury's exam) */
};

/* The secondary indexes: what the filter language, the facets and the
 * sorted list can use. The order is the order fields are listed in
 * messages; values are not stored anywhere (indexes are found by name). */
enum case_index {
	IDX_CITY,
	IDX_REGION,
	IDX_EVENT,
	IDX_MEASURE,
	IDX_INJURY,
	IDX_STATUS,
	IDX_VERIFICATION,
	IDX_LAWYER,
	IDX_DATE,
	IDX_HEARING,
	IDX_DAYS,
	IDX_NAME,
	IDX_SEX,
	IDX_CONFIDENTIALITY,
	IDX_SORTNAME,
	IDX_EXAM,
	IDX_NAME_SKEL,
	IDX__COUNT
};

/* How the values of an index become keys (index_key.h builds them). */
enum key_style {
	KEY_FOLDED, /* fold_text of the text, clipped to the key size */
	KEY_WORDS, /* fold_words of every field with this index: prefixes match */
	KEY_EXACT, /* the vocabulary key (of the field or of each item's part;
	            * a yes/no part gives "yes" or "no" when answered) */
	KEY_DATE, /* canonical partial date; filters take spans and ranges */
	KEY_DAYS, /* case_total_days as 4 bytes big-endian; every case */
	KEY_SORTNAME, /* folded display name of identified cases (sorting only) */
	KEY_SKELETON, /* skeleton_word of each name word (skeleton.h): cross-script names */
	KEY_PLACE, /* the place the value names in the gazetteer, else KEY_FOLDED
	            * (city, region: place.h) */
};

/* One part of a measure or an injury, at byte offset off in its struct. */
struct part_def {
	const char *name; /* the key in `type:key=value` and in JSON */
	const char *label; /* English label, translated when shown; a measure's
	                    * carry a gettext context ("measure part\004fine") */
	int kind; /* KIND_VOCAB (the type), TEXT, DATE, NUMBER or YESNO */
	const struct vocab *vocab; /* VOCAB: its terms; YESNO: the answers' keys */
	int max; /* KIND_NUMBER: largest value accepted */
	size_t off;
};

enum measure_part { MP_TYPE, MP_DAYS, MP_FINE, MP_DATE, MP_ARTICLE, MP_COURT, MP__COUNT };
enum injury_part { IP_TYPE, IP_BODY, IP_NOTE, IP_EXAM, IP__COUNT };

/* A kind of list item (measure or injury): its parts, part 0 being the type. */
struct item_def {
	const char *name; /* "measure", "injury" (messages) */
	const struct part_def *parts;
	int nparts;
	size_t size; /* sizeof the struct */
};

extern const struct item_def item_measure;
extern const struct item_def item_injury;

/* Resets item (of kind d) to "type 0, nothing given". Its strings must be freed already. */
void item_init(const struct item_def *d, void *item);
/* Frees the strings of an item (not the struct itself). */
void item_free(const struct item_def *d, void *item);
/* Deep copy of one item into uninitialised dst. */
void item_copy(const struct item_def *d, void *dst, const void *src);
/* Sets one part from its text form ("" clears it; the type cannot be
 * cleared). Errors name the problem, e.g. `bad days "x" (expected a whole
 * number 0..36500)`, `bad exam "maybe" (expected yes or no)`. The item is
 * unchanged on error. */
int item_set_part(const struct item_def *d, void *item, int part, const char *text,
    struct cb_err *err);
/* The text form of a part (what item_set_part reads back), malloc'd; "" when not given. */
char *item_get_part(const struct item_def *d, const void *item, int part);
/* True when the part holds a value (the type always does). */
bool item_has_part(const struct item_def *d, const void *item, int part);
/* Part index by key (ASCII case-insensitive) or by its label in the
 * interface language (case-folded), or -1. */
int item_part_find(const struct item_def *d, const char *name);
/* The label of part p in the interface language (a measure part's
 * without its gettext context when untranslated). */
const char *item_part_label(const struct item_def *d, int p);
/* Parses `type[:key=value]...|...` into a new array of items of kind d
 * (what measures_parse and injuries_parse do). */
int item_list_parse(const struct item_def *d, const char *s, void **out, size_t *n,
    struct cb_err *err);
/* The CSV form of n items of kind d (what measures_parse or
 * injuries_parse reads back), malloc'd. */
char *item_list_format(const struct item_def *d, const void *items, size_t n);

/* The same for one measure or one injury. */
int measure_set_part(struct measure *m, int part, const char *text, struct cb_err *err);
int injury_set_part(struct injury *inj, int part, const char *text, struct cb_err *err);

/* ---- The case ----------------------------------------------------------- */

/* Strings are NULL or "" when empty; both mean empty everywhere. */
struct case_record {
	uint64_t id; /* assigned by the store, never reused; 0 = not stored yet */
	uint32_t rev; /* +1 on every change */
	char *name; /* empty = unidentified person */
	char *name_latin;
	struct strlist aliases;
	int sex; /* enum sex */
	int birth_year; /* 0 = not known */
	struct strlist affiliation;
	char *event;
	struct pdate date;
	char *region;
	char *city;
	struct measure *measures;
	size_t n_measures;
	struct injury *injuries;
	size_t n_injuries;
	int status; /* enum case_status */
	int verification; /* enum verification */
	char *lawyer;
	struct pdate hearing;
	int confidentiality; /* enum confidentiality */
	struct strlist sources;
	char *notes;
	int64_t created; /* unix seconds, kept by the store */
	int64_t updated;
	char *updated_by; /* unix user */

	/* Encoded fields this version does not know (written by a newer
	 * casebook), kept verbatim so a rewrite does not lose them. Owned by
	 * the codec; opaque to everyone else. */
	unsigned char *unknown;
	size_t unknown_len;
};

/* Defaults: sex unknown, status open, verification unknown,
 * confidentiality internal, everything else empty. */
void case_init(struct case_record *c);
void case_free(struct case_record *c);
/* Deep copy; dst must not hold a live record. */
void case_copy(struct case_record *dst, const struct case_record *src);

enum case_field {
	FIELD_ID,
	FIELD_REV,
	FIELD_NAME,
	FIELD_NAME_LATIN,
	FIELD_ALIASES,
	FIELD_SEX,
	FIELD_BIRTH_YEAR,
	FIELD_AFFILIATION,
	FIELD_EVENT,
	FIELD_DATE,
	FIELD_REGION,
	FIELD_CITY,
	FIELD_MEASURES,
	FIELD_INJURIES,
	FIELD_STATUS,
	FIELD_VERIFICATION,
	FIELD_LAWYER,
	FIELD_HEARING,
	FIELD_CONFIDENTIALITY,
	FIELD_SOURCES,
	FIELD_NOTES,
	FIELD_CREATED,
	FIELD_UPDATED,
	FIELD_UPDATED_BY,
	FIELD__COUNT
};

struct field_def {
	const char *name; /* CSV column header, JSON key and FIELD=VALUE name */
	const char *label; /* English label, translated when shown */
	bool user_set; /* false for id, rev, created, updated, updated_by */
	int kind; /* enum field_kind */
	const struct vocab *vocab; /* KIND_VOCAB */
	int vocab_default; /* KIND_VOCAB: the value when not given */
	int index; /* enum case_index the field is searched through, or -1 */
	size_t off; /* byte offset of the value in struct case_record */
};

/* In enum case_field order: also the CSV column order of export. */
extern const struct field_def case_fields[FIELD__COUNT];

/* One secondary index: its name (the LMDB database and the filter field),
 * the field (and, for measures and injuries, the part) its keys come
 * from, how keys are made, and whether it filters and has facets. */
struct index_def {
	const char *name;
	int field; /* enum case_field */
	int part; /* part of each item, or -1 */
	int key; /* enum key_style */
	bool filter;
	bool facet;
};

extern const struct index_def case_indexes[IDX__COUNT];

/* The vocabulary of an index's values (KEY_EXACT), or NULL. */
const struct vocab *case_index_vocab(int idx);
/* The item kind of a measures or injuries field, or NULL. */
const struct item_def *case_field_items(int field);
/* The items of a measures or injuries field: the array and its length. */
const void *case_items(const struct case_record *c, int field, size_t *n);
/* Replaces the items of a measures or injuries field with deep copies of
 * items[0..n) (valid items, e.g. built with item_set_part). */
void case_set_items(struct case_record *c, int field, const void *items, size_t n);
/* The same, taking over arr (malloc'd, n valid items) instead of copying. */
void case_take_items(struct case_record *c, int field, void *arr, size_t n);

/* Field index by name (exact), or -1. */
int case_field_find(const char *name);
/* "name, name_latin, ...": the user-settable field names, for messages. */
const char *case_field_list(void);

/* Sets one field from its CSV text form (the same syntax as import).
 * "" clears it (vocabulary fields go back to their default). Errors name the
 * field: `city: ...`, `injuries: unknown injury type "bruses" (known: ...)`,
 * `birth_year: bad number "19x0"`. Read-only fields (id, rev, created,
 * updated, updated_by) are refused unless allow_internal is set (import of
 * exported files needs them). The record is unchanged on error. */
int case_set_field(struct case_record *c, int field, const char *value, bool allow_internal,
    struct cb_err *err);
/* Parses "FIELD=VALUE" and calls case_set_field (allow_internal false). */
int case_assign(struct case_record *c, const char *assignment, struct cb_err *err);
/* The field's CSV text form (what case_set_field reads back), malloc'd;
 * "" for empty. Timestamps as "YYYY-MM-DDTHH:MM:SSZ". */
char *case_get_field(const struct case_record *c, int field);

/* Whole-case rules that single fields cannot check (e.g. hearing date
 * and birth year plausible). 0 or CB_EINVAL with a message. */
int case_validate(const struct case_record *c, struct cb_err *err);

/* Total days of detention and administrative arrest over all measures. */
int case_total_days(const struct case_record *c);
/* The name to show: name, else name_latin, else the translated
 * "(unidentified)". Never NULL. */
const char *case_display_name(const struct case_record *c);
/* Initials for redacted output ("N. D."), "(unidentified)" when no name. malloc'd. */
char *case_initials(const struct case_record *c);

#endif
