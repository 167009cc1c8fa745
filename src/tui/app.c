/* app.c — the TUI main loop: layout of the three panes, the status line,
 * the query behind the list and polling for other users' changes. The
 * terminal's set-up and restore are in term.c, line input and dialogs in
 * input.c, the actions the key table dispatches in actions.c. */
#include "tui.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

#define MIN_COLS 60
#define MIN_ROWS 16
#define WIDE_COLS 120
#define BESIDE_COLS 80 /* the narrowest screen with the filter pane beside the list */
#define POLL_MS 500
#define LOG_MAX 1000 /* messages kept for M */

static const struct query_sort sorts[] = {
    {SORT_ID, false},
    {SORT_DATE, true},
    {SORT_DATE, false},
    {SORT_NAME, false},
    {SORT_CITY, false},
    {SORT_HEARING, false},
};

/* ---- Drawing helpers ------------------------------------------------------ */

/* The name of a sort key on the status line, in the user's language. */
static const char *sort_label(enum query_sort_key k)
{
	static const char *const labels[] = {
	    /* TRANSLATORS: sort keys on the status line (" · sort date"). */
	    [SORT_ID] = N_("id"),
	    [SORT_DATE] = N_("date"),
	    [SORT_NAME] = N_("name"),
	    [SORT_CITY] = N_("city"),
	    [SORT_HEARING] = N_("hearing"),
	};

	return (unsigned)k < sizeof labels / sizeof labels[0] ? _(labels[k]) : query_sort_name(k);
}

