/* error.c — setting and prefixing error messages; exit statuses. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cb_err_set(struct cb_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

void cb_err_prefix(struct cb_err *err, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;
	size_t plen, mlen;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	plen = strlen(prefix) + 2; /* "PREFIX: " */
	mlen = strnlen(err->msg, sizeof err->msg - 1);
	if (mlen + plen >= sizeof err->msg)
		mlen = sizeof err->msg - 1 - plen; /* keep the start; cut the end */
	memmove(err->msg + plen, err->msg, mlen);
	err->msg[plen + mlen] = '\0';
	memcpy(err->msg, prefix, plen - 2);
	err->msg[plen - 2] = ':';
	err->msg[plen - 1] = ' ';
}

int cb_exit_status(int code)
{
	switch (code) {
	case CB_OK:
		return 0;
	case CB_EINVAL:
	case CB_ENOTFOUND:
	case CB_ECONFLICT:
	case CB_EREADONLY:
	case CB_EIO:
		return 1;
	default:
		return 3;
	}
}
