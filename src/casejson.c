/* casejson.c — a case as a JSON object and back. Scalar values go through
 * case_set_field, so JSON import applies exactly the rules of CSV import. */
#include "casejson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- To JSON ------------------------------------------------------------ */

static void set_str(json_t *o, const char *key, const char *s)
{
	if (!str_empty(s))
		json_object_set_new(o, key, json_string(s));
}

static void set_list(json_t *o, const char *key, const struct strlist *l)
{
	json_t *a;

	if (l->n == 0)
		return;
	a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->items[i]));
	json_object_set_new(o, key, a);
}

/* A measure or an injury: its parts that hold a value, in table order. */
static json_t *item_json(const struct item_def *d, const void *item)
{
	json_t *o = json_object();

	for (int p = 0; p < d->nparts; p++) {
		const struct part_def *pd = &d->parts[p];
		const void *at = (const char *)item + pd->off;
		if (!item_has_part(d, item, p))
			continue;
		if (pd->kind == KIND_NUMBER) {
			json_object_set_new(o, pd->name, json_integer(*(const int32_t *)at));
		} else if (pd->kind == KIND_YESNO) {
			json_object_set_new(o, pd->name, json_boolean(*(const int *)at));
		} else {
			char *s = item_get_part(d, item, p);
			json_object_set_new(o, pd->name, json_string(s));
			free(s);
		}
	}
	return o;
}

/* An array of n items, or nothing when n is 0. */
static void set_items(json_t *o, const char *key, const struct item_def *d, const void *items,
    size_t n)
{
	json_t *a;

	if (!n)
		return;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, item_json(d, (const char *)items + i * d->size));
	json_object_set_new(o, key, a);
}

/* The case as a JSON object: keys in field order, empty fields omitted. */
json_t *casejson_from_case(const struct case_record *c)
{
	json_t *o = json_object();

	for (int f = 0; f < FIELD__COUNT; f++) {
		const char *key = case_fields[f].name;
		char *s;
		switch (f) {
		case FIELD_ID:
			if (c->id)
				json_object_set_new(o, key, json_integer((json_int_t)c->id));
			break;
		case FIELD_REV:
			if (c->rev)
				json_object_set_new(o, key, json_integer((json_int_t)c->rev));
			break;
		case FIELD_BIRTH_YEAR:
			if (c->birth_year)
				json_object_set_new(o, key, json_integer(c->birth_year));
			break;
		case FIELD_ALIASES:
		case FIELD_AFFILIATION:
		case FIELD_SOURCES:
			set_list(o, key,
			    (const struct strlist *)((const char *)c + case_fields[f].off));
			break;
		case FIELD_MEASURES:
			set_items(o, key, &item_measure, c->measures, c->n_measures);
			break;
		case FIELD_INJURIES:
			set_items(o, key, &item_injury, c->injuries, c->n_injuries);
			break;
		default:
			/* Text, vocabulary, dates and timestamps: their CSV form. */
			s = case_get_field(c, f);
			set_str(o, key, s);
			free(s);
			break;
		}
	}
	return o;
}

/* ---- From JSON ---------------------------------------------------------- */

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return _("an object");
	case JSON_ARRAY:
		return _("an array");
	case JSON_STRING:
		return _("a string");
	case JSON_INTEGER:
		return _("a whole number");
	case JSON_REAL:
		return _("a number with a fraction");
	case JSON_TRUE:
	case JSON_FALSE:
		return _("true or false");
	default:
		return _("null");
	}
}

static int type_error(struct cb_err *err, const char *key, const char *want, const json_t *v)
{
	return cb_err_set(err, CB_EINVAL, _("%s: expected %s, got %s"), key, want,
	    json_type_name(v));
}

/* The string of a JSON string value, refusing embedded NUL (JSON allows \u0000). */
static int text_of(const json_t *v, const char *key, const char **out, struct cb_err *err)
{
	if (!json_is_string(v))
		return type_error(err, key, _("a string"), v);
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v))
		return cb_err_set(err, CB_EINVAL, _("%s: text contains a NUL character"), key);
	return 0;
}

