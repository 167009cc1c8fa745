/* listdoc.c — the list of cases as a document (text and PDF): the rows
 * are built once from the store, then laid out in pages with the heading
 * (filter, date, count), the column headings and the page numbers. */
#include "listdoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "display.h"
#include "pdfdoc.h"
#include "text.h"

enum { COL_ID, COL_NAME, COL_CITY, COL_DATE, COL_MEASURES, COL_STATUS, N_COLS };

static const char *const heads[N_COLS] = {
    N_("ID"),
    N_("Name"),
    N_("City"),
    N_("Date"),
    N_("Measures"),
    N_("Status"),
};

/* The document's content: every string sanitised. */
struct ldoc {
	char **cells; /* n rows of N_COLS */
	size_t n;
	const char *head[N_COLS];
	char *title; /* "LIST OF CASES" */
	char *filter_line; /* "Filter: city:Almaty" */
	char *printed; /* "Printed ... by ... · 37 cases" */
	char *footer; /* "Printed ... by ..." */
	char *org; /* organisation, or NULL */
};

/* "Administrative arrest 15 days; Fine": the measures in short, each
 * label without the explanation in brackets some labels carry
 * ("preventive measure (summons, home visit, ...)"). */
static char *measures_short(const struct case_record *c)
{
	struct buf b = {0};

	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		const char *full = vocab_label(&vocab_measure, m->type),
		           *paren = strstr(full, " (");
		char *label =
		    paren && paren > full ? xstrndup(full, (size_t)(paren - full)) : xstrdup(full);
		if (i)
			buf_puts(&b, "; ");
		if (m->days > 0)
			/* TRANSLATORS: a measure in a list of cases: "Administrative arrest 15
			 * days". */
			buf_printf(&b, ngettext("%s %d day", "%s %d days", (unsigned long)m->days),
			    label, (int)m->days);
		else
			buf_puts(&b, label);
		free(label);
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

static void row_of(const struct case_record *c, const struct sheet_options *o, char **cells)
{
	char date[16];

	cells[COL_ID] = xasprintf("%llu", (unsigned long long)c->id);
	cells[COL_NAME] =
	    sheet_redacts(o, c) ? case_initials(c) : text_sanitize(case_display_name(c), 0);
	char *city = display_city(c->city, c->region);
	cells[COL_CITY] = text_sanitize(city, 0);
	free(city);
	cells[COL_DATE] = xstrdup(datefmt_show(c->date, date));
	char *m = measures_short(c);
	cells[COL_MEASURES] = text_sanitize(m, 0);
	free(m);
	cells[COL_STATUS] = xstrdup(vocab_label(&vocab_status, c->status));
}

static int build(struct ldoc *d, struct store *st, const uint64_t *ids, size_t n,
    const char *filter, const struct sheet_options *o, struct cb_err *err)
{
	int rc = 0;

	memset(d, 0, sizeof *d);
	d->cells = xcalloc(n ? n * N_COLS : 1, sizeof *d->cells);
	for (size_t i = 0; i < n && !rc; i++) {
		struct case_record c;
		if ((rc = store_get(st, ids[i], &c, err)) == 0)
			row_of(&c, o, &d->cells[d->n++ * N_COLS]);
		else if (rc == CB_ENOTFOUND) /* deleted since the list was made */
			rc = 0;
		case_free(&c);
	}
	for (int j = 0; j < N_COLS; j++)
		d->head[j] = _(heads[j]);
	d->title = xstrdup(_("LIST OF CASES"));
	char *f = text_sanitize(str_or_empty(filter), 0);
	d->filter_line =
	    *f ? xasprintf(_("Filter: %s"), f) : xstrdup(_("Filter: none (all cases)"));
	free(f);
	d->footer = sheet_printed_line(o);
	char *count = xasprintf(ngettext("%zu case", "%zu cases", (unsigned long)d->n), d->n);
	d->printed = xasprintf("%s  ·  %s", d->footer, count);
	free(count);
	d->org = str_empty(o->organisation) ? NULL : text_sanitize(o->organisation, 0);
	return rc;
}

static void ldoc_free(struct ldoc *d)
{
	for (size_t i = 0; i < d->n * N_COLS; i++)
		free(d->cells[i]);
	free(d->cells);
	free(d->title);
	free(d->filter_line);
	free(d->printed);
	free(d->footer);
	free(d->org);
}

/* ---- Text ------------------------------------------------------------------ */

#define GAP 2 /* spaces between columns */
#define MIN_FLEX 6 /* narrowest a wrapping column gets */

/* Column widths for width columns in all: id, date and status keep their
 * natural widths; name, city and measures shrink (and wrap), widest
 * first, until the line fits. */
static void text_widths(const struct ldoc *d, size_t width, size_t *w)
{
	size_t total = GAP * (N_COLS - 1);

	for (int j = 0; j < N_COLS; j++) {
		w[j] = text_width(d->head[j]);
		for (size_t i = 0; i < d->n; i++) {
			size_t cw = text_width(d->cells[i * N_COLS + j]);
			w[j] = cw > w[j] ? cw : w[j];
		}
		total += w[j];
	}
	while (total > width) {
		int widest = -1;
		for (int j = COL_NAME; j <= COL_MEASURES; j++)
			if (j != COL_DATE && w[j] > MIN_FLEX && (widest < 0 || w[j] > w[widest]))
				widest = j;
		if (widest < 0)
			break;
		w[widest]--;
		total--;
	}
}

/* The lines of one row, cells wrapped inside their columns. */
static void text_row(const char *const *cells, const size_t *w, struct strlist *out)
{
	size_t at[N_COLS] = {0};
	bool more = true;

	while (more) {
		struct buf b = {0};
		int last = N_COLS - 1;
		more = false;
		for (int j = 0; j < N_COLS; j++) {
			const char *s = cells[j] + at[j];
			size_t len = strlen(s), next = len, seg = 0;
			if (len)
				seg = text_wrap_next(s, len, w[j], &next);
			char *part = xstrndup(s, seg);
			if (j)
				buf_printf(&b, "%*s", GAP, "");
			if (j == COL_ID)
				buf_printf(&b, "%*s", (int)(w[j] - text_width(part)), "");
			text_put_fitted(&b, part, w[j], j < last && j != COL_ID);
			free(part);
			at[j] += next;
			if (cells[j][at[j]])
				more = true;
		}
		/* No trailing blanks. */
		while (b.len && b.p[b.len - 1] == ' ')
			b.len--;
		strlist_add(out, buf_cstr(&b));
		buf_free(&b);
	}
}

/* Left and right parts on one line of width columns. */
static void spread(struct buf *b, const char *left, const char *right, size_t width)
{
	size_t lw = text_width(left), rw = text_width(right);

	if (lw + 2 + rw > width) {
		text_put_fitted(b, left, width > rw + 2 ? width - rw - 2 : 0, true);
		buf_puts(b, "  ");
	} else {
		buf_puts(b, left);
		buf_printf(b, "%*s", (int)(width - lw - rw), "");
	}
	buf_puts(b, right);
	buf_putc(b, '\n');
}

/* Appends a line cut to width. */
static void line(struct buf *b, const char *s, size_t width)
{
	text_put_fitted(b, s, width, false);
	buf_putc(b, '\n');
}

/* The heading of a page: the whole title block on the first, a short
 * reminder on the others; then the column headings and a rule. */
static size_t text_heading(const struct ldoc *d, int page, const size_t *w, size_t width,
    struct buf *b)
{
	struct strlist hl = {0};
	size_t lines = 0;

	if (page == 1) {
		if (d->org)
			line(b, d->org, width), lines++;
		line(b, d->title, width);
		line(b, d->filter_line, width);
		line(b, d->printed, width);
		lines += 3;
	} else {
		char *s = xasprintf(_("%s (continued)"), d->title);
		char *t = xasprintf("%s  ·  %s", s, d->filter_line);
		line(b, t, width);
		free(s);
		free(t);
		lines++;
	}
	buf_putc(b, '\n');
	text_row(d->head, w, &hl);
	for (size_t i = 0; i < hl.n; i++)
		buf_printf(b, "%s\n", hl.items[i]);
	lines += 1 + hl.n;
	for (size_t i = 0; i < width; i++)
		buf_puts(b, "─");
	buf_putc(b, '\n');
	strlist_free(&hl);
	return lines + 1;
}

/* Lays the rows out on pages (the rows of page p start at first[p]) and
 * returns the number of pages; with out, writes them. */
static int text_pages(const struct ldoc *d, const struct strlist *rows, const size_t *w,
    size_t width, int pages, struct buf *out)
{
	struct buf scratch = {0};
	int page = 1;
	size_t r = 0;

	do {
		struct buf *b = out ? out : &scratch;
		size_t used = text_heading(d, page, w, width, b);
		/* The footer takes the last line, after a blank one. */
		size_t room = SHEET_PAGE_LINES - 2;
		bool any = false;
		while (r < d->n && (used + rows[r].n <= room || !any)) {
			for (size_t i = 0; i < rows[r].n; i++)
				buf_printf(b, "%s\n", rows[r].items[i]);
			used += rows[r].n;
			any = true;
			r++;
		}
		if (d->n == 0) {
			line(b, _("No case matches the filter."), width);
			used++;
		}
		for (; used < SHEET_PAGE_LINES - 1; used++)
			buf_putc(b, '\n');
		char *right = xasprintf(_("Page %d of %d"), page, pages);
		spread(b, d->footer, right, width);
		free(right);
		if (r < d->n) {
			buf_putc(b, '\f');
			page++;
		}
		scratch.len = 0;
	} while (r < d->n);
	buf_free(&scratch);
	return page;
}

static void render_text(const struct ldoc *d, size_t width, struct buf *out)
{
	size_t w[N_COLS];
	struct strlist *rows = xcalloc(d->n ? d->n : 1, sizeof *rows);

	text_widths(d, width, w);
	for (size_t i = 0; i < d->n; i++)
		text_row((const char *const *)&d->cells[i * N_COLS], w, &rows[i]);
	int pages = text_pages(d, rows, w, width, 0, NULL);
	text_pages(d, rows, w, width, pages, out);
	for (size_t i = 0; i < d->n; i++)
		strlist_free(&rows[i]);
	free(rows);
}

/* ---- PDF -------------------------------------------------------------------- */

#define X PDFDOC_MARGIN_X
#define TW PDFDOC_TEXT_W

struct pdf_ctx {
	const struct ldoc *d;
};

static void pdf_footer(struct pdfdoc *pd, const struct ldoc *d)
{
	char *right = xasprintf(_("Page %d of %d"), pd->page, pd->pages);
	double y = PDFDOC_PAGE_H - PDFDOC_MARGIN_BOTTOM + 18;

	pdfdoc_hline(pd, X, PDFDOC_PAGE_W - X, y - 6, 0.5, pdfdoc_line);
	pdfdoc_setup(pd, d->footer, "7.5", TW * 0.75, PANGO_ALIGN_LEFT);
	pdfdoc_show(pd, X, y, pdfdoc_muted);
	pdfdoc_setup(pd, right, "7.5", TW * 0.25, PANGO_ALIGN_RIGHT);
	pdfdoc_show(pd, X + TW * 0.75, y, pdfdoc_muted);
	free(right);
}

static void pdf_new_page(struct pdfdoc *pd, void *ctx)
{
	const struct ldoc *d = ((struct pdf_ctx *)ctx)->d;

	pdf_footer(pd, d);
	pdfdoc_show_page(pd);
	char *l = xasprintf(_("%s (continued)"), d->title);
	pd->y = PDFDOC_MARGIN_TOP;
	double h = pdfdoc_setup(pd, l, "8", TW * 0.4, PANGO_ALIGN_LEFT);
	pdfdoc_show(pd, X, pd->y, pdfdoc_muted);
	double h2 = pdfdoc_setup(pd, d->filter_line, "8", TW * 0.6, PANGO_ALIGN_RIGHT);
	pdfdoc_show(pd, X + TW * 0.4, pd->y, pdfdoc_muted);
	pd->y += (h2 > h ? h2 : h) + 4;
	pdfdoc_hline(pd, X, PDFDOC_PAGE_W - X, pd->y, 0.5, pdfdoc_line);
	pd->y += 10;
	free(l);
}

static void pdf_title(struct pdfdoc *pd, const struct ldoc *d)
{
	double h;

	pd->y = PDFDOC_MARGIN_TOP;
	if (d->org) {
		h = pdfdoc_setup(pd, d->org, "Bold 9", TW, PANGO_ALIGN_LEFT);
		pdfdoc_show(pd, X, pd->y, pdfdoc_muted);
		pd->y += h + 8;
	}
	h = pdfdoc_setup(pd, d->title, "Bold 16", TW, PANGO_ALIGN_LEFT);
	pdfdoc_show(pd, X, pd->y, pdfdoc_ink);
	pd->y += h + 4;
	h = pdfdoc_setup(pd, d->filter_line, "10", TW, PANGO_ALIGN_LEFT);
	pdfdoc_show(pd, X, pd->y, pdfdoc_accent);
	pd->y += h + 2;
	h = pdfdoc_setup(pd, d->printed, "9", TW, PANGO_ALIGN_LEFT);
	pdfdoc_show(pd, X, pd->y, pdfdoc_muted);
	pd->y += h + 6;
	pdfdoc_hline(pd, X, PDFDOC_PAGE_W - X, pd->y, 1.5, pdfdoc_ink);
	pd->y += 12;
}

/* One pass over the document; returns its pages. */
static int pdf_layout(struct pdfdoc *pd, const struct ldoc *d, int pages, bool draw)
{
	pd->draw = draw;
	pd->page = 1;
	pd->pages = pages;
	pdf_title(pd, d);
	if (d->n)
		pdfdoc_table(pd, d->head, d->cells, N_COLS, d->n);
	else
		pdfdoc_flow(pd, _("No case matches the filter."), "Italic 10", X, TW, pdfdoc_muted);
	pdf_footer(pd, d);
	int n = pd->page;
	pdfdoc_show_page(pd);
	return n;
}

static int render_pdf(const struct ldoc *d, const struct sheet_options *o, struct buf *out,
    struct cb_err *err)
{
	struct pdfdoc pd;
	struct pdf_ctx ctx = {d};

	pdfdoc_begin(&pd, out, _("List of cases"), o->printed_at, pdf_new_page, &ctx);
	int pages = pdf_layout(&pd, d, 0, false);
	pdf_layout(&pd, d, pages, true);
	return pdfdoc_end(&pd, _("PDF list"), err);
}

int listdoc_render(struct store *st, const uint64_t *ids, size_t n, const char *filter,
    const struct sheet_options *o, struct buf *out, struct cb_err *err)
{
	struct ldoc d;
	int rc = build(&d, st, ids, n, filter, o, err);

	if (rc == 0) {
		if (o->format == SHEET_FORMAT_PDF)
			rc = render_pdf(&d, o, out, err);
		else
			render_text(&d, o->width > 0 ? (size_t)o->width : 80, out);
	}
	ldoc_free(&d);
	return rc;
}
