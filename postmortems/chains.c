/*
 * The chains of versions behind history.c: for every file of the
 * postmortem directory, the (blob, path) of each version along first-parent
 * history, oldest first, kept in a hash map under the file's current path.
 * Each commit's diff of the directory tree moves the map forward: a file
 * deleted loses its chain, a renamed one (git's rename detection, run only
 * when a commit both adds and deletes files) carries its chain to its new
 * path, an edit appends a version, a rename without an edit changes only
 * the last version's path. What goes away or moves is taken out first, so
 * that swapped and re-added paths work.
 */
#include "util/compat.h"

#include "postmortems/chains.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static uint64_t str_hash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static void chain_free(struct chain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr; i++)
		free(c->v[i].path);
	free(c->v);
	free(c->origin);
	free(c);
}

static struct chain **chain_slot(struct chains *m, const char *path)
{
	struct chain **p = &m->buckets[str_hash(path) & (m->nbuckets - 1)];

	while (*p && strcmp((*p)->path, path))
		p = &(*p)->next;
	return p;
}

struct chain *chains_find(struct chains *m, const char *path)
{
	return *chain_slot(m, path);
}

static struct chain *chain_detach(struct chains *m, const char *path)
{
	struct chain **p = chain_slot(m, path), *c = *p;

	if (c) {
		*p = c->next;
		c->next = NULL;
		m->nr--;
	}
	return c;
}

static void chains_grow(struct chains *m)
{
	size_t n = m->nbuckets * 2;
	struct chain **b = xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < m->nbuckets; i++) {
		struct chain *c = m->buckets[i], *next;
		for (; c; c = next) {
			size_t k = str_hash(c->path) & (n - 1);
			next = c->next;
			c->next = b[k];
			b[k] = c;
		}
	}
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = n;
}

/* Puts c into the map under its path, replacing (and freeing) a chain there. */
static void chain_insert(struct chains *m, struct chain *c)
{
	struct chain **p;

	chain_free(chain_detach(m, c->path));
	if (m->nr + 1 > m->nbuckets)
		chains_grow(m);
	p = &m->buckets[str_hash(c->path) & (m->nbuckets - 1)];
	c->next = *p;
	*p = c;
	m->nr++;
}

static void chain_add_version(struct chain *c, const git_oid *blob, const char *path, int64_t when)
{
	if (c->nr && git_oid_equal(&c->v[c->nr - 1].blob, blob) &&
	    !strcmp(c->v[c->nr - 1].path, path))
		return;
	if (c->nr && git_oid_equal(&c->v[c->nr - 1].blob, blob)) {
		/* a rename without an edit: same content, new path */
		free(c->v[c->nr - 1].path);
		c->v[c->nr - 1].path = xstrdup(path);
	} else {
		/* most files have one version: grow from one, not ALLOC_GROW's eight */
		if (c->nr + 1 > c->alloc) {
			c->alloc = c->alloc ? 2 * c->alloc : 1;
			c->v = xrealloc(c->v, xmul_size(c->alloc, sizeof(*c->v)));
		}
		git_oid_cpy(&c->v[c->nr].blob, blob);
		c->v[c->nr].path = xstrdup(path);
		c->v[c->nr].time = when;
		c->nr++;
	}
	c->path = c->v[c->nr - 1].path;
}

static struct chain *chain_new(const git_oid *blob, const char *path, int64_t when)
{
	struct chain *c = xcalloc(1, sizeof(*c));

	c->origin = xstrdup(path);
	chain_add_version(c, blob, path, when);
	return c;
}

