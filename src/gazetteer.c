/* gazetteer.c — loading, checking and searching the gazetteer of places.
 * The file is read whole, split into lines and cells, and every place's
 * names go into one open-addressing hash table under their matching keys,
 * one entry per (key, place), so a shared name finds every place that has
 * it. Regions may be named before the line that defines them: references
 * are resolved once every row is read. */
#include "gazetteer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "fold.h"
#include "text.h"

#ifndef DATADIR
#define DATADIR "/usr/local/share"
#endif

/* A file larger than this is not a gazetteer (the shipped one is ~20 KB). */
#define MAX_FILE_SIZE (64u << 20)

enum column {
	COL_ID,
	COL_KIND,
	COL_REGION,
	COL_KK,
	COL_RU,
	COL_EN,
	COL_FORMER,
	COL_OTHER,
	COL_FORMER_REGION,
	COL_SHARED,
	COL_NOTE,
	COL__COUNT
};

static const struct {
	const char *name;
	bool required;
} columns[COL__COUNT] = {
    [COL_ID] = {"id", true},
    [COL_KIND] = {"kind", true},
    [COL_REGION] = {"region", true},
    [COL_KK] = {"kk", true},
    [COL_RU] = {"ru", true},
    [COL_EN] = {"en", true},
    [COL_FORMER] = {"former", false},
    [COL_OTHER] = {"other", false},
    [COL_FORMER_REGION] = {"former_region", false},
    [COL_SHARED] = {"shared", false},
    [COL_NOTE] = {"note", false},
};

static const char *const kind_keys[] = {
    [GAZETTEER_REGION] = "region",
    [GAZETTEER_CITY] = "city",
    [GAZETTEER_TOWN] = "town",
    [GAZETTEER_VILLAGE] = "village",
    [GAZETTEER_DISTRICT] = "district",
};
#define KIND_COUNT (sizeof kind_keys / sizeof kind_keys[0])

struct place {
	char *id;
	enum gazetteer_kind kind;
	size_t region, former_region;
	char *region_ref, *former_region_ref; /* ids until resolved */
	unsigned region_col, former_region_col; /* for messages */
	char *lang[3]; /* kk, ru, en; "" when empty */
	char **names; /* every name, no two with one key */
	size_t n_names;
	bool shared;
	unsigned line;
};

/* One (key, place) pair; the hash table holds indexes into entries. */
struct entry {
	char *key;
	uint64_t hash;
	size_t place;
	const char *name;
	uint32_t *cps; /* the key's code points, for edit distance */
	size_t n_cps;
};

struct gazetteer {
	struct place *places;
	size_t n_places, cap_places;
	struct entry *entries;
	size_t n_entries, cap_entries;
	size_t *slots; /* GAZETTEER_NONE or an entry index */
	size_t n_slots; /* a power of two */
	size_t *id_slots; /* GAZETTEER_NONE or a place index, by id */
	size_t n_id_slots; /* a power of two */
	struct gazetteer_keyer keyer;
};

/* Where a fault lies, for messages. */
struct at {
	const char *file;
	unsigned line;
};

/* Sets "FILE: line N, column C (NAME): MESSAGE"; col 0 leaves out the
 * column, a NULL colname its name. Returns CB_EINVAL. */
static int fail_at(struct cb_err *err, const struct at *at, unsigned col, const char *colname,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct cb_err *err, const struct at *at, unsigned col, const char *colname,
    const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (col > 0 && colname)
		return cb_err_set(err, CB_EINVAL, _("%s: line %u, column %u (%s): %s"), at->file,
		    at->line, col, colname, msg);
	if (col > 0)
		return cb_err_set(err, CB_EINVAL, _("%s: line %u, column %u: %s"), at->file,
		    at->line, col, msg);
	return cb_err_set(err, CB_EINVAL, _("%s: line %u: %s"), at->file, at->line, msg);
}

void gazetteer_key_fold(const char *name, struct buf *out, void *ctx)
{
	struct strlist words = {0};

	(void)ctx;
	/* fold_words drops a repeated word, so "X-X" has the key of "X";
	 * place names hardly ever repeat a word. */
	fold_words(name, &words);
	for (size_t i = 0; i < words.n; i++) {
		if (i)
			buf_putc(out, ' ');
		buf_puts(out, words.items[i]);
	}
	strlist_free(&words);
}

