/* case.c — the case model: partial dates, the tables of field facts
 * (case_fields, case_indexes), setting and getting fields from text,
 * validation. Vocabularies are in case_vocab.c, list fields (measures,
 * injuries) in case_items.c. */
#include "case.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/uchar.h>

#include "case_int.h"
#include "datefmt.h"
#include "text.h"
#include "util.h"

/* ---- Partial dates ------------------------------------------------------ */

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* True when s starts with exactly n ASCII digits; their value in *out. */
static bool digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Whether d is unset or a real calendar period; shared with the codec's checks. */
static bool pdate_valid(struct pdate d)
{
	if (d.year == 0)
		return d.month == 0 && d.day == 0;
	if (d.year < 1000 || d.year > 9999 || d.month > 12)
		return false;
	if (d.month == 0)
		return d.day == 0;
	return d.day <= days_in_month(d.year, d.month);
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD, calendar-checked; "" gives an unset date. */
int pdate_parse(const char *s, struct pdate *out, struct cb_err *err)
{
	struct pdate d = {0, 0, 0};
	unsigned y = 0, m = 0, day = 0;
	size_t len;

	s = str_or_empty(s);
	len = strlen(s);
	if (len == 0) {
		*out = d;
		return 0;
	}
	if ((len != 4 && len != 7 && len != 10) || !digits(s, 4, &y) ||
	    (len >= 7 && (s[4] != '-' || !digits(s + 5, 2, &m))) ||
	    (len == 10 && (s[7] != '-' || !digits(s + 8, 2, &day))))
		return cb_err_set(err, CB_EINVAL,
		    _("bad date \"%.64s\" (expected YYYY, YYYY-MM or YYYY-MM-DD)"), s);
	if (y < 1000)
		return cb_err_set(err, CB_EINVAL,
		    _("bad date \"%s\": year %u out of range (1000..9999)"), s, y);
	if (len >= 7 && (m < 1 || m > 12))
		return cb_err_set(err, CB_EINVAL, _("bad date \"%s\": month %u out of range"), s,
		    m);
	if (len == 10 && (day < 1 || day > days_in_month(y, m)))
		return cb_err_set(err, CB_EINVAL, _("bad date \"%s\": %04u-%02u has no day %u"), s,
		    y, m, day);
	d.year = (uint16_t)y;
	d.month = (uint8_t)m;
	d.day = (uint8_t)day;
	*out = d;
	return 0;
}

/* Writes the canonical form ("" when unset) into buf (11 bytes at least). */
/* Writes n decimal digits of v (zero-padded) at p; returns the end. */
static char *put_digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

char *pdate_format(struct pdate d, char *buf)
{
	/* By hand rather than snprintf: every date index key goes through here. */
	char *p = buf;

	if (pdate_is_set(d)) {
		p = put_digits(p, d.year % 10000u, 4);
		if (d.month) {
			*p++ = '-';
			p = put_digits(p, d.month % 100u, 2);
			if (d.day) {
				*p++ = '-';
				p = put_digits(p, d.day % 100u, 2);
			}
		}
	}
	*p = '\0';
	return buf;
}

/* First and last day covered as YYYYMMDD; both 0 when unset. */
void pdate_span(struct pdate d, uint32_t *first, uint32_t *last)
{
	unsigned m1, m2, d2;

	if (!pdate_is_set(d)) {
		*first = *last = 0;
		return;
	}
	m1 = d.month ? d.month : 1;
	m2 = d.month ? d.month : 12;
	d2 = d.day ? d.day : days_in_month(d.year, m2);
	*first = (uint32_t)d.year * 10000 + m1 * 100 + (d.day ? d.day : 1);
	*last = (uint32_t)d.year * 10000 + m2 * 100 + d2;
}

/* Unset first, then by first day, then the wider period first. */
int pdate_cmp(struct pdate a, struct pdate b)
{
	uint32_t af, al, bf, bl;

	if (!pdate_is_set(a) || !pdate_is_set(b))
		return (int)pdate_is_set(a) - (int)pdate_is_set(b);
	pdate_span(a, &af, &al);
	pdate_span(b, &bf, &bl);
	if (af != bf)
		return af < bf ? -1 : 1;
	if (al != bl)
		return al > bl ? -1 : 1;
	return 0;
}

/* ---- The case ----------------------------------------------------------- */

static void free_measures(struct measure *m, size_t n);
static void free_injuries(struct injury *inj, size_t n);

#define FLD(n, l, user, kind, voc, def, idx, member)                                               \
	{                                                                                          \
		n, l, user, kind, voc, def, idx, offsetof(struct case_record, member)              \
	}

const struct field_def case_fields[FIELD__COUNT] = {
    [FIELD_ID] = FLD("id", N_("ID"), false, KIND_NUMBER, NULL, 0, -1, id),
    [FIELD_REV] = FLD("rev", N_("Revision"), false, KIND_NUMBER, NULL, 0, -1, rev),
    [FIELD_NAME] = FLD("name", N_("Name"), true, KIND_TEXT, NULL, 0, IDX_NAME, name),
    [FIELD_NAME_LATIN] =
        FLD("name_latin", N_("Name (Latin)"), true, KIND_TEXT, NULL, 0, IDX_NAME, name_latin),
    [FIELD_ALIASES] =
        FLD("aliases", N_("Other spellings"), true, KIND_LIST, NULL, 0, IDX_NAME, aliases),
    [FIELD_SEX] = FLD("sex", N_("Sex"), true, KIND_VOCAB, &vocab_sex, SEX_UNKNOWN, IDX_SEX, sex),
    [FIELD_BIRTH_YEAR] =
        FLD("birth_year", N_("Year of birth"), true, KIND_NUMBER, NULL, 0, -1, birth_year),
    [FIELD_AFFILIATION] =
        FLD("affiliation", N_("Affiliation"), true, KIND_LIST, NULL, 0, -1, affiliation),
    [FIELD_EVENT] = FLD("event", N_("Event"), true, KIND_TEXT, NULL, 0, IDX_EVENT, event),
    [FIELD_DATE] = FLD("date", N_("Date"), true, KIND_DATE, NULL, 0, IDX_DATE, date),
    [FIELD_REGION] = FLD("region", N_("Region"), true, KIND_TEXT, NULL, 0, IDX_REGION, region),
    [FIELD_CITY] = FLD("city", N_("City"), true, KIND_TEXT, NULL, 0, IDX_CITY, city),
    [FIELD_MEASURES] =
        FLD("measures", N_("Measures"), true, KIND_MEASURES, NULL, 0, IDX_MEASURE, measures),
    [FIELD_INJURIES] =
        FLD("injuries", N_("Injuries"), true, KIND_INJURIES, NULL, 0, IDX_INJURY, injuries),
    [FIELD_STATUS] = FLD("status", N_("Status"), true, KIND_VOCAB, &vocab_status, STATUS_OPEN,
        IDX_STATUS, status),
    [FIELD_VERIFICATION] = FLD("verification", N_("Verification"), true, KIND_VOCAB,
        &vocab_verification, VERIF_UNKNOWN, IDX_VERIFICATION, verification),
    [FIELD_LAWYER] = FLD("lawyer", N_("Lawyer"), true, KIND_TEXT, NULL, 0, IDX_LAWYER, lawyer),
    [FIELD_HEARING] =
        FLD("hearing", N_("Next hearing"), true, KIND_DATE, NULL, 0, IDX_HEARING, hearing),
    [FIELD_CONFIDENTIALITY] = FLD("confidentiality", N_("Confidentiality"), true, KIND_VOCAB,
        &vocab_confidentiality, CONF_INTERNAL, IDX_CONFIDENTIALITY, confidentiality),
    [FIELD_SOURCES] = FLD("sources", N_("Sources"), true, KIND_LIST, NULL, 0, -1, sources),
    [FIELD_NOTES] = FLD("notes", N_("Notes"), true, KIND_TEXT, NULL, 0, -1, notes),
    [FIELD_CREATED] = FLD("created", N_("Created"), false, KIND_TIME, NULL, 0, -1, created),
    [FIELD_UPDATED] = FLD("updated", N_("Updated"), false, KIND_TIME, NULL, 0, -1, updated),
    [FIELD_UPDATED_BY] =
        FLD("updated_by", N_("Updated by"), false, KIND_TEXT, NULL, 0, -1, updated_by),
};

/* The indexes. Filter names are index names; `days` sums the measures. */
const struct index_def case_indexes[IDX__COUNT] = {
    [IDX_CITY] = {"city", FIELD_CITY, -1, KEY_PLACE, true, true},
    [IDX_REGION] = {"region", FIELD_REGION, -1, KEY_PLACE, true, true},
    [IDX_EVENT] = {"event", FIELD_EVENT, -1, KEY_FOLDED, true, true},
    [IDX_MEASURE] = {"measure", FIELD_MEASURES, MP_TYPE, KEY_EXACT, true, true},
    [IDX_INJURY] = {"injury", FIELD_INJURIES, IP_TYPE, KEY_EXACT, true, true},
    [IDX_STATUS] = {"status", FIELD_STATUS, -1, KEY_EXACT, true, true},
    [IDX_VERIFICATION] = {"verification", FIELD_VERIFICATION, -1, KEY_EXACT, true, true},
    [IDX_LAWYER] = {"lawyer", FIELD_LAWYER, -1, KEY_FOLDED, true, true},
    [IDX_DATE] = {"date", FIELD_DATE, -1, KEY_DATE, true, false},
    [IDX_HEARING] = {"hearing", FIELD_HEARING, -1, KEY_DATE, true, false},
    [IDX_DAYS] = {"days", FIELD_MEASURES, MP_DAYS, KEY_DAYS, true, false},
    [IDX_NAME] = {"name", FIELD_NAME, -1, KEY_WORDS, true, false},
    [IDX_SEX] = {"sex", FIELD_SEX, -1, KEY_EXACT, true, true},
    [IDX_CONFIDENTIALITY] = {"confidentiality", FIELD_CONFIDENTIALITY, -1, KEY_EXACT, true, true},
    [IDX_SORTNAME] = {"sortname", FIELD_NAME, -1, KEY_SORTNAME, false, false},
    [IDX_EXAM] = {"exam", FIELD_INJURIES, IP_EXAM, KEY_EXACT, true, false},
    [IDX_NAME_SKEL] = {"name_skel", FIELD_NAME, -1, KEY_SKELETON, false, false},
};

/* The item kind of a measures or injuries field, or NULL. */
const struct item_def *case_field_items(int field)
{
	if (field < 0 || field >= FIELD__COUNT)
		return NULL;
	switch (case_fields[field].kind) {
	case KIND_MEASURES:
		return &item_measure;
	case KIND_INJURIES:
		return &item_injury;
	default:
		return NULL;
	}
}

/* The items of a measures or injuries field. */
const void *case_items(const struct case_record *c, int field, size_t *n)
{
	bool m = case_fields[field].kind == KIND_MEASURES;

	*n = m ? c->n_measures : c->n_injuries;
	return m ? (const void *)c->measures : (const void *)c->injuries;
}

/* Frees the items of a measures or injuries field and takes arr in their place. */
void case_take_items(struct case_record *c, int field, void *arr, size_t n)
{
	if (case_fields[field].kind == KIND_MEASURES) {
		free_measures(c->measures, c->n_measures);
		c->measures = arr;
		c->n_measures = n;
	} else {
		free_injuries(c->injuries, c->n_injuries);
		c->injuries = arr;
		c->n_injuries = n;
	}
}

/* Replaces the items of a list-of-items field with copies. */
void case_set_items(struct case_record *c, int field, const void *items, size_t n)
{
	const struct item_def *d = case_field_items(field);
	unsigned char *arr = n ? xreallocarray(NULL, n, d->size) : NULL;

	for (size_t i = 0; i < n; i++)
		item_copy(d, arr + i * d->size, (const char *)items + i * d->size);
	case_take_items(c, field, arr, n);
}

/* The vocabulary of an index's values, or NULL. */
const struct vocab *case_index_vocab(int idx)
{
	const struct index_def *x = &case_indexes[idx];
	const struct item_def *d = case_field_items(x->field);

	if (x->key != KEY_EXACT)
		return NULL;
	return d ? d->parts[x->part].vocab : case_fields[x->field].vocab;
}

/* Defaults: sex unknown, status open, verification unknown, confidentiality internal. */
void case_init(struct case_record *c)
{
	memset(c, 0, sizeof *c);
	c->sex = SEX_UNKNOWN;
	c->status = STATUS_OPEN;
	c->verification = VERIF_UNKNOWN;
	c->confidentiality = CONF_INTERNAL;
}

static void free_measures(struct measure *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		measure_free(&m[i]);
	free(m);
}

static void free_injuries(struct injury *inj, size_t n)
{
	for (size_t i = 0; i < n; i++)
		injury_free(&inj[i]);
	free(inj);
}

/* Frees everything and leaves c case_init'ed, so a second call is harmless. */
void case_free(struct case_record *c)
{
	free(c->name);
	free(c->name_latin);
	strlist_free(&c->aliases);
	strlist_free(&c->affiliation);
	free(c->event);
	free(c->region);
	free(c->city);
	free_measures(c->measures, c->n_measures);
	free_injuries(c->injuries, c->n_injuries);
	free(c->lawyer);
	strlist_free(&c->sources);
	free(c->notes);
	free(c->updated_by);
	free(c->unknown);
	case_init(c);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void strlist_copy(struct strlist *dst, const struct strlist *src)
{
	dst->items = NULL;
	dst->n = 0;
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->items[i]);
}

/* Deep copy; dst must not hold a live record. */
void case_copy(struct case_record *dst, const struct case_record *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->name_latin = dup_or_null(src->name_latin);
	strlist_copy(&dst->aliases, &src->aliases);
	strlist_copy(&dst->affiliation, &src->affiliation);
	dst->event = dup_or_null(src->event);
	dst->region = dup_or_null(src->region);
	dst->city = dup_or_null(src->city);
	dst->measures = NULL;
	if (src->n_measures) {
		dst->measures = xreallocarray(NULL, src->n_measures, sizeof *dst->measures);
		for (size_t i = 0; i < src->n_measures; i++)
			item_copy(&item_measure, &dst->measures[i], &src->measures[i]);
	}
	dst->injuries = NULL;
	if (src->n_injuries) {
		dst->injuries = xreallocarray(NULL, src->n_injuries, sizeof *dst->injuries);
		for (size_t i = 0; i < src->n_injuries; i++)
			item_copy(&item_injury, &dst->injuries[i], &src->injuries[i]);
	}
	dst->lawyer = dup_or_null(src->lawyer);
	strlist_copy(&dst->sources, &src->sources);
	dst->notes = dup_or_null(src->notes);
	dst->updated_by = dup_or_null(src->updated_by);
	dst->unknown = NULL;
	if (src->unknown_len) {
		dst->unknown = xmalloc(src->unknown_len);
		memcpy(dst->unknown, src->unknown, src->unknown_len);
	} else {
		dst->unknown_len = 0;
	}
}

/* Field index by name (exact), or -1. */
int case_field_find(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < FIELD__COUNT; i++)
		if (strcmp(case_fields[i].name, name) == 0)
			return i;
	return -1;
}