int tui_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr)
{
	size_t used = 0;

	if (!w || width <= 0)
		return 0;
	wattrset(w, (int)attr);
	size_t nb = text_fit(str_or_empty(s), (size_t)width, &used);
	wmove(w, y, x);
	if (nb)
		waddnstr(w, s, (int)nb);
	for (int i = (int)used; i < width; i++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
	return (int)used;
}

/* Adds text to the session's message log, stamped with the time. */
static void log_add(struct tui *t, const char *text)
{
	char when[TEXT_TIME_MAX];

	text_time(when, (int64_t)time(NULL), TEXT_TIME_LOCAL);
	/* Only the time of day: the date is today's. */
	const char *hm = strchr(when, ' ');
	char *line = xasprintf("%s  %s", hm ? hm + 1 : when, text);
	/* A long session keeps its latest messages. */
	if (t->log.n >= LOG_MAX) {
		free(t->log.items[0]);
		memmove(t->log.items, t->log.items + 1, (t->log.n - 1) * sizeof *t->log.items);
		t->log.n--;
	}
	strlist_add(&t->log, line);
	free(line);
}

void tui_message(struct tui *t, int role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_role = role;
	if (t->msg[0])
		log_add(t, t->msg);
}

/* The configuration's warnings, printed on stderr before the screen was
 * taken, are shown once it is up and kept in the log. */
static void config_warnings_show(struct tui *t)
{
	const struct strlist *w = config_warnings();

	t->warned = true;
	if (w->n == 0)
		return;
	for (size_t i = 0; i < w->n; i++)
		log_add(t, w->items[i]);
	/* Already in the log: set the message itself. One already shown (a
	 * database opened read-only) stays, and points to the warnings. */
	if (t->msg[0]) {
		size_t len = strlen(t->msg);
		snprintf(t->msg + len, sizeof t->msg - len,
		    ngettext(" · %zu configuration warning: press M",
		        " · %zu configuration warnings: press M", w->n),
		    w->n);
		return;
	}
	t->msg_role = ROLE_ERROR;
	if (w->n == 1)
		snprintf(t->msg, sizeof t->msg, _("configuration: %s"), w->items[0]);
	else
		snprintf(t->msg, sizeof t->msg,
		    ngettext("configuration: %s (and %zu more warning: press M)",
		        "configuration: %s (and %zu more warnings: press M)", w->n - 1),
		    w->items[0], w->n - 1);
}

/* The sort in effect. */
static struct query_sort tui_sort(const struct tui *t)
{
	return sorts[t->sort_idx];
}

void tui_sort_next(struct tui *t)
{
	t->sort_idx = (t->sort_idx + 1) % (int)(sizeof sorts / sizeof sorts[0]);
	tui_requery(t);
}

bool tui_refuse_readonly(struct tui *t)
{
	if (!t->readonly)
		return false;
	tui_message(t, ROLE_ERROR, "%s",
	    _("read-only database: editing is disabled (-r or not writable)"));
	return true;
}

/* ---- Layout --------------------------------------------------------------- */

static void del(WINDOW **w)
{
	if (*w)
		delwin(*w);
	*w = NULL;
}

void tui_layout(struct tui *t)
{
	del(&t->wlist);
	del(&t->wdetail);
	del(&t->wfilter);
	del(&t->wstatus);
	getmaxyx(stdscr, t->rows, t->cols);
	t->too_small = t->cols < MIN_COLS || t->rows < MIN_ROWS;
	if (t->too_small)
		return;
	t->wide = t->cols >= WIDE_COLS;
	/* Below BESIDE_COLS the list would be too narrow: the pane covers it. */
	t->beside = !t->wide && t->filter_open && t->cols >= BESIDE_COLS;
	int h = t->rows - 1;
	if (t->wide) {
		int fw = t->cols / 5;
		fw = fw < 28 ? 28 : fw > 40 ? 40 : fw;
		int dw = (t->cols - fw) * 2 / 5;
		int lw = t->cols - fw - dw;
		t->wfilter = newwin(h, fw, 0, 0);
		t->wlist = newwin(h, lw, 0, fw);
		t->wdetail = newwin(h, dw, 0, fw + lw);
	} else if (t->beside) {
		/* The open filter pane on the left, the whole height; the list
		 * and the detail, narrower, stacked on its right. */
		int lh = h / 2 + 1, fw = t->cols * 2 / 5 < 34 ? 34 : t->cols * 2 / 5;
		t->wfilter = newwin(h, fw, 0, 0);
		t->wlist = newwin(lh, t->cols - fw, 0, fw);
		t->wdetail = newwin(h - lh, t->cols - fw, lh, fw);
	} else {
		int lh = h / 2 + 1;
		t->wlist = newwin(lh, t->cols, 0, 0);
		t->wdetail = newwin(h - lh, t->cols, lh, 0);
		t->wfilter = newwin(lh, t->cols, 0, 0);
		idlok(t->wlist, TRUE); /* full width: scrolling can use the terminal's */
	}
	t->wstatus = newwin(1, t->cols, t->rows - 1, 0);
	if (t->focus == PANE_FILTER && !t->wide && !t->filter_open)
		t->focus = PANE_LIST;
	list_goto(t, t->cur);
}

bool tui_check_size(struct tui *t)
{
	if (!t->too_small)
		return false;
	werase(stdscr);
	char *m = xasprintf(_("Terminal too small: %dx%d."), t->cols, t->rows);
	char *need = xasprintf(_("casebook needs at least %dx%d."), MIN_COLS, MIN_ROWS);
	const char *msgs[] = {m, need, _("Enlarge the window, or press q to quit.")};
	int y = t->rows / 2 - 1;
	for (int i = 0; i < 3; i++) {
		size_t nb = text_fit(msgs[i], (size_t)t->cols, NULL);
		if (y + i >= 0 && y + i < t->rows)
			mvwaddnstr(stdscr, y + i, 0, msgs[i], (int)nb);
	}
	free(m);
	free(need);
	wnoutrefresh(stdscr);
	return true;
}

void tui_touch(struct tui *t)
{
	WINDOW *ws[] = {t->wlist, t->wdetail, t->wfilter, t->wstatus};

	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
		if (ws[i])
			touchwin(ws[i]);
}

/* ---- Status line ---------------------------------------------------------- */

/* The first line of a message for cols columns: broken at a space, unless
 * that would leave more than a third of the line empty (a long command
 * or path): then cut between two characters. Stores where the rest starts. */
static size_t message_line(const char *m, size_t cols, size_t *next)
{
	size_t n = strlen(m), used = 0;
	size_t len = text_wrap_next(m, n, cols, next);
	char *piece = xstrndup(m, len);
	size_t w = text_width(piece);

	free(piece);
	if (*next < n && w < cols * 2 / 3) {
		len = text_fit(m, cols, &used);
		*next = len;
	}
	return len;
}

/* Draws a message that does not fit beside the count: over two lines, the
 * row above the status line and the status line; a longer one ends in "…"
 * and a hint that M shows it whole. Drawn after the panes, so the next
 * draw without a message gives the row back to its pane. */
static void message_two_lines(struct tui *t, const char *m, attr_t a)
{
	const char *more = _(" (M: all)");
	size_t next, cols = (size_t)t->cols;
	size_t len = message_line(m, cols, &next);
	WINDOW *top = newwin(1, t->cols, t->rows - 2, 0);

	if (!top)
		return;
	char *piece = xstrndup(m, len);
	theme_put_fitted(top, 0, 0, piece, t->cols, a);
	free(piece);
	wnoutrefresh(top);
	delwin(top);
	const char *rest = m + next;
	if (text_width(rest) <= cols) {
		theme_put_fitted(t->wstatus, 0, 0, rest, t->cols, a);
		return;
	}
	/* A third line would be needed: cut, and say where to read it. */
	int mw = (int)text_width(more);
	int room = t->cols - mw - 1 > 0 ? t->cols - mw - 1 : 0;
	struct buf b = {0};
	buf_put(&b, rest, text_fit(rest, (size_t)room, NULL));
	buf_puts(&b, text_ellipsis());
	buf_puts(&b, more);
	theme_put_fitted(t->wstatus, 0, 0, buf_cstr(&b), t->cols, a);
	buf_free(&b);
}

static void status_draw(struct tui *t)
{
	WINDOW *w = t->wstatus;
	attr_t a = theme_attr(ROLE_STATUS);

	if (!t->warned)
		config_warnings_show(t);
	struct buf b = {0};
	buf_printf(&b, ngettext("%zu of %llu case", "%zu of %llu cases", t->total), t->nres,
	    (unsigned long long)t->total);
	/* The tag count stays in sight, beside a message too. */
	if (t->ntags)
		buf_printf(&b, ngettext(" · %zu tagged", " · %zu tagged", (unsigned long)t->ntags),
		    t->ntags);
	if (t->msg[0]) {
		/* The message takes the place of the filter and the hints. */
		char *m = text_sanitize(t->msg, 0);
		attr_t ma = theme_attr(t->msg_role == ROLE_ERROR ? ROLE_MESSAGE : ROLE_STATUS);
		buf_puts(&b, " ");
		if (text_width(buf_cstr(&b)) + text_width(m) <= (size_t)t->cols) {
			int used = tui_put(w, 0, 0, buf_cstr(&b), t->cols, a);
			tui_put(w, 0, used, m, t->cols - used, ma);
		} else {
			message_two_lines(t, m, ma);
		}
		free(m);
		buf_free(&b);
		wnoutrefresh(w);
		return;
	}
	struct query_sort s = tui_sort(t);
	if (s.key != SORT_ID || s.descending)
		buf_printf(&b, _(" · sort %s%s"), s.descending ? "-" : "", sort_label(s.key));
	if (t->readonly)
		buf_printf(&b, " · %s", _("read-only"));
	/* What the line must show whole: the count, tags, sort, read-only. */
	size_t must = text_width(buf_cstr(&b));
	if (!str_empty(t->filter_text)) {
		char *f = text_sanitize(t->filter_text, 0);
		buf_printf(&b, " · %s", f);
		free(f);
	}
	/* Read-only: no editing keys among the hints. */
	const char *hints = t->readonly ? _("?:help f:filter /:search M:messages q:quit")
	                                : _("?:help f:filter /:search a:add e:edit q:quit");
	int hw = (int)text_width(hints);
	int room = t->cols - hw - 2;
	/* When that would be cut, the hints shrink to the help key (which
	 * lists the others) and quit. */
	if (must > (size_t)room) {
		hints = _("?:help q:quit");
		hw = (int)text_width(hints);
		room = t->cols - hw - 2;
	}
	/* The filter in effect may be long: it ends in "…" one column before
	 * the hints, which never touch it. */
	if (room > 10 && text_width(buf_cstr(&b)) > (size_t)room) {
		theme_put_fitted(w, 0, 0, buf_cstr(&b), room, a);
		tui_put(w, 0, room, "", 1, a);
		tui_put(w, 0, room + 1, hints, hw + 1, a);
	} else {
		int used = tui_put(w, 0, 0, buf_cstr(&b), t->cols, a);
		if (used + hw + 2 <= t->cols)
			tui_put(w, 0, t->cols - hw - 1, hints, hw + 1, a);
	}
	buf_free(&b);
	wnoutrefresh(w);
}

void tui_draw(struct tui *t)
{
	if (tui_check_size(t))
		return;
	detail_load(t);
	detail_draw(t);
	if (t->wide) {
		filter_draw(t);
		list_draw(t);
	} else if (t->filter_open) {
		filter_draw(t);
		if (t->beside)
			list_draw(t);
	} else {
		list_draw(t);
	}
	/* After the panes: a two-line message covers the row above. */
	status_draw(t);
	/* The hardware cursor rests on the selection (screen readers follow it). */
	if (t->focus == PANE_FILTER) {
		wnoutrefresh(t->wfilter);
	} else {
		list_cursor(t);
	}
}

/* ---- Query ---------------------------------------------------------------- */

static bool input_pending(void)
{
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};

	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

void tui_invalidate(struct tui *t)
{
	list_cache_clear(t);
	t->detail_id = 0;
	case_free(&t->detail);
	case_init(&t->detail);
	strlist_free(&t->detail_others);
	t->detail_person = 0;
	t->facets_stale = true;
}

void tui_requery(struct tui *t)
{
	char *text = filter_compose(t, NULL, true);
	struct query *q = NULL;
	struct query_result *r = NULL;
	struct cb_err err = {0};

	if (query_parse(text, &q, &err)) {
		tui_message(t, ROLE_ERROR, _("filter: %s"), err.msg);
		free(text);
		return;
	}
	int rc = query_run(t->st, q, tui_sort(t), &r, &err);
	query_free(q);
	if (rc) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		free(text);
		return;
	}
	if (t->res)
		query_result_free(t->res);
	t->res = r;
	t->nres = query_result_count(r);
	if (store_count(t->st, &t->total, &err))
		t->total = t->nres;
	free(t->filter_text);
	t->filter_text = text;
	if (t->cur_id) {
		long row = query_result_row(r, t->cur_id);
		if (row >= 0)
			t->cur = (size_t)row;
	}
	/* Facets are counted after the list is on screen (see facets_due). */
	t->facets_stale = true;
	list_goto(t, t->cur);
}

