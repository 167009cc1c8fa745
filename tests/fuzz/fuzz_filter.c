/* fuzz_filter.c — libFuzzer target: the filter parser on any text, and every
 * filter it accepts run on a small database (made once per process in a
 * private temporary directory): counted, paged in each sort order and
 * counted by facets. A filter written back as text must parse again to the
 * same text and match the same cases. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "import.h"
#include "query.h"
#include "store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cases_csv[] =
    "name,name_latin,sex,birth_year,event,date,region,city,measures,injuries,status,"
    "verification,lawyer,hearing,confidentiality\n"
    "Жанар Ахметова,Zhanar Akhmetova,f,1985,2021-05-01 DCK rallies,2021-05-01,"
    "Алматинская область,Алматы,admin_arrest:days=15:date=2021-05-02|fine:fine=100 MRP,"
    "strangulation:body=neck:exam=yes,in_court,confirmed,Айгуль Сериковна,2021-06-15,internal\n"
    "Иван Петров,,m,1990,2021-05-01 DCK rallies,2021-05,,АЛМАТЫ,detention,bruise,open,"
    "likely,,,public\n"
    "Айгерім Сәрсенқызы,,f,,2022-01-05 January events,2022-01,,Шымкент,"
    "criminal_case:article=UK 272,head_trauma:exam=no,awaiting_trial,possible,,2022-03-01,"
    "restricted\n"
    ",,unknown,,2021-04-24 DPK rally,2021,Almaty,Almaty,refusal:date=2021-04-20,,closed,"
    "unknown,,,internal\n"
    "王小明 Zoë,Wang,m,1979,,,,Astana,surveillance|search,,appeal,confirmed,Bolat,2023-12-31,"
    "public\n";

static struct store *st;
static char dir[] = "/tmp/casebook-fuzz-filter.XXXXXX";

static void remove_store(void)
{
	char p[sizeof dir + 16];

	store_close(st);
	snprintf(p, sizeof p, "%s/data.mdb", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/lock.mdb", dir);
	unlink(p);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct csvio_batch b;
	struct import_stats stats = {0};
	struct store_options opt = {0};
	struct cb_err err = {0};
	FILE *f;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir) || store_open(&st, dir, &opt, &err) != 0) {
		fprintf(stderr, "fuzz_filter: cannot make the database: %s\n", err.msg);
		exit(1);
	}
	atexit(remove_store);
	f = fmemopen((void *)cases_csv, sizeof cases_csv - 1, "r");
	csvio_batch_init(&b);
	if (!f || csvio_read(f, "cases.csv", NULL, &b, &err) != 0 ||
	    import_apply(st, &b, false, &stats, &err) != 0) {
		fprintf(stderr, "fuzz_filter: cannot fill the database: %s\n", err.msg);
		exit(1);
	}
	fclose(f);
	csvio_batch_free(&b);
	return 0;
}

/* Runs q in one sort order; the number of cases matched (or -1 on error). */
static long run(const struct query *q, int key, bool descending)
{
	static const char *const fields[] = {"city", "measure", "status", "lawyer"};
	struct query_sort sort = {key, descending};
	struct query_result *r = NULL;
	struct facet *fc[4];
	size_t nf[4];
	uint64_t ids[8];
	struct cb_err err = {0};
	long n;

	if (query_run(st, q, sort, &r, &err) != 0)
		return -1;
	n = (long)query_result_count(r);
	size_t got = query_result_page(r, 0, 8, ids);
	if (got > (size_t)n)
		abort();
	for (size_t i = 0; i < got; i++)
		if (!query_result_contains(r, ids[i]) || query_result_row(r, ids[i]) != (long)i)
			abort(); /* a row of the page is not where the result says */
	if (query_result_facets(r, fields, 4, fc, nf, &err) == 0)
		for (int i = 0; i < 4; i++)
			query_facets_free(fc[i], nf[i]);
	query_result_free(r);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query *q = NULL, *q2 = NULL;
	struct cb_err err = {0};
	char *text, *back, *back2;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (query_parse(text, &q, &err) != 0) {
		free(text);
		return 0;
	}
	long n = run(q, SORT_ID, false);
	for (int key = SORT_DATE; key <= SORT_HEARING; key++)
		if (run(q, key, key % 2) != n)
			abort(); /* the sort order changed which cases match */
	back = query_to_text(q);
	if (query_parse(back, &q2, &err) != 0)
		abort(); /* the parser refused its own text */
	back2 = query_to_text(q2);
	if (strcmp(back, back2) != 0 || run(q2, SORT_ID, false) != n)
		abort(); /* the filter written back is not the same filter */
	free(back);
	free(back2);
	query_free(q);
	query_free(q2);
	free(text);
	return 0;
}
