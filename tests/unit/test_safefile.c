/* test_safefile.c — output files: owner-only from the start, the target
 * replaced only by a complete file, links and non-regular targets refused,
 * nothing left behind on abort; unsafe directories refused. */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "safefile.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = unit_tmpdir();
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unit_rmdir(dir);
	return 0;
}

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *get_file(const char *path)
{
	static char b[256];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(b, 1, sizeof b - 1, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

/* Entries in dir, "." and ".." aside. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void test_commit_replaces_only_when_complete(void **state)
{
	(void)state;
	struct safefile sf;
	struct cb_err err;
	struct stat sb;
	char *target = path_in("out.csv");
	put_file(target, "old");
	chmod(target, 0644);
	mode_t old_mask = umask(0);
	assert_int_equal(safefile_open(&sf, target, 0, &err), 0);
	umask(old_mask);
	/* While it is written: a second, owner-only file; the old one intact. */
	assert_int_equal(fstat(sf.fd, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(entries(), 2);
	fputs("new", safefile_stream(&sf));
	assert_string_equal(get_file(target), "old");
	assert_int_equal(safefile_commit(&sf, &err), 0);
	assert_string_equal(get_file(target), "new");
	assert_int_equal(stat(target, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(entries(), 1);
	/* Abort: the old file stays, the temporary file goes. */
	assert_int_equal(safefile_open(&sf, target, 0, &err), 0);
	assert_int_equal(util_write_all(sf.fd, "partial", 7), 0);
	safefile_abort(&sf);
	assert_string_equal(get_file(target), "new");
	assert_int_equal(entries(), 1);
	safefile_abort(&sf); /* harmless twice */
	free(target);
}

static void test_links_and_devices_refused(void **state)
{
	(void)state;
	struct safefile sf;
	struct cb_err err;
	char *victim = path_in("victim"), *link = path_in("link"), *dangling = path_in("dangling");
	char *nowhere = path_in("nowhere");
	put_file(victim, "precious");
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(symlink(nowhere, dangling), 0);
	assert_int_equal(safefile_open(&sf, link, 0, &err), CB_EIO);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(safefile_open(&sf, dangling, 0, &err), CB_EIO);
	assert_int_equal(access(nowhere, F_OK), -1);
	assert_string_equal(get_file(victim), "precious");
	assert_int_equal(safefile_open(&sf, "/dev/null", 0, &err), CB_EIO);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(safefile_open(&sf, dir, 0, &err), CB_EIO);
	assert_int_equal(entries(), 3);
	free(victim), free(link), free(dangling), free(nowhere);
}

static void test_noreplace(void **state)
{
	(void)state;
	struct safefile sf;
	struct cb_err err;
	char *target = path_in("data.mdb");
	put_file(target, "kept");
	assert_int_equal(safefile_open(&sf, target, SAFEFILE_NOREPLACE, &err), CB_EIO);
	unlink(target);
	assert_int_equal(safefile_open(&sf, target, SAFEFILE_NOREPLACE, &err), 0);
	/* The name is taken while the file is written: commit refuses. */
	put_file(target, "first");
	assert_int_equal(safefile_commit(&sf, &err), CB_EIO);
	assert_int_equal(errno, EEXIST);
	assert_string_equal(get_file(target), "first");
	assert_int_equal(entries(), 1);
	free(target);
}

static void test_unsafe_directories(void **state)
{
	(void)state;
	struct cb_err err;
	char *open_dir = path_in("open"), *real = path_in("real"), *link = path_in("linked");
	assert_int_equal(mkdir(open_dir, 0700), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, link), 0);
	assert_int_equal(safefile_check_dir(open_dir, "sheet_dir", false, &err), CB_EIO);
	assert_non_null(strstr(err.msg, "chmod o-w"));
	assert_int_equal(safefile_check_dir(link, "sheet_dir", false, &err), CB_EIO);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(safefile_check_dir(link, "database directory", true, &err), 0);
	assert_int_equal(safefile_check_dir(real, "sheet_dir", false, &err), 0);
	assert_int_equal(chmod(open_dir, 02770), 0);
	assert_int_equal(safefile_check_dir(open_dir, "sheet_dir", false, &err), 0);
	free(open_dir), free(real), free(link);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_commit_replaces_only_when_complete, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_links_and_devices_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_noreplace, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unsafe_directories, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
