/* print.h — printing case sheets from the TUI: render, then pipe to the
 * configured print_command, or save into sheet_dir as owner-only files.
 * Implemented with the case-sheet work (src/print.c). */
#ifndef CASEBOOK_PRINT_H
#define CASEBOOK_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

/* Renders the sheets of the n cases in ids (one document, each case on its
 * own page) in the configured format and sends them to print_command, or
 * saves them in sheet_dir. status receives a one-line message for the
 * status bar ("Saved to /home/ana/casebook-sheets/case-42.txt", "Sent 12
 * sheets to lpr"). Returns 0, or a code with err saying what failed
 * (e.g. `print command "lpr" failed (exit 1): lpr: no default destination`).
 * Never writes to shared temporary files. Must not touch the terminal
 * (the caller may have curses active): the command's stdout/stderr are captured. */
int print_sheets(struct store *st, const uint64_t *ids, size_t n, char *status,
    size_t status_len, struct cb_err *err);

#endif
