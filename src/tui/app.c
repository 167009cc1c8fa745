/* app.c — the TUI main loop: terminal set-up and restore, layout of the
 * three panes, the status line, polling for other users' changes, small
 * dialogs (confirm, line input) and dispatch of the key table's actions. */
#include "tui.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "config.h"
#include "print.h"
#include "util.h"

#define MIN_COLS 60
#define MIN_ROWS 16
#define WIDE_COLS 120
#define POLL_MS 500
#define LOG_MAX 1000 /* messages kept for M */

static bool curses_on;
static struct termios saved_tio;
static bool have_tio;
static char reset_seq[256];
static size_t reset_len;
static volatile sig_atomic_t quit_signal;

static const struct query_sort sorts[] = {
    {SORT_ID, false},
    {SORT_DATE, true},
    {SORT_DATE, false},
    {SORT_NAME, false},
    {SORT_CITY, false},
    {SORT_HEARING, false},
};

/* ---- Terminal set-up and restore ------------------------------------------ */

static void term_restore(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
}

/* A crash: only async-signal-safe calls. Leave the alternate screen, show
 * the cursor, restore the saved terminal modes, then die by the signal. */
static void crash_handler(int sig)
{
	if (reset_len)
		(void)!write(STDOUT_FILENO, reset_seq, reset_len);
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGTERM, SIGHUP, SIGINT: the main loop notices within POLL_MS and exits cleanly. */
static void quit_handler(int sig)
{
	quit_signal = sig;
}

static void add_reset(const char *cap)
{
	char *s = tigetstr(cap);

	if (s && s != (char *)-1 && reset_len + strlen(s) < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, s, strlen(s));
		reset_len += strlen(s);
	}
}

