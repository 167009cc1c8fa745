/* print.h — case sheets of stored cases: rendered from the store (for the
 * CLI's `sheet` and the TUI alike), then piped to a print command or saved
 * into a directory as owner-only files (the TUI's p and P). The caller
 * passes every option; print_options_init takes them from the config
 * file, so nothing below it reads the config itself (src/print.c). */
#ifndef CASEBOOK_PRINT_H
#define CASEBOOK_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "config.h"
#include "error.h"
#include "sheet.h"
#include "store.h"
#include "util.h"

struct print_options {
	struct sheet_options sheet; /* format, width, organisation, time, user */
	const char *command; /* print_command; NULL or "": save into sheet_dir */
	const char *sheet_dir; /* where sheets are saved (made 0700) */
	int timeout; /* seconds the command may take; 0: 60 */
};

/* Sheet options from cfg (format, width, organisation, signature), the
 * current time and the staff member printing, by full name: cfg's
 * staff_name, else the account's GECOS name, else the login. For
 * reproducible output (golden tests) the environment may override the
 * clock and user: CASEBOOK_NOW ("2026-01-01T00:00:00Z" or unix seconds)
 * and CASEBOOK_USER (below staff_name, above the account). */
void print_sheet_options(struct sheet_options *o, const struct config *cfg);
/* The sheet options above plus cfg's print_command, sheet_dir and
 * print_timeout. The strings stay cfg's. */
void print_options_init(struct print_options *po, const struct config *cfg);

/* Renders the sheets of n cases read from st, in o->format, into out (text
 * sheets separated by a form feed; one PDF, each case on a new page).
 * note, when set, is called with each case before it is rendered (the CLI
 * warns there about restricted cases). An unknown id gives CB_ENOTFOUND
 * ("no case N"); out then holds nothing useful. */
int print_render(struct store *st, const uint64_t *ids, size_t n, const struct sheet_options *o,
    void (*note)(const struct case_record *c, void *ctx), void *ctx, struct buf *out,
    struct cb_err *err);

/* Renders the sheets of the n cases in ids (one document, each case on its
 * own page) under po and sends them to po->command, or saves them in
 * po->sheet_dir. status receives a one-line message for the status bar
 * ("Saved to /home/ana/casebook-sheets/case-42.txt", "Sent 12 sheets to
 * lpr"). Returns 0, or a code with err saying what failed (e.g. `print
 * command "lpr" failed (exit 1): lpr: no default destination`). Never
 * writes to shared temporary files. Must not touch the terminal (the
 * caller may have curses active): the command's stdout/stderr are captured. */
int print_sheets(struct store *st, const uint64_t *ids, size_t n, const struct print_options *po,
    char *status, size_t status_len, struct cb_err *err);

/* The list of the n cases in ids as a document (listdoc.h, filter in its
 * heading), in po->sheet's format, sent to po->command or saved in
 * po->sheet_dir as list-DATE.txt or .pdf, as print_sheets does. */
int print_list(struct store *st, const uint64_t *ids, size_t n, const char *filter,
    const struct print_options *po, char *status, size_t status_len, struct cb_err *err);
/* The n cases as CSV (as casebook export writes it: spreadsheet-safe),
 * saved as a new owner-only file export-DATE.csv in po->sheet_dir, never
 * sent to the print command; status says where. */
int print_export_csv(struct store *st, const uint64_t *ids, size_t n,
    const struct print_options *po, char *status, size_t status_len, struct cb_err *err);

#endif
