/* case_items.c — the list fields of the case model: plain lists (`a|b`)
 * and the measures and injuries, whose parts are described once in
 * item_measure and item_injury and read, written, parsed and formatted
 * from those tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "case_int.h"
#include "datefmt.h"
#include "fold.h"
#include "util.h"

/* ---- Lists -------------------------------------------------------------- */

/* Appends a copy of s. */
void strlist_add(struct strlist *l, const char *s)
{
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	l->items[l->n++] = xstrdup(s);
}

static void strlist_take(struct strlist *l, char *s)
{
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	l->items[l->n++] = s;
}

/* Frees the items and leaves an empty list. */
void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* End of the segment starting at s: the first sep not escaped by '\'. */
static const char *seg_end(const char *s, const char *end, char sep)
{
	while (s < end && *s != sep)
		s += (*s == '\\' && s + 1 < end) ? 2 : 1;
	return s;
}

/* A trimmed, unescaped copy of s[0..n): "\|", "\\" and, with colon, "\:"
 * become the character; any other backslash stays as written. */
char *unescape(const char *s, size_t n, bool colon)
{
	char *out, *o;

	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	out = o = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '|' || s[i + 1] == '\\' || (colon && s[i + 1] == ':')))
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static void put_escaped(struct buf *b, const char *s, bool colon)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || (colon && *s == ':'))
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*s);
	}
}

/* Splits a plain list on unescaped '|'; items trimmed, empty ones dropped. */
int strlist_parse(const char *s, struct strlist *out, struct cb_err *err)
{
	const char *p, *end, *e;

	(void)err;
	out->items = NULL;
	out->n = 0;
	if (!s)
		return 0;
	end = s + strlen(s);
	for (p = s;; p = e + 1) {
		e = seg_end(p, end, '|');
		char *item = unescape(p, (size_t)(e - p), false);
		if (item[0])
			strlist_take(out, item);
		else
			free(item);
		if (e >= end)
			break;
	}
	return 0;
}

/* Joins with '|', escaping '|' and '\'. */
char *strlist_format(const struct strlist *l)
{
	struct buf b = {0};

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_putc(&b, '|');
		put_escaped(&b, l->items[i], false);
	}
	return buf_steal(&b);
}

/* ---- Measures and injuries ---------------------------------------------- */

/* Longest arrest or detention accepted: a sanity bound (100 years). */
#define DAYS_MAX 36500

/* A label with a gettext context (msgctxt), for words that mean something
 * else elsewhere: a measure's "fine" is its amount, not the measure. */
#define NC_(ctx, s) ctx "\004" s

#define PART(n, l, k, v, max, type, member)                                                        \
	{                                                                                          \
		n, l, k, v, max, offsetof(type, member)                                            \
	}

static const struct part_def measure_parts[MP__COUNT] = {
    [MP_TYPE] = PART("type", NC_("measure part", "type"), KIND_VOCAB, &vocab_measure, 0,
        struct measure, type),
    [MP_DAYS] = PART("days", NC_("measure part", "days"), KIND_NUMBER, NULL, DAYS_MAX,
        struct measure, days),
    [MP_FINE] = PART("fine", NC_("measure part", "fine"), KIND_TEXT, NULL, 0, struct measure, fine),
    [MP_DATE] = PART("date", NC_("measure part", "date"), KIND_DATE, NULL, 0, struct measure, date),
    [MP_ARTICLE] = PART("article", NC_("measure part", "article"), KIND_TEXT, NULL, 0,
        struct measure, article),
    [MP_COURT] =
        PART("court", NC_("measure part", "court"), KIND_TEXT, NULL, 0, struct measure, court),
};

static const struct part_def injury_parts[IP__COUNT] = {
    [IP_TYPE] = PART("type", N_("type"), KIND_VOCAB, &vocab_injury, 0, struct injury, type),
    [IP_BODY] = PART("body", N_("body"), KIND_TEXT, NULL, 0, struct injury, body),
    [IP_NOTE] = PART("note", N_("note"), KIND_TEXT, NULL, 0, struct injury, note),
    [IP_EXAM] = PART("exam", N_("exam"), KIND_YESNO, &vocab_exam, 0, struct injury, exam),
};

