/* person.c — the person view (o from any case): every spelling of the
 * name, the birth year, the totals a court needs and the timeline of the
 * person's cases with a mark on each repeated administrative sanction.
 * The cursor moves case by case; Enter opens the case, and link, unlink
 * and merge ask first, saying what will happen. */
#include "tui.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datefmt.h"
#include "display.h"
#include "person.h"
#include "person_view.h"
#include "util.h"

#define NO_CASE ((size_t)-1)

struct pview {
	struct tui *t;
	WINDOW *w;
	uint64_t pid;
	struct person_timeline tl;
	bool have_tl;
	uint64_t gen; /* the database generation the timeline was read at */
	struct dline *l; /* lines for the width below */
	size_t *owner; /* the case index of each line, NO_CASE for none */
	size_t n, cap;
	int width;
	int top;
	size_t sel; /* the case under the cursor */
	char msg[1024];
	int msg_role;
	bool changed; /* the view wrote to the database */
};

static int window(void)
{
	int w = config_get()->repeat_window_months;

	return w > 0 ? w : 12;
}

static void lines_free(struct pview *v)
{
	detail_lines_free(v->l, v->n);
	free(v->owner);
	v->l = NULL;
	v->owner = NULL;
	v->n = v->cap = 0;
}

static void add(struct pview *v, const char *text, int role, size_t owner)
{
	if (v->n == v->cap) {
		v->cap = v->cap * 2 + 32;
		v->l = xreallocarray(v->l, v->cap, sizeof *v->l);
		v->owner = xreallocarray(v->owner, v->cap, sizeof *v->owner);
	}
	v->l[v->n].label = NULL;
	v->l[v->n].text = xstrdup(text);
	v->l[v->n].role = role;
	v->l[v->n].indented = false;
	v->owner[v->n] = owner;
	v->n++;
}

/* Adds raw (sanitized here) wrapped to the width: the first line starts at
 * column indent, the rest at hang, so no word is ever cut. */
static void add_wrapped(struct pview *v, const char *raw, int indent, int hang, int role,
    size_t owner)
{
	char *s = text_sanitize(raw, 0);
	size_t len = strlen(s), off = 0;
	struct buf b = {0};

	if (hang > v->width / 2)
		hang = 0;
	do {
		int pad = off == 0 ? indent : hang;
		int room = v->width - pad;
		size_t next,
		    k = text_wrap_next(s + off, len - off, (size_t)(room > 1 ? room : 1), &next);
		b.len = 0;
		for (int i = 0; i < pad; i++)
			buf_putc(&b, ' ');
		buf_put(&b, s + off, k);
		add(v, buf_cstr(&b), role, owner);
		off += next;
	} while (off < len);
	buf_free(&b);
	free(s);
}

/* "LABEL value", the value's wrapped lines hanging under it. */
static void add_labelled(struct pview *v, const char *label, const char *value)
{
	char *s = xasprintf("%s %s", label, value);

	add_wrapped(v, s, 0, (int)text_width(label) + 1, ROLE_NORMAL, NO_CASE);
	free(s);
}

