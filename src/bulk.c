/* bulk.c — one change made to many cases: the fields it may set, the
 * change checked once through the field table, its effect on one case,
 * and the plan and commit over a set of cases (one write transaction).
 * The audit entry that lists the cases is written by the store
 * (store_txn_note_change). */
#include "bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "text.h"
#include "util.h"

/* The fields a bulk change may set, in the order messages list them. */
static const int settable[] = {FIELD_STATUS, FIELD_LAWYER, FIELD_VERIFICATION,
    FIELD_CONFIDENTIALITY};
#define N_SETTABLE (sizeof settable / sizeof settable[0])

bool bulk_field_settable(int field)
{
	for (size_t i = 0; i < N_SETTABLE; i++)
		if (settable[i] == field)
			return true;
	return false;
}

const char *bulk_field_list(void)
{
	return "status, lawyer, verification, confidentiality, measure";
}

void bulk_free(struct bulk_change *bc)
{
	for (size_t i = 0; i < bc->n; i++)
		free(bc->a[i].value);
	free(bc->a);
	bc->a = NULL;
	bc->n = 0;
}

/* Checks value for field on an empty case and returns its canonical text
 * (the vocabulary key for a term typed as a label or a prefix). */
static int canonical(int field, const char *value, char **out, struct cb_err *err)
{
	struct case_record c;
	int rc;

	case_init(&c);
	if ((rc = case_set_field(&c, field, value, false, err)) == 0)
		*out = case_get_field(&c, field);
	case_free(&c);
	return rc;
}

int bulk_add_field(struct bulk_change *bc, int field, const char *value, struct cb_err *err)
{
	char *canon = NULL;
	int rc;

	if (field != FIELD_MEASURES && !bulk_field_settable(field))
		return cb_err_set(err, CB_EINVAL,
		    _("%s cannot be changed on many cases at once (these can: %s)"),
		    field >= 0 && field < FIELD__COUNT ? case_fields[field].name : "?",
		    bulk_field_list());
	if ((rc = canonical(field, value, &canon, err)) != 0)
		return rc;
	if (field == FIELD_MEASURES && !*canon) {
		free(canon);
		return cb_err_set(err, CB_EINVAL,
		    _("measure: give the measure to add, e.g. measure=fine:fine=100 MRP"));
	}
	/* A field given twice: the last value counts. Measures add up. */
	for (size_t i = 0; i < bc->n; i++) {
		if (bc->a[i].field != field)
			continue;
		if (field == FIELD_MEASURES) {
			char *both = xasprintf("%s|%s", bc->a[i].value, canon);
			free(canon);
			canon = both;
		}
		free(bc->a[i].value);
		bc->a[i].value = canon;
		return 0;
	}
	bc->a = xreallocarray(bc->a, bc->n + 1, sizeof *bc->a);
	bc->a[bc->n++] = (struct bulk_assign){field, canon};
	return 0;
}

/* The error for a field name that a bulk change cannot set. */
static int not_settable(const char *name, int field, bool plus, struct cb_err *err)
{
	if (field < 0 || !case_fields[field].user_set)
		return cb_err_set(err, CB_EINVAL, _("unknown field \"%.64s\" (fields: %s)"), name,
		    bulk_field_list());
	if (plus && bulk_field_settable(field))
		return cb_err_set(err, CB_EINVAL, _("%s: += adds measures only; use %s=VALUE"),
		    name, name);
	return cb_err_set(err, CB_EINVAL,
	    _("%s cannot be changed on many cases at once (these can: %s)"), name,
	    bulk_field_list());
}

