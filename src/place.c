/* place.c — the process's gazetteer and the place keys of city and region
 * values (place.h). */
#include "place.h"

#include <errno.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fold.h"
#include "skeleton.h"

/* Changes whenever the key rules change (skeleton, key layout): the
 * database then rebuilds its place indexes. */
#define PLACE_KEY_RULES "place-keys 1"

/* A gazetteer larger than this is refused (the shipped one is ~60 KB). */
#define PLACE_FILE_MAX (64u << 20)

/* Cases name the same few places over and over: the lookups of recent
 * texts are kept (a text's candidates, when there are few), and each
 * place's index key once made. Both are emptied when the gazetteer
 * changes (place_use). */
#define LOOKUP_SLOTS 1024
#define LOOKUP_KEEP 4
static struct lookup_slot {
	char *text;
	size_t n; /* candidates, <= LOOKUP_KEEP */
	size_t p[LOOKUP_KEEP];
} lookups[LOOKUP_SLOTS];
static char **place_keys; /* per place, NULL until made */
static size_t n_place_keys;

static const struct gazetteer *gaz;
static struct gazetteer *owned;
static bool tried;
static char digest[2 * SHA256_DIGEST_SIZE + 1] = "none";
static char *path_used;

void place_key_fn(const char *name, struct buf *out, void *ctx)
{
	char sk[256];

	(void)ctx;
	/* The whole name as one word: separators drop out, so
	 * "Усть-Каменогорск" = "Усть Каменогорск" = "Ust-Kamenogorsk". */
	size_t n = skeleton_word(name, strlen(name), sk, sizeof sk);
	buf_put(out, sk, n);
}

/* Reads a whole file into b; false with errno set on failure. */
static bool read_file(const char *path, struct buf *b)
{
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > PLACE_FILE_MAX) {
			fclose(f);
			errno = EFBIG;
			return false;
		}
		buf_put(b, chunk, n);
	}
	bool ok = !ferror(f);
	fclose(f);
	if (!ok)
		errno = EIO;
	return ok;
}

/* The file to read and whether its absence is worth a warning. */
static char *choose_path(bool *must_exist)
{
	const char *set = config_get()->places;
	const char *env = getenv("CASEBOOK_PLACES");

	*must_exist = true;
	if (set)
		return xstrdup(set);
	if (env)
		return *env ? xstrdup(env) : NULL;
	*must_exist = false;
	char *p = util_beside_binary("places.tsv", S_IFREG);
	return p ? p : xstrdup(gazetteer_default_path());
}

