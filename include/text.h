/* text.h — UTF-8 text as people see it: decoding and validation, display
 * width, fitting to columns, word wrapping, making data safe to show on a
 * terminal, and time stamps. Every module that measures or shows text uses
 * these, so a character has the same width everywhere.
 *
 * The width rule: a character takes the columns wcwidth() gives it under
 * the process's locale (setlocale(LC_CTYPE) with a UTF-8 locale); a
 * character shown as an escape (see text_sanitize) takes the columns of its
 * escape; a character wcwidth cannot measure (unassigned, or any non-ASCII
 * character when the locale is not UTF-8) takes one column. Combining marks
 * take none, wide East Asian characters and most emoji two. */
#ifndef CASEBOOK_TEXT_H
#define CASEBOOK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* The code point shown for bytes that are not well-formed UTF-8. */
#define TEXT_REPLACEMENT 0xfffdu

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Decodes the character at s (n > 0 bytes left): returns its length in
 * bytes and stores the code point in *cp. A byte that does not start a
 * well-formed sequence (a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF, a sequence cut short) gives
 * TEXT_REPLACEMENT and length 1, so every invalid byte shows as one U+FFFD. */
size_t text_decode(const char *s, size_t n, uint32_t *cp);

/* Length of the longest well-formed UTF-8 prefix of s[0..n): n when all of
 * it is valid, else the offset of the first bad byte. */
size_t text_valid_len(const char *s, size_t n);

/* Appends the UTF-8 encoding of cp (TEXT_REPLACEMENT for a surrogate or a
 * value above U+10FFFF). */
void text_put_char(struct buf *b, uint32_t cp);

/* Bytes at the end of s[0..n) that begin a sequence the next bytes may
 * complete (0 to 3); 0 when s ends on a character boundary. */
size_t text_incomplete_tail(const char *s, size_t n);

/* ---- Display width -------------------------------------------------------- */

/* Columns cp takes on a terminal once shown by text_sanitize (without
 * keep_newlines): 0 to 2 for a character shown as itself, the length of
 * its escape for one shown escaped. */
int text_char_width(uint32_t cp);

/* Display width of the UTF-8 string s as text_sanitize(s, 0) shows it. */
size_t text_width(const char *s);

/* Byte length of the longest prefix of s that fits in width columns; its
 * width in *used (may be NULL). Never splits a character, and keeps the
 * combining marks that follow the last character that fits. */
size_t text_fit(const char *s, size_t width, size_t *used);

/* The mark of a cut: "…" when the locale's character set is UTF-8, else
 * "~"; one column either way. */
const char *text_ellipsis(void);

/* Appends s cut to width columns: whole when it fits, else the longest
 * prefix that fits in width - 1 columns followed by text_ellipsis()
 * (just the mark at width 1, nothing at width 0). With pad, spaces fill
 * the rest of the width. Returns the columns written. s should already be
 * sanitized. */
size_t text_put_fitted(struct buf *out, const char *s, size_t width, bool pad);

/* ---- Word wrapping -------------------------------------------------------- */

/* The next line of s[0..n) wrapped to width columns (at least 1): returns
 * the line's length in bytes from s, and stores in *next the offset where
 * the line after it starts (n at the end). A line ends at a newline, else
 * at the last space or tab that lets it fit (the blanks at a break are
 * dropped), else, for a word longer than a line, between two characters
 * (never before a combining mark). A character wider than the whole line
 * gets a line of its own. Spaces and tabs count one column (callers show a
 * tab as a space); other characters as text_char_width says. Works only on
 * the line it returns and the characters just after it, so wrapping a
 * whole text is linear in its length and showing its first lines costs
 * only those lines. */
size_t text_wrap_next(const char *s, size_t n, size_t width, size_t *next);

/* ---- Terminal safety ------------------------------------------------------ */

/* Makes text safe to show on a terminal or in a text file: control
 * characters (C0, DEL, C1) become visible escapes such as "^[" or "\x9b",
 * except '\n' and '\t' when keep_newlines is set; the bidirectional and
 * invisible direction controls (U+061C, U+200E, U+200F, U+202A to U+202E,
 * U+2066 to U+2069), which could make a name display reversed or as
 * another, become "<U+202E>"; invalid UTF-8 becomes U+FFFD. Returns a
 * malloc'd string. */
char *text_sanitize(const char *s, int keep_newlines);

/* Appends s[0..n) made safe as text_sanitize does. */
void text_sanitize_put(struct buf *b, const char *s, size_t n, int keep_newlines);

/* The escape cp is shown as, written into out (at least TEXT_ESCAPE_MAX
 * bytes), or NULL when cp is shown as itself. '\n' and '\t' have escapes
 * ("^J", "^I"): callers that keep them check first. */
#define TEXT_ESCAPE_MAX 16
const char *text_escape(uint32_t cp, char out[TEXT_ESCAPE_MAX]);

/* ---- Time stamps ---------------------------------------------------------- */

enum text_time_style {
	TEXT_TIME_UTC, /* 2021-05-01T10:30:00Z: exchange formats, field values */
	TEXT_TIME_LOCAL, /* 2021-05-01 15:30 in local time: screens, sheets, messages */
};

/* Room for any time stamp text_time writes. */
#define TEXT_TIME_MAX 32

/* Writes the unix time t into out in the given style and returns out; a
 * time the C library cannot convert is written as its number of seconds. */
char *text_time(char out[TEXT_TIME_MAX], int64_t t, enum text_time_style style);

#endif