int bulk_add(struct bulk_change *bc, const char *assignment, struct cb_err *err)
{
	const char *s = str_or_empty(assignment), *eq = strchr(s, '=');
	size_t len;
	int field, rc = 0;

	if (!eq || eq == s)
		return cb_err_set(err, CB_EINVAL,
		    _("\"%.64s\": expected FIELD=VALUE, e.g. status=in_court (fields: %s)"), s,
		    bulk_field_list());
	len = (size_t)(eq - s);
	bool plus = s[len - 1] == '+';
	char *name = xstrndup(s, plus ? len - 1 : len);
	if (strcmp(name, "measure") == 0 || strcmp(name, "measures") == 0)
		field = FIELD_MEASURES;
	else if ((field = case_field_find(name)) < 0 || !bulk_field_settable(field) || plus)
		rc = not_settable(name, field, plus, err);
	free(name);
	return rc ? rc : bulk_add_field(bc, field, eq + 1, err);
}

/* ---- Describing ----------------------------------------------------------- */

char *bulk_describe(const struct bulk_change *bc)
{
	struct buf b = {0};

	for (size_t i = 0; i < bc->n; i++) {
		const struct bulk_assign *a = &bc->a[i];
		char *v = text_sanitize(a->value, 0);
		if (i)
			buf_puts(&b, "; ");
		if (a->field == FIELD_MEASURES)
			/* TRANSLATORS: the measure as typed, e.g. "fine:fine=100 MRP". */
			buf_printf(&b, _("Add measure %s"), v);
		else if (!*v)
			buf_printf(&b, _("Clear %s"), case_fields[a->field].name);
		else
			/* TRANSLATORS: "Set status to in_court"; the value is a key or a name. */
			buf_printf(&b, _("Set %s to %s"), case_fields[a->field].name, v);
		free(v);
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

char *bulk_question(const struct bulk_change *bc, size_t n)
{
	char *what = bulk_describe(bc);
	/* TRANSLATORS: "Set status to in_court" "on 37 cases?". */
	char *q =
	    xasprintf(ngettext("%s on %zu case?", "%s on %zu cases?", (unsigned long)n), what, n);
	free(what);
	return q;
}

/* ---- One case ----------------------------------------------------------- */

/* True when c already has a measure equal in every part to one of text's. */
static bool has_measure(const struct case_record *c, const struct measure *m)
{
	char *want = item_list_format(&item_measure, m, 1);
	bool found = false;

	for (size_t i = 0; i < c->n_measures && !found; i++) {
		char *have = item_list_format(&item_measure, &c->measures[i], 1);
		found = strcmp(have, want) == 0;
		free(have);
	}
	free(want);
	return found;
}

/* Adds the measures of text that c does not have yet. */
static int add_measures(struct case_record *c, const char *text, bool *changed, struct cb_err *err)
{
	void *arr;
	size_t n;
	int rc;

	if ((rc = item_list_parse(&item_measure, text, &arr, &n, err)) != 0)
		return rc;
	struct measure *ms = arr;
	size_t keep = 0;
	for (size_t i = 0; i < n; i++) {
		if (has_measure(c, &ms[i])) {
			measure_free(&ms[i]);
			continue;
		}
		ms[keep++] = ms[i];
	}
	if (keep) {
		size_t total = c->n_measures + keep;
		struct measure *all = xreallocarray(NULL, total, sizeof *all);
		for (size_t i = 0; i < c->n_measures; i++)
			item_copy(&item_measure, &all[i], &c->measures[i]);
		memcpy(all + c->n_measures, ms, keep * sizeof *ms);
		case_take_items(c, FIELD_MEASURES, all, total);
		*changed = true;
	}
	free(ms);
	return 0;
}

int bulk_apply(const struct bulk_change *bc, struct case_record *c, bool *changed,
    struct cb_err *err)
{
	struct case_record work;
	int rc = 0;

	*changed = false;
	case_copy(&work, c);
	for (size_t i = 0; i < bc->n && !rc; i++) {
		const struct bulk_assign *a = &bc->a[i];
		if (a->field == FIELD_MEASURES) {
			rc = add_measures(&work, a->value, changed, err);
			continue;
		}
		char *before = case_get_field(&work, a->field);
		if ((rc = case_set_field(&work, a->field, a->value, false, err)) == 0) {
			char *after = case_get_field(&work, a->field);
			if (strcmp(before, after) != 0)
				*changed = true;
			free(after);
		}
		free(before);
	}
	if (!rc && *changed)
		rc = case_validate(&work, err);
	if (rc) {
		cb_err_prefix(err, _("case %llu"), (unsigned long long)c->id);
		case_free(&work);
		*changed = false;
		return rc;
	}
	case_free(c);
	*c = work;
	return 0;
}

/* ---- Many cases ----------------------------------------------------------- */

int bulk_plan(struct store *st, const uint64_t *ids, size_t n, const struct bulk_change *bc,
    void (*each)(const struct case_record *old, const struct case_record *new, void *ctx),
    void *ctx, struct bulk_plan *out, struct cb_err *err)
{
	size_t cap = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n && !rc; i++) {
		struct case_record c, old;
		bool changed;
		if ((rc = store_get(st, ids[i], &c, err)) != 0) {
			case_free(&c);
			if (rc == CB_ENOTFOUND) /* deleted since the ids were found */
				rc = 0;
			continue;
		}
		out->seen++;
		case_copy(&old, &c);
		if ((rc = bulk_apply(bc, &c, &changed, err)) == 0 && changed) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 64;
				out->t = xreallocarray(out->t, cap, sizeof *out->t);
			}
			out->t[out->n++] = (struct bulk_target){old.id, old.rev};
			if (each)
				each(&old, &c, ctx);
		}
		case_free(&old);
		case_free(&c);
	}
	if (rc)
		bulk_plan_free(out);
	return rc;
}