static void head_lines(struct pview *v)
{
	const struct person_record *p = &v->tl.person;
	const struct person_totals *tt = &v->tl.totals;
	struct buf b = {0};

	char *title = xasprintf(_("Person %llu"), (unsigned long long)p->id);
	add_wrapped(v, title, 0, 0, ROLE_HEADER, NO_CASE);
	free(title);
	if (p->merged_into) {
		char *m =
		    xasprintf(_("merged into person %llu\n"), (unsigned long long)p->merged_into);
		m[strcspn(m, "\n")] = '\0';
		add_wrapped(v, m, 0, 0, ROLE_DIM, NO_CASE);
		free(m);
	}
	for (size_t i = 0; i < p->names.n; i++)
		buf_printf(&b, "%s%s", i ? "; " : "", p->names.items[i]);
	add_labelled(v, _("names:"), buf_cstr(&b));
	if (p->birth_year) {
		char y[16];
		snprintf(y, sizeof y, "%d", p->birth_year);
		add_labelled(v, _("birth year:"), y);
	}
	if (p->sex != SEX_UNKNOWN)
		add_labelled(v, _("sex:"), vocab_label(&vocab_sex, p->sex));
	b.len = 0;
	buf_printf(&b, ngettext("%u case", "%u cases", tt->cases), tt->cases);
	buf_puts(&b, "; ");
	buf_printf(&b, ngettext("detention %u day", "detention %u days", tt->detention_days),
	    tt->detention_days);
	buf_puts(&b, "; ");
	buf_printf(&b, ngettext("arrest %u day", "arrest %u days", tt->arrest_days),
	    tt->arrest_days);
	if (tt->fines) {
		buf_puts(&b, "; ");
		buf_printf(&b, ngettext("%u fine", "%u fines", tt->fines), tt->fines);
		if (*tt->fine_total)
			buf_printf(&b, " (%s)", tt->fine_total);
	}
	add_labelled(v, _("Total:"), buf_cstr(&b));
	if (tt->repeats) {
		b.len = 0;
		buf_printf(&b,
		    ngettext("%u administrative sanction repeated within %d months",
		        "%u administrative sanctions repeated within %d months", tt->repeats),
		    tt->repeats, window());
		buf_printf(&b, ": %s", _("[repeat]"));
		add_wrapped(v, buf_cstr(&b), 0, 0, ROLE_MESSAGE, NO_CASE);
	}
	buf_free(&b);
}

/* One measure of the timeline: its mark first, where the eye finds it. */
static void measure_line(struct pview *v, const struct measure *m, bool repeat, size_t owner)
{
	char d[16];
	struct buf b = {0};
	char *what = person_view_measure(m);

	if (repeat)
		buf_printf(&b, "%s ", _("[repeat]"));
	buf_puts(&b, what);
	free(what);
	if (pdate_is_set(m->date))
		buf_printf(&b, ", %s", datefmt_show(m->date, d));
	if (!str_empty(m->article))
		buf_printf(&b, ", %s", m->article);
	if (!str_empty(m->court))
		buf_printf(&b, ", %s", m->court);
	add_wrapped(v, buf_cstr(&b), 4, 6, repeat ? ROLE_MESSAGE : ROLE_NORMAL, owner);
	buf_free(&b);
}

static void case_lines(struct pview *v, size_t i)
{
	const struct case_record *c = &v->tl.cases[i];
	char d[16];
	struct buf b = {0};

	buf_printf(&b, "%-10s  ", pdate_is_set(c->date) ? datefmt_show(c->date, d) : "—");
	buf_printf(&b, _("case %llu"), (unsigned long long)c->id);
	if (!str_empty(c->event))
		buf_printf(&b, "  %s", c->event);
	if (!str_empty(c->city)) {
		char *city = display_city_ui(c->city, c->region);
		buf_printf(&b, "%s%s", str_empty(c->event) ? "  " : ", ", city);
		free(city);
	}
	add_wrapped(v, buf_cstr(&b), 0, 12, ROLE_LABEL, i);
	for (size_t j = 0; j < c->n_measures; j++)
		measure_line(v, &c->measures[j], v->tl.repeat[i][j], i);
	for (size_t j = 0; j < c->n_injuries; j++) {
		const struct injury *x = &c->injuries[j];
		b.len = 0;
		buf_printf(&b, "%s %s", _("injury:"), vocab_label(&vocab_injury, x->type));
		if (!str_empty(x->body))
			buf_printf(&b, " (%s)", x->body);
		add_wrapped(v, buf_cstr(&b), 4, 6, ROLE_NORMAL, i);
	}
	buf_free(&b);
}

static void build(struct pview *v, int width)
{
	lines_free(v);
	v->width = width;
	if (!v->have_tl)
		return;
	head_lines(v);
	for (size_t i = 0; i < v->tl.n; i++) {
		add(v, "", ROLE_NORMAL, NO_CASE);
		case_lines(v, i);
	}
}

/* Reads the person again (after a change here or by someone else);
 * false when it cannot be read (v->msg says why). */
