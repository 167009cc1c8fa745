/* unit.h — shared helpers for the cmocka unit tests. */
#ifndef CASEBOOK_UNIT_H
#define CASEBOOK_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A private temporary directory for one test (removed by unit_rmdir). */
static inline char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/casebook-unit.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static inline void unit_rmdir(char *p)
{
	char cmd[4200];
	if (!p)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", p);
	free(p);
}

#endif