static void load(void)
{
	struct buf text = {0};
	struct cb_err err = {0};
	struct gazetteer_keyer keyer = {place_key_fn, NULL};
	bool must_exist;
	char *path = choose_path(&must_exist);

	if (!path)
		return;
	if (!read_file(path, &text)) {
		if (must_exist || errno != ENOENT)
			fprintf(stderr,
			    _("casebook: cannot read the gazetteer %s: %s; places are matched by "
			      "their text only\n"),
			    path, strerror(errno));
		free(path);
		buf_free(&text);
		return;
	}
	if (gazetteer_load_mem(buf_cstr(&text), text.len, path, &keyer, &owned, &err) != 0) {
		fprintf(stderr, _("casebook: %s; places are matched by their text only\n"),
		    err.msg);
		free(path);
		buf_free(&text);
		return;
	}
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	/* The keys are skeletons (place_key_fn): a change of the skeleton's
	 * rules changes them as much as a change of the file does. */
	char rules[64];
	int n_rules =
	    snprintf(rules, sizeof rules, "%s skeleton %d", PLACE_KEY_RULES, SKELETON_VERSION);
	sha256_update(&ctx, (size_t)n_rules, (const uint8_t *)rules);
	sha256_update(&ctx, text.len, text.p);
	sha256_digest(&ctx, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(digest + 2 * i, 3, "%02x", d[i]);
	gaz = owned;
	path_used = path;
	buf_free(&text);
}

const struct gazetteer *place_gazetteer(void)
{
	if (!tried) {
		tried = true;
		load();
	}
	return gaz;
}

/* Forgets the lookups and keys of the gazetteer in use. */
static void caches_clear(void)
{
	for (size_t i = 0; i < LOOKUP_SLOTS; i++) {
		free(lookups[i].text);
		lookups[i].text = NULL;
	}
	for (size_t i = 0; i < n_place_keys; i++)
		free(place_keys[i]);
	free(place_keys);
	place_keys = NULL;
	n_place_keys = 0;
}

/* gazetteer_lookup through the cache of recent texts. */
static size_t lookup(const struct gazetteer *g, const char *text, size_t *out, size_t max)
{
	uint64_t h = 1469598103934665603u;
	for (const char *p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	struct lookup_slot *sl = &lookups[h & (LOOKUP_SLOTS - 1)];
	if (sl->text && strcmp(sl->text, text) == 0) {
		size_t n = sl->n < max ? sl->n : max;
		memcpy(out, sl->p, n * sizeof *out);
		return sl->n;
	}
	size_t n = gazetteer_lookup(g, text, out, max);
	if (n <= LOOKUP_KEEP && n <= max) {
		free(sl->text);
		sl->text = xstrdup(text);
		sl->n = n;
		memcpy(sl->p, out, n * sizeof *out);
	}
	return n;
}

void place_use(const struct gazetteer *g, const char *d)
{
	caches_clear();
	tried = true;
	gaz = g;
	snprintf(digest, sizeof digest, "%s", g && d ? d : "none");
}

const char *place_digest(void)
{
	place_gazetteer();
	return digest;
}

const char *place_path(void)
{
	place_gazetteer();
	return gaz ? path_used : NULL;
}

/* The places of "NAME (REGION)": those named NAME that lie, or lay, in a
 * region REGION names. */
static size_t resolve_bracketed(const struct gazetteer *g, const char *text, size_t *out,
    size_t max)
{
	size_t n = strlen(text);
	const char *open = n > 2 && text[n - 1] == ')' ? strstr(text, " (") : NULL;

	if (!open)
		return 0;
	char *name = xstrndup(text, (size_t)(open - text));
	char *reg = xstrndup(open + 2, n - (size_t)(open + 2 - text) - 1);
	size_t cand[PLACE_MAX_SHARED], regs[PLACE_MAX_SHARED], stored = 0;
	size_t nc = lookup(g, name, cand, PLACE_MAX_SHARED);
	size_t nr = place_resolve(reg, true, regs, PLACE_MAX_SHARED);
	if (nc > PLACE_MAX_SHARED)
		nc = PLACE_MAX_SHARED;
	for (size_t i = 0; i < nc && stored < max; i++)
		for (size_t j = 0; j < nr; j++)
			if (gazetteer_region(g, cand[i]) == regs[j] ||
			    gazetteer_former_region(g, cand[i]) == regs[j]) {
				out[stored++] = cand[i];
				break;
			}
	free(name);
	free(reg);
	return stored;
}

size_t place_resolve(const char *text, bool regions_only, size_t *out, size_t max)
{
	const struct gazetteer *g = place_gazetteer();
	size_t cand[PLACE_MAX_SHARED], stored = 0;

	if (!g || str_empty(text))
		return 0;
	size_t n = lookup(g, text, cand, PLACE_MAX_SHARED);
	if (n > PLACE_MAX_SHARED)
		n = PLACE_MAX_SHARED;
	if (n == 0)
		n = resolve_bracketed(g, text, cand, PLACE_MAX_SHARED);
	for (size_t i = 0; i < n && stored < max; i++)
		if (!regions_only || gazetteer_is_region(g, cand[i]))
			out[stored++] = cand[i];
	return stored;
}

size_t place_of_city(const char *city, const char *region)
{
	const struct gazetteer *g = place_gazetteer();
	size_t cand[PLACE_MAX_SHARED], regs[PLACE_MAX_SHARED], found = GAZETTEER_NONE;
	size_t n = place_resolve(city, false, cand, PLACE_MAX_SHARED);

	if (n <= 1)
		return n ? cand[0] : GAZETTEER_NONE;
	/* A shared name: the region says which, if it names one region. */
	size_t nr = place_resolve(region, true, regs, PLACE_MAX_SHARED);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < nr; j++)
			if (gazetteer_region(g, cand[i]) == regs[j] ||
			    gazetteer_former_region(g, cand[i]) == regs[j]) {
				if (found != GAZETTEER_NONE && found != cand[i])
					return GAZETTEER_NONE;
				found = cand[i];
			}
	return found;
}

size_t place_of_region(const char *city, const char *region)
{
	size_t regs[2];

	if (!str_empty(region))
		return place_resolve(region, true, regs, 2) == 1 ? regs[0] : GAZETTEER_NONE;
	size_t p = place_of_city(city, NULL);
	return p == GAZETTEER_NONE ? p : gazetteer_region(place_gazetteer(), p);
}

void place_key(size_t place, struct buf *out)
{
	const struct gazetteer *g = place_gazetteer();

	if (!place_keys) {
		n_place_keys = gazetteer_count(g);
		place_keys = xcalloc(n_place_keys, sizeof *place_keys);
	}
	if (!place_keys[place]) {
		struct buf k = {0};
		fold_text_append(gazetteer_name(g, place, GAZETTEER_RU), &k);
		buf_putc(&k, PLACE_KEY_MARK);
		buf_puts(&k, gazetteer_id(g, place));
		place_keys[place] = buf_steal(&k);
	}
	buf_puts(out, place_keys[place]);
}

void place_shared_key(const size_t *places, size_t n, struct buf *out)
{
	const struct gazetteer *g = place_gazetteer();

	fold_text_append(gazetteer_name(g, places[0], GAZETTEER_RU), out);
	buf_putc(out, PLACE_KEY_MARK);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, '+');
		buf_puts(out, gazetteer_id(g, places[i]));
	}
}