/* "name, name_latin, ...": the user-settable field names. */
const char *case_field_list(void)
{
	static char list[512];

	if (!list[0]) {
		const char *names[FIELD__COUNT];
		int n = 0;
		for (int i = 0; i < FIELD__COUNT; i++)
			if (case_fields[i].user_set)
				names[n++] = case_fields[i].name;
		join_keys(list, sizeof list, names, n);
	}
	return list;
}

/* The current UTC year; re-read at most once an hour, since the store
 * validates every record it writes. */
static int current_year(void)
{
	static int year;
	static time_t until;
	time_t now = time(NULL);
	struct tm tm;

	if (year && now < until)
		return year;
	year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2100;
	until = now + 3600;
	return year;
}

#define BIRTH_YEAR_MIN 1900

/* Strict "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
static bool parse_time(const char *s, int64_t *out)
{
	unsigned y, mo, d, h, mi, se;
	struct tm tm;

	if (strlen(s) != 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se) ||
	    s[19] != 'Z')
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || se > 60)
		return false;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)se;
	*out = (int64_t)timegm(&tm);
	return true;
}

/* Parses digits only into an unsigned 64-bit number. */
bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned dgt = (unsigned)(*s - '0');
		if (v > (max - dgt) / 10)
			return false;
		v = v * 10 + dgt;
	}
	*out = v;
	return true;
}