static bool is_file_mode(uint16_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* The repository path of rel, a path in the postmortem directory, in sb. */
static const char *full_path(struct strbuf *sb, const char *pm_path, const char *rel)
{
	strbuf_reset(sb);
	if (*pm_path) {
		strbuf_addstr(sb, pm_path);
		strbuf_addch(sb, '/');
	}
	strbuf_addstr(sb, rel);
	return sb->buf;
}

/* The diff of two trees, with renames found when the diff both adds and deletes files. */
static int diff_with_renames(git_diff **out, git_repository *repo, git_tree *old_tree,
                             git_tree *new_tree)
{
	git_diff_options dopts;
	git_diff_find_options fopts;
	git_diff *diff = NULL;
	size_t n, adds = 0, dels = 0;

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, &dopts) < 0)
		return pm_error_git(PM_EREPO, "cannot diff the postmortem directory's history");
	n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		git_delta_t st = git_diff_get_delta(diff, i)->status;
		adds += st == GIT_DELTA_ADDED;
		dels += st == GIT_DELTA_DELETED;
	}
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if (adds && dels && git_diff_find_similar(diff, &fopts) < 0) {
		git_diff_free(diff);
		return pm_error_git(PM_EREPO, "cannot find renames in the postmortem directory");
	}
	*out = diff;
	return 0;
}

/*
 * Takes out the chains of the files that go away or move (moved[i] keeps
 * the chain of rename i), first, so that swaps and re-adds work.
 */
static void take_out_leaving(struct chains *m, git_diff *diff, struct chain **moved,
                             struct strbuf *sb, const char *pm_path)
{
	size_t n = git_diff_num_deltas(diff);

	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path;

		if (d->status != GIT_DELTA_DELETED && d->status != GIT_DELTA_RENAMED &&
		    d->status != GIT_DELTA_TYPECHANGE)
			continue;
		path = full_path(sb, pm_path, d->old_file.path);
		if (d->status == GIT_DELTA_RENAMED)
			moved[i] = chain_detach(m, path);
		else
			chain_free(chain_detach(m, path));
	}
}

/* Puts in the files that arrive, move or change: a version more, or a new chain. */
static void put_in_arriving(struct chains *m, git_diff *diff, struct chain **moved,
                            struct strbuf *sb, const char *pm_path, int64_t when)
{
	size_t n = git_diff_num_deltas(diff);

	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct chain *c;
		const char *path;

		if (d->status == GIT_DELTA_DELETED || !is_file_mode(d->new_file.mode))
			continue;
		path = full_path(sb, pm_path, d->new_file.path);
		switch (d->status) {
		case GIT_DELTA_RENAMED:
			c = moved[i];
			moved[i] = NULL;
			if (!c)
				c = chain_new(&d->new_file.id, path, when);
			else
				chain_add_version(c, &d->new_file.id, path, when);
			chain_insert(m, c);
			break;
		case GIT_DELTA_MODIFIED:
			/* a file not followed so far (it was not a file) starts a chain */
			c = chains_find(m, path);
			if (c)
				chain_add_version(c, &d->new_file.id, path, when);
			else
				chain_insert(m, chain_new(&d->new_file.id, path, when));
			break;
		default:
			chain_insert(m, chain_new(&d->new_file.id, path, when));
			break;
		}
	}
}

int chains_apply_diff(struct chains *m, git_repository *repo, const char *pm_path,
                      git_tree *old_tree, git_tree *new_tree, int64_t when)
{
	git_diff *diff = NULL;
	struct chain **moved = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;
	int err;

	err = diff_with_renames(&diff, repo, old_tree, new_tree);
	if (err < 0)
		goto done;
	n = git_diff_num_deltas(diff);
	moved = xcalloc(n ? n : 1, sizeof(*moved));
	take_out_leaving(m, diff, moved, &sb, pm_path);
	put_in_arriving(m, diff, moved, &sb, pm_path, when);
done:
	for (size_t i = 0; moved && i < n; i++)
		chain_free(moved[i]);
	free(moved);
	strbuf_release(&sb);
	git_diff_free(diff);
	return err;
}

void chains_init(struct chains *m)
{
	m->nbuckets = 64;
	m->buckets = xcalloc(m->nbuckets, sizeof(*m->buckets));
	m->nr = 0;
}

void chains_release(struct chains *m)
{
	for (size_t b = 0; b < m->nbuckets; b++) {
		struct chain *c = m->buckets[b], *next;
		for (; c; c = next) {
			next = c->next;
			chain_free(c);
		}
	}
	free(m->buckets);
	m->buckets = NULL;
	m->nbuckets = m->nr = 0;
}
