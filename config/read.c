/*
 * Reading `.pmsync.conf` over a configuration. The file is in git-config
 * syntax, read with libgit2's config API so that `git config -f
 * .pmsync.conf tracker.kind linear` edits it, and in steps, each a module of
 * its own: the text is scanned first (config/scan.c) so that an `include` or
 * `includeIf` section is refused before libgit2 sees the text and every
 * variable has a line for messages; libgit2 reads the entries
 * (config/entry.c); secrets are refused before any message could quote one
 * (config/key.c); then every entry is checked against the table of known
 * keys and stored (config/value.c). Values replace nothing until the whole
 * file has been read without error. config/key.c lists the keys.
 */
#include "util/compat.h"

#include "config/config.h"

#include <stdlib.h>
#include <string.h>

#include "config/entry.h"
#include "config/key.h"
#include "config/scan.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define CONFIG_MAX_SIZE (1024 * 1024)

static const char include_refused[] = "'include' is not allowed in .pmsync.conf: a pull request "
                                      "could pull in .git/config and its tokens";

/*
 * A deep copy: the scalars as they are, and every string and list a key
 * of the table names (config/key.c), so that a new key needs nothing here.
 */
static void config_copy(struct config *dst, const struct config *src)
{
	size_t i;

	*dst = *src;
	dst->source = xstrdup_or_null(src->source);
	for (i = 0; i < CONFIG_KEY_COUNT; i++) {
		const struct config_key_def *def = config_key_def((enum config_key)i);
		void *to = (char *)dst + def->offset;
		const void *from = (const char *)src + def->offset;

		switch (def->kind) {
		case CONFIG_VALUE_LIST:
		case CONFIG_VALUE_PAIRS:
			memset(to, 0, sizeof(struct strlist));
			strlist_copy(to, from);
			break;
		case CONFIG_VALUE_PATH:
		case CONFIG_VALUE_URL:
		case CONFIG_VALUE_URL_TEMPLATE:
		case CONFIG_VALUE_DATE:
		case CONFIG_VALUE_WORD:
		case CONFIG_VALUE_CODE:
		case CONFIG_VALUE_CODE_LETTER:
		case CONFIG_VALUE_NONEMPTY:
		case CONFIG_VALUE_STRING:
		case CONFIG_VALUE_TEXT:
			*(char **)to = xstrdup_or_null(*(char *const *)from);
			break;
		case CONFIG_VALUE_CHOICE:
		case CONFIG_VALUE_COUNT:
		case CONFIG_VALUE_SECONDS:
		case CONFIG_VALUE_BOOL:
			break; /* copied with the scalars */
		}
	}
	dst->owners = NULL;
	dst->owners_nr = dst->owners_alloc = 0;
	ALLOC_GROW(dst->owners, src->owners_nr, dst->owners_alloc);
	for (i = 0; i < src->owners_nr; i++) {
		const struct config_owner *o = &src->owners[i];
		struct config_owner *c = &dst->owners[i];

		c->handle = xstrdup(o->handle);
		c->email = xstrdup_or_null(o->email);
		c->linear = xstrdup_or_null(o->linear);
		c->jira = xstrdup_or_null(o->jira);
		c->line = o->line;
	}
	dst->owners_nr = src->owners_nr;
}

static int find_nul_line(const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);
	const char *p;
	int line = 1;

	if (!nul)
		return 0;
	for (p = buf; p < nul; p++)
		line += *p == '\n';
	return line;
}

int config_read_buffer(struct config *cfg, const char *buf, size_t len, const char *display)
{
	struct config next;
	struct config_value_reader r;
	struct config_scan sc = CONFIG_SCAN_INIT;
	struct config_entry *entries = NULL;
	const char *file = display ? display : ".pmsync.conf";
	size_t nr = 0, i;
	int error = 0, line;

	if (!buf)
		buf = "";
	config_copy(&next, cfg);
	config_value_reader_init(&r, &next, file);

	if (len > CONFIG_MAX_SIZE) {
		error = config_error(file, 0, "the configuration is larger than %d bytes",
		                     CONFIG_MAX_SIZE);
		goto done;
	}
	if ((line = find_nul_line(buf, len))) {
		error = config_error(file, line, "a NUL byte: the configuration must be text");
		goto done;
	}
	config_scan_text(&sc, buf, len);
	if (sc.include_line) {
		error = config_error(file, sc.include_line, "%s", include_refused);
		goto done;
	}
	if ((error = config_entry_read(&entries, &nr, buf, len, file, &sc)) < 0)
		goto done;

	/* Secrets first: no other message may quote one. */
	for (i = 0; i < nr; i++)
		if ((error = config_key_check_secret(file, &entries[i])) < 0)
			goto done;
	for (i = 0; i < nr; i++) {
		if (!strncmp(entries[i].name, "include.", 8) ||
		    !strncmp(entries[i].name, "includeif.", 10)) {
			/* libgit2 followed it already; nothing read from it is used */
			error = config_error(file, entries[i].line, "%s", include_refused);
			goto done;
		}
		if ((error = config_value_apply(&r, &entries[i])) < 0)
			goto done;
	}
	free(next.source);
	next.source = xstrdup(file);
	config_release(cfg);
	*cfg = next;
	memset(&next, 0, sizeof(next)); /* moved into cfg */
done:
	config_release(&next);
	config_entry_free(entries, nr);
	config_scan_release(&sc);
	return error;
}

int config_read_file(struct config *cfg, const char *path, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	int error;

	error = strbuf_read_file(&sb, path, CONFIG_MAX_SIZE);
	if (!error)
		error = config_read_buffer(cfg, sb.buf, sb.len, display ? display : path);
	strbuf_release(&sb);
	return error;
}