static bool load(struct pview *v)
{
	struct cb_err err = {0};
	struct person_timeline tl;

	v->gen = store_generation(v->t->st);
	if (store_person_timeline(v->t->st, v->pid, window(), &tl, &err) != 0) {
		snprintf(v->msg, sizeof v->msg, "%s", err.msg);
		v->msg_role = ROLE_ERROR;
		return false;
	}
	if (v->have_tl)
		person_timeline_free(&v->tl);
	v->tl = tl;
	v->have_tl = true;
	if (v->sel >= v->tl.n)
		v->sel = v->tl.n ? v->tl.n - 1 : 0;
	v->width = -1; /* lines are made again */
	return true;
}

static size_t first_line_of(const struct pview *v, size_t ci)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->owner[i] == ci)
			return i;
	return 0;
}

/* Keeps the selected case in view: its first line, and as much of it as fits. */
static void follow(struct pview *v, int h)
{
	if (!v->tl.n)
		return;
	size_t first = first_line_of(v, v->sel), last = first;
	while (last + 1 < v->n && v->owner[last + 1] == v->sel)
		last++;
	if ((int)last >= v->top + h)
		v->top = (int)last - h + 1;
	if ((int)first < v->top)
		v->top = (int)first;
}

static void paint(void *ctx)
{
	struct pview *v = ctx;
	struct tui *t = v->t;
	int h = t->rows - 1, width = t->cols, cursor = 0;

	if (v->width != width)
		build(v, width);
	if (v->top > (int)v->n - h)
		v->top = (int)v->n - h;
	if (v->top < 0)
		v->top = 0;
	for (int y = 0; y < h; y++) {
		size_t i = (size_t)(v->top + y);
		if (i >= v->n) {
			tui_put(v->w, y, 0, "", width, theme_attr(ROLE_NORMAL));
			continue;
		}
		bool on = v->tl.n && v->owner[i] == v->sel;
		if (on && (i == 0 || v->owner[i - 1] != v->sel))
			cursor = y;
		theme_put_fitted(v->w, y, 0, v->l[i].text, width,
		    theme_attr(on ? ROLE_SELECTED : v->l[i].role));
	}
	wmove(v->w, cursor, 0);
	wnoutrefresh(v->w);
	/* Read-only: no linking keys among the hints. */
	char *s = v->msg[0]
	    ? xstrdup(v->msg)
	    : xasprintf(t->readonly ? _("Person %llu · line %d of %zu · Enter case · Esc back")
	                            : _("Person %llu · line %d of %zu · Enter case · l link · u "
	                                "unlink · m merge · Esc back"),
	          (unsigned long long)v->pid, v->n ? v->top + 1 : 0, v->n);
	/* Too narrow for the keys: the help (F1, ?) lists them. */
	if (!v->msg[0] && text_width(s) > (size_t)width) {
		free(s);
		s = xasprintf(_("Person %llu · line %d of %zu · ?:help Esc:back"),
		    (unsigned long long)v->pid, v->n ? v->top + 1 : 0, v->n);
	}
	theme_put_fitted(t->wstatus, 0, 0, s, width,
	    theme_attr(v->msg[0] ? v->msg_role : ROLE_STATUS));
	free(s);
	wnoutrefresh(t->wstatus);
	wnoutrefresh(v->w); /* the hardware cursor rests on the selected case */
}

/* Asks for a number on the status line over the view; 0 on Esc or when a
 * quit signal arrived, and a message when what was typed is not a number. */
static uint64_t ask_number(struct pview *v, const char *prompt)
{
	struct tui *t = v->t;
	struct wline l = {0};
	uint64_t id = 0;

	wline_set(&l, "");
	for (;;) {
		if (!t->too_small) {
			paint(v);
			int pw =
			    tui_put(t->wstatus, 0, 0, prompt, t->cols, theme_attr(ROLE_STATUS));
			wline_draw(t->wstatus, 0, pw, t->cols - pw, &l, theme_attr(ROLE_NORMAL));
			wnoutrefresh(t->wstatus);
		} else {
			tui_check_size(t);
		}
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		if (keys_action(KC_GLOBAL, key) == ACT_BACK)
			break;
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER)) {
			char *s = wline_utf8(&l), *end;
			errno = 0;
			unsigned long long n = strtoull(s, &end, 10);
			if (!*s || *end || errno || n == 0 || s[0] == '-') {
				char *clean = text_sanitize(s, 0);
				snprintf(v->msg, sizeof v->msg,
				    _("\"%s\" is not a number such as 7"), clean);
				v->msg_role = ROLE_ERROR;
				free(clean);
			} else {
				id = n;
			}
			free(s);
			break;
		}
		wline_key(&l, key);
	}
	free(l.s);
	return id;
}