/* The address of field f's value in c. */
static void *field_slot(const struct case_record *c, int f)
{
	return (char *)c + case_fields[f].off;
}

/* KIND_NUMBER: id, rev, birth year. */
static int set_number(struct case_record *c, int field, const char *v, struct cb_err *err)
{
	uint64_t n = 0;
	uint64_t max = field == FIELD_ID ? UINT64_MAX : field == FIELD_REV ? UINT32_MAX : 100000;
	int now = current_year();

	if (v[0] && !parse_u64(v, max, &n))
		return cb_err_set(err, CB_EINVAL, _("bad number \"%.64s\""), v);
	if (field == FIELD_ID) {
		c->id = n;
	} else if (field == FIELD_REV) {
		c->rev = (uint32_t)n;
	} else {
		if (v[0] && (n < BIRTH_YEAR_MIN || n > (uint64_t)now))
			return cb_err_set(err, CB_EINVAL,
			    _("%s is not a plausible year of birth (%d..%d)"), v, BIRTH_YEAR_MIN,
			    now);
		c->birth_year = (int)n;
	}
	return 0;
}

/* KIND_MEASURES, KIND_INJURIES: the `type:key=value|...` syntax. */
static int set_items_text(struct case_record *c, int field, const char *v, struct cb_err *err)
{
	void *arr;
	size_t n;
	int rc = item_list_parse(case_field_items(field), v, &arr, &n, err);

	if (rc == 0)
		case_take_items(c, field, arr, n);
	return rc;
}

