/* main.c — locale and translations, then the command line. */
#include <locale.h>

#include "cli.h"
#include "util.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	bindtextdomain("casebook", LOCALEDIR);
	textdomain("casebook");
	return cli_main(argc, argv);
}
