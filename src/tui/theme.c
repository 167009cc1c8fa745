/* theme.c — one table of semantic roles × themes (colour and monochrome). */
#include "tui.h"

#include <stdlib.h>

struct theme_role {
	short fg, bg;   /* colour theme: -1 is the terminal's default */
	attr_t color;   /* extra attributes in the colour theme */
	attr_t mono;    /* attributes in the monochrome theme */
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

bool theme_mono(void)
{
	return mono;
}
