/* sheet_pdf.c — A4 case sheets as PDF through cairo and pango. Fonts come
 * from fontconfig ("DejaVu Sans", which covers Cyrillic and Kazakh); pango
 * embeds them with their Unicode mapping, so text can be copied out of the
 * PDF. Each case is laid out twice: once to count its pages, once to draw
 * them with "Page N of M". */
#include "sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdfdoc.h"
#include "text.h"

#define PAGE_W PDFDOC_PAGE_W
#define PAGE_H PDFDOC_PAGE_H
#define MARGIN_X PDFDOC_MARGIN_X
#define MARGIN_TOP PDFDOC_MARGIN_TOP
#define TEXT_W PDFDOC_TEXT_W
#define MARGIN_BOTTOM PDFDOC_MARGIN_BOTTOM

struct sheet_pdf {
	struct sheet_options o;
	struct pdfdoc d;
	/* Per case, while laying out. */
	const struct sheet *s;
};

/* ---- Pages ------------------------------------------------------------------ */

static void footer(struct sheet_pdf *p)
{
	char *printed = sheet_printed_line(&p->o);
	char *left = xasprintf("%s  ·  %s", printed, p->s->conf_line);
	char *right = xasprintf(_("Page %d of %d"), p->d.page, p->d.pages);
	double y = PAGE_H - MARGIN_BOTTOM + 18;
	bool restricted = p->s->confidentiality == CONF_RESTRICTED;

	pdfdoc_hline(&p->d, MARGIN_X, PAGE_W - MARGIN_X, y - 6, 0.5, pdfdoc_line);
	pdfdoc_setup(&p->d, left, restricted ? "Bold 7.5" : "7.5", TEXT_W * 0.75, PANGO_ALIGN_LEFT);
	pdfdoc_show(&p->d, MARGIN_X, y, restricted ? pdfdoc_alert : pdfdoc_muted);
	pdfdoc_setup(&p->d, right, "7.5", TEXT_W * 0.25, PANGO_ALIGN_RIGHT);
	pdfdoc_show(&p->d, MARGIN_X + TEXT_W * 0.75, y, pdfdoc_muted);
	free(printed);
	free(left);
	free(right);
}

/* The small heading of every page after a case's first. */
static void continued(struct sheet_pdf *p)
{
	char *l = xasprintf(_("%s (continued)"), p->s->name);
	char *r = xasprintf(_("Case %llu, revision %lu"), (unsigned long long)p->s->id,
	    (unsigned long)p->s->rev);
	double h = pdfdoc_setup(&p->d, l, "8", TEXT_W * 0.7, PANGO_ALIGN_LEFT);

	pdfdoc_show(&p->d, MARGIN_X, MARGIN_TOP, pdfdoc_muted);
	pdfdoc_setup(&p->d, r, "8", TEXT_W * 0.3, PANGO_ALIGN_RIGHT);
	pdfdoc_show(&p->d, MARGIN_X + TEXT_W * 0.7, MARGIN_TOP, pdfdoc_muted);
	p->d.y = MARGIN_TOP + h + 4;
	pdfdoc_hline(&p->d, MARGIN_X, PAGE_W - MARGIN_X, p->d.y, 0.5, pdfdoc_line);
	p->d.y += 12;
	free(l);
	free(r);
}

/* A page break inside a case: the footer, a new page and its heading. */
static void new_page(struct pdfdoc *d, void *ctx)
{
	struct sheet_pdf *p = ctx;

	footer(p);
	pdfdoc_show_page(d);
	continued(p);
}

/* ---- Blocks -------------------------------------------------------------------- */

static void heading(struct sheet_pdf *p, const char *title)
{
	p->d.y += 12;
	double h = pdfdoc_setup(&p->d, title, "Bold 11.5", TEXT_W, PANGO_ALIGN_LEFT);
	/* A heading keeps its first rows with it. */
	pdfdoc_need(&p->d, h + 50);
	pdfdoc_setup(&p->d, title, "Bold 11.5", TEXT_W, PANGO_ALIGN_LEFT);
	pdfdoc_show(&p->d, MARGIN_X, p->d.y, pdfdoc_accent);
	p->d.y += h + 2;
	pdfdoc_hline(&p->d, MARGIN_X, PAGE_W - MARGIN_X, p->d.y, 0.8, pdfdoc_accent);
	p->d.y += 6;
}

#define LABEL_W 118.0

