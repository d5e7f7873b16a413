/*
 * What a repository's `origin` remote says about it, for what the
 * configuration leaves unset: the URL template of a postmortem on GitHub or
 * GitLab (https://github.com/owner/repo/blob/<default branch>/{path}, the
 * default branch from refs/remotes/origin/HEAD, else "main") and the
 * repository's id (owner/repo, else the directory's name). Remote URLs come
 * in every form git accepts: https, ssh://, scp-like user@host:path, with
 * ports, ".git" and trailing slashes; local paths have no host and derive
 * nothing.
 */
#include "util/compat.h"

#include "postmortems/origin.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* A remote URL taken apart: host ("" for a local path) and path without ".git". */
struct remote_url {
	char *host;
	char *path;
};

static void remote_url_parse(struct remote_url *u, const char *url)
{
	const char *scheme = strstr(url, "://"), *rest, *slash, *colon;
	char *host = NULL, *path;
	size_t len;

	u->host = NULL;
	u->path = NULL;
	if (scheme) {
		if ((size_t)(scheme - url) == 4 && !strncmp(url, "file", 4))
			return;
		rest = scheme + 3;
		slash = strchr(rest, '/');
		if (!slash)
			return;
		host = xstrndup(rest, (size_t)(slash - rest));
		rest = slash;
	} else {
		/* scp-like: [user@]host:path, with no '/' before the ':' */
		colon = strchr(url, ':');
		slash = strchr(url, '/');
		if (!colon || (slash && slash < colon) || colon == url)
			return;
		host = xstrndup(url, (size_t)(colon - url));
		rest = colon + 1;
	}
	/* drop user@ and :port */
	{
		char *at = strrchr(host, '@'), *port;
		char *h = xstrdup(at ? at + 1 : host);
		port = strchr(h, ':');
		if (port)
			*port = '\0';
		for (char *p = h; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		free(host);
		host = h;
	}
	while (*rest == '/')
		rest++;
	path = xstrdup(rest);
	len = strlen(path);
	while (len && path[len - 1] == '/')
		path[--len] = '\0';
	if (len > 4 && !strcmp(path + len - 4, ".git"))
		path[len - 4] = '\0';
	if (!*host || !*path) {
		free(host);
		free(path);
		return;
	}
	u->host = host;
	u->path = path;
}

static void remote_url_release(struct remote_url *u)
{
	free(u->host);
	free(u->path);
}

/* The last n '/'-separated components of path, or NULL when it has fewer. */
static char *last_components(const char *path, int n)
{
	const char *p = path + strlen(path);
	int seen = 0;

	while (p > path) {
		p--;
		if (*p == '/' && ++seen == n)
			return xstrdup(p + 1);
	}
	return seen == n - 1 ? xstrdup(path) : NULL;
}

/* The branch refs/remotes/origin/HEAD points at, else "main". */
static char *default_branch(git_repository *git)
{
	static const char prefix[] = "refs/remotes/origin/";
	git_reference *ref = NULL;
	const char *target;
	char *branch = NULL;

	if (git_reference_lookup(&ref, git, "refs/remotes/origin/HEAD") == 0 &&
	    git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC &&
	    (target = git_reference_symbolic_target(ref)) &&
	    !strncmp(target, prefix, sizeof(prefix) - 1) && target[sizeof(prefix) - 1])
		branch = xstrdup(target + sizeof(prefix) - 1);
	git_reference_free(ref);
	return branch ? branch : xstrdup("main");
}

static void add_escaped(struct strbuf *sb, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
		    (keep_slash && *p == '/')) {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

void origin_derive(struct config *cfg, git_repository *git, const char *root)
{
	git_config *config = NULL;
	const char *url = NULL;
	struct remote_url u = {NULL, NULL};
	char *owner_repo = NULL;
	bool github = false, gitlab = false;

	if (cfg->url_template && cfg->repo_id)
		return;
	/*
	 * The URL as configured: git_remote_lookup() would apply insteadOf
	 * rewrites too, but in libgit2 1.5 it leaks memory on every call.
	 */
	if (git_repository_config_snapshot(&config, git) == 0 &&
	    git_config_get_string(&url, config, "remote.origin.url") == 0 && url)
		remote_url_parse(&u, url);
	if (u.host) {
		github = strstr(u.host, "github") != NULL;
		gitlab = !github && strstr(u.host, "gitlab") != NULL;
		/* GitHub paths are owner/repo; GitLab's may hold subgroups */
		owner_repo = gitlab ? xstrdup(u.path) : last_components(u.path, 2);
		if (github && !strcmp(u.host, "ssh.github.com")) {
			free(u.host);
			u.host = xstrdup("github.com");
		}
	}
	if (!cfg->url_template && owner_repo && (github || gitlab)) {
		struct strbuf sb = STRBUF_INIT;
		char *branch = default_branch(git);

		strbuf_addf(&sb, "https://%s/%s/%s", u.host, owner_repo,
		            github ? "blob/" : "-/blob/");
		add_escaped(&sb, branch, true);
		strbuf_addstr(&sb, "/{path}");
		cfg->url_template = strbuf_detach(&sb, NULL);
		free(branch);
	}
	if (!cfg->repo_id) {
		if (owner_repo) {
			cfg->repo_id = owner_repo;
			owner_repo = NULL; /* handed over */
		} else {
			const char *base = strrchr(root, '/');
			char *name = xstrdup(base && base[1] ? base + 1 : root);
			size_t len = strlen(name);
			if (git_repository_is_bare(git) && len > 4 &&
			    !strcmp(name + len - 4, ".git"))
				name[len - 4] = '\0';
			cfg->repo_id = name;
		}
	}
	free(owner_repo);
	remote_url_release(&u);
	git_config_free(config);
	git_error_clear();
}

char *origin_postmortem_url(const char *url_template, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *hit;

	if (!url_template || !path)
		return NULL;
	for (p = url_template; (hit = strstr(p, "{path}")); p = hit + 6) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		add_escaped(&sb, path, true);
	}
	strbuf_addstr(&sb, p);
	return strbuf_detach(&sb, NULL);
}
