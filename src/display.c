/* display.c — case values in the interface language for the command
 * line's human output: labels for vocabulary keys, gazetteer names for
 * places, local dates; read back by the same parsers that read keys. */
#include "display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datefmt.h"
#include "place.h"
#include "text.h"
#include "util.h"

enum gazetteer_lang display_messages_lang(void)
{
	/* Through a variable, so the template does not list the header. */
	static const char header[] = "";
	const char *h = gettext(header);
	const char *l = h ? strstr(h, "Language: ") : NULL;

	if (l) {
		l += strlen("Language: ");
		if (strncmp(l, "ru", 2) == 0)
			return GAZETTEER_RU;
		if (strncmp(l, "kk", 2) == 0)
			return GAZETTEER_KK;
	}
	return GAZETTEER_EN;
}

bool display_translated(void)
{
	return display_messages_lang() != GAZETTEER_EN;
}

enum gazetteer_lang display_place_lang(void)
{
	const char *set = config_get()->place_names;
	enum gazetteer_lang l;

	if (set && gazetteer_lang_parse(set, &l, NULL) == 0)
		return l;
	return display_messages_lang();
}

/* True when s has no letter outside ASCII: a Latin spelling. */
static bool is_latin(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* The name of place p for text as written, or text itself. */
static char *place_text(size_t p, const char *text)
{
	enum gazetteer_lang l = display_place_lang();

	if (p == GAZETTEER_NONE || (l == GAZETTEER_EN && is_latin(text)))
		return xstrdup(text);
	return xstrdup(gazetteer_name(place_gazetteer(), p, l));
}

char *display_city(const char *city, const char *region)
{
	if (str_empty(city))
		return xstrdup("");
	return place_text(place_of_city(city, region), city);
}

char *display_region(const char *region)
{
	if (str_empty(region))
		return xstrdup("");
	return place_text(place_of_region(NULL, region), region);
}

char *display_city_ui(const char *city, const char *region)
{
	return display_translated() ? display_city(city, region) : xstrdup(city ? city : "");
}

char *display_region_ui(const char *region)
{
	return display_translated() ? display_region(region) : xstrdup(region ? region : "");
}

/* name (owned), then the spelling recorded when it is another one; the
 * whole sanitised for print. */
static char *with_recorded(char *name, const char *recorded)
{
	char *s;

	if (str_empty(recorded) || strcmp(name, recorded) == 0) {
		s = text_sanitize(name, 0);
	} else {
		/* TRANSLATORS: a place on a case sheet: the gazetteer's name,
		 * then the spelling the case records when it is another one
		 * ("Almaty (recorded as Алматы)"; in Russian «Уральск (в деле:
		 * Uralsk)»). */
		char *both = xasprintf(_("%s (recorded as %s)"), name, recorded);
		s = text_sanitize(both, 0);
		free(both);
	}
	free(name);
	return s;
}

char *display_city_recorded(const char *city, const char *region)
{
	return with_recorded(display_city(city, region), city);
}

char *display_region_recorded(const char *region)
{
	return with_recorded(display_region(region), region);
}

const char *display_field_name(int f)
{
	if (f < 0 || f >= FIELD__COUNT)
		return "?";
	return display_translated() ? _(case_fields[f].label) : case_fields[f].name;
}

/* Appends s as the list syntax reads it back: '|' and '\' escaped, and a
 * ':' when an '=' follows it (only ":name=" can start a part, so "в 23:10"
 * stays as written). */
static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || (*s == ':' && strchr(s, '=')))
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*s);
	}
}

/* Part p of an item in the interface language: a vocabulary label, a
 * local date, an exam answer's label, else the text. malloc'd. */
static char *part_value(const struct item_def *d, const void *item, int p)
{
	const struct part_def *pd = &d->parts[p];
	const void *at = (const char *)item + pd->off;
	char date[DATEFMT_BUFSZ];

	switch (pd->kind) {
	case KIND_VOCAB:
		return xstrdup(vocab_label(pd->vocab, *(const int *)at));
	case KIND_YESNO:
		return xstrdup(vocab_label(pd->vocab, *(const int *)at ? 0 : 1));
	case KIND_DATE:
		return xstrdup(datefmt_show(*(const struct pdate *)at, date));
	default:
		return item_get_part(d, item, p);
	}
}

/* The items of field f in show's form: `label:part=value...`, " | "
 * between items, every name and value in the interface language. */
