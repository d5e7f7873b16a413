/*
 * The benchmark's floor: parses each file named on stdin (one path a line)
 * with cmark-gfm and its table extension, one by one, as pmsync must at the
 * least, and prints how many it parsed. Timed from outside by rusage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

int main(void)
{
	char path[4096];
	static char buf[1 << 20];
	cmark_syntax_extension *table;
	size_t files = 0;

	cmark_gfm_core_extensions_ensure_registered();
	table = cmark_find_syntax_extension("table");
	while (fgets(path, sizeof(path), stdin)) {
		FILE *fp;
		size_t len;
		cmark_parser *parser;
		cmark_node *doc;

		path[strcspn(path, "\n")] = '\0';
		fp = fopen(path, "rb");
		if (!fp)
			continue;
		len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		parser = cmark_parser_new(CMARK_OPT_SOURCEPOS);
		cmark_parser_attach_syntax_extension(parser, table);
		cmark_parser_feed(parser, buf, len);
		doc = cmark_parser_finish(parser);
		cmark_node_free(doc);
		cmark_parser_free(parser);
		files++;
	}
	printf("%zu files parsed\n", files);
	return 0;
}
