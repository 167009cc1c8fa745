/* cli.h — the command line of DESIGN.md §4. cli.c parses global options and
 * dispatches through one table of commands; each command declares its
 * options in one table (struct cli_option), from which cli.c parses the
 * arguments, prints `casebook CMD --help` and reports unknown options.
 * Each group of commands lives in its own file (cli.c: add/show/edit/rm/
 * check; cli_audit.c: history/audit/undo; cli_query.c: list/facets; cli_places.c: places;
 * cli_io.c: import/export/report/
 * backup/demo; cli_sheet.c: sheet; cli_setup.c: init). To add a command: define its options and
 * a `const struct cli_command cli_cmd_NAME` next to its code, declare it
 * below and list it in cli.c's commands[]; its --help, usage messages and
 * option errors then come from the table. */
#ifndef CASEBOOK_CLI_H
#define CASEBOOK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "store.h"

struct cli {
	const char *dbdir; /* resolved: -d, $CASEBOOK_DB or the XDG default */
	bool readonly; /* -r */
	struct store *st; /* opened by cli_store */
};

/* One option of a command: `--name`, `--name VALUE`, `--name=VALUE`, and
 * `-s`, `-s VALUE`, `-sVALUE` when short is set. */
struct cli_option {
	int id; /* what the command asks cli_arg for (non-zero) */
	const char *name; /* long name without the dashes */
	char short_name; /* or 0 */
	const char *arg; /* the value's placeholder for --help ("FILE"); NULL: a flag */
	const char *help; /* one line, N_() */
};

enum {
	/* Words (filter terms) may begin with '-'; only declared options and
	 * "--"-words are taken as options. Without it, any other word that
	 * begins with '-' is an unknown option. */
	CLI_DASH_WORDS = 1 << 0,
};

struct cli_args;

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, const struct cli_args *a);
	const char *synopsis; /* N_(): "list [FILTER...] [--count]..." */
	const char *brief; /* N_(): a few words for casebook --help */
	const char *summary; /* N_(): what it does, one line */
	const struct cli_option *opts; /* ends with an entry whose id is 0 */
	int flags;
	int min_words, max_words; /* positional words accepted; max -1: any */
	const char *words_help; /* N_(): the usage message when the count is wrong */
};

/* A command's arguments after parsing: the words in order and every
 * option given, in order. */
struct cli_args {
	const struct cli_command *cmd;
	char **words;
	int n_words;
	struct cli_given {
		int id;
		const char *val; /* "" for a flag */
	} * given;
	int n_given;
	/* How many words came before a "--" word, or -1 without one (set
	 * takes FILTER... -- FIELD=VALUE...). */
	int n_before_dashes;
};

/* The value of the last occurrence of option id, or NULL when not given. */
const char *cli_arg(const struct cli_args *a, int id);
/* True when option id was given. */
bool cli_flag(const struct cli_args *a, int id);

/* The commands, each defined next to its code. */
extern const struct cli_command cli_cmd_history, cli_cmd_list, cli_cmd_facets, cli_cmd_import,
    cli_cmd_export, cli_cmd_report, cli_cmd_backup, cli_cmd_demo, cli_cmd_sheet, cli_cmd_audit,
    cli_cmd_undo, cli_cmd_init, cli_cmd_check, cli_cmd_set, cli_cmd_searches, cli_cmd_places,
    cli_cmd_person, cli_cmd_persons, cli_cmd_link, cli_cmd_unlink, cli_cmd_merge, cli_cmd_trash,
    cli_cmd_restore, cli_cmd_purge, cli_cmd_drafts;

/* On stderr, one line per person case_id may also belong to ("possible
 * duplicate of person N (3 cases: ...)"); prints nothing when none. In
 * cli_person.c. */
void cli_person_note(struct store *st, uint64_t case_id);
/* How many of the cases ids[0..n) may belong to another person already
 * here; and the line an import prints about that number (none when 0). */
size_t cli_person_count(struct store *st, const uint64_t *ids, size_t n);
void cli_person_summary_line(size_t with);

/* When the system config names a shared database and dbdir is another
 * one, a one-line note saying so (the caller frees it); else NULL. */
char *cli_shared_note(const char *dbdir);

/* Verifies the audit log's hash chain; prints the first broken link (entry,
 * case, time, why) and returns EXIT_DB, else EXIT_OK (printing a summary
 * unless quiet). In cli_audit.c. */
int cli_audit_verify(struct store *st, bool quiet);

/* Opens the database (once) for reading or writing; on failure prints the
 * error and returns a non-zero exit status, else 0. */
int cli_store(struct cli *cli, bool write, struct store **out);
/* Prints "casebook: MESSAGE" for err on stderr and returns its exit status. */
int cli_fail(const struct cb_err *err);
/* Prints "casebook: CMD: MESSAGE" (control characters in it made visible,
 * since it may quote the user's argument) and the command's synopsis, and
 * returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a case id ("42"); prints an error and returns EXIT_USER when bad. */
int cli_parse_id(const char *s, uint64_t *id);
/* Parses a revision ("3") given to cmd's --rev; prints a usage error and
 * returns EXIT_USAGE when bad. */
int cli_parse_rev(const char *cmd, const char *s, uint32_t *rev);
/* Prints "casebook: no case N" and returns EXIT_USER. */
int cli_no_case(uint64_t id);
/* Asks question on stderr and reads a line: true when its first word is
 * yes in English, Russian or Kazakh (y, yes, д, да, и, иә; any case). */
bool cli_answer_yes(const char *question);

/* Writes b to the file path, created 0600 under a temporary name and
 * renamed into place when complete (never through a link); on failure
 * prints "casebook: CMD: ..." and returns the exit status. In cli_sheet.c. */
int cli_write_file(const char *cmd, const char *path, const struct buf *b);

/* Entry point: argv as given to main. Returns the exit status. */
int cli_main(int argc, char **argv);

#endif
