/* input.c — reading keys for dialogs, the yes/no question and the line
 * editor on the status line (struct wline and tui_readline). */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "util.h"

/* ---- Dialogs -------------------------------------------------------------- */

int tui_read_key(struct tui *t, int *key)
{
	int r = keys_read(t->input, key);

	if (r == ERR && tui_quit_signal())
		t->quit = true;
	return r;
}

int tui_modal_key(struct tui *t, int *key)
{
	doupdate();
	if (tui_read_key(t, key) == ERR)
		return t->quit ? MODAL_QUIT : MODAL_AGAIN;
	if (*key == KF(KEY_RESIZE)) {
		tui_layout(t);
		return MODAL_AGAIN;
	}
	/* F1 opens the help from every dialog and pick list, as the help
	 * says; the dialog is back as it was when it closes. */
	if (*key == KF(KEY_F(1))) {
		help_show(t);
		return MODAL_AGAIN;
	}
	return MODAL_KEY;
}

/* Shows question on the status line over paint's screen (the main screen
 * when paint is NULL) and waits for a key: MODAL_KEY with *key, or
 * MODAL_QUIT when a quit signal arrived. */
static int question_key(struct tui *t, const char *question, void (*paint)(void *ctx), void *ctx,
    int *key)
{
	for (;;) {
		if (!t->too_small) {
			if (paint)
				paint(ctx);
			else
				tui_draw(t);
			int used =
			    tui_put(t->wstatus, 0, 0, question, t->cols, theme_attr(ROLE_MESSAGE));
			wmove(t->wstatus, 0, used < t->cols ? used : t->cols - 1);
			wnoutrefresh(t->wstatus);
		} else {
			tui_check_size(t);
		}
		int m = tui_modal_key(t, key);
		if (m != MODAL_AGAIN)
			return m;
	}
}

bool tui_confirm(struct tui *t, const char *question)
{
	return tui_confirm_over(t, question, NULL, NULL);
}

bool tui_confirm_over(struct tui *t, const char *question, void (*paint)(void *ctx), void *ctx)
{
	char *q = xasprintf("%s %s", question, _("(y/n)"));
	bool yes = false;

	for (;;) {
		int key;
		if (question_key(t, q, paint, ctx, &key) == MODAL_QUIT)
			break;
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

/* A question whose answers are the lettered choices of context (tui.h). */
int tui_choose(struct tui *t, const char *question, int context, void (*paint)(void *ctx),
    void *ctx)
{
	int a = ACT_BACK;

	for (;;) {
		int key;
		if (question_key(t, question, paint, ctx, &key) == MODAL_QUIT)
			break;
		a = keys_action(context, key);
		if (a != ACT_NONE)
			break;
	}
	t->msg[0] = '\0';
	return a;
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
		if (tui_facets_due(t)) {
			filter_refresh(t);
			continue;
		}
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		if (keys_action(KC_GLOBAL, key) == ACT_BACK)
			break;
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