static void signals_install(void)
{
	struct sigaction sa;
	static const int crash[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
	static const int quit[] = {SIGTERM, SIGHUP, SIGINT};

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
	sa.sa_handler = quit_handler;
	sa.sa_flags = 0;
	for (size_t i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
}

static void term_init(void)
{
	struct termios tio;

	/* Read the configuration first: its warnings go to stderr, which
	 * must happen before curses owns the screen. */
	(void)config_get();
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = true;
	/* Line drawing: in a UTF-8 locale many terminals (tmux, PuTTY, vt100
	 * emulators) ignore the VT100 alternate character set, and borders
	 * come out as "qqqq"; the Unicode box characters work everywhere
	 * there. A user's own setting wins. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	initscr();
	keys_terminal_init();
	curses_on = true;
	util_cleanup_hook = term_restore;
	cbreak();
	noecho();
	nonl();
	set_escdelay(25);
	/* ^S saves a form: take it from flow control. */
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		def_prog_mode();
	}
	theme_init();
	curs_set(1);
	reset_len = 0;
	add_reset("sgr0");
	add_reset("cnorm");
	add_reset("rmcup");
	if (config_get()->mouse) {
		mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		mouseinterval(0);
		static const char mouse_off[] = "\033[?1000l\033[?1006l";
		if (reset_len + sizeof mouse_off < sizeof reset_seq) {
			memcpy(reset_seq + reset_len, mouse_off, sizeof mouse_off - 1);
			reset_len += sizeof mouse_off - 1;
		}
	}
	signals_install();
}

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

struct query_sort tui_sort(const struct tui *t)
{
	return sorts[t->sort_idx];
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
	int h = t->rows - 1;
	if (t->wide) {
		int fw = t->cols / 5;
		fw = fw < 28 ? 28 : fw > 40 ? 40 : fw;
		int dw = (t->cols - fw) * 2 / 5;
		int lw = t->cols - fw - dw;
		t->wfilter = newwin(h, fw, 0, 0);
		t->wlist = newwin(h, lw, 0, fw);
		t->wdetail = newwin(h, dw, 0, fw + lw);
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
	/* The filter in effect may be long: it ends in "…" before the hints. */
	if (room > 10 && text_width(buf_cstr(&b)) > (size_t)room) {
		theme_put_fitted(w, 0, 0, buf_cstr(&b), room + 1, a);
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
 * is waiting: the loops then count them and draw again. */
static bool facets_due(struct tui *t)
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

/* ---- Dialogs -------------------------------------------------------------- */

int tui_read_key(struct tui *t, int *key)
{
	int r = keys_read(t->input, key);

	if (r == ERR && quit_signal)
		t->quit = true;
	return r;
}

int tui_modal_key(struct tui *t, int *key)
{
	if (tui_read_key(t, key) == ERR)
		return t->quit ? MODAL_QUIT : MODAL_AGAIN;
	if (*key == KF(KEY_RESIZE)) {
		tui_layout(t);
		return MODAL_AGAIN;
	}
	return MODAL_KEY;
}

bool tui_confirm(struct tui *t, const char *question)
{
	char *q = xasprintf("%s %s", question, _("(y/n)"));
	bool yes = false;

	for (;;) {
		if (!t->too_small) {
			tui_draw(t);
			int used = tui_put(t->wstatus, 0, 0, q, t->cols, theme_attr(ROLE_MESSAGE));
			wmove(t->wstatus, 0, used < t->cols ? used : t->cols - 1);
			wnoutrefresh(t->wstatus);
		} else {
			tui_check_size(t);
		}
		doupdate();
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		int answer = keys_answer(key);
		if (answer == 1) {
			yes = true;
			break;
		}
		if (answer == 0)
			break;
	}
	free(q);
	t->msg[0] = '\0';
	return yes;
}

void wline_set(struct wline *l, const char *utf8)
{
	size_t n = strlen(utf8), i = 0;

	l->cap = n + 16;
	l->s = xreallocarray(l->s, l->cap, sizeof(wchar_t));
	l->len = 0;
	while (i < n) {
		/* Invalid bytes become U+FFFD, as everywhere on screen. */
		uint32_t cp;
		i += text_decode(utf8 + i, n - i, &cp);
		l->s[l->len++] = (wchar_t)cp;
	}
	l->s[l->len] = 0;
	l->cur = l->len;
}

char *wline_utf8(const struct wline *l)
{
	struct buf b = {0};

	/* Data is UTF-8 whatever the locale's character set. */
	for (size_t i = 0; i < l->len; i++)
		text_put_char(&b, (uint32_t)l->s[i]);
	return buf_steal(&b);
}

bool wline_key(struct wline *l, int key)
{
	if (key == KF(KEY_LEFT)) {
		if (l->cur > 0)
			l->cur--;
	} else if (key == KF(KEY_RIGHT)) {
		if (l->cur < l->len)
			l->cur++;
	} else if (key == KF(KEY_HOME) || key == 1) {
		l->cur = 0;
	} else if (key == KF(KEY_END)) {
		l->cur = l->len;
	} else if (key == KF(KEY_BACKSPACE) || key == 127 || key == 8) {
		if (l->cur == 0)
			return false;
		memmove(l->s + l->cur - 1, l->s + l->cur, (l->len - l->cur + 1) * sizeof(wchar_t));
		l->cur--;
		l->len--;
		return true;
	} else if (key == KF(KEY_DC) || key == 4) {
		if (l->cur == l->len)
			return false;
		memmove(l->s + l->cur, l->s + l->cur + 1, (l->len - l->cur) * sizeof(wchar_t));
		l->len--;
		return true;
	} else if (key == 21) { /* ^U */
		if (l->cur == 0)
			return false;
		memmove(l->s, l->s + l->cur, (l->len - l->cur + 1) * sizeof(wchar_t));
		l->len -= l->cur;
		l->cur = 0;
		return true;
	} else if (!(key & 0x40000000) && key >= 0x20 && iswprint((wint_t)key)) {
		if (l->len + 2 > l->cap) {
			l->cap = l->cap * 2 + 16;
			l->s = xreallocarray(l->s, l->cap, sizeof(wchar_t));
		}
		memmove(l->s + l->cur + 1, l->s + l->cur, (l->len - l->cur + 1) * sizeof(wchar_t));
		l->s[l->cur++] = (wchar_t)key;
		l->len++;
		return true;
	}
	return false;
}

void wline_draw(WINDOW *w, int y, int x, int width, const struct wline *l, attr_t attr)
{
	size_t start = l->cur;
	int cw = 0;

	/* Scroll left until the cursor column fits: walk back from the
	 * cursor, so a long line costs only what is shown. */
	while (start > 0) {
		int c = text_char_width((uint32_t)l->s[start - 1]);
		if (cw + c >= width)
			break;
		cw += c;
		start--;
	}
	wattrset(w, (int)attr);
	wmove(w, y, x);
	int used = 0;
	for (size_t i = start; i < l->len; i++) {
		char esc[TEXT_ESCAPE_MAX];
		const char *e = text_escape((uint32_t)l->s[i], esc);
		int c = e ? (int)strlen(e) : text_char_width((uint32_t)l->s[i]);
		if (used + c > width)
			break;
		/* Control and direction characters show as their escapes, other
		 * characters the terminal cannot print as "?". */
		if (e)
			waddstr(w, e);
		else if (c > 0 && !iswprint((wint_t)l->s[i]))
			waddch(w, '?');
		else
			waddnwstr(w, &l->s[i], 1);
		used += c;
	}
	for (; used < width; used++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
	wmove(w, y, x + (cw < width ? cw : width - 1));
}

char *tui_readline(struct tui *t, const char *prompt, const char *initial,
    void (*on_change)(struct tui *t, const char *text),
    char *(*complete)(struct tui *t, const char *text))
{
	struct wline l = {0};
	char *result = NULL;
	bool listed = false; /* t->msg lists Tab's candidates */

	wline_set(&l, str_or_empty(initial));
	for (;;) {
		if (!t->too_small) {
			tui_draw(t);
			int pw =
			    tui_put(t->wstatus, 0, 0, prompt, t->cols, theme_attr(ROLE_STATUS));
			if (t->msg[0]) {
				/* An error about the text: show it after the input. */
				int mw = (int)text_width(t->msg);
				int room = t->cols - pw - 1;
				if (mw + 10 < room) {
					tui_put(t->wstatus, 0, t->cols - mw - 1, t->msg, mw + 1,
					    theme_attr(ROLE_MESSAGE));
					room -= mw + 2;
				}
				wline_draw(t->wstatus, 0, pw, room, &l, theme_attr(ROLE_NORMAL));
			} else {
				/* The count follows the typing (incremental search). */
				char *cnt = xasprintf(_(" %zu of %llu "), t->nres,
				    (unsigned long long)t->total);
				int cw = (int)text_width(cnt);
				int room = t->cols - pw - 1;
				if (on_change && cw + 10 < room) {
					tui_put(t->wstatus, 0, t->cols - cw, cnt, cw,
					    theme_attr(ROLE_STATUS));
					room -= cw + 1;
				}
				free(cnt);
				wline_draw(t->wstatus, 0, pw, room, &l, theme_attr(ROLE_NORMAL));
			}
			wnoutrefresh(t->wstatus);
		} else {
			tui_check_size(t);
		}
		doupdate();
		if (facets_due(t)) {
			filter_refresh(t);
			continue;
		}
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		if (key == 27) {
			break;
		}
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER)) {
			result = wline_utf8(&l);
			break;
		}
		if (key == '\t' && complete) {
			char *s = wline_utf8(&l), *done;
			t->msg[0] = '\0';
			listed = true;
			if ((done = complete(t, s)))
				wline_set(&l, done);
			free(done);
			free(s);
			continue;
		}
		if (listed) {
			t->msg[0] = '\0';
			listed = false;
		}
		if (wline_key(&l, key) && on_change) {
			char *s = wline_utf8(&l);
			t->msg[0] = '\0';
			on_change(t, s);
			free(s);
		}
	}
	free(l.s);
	return result;
}

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
	char *q = xasprintf(_("Delete case %llu (%s)?"), (unsigned long long)t->cur_id, name);
	free(name);
	bool yes = tui_confirm(t, q);
	free(q);
	if (!yes)
		return;
	uint64_t id = t->cur_id;
	if (store_delete(t->st, id, t->detail.rev, &err)) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	} else {
		tui_message(t, ROLE_STATUS, _("Deleted case %llu."), (unsigned long long)id);
		t->cur_id = 0;
	}
	t->gen = store_generation(t->st);
	tui_invalidate(t);
	tui_requery(t);
}

static void do_print(struct tui *t, bool all)
{
	struct cb_err err = {0};
	char status[512] = "";
	uint64_t *ids;
	size_t n;

	if (!t->nres)
		return;
	if (all) {
		char *q = xasprintf(ngettext("Print the sheet of the %zu case in the list?",
		                        "Print the sheets of all %zu cases in the list?", t->nres),
		    t->nres);
		bool yes = tui_confirm(t, q);
		free(q);
		if (!yes)
			return;
		ids = xreallocarray(NULL, t->nres, sizeof *ids);
		n = query_result_page(t->res, 0, t->nres, ids);
	} else {
		if (!t->cur_id)
			return;
		ids = xmalloc(sizeof *ids);
		ids[0] = t->cur_id;
		n = 1;
	}
	tui_message(t, ROLE_STATUS, "%s", _("Printing..."));
	tui_draw(t);
	doupdate();
	struct print_options po;
	print_options_init(&po, config_get());
	if (print_sheets(t->st, ids, n, &po, status, sizeof status, &err))
		tui_message(t, ROLE_ERROR, "%s", err.msg);
	else
		tui_message(t, ROLE_STATUS, "%s", status);
	free(ids);
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
		t->focus = t->filter_open && !t->wide ? PANE_FILTER : PANE_LIST;
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
		if (!t->filter_open)
			touchwin(t->wlist);
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
	} else if (wenclose(t->wlist, ev.y, ev.x) && !(t->filter_open && !t->wide)) {
		int y = ev.y - getbegy(t->wlist) - 1;
		if (y >= 0)
			list_goto(t, t->top + (size_t)y);
		t->focus = PANE_LIST;
	}
}