size_t place_key_place(const void *key, size_t len)
{
	const struct gazetteer *g = place_gazetteer();
	const char *k = key, *mark = NULL;
	char id[256];

	if (!g)
		return GAZETTEER_NONE;
	for (size_t i = len; i > 0; i--)
		if (k[i - 1] == PLACE_KEY_MARK) {
			mark = k + i - 1;
			break;
		}
	if (!mark)
		return GAZETTEER_NONE;
	size_t n = len - (size_t)(mark + 1 - k);
	if (n == 0 || n >= sizeof id)
		return GAZETTEER_NONE;
	memcpy(id, mark + 1, n);
	id[n] = '\0';
	return gazetteer_find_id(g, id);
}

/* The interface language's code from the environment as gettext reads it. */
static const char *ui_language(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	const char *set = config_get()->language;

	if (set)
		return set;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return "";
}

enum gazetteer_lang place_lang(void)
{
	const char *set = config_get()->place_names, *ui = ui_language();
	enum gazetteer_lang l;

	if (set && gazetteer_lang_parse(set, &l, NULL) == 0)
		return l;
	if (strncmp(ui, "kk", 2) == 0)
		return GAZETTEER_KK;
	return GAZETTEER_RU;
}

char *place_label(size_t place)
{
	const struct gazetteer *g = place_gazetteer();
	enum gazetteer_lang l = place_lang();
	const char *name = gazetteer_name(g, place, l);
	size_t r = gazetteer_region(g, place);

	if (!gazetteer_shared(g, place) || r == place)
		return xstrdup(name);
	return xasprintf("%s (%s)", name, gazetteer_name(g, r, l));
}

/* ---- Completion ---------------------------------------------------------- */

struct cand {
	size_t place;
	bool lang_first; /* its name in place_lang() starts with what was typed */
	const char *label;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->lang_first != y->lang_first)
		return x->lang_first ? -1 : 1;
	int c = strcmp(x->label, y->label);
	return c ? c : (x->place > y->place) - (x->place < y->place);
}

static bool skel_starts(const char *name, const char *prefix, size_t pl)
{
	char sk[256];
	size_t n = skeleton_word(name, strlen(name), sk, sizeof sk);
	return n >= pl && memcmp(sk, prefix, pl) == 0;
}

size_t place_complete(const char *typed, size_t *out, size_t max)
{
	const struct gazetteer *g = place_gazetteer();
	char want[256];
	size_t pl, nc = 0, stored = 0;

	if (!g || str_empty(typed))
		return 0;
	pl = skeleton_word(typed, strlen(typed), want, sizeof want);
	if (pl == 0)
		return 0;
	enum gazetteer_lang lang = place_lang();
	struct cand *c = xreallocarray(NULL, gazetteer_count(g), sizeof *c);
	for (size_t p = 0; p < gazetteer_count(g); p++) {
		enum gazetteer_kind k = gazetteer_kind(g, p);
		if (k == GAZETTEER_REGION || k == GAZETTEER_DISTRICT)
			continue;
		size_t n;
		const char *const *names = gazetteer_names(g, p, &n);
		bool hit = false;
		for (size_t i = 0; i < n && !hit; i++)
			hit = skel_starts(names[i], want, pl);
		if (!hit)
			continue;
		const char *label = gazetteer_name(g, p, lang);
		c[nc++] = (struct cand){p, skel_starts(label, want, pl), label};
	}
	qsort(c, nc, sizeof *c, cand_cmp);
	for (; stored < nc && stored < max; stored++)
		out[stored] = c[stored].place;
	free(c);
	return stored;
}

const char *place_region_of(const char *city)
{
	size_t p = place_of_city(city, NULL);

	if (p == GAZETTEER_NONE)
		return NULL;
	return gazetteer_name(place_gazetteer(), gazetteer_region(place_gazetteer(), p),
	    place_lang());
}
