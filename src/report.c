/* report.c — bulletin figures from cases (report_add) and their text and
 * Markdown rendering (report_render). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>

#include "datefmt.h"
#include "display.h"
#include "fold.h"
#include "place.h"
#include "text.h"
#include "util.h"

void report_init(struct report *r)
{
	memset(r, 0, sizeof *r);
}

static void event_free(struct report_event *e)
{
	free(e->title);
	free(e->key);
	for (int g = 0; g < REPORT__GROUPS; g++) {
		strlist_free(&e->group[g].towns);
		strlist_free(&e->group[g].town_keys);
		idarr_free(&e->group[g].ids);
	}
	for (size_t i = 0; i < e->n_injured; i++) {
		struct report_injured *p = &e->injured[i];
		free(p->name);
		free(p->city);
		for (size_t j = 0; j < p->n_injuries; j++)
			injury_free(&p->injuries[j]);
		free(p->injuries);
	}
	free(e->injured);
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n_events; i++)
		event_free(&r->events[i]);
	free(r->events);
	gazetteer_free(r->own_gaz);
	idarr_free(&r->ids);
	for (size_t i = 0; i < r->n_repeats; i++) {
		free(r->repeats[i].name);
		free(r->repeats[i].sanctions);
	}
	free(r->repeats);
	report_init(r);
}

void report_use_gazetteer(struct report *r, const struct gazetteer *g)
{
	r->gaz = g;
}

int report_group_of(const struct case_record *c)
{
	bool refusal = false, preventive = false, threat = false, acts = false;

	for (size_t i = 0; i < c->n_measures; i++) {
		switch (c->measures[i].type) {
		case MEASURE_REFUSAL:
			refusal = true;
			break;
		case MEASURE_PREVENTIVE:
			preventive = true;
			break;
		case MEASURE_THREAT:
			threat = true;
			break;
		case MEASURE_OTHER:
			break;
		default:
			acts = true;
		}
	}
	if (refusal)
		return REPORT_REFUSALS;
	if (preventive)
		return REPORT_PREVENTIVE;
	if (threat && !acts && c->n_injuries == 0)
		return REPORT_THREATS;
	if (c->n_measures > 0 || c->n_injuries > 0)
		return REPORT_ON_DAY;
	return -1;
}

/* The event's date: a leading "YYYY-MM-DD " in its title, as in
 * "2021-05-01 DCK rallies". */
static bool title_date(const char *title, struct pdate *d)
{
	char buf[11];

	if (strlen(title) < 10 || (title[10] != '\0' && title[10] != ' '))
		return false;
	memcpy(buf, title, 10);
	buf[10] = '\0';
	return pdate_parse(buf, d, NULL) == 0;
}

static struct report_event *find_event(struct report *r, const char *title)
{
	char *key = fold_text(title);

	for (size_t i = 0; i < r->n_events; i++) {
		if (strcmp(r->events[i].key, key) == 0) {
			free(key);
			return &r->events[i];
		}
	}
	r->events = xreallocarray(r->events, r->n_events + 1, sizeof *r->events);
	struct report_event *e = &r->events[r->n_events++];
	memset(e, 0, sizeof *e);
	e->title = xstrdup(title);
	e->key = key;
	e->dated_by_title = title_date(e->title, &e->date);
	return e;
}

/* The one place a name stands for, or GAZETTEER_NONE: also when the
 * name is shared (two villages called Ленинское are not one town). */
static size_t known_place(const struct gazetteer *gaz, const char *place)
{
	size_t ids[2];

	if (gaz && gazetteer_lookup(gaz, place, ids, 2) == 1)
		return ids[0];
	return GAZETTEER_NONE;
}

/* The key a place counts under: its gazetteer id when the gazetteer knows
 * it (so two spellings of one town are one town), else its folded text. */
static char *town_key(const struct gazetteer *gaz, const char *place)
{
	size_t id = known_place(gaz, place);

	if (id != GAZETTEER_NONE)
		return xasprintf("@%s", gazetteer_id(gaz, id));
	return fold_text(place);
}

static void add_town(const struct gazetteer *gaz, struct report_group *g, const char *place)
{
	char *key;

	if (str_empty(place))
		return;
	key = town_key(gaz, place);
	if (key[0] != '\0') {
		bool seen = false;
		for (size_t i = 0; i < g->town_keys.n && !seen; i++)
			seen = strcmp(g->town_keys.items[i], key) == 0;
		if (!seen) {
			strlist_add(&g->towns, place);
			strlist_add(&g->town_keys, key);
		}
	}
	free(key);
}