const char *gazetteer_default_path(void)
{
	return DATADIR "/casebook/places.tsv";
}

/* ---- Text helpers ------------------------------------------------------- */

/* Decodes UTF-8 into a malloc'd array of code points (text_decode: a bad
 * byte is one U+FFFD). */
static uint32_t *utf8_decode(const char *s, size_t n, size_t *count)
{
	uint32_t *cp = xreallocarray(NULL, n + 1, sizeof *cp);
	size_t k = 0;

	for (size_t i = 0; i < n; k++)
		i += text_decode(s + i, n - i, &cp[k]);
	*count = k;
	return cp;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A copy of s[0..n) without surrounding spaces. */
static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\v' || *s == '\f'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\v' || s[n - 1] == '\f'))
		n--;
	return xstrndup(s, n);
}

/* Splits one line at tabs into trimmed, malloc'd cells. */
static void split_cells(const char *line, size_t n, struct strlist *cells)
{
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && line[i] != '\t')
			continue;
		char *cell = trimmed(line + start, i - start);
		strlist_add(cells, cell);
		free(cell);
		start = i + 1;
	}
}

static uint64_t hash_key(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* ---- The hash table ----------------------------------------------------- */

static void table_grow(struct gazetteer *g)
{
	size_t n = g->n_slots ? g->n_slots * 2 : 256;

	free(g->slots);
	g->slots = xreallocarray(NULL, n, sizeof *g->slots);
	g->n_slots = n;
	for (size_t i = 0; i < n; i++)
		g->slots[i] = GAZETTEER_NONE;
	/* Re-inserting in entry order keeps equal keys in file order. */
	for (size_t e = 0; e < g->n_entries; e++) {
		size_t s = (size_t)g->entries[e].hash & (n - 1);
		while (g->slots[s] != GAZETTEER_NONE)
			s = (s + 1) & (n - 1);
		g->slots[s] = e;
	}
}

/* Adds (key, place) unless the place has the key already; returns the
 * entry index, or GAZETTEER_NONE when it was a duplicate for that place.
 * *clash is set to the first other place with the same key, if any. */
static size_t table_add(struct gazetteer *g, const char *key, size_t keylen, size_t place,
    const char *name, size_t *clash)
{
	uint64_t h = hash_key(key, keylen);

	*clash = GAZETTEER_NONE;
	if ((g->n_entries + 1) * 2 > g->n_slots)
		table_grow(g);
	size_t mask = g->n_slots - 1, s = (size_t)h & mask;
	for (; g->slots[s] != GAZETTEER_NONE; s = (s + 1) & mask) {
		const struct entry *e = &g->entries[g->slots[s]];
		if (e->hash != h || strcmp(e->key, key) != 0)
			continue;
		if (e->place == place)
			return GAZETTEER_NONE;
		if (*clash == GAZETTEER_NONE)
			*clash = e->place;
	}
	if (g->n_entries == g->cap_entries) {
		g->cap_entries = g->cap_entries ? g->cap_entries * 2 : 512;
		g->entries = xreallocarray(g->entries, g->cap_entries, sizeof *g->entries);
	}
	struct entry *e = &g->entries[g->n_entries];
	e->key = xstrndup(key, keylen);
	e->hash = h;
	e->place = place;
	e->name = name;
	e->cps = utf8_decode(key, keylen, &e->n_cps);
	g->slots[s] = g->n_entries;
	return g->n_entries++;
}

/* Puts place into the id table, growing it to stay at most half full. */
static void id_table_add(struct gazetteer *g, size_t place)
{
	if ((g->n_places + 1) * 2 > g->n_id_slots) {
		size_t n = g->n_id_slots ? g->n_id_slots * 2 : 256;
		free(g->id_slots);
		g->id_slots = xreallocarray(NULL, n, sizeof *g->id_slots);
		g->n_id_slots = n;
		for (size_t i = 0; i < n; i++)
			g->id_slots[i] = GAZETTEER_NONE;
		for (size_t i = 0; i < g->n_places; i++)
			if (i != place)
				id_table_add(g, i);
	}
	const char *id = g->places[place].id;
	size_t mask = g->n_id_slots - 1, s = (size_t)hash_key(id, strlen(id)) & mask;
	while (g->id_slots[s] != GAZETTEER_NONE)
		s = (s + 1) & mask;
	g->id_slots[s] = place;
}

/* ---- Loading ------------------------------------------------------------ */

struct header {
	int col_of[COL__COUNT]; /* cell index of each column, -1 if absent */
	size_t n_cells;
};

static int parse_header(const struct strlist *cells, struct header *h, const struct at *at,
    struct cb_err *err)
{
	for (int c = 0; c < COL__COUNT; c++)
		h->col_of[c] = -1;
	h->n_cells = cells->n;
	for (size_t i = 0; i < cells->n; i++) {
		int c;
		for (c = 0; c < COL__COUNT; c++)
			if (strcmp(cells->items[i], columns[c].name) == 0)
				break;
		if (c == COL__COUNT)
			return fail_at(err, at, (unsigned)i + 1, NULL,
			    _("unknown column \"%s\" in the header (known: id, kind, region, kk, "
			      "ru, en, "
			      "former, other, former_region, shared, note)"),
			    cells->items[i]);
		if (h->col_of[c] >= 0)
			return fail_at(err, at, (unsigned)i + 1, NULL,
			    _("the column \"%s\" appears twice in the header"), columns[c].name);
		h->col_of[c] = (int)i;
	}
	for (int c = 0; c < COL__COUNT; c++)
		if (columns[c].required && h->col_of[c] < 0)
			return fail_at(err, at, 0, NULL, _("the header lacks the column \"%s\""),
			    columns[c].name);
	return 0;
}

/* Adds one name of a place to the table, checking the shared-name rule. */
static int add_name(struct gazetteer *g, size_t place, const char *name, unsigned col,
    const char *colname, const struct at *at, struct cb_err *err)
{
	struct place *p = &g->places[place];
	struct buf key = {0};
	size_t clash;

	g->keyer.key(name, &key, g->keyer.ctx);
	if (key.len == 0) {
		buf_free(&key);
		return fail_at(err, at, col, colname, _("the name \"%s\" has no letters or digits"),
		    name);
	}
	/* The name is copied first so the entry can point at it. */
	p->names = xreallocarray(p->names, p->n_names + 1, sizeof *p->names);
	p->names[p->n_names] = xstrdup(name);
	size_t e = table_add(g, buf_cstr(&key), key.len, place, p->names[p->n_names], &clash);
	buf_free(&key);
	if (e == GAZETTEER_NONE) {
		free(p->names[p->n_names]);
		return 0; /* another name of this place has the same key */
	}
	p->n_names++;
	if (clash == GAZETTEER_NONE)
		return 0;
	const struct place *q = &g->places[clash];
	if (!p->shared || !q->shared)
		return fail_at(err, at, col, colname,
		    _("the name \"%s\" is also a name of \"%s\" (line %u); if both places are "
		      "right, "
		      "write yes in the shared column of both rows"),
		    name, q->id, q->line);
	return 0;
}

/* Splits a '|' list cell and adds each item as a name. */
static int add_list(struct gazetteer *g, size_t place, const char *cell, unsigned col,
    const char *colname, const struct at *at, struct cb_err *err)
{
	const char *s = cell;

	if (!*cell)
		return 0;
	for (;;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		char *item = trimmed(s, n);
		int rc = 0;
		if (!*item)
			rc = fail_at(err, at, col, colname,
			    _("an empty name between '|' separators"));
		else
			rc = add_name(g, place, item, col, colname, at, err);
		free(item);
		if (rc)
			return rc;
		if (!bar)
			return 0;
		s = bar + 1;
	}
}

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* Reads one place row. Ids are checked for uniqueness here; regions once
 * all rows are read. */
static int parse_row(struct gazetteer *g, const struct strlist *cells, const struct header *h,
    const struct at *at, struct cb_err *err)
{
#define CELL(c) (h->col_of[c] >= 0 ? cells->items[h->col_of[c]] : "")
#define COLNO(c) ((unsigned)h->col_of[c] + 1)
#define AT(c) COLNO(c), columns[c].name
	if (cells->n != h->n_cells)
		return fail_at(err, at, 0, NULL,
		    _("%zu columns where the header has %zu (columns are separated by one tab)"),
		    cells->n, h->n_cells);
	const char *id = CELL(COL_ID), *kind = CELL(COL_KIND), *shared = CELL(COL_SHARED);
	if (!valid_id(id))
		return fail_at(err, at, AT(COL_ID),
		    _("the id \"%s\" must be letters, digits, '-', '_' or '.'"), id);
	size_t dup = gazetteer_find_id(g, id);
	if (dup != GAZETTEER_NONE)
		return fail_at(err, at, AT(COL_ID), _("the id \"%s\" is already used on line %u"),
		    id, g->places[dup].line);
	size_t k;
	for (k = 0; k < KIND_COUNT; k++)
		if (strcmp(kind, kind_keys[k]) == 0)
			break;
	if (k == KIND_COUNT)
		return fail_at(err, at, AT(COL_KIND),
		    _("unknown kind \"%s\" (known: region, city, town, village, district)"), kind);
	if (*shared && strcmp(shared, "yes") != 0 && strcmp(shared, "no") != 0)
		return fail_at(err, at, AT(COL_SHARED),
		    _("shared must be yes, no or empty, not \"%s\""), shared);
	if (!*CELL(COL_REGION))
		return fail_at(err, at, AT(COL_REGION), _("the region is empty"));
	if (!*CELL(COL_KK) && !*CELL(COL_RU) && !*CELL(COL_EN))
		return fail_at(err, at, AT(COL_KK), _("the place has no name in kk, ru or en"));

	if (g->n_places == g->cap_places) {
		g->cap_places = g->cap_places ? g->cap_places * 2 : 128;
		g->places = xreallocarray(g->places, g->cap_places, sizeof *g->places);
	}
	size_t place = g->n_places++;
	struct place *p = &g->places[place];
	memset(p, 0, sizeof *p);
	p->id = xstrdup(id);
	p->kind = (enum gazetteer_kind)k;
	p->region = p->former_region = GAZETTEER_NONE;
	p->region_ref = xstrdup(CELL(COL_REGION));
	p->region_col = COLNO(COL_REGION);
	p->former_region_ref = xstrdup(CELL(COL_FORMER_REGION));
	p->former_region_col = h->col_of[COL_FORMER_REGION] >= 0 ? COLNO(COL_FORMER_REGION) : 0;
	p->shared = strcmp(shared, "yes") == 0;
	p->line = at->line;
	id_table_add(g, place);

	static const int lang_cols[3] = {COL_KK, COL_RU, COL_EN};
	for (int l = 0; l < 3; l++) {
		const char *name = CELL(lang_cols[l]);
		p->lang[l] = xstrdup(name);
		if (strchr(name, '|'))
			return fail_at(err, at, AT(lang_cols[l]),
			    _("one name only in %s; other spellings go in the other column"),
			    columns[lang_cols[l]].name);
		if (*name) {
			int rc = add_name(g, place, name, AT(lang_cols[l]), at, err);
			if (rc)
				return rc;
		}
	}
	if (h->col_of[COL_FORMER] >= 0) {
		int rc = add_list(g, place, CELL(COL_FORMER), AT(COL_FORMER), at, err);
		if (rc)
			return rc;
	}
	if (h->col_of[COL_OTHER] >= 0)
		return add_list(g, place, CELL(COL_OTHER), AT(COL_OTHER), at, err);
	return 0;
#undef CELL
#undef COLNO
#undef AT
}

/* Resolves a region reference: it must name a place that is a region of
 * its own (a region row, or a city whose region is itself). */
static int resolve_region(struct gazetteer *g, size_t place, const char *ref, unsigned col,
    const char *colname, size_t *out, struct cb_err *err, const char *file)
{
	const struct place *p = &g->places[place];
	struct at at = {file, p->line};
	size_t r = gazetteer_find_id(g, ref);

	if (r == GAZETTEER_NONE)
		return fail_at(err, &at, col, colname,
		    _("unknown region \"%s\" (no row has this id)"), ref);
	const struct place *q = &g->places[r];
	if (q->kind != GAZETTEER_REGION && q->kind != GAZETTEER_CITY)
		return fail_at(err, &at, col, colname, _("\"%s\" is a %s, not a region"), ref,
		    kind_keys[q->kind]);
	if (strcmp(q->region_ref, q->id) != 0)
		return fail_at(err, &at, col, colname,
		    _("\"%s\" is not a region of its own (its region is \"%s\")"), ref,
		    q->region_ref);
	*out = r;
	return 0;
}

static int resolve_all(struct gazetteer *g, const char *file, struct cb_err *err)
{
	for (size_t i = 0; i < g->n_places; i++) {
		struct place *p = &g->places[i];
		struct at at = {file, p->line};
		if ((p->kind == GAZETTEER_REGION || p->kind == GAZETTEER_CITY) &&
		    strcmp(p->region_ref, p->id) != 0)
			return fail_at(err, &at, p->region_col, "region",
			    _("a %s is its own region: write its id \"%s\" here, not \"%s\""),
			    kind_keys[p->kind], p->id, p->region_ref);
		int rc = resolve_region(g, i, p->region_ref, p->region_col, "region", &p->region,
		    err, file);
		if (rc)
			return rc;
		if (*p->former_region_ref) {
			rc = resolve_region(g, i, p->former_region_ref, p->former_region_col,
			    "former_region", &p->former_region, err, file);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Two places that share a name must lie in different regions, or nothing
 * tells them apart. */
static int check_shared(const struct gazetteer *g, const char *file, struct cb_err *err)
{
	for (size_t e = 0; e < g->n_entries; e++) {
		const struct entry *a = &g->entries[e];
		if (!g->places[a->place].shared)
			continue;
		size_t mask = g->n_slots - 1;
		for (size_t s = (size_t)a->hash & mask; g->slots[s] != GAZETTEER_NONE;
		     s = (s + 1) & mask) {
			const struct entry *b = &g->entries[g->slots[s]];
			if (b->place >= a->place || b->hash != a->hash ||
			    strcmp(b->key, a->key) != 0)
				continue;
			const struct place *p = &g->places[a->place], *q = &g->places[b->place];
			if (p->region == q->region) {
				struct at at = {file, p->line};
				return fail_at(err, &at, 0, NULL,
				    _("\"%s\" and \"%s\" (line %u) share the name \"%s\" in one "
				      "region; "
				      "shared names must lie in different regions"),
				    p->id, q->id, q->line, a->name);
			}
		}
	}
	return 0;
}

/* Reads every line: comments, the header, then place rows. */
static int parse_text(struct gazetteer *g, const char *text, size_t len, const char *file,
    struct cb_err *err)
{
	struct header h = {{0}, 0};
	bool have_header = false;
	struct at at = {file, 0};
	size_t pos = 0;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		at.line++;
		if (n && line[n - 1] == '\r')
			n--;
		size_t bad = text_valid_len(line, n), first = 0;
		if (bad < n) {
			unsigned col = 1;
			for (size_t i = 0; i < bad; i++)
				col += line[i] == '\t';
			return fail_at(err, &at, col, NULL, _("not valid UTF-8 text"));
		}
		if (memchr(line, '\0', n))
			return fail_at(err, &at, 0, NULL, _("a NUL byte in the text"));
		while (first < n && is_blank(line[first]))
			first++;
		if (first == n || line[first] == '#')
			continue;
		struct strlist cells = {0};
		split_cells(line, n, &cells);
		int rc = have_header ? parse_row(g, &cells, &h, &at, err)
		                     : parse_header(&cells, &h, &at, err);
		strlist_free(&cells);
		if (rc)
			return rc;
		have_header = true;
	}
	if (!have_header)
		return cb_err_set(err, CB_EINVAL, _("%s: no header line (the file is empty)"),
		    file);
	int rc = resolve_all(g, file, err);
	return rc ? rc : check_shared(g, file, err);
}

int gazetteer_load_mem(const char *text, size_t len, const char *name,
    const struct gazetteer_keyer *keyer, struct gazetteer **out, struct cb_err *err)
{
	struct gazetteer *g = xcalloc(1, sizeof *g);

	*out = NULL;
	g->keyer.key = keyer && keyer->key ? keyer->key : gazetteer_key_fold;
	g->keyer.ctx = keyer && keyer->key ? keyer->ctx : NULL;
	table_grow(g);
	int rc = parse_text(g, text, len, name, err);
	if (rc) {
		gazetteer_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

int gazetteer_load(const char *path, const struct gazetteer_keyer *keyer, struct gazetteer **out,
    struct cb_err *err)
{
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	*out = NULL;
	if (!f)
		return cb_err_set(err, CB_EIO, _("cannot open the gazetteer %s: %s"), path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > MAX_FILE_SIZE) {
			fclose(f);
			buf_free(&b);
			return cb_err_set(err, CB_EINVAL,
			    _("%s: larger than %u MB, not a gazetteer"), path, MAX_FILE_SIZE >> 20);
		}
		buf_put(&b, chunk, n);
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&b);
		return cb_err_set(err, CB_EIO, _("cannot read the gazetteer %s"), path);
	}
	int rc = gazetteer_load_mem((const char *)buf_cstr(&b), b.len, path, keyer, out, err);
	buf_free(&b);
	return rc;
}

void gazetteer_free(struct gazetteer *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_places; i++) {
		struct place *p = &g->places[i];
		free(p->id);
		free(p->region_ref);
		free(p->former_region_ref);
		for (int l = 0; l < 3; l++)
			free(p->lang[l]);
		for (size_t k = 0; k < p->n_names; k++)
			free(p->names[k]);
		free(p->names);
	}
	for (size_t e = 0; e < g->n_entries; e++) {
		free(g->entries[e].key);
		free(g->entries[e].cps);
	}
	free(g->places);
	free(g->entries);
	free(g->slots);
	free(g->id_slots);
	free(g);
}

/* ---- Lookups ------------------------------------------------------------ */

size_t gazetteer_count(const struct gazetteer *g)
{
	return g->n_places;
}

size_t gazetteer_lookup(const struct gazetteer *g, const char *name, size_t *out, size_t max)
{
	struct buf key = {0};
	size_t found = 0;

	g->keyer.key(str_or_empty(name), &key, g->keyer.ctx);
	if (key.len == 0) {
		buf_free(&key);
		return 0;
	}
	const char *k = buf_cstr(&key);
	uint64_t h = hash_key(k, key.len);
	size_t mask = g->n_slots - 1;
	for (size_t s = (size_t)h & mask; g->slots[s] != GAZETTEER_NONE; s = (s + 1) & mask) {
		const struct entry *e = &g->entries[g->slots[s]];
		if (e->hash != h || strcmp(e->key, k) != 0)
			continue;
		if (found < max)
			out[found] = e->place;
		found++;
	}
	buf_free(&key);
	return found;
}

size_t gazetteer_find_id(const struct gazetteer *g, const char *id)
{
	if (!g->n_id_slots)
		return GAZETTEER_NONE;
	size_t mask = g->n_id_slots - 1, s = (size_t)hash_key(id, strlen(id)) & mask;
	for (; g->id_slots[s] != GAZETTEER_NONE; s = (s + 1) & mask)
		if (strcmp(g->places[g->id_slots[s]].id, id) == 0)
			return g->id_slots[s];
	return GAZETTEER_NONE;
}

const char *gazetteer_id(const struct gazetteer *g, size_t place)
{
	return g->places[place].id;
}

enum gazetteer_kind gazetteer_kind(const struct gazetteer *g, size_t place)
{
	return g->places[place].kind;
}

size_t gazetteer_region(const struct gazetteer *g, size_t place)
{
	return g->places[place].region;
}

bool gazetteer_shared(const struct gazetteer *g, size_t place)
{
	return g->places[place].shared;
}

bool gazetteer_is_region(const struct gazetteer *g, size_t place)
{
	return g->places[place].region == place;
}

size_t gazetteer_former_region(const struct gazetteer *g, size_t place)
{
	return g->places[place].former_region;
}

const char *gazetteer_name(const struct gazetteer *g, size_t place, enum gazetteer_lang lang)
{
	const struct place *p = &g->places[place];
	static const int fallback[3] = {GAZETTEER_RU, GAZETTEER_KK, GAZETTEER_EN};

	if ((unsigned)lang < 3 && *p->lang[lang])
		return p->lang[lang];
	for (int i = 0; i < 3; i++)
		if (*p->lang[fallback[i]])
			return p->lang[fallback[i]];
	return p->id; /* not reached: loading requires one name */
}

const char *const *gazetteer_names(const struct gazetteer *g, size_t place, size_t *n)
{
	*n = g->places[place].n_names;
	return (const char *const *)g->places[place].names;
}

const char *gazetteer_kind_key(enum gazetteer_kind kind)
{
	return (unsigned)kind < KIND_COUNT ? kind_keys[kind] : "?";
}

int gazetteer_lang_parse(const char *s, enum gazetteer_lang *out, struct cb_err *err)
{
	static const char *const keys[3] = {"kk", "ru", "en"};

	for (int i = 0; i < 3; i++)
		if (strcmp(str_or_empty(s), keys[i]) == 0) {
			*out = (enum gazetteer_lang)i;
			return 0;
		}
	return cb_err_set(err, CB_EINVAL,
	    _("unknown language of place names \"%s\" (known: kk, ru, en)"), str_or_empty(s));
}

/* ---- Nearest names ------------------------------------------------------ */

/* Edit distance with adjacent transpositions (optimal string alignment),
 * giving up (returning limit + 1) once every cell of a row exceeds limit. */
static unsigned edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    unsigned limit)
{
	size_t w = nb + 1;
	unsigned *rows = xreallocarray(NULL, 3 * w, sizeof *rows);
	unsigned *prev2 = rows, *prev = rows + w, *cur = rows + 2 * w;

	for (size_t j = 0; j <= nb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		unsigned best = cur[0] = (unsigned)i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned d = prev[j - 1] + cost;
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > limit) {
			free(rows);
			return limit + 1;
		}
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	unsigned d = prev[nb];
	free(rows);
	return d;
}

/* True when the text's first letter is a Latin (ASCII) one. */
static bool latin_first(const char *s)
{
	unsigned char c = s ? (unsigned char)*s : 0;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hit_cmp(const void *x, const void *y)
{
	const struct gazetteer_hit *a = x, *b = y;

	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return a->place < b->place ? -1 : a->place > b->place;
}

size_t gazetteer_nearest(const struct gazetteer *g, const char *text, struct gazetteer_hit *out,
    size_t max)
{
	struct buf key = {0};
	size_t nq, stored = 0;

	g->keyer.key(str_or_empty(text), &key, g->keyer.ctx);
	uint32_t *q = utf8_decode((const char *)buf_cstr(&key), key.len, &nq);
	buf_free(&key);
	if (nq == 0 || max == 0) {
		free(q);
		return 0;
	}
	unsigned limit = nq <= 4 ? 1 : nq <= 8 ? 2 : 3;
	struct gazetteer_hit *best = xreallocarray(NULL, g->n_places, sizeof *best);
	for (size_t i = 0; i < g->n_places; i++)
		best[i] = (struct gazetteer_hit){i, NULL, limit + 1};
	for (size_t e = 0; e < g->n_entries; e++) {
		const struct entry *en = &g->entries[e];
		size_t diff = en->n_cps > nq ? en->n_cps - nq : nq - en->n_cps;
		if (diff > best[en->place].distance || diff > limit)
			continue;
		unsigned d = edit_distance(q, nq, en->cps, en->n_cps, limit);
		/* Of a place's names equally near, one in the script typed. */
		bool better = d < best[en->place].distance ||
		    (d == best[en->place].distance && d <= limit &&
		        latin_first(en->name) == latin_first(text) &&
		        latin_first(best[en->place].name) != latin_first(text));
		if (better) {
			best[en->place].distance = d;
			best[en->place].name = en->name;
		}
	}
	free(q);
	qsort(best, g->n_places, sizeof *best, hit_cmp);
	while (stored < max && stored < g->n_places && best[stored].distance <= limit) {
		out[stored] = best[stored];
		stored++;
	}
	free(best);
	return stored;
}
