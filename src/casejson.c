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

static void set_date(json_t *o, const char *key, struct pdate d)
{
	char buf[11];

	if (pdate_is_set(d))
		json_object_set_new(o, key, json_string(pdate_format(d, buf)));
}

static json_t *measure_json(const struct measure *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(vocab_key(&vocab_measure, m->type)));
	if (m->days >= 0)
		json_object_set_new(o, "days", json_integer(m->days));
	set_str(o, "fine", m->fine);
	set_date(o, "date", m->date);
	set_str(o, "article", m->article);
	set_str(o, "court", m->court);
	return o;
}

static json_t *injury_json(const struct injury *inj)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(vocab_key(&vocab_injury, inj->type)));
	set_str(o, "body", inj->body);
	set_str(o, "note", inj->note);
	if (inj->exam >= 0)
		json_object_set_new(o, "exam", json_boolean(inj->exam));
	return o;
}

/* The case as a JSON object: keys in field order, empty fields omitted. */
json_t *casejson_from_case(const struct case_record *c)
{
	json_t *o = json_object();
	json_t *a;

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
			set_list(o, key, &c->aliases);
			break;
		case FIELD_AFFILIATION:
			set_list(o, key, &c->affiliation);
			break;
		case FIELD_SOURCES:
			set_list(o, key, &c->sources);
			break;
		case FIELD_MEASURES:
			if (!c->n_measures)
				break;
			a = json_array();
			for (size_t i = 0; i < c->n_measures; i++)
				json_array_append_new(a, measure_json(&c->measures[i]));
			json_object_set_new(o, key, a);
			break;
		case FIELD_INJURIES:
			if (!c->n_injuries)
				break;
			a = json_array();
			for (size_t i = 0; i < c->n_injuries; i++)
				json_array_append_new(a, injury_json(&c->injuries[i]));
			json_object_set_new(o, key, a);
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
	case JSON_OBJECT: return _("an object");
	case JSON_ARRAY: return _("an array");
	case JSON_STRING: return _("a string");
	case JSON_INTEGER: return _("a whole number");
	case JSON_REAL: return _("a number with a fraction");
	case JSON_TRUE:
	case JSON_FALSE: return _("true or false");
	default: return _("null");
	}
}

