/* cli_setup.c — setting up an office: `casebook init DIR [--group GROUP]`
 * makes a database directory the staff of one group share (2770, files
 * 0660, nobody else let in), and the note the UI shows when someone works
 * in another database than the office's. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "text.h"
#include "util.h"

enum { OPT_GROUP = 1 };

static const struct cli_option init_options[] = {
    {OPT_GROUP, "group", 'g', "GROUP",
        N_("the group whose members share the database "
           "(default: the directory's group)")},
    {0},
};

/* Prints "casebook: init: MESSAGE" (the user's words in it made visible)
 * and returns EXIT_USER. */
static int init_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int init_fail(const char *fmt, ...)
{
	va_list ap;
	char *msg, *clean;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("%s", _("out of memory"));
	va_end(ap);
	clean = text_sanitize(msg, 0);
	fprintf(stderr, "casebook: init: %s\n", clean);
	free(clean);
	free(msg);
	return EXIT_USER;
}

/* Whether the directory open at fd holds anything but a database's two
 * files; *has_db says whether data.mdb is there. -1 when unreadable. */
static int foreign_entries(int fd, bool *has_db)
{
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	int foreign = 0;

	*has_db = false;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "lock.mdb") == 0)
			continue;
		if (strcmp(e->d_name, "data.mdb") == 0)
			*has_db = true;
		else
			foreign = 1;
	}
	closedir(d);
	return foreign;
}

/* Gives a database file of the directory at dirfd to the group, 0660. */
static int share_file(int dirfd, const char *dir, const char *name, gid_t gid)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return errno == ENOENT
		    ? 0
		    : init_fail(_("cannot open %s/%s: %s"), dir, name, strerror(errno));
	if (fchown(fd, (uid_t)-1, gid) != 0 || fchmod(fd, 0660) != 0)
		rc = init_fail(_("cannot give %s/%s to the group: %s"), dir, name, strerror(errno));
	close(fd);
	return rc;
}

/* Opens DIR (made when missing; its parent must exist) without following
 * a link, refusing what cannot be a safe shared database. Returns the
 * descriptor, or -1 after printing why. */
static int open_init_dir(const char *dir, bool *has_db)
{
	struct stat sb;
	int fd, foreign;

	if (lstat(dir, &sb) != 0) {
		if (errno != ENOENT || mkdir(dir, 0700) != 0) {
			init_fail(_("cannot create %s: %s"), dir, strerror(errno));
			return -1;
		}
	} else if (S_ISLNK(sb.st_mode)) {
		init_fail(_("%s is a symbolic link; give the real directory, so that nobody can "
		            "point the link elsewhere"),
		    dir);
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		init_fail(errno == ENOTDIR ? _("%s is not a directory") : _("cannot open %s: %s"),
		    dir, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || (sb.st_mode & S_IWOTH)) {
		init_fail(_("%s is writable by everyone, so anyone could replace the data; "
		            "make it private first (chmod o-rwx %s) or choose another directory"),
		    dir, dir);
		close(fd);
		return -1;
	}
	foreign = foreign_entries(fd, has_db);
	if (foreign != 0) {
		if (foreign < 0)
			init_fail(_("cannot read %s: %s"), dir, strerror(errno));
		else
			init_fail(_("%s already holds other files; give a new or empty directory"),
			    dir);
		close(fd);
		return -1;
	}
	return fd;
}

static int init_dir(const char *dir, const gid_t *want_gid);

static int cmd_init(struct cli *cli, const struct cli_args *a)
{
	const char *gname = cli_arg(a, OPT_GROUP);
	char *dir = xstrdup(a->words[0]);
	gid_t gid = (gid_t)-1;
	int rc;

	(void)cli;
	/* "link/" would follow the link: the checks see the name itself. */
	for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	if (gname) {
		struct group *g = getgrnam(gname);
		if (!g) {
			free(dir);
			return init_fail(_("no group \"%s\" on this system (see getent group)"),
			    gname);
		}
		gid = g->gr_gid;
	}
	rc = init_dir(dir, gname ? &gid : NULL);
	free(dir);
	return rc;
}

/* init for dir (without trailing slashes); want_gid NULL: the directory's group. */
static int init_dir(const char *dir, const gid_t *want_gid)
{
	struct store_options opt = {0};
	struct cb_err err = {0};
	struct store *st = NULL;
	struct stat sb;
	bool has_db;
	char real[PATH_MAX];
	gid_t gid;
	int fd, rc;

	if ((fd = open_init_dir(dir, &has_db)) < 0)
		return EXIT_USER;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return init_fail(_("cannot use %s: %s"), dir, strerror(errno));
	}
	gid = want_gid ? *want_gid : sb.st_gid;
	/* Group first, then the mode: chown may clear the set-group-ID bit. */
	if (fchown(fd, (uid_t)-1, gid) != 0 || fchmod(fd, 02770) != 0) {
		close(fd);
		return init_fail(_("cannot give %s to the group: %s"), dir, strerror(errno));
	}
	/* The store sees a group-writable directory and creates its files 0660. */
	if ((rc = store_open(&st, dir, &opt, &err)) != 0) {
		close(fd);
		return cli_fail(&err);
	}
	rc = store_readonly(st) ? init_fail(_("you may not write to %s"), dir) : 0;
	store_close(st);
	if (rc == 0 && (rc = share_file(fd, dir, "data.mdb", gid)) == 0)
		rc = share_file(fd, dir, "lock.mdb", gid);
	close(fd);
	if (rc != 0)
		return rc;
	if (!realpath(dir, real))
		snprintf(real, sizeof real, "%s", dir);
	struct group *g = getgrgid(gid);
	char *clean = text_sanitize(real, 0);
	printf(has_db ? _("%s is now shared with group %s (the existing database was kept).\n")
	              : _("created a shared database in %s for group %s.\n"),
	    clean, g ? g->gr_name : "?");
	printf("%s", _("To make it everyone's default, put this line in /etc/casebook/config:\n"));
	printf("database = %s\n", clean);
	free(clean);
	return EXIT_OK;
}

char *cli_shared_note(const char *dbdir)
{
	const struct config *cfg = config_get();
	char a[PATH_MAX], b[PATH_MAX];

	if (!cfg->shared_database || strcmp(cfg->shared_database, dbdir) == 0)
		return NULL;
	if (realpath(cfg->shared_database, a) && realpath(dbdir, b) && strcmp(a, b) == 0)
		return NULL;
	return xasprintf(_("Note: this is not the office's shared database %s"),
	    cfg->shared_database);
}

const struct cli_command cli_cmd_init = {
    "init",
    cmd_init,
    N_("init DIR [--group GROUP]"),
    N_("set up a database the staff of a group share"),
    N_("Creates the directory DIR (or takes an empty one) as a database shared by the members "
       "of GROUP: the directory 2770 owned by the group, its files 0660, nobody else let in; "
       "then prints the line to put in /etc/casebook/config."),
    init_options,
    0,
    1,
    1,
    N_("give the directory for the shared database"),
};
