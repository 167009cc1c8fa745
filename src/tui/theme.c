/* theme.c — one table of semantic roles × themes (colour and monochrome),
 * and the two drawing helpers every pane shares: cells cut with an
 * ellipsis, and popup frames. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct theme_role {
	short fg, bg; /* colour theme: -1 is the terminal's default */
	attr_t color; /* extra attributes in the colour theme */
	attr_t mono; /* attributes in the monochrome theme */
};

static const struct theme_role roles[ROLE__COUNT] = {
    [ROLE_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ROLE_HEADER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ROLE_SELECTED_DIM] = {-1, -1, A_REVERSE | A_DIM, A_UNDERLINE},
    [ROLE_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [ROLE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [ROLE_LABEL] = {COLOR_YELLOW, -1, A_NORMAL, A_BOLD},
    [ROLE_FACET_ON] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ROLE_DIM] = {-1, -1, A_DIM, A_DIM},
    [ROLE_MESSAGE] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE | A_BOLD},
    [ROLE_BORDER] = {COLOR_BLUE, -1, A_NORMAL, A_NORMAL},
    [ROLE_INPUT] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
};

static bool mono = true;

void theme_init(void)
{
	const char *nc = getenv("NO_COLOR");

	mono = (nc && *nc) || !has_colors();
	if (mono)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < ROLE__COUNT; r++)
		init_pair((short)(r + 1), roles[r].fg, roles[r].bg);
}

attr_t theme_attr(int role)
{
	if (role < 0 || role >= ROLE__COUNT)
		role = ROLE_NORMAL;
	if (mono)
		return roles[role].mono;
	if (roles[role].fg == -1 && roles[role].bg == -1)
		return roles[role].color;
	return (attr_t)COLOR_PAIR(role + 1) | roles[role].color;
}

void theme_put_fitted(WINDOW *w, int y, int x, const char *s, int width, attr_t attr)
{
	struct buf b = {0};

	if (width <= 0)
		return;
	text_put_fitted(&b, str_or_empty(s), (size_t)width, true);
	tui_put(w, y, x, buf_cstr(&b), width, attr);
	buf_free(&b);
}

void theme_frame(WINDOW *w, const char *title)
{
	int width = getmaxx(w);

	wattrset(w, (int)theme_attr(ROLE_BORDER));
	box(w, 0, 0);
	wattrset(w, A_NORMAL);
	/* A title given with its own spaces around it gets them once. */
	while (title && *title == ' ')
		title++;
	if (str_empty(title) || width < 6)
		return;
	char *own = xstrdup(title);
	for (size_t tl = strlen(own); tl > 0 && own[tl - 1] == ' '; tl--)
		own[tl - 1] = '\0';
	title = own;
	/* The title sits in the top border between two spaces, after a piece
	 * of border when there is room; the border runs on after it to the
	 * corner, with no gap. */
	int x = text_width(title) + 6 <= (size_t)width ? 2 : 1;
	struct buf b = {0};
	buf_putc(&b, ' ');
	size_t used = text_put_fitted(&b, title, (size_t)(width - 2 - 2 * x), false);
	buf_putc(&b, ' ');
	tui_put(w, 0, x, buf_cstr(&b), (int)used + 2, theme_attr(ROLE_HEADER));
	buf_free(&b);
	free(own);
}