static void fields(struct sheet_pdf *p, const struct sheet_section *sec)
{
	for (size_t i = 0; i < sec->n_fields; i++) {
		const struct sheet_field *f = &sec->fields[i];
		double vh = pdfdoc_setup(&p->d, f->value, "10", TEXT_W - LABEL_W, PANGO_ALIGN_LEFT);
		double lh = pdfdoc_setup(&p->d, f->label, "8.5", LABEL_W - 8, PANGO_ALIGN_LEFT);
		double h = (vh > lh ? vh : lh) + 2;
		pdfdoc_need(&p->d, h);
		pdfdoc_setup(&p->d, f->label, "8.5", LABEL_W - 8, PANGO_ALIGN_LEFT);
		pdfdoc_show(&p->d, MARGIN_X, p->d.y + 1.5, pdfdoc_muted);
		pdfdoc_setup(&p->d, f->value, "10", TEXT_W - LABEL_W, PANGO_ALIGN_LEFT);
		pdfdoc_show(&p->d, MARGIN_X + LABEL_W, p->d.y, pdfdoc_ink);
		p->d.y += h;
	}
}

/* The signature block: labels, and the lines to sign on drawn with room
 * above them for a hand. */
static void signed_fields(struct sheet_pdf *p, const struct sheet_section *sec)
{
	for (size_t i = 0; i < sec->n_fields; i++) {
		const struct sheet_field *f = &sec->fields[i];
		bool blank = f->value[0] && f->value[strspn(f->value, "_")] == '\0';
		double lh = pdfdoc_setup(&p->d, f->label, "10", LABEL_W - 8, PANGO_ALIGN_LEFT);
		double top = blank ? 12 : 2;
		pdfdoc_need(&p->d, top + lh + 4);
		pdfdoc_setup(&p->d, f->label, "10", LABEL_W - 8, PANGO_ALIGN_LEFT);
		pdfdoc_show(&p->d, MARGIN_X, p->d.y + top, pdfdoc_muted);
		if (blank) {
			pdfdoc_hline(&p->d, MARGIN_X + LABEL_W, MARGIN_X + LABEL_W + 200,
			    p->d.y + top + lh, 0.6, pdfdoc_ink);
		} else {
			pdfdoc_setup(&p->d, f->value, "10", TEXT_W - LABEL_W, PANGO_ALIGN_LEFT);
			pdfdoc_show(&p->d, MARGIN_X + LABEL_W, p->d.y + top, pdfdoc_ink);
		}
		p->d.y += top + lh + 4;
	}
}

static void table(struct sheet_pdf *p, const struct sheet_section *sec)
{
	pdfdoc_table(&p->d, sec->headers, sec->cells, sec->n_cols, sec->n_rows);
}

static void list(struct sheet_pdf *p, const struct sheet_section *sec)
{
	for (size_t i = 0; i < sec->items.n; i++) {
		double h = pdfdoc_setup(&p->d, "•", "10", 0, PANGO_ALIGN_LEFT);
		pdfdoc_need(&p->d, h);
		pdfdoc_setup(&p->d, "•", "10", 0, PANGO_ALIGN_LEFT);
		pdfdoc_show(&p->d, MARGIN_X + 2, p->d.y, pdfdoc_muted);
		pdfdoc_flow(&p->d, sec->items.items[i], "10", MARGIN_X + 14, TEXT_W - 14,
		    pdfdoc_ink);
		p->d.y += 2;
	}
}

static void paragraphs(struct sheet_pdf *p, const char *text)
{
	const char *s = text;

	while (*s) {
		size_t n = strcspn(s, "\n");
		char *para = xstrndup(s, n);
		if (n == 0)
			p->d.y += 6;
		else
			pdfdoc_flow(&p->d, para, "10", MARGIN_X, TEXT_W, pdfdoc_ink);
		free(para);
		s += n;
		if (*s == '\n')
			s++;
	}
}

/* A shaded box with a bold coloured message (restricted, redacted). */
static void callout(struct sheet_pdf *p, const char *text, struct pdfdoc_rgb fg,
    struct pdfdoc_rgb bg)
{
	double h = pdfdoc_setup(&p->d, text, "Bold 9", TEXT_W - 16, PANGO_ALIGN_LEFT);

	pdfdoc_need(&p->d, h + 12);
	pdfdoc_box(&p->d, MARGIN_X, p->d.y, TEXT_W, h + 12, bg);
	pdfdoc_box(&p->d, MARGIN_X, p->d.y, 3, h + 12, fg);
	pdfdoc_setup(&p->d, text, "Bold 9", TEXT_W - 16, PANGO_ALIGN_LEFT);
	pdfdoc_show(&p->d, MARGIN_X + 10, p->d.y + 6, fg);
	p->d.y += h + 12 + 6;
}