void bulk_plan_free(struct bulk_plan *p)
{
	free(p->t);
	memset(p, 0, sizeof *p);
}

/* What bc sets, as the audit entry keeps it: {"status":"in_court",
 * "measures":"fine:fine=100 MRP"}. */
static char *set_json(const struct bulk_change *bc)
{
	json_t *o = json_object();
	for (size_t i = 0; i < bc->n; i++)
		json_object_set_new(o, case_fields[bc->a[i].field].name,
		    json_string(bc->a[i].value));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

struct commit {
	const struct bulk_plan *p;
	const struct bulk_change *bc;
	const char *what;
	uint64_t change;
	struct audit_member *m; /* p->n of them */
	struct cb_err *err;
};

static int commit_run(struct store_txn *tx, void *ctx)
{
	struct commit *cm = ctx;
	int rc = 0;

	for (size_t i = 0; i < cm->p->n && !rc; i++) {
		const struct bulk_target *t = &cm->p->t[i];
		struct case_record c;
		bool changed;
		if ((rc = store_txn_get(tx, t->id, &c, cm->err)) != 0) {
			if (rc == CB_ENOTFOUND)
				rc = cb_err_set(cm->err, CB_ENOTFOUND,
				    _("case %llu was deleted meanwhile; nothing was saved"),
				    (unsigned long long)t->id);
		} else if ((rc = bulk_apply(cm->bc, &c, &changed, cm->err)) == 0) {
			/* The revision seen when the plan was made: a case changed
			 * since then is refused as edit --rev refuses it. */
			if ((rc = store_txn_update(tx, &c, t->rev, cm->err)) == 0)
				cm->m[i] = (struct audit_member){t->id, store_txn_last_seq(tx),
				    t->rev, c.rev};
		}
		case_free(&c);
	}
	if (rc == 0) {
		char *set = set_json(cm->bc);
		rc =
		    store_txn_note_change(tx, set, cm->what, cm->m, cm->p->n, &cm->change, cm->err);
		free(set);
	}
	return rc;
}

int bulk_commit(struct store *st, const struct bulk_plan *p, const struct bulk_change *bc,
    const char *what, uint64_t *change, struct cb_err *err)
{
	struct commit cm = {p, bc, what, 0, NULL, err};
	int rc;

	if (p->n == 0)
		return cb_err_set(err, CB_EINVAL, _("no case to change"));
	cm.m = xcalloc(p->n, sizeof *cm.m);
	rc = store_write(st, commit_run, &cm, err);
	free(cm.m);
	if (rc == 0 && change)
		*change = cm.change;
	return rc;
}
