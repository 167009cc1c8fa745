/* form_save.c — saving the form: every row checked, the user's changes
 * applied to the case as it was loaded, and after a conflict with another
 * user's save, the form rebased onto their version with the user's input
 * kept. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "person.h"
#include "store_trash.h"
#include "util.h"

/* ---- Saving ---------------------------------------------------------------- */

/* Validates everything; the index of the first bad item, or -1. */
static int validate_all(struct form *f)
{
	int first = -1;

	for (size_t i = 0; i < f->nitems; i++) {
		form_validate(f, &f->items[i]);
		char **e = form_item_err(f, &f->items[i]);
		if (e && *e && first < 0)
			first = (int)i;
	}
	return first;
}

/* Applies the user's changes to a copy of base (only the fields the user
 * changed, so a re-apply after a conflict keeps the other user's edits to
 * other fields). */
int form_build_record(struct form *f, struct case_record *rec, struct cb_err *err)
{
	case_copy(rec, &f->base);
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		int rc = 0;
		if (form_is_text_field(fl) && (!f->id || form_text_changed(f, fl))) {
			char *s = wline_utf8(&f->text[fl]);
			rc = case_set_field(rec, fl, s, false, err);
			free(s);
		} else if (form_is_vocab_field(fl) &&
		    (!f->id || f->vocab[fl] != f->vocab_orig[fl])) {
			*form_field_int(rec, fl) = f->vocab[fl];
		}
		if (rc)
			return rc;
	}
	for (int li = 0; li < 2; li++) {
		const struct flist *l = &f->lists[li];
		if (!f->id || form_list_changed(l))
			case_set_items(rec, l->field, l->items, l->n);
	}
	return case_validate(rec, err);
}

/* After a conflict: the form shows the other user's version with this
 * user's changes on top (fields the user did not touch take the new values). */
static void form_rebase(struct form *f, const struct case_record *fresh)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (form_is_vocab_field(fl)) {
			int nv = *form_field_int((struct case_record *)fresh, fl);
			if (f->vocab[fl] == f->vocab_orig[fl])
				f->vocab[fl] = nv;
			f->vocab_orig[fl] = nv;
		}
		if (!form_is_text_field(fl))
			continue;
		char *v = form_field_text(fresh, fl);
		if (!form_text_changed(f, fl)) {
			wline_set(&f->text[fl], v);
			free(f->err[fl]);
			f->err[fl] = NULL;
		}
		free(f->orig[fl]);
		f->orig[fl] = v;
	}
	for (int li = 0; li < 2; li++) {
		struct flist *l = &f->lists[li];
		char *mine = form_list_changed(l) ? form_list_text(l) : NULL;
		size_t n;
		const void *theirs = case_items(fresh, l->field, &n);
		if (!mine) {
			form_list_load(l, fresh);
			continue;
		}
		/* The user's items stay; the original becomes what the other user saved. */
		free(l->orig);
		l->orig = item_list_format(l->d, theirs, n);
		free(mine);
	}
	form_items_build(f);
}

/* The text of a conflict's value for a question: «value», or (empty). */
static char *shown(const char *v)
{
	if (!*v)
		return xstrdup(_("(empty)"));
	char *clean = text_sanitize(v, 0);
	char *s = xasprintf("«%s»", clean);
	free(clean);
	return s;
}

/* Puts the cursor on field fl's row. */
static void goto_field(struct form *f, int fl)
{
	for (size_t i = 0; i < f->nitems; i++) {
		const struct fitem *it = &f->items[i];
		bool here = it->kind == FK_TYPE || it->kind == FK_ADD
		    ? f->lists[it->list].field == fl
		    : (it->kind == FK_TEXT || it->kind == FK_VOCAB || it->kind == FK_NOTES) &&
		        it->field == fl;
		if (here) {
			f->cur = (int)i;
			return;
		}
	}
}

/* The user settles each field both changed: keep mine, take theirs, or
 * edit (the form is rebased onto theirs, the cursor on that field).
 * Returns the action that ended the questions: ACT_SAVE when every field
 * is settled in merged. */
static int settle(struct form *f, const struct merge_result *res, const struct case_record *fresh,
    struct case_record *merged)
{
	char when[TEXT_TIME_MAX];

	text_time(when, fresh->updated, TEXT_TIME_LOCAL);
	for (size_t i = 0; i < res->n; i++) {
		const struct merge_conflict *c = &res->conflicts[i];
		char *th = shown(c->theirs), *yo = shown(c->yours);
		/* The values in the form's message lines (wrapped), the keys on
		 * the status line. */
		snprintf(f->msg, sizeof f->msg,
		    _("%s was changed by %s at %s too: theirs %s, yours %s."),
		    _(case_fields[c->field].label), str_or_empty(fresh->updated_by), when, th, yo);
		f->msg_role = ROLE_ERROR;
		free(th);
		free(yo);
		char *q = xasprintf(_("%s: t take theirs, m keep mine, e edit, Esc back"),
		    _(case_fields[c->field].label));
		int a = tui_choose(f->t, q, KC_CHOICE, form_repaint, f);
		free(q);
		struct cb_err err = {0};
		if (a == ACT_TAKE_THEIRS)
			merge_take(merged, c->field, c->theirs, &err);
		else if (a == ACT_KEEP_MINE)
			merge_take(merged, c->field, c->yours, &err);
		else {
			if (a == ACT_EDIT_FIELD)
				goto_field(f, c->field);
			return a;
		}
	}
	return ACT_SAVE;
}

/* A save refused because someone else saved first: three-way merge of
 * the version the form opened (base), theirs and the user's; one-sided
 * changes merge silently, each field both changed is the user's choice.
 * Returns the saved id, or 0 when the form stays open. */