static bool is_named(const struct case_record *c)
{
	return (!str_empty(c->name) || !str_empty(c->name_latin)) &&
	    c->confidentiality != CONF_RESTRICTED;
}

void report_add(struct report *r, const struct case_record *c)
{
	struct report_event *e = find_event(r, str_or_empty(c->event));
	int g = report_group_of(c);

	r->cases++;
	e->cases++;
	idarr_push(&r->ids, c->id);
	if (str_empty(c->name))
		r->unidentified++;
	if (!e->dated_by_title && pdate_is_set(c->date) &&
	    (!pdate_is_set(e->date) || pdate_cmp(c->date, e->date) < 0))
		e->date = c->date;
	if (g >= 0) {
		struct report_group *grp = &e->group[g];
		grp->cases++;
		idarr_push(&grp->ids, c->id);
		if (str_empty(c->name))
			grp->unidentified++;
		for (size_t i = 0; i < c->n_measures; i++) {
			int t = c->measures[i].type;
			if (t < 0 || t >= REPORT_MEASURE_TYPES)
				continue;
			grp->measures[t]++;
			if (t == MEASURE_ADMIN_CASE && c->status == STATUS_AWAITING_TRIAL)
				grp->admin_cases_awaiting++;
			if (t == MEASURE_ADMIN_ARREST && c->measures[i].days > 0)
				grp->arrest_days += c->measures[i].days;
		}
		add_town(r->gaz, grp, !str_empty(c->city) ? c->city : c->region);
	}
	if (c->n_injuries == 0)
		return;
	if (!is_named(c)) {
		e->unnamed_injured++;
		return;
	}
	e->injured = xreallocarray(e->injured, e->n_injured + 1, sizeof *e->injured);
	struct report_injured *p = &e->injured[e->n_injured++];
	p->name = xstrdup(case_display_name(c));
	p->city = xstrdup(str_or_empty(c->city));
	p->n_injuries = c->n_injuries;
	p->injuries = xcalloc(c->n_injuries, sizeof *p->injuries);
	for (size_t i = 0; i < c->n_injuries; i++) {
		p->injuries[i] = c->injuries[i];
		p->injuries[i].body = c->injuries[i].body ? xstrdup(c->injuries[i].body) : NULL;
		p->injuries[i].note = c->injuries[i].note ? xstrdup(c->injuries[i].note) : NULL;
	}
}

static int cmp_event(const void *x, const void *y)
{
	const struct report_event *a = x, *b = y;
	int d;

	/* Cases without an event come last. */
	if ((a->title[0] == '\0') != (b->title[0] == '\0'))
		return a->title[0] == '\0' ? 1 : -1;
	if ((d = pdate_cmp(a->date, b->date)) != 0)
		return d;
	return strcmp(a->key, b->key);
}

/* Sorts a group's towns by their folded form, keeping the pairs together. */
static void sort_towns(struct report_group *g)
{
	for (size_t i = 1; i < g->towns.n; i++) {
		for (size_t j = i;
		     j > 0 && strcmp(g->town_keys.items[j - 1], g->town_keys.items[j]) > 0; j--) {
			char *t = g->towns.items[j];
			g->towns.items[j] = g->towns.items[j - 1];
			g->towns.items[j - 1] = t;
			t = g->town_keys.items[j];
			g->town_keys.items[j] = g->town_keys.items[j - 1];
			g->town_keys.items[j - 1] = t;
		}
	}
}

void report_finish(struct report *r)
{
	if (r->n_events > 1)
		qsort(r->events, r->n_events, sizeof *r->events, cmp_event);
	for (size_t i = 0; i < r->n_events; i++)
		for (int g = 0; g < REPORT__GROUPS; g++)
			sort_towns(&r->events[i].group[g]);
}

struct build_ctx {
	struct report *r;
	struct query_result *res;
};

static int build_one(const struct case_record *c, void *ctx)
{
	struct build_ctx *b = ctx;

	if (!b->res || query_result_contains(b->res, c->id))
		report_add(b->r, c);
	return 0;
}

