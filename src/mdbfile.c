/* mdbfile.c — checks an LMDB data file with pread before it is mapped.
 *
 * The layout read here is LMDB 0.9's (liblmdb's mdb.c): pages 0 and 1 are
 * meta pages, each a page header followed by an MDB_meta; the newer of the
 * two (larger transaction id) is the database. Every page up to its
 * mm_last_pg is in use, except free pages listed in the free-page database
 * (LMDB does not write pages that a transaction allocated and freed again,
 * so a healthy file may end before mm_last_pg when its last pages are free).
 * A file is whole when it reaches the last page in use. The structures below
 * mirror LMDB's native ones (pgno_t and txnid_t are size_t in 0.9). */
#include "mdbfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

#define MDB_MAGIC 0xBEEFC0DEu
#define MDB_DATA_VERSION 1u
#define P_BRANCH 0x01
#define P_LEAF 0x02
#define P_OVERFLOW 0x04
#define P_META 0x08
#define F_BIGDATA 0x01
#define P_INVALID (~(size_t)0)
#define MAX_DEPTH 64

struct page_head {
	size_t pgno;
	uint16_t pad, flags;
	union {
		struct {
			uint16_t lower, upper; /* ends of the node pointer array and free space */
		};
		uint32_t pages; /* of an overflow run */
	};
};

struct db_rec {
	uint32_t pad; /* in the free database's record: the page size */
	uint16_t flags, depth;
	size_t branch_pages, leaf_pages, overflow_pages, entries, root;
};

struct meta_rec {
	uint32_t magic, version;
	void *address;
	size_t mapsize;
	struct db_rec dbs[2]; /* free pages, main database */
	size_t last_pg;
	size_t txnid;
};

struct node_head {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t lo, hi;
#else
	uint16_t hi, lo;
#endif
	uint16_t flags, ksize;
};

#define HDR sizeof(struct page_head)

/* The walk of the free-page database: marks the free pages that lie in
 * [first, last], the part of the file that is missing. */
struct walk {
	int fd;
	size_t psize;
	off_t size;
	size_t first, last;
	unsigned char *marks;
	size_t visits, max_visits;
};

static int read_meta(int fd, off_t at, struct meta_rec *m)
{
	unsigned char b[HDR + sizeof *m];
	struct page_head h;
	ssize_t n = pread(fd, b, sizeof b, at);

	if (n < 0)
		return -1;
	if ((size_t)n < sizeof b)
		return 1;
	memcpy(&h, b, HDR);
	memcpy(m, b + HDR, sizeof *m);
	if (!(h.flags & P_META) || m->magic != MDB_MAGIC)
		return 2;
	if (m->version != MDB_DATA_VERSION)
		return 3;
	return 0;
}

static int read_page(struct walk *w, size_t pgno, unsigned char *page)
{
	if (pgno == P_INVALID || pgno > (size_t)(w->size / (off_t)w->psize) - 1)
		return -1; /* a page the free list needs is itself missing */
	if (++w->visits > w->max_visits)
		return -1; /* a loop: the tree is damaged */
	if (pread(w->fd, page, w->psize, (off_t)pgno * (off_t)w->psize) != (ssize_t)w->psize)
		return -1;
	return 0;
}

/* Marks the page numbers of one free-list record (an array of size_t: a
 * count, then that many page numbers). */
static int mark_ids(struct walk *w, const unsigned char *data, size_t len)
{
	size_t n, id;

	if (len < sizeof n)
		return -1;
	memcpy(&n, data, sizeof n);
	if (n > len / sizeof id - 1)
		return -1;
	for (size_t i = 1; i <= n; i++) {
		memcpy(&id, data + i * sizeof id, sizeof id);
		if (id >= w->first && id <= w->last)
			w->marks[(id - w->first) / 8] |=
			    (unsigned char)(1u << ((id - w->first) % 8));
	}
	return 0;
}

/* A record stored on overflow pages. */
static int mark_big(struct walk *w, size_t pgno, size_t len)
{
	struct page_head h;
	int rc = -1;

	if (pgno == P_INVALID || pgno > (size_t)(w->size / (off_t)w->psize) - 1)
		return -1;
	if (pread(w->fd, &h, HDR, (off_t)pgno * (off_t)w->psize) != (ssize_t)HDR ||
	    !(h.flags & P_OVERFLOW) || len > (size_t)h.pages * w->psize - HDR ||
	    (off_t)pgno * (off_t)w->psize + (off_t)HDR + (off_t)len > w->size)
		return -1;
	unsigned char *data = xmalloc(len ? len : 1);
	if (pread(w->fd, data, len, (off_t)pgno * (off_t)w->psize + (off_t)HDR) == (ssize_t)len)
		rc = mark_ids(w, data, len);
	free(data);
	return rc;
}

