/* util.h — allocation that cannot fail, growable buffers, small string helpers. */
#ifndef CASEBOOK_UTIL_H
#define CASEBOOK_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <libintl.h>

/* Every user-facing string goes through gettext. */
#define _(s) gettext(s)
/* Marks a string for translation where it must stay a constant (tables). */
#define N_(s) (s)

/* A hook run by die() and by the crash-signal handler before exiting,
 * so the TUI can restore the terminal. NULL when no terminal is in use. */
extern void (*util_cleanup_hook)(void);

/* Prints "casebook: MESSAGE" to stderr, runs the cleanup hook, exits 3. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Allocators that never return NULL: they die() on exhaustion. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer. Zero-initialise it before first use. */
struct buf {
	unsigned char *p;
	size_t len;
	size_t cap;
};
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *data, size_t n);
void buf_putc(struct buf *b, unsigned char c);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the contents as a NUL-terminated string owned by the buffer. */
const char *buf_cstr(struct buf *b);
/* Hands the contents to the caller (NUL-terminated) and empties the buffer. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* True when s is NULL or "". */
static inline int str_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}
/* s, or "" when s is NULL. */
static inline const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

/* Writes all n bytes to fd, retrying after EINTR and short writes.
 * 0, or -1 with errno set. */
int util_write_all(int fd, const void *data, size_t n);

/* Unix user name of the calling process (from getpwuid, else $USER, else
 * the numeric uid). Static storage. */
const char *util_username(void);
/* The path of name in the directory of the running binary (malloc'd), when
 * something of that type (S_IFDIR, S_IFREG) is there; else NULL. The build
 * tree's casebook finds its catalogs and gazetteer this way. */
char *util_beside_binary(const char *name, unsigned type);

#endif