int report_build(struct store *st, const struct query *q, struct report *r, struct cb_err *err)
{
	struct build_ctx b = {.r = r};
	int rc;

	report_init(r);
	/* The gazetteer filters and facets use (place.h): the office's own
	 * when the places setting names one. None: places stay as spelt. */
	r->gaz = place_gazetteer();
	if (q && !query_is_empty(q)) {
		struct query_sort sort = {SORT_ID, false};
		if ((rc = query_run(st, q, sort, &b.res, err)) != 0)
			return rc;
	}
	rc = store_foreach(st, build_one, &b, err);
	if (b.res)
		query_result_free(b.res);
	if (rc == 0)
		rc = report_people(st, r, err);
	if (rc != 0) {
		report_free(r);
		return rc;
	}
	report_finish(r);
	return 0;
}

/* ---- Rendering ---------------------------------------------------------- */

char *report_measure_phrase(int type, size_t n, bool awaiting)
{
	unsigned long k = (unsigned long)n;

	switch (type) {
	case MEASURE_DETENTION:
		return xasprintf(ngettext("%lu detention", "%lu detentions", k), k);
	case MEASURE_ADMIN_ARREST:
		return xasprintf(ngettext("%lu administrative arrest", "%lu administrative arrests",
		                     k),
		    k);
	case MEASURE_FINE:
		return xasprintf(ngettext("%lu administrative fine", "%lu administrative fines", k),
		    k);
	case MEASURE_ADMIN_CASE:
		if (awaiting)
			return xasprintf(ngettext("%lu administrative case awaiting trial",
			                     "%lu administrative cases awaiting trial", k),
			    k);
		return xasprintf(ngettext("%lu administrative case", "%lu administrative cases", k),
		    k);
	case MEASURE_CRIMINAL_CASE:
		return xasprintf(ngettext("%lu criminal case", "%lu criminal cases", k), k);
	case MEASURE_WARNING:
		return xasprintf(ngettext("%lu warning", "%lu warnings", k), k);
	case MEASURE_PREVENTIVE:
		return xasprintf(ngettext("%lu preventive measure", "%lu preventive measures", k),
		    k);
	case MEASURE_REFUSAL:
		return xasprintf(ngettext("%lu refusal", "%lu refusals", k), k);
	case MEASURE_THREAT:
		return xasprintf(ngettext("%lu threat of prosecution", "%lu threats of prosecution",
		                     k),
		    k);
	case MEASURE_SURVEILLANCE:
		return xasprintf(ngettext("%lu case of surveillance", "%lu cases of surveillance",
		                     k),
		    k);
	case MEASURE_HACKING:
		return xasprintf(ngettext("%lu hacking", "%lu hackings", k), k);
	case MEASURE_INTERNET_BLOCK:
		return xasprintf(ngettext("%lu internet block", "%lu internet blocks", k), k);
	case MEASURE_SEARCH:
		return xasprintf(ngettext("%lu search", "%lu searches", k), k);
	default:
		return xasprintf(ngettext("%lu other measure", "%lu other measures", k), k);
	}
}

/* The group's own kind of measure is what it counts, so it is not listed
 * again; `other` says nothing and is left out. */
static int own_measure(int g)
{
	switch (g) {
	case REPORT_REFUSALS:
		return MEASURE_REFUSAL;
	case REPORT_PREVENTIVE:
		return MEASURE_PREVENTIVE;
	case REPORT_THREATS:
		return MEASURE_THREAT;
	default:
		return -1;
	}
}

static void including(struct buf *b, int g, const struct report_group *grp)
{
	bool any = false;

	for (int t = 0; t < REPORT_MEASURE_TYPES; t++) {
		size_t n = grp->measures[t];
		if (t == own_measure(g) || t == MEASURE_OTHER || n == 0)
			continue;
		size_t parts[2] = {n, 0};
		if (t == MEASURE_ADMIN_CASE) /* those awaiting trial, then the rest */
			parts[0] = grp->admin_cases_awaiting,
			parts[1] = n - grp->admin_cases_awaiting;
		for (int p = 0; p < 2; p++) {
			if (parts[p] == 0)
				continue;
			char *s =
			    report_measure_phrase(t, parts[p], t == MEASURE_ADMIN_CASE && p == 0);
			buf_puts(b, any ? ", " : _(" (including "));
			buf_puts(b, s);
			free(s);
			any = true;
		}
	}
	if (any)
		buf_puts(b, ")");
}

/* "of 50 people": whom a count of political persecutions concerns. */
static char *report_people_phrase(size_t people)
{
	unsigned long p = (unsigned long)people;

	return xasprintf(ngettext("of %lu person", "of %lu people", p), p);
}

