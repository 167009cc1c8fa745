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
	char prefix[256], old[sizeof err->msg];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
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