/* A trimmed copy, or NULL when empty. */
static char *trimmed(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (
	    n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

static int list_from(const json_t *v, struct strlist *out, struct cb_err *err)
{
	struct strlist tmp = {NULL, 0};
	size_t i;
	json_t *item;
	int rc;

	json_array_foreach(v, i, item)
	{
		const char *s;
		char what[64];
		snprintf(what, sizeof what, _("item %zu"), i + 1);
		if ((rc = text_of(item, what, &s, err))) {
			strlist_free(&tmp);
			return rc;
		}
		char *t = trimmed(s);
		if (t) {
			strlist_add(&tmp, t);
			free(t);
		}
	}
	strlist_free(out);
	*out = tmp;
	return 0;
}

/* "type, days, fine, ...": the JSON keys of an item, for messages. */
static char *part_names(const struct item_def *d)
{
	struct buf b = {0};

	for (int p = 0; p < d->nparts; p++) {
		if (p)
			buf_puts(&b, ", ");
		buf_puts(&b, d->parts[p].name);
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

/* Sets part p of item from JSON value v (keyed key). */
static int part_from(const struct item_def *d, void *item, int p, const char *key, const json_t *v,
    struct cb_err *err)
{
	const struct part_def *pd = &d->parts[p];
	void *at = (char *)item + pd->off;
	const char *s;
	int rc;

	switch (pd->kind) {
	case KIND_NUMBER:
		if (!json_is_integer(v))
			return type_error(err, key, _("a whole number"), v);
		if (json_integer_value(v) < 0 || json_integer_value(v) > pd->max)
			return cb_err_set(err, CB_EINVAL, _("bad %s %lld (expected 0..%d)"), key,
			    (long long)json_integer_value(v), pd->max);
		*(int32_t *)at = (int32_t)json_integer_value(v);
		return 0;
	case KIND_YESNO:
		if (!json_is_boolean(v))
			return type_error(err, key, _("true or false"), v);
		*(int *)at = json_is_true(v);
		return 0;
	default:
		if ((rc = text_of(v, key, &s, err)))
			return rc;
		return item_set_part(d, item, p, s, err);
	}
}

/* A measure or an injury from a JSON object; unknown keys are an error. */
static int item_from(const struct item_def *d, const json_t *o, void *item, struct cb_err *err)
{
	const char *key;
	json_t *v;
	int rc = 0;
	bool typed = false;

	item_init(d, item);
	if (!json_is_object(o))
		return cb_err_set(err, CB_EINVAL, _("expected an object, got %s"),
		    json_type_name(o));
	json_object_foreach((json_t *)o, key, v)
	{
		int p = -1;
		if (json_is_null(v))
			continue;
		for (int i = 0; i < d->nparts && p < 0; i++)
			if (strcmp(key, d->parts[i].name) == 0)
				p = i;
		if (p < 0) {
			char *known = part_names(d);
			rc = cb_err_set(err, CB_EINVAL, _("unknown key \"%.64s\" (known: %s)"), key,
			    known);
			free(known);
			break;
		}
		typed |= p == 0;
		if ((rc = part_from(d, item, p, key, v, err)))
			break;
	}
	if (!rc && !typed)
		rc = cb_err_set(err, CB_EINVAL, _("missing \"type\" (known: %s)"),
		    vocab_list(d->parts[0].vocab));
	if (rc)
		item_free(d, item);
	return rc;
}

/* Replaces the measures or injuries (field f) of c with a JSON array's items. */
static int items_from(const json_t *v, struct case_record *c, int f, struct cb_err *err)
{
	const struct item_def *d = case_field_items(f);
	size_t n = json_array_size(v), i;
	unsigned char *arr = n ? xreallocarray(NULL, n, d->size) : NULL;
	json_t *item;
	int rc;

	json_array_foreach(v, i, item)
	{
		if ((rc = item_from(d, item, arr + i * d->size, err))) {
			size_t bad = i + 1;
			while (i-- > 0)
				item_free(d, arr + i * d->size);
			free(arr);
			cb_err_prefix(err, "%s %zu", _(d->name), bad);
			return rc;
		}
	}
	case_take_items(c, f, arr, n);
	return 0;
}

static const char *all_fields(void)
{
	static char list[512];

	if (!list[0]) {
		size_t len = 0;
		for (int i = 0; i < FIELD__COUNT && len + 1 < sizeof list; i++) {
			int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
			    case_fields[i].name);
			if (w < 0)
				break;
			len += (size_t)w;
		}
	}
	return list;
}

static int field_from(struct case_record *c, int f, const json_t *v, struct cb_err *err)
{
	const char *name = case_fields[f].name;
	const char *s;
	char num[32];
	int rc;

	if (json_is_null(v))
		return case_set_field(c, f, "", true, err);
	switch (f) {
	case FIELD_ALIASES:
	case FIELD_AFFILIATION:
	case FIELD_SOURCES:
		if (json_is_array(v)) {
			struct strlist *l = (struct strlist *)((char *)c + case_fields[f].off);
			if ((rc = list_from(v, l, err)))
				cb_err_prefix(err, "%s", name);
			return rc;
		}
		break;
	case FIELD_MEASURES:
	case FIELD_INJURIES:
		if (json_is_array(v)) {
			rc = items_from(v, c, f, err);
			if (rc)
				cb_err_prefix(err, "%s", name);
			return rc;
		}
		break;
	case FIELD_ID:
	case FIELD_REV:
	case FIELD_BIRTH_YEAR:
		if (json_is_integer(v)) {
			if (json_integer_value(v) < 0)
				return cb_err_set(err, CB_EINVAL, _("%s: bad number %lld"), name,
				    (long long)json_integer_value(v));
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			return case_set_field(c, f, num, true, err);
		}
		break;
	default:
		break;
	}
	/* Every field also takes its CSV text form. */
	if ((rc = text_of(v, name, &s, err)))
		return rc;
	return case_set_field(c, f, s, true, err);
}

/* Builds a case from a JSON object; unknown keys are an error naming them. */
int casejson_to_case(const json_t *obj, struct case_record *out, struct cb_err *err)
{
	const char *key;
	json_t *v;
	int rc;

	case_init(out);
	if (!json_is_object(obj))
		return type_error(err, _("case"), _("an object"), obj);
	json_object_foreach((json_t *)obj, key, v)
	{
		int f = case_field_find(key);
		/* `show --json` adds the case's person: a link the store keeps,
		 * not a field; reading that output back ignores it. */
		if (f < 0 && strcmp(key, "person") == 0)
			continue;
		if (f < 0) {
			rc = cb_err_set(err, CB_EINVAL, _("unknown field \"%.64s\" (fields: %s)"),
			    key, all_fields());
			case_free(out);
			return rc;
		}
		if ((rc = field_from(out, f, v, err))) {
			case_free(out);
			return rc;
		}
	}
	return 0;
}
