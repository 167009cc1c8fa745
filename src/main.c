/* main.c — locale and translations, then the command line. */
#include "cli.h"
#include "config.h"
#include "datefmt.h"
#include "l10n.h"

int main(int argc, char **argv)
{
	l10n_init();
	datefmt_configure(config_get()->date_format);
	return cli_main(argc, argv);
}
