/* listdoc.h — the filtered list of cases as a document, what a
 * coordinator takes to a meeting: a title, the filter, when and by whom it
 * was printed, the number of cases, then one row per case (id, name, city,
 * date, measures in short, status), paged, the column headings and "Page N
 * of M" on every page. Plain text that fits a width in display columns
 * (pages of SHEET_PAGE_LINES lines separated by form feeds; cells wrap
 * inside their column) or A4 PDF (pdfdoc.h). Restricted cases, and every
 * case when the options ask for redaction, show initials only. */
#ifndef CASEBOOK_LISTDOC_H
#define CASEBOOK_LISTDOC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sheet.h"
#include "store.h"
#include "util.h"

/* Renders the cases ids[0..n) (in that order, read from st; cases deleted
 * meanwhile are left out) as a list document into out, in o->format
 * (SHEET_FORMAT_TEXT at o->width columns, or SHEET_FORMAT_PDF). filter is
 * the filter's text as shown in the heading ("" or NULL: all cases). */
int listdoc_render(struct store *st, const uint64_t *ids, size_t n, const char *filter,
    const struct sheet_options *o, struct buf *out, struct cb_err *err);

#endif
