/* tags.c — tagged cases, mutt-style: t tags or untags the selected case,
 * T tags every case of the filter, and ; applies an action to all tagged
 * cases (set status, lawyer, verification or confidentiality, add a
 * measure: one change through bulk.h, asked with the number of cases; or
 * print their sheets, print their list, export them). Also S (save the
 * filter as a search) and P (sheets, or the list as a document). */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "config.h"
#include "print.h"
#include "searches.h"
#include "util.h"

/* ---- The set of tagged ids (sorted) ------------------------------------------ */

/* Index where id is or would go. */
static size_t tag_pos(const struct tui *t, uint64_t id)
{
	size_t lo = 0, hi = t->ntags;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->tags[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool tags_has(const struct tui *t, uint64_t id)
{
	size_t i = tag_pos(t, id);
	return i < t->ntags && t->tags[i] == id;
}

static void tag_add(struct tui *t, uint64_t id)
{
	size_t i = tag_pos(t, id);
	if (i < t->ntags && t->tags[i] == id)
		return;
	if (t->ntags == t->cap_tags) {
		t->cap_tags = t->cap_tags ? t->cap_tags * 2 : 64;
		t->tags = xreallocarray(t->tags, t->cap_tags, sizeof *t->tags);
	}
	memmove(t->tags + i + 1, t->tags + i, (t->ntags - i) * sizeof *t->tags);
	t->tags[i] = id;
	t->ntags++;
}

void tags_toggle(struct tui *t)
{
	if (!t->cur_id)
		return;
	size_t i = tag_pos(t, t->cur_id);
	if (i < t->ntags && t->tags[i] == t->cur_id) {
		memmove(t->tags + i, t->tags + i + 1, (t->ntags - i - 1) * sizeof *t->tags);
		t->ntags--;
	} else {
		tag_add(t, t->cur_id);
	}
	/* As in mutt: on to the next case, so t t t tags three. */
	list_move(t, 1);
}

static int id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

void tags_all(struct tui *t)
{
	if (!t->nres)
		return;
	uint64_t *ids = xreallocarray(NULL, t->nres, sizeof *ids);
	size_t n = query_result_page(t->res, 0, t->nres, ids);

	/* Appended, sorted once and the doubles dropped: a million cases in
	 * one sort, not a million insertions. */
	t->tags = xreallocarray(t->tags, t->ntags + n ? t->ntags + n : 1, sizeof *t->tags);
	memcpy(t->tags + t->ntags, ids, n * sizeof *ids);
	t->ntags += n;
	t->cap_tags = t->ntags;
	qsort(t->tags, t->ntags, sizeof *t->tags, id_cmp);
	size_t k = 0;
	for (size_t i = 0; i < t->ntags; i++)
		if (k == 0 || t->tags[k - 1] != t->tags[i])
			t->tags[k++] = t->tags[i];
	t->ntags = k;
	free(ids);
	tui_message(t, ROLE_STATUS,
	    ngettext("Tagged %zu case of the filter (; applies an action to the tagged cases)",
	        "Tagged %zu cases of the filter (; applies an action to the tagged cases)",
	        (unsigned long)n),
	    n);
}

void tags_free(struct tui *t)
{
	free(t->tags);
	t->tags = NULL;
	t->ntags = t->cap_tags = 0;
}

/* ---- A pick list over the main screen ------------------------------------------ */

/* Draws a centred pick list of labels[0..n) titled title, cur selected,
 * scrolled so cur is visible (*top: the first row shown), each label with
 * pad columns around it; the old window is replaced. Returns the window. */
WINDOW *tui_pick_paint(struct tui *t, WINDOW *old, const char *title, const char *const *labels,
    int n, int cur, int *top, int pad)
{
	int maxw = (int)text_width(title) + 4;
	for (int i = 0; i < n; i++)
		if ((int)text_width(labels[i]) + pad > maxw)
			maxw = (int)text_width(labels[i]) + pad;
	int ph = n + 2 < t->rows - 2 ? n + 2 : t->rows - 2;
	int pwid = maxw < t->cols - 2 ? maxw : t->cols - 2;
	if (old)
		delwin(old);
	WINDOW *pw = newwin(ph, pwid, (t->rows - 1 - ph) / 2, (t->cols - pwid) / 2);
	int inner = ph - 2;
	if (cur < *top)
		*top = cur;
	if (cur >= *top + inner)
		*top = cur - inner + 1;
	theme_frame(pw, title);
	for (int i = 0; i < inner; i++) {
		int k = *top + i;
		attr_t a = theme_attr(k == cur ? ROLE_SELECTED : ROLE_NORMAL);
		tui_put(pw, i + 1, 1, k < n ? labels[k] : "", pwid - 2, a);
	}
	wmove(pw, cur - *top + 1, 1);
	wnoutrefresh(pw);
	return pw;
}

int tui_pick(struct tui *t, const char *title, const char *const *labels, int n, int cur)
{
	WINDOW *pw = NULL;
	int top = 0, result = -1;

	if (cur < 0 || cur >= n)
		cur = 0;
	for (;;) {
		tui_draw(t);
		if (!t->too_small)
			pw = tui_pick_paint(t, pw, title, labels, n, cur, &top, 4);
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		int a = keys_action(KC_GLOBAL, key);
		if (a == ACT_BACK || a == ACT_QUIT)
			break;
		/* ? shows the help over the list, as everywhere (F1 does so in
		 * tui_modal_key). */
		if (a == ACT_HELP) {
			help_show(t);
			continue;
		}
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER) || key == ' ') {
			result = cur;
			break;
		}
		if (a == ACT_UP && cur > 0)
			cur--;
		else if (a == ACT_DOWN && cur < n - 1)
			cur++;
		else if (a == ACT_TOP)
			cur = 0;
		else if (a == ACT_BOTTOM)
			cur = n - 1;
		else if (a == ACT_PGDN)
			cur = cur + 10 < n ? cur + 10 : n - 1;
		else if (a == ACT_PGUP)
			cur = cur > 10 ? cur - 10 : 0;
	}
	if (pw)
		delwin(pw);
	tui_touch(t);
	return result;
}

