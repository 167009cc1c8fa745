/* test_idset.c — bitmaps, rank/select and galloping against brute force. */
#include "unit.h"

#include "idset.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static unsigned rnd(unsigned n)
{
	return (unsigned)(unit_xorshift(&rng) % n);
}

static void test_fill_count(void **state)
{
	(void)state;
	for (uint64_t max = 0; max < 300; max += 7) {
		for (int t = 0; t < 20; t++) {
			struct idbm b = {0};
			idbm_init(&b, max);
			uint64_t lo = rnd((unsigned)max + 1), hi = rnd((unsigned)max + 40);
			idbm_fill(&b, lo, hi);
			uint64_t top = hi > max ? max : hi;
			size_t want = lo > top ? 0 : (size_t)(top - lo + 1);
			assert_int_equal(idbm_count(&b), want);
			for (uint64_t i = 0; i <= max + 5; i++)
				assert_int_equal(idbm_test(&b, i), i >= lo && i <= top);
			idbm_free(&b);
		}
	}
}

static void test_rank_select_array(void **state)
{
	(void)state;
	for (int t = 0; t < 50; t++) {
		uint64_t max = 1 + rnd(5000);
		struct idbm a = {0}, b = {0};
		idbm_init(&a, max);
		idbm_init(&b, max);
		unsigned dens = 1 + rnd(20);
		for (uint64_t i = 0; i <= max; i++) {
			if (rnd(dens) == 0)
				idbm_set(&a, i);
			if (rnd(3) == 0)
				idbm_set(&b, i);
		}
		idbm_set(&a, max + 10); /* out of range: ignored */
		idbm_andnot(&a, &b);
		idbm_build_rank(&a);
		uint64_t *v = NULL;
		size_t n = 0, cap = 0;
		idbm_to_array(&a, &v, &n, &cap);
		assert_int_equal(n, idbm_count(&a));
		size_t k = 0;
		for (uint64_t i = 0; i <= max; i++) {
			bool in = idbm_test(&a, i);
			assert_false(in && idbm_test(&b, i));
			assert_int_equal(idbm_rank(&a, i), k);
			if (in) {
				assert_int_equal(v[k], i);
				assert_int_equal(idbm_select(&a, k), i);
				k++;
			}
		}
		assert_int_equal(k, n);
		assert_int_equal(idbm_select(&a, n), 0);
		/* Galloping finds the first element >= x from any start. */
		for (int g = 0; g < 200 && n; g++) {
			size_t from = rnd((unsigned)n);
			uint64_t x = rnd((unsigned)max + 2);
			size_t want = from;
			while (want < n && v[want] < x)
				want++;
			assert_int_equal(ids_gallop(v, n, from, x), want);
			assert_int_equal(ids_gallop_raw(v, n, from, x), want);
		}
		free(v);
		idbm_free(&a);
		idbm_free(&b);
	}
}

static void test_idarr(void **state)
{
	(void)state;
	struct idarr a = {0};
	unsigned char raw[8 * 1000 + 1];
	for (uint64_t i = 0; i < 1000; i++)
		memcpy(raw + 1 + i * 8, &i, 8); /* unaligned, as LMDB may hand them */
	idarr_append(&a, raw + 1, 1000);
	for (uint64_t i = 1000; i < 1500; i++)
		idarr_push(&a, i);
	assert_int_equal(a.n, 1500);
	for (uint64_t i = 0; i < 1500; i++)
		assert_int_equal(a.v[i], i);
	assert_int_equal(ids_load(raw + 1, 999), 999);
	idarr_free(&a);
	assert_null(a.v);
}

/* Counting a page of ids against a bitmap, with and without the AVX2
 * path, at any alignment, with ids beyond the bitmap, against brute force. */
static void test_count_page(void **state)
{
	(void)state;
	unsigned char *raw = malloc(700 * 8 + 8);
	for (int t = 0; t < 400; t++) {
		uint64_t max = 1 + rnd(5000);
		struct idbm b = {0};
		idbm_init(&b, max);
		unsigned density = 1 + rnd(100);
		for (uint64_t i = 0; i <= max; i++)
			if (rnd(100) < density)
				idbm_set(&b, i);
		/* A sorted page; sometimes running past max. */
		size_t n = rnd(600);
		uint64_t top = max + (rnd(3) == 0 ? 200 : 0);
		unsigned char *p = raw + rnd(8);
		uint64_t id = rnd(50);
		size_t want = 0;
		uint64_t want_first = 0;
		for (size_t i = 0; i < n; i++) {
			id += 1 + rnd((unsigned)(top / (n ? n : 1) + 1));
			memcpy(p + i * 8, &id, 8);
			if (idbm_test(&b, id)) {
				if (!want)
					want_first = id;
				want++;
			}
		}
		for (int simd = 0; simd < 2; simd++) {
			idbm_set_simd(simd);
			uint64_t first = 12345;
			assert_int_equal(idbm_count_page(&b, p, n, &first), want);
			assert_int_equal(first, want ? want_first : 12345);
			assert_int_equal(idbm_count_page(&b, p, n, NULL), want);
		}
		idbm_free(&b);
	}
	idbm_set_simd(true);
	free(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fill_count),
	    cmocka_unit_test(test_rank_select_array),
	    cmocka_unit_test(test_idarr),
	    cmocka_unit_test(test_count_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
