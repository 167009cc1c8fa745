/* case_int.h — helpers shared by the case model's files (case.c,
 * case_vocab.c, case_items.c). Not part of any public interface. */
#ifndef CASEBOOK_CASE_INT_H
#define CASEBOOK_CASE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "util.h"

/* ASCII case-insensitive equality, independent of the locale. */
bool ascii_eq_nocase(const char *a, const char *b);
/* The C locale's white space. */
bool is_space(int ch);
/* "a, b, c" into dst (cut to size). */
void join_keys(char *dst, size_t size, const char *const *keys, int n);
/* A trimmed, unescaped copy of s[0..n): "\|", "\\" and, with colon, "\:"
 * become the character; any other backslash stays as written. */
char *unescape(const char *s, size_t n, bool colon);
/* Parses digits only (no sign, no space) into a number at most max. */
bool parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