static char *items_long(const struct case_record *c, int f)
{
	const struct item_def *d = case_field_items(f);
	size_t n;
	const char *items = case_items(c, f, &n);
	struct buf b = {0};

	for (size_t i = 0; i < n; i++) {
		const void *it = items + i * d->size;
		if (i)
			buf_puts(&b, " | ");
		for (int p = 0; p < d->nparts; p++) {
			if (!item_has_part(d, it, p))
				continue;
			if (p) {
				buf_putc(&b, ':');
				put_escaped(&b, item_part_label(d, p));
				buf_putc(&b, '=');
			}
			char *v = part_value(d, it, p);
			put_escaped(&b, v);
			free(v);
		}
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

char *display_field(const struct case_record *c, int f)
{
	const struct field_def *fd = &case_fields[f];
	char date[DATEFMT_BUFSZ], when[TEXT_TIME_MAX];

	switch (fd->kind) {
	case KIND_DATE:
		return xstrdup(
		    datefmt_show(*(const struct pdate *)((const char *)c + fd->off), date));
	case KIND_TIME: {
		int64_t t = *(const int64_t *)((const char *)c + fd->off);
		if (!display_translated())
			break;
		return xstrdup(t ? datefmt_show_time(when, t) : "");
	}
	default:
		break;
	}
	if (!display_translated())
		return case_get_field(c, f);
	switch (fd->kind) {
	case KIND_VOCAB:
		return xstrdup(vocab_label(fd->vocab, *(const int *)((const char *)c + fd->off)));
	case KIND_MEASURES:
	case KIND_INJURIES:
		return items_long(c, f);
	default:
		break;
	}
	if (f == FIELD_CITY)
		return display_city(c->city, c->region);
	if (f == FIELD_REGION)
		return display_region(c->region);
	return case_get_field(c, f);
}

/* A label for a table cell: without its bracketed explanation ("preventive
 * measure (summons, ...)" → "preventive measure"). */
static void put_short_label(struct buf *b, const char *label)
{
	const char *br = strstr(label, " (");

	buf_put(b, label, br ? (size_t)(br - label) : strlen(label));
}

char *display_items_short(const struct case_record *c, int field)
{
	const struct item_def *d = case_field_items(field);
	const struct vocab *v = d->parts[0].vocab;
	bool labels = display_translated();
	size_t n;
	const char *items = case_items(c, field, &n);
	struct buf b = {0};

	for (size_t i = 0; i < n; i++) {
		const void *it = items + i * d->size;
		int type = *(const int *)((const char *)it + d->parts[0].off);
		if (i)
			buf_puts(&b, ", ");
		if (labels)
			put_short_label(&b, vocab_label(v, type));
		else
			buf_puts(&b, vocab_key(v, type));
		if (field == FIELD_MEASURES && c->measures[i].days > 0) {
			int days = (int)c->measures[i].days;
			buf_putc(&b, ' ');
			/* TRANSLATORS: days of arrest or detention in a narrow
			 * table cell ("15d"; in Russian "15 суток"). */
			buf_printf(&b, ngettext("%dd", "%dd", (unsigned long)days), days);
		}
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

const char *display_term(const char *index, const char *value)
{
	if (!display_translated() || !index || !value)
		return value;
	for (int i = 0; i < IDX__COUNT; i++) {
		const struct vocab *v = case_index_vocab(i);
		int t;
		if (v && strcmp(case_indexes[i].name, index) == 0 &&
		    (t = vocab_find(v, value)) >= 0)
			return vocab_label(v, t);
	}
	return value;
}

const char *display_coded(const char *key, const char *value, int items, char *buf, size_t len)
{
	struct pdate d;

	if (!display_translated() || !key || !value)
		return value;
	if (strcmp(key, "date") == 0 || strcmp(key, "hearing") == 0) {
		if (pdate_parse(value, &d, NULL) != 0 || len < DATEFMT_BUFSZ)
			return value;
		return datefmt_show(d, buf);
	}
	if (strcmp(key, "exam") == 0) {
		int t = vocab_find(&vocab_exam, value);
		return t >= 0 ? vocab_label(&vocab_exam, t) : value;
	}
	if (strcmp(key, "type") == 0)
		key = items == FIELD_INJURIES ? "injury" : "measure";
	snprintf(buf, len, "%s", display_term(key, value));
	return buf;
}

const char *display_part_name(int items, const char *part)
{
	const struct item_def *d = case_field_items(items);
	int p = d && display_translated() ? item_part_find(d, part) : -1;

	return p >= 0 ? item_part_label(d, p) : part;
}
