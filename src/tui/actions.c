/* actions.c — what the key table's actions do on the main screen: moving,
 * searching, the filter line, deleting, printing, the add/edit form, panes
 * and the mouse; tui_dispatch maps a key to one of them. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "print.h"
#include "util.h"

/* ---- Actions -------------------------------------------------------------- */

static void search_change(struct tui *t, const char *text)
{
	free(t->search);
	t->search = xstrdup(text);
	tui_requery(t);
}

static void do_search(struct tui *t)
{
	char *old = xstrdup(str_or_empty(t->search));
	/* A new search starts empty; Esc brings the old one back. */
	char *s = tui_readline(t, _("Search name: "), "", search_change, NULL);

	if (!s) {
		free(t->search);
		t->search = old;
		tui_requery(t);
		return;
	}
	free(old);
	free(t->search);
	t->search = s;
	tui_requery(t);
}

void tui_filter_line(struct tui *t)
{
	char *s = tui_readline(t, _("Filter: "), t->filter_line, NULL, filter_complete);

	if (!s)
		return;
	free(t->filter_line);
	t->filter_line = s; /* kept as typed, even when it does not parse */
	tui_requery(t);
}

static void do_delete(struct tui *t)
{
	struct cb_err err = {0};

	if (tui_refuse_readonly(t) || !t->cur_id)
		return;
	detail_load(t);
	char *name = text_sanitize(case_display_name(&t->detail), 0);
	char *q =
	    xasprintf(_("Move case %llu (%s) to the trash?"), (unsigned long long)t->cur_id, name);
	free(name);
	bool yes = tui_confirm(t, q);
	free(q);
	if (!yes)
		return;
	uint64_t id = t->cur_id;
	if (store_delete(t->st, id, t->detail.rev, &err)) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	} else {
		tui_message(t, ROLE_STATUS,
		    _("Case %llu moved to the trash (t: the trash, to restore it)."),
		    (unsigned long long)id);
		t->cur_id = 0;
	}
	t->gen = store_generation(t->st);
	tui_invalidate(t);
	tui_requery(t);
}

/* p: the sheet of the selected case (P is tags_print_all). */
static void do_print(struct tui *t)
{
	struct cb_err err = {0};
	char status[512] = "";
	struct print_options po;

	if (!t->nres || !t->cur_id)
		return;
	tui_message(t, ROLE_STATUS, "%s", _("Printing..."));
	tui_draw(t);
	doupdate();
	print_options_init(&po, config_get());
	if (print_sheets(t->st, &t->cur_id, 1, &po, status, sizeof status, &err))
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	else
		tui_message(t, ROLE_STATUS, "%s", status);
}

static void after_form(struct tui *t, uint64_t id)
{
	t->gen = store_generation(t->st);
	tui_invalidate(t);
	if (id)
		t->cur_id = id;
	tui_requery(t);
	if (id && t->res && query_result_row(t->res, id) < 0)
		tui_message(t, ROLE_STATUS, _("Saved case %llu; the filter hides it."),
		    (unsigned long long)id);
}

static void next_pane(struct tui *t)
{
	if (t->focus == PANE_LIST)
		t->focus = PANE_DETAIL;
	else if (t->focus == PANE_DETAIL && (t->wide || t->filter_open))
		t->focus = PANE_FILTER;
	else
		t->focus = t->filter_open && !t->wide && !t->beside ? PANE_FILTER : PANE_LIST;
	if (t->focus == PANE_FILTER)
		filter_refresh(t);
}

static void toggle_filter(struct tui *t)
{
	if (t->wide) {
		t->focus = t->focus == PANE_FILTER ? PANE_LIST : PANE_FILTER;
	} else {
		t->filter_open = !t->filter_open;
		t->focus = t->filter_open ? PANE_FILTER : PANE_LIST;
		/* The pane goes beside the list or over it (tui_layout). */
		tui_layout(t);
	}
	if (t->focus == PANE_FILTER)
		filter_refresh(t);
}

static void detail_scroll(struct tui *t, int action)
{
	int h = t->wdetail ? getmaxy(t->wdetail) - 1 : 1;

	switch (action) {
	case ACT_UP:
		t->detail_scroll--;
		break;
	case ACT_DOWN:
		t->detail_scroll++;
		break;
	case ACT_PGUP:
		t->detail_scroll -= h;
		break;
	case ACT_PGDN:
		t->detail_scroll += h;
		break;
	case ACT_TOP:
		t->detail_scroll = 0;
		break;
	case ACT_BOTTOM:
		t->detail_scroll = 1 << 20;
		break;
	}
	if (t->detail_scroll < 0)
		t->detail_scroll = 0;
	/* detail_draw clamps the upper end. */
}

