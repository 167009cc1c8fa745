/* vocab_match.h — reading a vocabulary term as people type it: its key,
 * its label in English, Russian or Kazakh, or a common synonym
 * ("injury:ЧМТ", "measure:штраф", "status:в суде"), in any case, with the
 * Kazakh letters or their Russian look-alikes (қ = к, ұ = у, ё = е), or a
 * prefix of any of these that names one term only ("injury:head").
 * Matching does not depend on the current language. A near miss is never
 * accepted, but the error names the nearest terms ("did you mean bruise?").
 * vocab_parse in case.c goes through here, so the CLI, the filter line,
 * the form and import all read terms the same way. */
#ifndef CASEBOOK_VOCAB_MATCH_H
#define CASEBOOK_VOCAB_MATCH_H

#include "case.h"
#include "error.h"

/* Finds the one term of v that text names: a key (exact), else a match
 * name equal to text after folding, else the only term with a match name
 * that starts with text (at least two letters). Stores its index in *out
 * and returns 0. Otherwise leaves *out alone and returns CB_EINVAL with
 * err set to `unknown VOCAB "TEXT"; did you mean K? (known: ...)` or
 * `ambiguous VOCAB "TEXT": K1 (name), K2 (name)`. */
int vocab_match(const struct vocab *v, const char *text, int *out, struct cb_err *err);

/* Up to max indexes of the terms of v nearest to text by edit distance
 * over keys and match names (folded), nearest first, only those close
 * enough to be a slip of the keyboard. Returns how many were stored. */
int vocab_match_nearest(const struct vocab *v, const char *text, int *idx, int max);

/* Up to max indexes of the terms of v that text could be the start of
 * (key or any match name), in table order, for completion. An exact match
 * counts too. Returns how many were stored. */
int vocab_match_complete(const struct vocab *v, const char *text, int *idx, int max);

/* True when text, as typed (any case, Kazakh letters or their Russian
 * look-alikes), starts a word of one of the match names of term i: its
 * key, its English label, that label in the interface language, or one of
 * the table's names (so "в" fits in_court by "в суде", "суд" fits it and
 * awaiting_trial). The form's choosers narrow to the terms that fit what
 * was typed. Empty text fits nothing. */
bool vocab_match_fits(const struct vocab *v, int i, const char *text);
/* The same for one name: true when text starts a word of name. */
bool vocab_match_name_fits(const char *name, const char *text);

/* The match names of term i beyond its key and English label (Russian,
 * Kazakh, synonyms), NULL-terminated; an empty list for an unknown term. */
const char *const *vocab_match_names(const struct vocab *v, int i);

#endif
