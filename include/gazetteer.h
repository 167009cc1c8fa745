/* gazetteer.h — the gazetteer of places: a data file (data/places.tsv,
 * installed as DATADIR/casebook/places.tsv, replaceable by an office) that
 * lists regions, cities, towns and villages with their Kazakh, Russian and
 * Latin names, former names and other spellings, and the region each lies
 * in. Loading checks the file's shape and names the line and column of
 * every fault. Lookups go through a matching key: by default the folded
 * words of a name (fold.h), or any key function the caller plugs in.
 *
 * A place is named by its number, 0 .. gazetteer_count() - 1, in file order. */
#ifndef CASEBOOK_GAZETTEER_H
#define CASEBOOK_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"

/* "No place": returned where a place may be missing. */
#define GAZETTEER_NONE ((size_t)-1)

enum gazetteer_kind {
	GAZETTEER_REGION, /* an oblast */
	GAZETTEER_CITY, /* a city of republican significance: its own region */
	GAZETTEER_TOWN, /* any other town */
	GAZETTEER_VILLAGE, /* a rural locality: village, aul, settlement */
	GAZETTEER_DISTRICT, /* a district (audan) */
};

/* The languages a place has a name in, as the file's columns kk, ru, en. */
enum gazetteer_lang {
	GAZETTEER_KK,
	GAZETTEER_RU,
	GAZETTEER_EN,
};

/* Makes the matching key of a name: appends it to out (nothing appended
 * means the name has no key). ctx is the keyer's own. */
typedef void gazetteer_key_fn(const char *name, struct buf *out, void *ctx);

struct gazetteer_keyer {
	gazetteer_key_fn *key;
	void *ctx;
};

/* The default key: the name's folded words (fold_words) joined by one
 * space, so case, Unicode form, hyphens and punctuation do not matter:
 * "Усть-Каменогорск" and "усть каменогорск" give one key. */
void gazetteer_key_fold(const char *name, struct buf *out, void *ctx);

struct gazetteer;

/* Loads and checks a gazetteer file. keyer NULL means gazetteer_key_fold.
 * 0 and *out set, or CB_EIO (cannot read) / CB_EINVAL (malformed; the
 * message names the file, line and column) with *out NULL. */
int gazetteer_load(const char *path, const struct gazetteer_keyer *keyer, struct gazetteer **out,
    struct cb_err *err);

/* The same for a file's text already in memory; name is used in messages. */
int gazetteer_load_mem(const char *text, size_t len, const char *name,
    const struct gazetteer_keyer *keyer, struct gazetteer **out, struct cb_err *err);

/* Frees a gazetteer (NULL allowed). */
void gazetteer_free(struct gazetteer *g);

/* Where the installed gazetteer lives: DATADIR "/casebook/places.tsv". */
const char *gazetteer_default_path(void);

/* The number of places. */
size_t gazetteer_count(const struct gazetteer *g);

/* The places one of whose names has the same key as name, in file order:
 * stores up to max of them in out and returns how many there are (0: not
 * in the gazetteer; more than one only for names the file marks shared). */
size_t gazetteer_lookup(const struct gazetteer *g, const char *name, size_t *out, size_t max);

/* The place with this id (the file's first column), or GAZETTEER_NONE. */
size_t gazetteer_find_id(const struct gazetteer *g, const char *id);

/* A place's id, kind, and the region it lies in (a region, and a city of
 * republican significance, lie in themselves). */
const char *gazetteer_id(const struct gazetteer *g, size_t place);
enum gazetteer_kind gazetteer_kind(const struct gazetteer *g, size_t place);
size_t gazetteer_region(const struct gazetteer *g, size_t place);

/* True when the place shares one of its names with another place (the
 * file's shared column says yes). */
bool gazetteer_shared(const struct gazetteer *g, size_t place);

/* True when the place is a region of its own (its region is itself). */
bool gazetteer_is_region(const struct gazetteer *g, size_t place);

/* The region the place lay in before a recent change of borders (the
 * former_region column), or GAZETTEER_NONE. */
size_t gazetteer_former_region(const struct gazetteer *g, size_t place);

/* The place's name in a language; when the file leaves that one empty,
 * the first non-empty of Russian, Kazakh, Latin. Never NULL. */
const char *gazetteer_name(const struct gazetteer *g, size_t place, enum gazetteer_lang lang);

/* Every name of the place as written in the file (kk, ru, en, then former
 * names, then other spellings; no two with the same key): for building
 * index keys. *n is set to how many. */
const char *const *gazetteer_names(const struct gazetteer *g, size_t place, size_t *n);

/* The stable key of a kind ("region", "city", "town", "village", "district"). */
const char *gazetteer_kind_key(enum gazetteer_kind kind);

/* Reads "kk", "ru" or "en" (as in the place_names setting): 0, or
 * CB_EINVAL with a message naming the accepted values. */
int gazetteer_lang_parse(const char *s, enum gazetteer_lang *out, struct cb_err *err);

/* A suggestion: a place and the name of it nearest the text asked for. */
struct gazetteer_hit {
	size_t place;
	const char *name; /* as written in the file; owned by the gazetteer */
	unsigned distance; /* edits between the two keys */
};

/* The places whose names are nearest to text by edit distance on the
 * matching keys ("Almatu" -> Almaty), nearest first, one hit per place,
 * only those close enough to be a likely misspelling (at most 1 edit for
 * keys of up to 4 letters, 2 up to 8, 3 beyond). Stores up to max hits
 * and returns how many were stored. */
size_t gazetteer_nearest(const struct gazetteer *g, const char *text, struct gazetteer_hit *out,
    size_t max);

#endif
