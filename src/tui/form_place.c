/* form_place.c — the city field's type-ahead. As a city is typed, in any
 * script, the form offers the places of the gazetteer whose names start
 * that way (place_complete) and the cities already in the cases that the
 * gazetteer does not know (a village typed before); Right at the end of
 * the text takes the first offer. A city the gazetteer knows fills the
 * region when the region is empty. What was typed is only replaced when
 * an offer is taken. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "skeleton.h"
#include "util.h"

/* Offers shown at a time. */
#define OFFERS 5

/* The offers: the text the city becomes, the region it fills (or NULL). */
struct offer {
	char *city;
	const char *region;
	char *label;
};

struct form_place {
	struct offer offers[OFFERS];
	size_t n;
	bool have_values;
	struct facet *values; /* the cases' cities, most frequent first */
	size_t nvalues;
};

static void offers_clear(struct form_place *fp)
{
	for (size_t i = 0; i < fp->n; i++) {
		free(fp->offers[i].city);
		free(fp->offers[i].label);
	}
	fp->n = 0;
}

void form_place_free(struct form *f)
{
	if (!f->place)
		return;
	offers_clear(f->place);
	query_facets_free(f->place->values, f->place->nvalues);
	free(f->place);
	f->place = NULL;
}

/* True when the skeleton of s starts with want[0..n). */
static bool starts(const char *s, const char *want, size_t n)
{
	char sk[SKELETON_CAP * 4];
	size_t k = skeleton_word(s, strlen(s), sk, sizeof sk);
	return k >= n && memcmp(sk, want, n) == 0;
}

/* The cities of the cases the gazetteer does not know, read once a form. */
static void load_values(struct form *f)
{
	struct form_place *fp = f->place;
	struct cb_err err = {0};

	fp->have_values = true;
	if (query_facets(f->t->st, "city", NULL, &fp->values, &fp->nvalues, &err) != 0) {
		fp->values = NULL;
		fp->nvalues = 0;
	}
}

static void add_offer(struct form_place *fp, const char *city, const char *region,
    const char *label)
{
	for (size_t i = 0; i < fp->n; i++)
		if (strcmp(fp->offers[i].label, label) == 0)
			return;
	fp->offers[fp->n++] = (struct offer){xstrdup(city), region, xstrdup(label)};
}

/* Fills the offers for what the city field holds. */
static void find_offers(struct form *f, const char *typed)
{
	struct form_place *fp = f->place;
	const struct gazetteer *g = place_gazetteer();
	char want[SKELETON_CAP * 4];
	size_t ps[OFFERS];
	size_t n = skeleton_word(typed, strlen(typed), want, sizeof want);

	offers_clear(fp);
	if (n == 0)
		return;
	size_t np = place_complete(typed, ps, OFFERS);
	for (size_t i = 0; i < np; i++) {
		size_t r = gazetteer_region(g, ps[i]);
		char *label = place_label(ps[i]);
		add_offer(fp, gazetteer_name(g, ps[i], place_lang()),
		    gazetteer_name(g, r, place_lang()), label);
		free(label);
	}
	if (!fp->have_values)
		load_values(f);
	for (size_t i = 0; i < fp->nvalues && fp->n < OFFERS; i++) {
		const struct facet *v = &fp->values[i];
		if (place_key_place(v->key, strlen(v->key)) != GAZETTEER_NONE)
			continue; /* offered from the gazetteer already */
		if (starts(v->value, want, n))
			add_offer(fp, v->value, place_region_of(v->value), v->value);
	}
}

void form_city_typed(struct form *f)
{
	char *typed = wline_utf8(&f->text[FIELD_CITY]);

	if (!f->place)
		f->place = xcalloc(1, sizeof *f->place);
	find_offers(f, typed);
	/* Nothing to offer when the one offer is what is typed already. */
	if (f->place->n == 1 && strcmp(f->place->offers[0].city, typed) == 0)
		offers_clear(f->place);
	free(typed);
	if (f->place->n == 0)
		return;
	struct buf b = {0};
	buf_puts(&b, "→ ");
	for (size_t i = 0; i < f->place->n; i++) {
		if (i)
			buf_puts(&b, " · ");
		buf_puts(&b, f->place->offers[i].label);
	}
	buf_puts(&b, "   ");
	buf_puts(&b, _("(Right at the end of the city takes the first)"));
	snprintf(f->msg, sizeof f->msg, "%s", buf_cstr(&b));
	f->msg_role = ROLE_STATUS;
	buf_free(&b);
}

/* Fills an empty region with region (the city's), saying so. */
static void fill_region(struct form *f, const char *region)
{
	char *cur = wline_utf8(&f->text[FIELD_REGION]);
	bool empty = str_empty(cur);

	free(cur);
	if (!empty || str_empty(region))
		return;
	wline_set(&f->text[FIELD_REGION], region);
	snprintf(f->msg, sizeof f->msg, _("Region filled in from the city: %s"), region);
	f->msg_role = ROLE_STATUS;
}

bool form_city_accept(struct form *f)
{
	struct wline *l = &f->text[FIELD_CITY];

	if (!f->place || f->place->n == 0 || l->cur != l->len)
		return false;
	const struct offer *o = &f->place->offers[0];
	wline_set(l, o->city);
	f->msg[0] = '\0';
	fill_region(f, o->region);
	offers_clear(f->place);
	return true;
}

void form_city_left(struct form *f)
{
	char *city = wline_utf8(&f->text[FIELD_CITY]);

	if (f->place)
		offers_clear(f->place);
	fill_region(f, place_region_of(city));
	free(city);
}
