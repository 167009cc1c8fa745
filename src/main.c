/* main.c — locale and translations, then the command line. */
#include "cli.h"
#include "l10n.h"

int main(int argc, char **argv)
{
	l10n_init();
	return cli_main(argc, argv);
}