static void dispatch(struct tui *t, int key)
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
		t->sort_idx = (t->sort_idx + 1) % (int)(sizeof sorts / sizeof sorts[0]);
		tui_requery(t);
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
		do_print(t, false);
		break;
	case ACT_PRINT_ALL:
		do_print(t, true);
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

static const char *const facet_fields[NFACET] = {"city", "injury", "measure", "event", "status"};

int tui_need_terminal(void)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return 0;
	fprintf(stderr, "casebook: %s\n",
	    _("the terminal UI needs a terminal; for scripts use a command such as "
	      "\"casebook list\" (see casebook --help)"));
	return EXIT_USAGE;
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

	term_init();
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

	while (!t.quit) {
		/* Keys already typed (a held j over a slow link) are handled
		 * before drawing, so the screen is updated once for all of them. */
		if (!input_pending()) {
			tui_draw(&t);
			doupdate();
			if (facets_due(&t)) {
				filter_refresh(&t);
				continue;
			}
		}
		int key;
		if (tui_read_key(&t, &key) == ERR) {
			if (!t.quit)
				poll_changes(&t);
			continue;
		}
		t.msg[0] = '\0';
		if (key == KF(KEY_RESIZE)) {
			tui_layout(&t);
			clearok(curscr, TRUE);
			continue;
		}
		if (t.too_small) {
			if (keys_action(KC_GLOBAL, key) == ACT_QUIT)
				t.quit = true;
			continue;
		}
		dispatch(&t, key);
		poll_changes(&t);
	}

	term_restore();
	util_cleanup_hook = NULL;
	delwin(t.input);
	del(&t.wlist);
	del(&t.wdetail);
	del(&t.wfilter);
	del(&t.wstatus);
	list_cache_clear(&t);
	case_free(&t.detail);
	filter_free(&t);
	if (t.res)
		query_result_free(t.res);
	free(t.filter_text);
	free(t.filter_line);
	free(t.search);
	strlist_free(&t.log);
	(void)errno;
	return quit_signal ? 128 + quit_signal : EXIT_OK;
}
