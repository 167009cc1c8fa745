/* pdfdoc.c — A4 pages through cairo and pango for every PDF casebook
 * writes: the surface and its metadata, one text layout reused for every
 * block, drawing primitives, paragraphs flowed across pages and tables
 * with a header row repeated on each page. */
#include "pdfdoc.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FONT "DejaVu Sans"

const struct pdfdoc_rgb pdfdoc_ink = {0.10, 0.10, 0.12};
const struct pdfdoc_rgb pdfdoc_muted = {0.38, 0.40, 0.44};
const struct pdfdoc_rgb pdfdoc_accent = {0.10, 0.24, 0.44};
const struct pdfdoc_rgb pdfdoc_alert = {0.70, 0.08, 0.08};
const struct pdfdoc_rgb pdfdoc_line = {0.72, 0.74, 0.78};
const struct pdfdoc_rgb pdfdoc_shade = {0.92, 0.93, 0.95};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	buf_put(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

void pdfdoc_begin(struct pdfdoc *d, struct buf *out, const char *title, int64_t created,
    void (*new_page)(struct pdfdoc *d, void *ctx), void *ctx)
{
	cairo_font_options_t *fo;
	char date[32];
	time_t t = (time_t)created;
	struct tm tm;

	memset(d, 0, sizeof *d);
	d->new_page = new_page;
	d->ctx = ctx;
	d->surf = cairo_pdf_surface_create_for_stream(write_out, out, PDFDOC_PAGE_W, PDFDOC_PAGE_H);
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATOR, "casebook");
	if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm))
		cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	d->cr = cairo_create(d->surf);
	d->pc = pango_cairo_create_context(d->cr);
	/* Font sizes are in points: one pango unit of size = one PDF point. */
	pango_cairo_context_set_resolution(d->pc, 72);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pc, fo);
	cairo_font_options_destroy(fo);
	d->lay = pango_layout_new(d->pc);
}

int pdfdoc_end(struct pdfdoc *d, const char *what, struct cb_err *err)
{
	cairo_status_t st;

	g_object_unref(d->lay);
	g_object_unref(d->pc);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surf);
	st = cairo_surface_status(d->surf);
	cairo_surface_destroy(d->surf);
	memset(d, 0, sizeof *d);
	if (st != CAIRO_STATUS_SUCCESS)
		return cb_err_set(err, CB_EIO, "%s: %s", what, cairo_status_to_string(st));
	return 0;
}

static void color(struct pdfdoc *d, struct pdfdoc_rgb c)
{
	cairo_set_source_rgb(d->cr, c.r, c.g, c.b);
}

