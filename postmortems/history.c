/*
 * The history walk behind stable item keys. One pass over the first-parent
 * history of the revision read, oldest commit first, for all files at once:
 * commits whose postmortem directory has the same tree id as their parent's
 * are skipped outright; for the others the two directory trees are diffed
 * (with git's rename detection, so `git mv` and edited renames are
 * followed) and every file's chain of versions (blob id, path) is extended.
 * Parsing is the expensive part, so blobs are parsed only when keys need
 * them: a file never modified since it was added is parsed once, by the
 * caller; older versions of modified files are parsed here, a blob shared
 * by several chains only once (a small cache counted by references).
 */
#include "postmortems/history.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/keys.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct hversion {
	git_oid blob;
	char *path;
};

/* One file's versions, oldest first; in the map under its current path. */
struct hchain {
	char *origin; /* the path where the file was added */
	char *path;   /* its current path (points at the last version's path) */
	struct hversion *v;
	size_t nr, alloc;
	struct hchain *next; /* bucket list */
};

/* An older version parsed once for several chains. */
struct hcached {
	git_oid blob;
	unsigned refs; /* uses still to come */
	bool parsed;
	struct postmortem pm;
	struct hcached *next;
};

struct pm_history {
	git_repository *repo;
	char *pm_path;
	bool cut;
	struct hchain **buckets;
	size_t nbuckets, nchains;
	struct hcached **cache;
	size_t ncache_buckets;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static size_t oid_bucket(const git_oid *id, size_t nbuckets)
{
	uint64_t h = 0;

	for (int i = 0; i < 8; i++)
		h = (h << 8) | id->id[i];
	return (size_t)(h & (nbuckets - 1));
}

static void chain_free(struct hchain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr; i++)
		free(c->v[i].path);
	free(c->v);
	free(c->origin);
	free(c);
}

static struct hchain **chain_slot(struct pm_history *h, const char *path)
{
	struct hchain **p = &h->buckets[str_hash(path) & (h->nbuckets - 1)];

	while (*p && strcmp((*p)->path, path))
		p = &(*p)->next;
	return p;
}

static struct hchain *chain_find(struct pm_history *h, const char *path)
{
	return *chain_slot(h, path);
}

static struct hchain *chain_detach(struct pm_history *h, const char *path)
{
	struct hchain **p = chain_slot(h, path), *c = *p;

	if (c) {
		*p = c->next;
		c->next = NULL;
		h->nchains--;
	}
	return c;
}

static void chains_grow(struct pm_history *h)
{
	size_t n = h->nbuckets * 2;
	struct hchain **b = xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < h->nbuckets; i++) {
		struct hchain *c = h->buckets[i], *next;
		for (; c; c = next) {
			size_t k = str_hash(c->path) & (n - 1);
			next = c->next;
			c->next = b[k];
			b[k] = c;
		}
	}
	free(h->buckets);
	h->buckets = b;
	h->nbuckets = n;
}

/* Puts c into the map under its path, replacing (and freeing) a chain there. */
static void chain_insert(struct pm_history *h, struct hchain *c)
{
	struct hchain **p;

	chain_free(chain_detach(h, c->path));
	if (h->nchains + 1 > h->nbuckets)
		chains_grow(h);
	p = &h->buckets[str_hash(c->path) & (h->nbuckets - 1)];
	c->next = *p;
	*p = c;
	h->nchains++;
}

static void chain_add_version(struct hchain *c, const git_oid *blob, const char *path)
{
	if (c->nr && git_oid_equal(&c->v[c->nr - 1].blob, blob) &&
	    !strcmp(c->v[c->nr - 1].path, path))
		return;
	if (c->nr && git_oid_equal(&c->v[c->nr - 1].blob, blob)) {
		/* a rename without an edit: same content, new path */
		free(c->v[c->nr - 1].path);
		c->v[c->nr - 1].path = xstrdup(path);
	} else {
		ALLOC_GROW(c->v, c->nr + 1, c->alloc);
		git_oid_cpy(&c->v[c->nr].blob, blob);
		c->v[c->nr].path = xstrdup(path);
		c->nr++;
	}
	c->path = c->v[c->nr - 1].path;
}

static struct hchain *chain_new(const git_oid *blob, const char *path)
{
	struct hchain *c = xcalloc(1, sizeof(*c));

