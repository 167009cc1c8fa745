/* form_save.c — saving the form: every row checked, the user's changes
 * applied to the case as it was loaded, and after a conflict with another
 * user's save, the form rebased onto their version with the user's input
 * kept. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

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
static int build_record(struct form *f, struct case_record *rec, struct cb_err *err)
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

/* Returns the saved id, or 0 when the form stays open. */
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
	int rc = build_record(f, &rec, &err);
	if (rc == 0)
		rc = f->id ? store_update(f->t->st, &rec, f->rev, &err)
		           : store_add(f->t->st, &rec, &err);
	uint64_t id = rec.id;
	case_free(&rec);
	if (rc == 0)
		return id ? id : f->id;
	if (rc == CB_ECONFLICT) {
		/* Someone else saved first: take their version as the new base;
		 * the user's changed fields stay in the form for a second ^S. */
		struct case_record fresh;
		struct cb_err e2 = {0};
		if (store_get(f->t->st, f->id, &fresh, &e2) == 0) {
			form_rebase(f, &fresh);
			case_free(&f->base);
			f->base = fresh;
			f->rev = fresh.rev;
		} else {
			case_free(&fresh);
		}
		snprintf(f->msg, sizeof f->msg, "%s. %s", err.msg,
		    _("Your input is kept: ^S saves it over the new version, Esc discards it."));
	} else {
		snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
	}
	f->msg_role = ROLE_ERROR;
	return 0;
}