/* True when the facet pane shows counts that are out of date and no key
 * is waiting: the loops then count them and draw again (tui.h). */
bool tui_facets_due(struct tui *t)
{
	return t->facets_stale && !t->too_small && (t->wide || t->filter_open) && !input_pending();
}

/* Another process committed: show its change, keeping the selection. */
static void poll_changes(struct tui *t)
{
	uint64_t g = store_generation(t->st);

	if (g == t->gen)
		return;
	t->gen = g;
	tui_invalidate(t);
	tui_requery(t);
}

static const char *const facet_fields[NFACET] = {"city", "region", "injury", "measure", "event",
    "status", "verification", "sex", "lawyer", "date", "days"};

int tui_need_terminal(void)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return 0;
	fprintf(stderr, "casebook: %s\n",
	    _("the terminal UI needs a terminal; for scripts use a command such as "
	      "\"casebook list\" (see casebook --help)"));
	return EXIT_USAGE;
}

/* Draws, reads a key and dispatches it until a quit key or signal; between
 * keys, other processes' changes are shown. */
static void main_loop(struct tui *t)
{
	while (!t->quit) {
		/* Keys already typed (a held j over a slow link) are handled
		 * before drawing, so the screen is updated once for all of them. */
		if (!input_pending()) {
			tui_draw(t);
			doupdate();
			if (tui_facets_due(t)) {
				filter_refresh(t);
				continue;
			}
		}
		int key;
		if (tui_read_key(t, &key) == ERR) {
			if (!t->quit)
				poll_changes(t);
			continue;
		}
		t->msg[0] = '\0';
		if (key == KF(KEY_RESIZE)) {
			tui_layout(t);
			clearok(curscr, TRUE);
			continue;
		}
		if (t->too_small) {
			if (keys_action(KC_GLOBAL, key) == ACT_QUIT)
				t->quit = true;
			continue;
		}
		tui_dispatch(t, key);
		poll_changes(t);
	}
}