double pdfdoc_setup(struct pdfdoc *d, const char *text, const char *font, double width,
    PangoAlignment align)
{
	char *spec = xasprintf("%s %s", FONT, font);
	PangoFontDescription *fd = pango_font_description_from_string(spec);
	int w, h;

	pango_layout_set_font_description(d->lay, fd);
	pango_font_description_free(fd);
	free(spec);
	pango_layout_set_width(d->lay, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(d->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(d->lay, align);
	pango_layout_set_text(d->lay, text, -1);
	pango_layout_get_size(d->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

double pdfdoc_width(struct pdfdoc *d)
{
	int w, h;
	pango_layout_get_size(d->lay, &w, &h);
	return (double)w / PANGO_SCALE;
}

void pdfdoc_show(struct pdfdoc *d, double x, double y, struct pdfdoc_rgb c)
{
	if (!d->draw)
		return;
	color(d, c);
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, d->lay);
}

void pdfdoc_hline(struct pdfdoc *d, double x0, double x1, double y, double width,
    struct pdfdoc_rgb c)
{
	if (!d->draw)
		return;
	color(d, c);
	cairo_set_line_width(d->cr, width);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

void pdfdoc_box(struct pdfdoc *d, double x, double y, double w, double h, struct pdfdoc_rgb c)
{
	if (!d->draw)
		return;
	color(d, c);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
}

void pdfdoc_show_page(struct pdfdoc *d)
{
	if (d->draw)
		cairo_show_page(d->cr);
	d->page++;
}

void pdfdoc_need(struct pdfdoc *d, double h)
{
	if (d->y + h > PDFDOC_PAGE_H - PDFDOC_MARGIN_BOTTOM)
		d->new_page(d, d->ctx);
}

void pdfdoc_flow(struct pdfdoc *d, const char *text, const char *font, double x, double width,
    struct pdfdoc_rgb c)
{
	pdfdoc_setup(d, text, font, width, PANGO_ALIGN_LEFT);
	int n = pango_layout_get_line_count(d->lay);
	for (int i = 0; i < n; i++) {
		PangoLayoutLine *line = pango_layout_get_line_readonly(d->lay, i);
		PangoRectangle logical;
		pango_layout_line_get_extents(line, NULL, &logical);
		double h = (double)logical.height / PANGO_SCALE;
		double base = (double)-logical.y / PANGO_SCALE;
		if (d->y + h > PDFDOC_PAGE_H - PDFDOC_MARGIN_BOTTOM) {
			d->new_page(d, d->ctx);
			/* The new page reused the layout for its heading; prepare it again. */
			pdfdoc_setup(d, text, font, width, PANGO_ALIGN_LEFT);
			line = pango_layout_get_line_readonly(d->lay, i);
		}
		if (d->draw) {
			color(d, c);
			cairo_move_to(d->cr, x, d->y + base);
			pango_cairo_show_layout_line(d->cr, line);
		}
		d->y += h;
	}
}

/* ---- Tables -------------------------------------------------------------------- */

#define CELL_PAD 4.0
#define HEAD_FONT "Bold 8.5"
#define CELL_FONT "9"

/* Column widths: natural widths when they fit the text block, else the
 * columns narrower than a fair share keep theirs and the rest share the
 * remaining space. */
static void col_widths(struct pdfdoc *d, const char *const *headers, char *const *cells, size_t n,
    size_t rows, double *w)
{
	size_t open = n;
	double total = 0, left = PDFDOC_TEXT_W;
	bool *done = xcalloc(n, sizeof *done);

	for (size_t c = 0; c < n; c++) {
		pdfdoc_setup(d, headers[c], HEAD_FONT, 0, PANGO_ALIGN_LEFT);
		w[c] = pdfdoc_width(d);
		for (size_t r = 0; r < rows; r++) {
			pdfdoc_setup(d, str_or_empty(cells[r * n + c]), CELL_FONT, 0,
			    PANGO_ALIGN_LEFT);
			double cw = pdfdoc_width(d);
			w[c] = cw > w[c] ? cw : w[c];
		}
		w[c] += 2 * CELL_PAD + 1;
		total += w[c];
	}
	if (total > PDFDOC_TEXT_W) {
		bool changed = true;
		while (changed && open > 0) {
			changed = false;
			for (size_t c = 0; c < n; c++) {
				if (!done[c] && w[c] <= left / (double)open) {
					done[c] = true;
					left -= w[c];
					open--;
					changed = true;
				}
			}
		}
		for (size_t c = 0; c < n; c++)
			if (!done[c])
				w[c] = left / (double)open;
	} else {
		/* Spare width goes to the last column, so the rules span the page. */
		w[n - 1] += PDFDOC_TEXT_W - total;
	}
	free(done);
}

static double row_height(struct pdfdoc *d, const char *const *cells, size_t n, const double *w,
    bool header)
{
	double h = 0;

	for (size_t c = 0; c < n; c++) {
		double ch = pdfdoc_setup(d, str_or_empty(cells[c]), header ? HEAD_FONT : CELL_FONT,
		    w[c] - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
		h = ch > h ? ch : h;
	}
	return h + 2 * CELL_PAD;
}

/* One table row; header rows are bold on a shaded band. */
static void table_row(struct pdfdoc *d, const char *const *cells, size_t n, const double *w,
    bool header)
{
	const char *font = header ? HEAD_FONT : CELL_FONT;
	double h = row_height(d, cells, n, w, header), x = PDFDOC_MARGIN_X;

	if (header)
		pdfdoc_box(d, PDFDOC_MARGIN_X, d->y, PDFDOC_TEXT_W, h, pdfdoc_shade);
	for (size_t c = 0; c < n; c++) {
		pdfdoc_setup(d, str_or_empty(cells[c]), font, w[c] - 2 * CELL_PAD,
		    PANGO_ALIGN_LEFT);
		pdfdoc_show(d, x + CELL_PAD, d->y + CELL_PAD, header ? pdfdoc_accent : pdfdoc_ink);
		x += w[c];
	}
	d->y += h;
	pdfdoc_hline(d, PDFDOC_MARGIN_X, PDFDOC_PAGE_W - PDFDOC_MARGIN_X, d->y, header ? 0.8 : 0.4,
	    pdfdoc_line);
}

void pdfdoc_table(struct pdfdoc *d, const char *const *headers, char *const *cells, size_t n_cols,
    size_t n_rows)
{
	double *w = xcalloc(n_cols, sizeof *w);

	col_widths(d, headers, cells, n_cols, n_rows, w);
	pdfdoc_need(d, row_height(d, headers, n_cols, w, true) + 20);
	table_row(d, headers, n_cols, w, true);
	for (size_t r = 0; r < n_rows; r++) {
		const char *const *row = (const char *const *)&cells[r * n_cols];
		if (d->y + row_height(d, row, n_cols, w, false) >
		    PDFDOC_PAGE_H - PDFDOC_MARGIN_BOTTOM) {
			/* The header is repeated on the next page. */
			d->new_page(d, d->ctx);
			table_row(d, headers, n_cols, w, true);
		}
		table_row(d, row, n_cols, w, false);
	}
	free(w);
}