const struct item_def item_measure = {N_("measure"), measure_parts, MP__COUNT,
    sizeof(struct measure)};
const struct item_def item_injury = {N_("injury"), injury_parts, IP__COUNT, sizeof(struct injury)};

/* The address of part p's value in item. */
static void *slot(const struct item_def *d, const void *item, int p)
{
	return (char *)item + d->parts[p].off;
}

/* Resets an item to type 0 with nothing given. */
void item_init(const struct item_def *d, void *item)
{
	memset(item, 0, d->size);
	for (int p = 0; p < d->nparts; p++) {
		if (d->parts[p].kind == KIND_NUMBER)
			*(int32_t *)slot(d, item, p) = -1;
		else if (d->parts[p].kind == KIND_YESNO)
			*(int *)slot(d, item, p) = -1;
	}
}

/* Frees the strings of an item (not the struct itself). */
void item_free(const struct item_def *d, void *item)
{
	for (int p = 0; p < d->nparts; p++) {
		if (d->parts[p].kind == KIND_TEXT) {
			char **s = slot(d, item, p);
			free(*s);
			*s = NULL;
		}
	}
}

/* Deep copy of one item. */
void item_copy(const struct item_def *d, void *dst, const void *src)
{
	memcpy(dst, src, d->size);
	for (int p = 0; p < d->nparts; p++) {
		if (d->parts[p].kind == KIND_TEXT) {
			char **s = slot(d, dst, p);
			*s = *s ? xstrdup(*s) : NULL;
		}
	}
}

/* Frees the strings of a measure (not the struct itself). */
void measure_free(struct measure *m)
{
	item_free(&item_measure, m);
}

/* Frees the strings of an injury (not the struct itself). */
void injury_free(struct injury *i)
{
	item_free(&item_injury, i);
}

/* The translated label of part p; untranslated, the English label
 * without its gettext context. */
const char *item_part_label(const struct item_def *d, int p)
{
	const char *s = d->parts[p].label, *t = gettext(s), *c;

	if (t != s)
		return t;
	c = strchr(s, '\004');
	return c ? c + 1 : s;
}

/* Part labels in Russian and Kazakh (as po/ru.po and po/kk.po give them;
 * tests/unit/test_case.c checks they agree), read whatever the interface
 * language: an office file in Russian imports under a Kazakh interface. */
static const struct {
	const struct part_def *parts;
	int p;
	const char *names[2];
} part_names[] = {
    {measure_parts, MP_TYPE, {"вид", "түрі"}},
    {measure_parts, MP_DAYS, {"сутки", "тәулік"}},
    {measure_parts, MP_FINE, {"штраф", "айыппұл"}},
    {measure_parts, MP_DATE, {"дата", "күні"}},
    {measure_parts, MP_ARTICLE, {"статья", "бап"}},
    {measure_parts, MP_COURT, {"суд", "сот"}},
    {injury_parts, IP_TYPE, {"вид", "түрі"}},
    {injury_parts, IP_BODY, {"часть тела", "дене бөлігі"}},
    {injury_parts, IP_NOTE, {"примечание", "ескертпе"}},
    {injury_parts, IP_EXAM, {"экспертиза", "сараптама"}},
};

/* True when label, folded, is the folded text fs. */
static bool folded_is(const char *fs, const char *label)
{
	char *b = fold_text(label);
	bool eq = strcmp(fs, b) == 0;

	free(b);
	return eq;
}

/* Which of names[0..n) the folded text fs is, or -1. */
static int folded_which(const char *fs, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (folded_is(fs, names[i]))
			return i;
	return -1;
}

/* The part the n bytes at s name: a part's key (ASCII case-insensitive),
 * else its label in the interface language, Russian or Kazakh (case-folded),
 * so what `casebook show` prints in any of them reads back; -1 otherwise. */