char *report_group_phrase(int group, size_t cases, size_t towns)
{
	return report_group_phrase_of(group, cases, 0, towns);
}

char *report_group_phrase_of(int group, size_t cases, size_t people, size_t towns)
{
	unsigned long n = (unsigned long)cases, m = (unsigned long)towns;
	char *what, *where, *s;

	switch (group) {
	case REPORT_REFUSALS:
		what = xasprintf(ngettext("%lu refusal", "%lu refusals", n), n);
		break;
	case REPORT_PREVENTIVE:
		what = xasprintf(ngettext("%lu preventive political persecution",
		                     "%lu preventive political persecutions", n),
		    n);
		break;
	case REPORT_ON_DAY:
		what = xasprintf(ngettext("%lu political persecution on the day",
		                     "%lu political persecutions on the day", n),
		    n);
		break;
	default:
		what = xasprintf(ngettext("%lu threat of prosecution", "%lu threats of prosecution",
		                     n),
		    n);
	}
	if (people) {
		char *whom = report_people_phrase(people);
		s = xasprintf(_("%1$s %2$s"), what, whom);
		free(what);
		free(whom);
		what = s;
	}
	if (m == 0)
		return what;
	where = xasprintf(ngettext("in %lu town or locality", "in %lu towns and localities", m), m);
	/* TRANSLATORS: a bulletin line: %1$s is what was counted ("90
	 * political persecutions on the day"), %2$s where ("in 20 towns and
	 * localities"). Swap them where the place comes first. */
	s = xasprintf(_("%1$s %2$s"), what, where);
	free(what);
	free(where);
	return s;
}

/* A place as the bulletin names it: the gazetteer's name in the language
 * places are shown in (display.h: the place_names setting, else the
 * bulletin's), so one line never mixes scripts; a place the gazetteer
 * lacks as the case spells it, and in English a Latin spelling as the
 * staff wrote it ("Uralsk", not the official "Oral"). */
static const char *town_name(const struct report *r, const char *place)
{
	enum gazetteer_lang lang = display_place_lang();
	size_t id = known_place(r->gaz, place);
	bool latin = true;

	for (const char *p = place; *p && latin; p++)
		latin = (unsigned char)*p < 0x80;
	if (id == GAZETTEER_NONE || (lang == GAZETTEER_EN && latin))
		return place;
	return gazetteer_name(r->gaz, id, lang);
}

/* Orders places by the collator (the bulletin language's alphabet: Қ
 * after К, Ө after О), else by code point. */
static int cmp_place(const void *x, const void *y, void *ctx)
{
	const char *const *a = x, *const *b = y;
	UCollator *coll = ctx;
	UErrorCode st = U_ZERO_ERROR;

	if (coll) {
		UCollationResult res = ucol_strcollUTF8(coll, *a, -1, *b, -1, &st);
		if (U_SUCCESS(st))
			return res == UCOL_LESS ? -1 : res == UCOL_GREATER ? 1 : strcmp(*a, *b);
	}
	return strcmp(*a, *b);
}

/* ": Almaty, Astana, Shymkent": the group's places in the bulletin's
 * language and in its alphabetical order. */
static void town_list(struct buf *b, const struct report *r, const struct report_group *grp)
{
	static const char *const locale[] = {
	    [GAZETTEER_KK] = "kk",
	    [GAZETTEER_RU] = "ru",
	    [GAZETTEER_EN] = "en",
	};
	size_t n = grp->towns.n;
	char **names = xcalloc(n ? n : 1, sizeof *names);
	UErrorCode st = U_ZERO_ERROR;
	UCollator *coll = ucol_open(locale[display_place_lang()], &st);

	if (U_FAILURE(st))
		coll = NULL;
	for (size_t i = 0; i < n; i++)
		names[i] = text_sanitize(town_name(r, grp->towns.items[i]), 0);
	qsort_r(names, n, sizeof *names, cmp_place, coll);
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i == 0 ? ": " : ", ");
		buf_puts(b, names[i]);
		free(names[i]);
	}
	free(names);
	if (coll)
		ucol_close(coll);
}

static char *group_line(const struct report *r, int g, const struct report_group *grp)
{
	struct buf b = {0};
	/* A refusal bans an assembly: its people are not what it counts. */
	char *head = report_group_phrase_of(g, grp->cases, g == REPORT_REFUSALS ? 0 : grp->people,
	    grp->towns.n);

	buf_puts(&b, head);
	free(head);
	including(&b, g, grp);
	town_list(&b, r, grp);
	return buf_steal(&b);
}

