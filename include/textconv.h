/* textconv.h — office files as UTF-8 text: which encoding a spreadsheet
 * export is in (UTF-8 with or without a byte-order mark, UTF-16 with one,
 * or the Windows-1251 that Russian Excel writes), its conversion to UTF-8
 * with ICU's converters, and which delimiter its CSV uses. */
#ifndef CASEBOOK_TEXTCONV_H
#define CASEBOOK_TEXTCONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

enum textconv_encoding {
	TEXTCONV_UTF8, /* valid UTF-8 without a byte-order mark (also: empty) */
	TEXTCONV_UTF8_BOM, /* UTF-8 starting with EF BB BF */
	TEXTCONV_UTF16LE, /* starts with FF FE */
	TEXTCONV_UTF16BE, /* starts with FE FF */
	TEXTCONV_CP1251, /* Windows-1251, Cyrillic */
	TEXTCONV_KOI8R, /* KOI8-R, the older Russian Unix code page */
};

/* A file's text after conversion. */
struct textconv_text {
	char *text; /* malloc'd UTF-8, NUL-terminated, no byte-order mark */
	size_t len; /* bytes in text, the NUL not counted */
	enum textconv_encoding enc;
};

/* Detects the encoding of the n bytes at data and converts them to UTF-8.
 * The rules, in order: a UTF-8 or UTF-16 byte-order mark decides (what
 * follows must be valid in that encoding); valid UTF-8 is UTF-8 (an empty
 * file is UTF-8 with empty text); text with more valid UTF-8 multi-byte
 * sequences than invalid ones is broken UTF-8 and refused (decoding it as
 * Windows-1251 would give Cyrillic-looking mojibake); anything else is
 * Windows-1251 if every byte decodes, no C1 control appears and at least
 * 80% of the words with letters beyond ASCII are wholly Cyrillic (so
 * Latin-1 "Café Müller", which would decode as "Cafй Mьller", is refused,
 * not misread); but KOI8-R when the bytes read as Cyrillic in KOI8-R too
 * and its letters are the more frequent in Russian text (the two code
 * pages put the same letters at other bytes). Windows-1251 text with a "?" glued before a Cyrillic
 * letter ("?ызылорда") lost letters the code page lacks (Excel writes "?"
 * for Kazakh қ, ә...) and is refused. A NUL character, a spreadsheet
 * workbook (.xlsx, .xls, .ods) and text in no accepted encoding are
 * refused with CB_EINVAL and a message naming the line and byte (counted
 * from 1) of the first bad sequence, e.g. `line 3, byte 57: not UTF-8
 * (0xE9), nor Cyrillic Windows-1251; save the file as "CSV UTF-8"`. On
 * success fills *out (free out->text) and returns 0; on error out->text is
 * NULL. Line ends and everything else are passed through unchanged. */
int textconv_to_utf8(const void *data, size_t n, struct textconv_text *out, struct cb_err *err);

/* A short translated name of the encoding for the import summary:
 * "UTF-8", "UTF-8 with byte-order mark", "UTF-16 (little-endian)",
 * "UTF-16 (big-endian)", "Windows-1251 (Cyrillic)". */
const char *textconv_encoding_name(enum textconv_encoding enc);

/* Which of ',', ';' and '\t' separates the columns of the CSV text (UTF-8,
 * len bytes). Counts each candidate outside double quotes on the header
 * line and on up to 20 following records; the delimiter is the candidate
 * present in the header whose count repeats on the most records (then the
 * one with most columns; then tab, semicolon, comma in that order). A first
 * line "sep=X" (Excel's own hint) gives X outright. ',' when nothing
 * decides (an empty file, one column). *skip (when not NULL) gets the bytes
 * of a "sep=" line the caller must skip, its line end included, else 0. */
char textconv_delimiter(const char *text, size_t len, size_t *skip);

/* Translated name of a delimiter for the import summary: "comma",
 * "semicolon", "tab"; the character itself for anything else. */
const char *textconv_delimiter_name(char delim);

/* The one line the import summary shows, malloc'd and translated, e.g.
 * "read as Windows-1251 (Cyrillic), columns separated by semicolon". */
char *textconv_summary(enum textconv_encoding enc, char delim);

/* A file opened for import as UTF-8 text, converted as it is read: memory
 * does not grow with the file. */
struct textconv_stream;

/* Opens in (seekable, at its start) as UTF-8. encoding NULL or "auto":
 * detected as textconv_to_utf8 does, from the first 64 KiB that hold a
 * byte beyond ASCII (the file is read on until one appears); otherwise the
 * name of the file's encoding ("utf-8", "windows-1251", "koi8-r",
 * "utf-16le", any name ICU knows), used as given. A byte-order mark is
 * never part of the text. On success *out holds the stream (free it with
 * textconv_close); on error (unknown encoding, workbook, text in no
 * accepted encoding) returns CB_EINVAL, or CB_EIO when in cannot be read. */
int textconv_open(FILE *in, const char *encoding, struct textconv_stream **out, struct cb_err *err);

/* The UTF-8 text as a stdio stream (in itself when the file is UTF-8). A
 * problem met later in the file (a byte the encoding cannot hold) makes
 * reads fail: textconv_failed then says what it was. */
FILE *textconv_file(struct textconv_stream *s);

/* Up to the first 64 KiB of the converted text, for the delimiter and
 * format checks; call before reading from textconv_file. */
const char *textconv_peek(struct textconv_stream *s, size_t *len);

/* The encoding's name for the import summary: textconv_encoding_name's,
 * or the name given to textconv_open. */
const char *textconv_stream_name(const struct textconv_stream *s);

/* True after a read failed on text the encoding cannot hold; err (may be
 * NULL) then gets the message, naming line and byte. */
bool textconv_failed(const struct textconv_stream *s, struct cb_err *err);

/* Closes the conversion (not in itself). */
void textconv_close(struct textconv_stream *s);

/* The one line the import summary shows, malloc'd and translated, e.g.
 * "read as Windows-1251 (Cyrillic), columns separated by semicolon". */
char *textconv_summary_named(const char *encoding_name, char delim);

#endif
