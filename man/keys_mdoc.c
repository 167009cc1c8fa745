/* keys_mdoc.c — prints the TUI key list in mdoc, from the one key table in
 * src/tui/keys.c; `make man` splices it into casebook.1. */
#include <locale.h>
#include <stdio.h>

#include "tui.h"

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	tui_keys_mdoc(stdout);
	return 0;
}