	c->origin = xstrdup(path);
	chain_add_version(c, blob, path);
	return c;
}

static bool is_file_mode(uint16_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static char *full_path(const struct pm_history *h, const char *rel)
{
	if (!*h->pm_path)
		return xstrdup(rel);
	return xasprintf("%s/%s", h->pm_path, rel);
}

static int repo_error(const char *what)
{
	const git_error *e = git_error_last();

	return pm_error(PM_EREPO, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

/* The id of the postmortem directory's tree in commit c; false when it has none. */
static int dir_tree_id(git_oid *out, bool *has, git_commit *c, const char *pm_path)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int err = 0, e;

	*has = false;
	if (git_commit_tree(&tree, c) < 0) {
		err = repo_error("cannot read a commit's tree");
		goto done;
	}
	if (!*pm_path) {
		git_oid_cpy(out, git_tree_id(tree));
		*has = true;
		goto done;
	}
	e = git_tree_entry_bypath(&entry, tree, pm_path);
	if (e == GIT_ENOTFOUND)
		goto done;
	if (e < 0) {
		err = repo_error("cannot read a commit's tree");
		goto done;
	}
	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
		git_oid_cpy(out, git_tree_entry_id(entry));
		*has = true;
	}
done:
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return err;
}

/* Commits listed in $GIT_DIR/shallow: their parents are not in the repository. */
static void read_shallow(git_oid **out, size_t *nr, git_repository *repo)
{
	struct strbuf path = STRBUF_INIT, buf = STRBUF_INIT;
	size_t alloc = 0;
	const char *p;

	*out = NULL;
	*nr = 0;
	if (!git_repository_is_shallow(repo))
		return;
	strbuf_addf(&path, "%sshallow", git_repository_path(repo));
	if (strbuf_read_file(&buf, path.buf, 0) < 0) {
		pm_error_clear();
		goto done;
	}
	for (p = buf.buf; *p;) {
		size_t len = strcspn(p, "\n");
		git_oid id;

		if (len >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, p, GIT_OID_HEXSZ) == 0) {
			ALLOC_GROW(*out, *nr + 1, alloc);
			git_oid_cpy(&(*out)[(*nr)++], &id);
		}
		p += len;
		if (*p)
			p++;
	}
done:
	strbuf_release(&path);
	strbuf_release(&buf);
}

static bool oid_in(const git_oid *v, size_t nr, const git_oid *id)
{
	for (size_t i = 0; i < nr; i++)
		if (git_oid_equal(&v[i], id))
			return true;
	return false;
}

/* Applies the diff between two directory trees (either may be absent) to the chains. */
static int walk_step(struct pm_history *h, const git_oid *old_id, const git_oid *new_id)
{
	git_diff_options dopts;
	git_diff_find_options fopts;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	struct hchain **moved = NULL;
	size_t n, adds = 0, dels = 0;
	int err = 0;

	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	if ((old_id && git_tree_lookup(&old_tree, h->repo, old_id) < 0) ||
	    (new_id && git_tree_lookup(&new_tree, h->repo, new_id) < 0)) {
		err = repo_error("cannot read the postmortem directory's history");
		goto done;
	}
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, h->repo, old_tree, new_tree, &dopts) < 0) {
		err = repo_error("cannot diff the postmortem directory's history");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		git_delta_t st = git_diff_get_delta(diff, i)->status;
		adds += st == GIT_DELTA_ADDED;
		dels += st == GIT_DELTA_DELETED;
	}
	if (adds && dels) {
		fopts.flags = GIT_DIFF_FIND_RENAMES;
		if (git_diff_find_similar(diff, &fopts) < 0) {
			err = repo_error("cannot find renames in the postmortem directory");
			goto done;
		}
		n = git_diff_num_deltas(diff);
	}

	/* Take out what goes away or moves first, so that swaps and re-adds work. */
	moved = xcalloc(n ? n : 1, sizeof(*moved));
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		char *path;

		if (d->status != GIT_DELTA_DELETED && d->status != GIT_DELTA_RENAMED &&
		    d->status != GIT_DELTA_TYPECHANGE)
			continue;
		path = full_path(h, d->old_file.path);
		if (d->status == GIT_DELTA_RENAMED)
			moved[i] = chain_detach(h, path);
		else
			chain_free(chain_detach(h, path));
		free(path);
	}
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct hchain *c;
		char *path;

		if (d->status == GIT_DELTA_DELETED || !is_file_mode(d->new_file.mode))
			continue;
		path = full_path(h, d->new_file.path);
		switch (d->status) {
		case GIT_DELTA_RENAMED:
			c = moved[i];
			moved[i] = NULL;
			if (!c) {
				c = chain_new(&d->new_file.id, path);
			} else {
				chain_add_version(c, &d->new_file.id, path);
			}
			chain_insert(h, c);
			break;
		case GIT_DELTA_MODIFIED:
			/* a file not followed so far (it was not a file) starts a chain */
			c = chain_find(h, path);
			if (c)
				chain_add_version(c, &d->new_file.id, path);
			else
				chain_insert(h, chain_new(&d->new_file.id, path));
			break;
		default:
			chain_insert(h, chain_new(&d->new_file.id, path));
			break;
		}
		free(path);
	}
