/* views.c — the trash view (deleted cases, who deleted them when; r
 * restores one) and a case's history (each change field by field, as
 * `casebook history` prints it; u reverts the selected change), both over
 * listview.c. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store_revert.h"
#include "store_trash.h"
#include "util.h"

/* ---- The trash ------------------------------------------------------------ */

static int trash_line(const struct trash_entry *e, void *ctx)
{
	struct listview *v = ctx;
	char when[TEXT_TIME_MAX];
	/* TRANSLATORS: a case in the trash view: id, name, time, user. */
	char *s = xasprintf(_("%llu  %s  (deleted %s by %s)"), (unsigned long long)e->id,
	    case_display_name(&e->c), text_time(when, e->deleted_at, TEXT_TIME_LOCAL),
	    e->deleted_by);
	listview_add(v, s, e->id);
	free(s);
	return 0;
}

static void trash_build(struct tui *t, struct listview *v, void *ctx)
{
	struct cb_err err = {0};

	(void)ctx;
	if (store_trash_foreach(t->st, trash_line, v, &err) != 0)
		tui_message(t, ROLE_ERROR, "%s", err.msg);
}

static bool trash_act(struct tui *t, struct listview *v, int action, void *ctx)
{
	struct cb_err err = {0};
	uint64_t id = v->items[v->sel].key;
	uint32_t rev;

	(void)ctx;
	if (action != ACT_RESTORE || tui_refuse_readonly(t))
		return false;
	char *q = xasprintf(_("Restore case %llu?"), (unsigned long long)id);
	bool yes = tui_confirm_over(t, q, listview_repaint, v);
	free(q);
	if (!yes)
		return false;
	if (store_restore(t->st, id, &rev, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		return true;
	}
	tui_invalidate(t);
	tui_requery(t);
	tui_message(t, ROLE_MESSAGE, _("Case %llu restored (now revision %u)."),
	    (unsigned long long)id, rev);
	return true;
}

void trash_show(struct tui *t)
{
	struct listview v = {0};

	v.title = _("Trash");
	/* Read-only: the view only shows; no key that would change anything. */
	v.hint = t->readonly ? _("Esc: back") : _("r: restore · Esc: back");
	v.empty = _("The trash is empty.");
	v.build = trash_build;
	listview_run(t, &v, KC_TRASH, trash_act, NULL);
}

/* ---- History ---------------------------------------------------------------- */

struct hist {
	uint64_t id;
};

static int hist_line(const struct audit_entry *e, void *ctx)
{
	struct listview *v = ctx;
	/* The same line as `casebook history` prints. */
	char *line = audit_format(e);
	listview_add(v, line, e->seq);
	free(line);
	return 0;
}

static void hist_build(struct tui *t, struct listview *v, void *ctx)
{
	struct hist *h = ctx;
	struct cb_err err = {0};

	if (store_history(t->st, h->id, hist_line, v, &err) != 0)
		tui_message(t, ROLE_ERROR, "%s", err.msg);
}

static bool hist_act(struct tui *t, struct listview *v, int action, void *ctx)
{
	struct hist *h = ctx;
	struct cb_err err = {0};
	uint32_t rev;

	if (action != ACT_REVERT || tui_refuse_readonly(t))
		return false;
	if (!tui_confirm_over(t, _("Revert this change?"), listview_repaint, v))
		return false;
	if (store_revert(t->st, h->id, v->items[v->sel].key, &rev, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		return false;
	}
	tui_invalidate(t);
	tui_requery(t);
	tui_message(t, ROLE_MESSAGE, _("Change reverted: case %llu is now at revision %u."),
	    (unsigned long long)h->id, rev);
	v->sel = v->n; /* the new entry, at the end once rebuilt */
	return true;
}

void history_show(struct tui *t, uint64_t id)
{
	struct listview v = {0};
	struct hist h = {id};
	char *title = xasprintf(_("History of case %llu"), (unsigned long long)id);

	v.title = title;
	v.hint = t->readonly ? _("Esc: back") : _("u: revert the selected change · Esc: back");
	v.empty = _("No history.");
	v.build = hist_build;
	v.sel = (size_t)-1; /* the newest change, at the end */
	listview_run(t, &v, KC_HISTORY, hist_act, &h);
	free(title);
}
