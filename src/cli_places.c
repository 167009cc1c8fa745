/* cli_places.c — `places`: the cities of the cases against the gazetteer.
 * Without options, each place of the gazetteer that cases name, with its
 * count; with --unknown, each city value the gazetteer does not know, with
 * its count and the nearest names of the gazetteer, so an office can clean
 * its data. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "query.h"
#include "text.h"
#include "util.h"

enum { OPT_UNKNOWN = 1 };

/* Suggestions shown for one unknown value. */
#define NEAREST_MAX 3

static int write_failed(void)
{
	struct cb_err err;
	cb_err_set(&err, CB_EIO, _("cannot write the output"));
	return cli_fail(&err);
}

/* Appends " → NAME? NAME?" for a value the gazetteer does not know: the
 * places it names when it is a shared name the case's region did not tell
 * apart, else the nearest names. */
static void suggest(const struct gazetteer *g, const char *value, struct buf *out)
{
	size_t ps[PLACE_MAX_SHARED];
	size_t n = place_resolve(value, false, ps, PLACE_MAX_SHARED);

	if (n > 0) {
		buf_puts(out, " →");
		for (size_t i = 0; i < n; i++) {
			char *l = place_label(ps[i]);
			buf_printf(out, " %s?", l);
			free(l);
		}
		return;
	}
	struct gazetteer_hit hits[NEAREST_MAX];
	n = gazetteer_nearest(g, value, hits, NEAREST_MAX);
	if (n)
		buf_puts(out, " →");
	for (size_t i = 0; i < n; i++) {
		size_t p = hits[i].place;
		bool current = false;
		for (int l = GAZETTEER_KK; l <= GAZETTEER_EN; l++)
			current |= strcmp(hits[i].name, gazetteer_name(g, p, l)) == 0;
		if (current) {
			/* The place's current name in the script typed. */
			unsigned char c = (unsigned char)value[0];
			bool latin = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
			buf_printf(out, " %s?",
			    gazetteer_name(g, p, latin ? GAZETTEER_EN : place_lang()));
			continue;
		}
		/* A former name or other spelling: say which place it is. */
		char *label = place_label(p);
		buf_printf(out, " %s (%s)?", hits[i].name, label);
		free(label);
	}
}

/* One output line: the count right-aligned to width w, two spaces, text
 * (made safe for the terminal). */
static void print_row(int w, size_t count, const char *text)
{
	char *safe = text_sanitize(text, 0);
	printf("%*zu  %s\n", w, count, safe);
	free(safe);
}

/* The places line: the label, and the region for a place that is not a
 * region of its own. */
static void place_line(const struct gazetteer *g, size_t p, struct buf *out)
{
	char *label = place_label(p);
	size_t r = gazetteer_region(g, p);

	buf_puts(out, label);
	if (r != p && !gazetteer_shared(g, p))
		buf_printf(out, " (%s)", gazetteer_name(g, r, place_lang()));
	free(label);
}

static int cmd_places(struct cli *cli, const struct cli_args *a)
{
	bool unknown = cli_flag(a, OPT_UNKNOWN);
	const struct gazetteer *g = place_gazetteer();
	struct cb_err err = {0};
	struct store *st;
	struct facet *fs;
	size_t n, n_unknown = 0, cases_unknown = 0;
	int rc;

	if (!g) {
		cb_err_set(&err, CB_EINVAL,
		    _("no gazetteer is in use, so every city is matched by its text: install "
		      "%s or name another file in the places setting"),
		    gazetteer_default_path());
		return cli_fail(&err);
	}
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (query_facets(st, "city", NULL, &fs, &n, &err) != 0)
		return cli_fail(&err);
	int w = 1;
	if (n)
		w = snprintf(NULL, 0, "%zu", fs[0].count);
	for (size_t i = 0; i < n; i++) {
		size_t p = place_key_place(fs[i].key, strlen(fs[i].key));
		struct buf line = {0};
		if (p == GAZETTEER_NONE) {
			n_unknown++;
			cases_unknown += fs[i].count;
		}
		if (unknown && p == GAZETTEER_NONE) {
			buf_puts(&line, fs[i].value);
			suggest(g, fs[i].value, &line);
		} else if (!unknown && p != GAZETTEER_NONE) {
			place_line(g, p, &line);
		}
		if (line.len)
			print_row(w, fs[i].count, buf_cstr(&line));
		buf_free(&line);
	}
	query_facets_free(fs, n);
	if (!unknown && n_unknown)
		printf(ngettext("%zu case names a city the gazetteer does not know: see casebook "
		                "places --unknown\n",
		           "%zu cases name a city the gazetteer does not know: see casebook places "
		           "--unknown\n",
		           cases_unknown),
		    cases_unknown);
	if (fflush(stdout) != 0)
		return write_failed();
	return EXIT_OK;
}

static const struct cli_option places_options[] = {
    {OPT_UNKNOWN, "unknown", 'u', NULL,
        N_("list the cities the gazetteer does not know, with the nearest names")},
    {0},
};

const struct cli_command cli_cmd_places = {
    "places",
    cmd_places,
    N_("places [--unknown]"),
    N_("cities of the cases against the gazetteer"),
    N_("Counts the cases of each place of the gazetteer; with --unknown, lists the city "
       "values the gazetteer does not know and the nearest names it has."),
    places_options,
    0,
    0,
    0,
    N_("places takes no words; try places --unknown"),
};