/* A term of v, chosen from its labels; -1 when cancelled. */
static int pick_term(struct tui *t, const char *title, const struct vocab *v)
{
	const char **labels = xcalloc((size_t)v->count, sizeof *labels);
	for (int i = 0; i < v->count; i++)
		labels[i] = vocab_label(v, i);
	int r = tui_pick(t, title, labels, v->count, 0);
	free(labels);
	return r;
}

/* ---- Applying a change ------------------------------------------------------------ */

/* Asks for the value of field (a list for vocabularies, a line for the
 * lawyer, a type and its parts for a measure); NULL when cancelled. */
static char *ask_value(struct tui *t, int field)
{
	const struct vocab *v = case_fields[field].vocab;
	const char *title = _(case_fields[field].label);

	if (field == FIELD_LAWYER)
		return tui_readline(t, _("Lawyer (empty: none): "), "", NULL, NULL);
	if (field == FIELD_MEASURES) {
		int i = pick_term(t, _("Measure to add"), &vocab_measure);
		if (i < 0)
			return NULL;
		char *parts =
		    tui_readline(t, _("Its details, e.g. days=15:article=KoAP 488 (Enter: none): "),
		        "", NULL, NULL);
		if (!parts)
			return NULL;
		char *m = *parts ? xasprintf("%s:%s", vocab_key(&vocab_measure, i), parts)
		                 : xstrdup(vocab_key(&vocab_measure, i));
		free(parts);
		return m;
	}
	int i = pick_term(t, title, v);
	return i < 0 ? NULL : xstrdup(vocab_key(v, i));
}

