/* place.h — places in cases, through the gazetteer (gazetteer.h): the
 * gazetteer this process matches with, the index keys of a case's city and
 * region, the keys a city: or region: filter term looks up, and the labels
 * of place facets.
 *
 * Every name of a place (Kazakh, Russian, Latin, former, other) is looked
 * up through its skeleton (skeleton.h), so Орал, Уральск, Uralsk and Oral
 * are one town and Qyzylorda is Kyzylorda without being listed. A value
 * that names one place is indexed under that place's key (its Russian
 * name folded, then PLACE_KEY_MARK, then its id): stable across spellings,
 * sorted by name. A value the gazetteer does not know, or that names
 * several places and the case's region does not tell which, is indexed
 * under its folded text as before. Stored values are never changed.
 *
 * The gazetteer is read once per process from the `places` setting, else
 * $CASEBOOK_PLACES (empty: none), else places.tsv beside the binary (the
 * build tree), else the installed gazetteer_default_path(). Without one,
 * every place is matched by its folded text. */
#ifndef CASEBOOK_PLACE_H
#define CASEBOOK_PLACE_H

#include <stdbool.h>
#include <stddef.h>

#include "gazetteer.h"
#include "util.h"

/* Separates the folded name from the id in a place key. fold_text never
 * leaves a control character at a key's start or end, and ids are ASCII. */
#define PLACE_KEY_MARK '\x1f'

/* The most places one name may resolve to that are considered. */
#define PLACE_MAX_SHARED 16

/* The gazetteer this process matches with, loaded on first use; NULL when
 * there is none or it did not load (a warning then says why, once). */
const struct gazetteer *place_gazetteer(void);

/* Uses g (owned by the caller, NULL: none) instead of loading one, and
 * digest as its digest: for tests and benchmarks. */
void place_use(const struct gazetteer *g, const char *digest);

/* The digest of the gazetteer in use and of the key rules ("none" without
 * a gazetteer): the database stores it and rebuilds the place indexes when
 * it changes. Never NULL. */
const char *place_digest(void);

/* The path of the gazetteer file in use, or NULL. */
const char *place_path(void);

/* The matching key of a place name: its skeleton (the gazetteer's keyer). */
void place_key_fn(const char *name, struct buf *out, void *ctx);

/* The places text names. regions_only keeps those that are a region of
 * their own. "Аксу (Павлодарская область)", a facet label, names the Aksu
 * in that region. Stores up to max in out; returns how many were stored. */
size_t place_resolve(const char *text, bool regions_only, size_t *out, size_t max);

/* The one place a case's city names, the case's region telling apart
 * places that share a name; GAZETTEER_NONE when none or not one. */
size_t place_of_city(const char *city, const char *region);

/* The one region a case's region names, else the region its city lies in
 * when its region is empty; GAZETTEER_NONE otherwise. */
size_t place_of_region(const char *city, const char *region);

/* Appends to out the index key of a place (no NUL). */
void place_key(size_t place, struct buf *out);

/* Appends to out the key of a name that n > 1 places share, when nothing
 * tells which is meant: the first's folded Russian name, PLACE_KEY_MARK and
 * their ids joined by '+' (no id holds a '+'). */
void place_shared_key(const size_t *places, size_t n, struct buf *out);

/* The place a key of the city or region index stands for, or
 * GAZETTEER_NONE (a folded text key, or an id the gazetteer lacks). */
size_t place_key_place(const void *key, size_t len);

/* The language place names are shown in: the `place_names` setting, else
 * the interface language when it is Kazakh or Russian, else Russian. */
enum gazetteer_lang place_lang(void);

/* A place as a person reads it, in place_lang(): the name, and the region
 * in brackets when the name is shared ("Аксу (Павлодарская область)").
 * malloc'd. */
char *place_label(size_t place);

/* The places a city being typed may be (type-ahead in any script): those
 * with a name whose skeleton starts with the skeleton of typed, towns and
 * villages, not regions or districts; a place whose name in place_lang()
 * starts that way first, then by that name. Stores up to max in out and
 * returns how many were stored (0: nothing typed or no gazetteer). */
size_t place_complete(const char *typed, size_t *out, size_t max);

/* The name of the region the city names, in place_lang(), for filling an
 * empty region; NULL when the gazetteer does not know one place for it. */
const char *place_region_of(const char *city);

#endif