static uint64_t save_merged(struct form *f, struct case_record *yours)
{
	struct case_record fresh, merged;
	struct merge_result res;
	struct cb_err err = {0};
	uint64_t id = 0;

	if (store_get(f->t->st, f->id, &fresh, &err) != 0) {
		case_free(&fresh);
		snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
		f->msg_role = ROLE_ERROR;
		return 0;
	}
	merge_cases(&f->base, &fresh, yours, &merged, &res);
	int a = settle(f, &res, &fresh, &merged);
	if (a == ACT_SAVE) {
		int rc = store_update(f->t->st, &merged, fresh.rev, &err);
		if (rc == 0) {
			id = f->id;
			snprintf(f->note, sizeof f->note,
			    _("Saved case %llu, merged with the changes %s made meanwhile."),
			    (unsigned long long)id, str_or_empty(fresh.updated_by));
		} else {
			snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
			f->msg_role = ROLE_ERROR;
		}
	} else if (a == ACT_EDIT_FIELD) {
		/* The user edits on top of their version: the form is rebased,
		 * the fields the user changed keep the user's text. */
		form_rebase(f, &fresh);
		case_free(&f->base);
		case_copy(&f->base, &fresh);
		f->rev = fresh.rev;
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("Edit the field, then ^S saves it (the other fields are merged)."));
		f->msg_role = ROLE_MESSAGE;
	} else {
		/* Nothing is taken over: the next ^S asks again. */
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("Not saved: a colleague changed the same fields; ^S asks again, Esc "
		      "discards."));
		f->msg_role = ROLE_ERROR;
	}
	merge_result_free(&res);
	case_free(&merged);
	case_free(&fresh);
	return id;
}

/* A save refused because the case was deleted meanwhile: restore it with
 * the user's changes, save them as a new case, or discard them. */
static uint64_t save_deleted(struct form *f, struct case_record *yours)
{
	struct trash_entry e;
	struct cb_err err = {0};
	char when[TEXT_TIME_MAX];
	bool in_trash = store_trash_get(f->t->st, f->id, &e, &err) == 0;
	char *q;

	if (in_trash) {
		snprintf(f->msg, sizeof f->msg, _("This case was deleted by %s at %s."),
		    e.deleted_by, text_time(when, e.deleted_at, TEXT_TIME_LOCAL));
		q = xstrdup(
		    _("r restore it with your changes, n save as a new case, d discard, Esc "
		      "back"));
	} else {
		snprintf(f->msg, sizeof f->msg, "%s", _("This case was deleted for good."));
		q = xstrdup(_("n save your changes as a new case, d discard, Esc back"));
	}
	f->msg_role = ROLE_ERROR;
	trash_entry_free(&e);
	int a = tui_choose(f->t, q, KC_CHOICE, form_repaint, f);
	free(q);
	uint64_t id = 0;
	int rc = 0;
	if (a == ACT_RESUME && in_trash) {
		rc = store_restore_with(f->t->st, f->id, yours, NULL, &err);
		id = rc == 0 ? f->id : 0;
	} else if (a == ACT_SAVE_NEW) {
		yours->id = 0;
		rc = store_add(f->t->st, yours, &err);
		id = rc == 0 ? yours->id : 0;
	} else if (a == ACT_DISCARD) {
		f->discarded = true;
		return 0;
	}
	if (rc) {
		snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
		f->msg_role = ROLE_ERROR;
	}
	return id;
}

/* Returns the saved id, or 0 when the form stays open. */
/* Before the first save, says when the case as typed may be a person
 * already here (never linked by the rule, so shown): the form stays open
 * with that person one key away, and ^S again saves. */
static bool offer_duplicate(struct form *f, const struct case_record *rec)
{
	struct person_candidate cand[4];
	struct cb_err err = {0};
	size_t n = 0;

	if (f->dup_warned || store_person_candidates_for(f->t->st, rec, cand, 4, &n, &err) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (cand[i].reason == PREASON_NONE)
			continue; /* the rule links it: no question */
		f->dup_warned = true;
		f->dup_person = cand[i].person_id;
		snprintf(f->msg, sizeof f->msg,
		    ngettext("possible duplicate of person %llu (%u case): o to see them, ^S again "
		             "to save",
		        "possible duplicate of person %llu (%u cases): o to see them, ^S again to "
		        "save",
		        cand[i].n_cases),
		    (unsigned long long)cand[i].person_id, cand[i].n_cases);
		f->msg_role = ROLE_MESSAGE;
		return true;
	}
	return false;
}

uint64_t form_save(struct form *f)
{
	struct case_record rec;
	struct cb_err err = {0};
	int bad = validate_all(f);

	if (bad >= 0) {
		f->cur = bad;
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("Not saved: fix the fields marked ↳ first."));
		f->msg_role = ROLE_ERROR;
		return 0;
	}
	case_init(&rec);
	uint64_t id = 0;
	int rc = form_build_record(f, &rec, &err);
	if (rc == 0 && offer_duplicate(f, &rec)) {
		case_free(&rec);
		return 0;
	}
	if (rc == 0)
		rc = f->id ? store_update(f->t->st, &rec, f->rev, &err)
		           : store_add(f->t->st, &rec, &err);
	if (rc == 0)
		id = rec.id ? rec.id : f->id;
	else if (rc == CB_ECONFLICT)
		id = save_merged(f, &rec);
	else if (rc == CB_ENOTFOUND && f->id)
		id = save_deleted(f, &rec);
	else {
		snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
		f->msg_role = ROLE_ERROR;
	}
	case_free(&rec);
	return id;
}