static int walk_page(struct walk *w, size_t pgno, int depth)
{
	unsigned char *page = xmalloc(w->psize);
	struct page_head h;
	int rc = -1;

	if (depth > MAX_DEPTH || read_page(w, pgno, page) != 0)
		goto done;
	memcpy(&h, page, HDR);
	if (h.lower < HDR || h.lower > w->psize || !(h.flags & (P_BRANCH | P_LEAF)))
		goto done;
	size_t nkeys = (h.lower - HDR) / 2;
	for (size_t i = 0; i < nkeys; i++) {
		uint16_t off;
		struct node_head nd;
		memcpy(&off, page + HDR + 2 * i, sizeof off);
		if (off < HDR || (size_t)off + sizeof nd > w->psize)
			goto done;
		memcpy(&nd, page + off, sizeof nd);
		size_t lo = (size_t)nd.lo | (size_t)nd.hi << 16;
		if (h.flags & P_BRANCH) {
			size_t child = lo | (sizeof(size_t) > 4 ? (size_t)nd.flags << 16 << 16 : 0);
			if (walk_page(w, child, depth + 1) != 0)
				goto done;
			continue;
		}
		size_t at = off + sizeof nd + nd.ksize;
		if (nd.flags & F_BIGDATA) {
			size_t big;
			if (at + sizeof big > w->psize)
				goto done;
			memcpy(&big, page + at, sizeof big);
			if (mark_big(w, big, lo) != 0)
				goto done;
		} else if (at + lo > w->psize || mark_ids(w, page + at, lo) != 0) {
			goto done;
		}
	}
	rc = 0;
done:
	free(page);
	return rc;
}

/* True when every page in [first, last] is free, so that a file ending at
 * page first is whole. */
static bool tail_is_free(int fd, const struct meta_rec *m, off_t size, size_t first)
{
	struct walk w = {fd, m->dbs[0].pad, size, first, m->last_pg, NULL, 0, 0};
	size_t n = m->last_pg - first + 1;
	bool all = false;

	if (m->dbs[0].root == P_INVALID)
		return false;
	w.max_visits = (size_t)(size / (off_t)w.psize) + 1;
	w.marks = xcalloc(n / 8 + 1, 1);
	if (walk_page(&w, m->dbs[0].root, 0) == 0) {
		all = true;
		for (size_t i = 0; i < n && all; i++)
			all = w.marks[i / 8] & (1u << (i % 8));
	}
	free(w.marks);
	return all;
}