/* The work of case_set_field on an already trimmed value, by the field's
 * kind; messages are prefixed with the field name by the caller. */
static int set_field(struct case_record *c, int field, const char *v, struct cb_err *err)
{
	const struct field_def *fd = &case_fields[field];
	void *at = field_slot(c, field);
	struct strlist tmp;
	int64_t t = 0;
	int rc, val;

	switch (fd->kind) {
	case KIND_TEXT:
		free(*(char **)at);
		*(char **)at = v[0] ? xstrdup(v) : NULL;
		return 0;
	case KIND_LIST:
		if ((rc = strlist_parse(v, &tmp, err)))
			return rc;
		strlist_free(at);
		*(struct strlist *)at = tmp;
		return 0;
	case KIND_VOCAB:
		val = fd->vocab_default;
		if (v[0] && (rc = vocab_parse(fd->vocab, v, &val, err)))
			return rc;
		*(int *)at = val;
		return 0;
	case KIND_DATE: /* typed: DD.MM.YYYY as well as ISO */
		return datefmt_parse(v, at, err);
	case KIND_MEASURES:
	case KIND_INJURIES:
		return set_items_text(c, field, v, err);
	case KIND_TIME:
		if (v[0] && !parse_time(v, &t))
			return cb_err_set(err, CB_EINVAL,
			    _("bad time \"%.64s\" (expected YYYY-MM-DDTHH:MM:SSZ, in UTC)"), v);
		*(int64_t *)at = t;
		return 0;
	case KIND_NUMBER:
		return set_number(c, field, v, err);
	default:
		return cb_err_set(err, CB_EINVAL, _("unknown field"));
	}
}