static int type_error(struct cb_err *err, const char *key, const char *want, const json_t *v)
{
	return cb_err_set(err, CB_EINVAL, _("%s: expected %s, got %s"), key, want, json_type_name(v));
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
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

static int list_from(const json_t *v, struct strlist *out, struct cb_err *err)
{
	struct strlist tmp = { NULL, 0 };
	size_t i;
	json_t *item;
	int rc;

	json_array_foreach(v, i, item) {
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

static const char *const measure_json_keys = "type, days, fine, date, article, court";
static const char *const injury_json_keys = "type, body, note, exam";

static int measure_from(const json_t *o, struct measure *m, struct cb_err *err)
{
	const char *key, *s;
	json_t *v;
	int rc = 0;
	bool typed = false;

	memset(m, 0, sizeof *m);
	m->days = -1;
	if (!json_is_object(o))
		return cb_err_set(err, CB_EINVAL, _("expected an object, got %s"), json_type_name(o));
	json_object_foreach((json_t *)o, key, v) {
		if (json_is_null(v))
			continue;
		if (strcmp(key, "type") == 0) {
			if (!(rc = text_of(v, key, &s, err))) {
				char *t = trimmed(s);
				rc = vocab_parse(&vocab_measure, t ? t : "", &m->type, err);
				free(t);
			}
			typed = true;
		} else if (strcmp(key, "days") == 0) {
			if (!json_is_integer(v))
				rc = type_error(err, key, _("a whole number"), v);
			else if (json_integer_value(v) < 0 || json_integer_value(v) > 36500)
				rc = cb_err_set(err, CB_EINVAL, _("bad days %lld (expected 0..36500)"),
				    (long long)json_integer_value(v));
			else
				m->days = (int32_t)json_integer_value(v);
		} else if (strcmp(key, "date") == 0) {
			if (!(rc = text_of(v, key, &s, err))) {
				char *t = trimmed(s);
				rc = pdate_parse(t ? t : "", &m->date, err);
				free(t);
			}
		} else if (strcmp(key, "fine") == 0 || strcmp(key, "article") == 0 ||
		    strcmp(key, "court") == 0) {
			char **slot = key[0] == 'f' ? &m->fine : key[0] == 'a' ? &m->article : &m->court;
			if (!(rc = text_of(v, key, &s, err))) {
				free(*slot);
				*slot = trimmed(s);
			}
		} else {
			rc = cb_err_set(err, CB_EINVAL, _("unknown key \"%.64s\" (known: %s)"), key,
			    measure_json_keys);
		}
		if (rc)
			break;
	}
	if (!rc && !typed)
		rc = cb_err_set(err, CB_EINVAL, _("missing \"type\" (known: %s)"),
		    vocab_list(&vocab_measure));
	if (rc)
		measure_free(m);
	return rc;
}

static int injury_from(const json_t *o, struct injury *inj, struct cb_err *err)
{
	const char *key, *s;
	json_t *v;
	int rc = 0;
	bool typed = false;

	memset(inj, 0, sizeof *inj);
	inj->exam = -1;
	if (!json_is_object(o))
		return cb_err_set(err, CB_EINVAL, _("expected an object, got %s"), json_type_name(o));
	json_object_foreach((json_t *)o, key, v) {
		if (json_is_null(v))
			continue;
		if (strcmp(key, "type") == 0) {
			if (!(rc = text_of(v, key, &s, err))) {
				char *t = trimmed(s);
				rc = vocab_parse(&vocab_injury, t ? t : "", &inj->type, err);
				free(t);
			}
			typed = true;
		} else if (strcmp(key, "exam") == 0) {
			if (json_is_boolean(v))
				inj->exam = json_is_true(v);
			else
				rc = type_error(err, key, _("true or false"), v);
		} else if (strcmp(key, "body") == 0 || strcmp(key, "note") == 0) {
			char **slot = key[0] == 'b' ? &inj->body : &inj->note;
			if (!(rc = text_of(v, key, &s, err))) {
				free(*slot);
				*slot = trimmed(s);
			}
		} else {
			rc = cb_err_set(err, CB_EINVAL, _("unknown key \"%.64s\" (known: %s)"), key,
			    injury_json_keys);
		}
		if (rc)
			break;
	}
	if (!rc && !typed)
		rc = cb_err_set(err, CB_EINVAL, _("missing \"type\" (known: %s)"),
		    vocab_list(&vocab_injury));
	if (rc)
		injury_free(inj);
	return rc;
}

static int measures_from(const json_t *v, struct case_record *c, struct cb_err *err)
{
	size_t n = json_array_size(v), i;
	struct measure *m = n ? xreallocarray(NULL, n, sizeof *m) : NULL;
	json_t *item;
	int rc;

	json_array_foreach(v, i, item) {
		if ((rc = measure_from(item, &m[i], err))) {
			size_t bad = i + 1;
			while (i-- > 0)
				measure_free(&m[i]);
			free(m);
			cb_err_prefix(err, _("measure %zu"), bad);
			return rc;
		}
	}
	for (i = 0; i < c->n_measures; i++)
		measure_free(&c->measures[i]);
	free(c->measures);
	c->measures = m;
	c->n_measures = n;
	return 0;
}

static int injuries_from(const json_t *v, struct case_record *c, struct cb_err *err)
{
	size_t n = json_array_size(v), i;
	struct injury *inj = n ? xreallocarray(NULL, n, sizeof *inj) : NULL;
	json_t *item;
	int rc;

	json_array_foreach(v, i, item) {
		if ((rc = injury_from(item, &inj[i], err))) {
			size_t bad = i + 1;
			while (i-- > 0)
				injury_free(&inj[i]);
			free(inj);
			cb_err_prefix(err, _("injury %zu"), bad);
			return rc;
		}
	}
	for (i = 0; i < c->n_injuries; i++)
		injury_free(&c->injuries[i]);
	free(c->injuries);
	c->injuries = inj;
	c->n_injuries = n;
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
			struct strlist *l = f == FIELD_ALIASES ? &c->aliases
			    : f == FIELD_AFFILIATION ? &c->affiliation : &c->sources;
			if ((rc = list_from(v, l, err)))
				cb_err_prefix(err, "%s", name);
			return rc;
		}
		break;
	case FIELD_MEASURES:
	case FIELD_INJURIES:
		if (json_is_array(v)) {
			rc = f == FIELD_MEASURES ? measures_from(v, c, err) : injuries_from(v, c, err);
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
	json_object_foreach((json_t *)obj, key, v) {
		int f = case_field_find(key);
		if (f < 0) {
			rc = cb_err_set(err, CB_EINVAL, _("unknown field \"%.64s\" (fields: %s)"), key,
			    all_fields());
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