static void handle_mouse(struct tui *t)
{
	MEVENT ev;

	if (getmouse(&ev) != OK || !t->wlist)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		list_move(t, -3);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		list_move(t, 3);
	} else if (wenclose(t->wlist, ev.y, ev.x) && !(t->filter_open && !t->wide && !t->beside)) {
		int y = ev.y - getbegy(t->wlist) - 1;
		if (y >= 0)
			list_goto(t, t->top + (size_t)y);
		t->focus = PANE_LIST;
	}
}

/* One case per action of the key table: the flat switch reads best whole. */
void tui_dispatch(struct tui *t, int key)
{
	int ctx = t->focus == PANE_FILTER ? KC_FILTER : KC_LIST;
	int a = keys_action(ctx, key);

	if (key == KF(KEY_MOUSE)) {
		handle_mouse(t);
		return;
	}
	if (t->focus == PANE_FILTER && filter_key(t, a, key))
		return;
	if (t->focus == PANE_DETAIL &&
	    (a == ACT_UP || a == ACT_DOWN || a == ACT_PGUP || a == ACT_PGDN || a == ACT_TOP ||
	        a == ACT_BOTTOM)) {
		detail_scroll(t, a);
		return;
	}
	int page = list_height(t);
	switch (a) {
	case ACT_UP:
		list_move(t, -1);
		break;
	case ACT_DOWN:
		list_move(t, 1);
		break;
	case ACT_PGUP:
		list_move(t, -(long)(page > 1 ? page - 1 : 1));
		break;
	case ACT_PGDN:
		list_move(t, page > 1 ? page - 1 : 1);
		break;
	case ACT_TOP:
		list_goto(t, 0);
		break;
	case ACT_BOTTOM:
		list_goto(t, t->nres ? t->nres - 1 : 0);
		break;
	case ACT_OPEN:
		if (t->cur_id)
			detail_full(t);
		break;
	case ACT_NEXT_PANE:
		next_pane(t);
		break;
	case ACT_SEARCH:
		do_search(t);
		break;
	case ACT_FILTER:
		toggle_filter(t);
		break;
	case ACT_FILTER_LINE:
		tui_filter_line(t);
		break;
	case ACT_CLEAR:
		filter_clear(t);
		free(t->search);
		t->search = NULL;
		tui_requery(t);
		break;
	case ACT_SORT:
		tui_sort_next(t);
		break;
	case ACT_ADD:
		if (!tui_refuse_readonly(t))
			after_form(t, form_run(t, 0));
		break;
	case ACT_EDIT:
		if (!tui_refuse_readonly(t) && t->cur_id)
			after_form(t, form_run(t, t->cur_id));
		break;
	case ACT_DELETE:
		do_delete(t);
		break;
	case ACT_PRINT:
		do_print(t);
		break;
	case ACT_PRINT_ALL:
		tags_print_all(t);
		break;
	case ACT_TAG:
		tags_toggle(t);
		break;
	case ACT_TAG_ALL:
		tags_all(t);
		break;
	case ACT_APPLY:
		tags_apply(t);
		break;
	case ACT_UNDO_CHANGE:
		tags_undo_change(t);
		break;
	case ACT_SAVE_SEARCH:
		tags_save_search(t);
		break;
	case ACT_TRASH:
		trash_show(t);
		break;
	case ACT_PERSON:
		tui_person_of_case(t, t->cur_id);
		break;
	case ACT_HISTORY:
		if (t->cur_id)
			history_show(t, t->cur_id);
		break;
	case ACT_HELP:
		help_show(t);
		break;
	case ACT_MESSAGES:
		messages_show(t);
		break;
	case ACT_BACK:
		if (t->filter_open && !t->wide) {
			toggle_filter(t);
		} else if (t->focus != PANE_LIST) {
			t->focus = PANE_LIST;
		} else if (!str_empty(t->search)) {
			free(t->search);
			t->search = NULL;
			tui_requery(t);
		}
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_QUIT:
		t->quit = true;
		break;
	default:
		break;
	}
}
