/* idset.h — sets of case ids for the query planner. Ids are dense from 1,
 * so a bitmap over 0..max (125 KB for a million cases) is the cheap form
 * of a result; sorted arrays are the form of an index's duplicate list.
 * A rank directory makes "the k-th id" and "the row of id" fast. */
#ifndef CASEBOOK_IDSET_H
#define CASEBOOK_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Set bits in x. Written out because the build targets plain x86-64,
 * where __builtin_popcountll is a slow library call. */
static inline unsigned ids_popcount(uint64_t x)
{
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Bits 0..max; bit i set = id i is in the set. Zero-initialise, then idbm_init. */
struct idbm {
	uint64_t *w;
	size_t nw; /* words */
	uint64_t max; /* largest id that fits */
	uint32_t *rank; /* set bits before each block of IDBM_BLOCK words, or NULL */
	size_t nrank;
};

#define IDBM_BLOCK 8

/* Makes an empty set able to hold ids 0..max. */
void idbm_init(struct idbm *b, uint64_t max);
void idbm_free(struct idbm *b);

static inline void idbm_set(struct idbm *b, uint64_t id)
{
	if (id <= b->max)
		b->w[id >> 6] |= UINT64_C(1) << (id & 63);
}

static inline bool idbm_test(const struct idbm *b, uint64_t id)
{
	return id <= b->max && (b->w[id >> 6] >> (id & 63) & 1);
}

static inline void idbm_clear(struct idbm *b, uint64_t id)
{
	if (id <= b->max)
		b->w[id >> 6] &= ~(UINT64_C(1) << (id & 63));
}

/* Sets the n ids of an LMDB duplicate page (native u64, any alignment). */
void idbm_set_page(struct idbm *b, const void *ids, size_t n);
/* Number of the n ids of an LMDB page that are in b; *first gets the
 * first of them (unchanged when none; first may be NULL). */
size_t idbm_count_page(const struct idbm *b, const void *ids, size_t n, uint64_t *first);

/* Tuning for tests: whether idbm_count_page may use AVX2 where the CPU
 * has it (default true). */
void idbm_set_simd(bool on);

/* Sets every id in lo..hi (inclusive, clipped to max). */
void idbm_fill(struct idbm *b, uint64_t lo, uint64_t hi);
/* Number of ids in the set. */
size_t idbm_count(const struct idbm *b);
/* a &= ~b (both the same size). */
void idbm_andnot(struct idbm *a, const struct idbm *b);
/* Appends the ids in ascending order to *out (grown with xrealloc);
 * returns how many were appended. */
size_t idbm_to_array(const struct idbm *b, uint64_t **out, size_t *n, size_t *cap);

/* Builds the rank directory (after the last change to the set). */
void idbm_build_rank(struct idbm *b);
/* Number of ids smaller than id. Needs the rank directory. */
size_t idbm_rank(const struct idbm *b, uint64_t id);
/* The k-th smallest id (k from 0), or 0 when k >= count. Needs the rank directory. */
uint64_t idbm_select(const struct idbm *b, size_t k);

/* A growable sorted array of ids. Zero-initialise. */
struct idarr {
	uint64_t *v;
	size_t n, cap;
};

void idarr_push(struct idarr *a, uint64_t id);
void idarr_append(struct idarr *a, const void *ids, size_t n); /* ids: native u64, any alignment */
void idarr_free(struct idarr *a);

/* First index i >= from with v[i] >= id (n when none), by galloping from
 * `from`: cheap when the answer is near. */
size_t ids_gallop(const uint64_t *v, size_t n, size_t from, uint64_t id);

/* The i-th native u64 of an LMDB value, which may be unaligned. */
static inline uint64_t ids_load(const void *p, size_t i)
{
	uint64_t v;
	__builtin_memcpy(&v, (const unsigned char *)p + i * 8, 8);
	return v;
}

/* Like ids_gallop over possibly unaligned LMDB data. */
size_t ids_gallop_raw(const void *p, size_t n, size_t from, uint64_t id);

#endif