static void title_block(struct sheet_pdf *p)
{
	const struct sheet *s = p->s;
	char *label = xasprintf(_("Case %llu, revision %lu"), (unsigned long long)s->id,
	    (unsigned long)s->rev);
	double h;

	p->d.y = MARGIN_TOP;
	h = pdfdoc_setup(&p->d, label, "9", TEXT_W * 0.4, PANGO_ALIGN_RIGHT);
	pdfdoc_show(&p->d, MARGIN_X + TEXT_W * 0.6, p->d.y, pdfdoc_muted);
	if (!str_empty(p->o.organisation)) {
		char *org = text_sanitize(p->o.organisation, 0);
		double oh = pdfdoc_setup(&p->d, org, "Bold 9", TEXT_W * 0.58, PANGO_ALIGN_LEFT);
		pdfdoc_show(&p->d, MARGIN_X, p->d.y, pdfdoc_muted);
		h = oh > h ? oh : h;
		free(org);
	}
	p->d.y += h + 10;
	h = pdfdoc_setup(&p->d, _("CASE SHEET"), "Bold 9", TEXT_W, PANGO_ALIGN_LEFT);
	pdfdoc_show(&p->d, MARGIN_X, p->d.y, pdfdoc_accent);
	p->d.y += h + 2;
	h = pdfdoc_setup(&p->d, s->name, "Bold 20", TEXT_W, PANGO_ALIGN_LEFT);
	pdfdoc_show(&p->d, MARGIN_X, p->d.y, pdfdoc_ink);
	p->d.y += h + 2;
	h = pdfdoc_setup(&p->d, s->conf_line, s->banner ? "Bold 9.5" : "9.5", TEXT_W,
	    PANGO_ALIGN_LEFT);
	pdfdoc_show(&p->d, MARGIN_X, p->d.y, s->banner ? pdfdoc_alert : pdfdoc_muted);
	p->d.y += h;
	if (s->created || s->changed) {
		char *rec = xasprintf("%s%s%s", s->created ? s->created : "",
		    s->created && s->changed ? "  ·  " : "", s->changed ? s->changed : "");
		h = pdfdoc_setup(&p->d, rec, "8.5", TEXT_W, PANGO_ALIGN_LEFT);
		pdfdoc_show(&p->d, MARGIN_X, p->d.y + 1, pdfdoc_muted);
		p->d.y += h + 1;
		free(rec);
	}
	p->d.y += 6;
	pdfdoc_hline(&p->d, MARGIN_X, PAGE_W - MARGIN_X, p->d.y, 1.5, pdfdoc_ink);
	p->d.y += 10;
	if (s->banner)
		callout(p, s->banner, pdfdoc_alert, (struct pdfdoc_rgb){0.99, 0.92, 0.92});
	if (s->notice)
		callout(p, s->notice, pdfdoc_accent, pdfdoc_shade);
	free(label);
}

/* Lays out (and, in the drawing pass, draws) one case; returns its pages. */
static int layout_case(struct sheet_pdf *p, const struct sheet *s, int pages, bool draw)
{
	p->s = s;
	p->d.draw = draw;
	p->d.page = 1;
	p->d.pages = pages;
	title_block(p);
	for (size_t i = 0; i < s->n_sections; i++) {
		const struct sheet_section *sec = &s->sec[i];
		if (!sec->title) {
			/* The untitled signature block: room for it whole, after a gap. */
			p->d.y += 24;
			pdfdoc_need(&p->d, 22.0 * (double)sec->n_fields);
			signed_fields(p, sec);
			continue;
		}
		heading(p, sec->title);
		if (sheet_section_empty(sec)) {
			pdfdoc_flow(&p->d, sec->empty ? sec->empty : "", "Italic 9.5", MARGIN_X,
			    TEXT_W, pdfdoc_muted);
			continue;
		}
		switch (sec->block) {
		case SHEET_FIELDS:
			fields(p, sec);
			break;
		case SHEET_TABLE:
			table(p, sec);
			break;
		case SHEET_LIST:
			list(p, sec);
			break;
		default:
			paragraphs(p, sec->text);
			break;
		}
	}
	footer(p);
	int n = p->d.page;
	pdfdoc_show_page(&p->d);
	return n;
}

struct sheet_pdf *sheet_pdf_begin(const struct sheet_options *o, struct buf *out)
{
	struct sheet_pdf *p = xcalloc(1, sizeof *p);

	p->o = *o;
	/* The printing time, not the wall clock: reproducible documents. */
	pdfdoc_begin(&p->d, out, _("Case sheet"), o->printed_at, new_page, p);
	return p;
}

void sheet_pdf_add(struct sheet_pdf *p, const struct case_record *c)
{
	struct sheet s;

	sheet_build(&s, c, sheet_redacts(&p->o, c));
	sheet_add_others(&s, c, &p->o);
	sheet_add_signature(&s, &p->o);
	int pages = layout_case(p, &s, 0, false);
	layout_case(p, &s, pages, true);
	sheet_free(&s);
}

int sheet_pdf_end(struct sheet_pdf *p, struct cb_err *err)
{
	int rc = pdfdoc_end(&p->d, _("PDF sheet"), err);
	free(p);
	return rc;
}
