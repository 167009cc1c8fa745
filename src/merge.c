/* merge.c — three-way merge of a case and the rebuilding of the revision
 * an edit started from (merge.h). */
#include "merge.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "text.h"
#include "util.h"

static bool same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

void merge_cases(const struct case_record *base, const struct case_record *theirs,
    const struct case_record *yours, struct case_record *out, struct merge_result *res)
{
	memset(res, 0, sizeof *res);
	case_init(out);
	case_copy(out, theirs);
	for (int f = 0; f < FIELD__COUNT; f++) {
		if (!case_fields[f].user_set)
			continue;
		char *b = case_get_field(base, f), *t = case_get_field(theirs, f),
		     *y = case_get_field(yours, f);
		if (!same(y, b) && !same(y, t)) {
			if (same(t, b)) {
				/* Only yours changed it. The text form reads back. */
				case_set_field(out, f, y, false, NULL);
			} else {
				res->conflicts = xreallocarray(res->conflicts, res->n + 1,
				    sizeof *res->conflicts);
				res->conflicts[res->n++] = (struct merge_conflict){f, b, t, y};
				continue;
			}
		}
		free(b);
		free(t);
		free(y);
	}
}

void merge_result_free(struct merge_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->conflicts[i].base);
		free(res->conflicts[i].theirs);
		free(res->conflicts[i].yours);
	}
	free(res->conflicts);
	memset(res, 0, sizeof *res);
}

int merge_take(struct case_record *c, int field, const char *value, struct cb_err *err)
{
	return case_set_field(c, field, value, false, err);
}

/* Reverts, newest first, the entries of l after revision rev on c. */
static int revert_after(struct audit_list *l, uint32_t rev, struct case_record *c,
    struct cb_err *err)
{
	bool found = false;

	for (size_t i = 0; i < l->n; i++)
		if (l->e[i].new_rev == rev && l->e[i].action != AUDIT_DELETE)
			found = true;
	if (!found)
		return cb_err_set(err, CB_EINVAL, _("case %llu never had revision %u"),
		    (unsigned long long)c->id, rev);
	for (size_t i = l->n; i-- > 0;) {
		const struct audit_entry *e = &l->e[i];
		if (e->new_rev <= rev && e->action != AUDIT_DELETE && e->action != AUDIT_PURGE)
			break;
		if (e->action != AUDIT_UPDATE && e->action != AUDIT_UNDO)
			return cb_err_set(err, CB_EINVAL,
			    _("case %llu was deleted and restored since revision %u"),
			    (unsigned long long)c->id, rev);
		int rc = audit_revert(e, c, err);
		if (rc)
			return rc;
	}
	return 0;
}

int merge_base_at(struct store *st, uint64_t id, uint32_t rev, struct case_record *out,
    struct cb_err *err)
{
	struct audit_list l = {0};
	int rc;

	if ((rc = store_get(st, id, out, err)) != 0)
		return rc;
	if (rev >= out->rev) {
		if (rev == out->rev)
			return 0;
		return cb_err_set(err, CB_EINVAL, _("case %llu never had revision %u"),
		    (unsigned long long)id, rev);
	}
	if ((rc = store_history(st, id, audit_list_add, &l, err)) == 0)
		rc = revert_after(&l, rev, out, err);
	audit_list_free(&l);
	if (rc == 0)
		out->rev = rev;
	return rc;
}

/* «value», or a dash for an empty one, control characters visible. */
static void put_value(struct buf *b, const char *v)
{
	if (!*v) {
		buf_puts(b, _("(empty)"));
		return;
	}
	buf_puts(b, "«");
	text_sanitize_put(b, v, strlen(v), 0);
	buf_puts(b, "»");
}

char *merge_describe(const struct merge_result *res)
{
	struct buf b = {0};

	for (size_t i = 0; i < res->n; i++) {
		const struct merge_conflict *c = &res->conflicts[i];
		if (i)
			buf_puts(&b, "; ");
		struct buf t = {0}, y = {0};
		put_value(&t, c->theirs);
		put_value(&y, c->yours);
		/* TRANSLATORS: a field both changed: its name, their value, yours. */
		buf_printf(&b, _("%s: theirs %s, yours %s"), case_fields[c->field].name,
		    buf_cstr(&t), buf_cstr(&y));
		buf_free(&t);
		buf_free(&y);
	}
	buf_putc(&b, '\0');
	b.len--;
	return buf_steal(&b);
}