/* Done after a write: the view and the main screen read the store again. */
static void after_write(struct pview *v, int rc, const struct cb_err *err, const char *done)
{
	if (rc) {
		snprintf(v->msg, sizeof v->msg, "%s", err->msg);
		v->msg_role = ROLE_ERROR;
	} else {
		snprintf(v->msg, sizeof v->msg, "%s", done);
		v->msg_role = ROLE_STATUS;
		v->changed = true;
	}
	v->t->gen = store_generation(v->t->st);
	load(v);
}

static bool refuse_readonly(struct pview *v)
{
	if (!v->t->readonly)
		return false;
	snprintf(v->msg, sizeof v->msg, "%s",
	    _("read-only database: editing is disabled (-r or not writable)"));
	v->msg_role = ROLE_ERROR;
	return true;
}

static void do_link(struct pview *v)
{
	struct cb_err err = {0};
	uint64_t from = 0;

	if (refuse_readonly(v))
		return;
	uint64_t cid = ask_number(v, _("Link case number: "));
	if (!cid)
		return;
	store_person_of_case(v->t->st, cid, &from, &err);
	char *q = from
	    ? xasprintf(_("Move case %llu to person %llu? It leaves person %llu."),
	          (unsigned long long)cid, (unsigned long long)v->pid, (unsigned long long)from)
	    : xasprintf(_("Move case %llu to person %llu?"), (unsigned long long)cid,
	          (unsigned long long)v->pid);
	bool yes = tui_confirm_over(v->t, q, paint, v);
	free(q);
	if (!yes)
		return;
	int rc = store_person_link(v->t->st, cid, v->pid, v->tl.person.rev, &err);
	char *done = xasprintf(_("Case %llu now belongs to person %llu."), (unsigned long long)cid,
	    (unsigned long long)v->pid);
	after_write(v, rc, &err, done);
	free(done);
}

static void do_unlink(struct pview *v)
{
	struct cb_err err = {0};
	uint64_t np = 0;

	if (refuse_readonly(v) || !v->tl.n)
		return;
	uint64_t cid = v->tl.cases[v->sel].id;
	char *q = xasprintf(_("Split case %llu off person %llu? It becomes a person of its own."),
	    (unsigned long long)cid, (unsigned long long)v->pid);
	bool yes = tui_confirm_over(v->t, q, paint, v);
	free(q);
	if (!yes)
		return;
	int rc = store_person_unlink(v->t->st, cid, &np, &err);
	char *done = xasprintf(_("Case %llu is now person %llu; l links it back."),
	    (unsigned long long)cid, (unsigned long long)np);
	after_write(v, rc, &err, done);
	free(done);
}

static void do_merge(struct pview *v)
{
	struct cb_err err = {0};
	struct person_record other;

	if (refuse_readonly(v))
		return;
	uint64_t from = ask_number(v, _("Merge into this person the person number: "));
	if (!from)
		return;
	person_record_init(&other);
	if (store_person_get(v->t->st, from, &other, &err) != 0) {
		snprintf(v->msg, sizeof v->msg, "%s", err.msg);
		v->msg_role = ROLE_ERROR;
		return;
	}
	struct buf names = {0};
	for (size_t i = 0; i < other.names.n; i++)
		buf_printf(&names, "%s%s", i ? "; " : "", other.names.items[i]);
	char *clean = text_sanitize(buf_cstr(&names), 0);
	buf_free(&names);
	char *q = xasprintf(ngettext("Move the %u case of person %llu (%s) into person %llu? "
	                             "Every spelling comes along.",
	                        "Move the %u cases of person %llu (%s) into person %llu? "
	                        "Every spelling comes along.",
	                        other.n_cases),
	    other.n_cases, (unsigned long long)from, clean, (unsigned long long)v->pid);
	free(clean);
	bool yes = tui_confirm_over(v->t, q, paint, v);
	free(q);
	if (yes) {
		int rc =
		    store_person_merge(v->t->st, v->pid, v->tl.person.rev, from, other.rev, &err);
		char *done = xasprintf(_("Person %llu merged into person %llu."),
		    (unsigned long long)from, (unsigned long long)v->pid);
		after_write(v, rc, &err, done);
		free(done);
	}
	person_record_free(&other);
}