int tui_main(struct store *st, const struct tui_options *opt)
{
	struct tui t;
	int rc;

	setlocale(LC_ALL, "");
	if ((rc = tui_need_terminal()) != 0)
		return rc;
	memset(&t, 0, sizeof t);
	t.st = st;
	t.readonly = store_readonly(st);
	/* A database the user may not write is browsed, not refused. */
	if (t.readonly && !opt->asked_readonly) {
		char *dir = text_sanitize(opt->dbdir, 0);
		tui_message(&t, ROLE_ERROR,
		    _("You may not write to %s: opened read-only, editing is disabled"), dir);
		free(dir);
	}
	if (opt->note && !t.msg[0])
		tui_message(&t, ROLE_STATUS, "%s", opt->note);
	for (int i = 0; i < NFACET; i++)
		t.groups[i].field = facet_fields[i];
	case_init(&t.detail);
	t.gen = store_generation(st);

	tui_term_init();
	t.input = newpad(1, 1);
	keypad(t.input, TRUE);
	wtimeout(t.input, POLL_MS);
	tui_requery(&t);
	tui_layout(&t);
	if (t.total == 0 && !t.msg[0])
		tui_message(&t, ROLE_STATUS, "%s",
		    t.readonly
		        ? _("No cases yet; this database is read-only.")
		        : _("No cases yet: a adds one; or casebook import FILE, casebook demo."));
	/* Forms left unsaved by an earlier run (a dropped connection, kill -9). */
	tui_drafts_offer(&t);

	main_loop(&t);

	tui_term_restore();
	util_cleanup_hook = NULL;
	delwin(t.input);
	del(&t.wlist);
	del(&t.wdetail);
	del(&t.wfilter);
	del(&t.wstatus);
	list_cache_clear(&t);
	case_free(&t.detail);
	strlist_free(&t.detail_others);
	filter_free(&t);
	if (t.res)
		query_result_free(t.res);
	free(t.filter_text);
	free(t.filter_line);
	free(t.search);
	strlist_free(&t.log);
	tags_free(&t);
	(void)errno;
	return tui_quit_signal() ? 128 + tui_quit_signal() : EXIT_OK;
}