static int part_named(const struct item_def *d, const char *s, size_t n)
{
	for (int p = 0; p < d->nparts; p++)
		if (strlen(d->parts[p].name) == n && strncasecmp(s, d->parts[p].name, n) == 0)
			return p;
	char *t = xstrndup(s, n), *fs = fold_text(t);
	int found = -1;
	for (int p = 0; p < d->nparts && found < 0; p++) {
		const char *l = item_part_label(d, p);
		if (strcmp(l, d->parts[p].name) != 0 && folded_is(fs, l))
			found = p;
	}
	for (size_t i = 0; i < sizeof part_names / sizeof part_names[0] && found < 0; i++)
		if (part_names[i].parts == d->parts &&
		    folded_which(fs, part_names[i].names, 2) >= 0)
			found = part_names[i].p;
	free(t);
	free(fs);
	return found;
}

/* Part index by key or translated label, or -1. */
int item_part_find(const struct item_def *d, const char *name)
{
	return part_named(d, str_or_empty(name), strlen(str_or_empty(name)));
}

/* An exam answer: yes or no, their label in the interface language, or in
 * Russian or Kazakh (да, нет; иә, жоқ). 1, 0, or -1 when it is neither. */
static int yesno_read(const struct vocab *v, const char *s)
{
	/* Russian and Kazakh whatever the interface language (po/ru.po, kk.po). */
	static const char *const yes[] = {"yes", "да", "иә"}, *const no[] = {"no", "нет", "жоқ"};
	char *fs = fold_text(s);
	int answer = -1;

	if (folded_is(fs, vocab_label(v, 0)) || folded_which(fs, yes, 3) >= 0)
		answer = 1;
	else if (folded_is(fs, vocab_label(v, 1)) || folded_which(fs, no, 3) >= 0)
		answer = 0;
	free(fs);
	return answer;
}

/* The work of item_set_part on a trimmed value. */
static int set_part(const struct item_def *d, void *item, int p, const char *v, struct cb_err *err)
{
	const struct part_def *pd = &d->parts[p];
	void *at = slot(d, item, p);
	struct pdate date;
	uint64_t n;
	int rc, i;

	switch (pd->kind) {
	case KIND_VOCAB:
		if ((rc = vocab_parse(pd->vocab, v, &i, err)))
			return rc;
		*(int *)at = i;
		return 0;
	case KIND_NUMBER:
		if (v[0] && !parse_u64(v, (uint64_t)pd->max, &n))
			return cb_err_set(err, CB_EINVAL,
			    _("bad %s \"%.64s\" (expected a whole number 0..%d)"), pd->name, v,
			    pd->max);
		*(int32_t *)at = v[0] ? (int32_t)n : -1;
		return 0;
	case KIND_DATE:
		if ((rc = datefmt_parse(v, &date, err)))
			return rc;
		*(struct pdate *)at = date;
		return 0;
	case KIND_YESNO:
		i = v[0] ? yesno_read(pd->vocab, v) : -1;
		if (v[0] && i < 0)
			return cb_err_set(err, CB_EINVAL,
			    _("bad %s \"%.64s\" (expected yes or no)"), pd->name, v);
		*(int *)at = i;
		return 0;
	default:
		free(*(char **)at);
		*(char **)at = v[0] ? xstrdup(v) : NULL;
		return 0;
	}
}

/* Sets one part from its text form; the item is unchanged on error. */
int item_set_part(const struct item_def *d, void *item, int part, const char *text,
    struct cb_err *err)
{
	if (part < 0 || part >= d->nparts)
		return cb_err_set(err, CB_EINVAL, _("unknown part number %d"), part);
	const char *s = str_or_empty(text);
	size_t n;