/* Makes the change to the n cases in ids, after asking with their number. */
static void apply_change(struct tui *t, int field, const uint64_t *ids, size_t n)
{
	struct bulk_change bc = {0};
	struct bulk_plan plan = {0};
	struct cb_err err = {0};
	uint64_t change = 0;
	char *value = ask_value(t, field);

	if (!value)
		return;
	if (bulk_add_field(&bc, field, value, &err) != 0 ||
	    bulk_plan(t->st, ids, n, &bc, NULL, NULL, &plan, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		goto done;
	}
	if (plan.n == 0) {
		tui_message(t, ROLE_STATUS,
		    ngettext("Nothing to change: the %zu tagged case already has this value.",
		        "Nothing to change: the %zu tagged cases already have this value.",
		        (unsigned long)plan.seen),
		    plan.seen);
		goto done;
	}
	char *q = bulk_question(&bc, plan.n);
	bool yes = tui_confirm(t, q);
	free(q);
	if (!yes)
		goto done;
	if (bulk_commit(t->st, &plan, &bc, "", &change, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	} else {
		t->last_change = change;
		tui_message(t, ROLE_STATUS,
		    ngettext("Changed %zu case (change %llu; U undoes it).",
		        "Changed %zu cases (change %llu; U undoes all of them).",
		        (unsigned long)plan.n),
		    plan.n, (unsigned long long)change);
	}
	t->gen = store_generation(t->st);
	tui_invalidate(t);
	tui_requery(t);
done:
	free(value);
	bulk_plan_free(&plan);
	bulk_free(&bc);
}

void tags_undo_change(struct tui *t)
{
	struct cb_err err = {0};
	size_t n = 0;

	if (tui_refuse_readonly(t))
		return;
	if (!t->last_change) {
		tui_message(t, ROLE_STATUS, "%s",
		    _("No change to several cases was made in this session."));
		return;
	}
	char *q = xasprintf(_("Undo change %llu as a whole?"), (unsigned long long)t->last_change);
	bool yes = tui_confirm(t, q);
	free(q);
	if (!yes)
		return;
	if (store_undo_change(t->st, t->last_change, &n, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	} else {
		tui_message(t, ROLE_STATUS,
		    ngettext("Change %llu undone: %zu case as before.",
		        "Change %llu undone: %zu cases as before.", (unsigned long)n),
		    (unsigned long long)t->last_change, n);
		t->last_change = 0;
	}
	t->gen = store_generation(t->st);
	tui_invalidate(t);
	tui_requery(t);
}

/* Prints (or saves) the n cases: their sheets, or their list. */
static void print_cases(struct tui *t, const uint64_t *ids, size_t n, bool list, const char *filter)
{
	struct print_options po;
	struct cb_err err = {0};
	char status[512] = "";
	int rc;

	tui_message(t, ROLE_STATUS, "%s", _("Printing..."));
	tui_draw(t);
	doupdate();
	print_options_init(&po, config_get());
	rc = list ? print_list(t->st, ids, n, filter, &po, status, sizeof status, &err)
	          : print_sheets(t->st, ids, n, &po, status, sizeof status, &err);
	if (rc)
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	else
		tui_message(t, ROLE_STATUS, "%s", status);
}

enum {
	DO_STATUS,
	DO_LAWYER,
	DO_VERIFICATION,
	DO_CONFIDENTIALITY,
	DO_MEASURE,
	DO_SHEETS,
	DO_LIST,
	DO_EXPORT,
	DO_UNTAG,
	DO__COUNT
};

static const char *const do_labels[DO__COUNT] = {
    N_("Set the status"),
    N_("Set the lawyer"),
    N_("Set the verification"),
    N_("Set the confidentiality"),
    N_("Add a measure"),
    N_("Print their sheets"),
    N_("Print their list"),
    N_("Export them (CSV into sheet_dir)"),
    N_("Untag them all"),
};

static const int do_fields[DO_MEASURE + 1] = {FIELD_STATUS, FIELD_LAWYER, FIELD_VERIFICATION,
    FIELD_CONFIDENTIALITY, FIELD_MEASURES};

void tags_apply(struct tui *t)
{
	const char *labels[DO__COUNT];

	if (t->ntags == 0) {
		tui_message(t, ROLE_STATUS, "%s",
		    _("No case is tagged: t tags the selected case, T every case of the filter."));
		return;
	}
	for (int i = 0; i < DO__COUNT; i++)
		labels[i] = _(do_labels[i]);
	char *title =
	    xasprintf(ngettext(" %zu tagged case ", " %zu tagged cases ", (unsigned long)t->ntags),
	        t->ntags);
	int a = tui_pick(t, title, labels, DO__COUNT, 0);
	free(title);
	if (a < 0)
		return;
	if (a <= DO_MEASURE) {
		if (!tui_refuse_readonly(t))
			apply_change(t, do_fields[a], t->tags, t->ntags);
	} else if (a == DO_SHEETS || a == DO_LIST) {
		print_cases(t, t->tags, t->ntags, a == DO_LIST, _("tagged cases"));
	} else if (a == DO_EXPORT) {
		struct print_options po;
		struct cb_err err = {0};
		char status[512] = "";
		print_options_init(&po, config_get());
		if (print_export_csv(t->st, t->tags, t->ntags, &po, status, sizeof status, &err))
			tui_message(t, ROLE_ERROR, "%s", err.msg);
		else
			tui_message(t, ROLE_STATUS, "%s", status);
	} else {
		tags_free(t);
		tui_message(t, ROLE_STATUS, "%s", _("No case is tagged now."));
	}
}

/* ---- P and S ----------------------------------------------------------------------- */

void tags_print_all(struct tui *t)
{
	const char *labels[2];

	if (!t->nres)
		return;
	char *sheets = xasprintf(ngettext("The sheet of the %zu case",
	                             "The sheets of all %zu cases", (unsigned long)t->nres),
	    t->nres);
	labels[0] = sheets;
	labels[1] = _("The list as a table (a document to print)");
	int a = tui_pick(t, _(" Print "), labels, 2, 0);
	free(sheets);
	if (a < 0)
		return;
	uint64_t *ids = xreallocarray(NULL, t->nres, sizeof *ids);
	size_t n = query_result_page(t->res, 0, t->nres, ids);
	print_cases(t, ids, n, a == 1, t->filter_text);
	free(ids);
}

void tags_save_search(struct tui *t)
{
	struct cb_err err = {0};

	if (tui_refuse_readonly(t))
		return;
	if (str_empty(t->filter_text)) {
		tui_message(t, ROLE_STATUS, "%s",
		    _("No filter to save: choose values in the filter pane or type one with :"));
		return;
	}
	char *name =
	    tui_readline(t, _("Save this filter as (a name, e.g. almaty_court): "), "", NULL, NULL);
	if (!name || !*name) {
		free(name);
		return;
	}
	const char *n = name[0] == '@' ? name + 1 : name;
	char *old = NULL;
	bool replace = false;
	if (searches_get(t->st, n, &old, &(struct cb_err){0}) == 0) {
		char *q = xasprintf(_("Replace the saved search @%s?"), n);
		replace = tui_confirm(t, q);
		free(q);
		free(old);
		if (!replace) {
			free(name);
			return;
		}
	}
	if (searches_add(t->st, n, t->filter_text, replace, &err) != 0)
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	else
		tui_message(t, ROLE_STATUS, _("Saved as @%s: any filter can use it."), n);
	t->gen = store_generation(t->st);
	t->saved_stale = true;
	t->facets_stale = true;
	free(name);
}