done:
	for (size_t i = 0; moved && i < n; i++)
		chain_free(moved[i]);
	free(moved);
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return err;
}

static struct hcached **cache_slot(struct pm_history *h, const git_oid *blob)
{
	struct hcached **p = &h->cache[oid_bucket(blob, h->ncache_buckets)];

	while (*p && !git_oid_equal(&(*p)->blob, blob))
		p = &(*p)->next;
	return p;
}

/* Counts the uses of every older version, to parse a blob shared by chains once. */
static void cache_count(struct pm_history *h)
{
	size_t versions = 0;

	for (size_t b = 0; b < h->nbuckets; b++)
		for (struct hchain *c = h->buckets[b]; c; c = c->next)
			if (c->nr > 1)
				versions += c->nr;
	h->ncache_buckets = 16;
	while (h->ncache_buckets < versions)
		h->ncache_buckets *= 2;
	h->cache = xcalloc(h->ncache_buckets, sizeof(*h->cache));
	for (size_t b = 0; b < h->nbuckets; b++) {
		for (struct hchain *c = h->buckets[b]; c; c = c->next) {
			if (c->nr < 2)
				continue;
			for (size_t i = 0; i < c->nr; i++) {
				struct hcached **p = cache_slot(h, &c->v[i].blob);
				if (!*p) {
					*p = xcalloc(1, sizeof(**p));
					git_oid_cpy(&(*p)->blob, &c->v[i].blob);
				}
				(*p)->refs++;
			}
		}
	}
}