static char *injured_line(const struct report *r, const struct report_injured *p, bool md)
{
	struct buf b = {0};
	char *s = text_sanitize(p->name, 0);

	buf_printf(&b, md ? "**%s**" : "%s", s);
	free(s);
	if (!str_empty(p->city)) {
		s = text_sanitize(town_name(r, p->city), 0);
		buf_printf(&b, " (%s)", s);
		free(s);
	}
	for (size_t i = 0; i < p->n_injuries; i++) {
		const struct injury *in = &p->injuries[i];
		buf_puts(&b, i == 0 ? ": " : "; ");
		buf_puts(&b, vocab_label(&vocab_injury, in->type));
		if (!str_empty(in->body) || !str_empty(in->note)) {
			char *body = text_sanitize(str_or_empty(in->body), 0);
			char *note = text_sanitize(str_or_empty(in->note), 0);
			buf_printf(&b, " (%s%s%s)", body, body[0] && note[0] ? ", " : "", note);
			free(body);
			free(note);
		}
	}
	return buf_steal(&b);
}

/* The people with a repeated administrative sanction, after the events:
 * each named as the injured are (a restricted case names nobody). */
static void repeats_render(FILE *f, const struct report *r, bool md)
{
	if (r->n_repeats == 0)
		return;
	fprintf(f, md ? "\n## " : "\n");
	fprintf(f,
	    ngettext("People with an administrative sanction repeated within %d month:",
	        "People with an administrative sanction repeated within %d months:",
	        (unsigned long)r->repeat_window),
	    r->repeat_window);
	fputc('\n', f);
	if (md)
		fputc('\n', f);
	for (size_t i = 0; i < r->n_repeats; i++) {
		const struct report_repeat *p = &r->repeats[i];
		char *who = p->name
		    ? text_sanitize(p->name, 0)
		    : xasprintf(_("person %llu (not named)"), (unsigned long long)p->person);
		fprintf(f, md ? "- **%s**: " : "  %s: ", who);
		fprintf(f, ngettext("%u repeat", "%u repeats", p->repeats), p->repeats);
		fprintf(f, " (%s)\n", p->sanctions);
		free(who);
	}
}

int report_render(FILE *f, const struct report *r, int format)
{
	bool md = format == REPORT_MARKDOWN;
	const char *item = md ? "- " : "  ";
	const char *sub = md ? "  - " : "    ";
	unsigned long n = (unsigned long)r->cases;

	if (md)
		fprintf(f, "# %s\n\n", _("Bulletin"));
	fprintf(f, ngettext("%lu case", "%lu cases", n), n);
	if (r->people) {
		char *whom = report_people_phrase(r->people);
		fprintf(f, " %s", whom);
		free(whom);
	}
	fputc('\n', f);
	for (size_t i = 0; i < r->n_events; i++) {
		const struct report_event *e = &r->events[i];
		char *title = text_sanitize(e->title[0] ? e->title : _("(no event)"), 0);
		char day[DATEFMT_BUFSZ];

		/* A title's leading date ("2021-05-01 DCK rallies") in the
		 * reader's form; the title is otherwise as the staff wrote it. */
		if (e->dated_by_title)
			fprintf(f, md ? "\n## %s%s\n\n" : "\n%s%s\n", datefmt_show(e->date, day),
			    title + 10);
		else
			fprintf(f, md ? "\n## %s\n\n" : "\n%s\n", title);
		free(title);
		for (int g = 0; g < REPORT__GROUPS; g++) {
			if (e->group[g].cases == 0)
				continue;
			char *line = group_line(r, g, &e->group[g]);
			fprintf(f, "%s%s\n", item, line);
			free(line);
		}
		if (e->n_injured == 0 && e->unnamed_injured == 0)
			continue;
		fprintf(f, "%s%s\n", item, _("Injured:"));
		for (size_t j = 0; j < e->n_injured; j++) {
			char *line = injured_line(r, &e->injured[j], md);
			fprintf(f, "%s%s\n", sub, line);
			free(line);
		}
		if (e->unnamed_injured > 0) {
			unsigned long k = (unsigned long)e->unnamed_injured;
			fprintf(f, "%s", sub);
			fprintf(f,
			    ngettext("%lu more injured person, not named",
			        "%lu more injured people, not named", k),
			    k);
			fputc('\n', f);
		}
	}
	repeats_render(f, r, md);
	return ferror(f) ? CB_EIO : 0;
}
