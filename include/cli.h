/* cli.h — the command line of DESIGN.md §4. cli.c parses global options and
 * dispatches through one command table; each group of commands lives in its
 * own file (cli.c: add/show/edit/rm/history/check; cli_query.c: list/facets;
 * cli_io.c: import/export/report/backup/demo; cli_sheet.c: sheet). */
#ifndef CASEBOOK_CLI_H
#define CASEBOOK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "store.h"

struct cli {
	const char *dbdir;  /* resolved: -d, $CASEBOOK_DB or the XDG default */
	bool readonly;      /* -r */
	struct store *st;   /* opened by cli_store */
};

/* Opens the database (once) for reading or writing; on failure prints the
 * error and returns a non-zero exit status, else 0. */
int cli_store(struct cli *cli, bool write, struct store **out);
/* Prints "casebook: MESSAGE" for err on stderr and returns its exit status. */
int cli_fail(const struct cb_err *err);
/* Prints "casebook: CMD: MESSAGE" for a usage problem and returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a case id ("42"); prints an error and returns EXIT_USER when bad. */
int cli_parse_id(const char *s, uint64_t *id);

/* Entry point: argv as given to main. Returns the exit status. */
int cli_main(int argc, char **argv);

/* Commands: argv[0] is the command name. Each returns an exit status. */
int cmd_add(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_edit(struct cli *cli, int argc, char **argv);
int cmd_rm(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_facets(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_backup(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_sheet(struct cli *cli, int argc, char **argv);

#endif