int pm_history_walk(struct pm_history **out, git_repository *repo, const git_oid *tip,
                    const char *pm_path)
{
	struct pm_history *h = xcalloc(1, sizeof(*h));
	git_commit *c = NULL, *parent = NULL;
	git_oid *trees = NULL, *shallow = NULL;
	bool *has = NULL, prev_has = false;
	size_t nr = 0, alloc = 0, has_alloc = 0, shallow_nr = 0;
	const git_oid *prev = NULL;
	int err = 0, e;

	h->repo = repo;
	h->pm_path = xstrdup(pm_path);
	h->nbuckets = 64;
	h->buckets = xcalloc(h->nbuckets, sizeof(*h->buckets));
	read_shallow(&shallow, &shallow_nr, repo);

	if (git_commit_lookup(&c, repo, tip) < 0) {
		err = repo_error("cannot read the history");
		goto done;
	}
	for (;;) {
		ALLOC_GROW(trees, nr + 1, alloc);
		ALLOC_GROW(has, nr + 1, has_alloc);
		if ((err = dir_tree_id(&trees[nr], &has[nr], c, h->pm_path)) < 0)
			goto done;
		nr++;
		if (oid_in(shallow, shallow_nr, git_commit_id(c))) {
			h->cut = true;
			break;
		}
		if (!git_commit_parentcount(c))
			break;
		e = git_commit_parent(&parent, c, 0);
		if (e == GIT_ENOTFOUND) {
			/* a grafted or otherwise cut history */
			h->cut = true;
			break;
		}
		if (e < 0) {
			err = repo_error("cannot read the history");
			goto done;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	for (size_t k = nr; k-- > 0;) {
		if (has[k] == prev_has && (!has[k] || git_oid_equal(&trees[k], prev)))
			continue;
		if ((err = walk_step(h, prev_has ? prev : NULL, has[k] ? &trees[k] : NULL)) < 0)
			goto done;
		prev_has = has[k];
		prev = &trees[k];
	}
	cache_count(h);
	*out = h;
	h = NULL; /* handed over */
done:
	git_commit_free(c);
	git_commit_free(parent);
	free(trees);
	free(has);
	free(shallow);
	pm_history_free(h);
	return err;
}

void pm_history_free(struct pm_history *h)
{
	if (!h)
		return;
	for (size_t b = 0; b < h->nbuckets; b++) {
		struct hchain *c = h->buckets[b], *next;
		for (; c; c = next) {
			next = c->next;
			chain_free(c);
		}
	}
	for (size_t b = 0; b < h->ncache_buckets; b++) {
		struct hcached *e = h->cache[b], *next;
		for (; e; e = next) {
			next = e->next;
			if (e->parsed)
				postmortem_release(&e->pm);
			free(e);
		}
	}
	free(h->buckets);
	free(h->cache);
	free(h->pm_path);
	free(h);
}

bool pm_history_cut(const struct pm_history *h)
{
	return h->cut;
}

int pm_history_read_blob(struct postmortem *pm, git_repository *repo, const git_oid *id,
                         const struct pm_parse_options *popts, struct pm_diags *diags)
{
	git_blob *blob = NULL;
	int err;

	/*
	 * pm_parse() refuses blobs over the size limit. Asking the object
	 * database for the size first would spare inflating such a blob, but
	 * costs as much as a third of reading a small one from a pack (the
	 * delta chain is walked twice), and postmortems are small.
	 */
	if (git_blob_lookup(&blob, repo, id) < 0)
		return repo_error("cannot read a postmortem");
	err = pm_parse(pm, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), popts, diags);
	git_blob_free(blob);
	return err;
}

/* An older version, parsed (throw-away diagnostics) or taken from the cache. */
static int version_get(struct postmortem **out, struct pm_history *h, const struct hversion *v,
                       const struct pm_parse_options *popts)
{
	struct hcached *cached = h->cache ? *cache_slot(h, &v->blob) : NULL;
	struct pm_diags diags = PM_DIAGS_INIT;
	struct postmortem *pm;
	int err;

	if (cached && cached->parsed) {
		*out = &cached->pm;
		return 0;
	}
	pm = cached ? &cached->pm : xmalloc(sizeof(*pm));
	postmortem_init(pm);
	pm->path = xstrdup(v->path);
	err = pm_history_read_blob(pm, h->repo, &v->blob, popts, &diags);
	pm_diags_release(&diags);
	if (err < 0) {
		postmortem_release(pm);
		if (!cached)
			free(pm);
		return err;
	}
	if (cached)
		cached->parsed = true;
	*out = pm;
	return 0;
}

static void version_put(struct pm_history *h, struct postmortem *pm, const struct hversion *v)
{
	struct hcached *cached;

	if (!pm)
		return;
	cached = h->cache ? *cache_slot(h, &v->blob) : NULL;
	if (cached && &cached->pm == pm) {
		if (cached->refs)
			cached->refs--;
		if (!cached->refs) {
			postmortem_release(&cached->pm);
			cached->parsed = false;
		}
		return;
	}
	postmortem_release(pm);
	free(pm);
}

int pm_history_assign_keys(struct pm_history *h, struct postmortem *pm, const git_oid *blob,
                           const struct pm_parse_options *popts)
{
	struct hchain *c = chain_find(h, pm->path);
	struct postmortem *prev = NULL;
	const struct hversion *prev_v = NULL;
	size_t older;
	int err = 0;

	free(pm->origin_path);
	pm->origin_path = xstrdup(c ? c->origin : pm->path);
	if (!c) {
		pm_keys_assign(pm, NULL);
		return 0;
	}
	older = c->nr;
	if (blob && git_oid_equal(blob, &c->v[c->nr - 1].blob))
		older--;
	for (size_t i = 0; i < older; i++) {
		struct postmortem *v;

		if ((err = version_get(&v, h, &c->v[i], popts)) < 0)
			goto done;
		free(v->origin_path);
		v->origin_path = xstrdup(c->origin);
		pm_keys_assign(v, prev);
		version_put(h, prev, prev_v);
		prev = v;
		prev_v = &c->v[i];
	}
	pm_keys_assign(pm, prev);
done:
	version_put(h, prev, prev_v);
	return err;
}