/* Sets one field from its CSV text form; the record is unchanged on error. */
int case_set_field(struct case_record *c, int field, const char *value, bool allow_internal,
    struct cb_err *err)
{
	const char *fname;
	char *v;
	size_t n;
	int rc;

	if (field < 0 || field >= FIELD__COUNT)
		return cb_err_set(err, CB_EINVAL, _("unknown field number %d"), field);
	fname = case_fields[field].name;
	if (!case_fields[field].user_set && !allow_internal)
		return cb_err_set(err, CB_EINVAL, _("%s: kept by casebook, it cannot be set"),
		    fname);
	value = str_or_empty(value);
	if (text_valid_len(value, strlen(value)) != strlen(value))
		return cb_err_set(err, CB_EINVAL,
		    _("%s: not valid UTF-8 text (save the file as UTF-8)"), fname);
	while (is_space((unsigned char)*value))
		value++;
	n = strlen(value);
	while (n > 0 && is_space((unsigned char)value[n - 1]))
		n--;
	/* Copy only when there is trailing space to cut. */
	v = value[n] ? xstrndup(value, n) : NULL;
	rc = set_field(c, field, v ? v : value, err);
	if (rc)
		cb_err_prefix(err, "%s", fname);
	free(v);
	return rc;
}

/* Parses "FIELD=VALUE" and sets the user field. */
int case_assign(struct case_record *c, const char *assignment, struct cb_err *err)
{
	const char *eq = strchr(str_or_empty(assignment), '=');
	char *name;
	int f;

	if (!eq)
		return cb_err_set(err, CB_EINVAL,
		    _("\"%.64s\": expected FIELD=VALUE, e.g. city=Almaty (fields: %s)"),
		    str_or_empty(assignment), case_field_list());
	name = unescape(assignment, (size_t)(eq - assignment), false);
	f = case_field_find(name);
	if (f < 0) {
		int rc = cb_err_set(err, CB_EINVAL, _("unknown field \"%.64s\" (fields: %s)"), name,
		    case_field_list());
		free(name);
		return rc;
	}
	free(name);
	return case_set_field(c, f, eq + 1, false, err);
}