	while (is_space((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	char *v = xstrndup(s, n);
	int rc = set_part(d, item, part, v, err);
	free(v);
	return rc;
}

/* Sets one part of a measure from text. */
int measure_set_part(struct measure *m, int part, const char *text, struct cb_err *err)
{
	return item_set_part(&item_measure, m, part, text, err);
}

/* Sets one part of an injury from text. */
int injury_set_part(struct injury *inj, int part, const char *text, struct cb_err *err)
{
	return item_set_part(&item_injury, inj, part, text, err);
}

/* True when the part holds a value. */
bool item_has_part(const struct item_def *d, const void *item, int part)
{
	const void *at = slot(d, item, part);

	switch (d->parts[part].kind) {
	case KIND_NUMBER:
		return *(const int32_t *)at >= 0;
	case KIND_YESNO:
		return *(const int *)at >= 0;
	case KIND_DATE:
		return pdate_is_set(*(const struct pdate *)at);
	case KIND_TEXT:
		return !str_empty(*(char *const *)at);
	default:
		return true;
	}
}

/* The text form of a part, malloc'd. */
char *item_get_part(const struct item_def *d, const void *item, int part)
{
	const struct part_def *pd = &d->parts[part];
	const void *at = slot(d, item, part);
	char date[11];

	if (!item_has_part(d, item, part))
		return xstrdup("");
	switch (pd->kind) {
	case KIND_VOCAB:
		return xstrdup(vocab_key(pd->vocab, *(const int *)at));
	case KIND_NUMBER:
		return xasprintf("%d", (int)*(const int32_t *)at);
	case KIND_YESNO:
		return xstrdup(*(const int *)at ? "yes" : "no");
	case KIND_DATE:
		return xstrdup(pdate_format(*(const struct pdate *)at, date));
	default:
		return xstrdup(*(char *const *)at);
	}
}

/* One `key=value` part of an item [p,q) (not the type). Returns the part
 * index, or a negative code with err set. */
static int item_key(const struct item_def *d, const char *p, const char *q, const char *type,
    unsigned *seen, char **val, struct cb_err *err)
{
	const char *eq = memchr(p, '=', (size_t)(q - p));
	char *key = unescape(p, (size_t)((eq ? eq : q) - p), true);
	int k = item_part_find(d, key);

	*val = NULL;
	if (!eq) {
		int rc = cb_err_set(err, CB_EINVAL,
		    _("%s: part \"%.64s\" has no value (expected key=value)"), type, key);
		free(key);
		return rc;
	}
	if (k <= 0) {
		const char *names[16];
		char known[256];
		for (int i = 1; i < d->nparts; i++)
			names[i - 1] = d->parts[i].name;
		join_keys(known, sizeof known, names, d->nparts - 1);
		int rc = cb_err_set(err, CB_EINVAL, _("%s: unknown key \"%.64s\" (%s keys: %s)"),
		    type, key, _(d->name), known);
		free(key);
		return rc;
	}
	free(key);
	if (*seen & (1u << k))
		return cb_err_set(err, CB_EINVAL, _("%s: duplicate key \"%s\""), type,
		    d->parts[k].name);
	*seen |= 1u << k;
	*val = unescape(eq + 1, (size_t)(q - eq - 1), true);
	return k;
}

/* True when the part [p,q) is only white space (e.g. a trailing ':'). */
static bool blank(const char *p, const char *q)
{
	while (p < q && is_space((unsigned char)*p))
		p++;
	return p == q;
}

/* Whether the text after a ':' at p (up to e) starts a new part: a known
 * part's name and '=' (spaces allowed around the name), or nothing but
 * white space (a trailing ':'). Any other colon belongs to the value. */
static bool starts_part(const struct item_def *d, const char *p, const char *e)
{
	const char *k, *ke;

	while (p < e && is_space((unsigned char)*p))
		p++;
	if (p == e)
		return true;
	for (k = p; p < e && *p != '=' && *p != ':'; p++)
		;
	if (p == e || *p != '=')
		return false;
	for (ke = p; ke > k && is_space((unsigned char)ke[-1]); ke--)
		;
	return part_named(d, k, (size_t)(ke - k)) >= 1;
}

/* The end of the part that starts at p: the next unescaped ':' that
 * starts a part, or e. */
static const char *part_end(const struct item_def *d, const char *p, const char *e)
{
	const char *q = seg_end(p, e, ':');

	while (q < e && !starts_part(d, q + 1, e))
		q = seg_end(q + 1, e, ':');
	return q;
}

/* Parses one `type[:key=value]...` item [p,e) into item. Only ":key="
 * with a known part's key starts a part, so values keep the colons
 * people write ("в 23:10", "ст. 488 ч. 6: повторно"). */
static int item_parse(const struct item_def *d, const char *p, const char *e, void *item,
    struct cb_err *err)
{
	const char *q = seg_end(p, e, ':');
	char *type = unescape(p, (size_t)(q - p), true);
	unsigned seen = 0;
	int rc = 0;

	item_init(d, item);
	if (!type[0]) {
		rc = cb_err_set(err, CB_EINVAL, _("\"%.*s\": missing %s type (known: %s)"),
		    (int)(e - p > 64 ? 64 : e - p), p, _(d->name), vocab_list(d->parts[0].vocab));
		goto out;
	}
	if ((rc = set_part(d, item, 0, type, err)))
		goto out;
	while (q < e) {
		char *val;
		p = q + 1;
		q = part_end(d, p, e);
		if (blank(p, q))
			continue;
		int k = item_key(d, p, q, type, &seen, &val, err);
		if (k < 0) {
			rc = k;
			goto out;
		}
		if ((rc = set_part(d, item, k, val, err)))
			cb_err_prefix(err, "%s", type);
		free(val);
		if (rc)
			goto out;
	}
out:
	free(type);
	if (rc)
		item_free(d, item);
	return rc;
}

/* Splits s on unescaped '|' and parses each non-blank item into a new
 * array; frees everything on error. */
int item_list_parse(const struct item_def *d, const char *s, void **out, size_t *n,
    struct cb_err *err)
{
	const char *p, *e, *end;
	unsigned char *arr = NULL;
	size_t cnt = 0;

	*out = NULL;
	*n = 0;
	s = str_or_empty(s);
	end = s + strlen(s);
	for (p = s;; p = e + 1) {
		e = seg_end(p, end, '|');
		if (!blank(p, e)) {
			arr = xreallocarray(arr, cnt + 1, d->size);
			int rc = item_parse(d, p, e, arr + cnt * d->size, err);
			if (rc) {
				for (size_t i = 0; i < cnt; i++)
					item_free(d, arr + i * d->size);
				free(arr);
				return rc;
			}
			cnt++;
		}
		if (e >= end)
			break;
	}
	*out = arr;
	*n = cnt;
	return 0;
}

/* The CSV form of n items: exactly what parse_items reads back. */
char *item_list_format(const struct item_def *d, const void *items, size_t n)
{
	struct buf b = {0};

	for (size_t i = 0; i < n; i++) {
		const void *it = (const char *)items + i * d->size;
		if (i)
			buf_putc(&b, '|');
		for (int p = 0; p < d->nparts; p++) {
			if (!item_has_part(d, it, p))
				continue;
			char *v = item_get_part(d, it, p);
			if (p) {
				buf_putc(&b, ':');
				buf_puts(&b, d->parts[p].name);
				buf_putc(&b, '=');
			}
			put_escaped(&b, v, true);
			free(v);
		}
	}
	return buf_steal(&b);
}

/* Parses `type[:key=value]...|...` into a new array of measures. */
int measures_parse(const char *s, struct measure **out, size_t *n, struct cb_err *err)
{
	void *arr;
	int rc = item_list_parse(&item_measure, s, &arr, n, err);

	*out = arr;
	return rc;
}

/* Parses `type[:key=value]...|...` into a new array of injuries. */
int injuries_parse(const char *s, struct injury **out, size_t *n, struct cb_err *err)
{
	void *arr;
	int rc = item_list_parse(&item_injury, s, &arr, n, err);

	*out = arr;
	return rc;
}

/* The CSV form of measures: exactly what measures_parse reads back. */
char *measures_format(const struct measure *m, size_t n)
{
	return item_list_format(&item_measure, m, n);
}

/* The CSV form of injuries: exactly what injuries_parse reads back. */
char *injuries_format(const struct injury *inj, size_t n)
{
	return item_list_format(&item_injury, inj, n);
}
