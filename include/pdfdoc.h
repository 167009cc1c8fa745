/* pdfdoc.h — A4 pages through cairo and pango, shared by the documents
 * casebook prints (case sheets in sheet_pdf.c, the list of cases in
 * listdoc.c): the page and its margins, fonts from fontconfig ("DejaVu
 * Sans", which covers Cyrillic and Kazakh, embedded with their Unicode
 * mapping so text can be copied out), one reusable text layout, the
 * palette, text flowed across pages and tables whose header row repeats on
 * every page. A document is usually laid out twice: once with draw false
 * to count its pages, once drawing them with "Page N of M". */
#ifndef CASEBOOK_PDFDOC_H
#define CASEBOOK_PDFDOC_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "util.h"

/* A4 in points, and the margins of the text block. */
#define PDFDOC_PAGE_W 595.276
#define PDFDOC_PAGE_H 841.890
#define PDFDOC_MARGIN_X 56.0
#define PDFDOC_MARGIN_TOP 50.0
#define PDFDOC_MARGIN_BOTTOM 64.0
#define PDFDOC_TEXT_W (PDFDOC_PAGE_W - 2 * PDFDOC_MARGIN_X)

struct pdfdoc_rgb {
	double r, g, b;
};
/* The palette: text, secondary text, headings, warnings, rules, shading. */
extern const struct pdfdoc_rgb pdfdoc_ink, pdfdoc_muted, pdfdoc_accent, pdfdoc_alert, pdfdoc_line,
    pdfdoc_shade;

struct pdfdoc {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoContext *pc;
	PangoLayout *lay;
	bool draw; /* false while only counting pages */
	double y; /* where the next block goes */
	int page, pages; /* this page (from 1); pages of the document, 0 while counting */
	/* Ends the page and starts the next one (footer, new page, its
	 * heading; sets y): called when a block does not fit. */
	void (*new_page)(struct pdfdoc *d, void *ctx);
	void *ctx;
};

/* Starts a document written into out; title and created (unix seconds:
 * the printing time, so that documents are reproducible) go into its
 * metadata. new_page(d, ctx) is called on a page break. */
void pdfdoc_begin(struct pdfdoc *d, struct buf *out, const char *title, int64_t created,
    void (*new_page)(struct pdfdoc *d, void *ctx), void *ctx);
/* Finishes the document; CB_EIO (what names the document) when cairo failed. */
int pdfdoc_end(struct pdfdoc *d, const char *what, struct cb_err *err);

/* Prepares the shared layout: text, font ("Bold 10"), width in points
 * (0: unbounded) and alignment. Returns its height in points. */
double pdfdoc_setup(struct pdfdoc *d, const char *text, const char *font, double width,
    PangoAlignment align);
/* The prepared layout's width in points. */
double pdfdoc_width(struct pdfdoc *d);
/* Draws the prepared layout at (x, y) when drawing. */
void pdfdoc_show(struct pdfdoc *d, double x, double y, struct pdfdoc_rgb c);
void pdfdoc_hline(struct pdfdoc *d, double x0, double x1, double y, double width,
    struct pdfdoc_rgb c);
void pdfdoc_box(struct pdfdoc *d, double x, double y, double w, double h, struct pdfdoc_rgb c);
/* Ends the page in the drawing pass (cairo_show_page) and counts it. */
void pdfdoc_show_page(struct pdfdoc *d);
/* Makes room for h points: a new page when they do not fit. */
void pdfdoc_need(struct pdfdoc *d, double h);
/* Flows one paragraph line by line from x, width wide, so a long
 * paragraph can run across pages. */
void pdfdoc_flow(struct pdfdoc *d, const char *text, const char *font, double x, double width,
    struct pdfdoc_rgb c);

/* A table across the text block: n_cols headers, then n_rows rows of
 * cells (row-major, NULL is empty). Columns get their natural widths when
 * they fit, else the narrow ones keep theirs and the rest share what is
 * left; cells wrap. The header row is repeated on every page. */
void pdfdoc_table(struct pdfdoc *d, const char *const *headers, char *const *cells, size_t n_cols,
    size_t n_rows);

#endif