/* The field's CSV text form, malloc'd; "" for empty. */
char *case_get_field(const struct case_record *c, int field)
{
	const struct field_def *fd;
	const void *at;
	char date[11];
	char when[TEXT_TIME_MAX];

	if (field < 0 || field >= FIELD__COUNT)
		return xstrdup("");
	fd = &case_fields[field];
	at = field_slot(c, field);
	switch (fd->kind) {
	case KIND_TEXT:
		return xstrdup(str_or_empty(*(char *const *)at));
	case KIND_LIST:
		return strlist_format(at);
	case KIND_VOCAB:
		return xstrdup(vocab_key(fd->vocab, *(const int *)at));
	case KIND_DATE:
		return xstrdup(pdate_format(*(const struct pdate *)at, date));
	case KIND_MEASURES:
		return measures_format(c->measures, c->n_measures);
	case KIND_INJURIES:
		return injuries_format(c->injuries, c->n_injuries);
	case KIND_TIME:
		return xstrdup(*(const int64_t *)at
		        ? text_time(when, *(const int64_t *)at, TEXT_TIME_UTC)
		        : "");
	default:
		break;
	}
	switch (field) {
	case FIELD_ID:
		return c->id ? xasprintf("%llu", (unsigned long long)c->id) : xstrdup("");
	case FIELD_REV:
		return c->rev ? xasprintf("%lu", (unsigned long)c->rev) : xstrdup("");
	default: /* FIELD_BIRTH_YEAR */
		return c->birth_year ? xasprintf("%d", c->birth_year) : xstrdup("");
	}
}