static int state(struct cb_err *err, int st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int state(struct cb_err *err, int st, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = CB_EDB;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* One look at the file; *txnid is the newest meta's transaction id. */
static int check_once(int fd, const char *name, size_t *txnid, struct cb_err *err)
{
	struct meta_rec m0, m1, *m;
	struct stat sb;
	int r;

	if (fstat(fd, &sb) != 0)
		return state(err, MDBFILE_UNREADABLE, _("cannot read %s: %s"), name,
		    strerror(errno));
	if (sb.st_size == 0)
		return state(err, MDBFILE_EMPTY,
		    _("%s is empty (0 bytes): it is not a database and is "
		      "not made into a new one; restore it from a backup, or remove it to start a "
		      "new "
		      "database"),
		    name);
	if ((r = read_meta(fd, 0, &m0)) < 0)
		return state(err, MDBFILE_UNREADABLE, _("cannot read %s: %s"), name,
		    strerror(errno));
	if (r == 3)
		return state(err, MDBFILE_FOREIGN,
		    _("%s was written by an LMDB of another file "
		      "version (%u); this casebook reads version %u"),
		    name, m0.version, MDB_DATA_VERSION);
	if (r != 0)
		return state(err, MDBFILE_FOREIGN,
		    _("%s is not a casebook database (not an LMDB "
		      "file, or damaged)"),
		    name);
	size_t psize = m0.dbs[0].pad;
	if (psize < 512 || psize > 65536 || (psize & (psize - 1)))
		return state(err, MDBFILE_FOREIGN,
		    _("%s is not a casebook database (not an LMDB "
		      "file, or damaged)"),
		    name);
	if ((r = read_meta(fd, (off_t)psize, &m1)) < 0)
		return state(err, MDBFILE_UNREADABLE, _("cannot read %s: %s"), name,
		    strerror(errno));
	if (r > 1)
		return state(err, MDBFILE_FOREIGN,
		    _("%s is not a casebook database (not an LMDB "
		      "file, or damaged)"),
		    name);
	m = r == 0 && m1.txnid > m0.txnid ? &m1 : &m0;
	*txnid = m->txnid;
	/* Measured after the meta pages were read: a writer extends the file
	 * before it writes the meta page that counts the new pages. */
	if (fstat(fd, &sb) != 0)
		return state(err, MDBFILE_UNREADABLE, _("cannot read %s: %s"), name,
		    strerror(errno));
	off_t need = (off_t)psize * 2;
	if (r == 0 && (m->last_pg < 1 || m->last_pg >= (size_t)INT64_MAX / psize))
		return state(err, MDBFILE_FOREIGN,
		    _("%s is not a casebook database (not an LMDB "
		      "file, or damaged)"),
		    name);
	if (r == 0)
		need = (off_t)((m->last_pg + 1) * psize);
	if (r == 0 && sb.st_size >= need)
		return MDBFILE_WHOLE;
	/* The missing pages may all be free, but the free list (page numbers
	 * of 8 bytes, inside the file) cannot name more pages than this. */
	off_t have = sb.st_size / (off_t)psize;
	if (r == 0 && have >= 2 && (off_t)m->last_pg + 1 - have <= sb.st_size / 8 &&
	    tail_is_free(fd, m, sb.st_size, (size_t)have))
		return MDBFILE_WHOLE;
	return state(err, MDBFILE_TRUNCATED,
	    _("%s is cut short (%lld bytes of %lld; a full disk or "
	      "an interrupted copy?) and was not opened; restore the database from a backup (made "
	      "with casebook backup)"),
	    name, (long long)sb.st_size, (long long)need);
}

/* Examines the data file at path and returns its state; for every state
 * but ABSENT and WHOLE, err holds a one-line message naming the file and
 * what to do (code CB_EDB). */
static int mdbfile_check(const char *path, struct cb_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *name;
	int st = MDBFILE_WHOLE;
	size_t txnid = 0, again = 0;

	if (fd < 0) {
		if (errno == ENOENT)
			return MDBFILE_ABSENT;
		name = text_sanitize(path, 0);
		st = state(err, MDBFILE_UNREADABLE, _("cannot read %s: %s"), name, strerror(errno));
		free(name);
		return st;
	}
	name = text_sanitize(path, 0);
	/* A writer that commits meanwhile may reuse the free pages being read:
	 * a verdict of "cut short" stands only if the file did not change. */
	for (int tries = 0; tries < 3; tries++) {
		st = check_once(fd, name, &txnid, err);
		struct meta_rec m0, m1;
		if (st != MDBFILE_TRUNCATED || read_meta(fd, 0, &m0) != 0)
			break;
		again = m0.txnid;
		if (read_meta(fd, (off_t)m0.dbs[0].pad, &m1) == 0 && m1.txnid > again)
			again = m1.txnid;
		if (again == txnid)
			break;
	}
	free(name);
	close(fd);
	return st;
}
/* True when dir holds nothing but perhaps a lock file: a new database may
 * be made there without taking over anybody's files. */
static bool dir_is_fresh(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool fresh = true;

	if (!d)
		return false;
	while (fresh && (e = readdir(d)))
		fresh = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "lock.mdb") == 0;
	closedir(d);
	return fresh;
}

/* Waits while another process holds LMDB's exclusive lock on lock.mdb,
 * which it does while it sets up a new data.mdb. The descriptor is closed
 * before LMDB opens the environment (closing it drops this process's
 * fcntl locks on the file). */
static void wait_for_creator(const char *dir)
{
	char *lock = xasprintf("%s/lock.mdb", dir);
	int fd = open(lock, O_RDONLY | O_CLOEXEC);
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};

	free(lock);
	if (fd < 0)
		return;
	while (fcntl(fd, F_SETLKW, &fl) != 0 && errno == EINTR)
		;
	close(fd);
}

int mdbfile_check_dir(const char *dir, bool *fresh, struct cb_err *err)
{
	char *data = xasprintf("%s/data.mdb", dir);
	int state = mdbfile_check(data, err);

	if (state == MDBFILE_EMPTY) {
		/* Perhaps another process is creating it right now. */
		wait_for_creator(dir);
		state = mdbfile_check(data, err);
	}
	free(data);
	*fresh = state == MDBFILE_ABSENT && dir_is_fresh(dir);
	return state;
}
