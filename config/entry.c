/*
 * Reads `.pmsync.conf` through libgit2's config API, the one place in
 * config/ that includes <git2.h>, so that the file means what `git config -f
 * .pmsync.conf` says it means. libgit2 reads files only, so the text (a blob
 * read from git, as often as not) goes to a private temporary file first.
 * The entries come back in file order and take the line and spelling the
 * scan found for each (config/scan.c). libgit2's parse errors are rewritten
 * as `file:line: syntax error: ...` naming the configuration rather than the
 * temporary file, and never quoting the text, which may hold a token.
 */
#include "util/compat.h"

#include "config/entry.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "config/config.h"
#include "config/scan.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void replace_all(struct strbuf *sb, const char *s, const char *from, const char *to)
{
	const char *hit;
	size_t n = strlen(from);

	while (n && (hit = strstr(s, from))) {
		strbuf_add(sb, s, (size_t)(hit - s));
		strbuf_addstr(sb, to);
		s = hit + n;
	}
	strbuf_addstr(sb, s);
}

/*
 * libgit2's parse errors read "failed to parse config file: WHAT (in PATH:LINE[, column N])",
 * where WHAT never quotes the text. "invalid escape at ..." does quote it (a token, maybe), so
 * it is rewritten with the line the scan found.
 */
static int git_error_to_config(const char *file, const char *tmp, const struct config_scan *sc)
{
	const git_error *ge = git_error_last();
	const char *msg = ge && ge->message ? ge->message : "unknown error";
	static const char prefix[] = "failed to parse config file: ";
	struct strbuf sb = STRBUF_INIT;
	const char *in;
	int error;

	if (!strncmp(msg, "invalid escape", 14))
		return config_error(
		        file, sc->escape_line,
		        "syntax error: invalid escape in a value (use \\n, \\t, \\b, \\\" "
		        "or \\\\)");
	if (!strncmp(msg, prefix, sizeof(prefix) - 1) && (in = strstr(msg, " (in "))) {
		const char *colon = in + 5 + strlen(tmp);
		long line = 0;

		if (!strncmp(in + 5, tmp, strlen(tmp)) && *colon == ':')
			line = strtol(colon + 1, NULL, 10);
		strbuf_add(&sb, msg + sizeof(prefix) - 1,
		           (size_t)(in - msg) - (sizeof(prefix) - 1));
		error = config_error(file, line > 0 && line <= INT_MAX ? (int)line : 0,
		                     "syntax error: %s", sb.buf);
	} else {
		replace_all(&sb, msg, tmp, file);
		error = config_error(file, 0, "cannot read the configuration: %s", sb.buf);
	}
	strbuf_release(&sb);
	return error;
}

static int write_temp(char **out, const char *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, error = 0;
	size_t off = 0;

	if (!dir || !*dir)
		dir = "/tmp";
	path = xasprintf("%s/pmsync-config-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		error = pm_error(PM_EIO, "cannot create a temporary file in '%s': %s", dir,
		                 strerror(errno));
		goto done;
	}
	if (fchmod(fd, 0600) < 0)
		error = pm_error(PM_EIO, "cannot protect '%s': %s", path, strerror(errno));
	while (!error && off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			error = pm_error(PM_EIO, "cannot write '%s': %s", path, strerror(errno));
		else
			off += (size_t)n;
	}
	if (close(fd) < 0 && !error)
		error = pm_error(PM_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (error)
		unlink(path);
done:
	if (error)
		free(path);
	else
		*out = path;
	return error;
}

/* Reads the entries of the file at tmp through libgit2, in file order. */
static int git_entries(struct config_entry **out, size_t *out_nr, const char *tmp, const char *file,
                       const struct config_scan *sc)
{
	git_config *gcfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *ge;
	struct config_entry *v = NULL;
	size_t nr = 0, alloc = 0;
	int rc, error = 0;

	if (git_config_new(&gcfg) < 0 ||
	    git_config_add_file_ondisk(gcfg, tmp, GIT_CONFIG_LEVEL_APP, NULL, 0) < 0 ||
	    git_config_iterator_new(&it, gcfg) < 0) {
		error = git_error_to_config(file, tmp, sc);
		goto done;
	}
	while ((rc = git_config_next(&ge, it)) == 0) {
		ALLOC_GROW(v, nr + 1, alloc);
		memset(&v[nr], 0, sizeof(v[nr]));
		v[nr].name = xstrdup(ge->name);
		v[nr].value = xstrdup_or_null(ge->value);
		nr++;
	}
	if (rc != GIT_ITEROVER)
		error = git_error_to_config(file, tmp, sc);
done:
	git_config_iterator_free(it);
	git_config_free(gcfg);
	if (error) {
		config_entry_free(v, nr);
	} else {
		*out = v;
		*out_nr = nr;
	}
	return error;
}

/* Gives every entry the line and spelling the scan found for it. */
static void map_lines(struct config_entry *v, size_t nr, struct config_scan *sc)
{
	size_t i, j;

	for (i = 0; i < nr; i++) {
		v[i].written = v[i].name;
		for (j = 0; j < sc->nr; j++) {
			if (sc->v[j].used || strcmp(sc->v[j].name, v[i].name))
				continue;
			sc->v[j].used = true;
			v[i].written = sc->v[j].written;
			v[i].line = sc->v[j].line;
			v[i].section_line = sc->v[j].section_line;
			break;
		}
	}
}

int config_entry_read(struct config_entry **out, size_t *out_nr, const char *buf, size_t len,
                      const char *file, struct config_scan *sc)
{
	struct config_entry *v = NULL;
	size_t nr = 0;
	char *tmp = NULL;
	int error;
	bool git_up = false;

	if ((error = write_temp(&tmp, buf, len)))
		goto done;
	if (git_libgit2_init() < 0) {
		error = pm_error(PM_EIO, "cannot initialise libgit2");
		goto done;
	}
	git_up = true;
	if ((error = git_entries(&v, &nr, tmp, file, sc)) < 0)
		goto done;
	map_lines(v, nr, sc);
	*out = v;
	*out_nr = nr;
done:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (git_up)
		git_libgit2_shutdown();
	return error;
}

void config_entry_free(struct config_entry *v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}