/* Whole-case rules that single fields cannot check. */
int case_validate(const struct case_record *c, struct cb_err *err)
{
	char d[11];

	if (c->sex < 0 || c->sex >= vocab_sex.count || c->status < 0 ||
	    c->status >= vocab_status.count || c->verification < 0 ||
	    c->verification >= vocab_verification.count || c->confidentiality < 0 ||
	    c->confidentiality >= vocab_confidentiality.count)
		return cb_err_set(err, CB_EINVAL, _("a vocabulary field holds an unknown value"));
	if (!pdate_valid(c->date) || !pdate_valid(c->hearing))
		return cb_err_set(err, CB_EINVAL, _("date: not a calendar date"));
	if (c->birth_year && (c->birth_year < BIRTH_YEAR_MIN || c->birth_year > current_year()))
		return cb_err_set(err, CB_EINVAL,
		    _("birth_year: %d is not a plausible year of birth"), c->birth_year);
	if (c->birth_year && pdate_is_set(c->date) && c->birth_year > c->date.year)
		return cb_err_set(err, CB_EINVAL,
		    _("birth_year: %d is after the date of the event (%s)"), c->birth_year,
		    pdate_format(c->date, d));
	if (c->birth_year && pdate_is_set(c->hearing) && c->birth_year > c->hearing.year)
		return cb_err_set(err, CB_EINVAL, _("birth_year: %d is after the hearing (%s)"),
		    c->birth_year, pdate_format(c->hearing, d));
	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		if (m->type < 0 || m->type >= vocab_measure.count ||
		    m->days > item_measure.parts[MP_DAYS].max || !pdate_valid(m->date))
			return cb_err_set(err, CB_EINVAL, _("measures: measure %zu is not valid"),
			    i + 1);
	}
	for (size_t i = 0; i < c->n_injuries; i++) {
		const struct injury *inj = &c->injuries[i];
		if (inj->type < 0 || inj->type >= vocab_injury.count || inj->exam < -1 ||
		    inj->exam > 1)
			return cb_err_set(err, CB_EINVAL, _("injuries: injury %zu is not valid"),
			    i + 1);
	}
	return 0;
}

/* Total days of detention and administrative arrest over all measures. */
int case_total_days(const struct case_record *c)
{
	int64_t total = 0;

	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		if ((m->type == MEASURE_DETENTION || m->type == MEASURE_ADMIN_ARREST) &&
		    m->days > 0)
			total += m->days;
	}
	return total > INT_MAX ? INT_MAX : (int)total;
}

/* The name to show: name, else name_latin, else "(unidentified)". */
const char *case_display_name(const struct case_record *c)
{
	if (!str_empty(c->name))
		return c->name;
	if (!str_empty(c->name_latin))
		return c->name_latin;
	return _("(unidentified)");
}

/* Initials for redacted output: "Ninagul DZHUMANIYAZOVA" -> "N. D.". */
char *case_initials(const struct case_record *c)
{
	const char *name = !str_empty(c->name) ? c->name : c->name_latin;
	const unsigned char *s = (const unsigned char *)str_or_empty(name);
	const unsigned char *end = s + strlen((const char *)s);
	struct buf b = {0};

	while (*s) {
		uint32_t cp;
		while (*s && is_space(*s))
			s++;
		if (!*s)
			break;
		size_t len = text_decode((const char *)s, (size_t)(end - s), &cp);
		if (b.len)
			buf_putc(&b, ' ');
		/* ICU's mapping does not depend on the process locale. */
		text_put_char(&b, (uint32_t)u_toupper((UChar32)cp));
		buf_putc(&b, '.');
		s += len;
		while (*s && !is_space(*s))
			s++;
	}
	if (!b.len) {
		buf_free(&b);
		return xstrdup(_("(unidentified)"));
	}
	return buf_steal(&b);
}
