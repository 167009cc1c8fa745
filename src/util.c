/* util.c — allocation that cannot fail, buffers, writing, the user name. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void (*util_cleanup_hook)(void);

void die(const char *fmt, ...)
{
	va_list ap;

	if (util_cleanup_hook)
		util_cleanup_hook();
	fputs("casebook: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("%s", _("out of memory"));
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die("%s", _("out of memory"));
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("%s", _("out of memory"));
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die("%s", _("out of memory"));
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s ? s : "", strlen(s ? s : ""));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		die("%s", _("out of memory"));
	va_end(ap);
	return p;
}

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_put(struct buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

void buf_putc(struct buf *b, unsigned char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *buf_cstr(struct buf *b)
{
	buf_reserve(b, 0);
	b->p[b->len] = '\0';
	return (const char *)b->p;
}

char *buf_steal(struct buf *b)
{
	buf_cstr(b);
	char *p = (char *)b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int util_write_all(int fd, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w, n -= (size_t)w;
	}
	return 0;
}

const char *util_username(void)
{
	static char name[64];
	struct passwd *pw;
	const char *env;

	if (name[0])
		return name;
	if ((pw = getpwuid(getuid())) && pw->pw_name)
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else if ((env = getenv("USER")) && *env)
		snprintf(name, sizeof name, "%s", env);
	else
		snprintf(name, sizeof name, "%u", (unsigned)getuid());
	return name;
}

char *util_beside_binary(const char *name, unsigned type)
{
	char exe[PATH_MAX];
	struct stat sb;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *p = xasprintf("%s/%s", exe, name);
	if (stat(p, &sb) == 0 && (sb.st_mode & S_IFMT) == type)
		return p;
	free(p);
	return NULL;
}
