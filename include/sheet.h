/* sheet.h — case sheets (DESIGN.md §6): what a lawyer prints for a court
 * file or a family. One content model (struct sheet: sections of labelled
 * fields, tables, lists and text, already sanitised and redacted) feeds two
 * renderers: plain text that fits a width in display columns (sheet.c) and
 * A4 PDF through cairo and pango (sheet_pdf.c). Knows nothing of terminals,
 * the store or the config file: the caller passes every option (print.h
 * renders the sheets of stored cases and reads the config). */
#ifndef CASEBOOK_SHEET_H
#define CASEBOOK_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "error.h"
#include "util.h"

enum sheet_format { SHEET_FORMAT_TEXT, SHEET_FORMAT_PDF };

/* Lines per text page (form feed between pages). */
#define SHEET_PAGE_LINES 60
/* Narrowest and widest text sheet accepted. */
#define SHEET_MIN_WIDTH 40
#define SHEET_MAX_WIDTH 1000

struct sheet_options {
	int format; /* enum sheet_format */
	int width; /* text sheets: columns */
	bool redact; /* redact every case */
	bool unredacted; /* print restricted cases in full too */
	const char *organisation; /* heading; NULL or "" for none */
	int64_t printed_at; /* unix seconds, shown in the footer */
	const char *printed_by; /* staff member, shown in the footer */
	bool signature; /* end with a "Prepared by / Date / Signature" block */
	/* The other cases of c's person, one line each without names, for the
	 * section "Other cases of this person"; NULL, or no lines: no section.
	 * print_render sets it from the store. */
	void (*others)(const struct case_record *c, struct strlist *lines, void *ctx);
	void *others_ctx;
};

/* "text" or "pdf" into *out; else CB_EINVAL naming the known formats. */
int sheet_format_parse(const char *s, int *out, struct cb_err *err);
/* True when case c is printed redacted under o: --redact, or a restricted
 * case without --unredacted. */
bool sheet_redacts(const struct sheet_options *o, const struct case_record *c);

/* ---- The content model -------------------------------------------------- */

enum sheet_block { SHEET_FIELDS, SHEET_TABLE, SHEET_LIST, SHEET_TEXT };

struct sheet_field {
	const char *label; /* translated; static storage */
	char *value; /* sanitised, one line */
};

struct sheet_section {
	const char *title; /* translated heading; NULL for none (signature) */
	int block; /* enum sheet_block */
	struct sheet_field *fields; /* SHEET_FIELDS */
	size_t n_fields;
	const char **headers; /* SHEET_TABLE: n_cols headers, */
	char **cells; /* n_rows * n_cols cells, row-major */
	size_t n_cols, n_rows;
	struct strlist items; /* SHEET_LIST */
	char *text; /* SHEET_TEXT: paragraphs separated by '\n' */
	const char *empty; /* shown when the section holds nothing */
};

#define SHEET_MAX_SECTIONS 10

struct sheet {
	uint64_t id;
	uint32_t rev;
	char *name; /* the person as shown: name, "(unidentified)" or initials */
	int confidentiality; /* enum confidentiality */
	bool redacted;
	const char *conf_line; /* "Confidentiality: internal" or "RESTRICTED"; every page */
	const char *banner; /* restricted warning, or NULL */
	const char *notice; /* what redaction left out, or NULL */
	char *created; /* "Created 2021-05-02 10:00", or NULL */
	char *changed; /* "Last changed 2021-06-01 12:00 by olga", or NULL */
	struct sheet_section sec[SHEET_MAX_SECTIONS];
	size_t n_sections;
};

/* Builds the content of c's sheet; redact drops or masks what redaction
 * removes (name -> initials; name_latin, aliases, birth year, lawyer,
 * sources, notes and the staff user are left out) so no renderer can leak
 * it. Every string is sanitised (no control characters). */
void sheet_build(struct sheet *s, const struct case_record *c, bool redact);
void sheet_free(struct sheet *s);
/* Appends the signature block that ends a sheet when o->signature is set:
 * a last section without a title: "Prepared by" (o->printed_by), and
 * "Date" and "Signature" as lines to fill in by hand. Both renderers call
 * it after sheet_build; sheet_free frees it with the rest. */
void sheet_add_signature(struct sheet *s, const struct sheet_options *o);
/* Appends the section "Other cases of this person" (one line each: date,
 * event, measures) when o->others gives lines for c; kept on a redacted
 * sheet, since the lines name nobody. Both renderers call it before the
 * signature. */
void sheet_add_others(struct sheet *s, const struct case_record *c, const struct sheet_options *o);
/* True when a section has nothing to show (it is then left out). */
bool sheet_section_empty(const struct sheet_section *sec);
/* The footer's left part: "Printed 2026-01-01 12:00 by ana". malloc'd. */
char *sheet_printed_line(const struct sheet_options *o);

/* ---- Text ---------------------------------------------------------------- */

/* Appends c's text sheet to out: whole pages of SHEET_PAGE_LINES lines
 * separated by form feeds, each with a footer (printed date and user,
 * confidentiality, "Page N of M"). No line is wider than o->width. */
void sheet_render_text(const struct case_record *c, const struct sheet_options *o, struct buf *out);

/* ---- PDF ------------------------------------------------------------------ */

struct sheet_pdf;
/* Starts an A4 PDF document written into out. */
struct sheet_pdf *sheet_pdf_begin(const struct sheet_options *o, struct buf *out);
/* Adds c's sheet, starting on a new page; page numbers count per case. */
void sheet_pdf_add(struct sheet_pdf *p, const struct case_record *c);
/* Finishes the document; CB_EIO when cairo failed. Frees p. */
int sheet_pdf_end(struct sheet_pdf *p, struct cb_err *err);

#endif
