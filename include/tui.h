/* tui.h — the terminal UI's whole public face (the code is in src/tui/):
 * the command line opens the store and hands it over; the UI never parses
 * options or opens databases itself. */
#ifndef CASEBOOK_TUI_PUBLIC_H
#define CASEBOOK_TUI_PUBLIC_H

#include <stdbool.h>
#include <stdio.h>

#include "store.h"

struct tui_options {
	const char *dbdir; /* shown in messages */
	bool asked_readonly; /* -r: read-only by request, so no note about it */
	const char *note; /* shown on the status line at start, or NULL */
};

/* Returns 0 when standard input and output are terminals; else says on
 * stderr that the UI needs one and returns EXIT_USAGE. The command line
 * asks before it opens (or creates) a database for the UI. */
int tui_need_terminal(void);

/* Runs the terminal UI of DESIGN.md §5 on st until the user quits. A store
 * open read-only (by request or because the user may not write there) is
 * browsed with editing disabled, and the status line says why. Returns the
 * exit status: EXIT_OK, EXIT_USAGE when standard input or output is not a
 * terminal, or 128 + N after signal N. st stays the caller's. */
int tui_main(struct store *st, const struct tui_options *opt);

/* Writes the man page's key list (mdoc) from the TUI key table, in the
 * current locale's language; the heading is the page's own. */
void tui_keys_mdoc(FILE *out);

#endif