/* Moves the cursor one case, or scrolls by a page, keeping it in view. */
static void cursor_move(struct pview *v, int action, int h)
{
	switch (action) {
	case ACT_UP:
		if (v->sel > 0)
			v->sel--;
		break;
	case ACT_DOWN:
		if (v->sel + 1 < v->tl.n)
			v->sel++;
		break;
	case ACT_TOP:
		v->sel = 0;
		v->top = 0;
		return;
	case ACT_BOTTOM:
		v->sel = v->tl.n ? v->tl.n - 1 : 0;
		v->top = (int)v->n;
		break;
	case ACT_PGUP:
	case ACT_PGDN:
		v->top += action == ACT_PGDN ? h - 1 : -(h - 1);
		if (v->top > (int)v->n - h)
			v->top = (int)v->n - h;
		if (v->top < 0)
			v->top = 0;
		/* The cursor goes to the first case that starts on the page. */
		for (int y = 0; y < h && (size_t)(v->top + y) < v->n; y++) {
			size_t i = (size_t)(v->top + y), o = v->owner[i];
			if (o != NO_CASE && (i == 0 || v->owner[i - 1] != o)) {
				v->sel = o;
				break;
			}
		}
		return;
	}
	follow(v, h);
}

/* One branch per key of the person view: the loop reads best whole. */
void tui_person_view(struct tui *t, uint64_t person_id)
{
	struct pview v = {0};

	v.t = t;
	v.pid = person_id;
	v.width = -1;
	if (!load(&v)) {
		tui_message(t, ROLE_ERROR, "%s", v.msg);
		return;
	}
	while (!t->quit) {
		if (t->too_small) {
			tui_check_size(t);
		} else {
			if (!v.w) {
				v.w = newwin(t->rows - 1, t->cols, 0, 0);
				keypad(v.w, FALSE);
			}
			paint(&v);
		}
		int key = 0, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN) {
			if (v.w && key == KF(KEY_RESIZE)) {
				delwin(v.w);
				v.w = NULL;
				v.width = -1;
			} else if (store_generation(t->st) != v.gen) {
				load(&v); /* someone else changed it */
			}
			continue;
		}
		int h = t->rows - 1, a = keys_action(KC_PERSON, key);
		if (a != ACT_NONE)
			v.msg[0] = '\0';
		if (a == ACT_BACK || a == ACT_QUIT)
			break;
		if (a == ACT_UP || a == ACT_DOWN || a == ACT_PGUP || a == ACT_PGDN ||
		    a == ACT_TOP || a == ACT_BOTTOM)
			cursor_move(&v, a, h);
		else if (a == ACT_OPEN && v.tl.n)
			detail_full_case(t, v.tl.cases[v.sel].id);
		else if (a == ACT_LINK)
			do_link(&v);
		else if (a == ACT_UNLINK)
			do_unlink(&v);
		else if (a == ACT_MERGE)
			do_merge(&v);
		else if (a == ACT_HELP)
			help_show(t);
		else if (a == ACT_MESSAGES)
			messages_show(t);
		if (v.w)
			touchwin(v.w);
	}
	lines_free(&v);
	if (v.have_tl)
		person_timeline_free(&v.tl);
	if (v.w)
		delwin(v.w);
	if (v.changed) {
		tui_invalidate(t);
		tui_requery(t);
	}
	tui_touch(t);
}

void tui_person_of_case(struct tui *t, uint64_t id)
{
	struct cb_err err = {0};
	uint64_t pid = 0;

	if (!id)
		return;
	if (store_person_of_case(t->st, id, &pid, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		return;
	}
	if (!pid) {
		tui_message(t, ROLE_STATUS,
		    _("Case %llu has no person: an unidentified person (no name) is never linked."),
		    (unsigned long long)id);
		return;
	}
	tui_person_view(t, pid);
}
