/* fold.h — Unicode folding for index keys and filter values: NFKC plus full
 * case folding (ICU's NFKC_Casefold), so "АЛМАТЫ", "Алматы" and "алматы",
 * or a decomposed and a precomposed "Й", give one key. */
#ifndef CASEBOOK_FOLD_H
#define CASEBOOK_FOLD_H

#include <stddef.h>

#include "case.h"
#include "util.h"

/* Folds UTF-8 text and trims surrounding white space. Invalid UTF-8 is
 * replaced by U+FFFD first. Returns a malloc'd string ("" for empty input). */
char *fold_text(const char *s);
/* The same, appended to out (no NUL added): for callers that fold many
 * values and reuse one buffer. */
void fold_text_append(const char *s, struct buf *out);

/* Splits text into folded word tokens (runs of letters, digits and marks;
 * anything else separates) and appends each to out, skipping duplicates.
 * "Ninagul DZHUMANIYAZOVA" -> "ninagul", "dzhumaniyazova". */
void fold_words(const char *s, struct strlist *out);

#endif
