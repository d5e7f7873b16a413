/*
 * The history walk behind stable item keys. One pass over the first-parent
 * history of the revision read, oldest commit first, for all files at once:
 * commits whose postmortem directory has the same tree id as their parent's
 * are skipped outright; for the others the two directory trees are diffed
 * and every file's chain of versions (blob id, path) is extended
 * (chains.c; git's rename detection follows `git mv` and edited renames).
 * A shallow boundary ends the walk. Parsing is the expensive part, so blobs
 * are parsed only when keys need them: a file never modified since it was
 * added is parsed once, by the caller; older versions of modified files are
 * parsed here, a blob shared by several chains only once (a small cache
 * counted by references).
 */
#include "util/compat.h"

#include "postmortems/history.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postmortems/chains.h"
#include "postmortems/keys.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* An older version parsed once for several chains. */
struct hcached {
	git_oid blob;
	unsigned refs; /* uses still to come */
	bool parsed;
	struct postmortem pm;
	struct hcached *next;
};

struct history {
	git_repository *repo;
	char *pm_path;
	bool cut;
	struct chains chains;
	struct hcached **cache;
	size_t ncache_buckets;
};

static size_t oid_bucket(const git_oid *id, size_t nbuckets)
{
	uint64_t h = 0;

	for (int i = 0; i < 8; i++)
		h = (h << 8) | id->id[i];
	return (size_t)(h & (nbuckets - 1));
}

/* The id of the postmortem directory's tree in commit c; false when it has none. */
static int dir_tree_id(git_oid *out, bool *has, git_commit *c, const char *pm_path)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int err = 0, e;

	*has = false;
	if (git_commit_tree(&tree, c) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read a commit's tree");
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
		err = pm_error_git(PM_EREPO, "cannot read a commit's tree");
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

static struct hcached **cache_slot(struct history *h, const git_oid *blob)
{
	struct hcached **p = &h->cache[oid_bucket(blob, h->ncache_buckets)];

	while (*p && !git_oid_equal(&(*p)->blob, blob))
		p = &(*p)->next;
	return p;
}

/* Counts the uses of every older version, to parse a blob shared by chains once. */
static void cache_count(struct history *h)
{
	size_t versions = 0;

	for (size_t b = 0; b < h->chains.nbuckets; b++)
		for (struct chain *c = h->chains.buckets[b]; c; c = c->next)
			if (c->nr > 1)
				versions += c->nr;
	h->ncache_buckets = 16;
	while (h->ncache_buckets < versions)
		h->ncache_buckets *= 2;
	h->cache = xcalloc(h->ncache_buckets, sizeof(*h->cache));
	for (size_t b = 0; b < h->chains.nbuckets; b++) {
		for (struct chain *c = h->chains.buckets[b]; c; c = c->next) {
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

/* The postmortem directory at each commit of the first-parent walk, newest first. */
struct steps {
	git_oid *trees; /* the directory's tree, when has[i] */
	bool *has;
	int64_t *times; /* commit times */
	size_t nr, alloc, has_alloc, times_alloc;
};

static void steps_release(struct steps *st)
{
	free(st->trees);
	free(st->has);
	free(st->times);
}

/* Walks the first parents from tip, to the root or a shallow or grafted cut (h->cut). */
static int walk_first_parents(struct steps *st, struct history *h, git_repository *repo,
                              const git_oid *tip)
{
	git_commit *c = NULL, *parent = NULL;
	git_oid *shallow = NULL;
	size_t shallow_nr = 0;
	int err = 0, e;

	read_shallow(&shallow, &shallow_nr, repo);
	if (git_commit_lookup(&c, repo, tip) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read the history");
		goto done;
	}
	for (;;) {
		ALLOC_GROW(st->trees, st->nr + 1, st->alloc);
		ALLOC_GROW(st->has, st->nr + 1, st->has_alloc);
		ALLOC_GROW(st->times, st->nr + 1, st->times_alloc);
		if ((err = dir_tree_id(&st->trees[st->nr], &st->has[st->nr], c, h->pm_path)) < 0)
			goto done;
		st->times[st->nr] = (int64_t)git_commit_time(c);
		st->nr++;
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
			err = pm_error_git(PM_EREPO, "cannot read the history");
			goto done;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
done:
	git_commit_free(c);
	git_commit_free(parent);
	free(shallow);
	return err;
}

/* Replays the steps oldest first into h's chains; each tree is read once. */
static int replay_steps(struct history *h, git_repository *repo, const struct steps *st)
{
	git_tree *tree = NULL, *prev_tree = NULL;
	const git_oid *prev = NULL;
	bool prev_has = false;
	int err = 0;

	for (size_t k = st->nr; k-- > 0;) {
		if (st->has[k] == prev_has && (!st->has[k] || git_oid_equal(&st->trees[k], prev)))
			continue;
		if (st->has[k] && git_tree_lookup(&tree, repo, &st->trees[k]) < 0) {
			err = pm_error_git(PM_EREPO,
			                   "cannot read the postmortem directory's history");
			goto done;
		}
		/*
		 * What the boundary commit of a shallow history holds was made
		 * at some unknown earlier time, not by that commit.
		 */
		if ((err = chains_apply_diff(&h->chains, repo, h->pm_path, prev_tree, tree,
		                             h->cut && k == st->nr - 1 ? 0 : st->times[k])) < 0)
			goto done;
		git_tree_free(prev_tree);
		prev_tree = tree;
		tree = NULL;
		prev_has = st->has[k];
		prev = &st->trees[k];
	}
done:
	git_tree_free(tree);
	git_tree_free(prev_tree);
	return err;
}

int history_walk(struct history **out, git_repository *repo, const git_oid *tip,
                 const char *pm_path)
{
	struct history *h = xcalloc(1, sizeof(*h));
	struct steps st = {0};
	int err;

	h->repo = repo;
	h->pm_path = xstrdup(pm_path);
	chains_init(&h->chains);
	if ((err = walk_first_parents(&st, h, repo, tip)) < 0 ||
	    (err = replay_steps(h, repo, &st)) < 0)
		goto done;
	cache_count(h);
	*out = h;
	h = NULL; /* handed over */
done:
	steps_release(&st);
	history_free(h);
	return err;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	chains_release(&h->chains);
	for (size_t b = 0; b < h->ncache_buckets; b++) {
		struct hcached *e = h->cache[b], *next;
		for (; e; e = next) {
			next = e->next;
			if (e->parsed)
				postmortem_release(&e->pm);
			free(e);
		}
	}
	free(h->cache);
	free(h->pm_path);
	free(h);
}

bool history_cut(const struct history *h)
{
	return h->cut;
}

int history_read_blob(struct postmortem *pm, git_repository *repo, const git_oid *id,
                      const struct parse_options *popts, struct diags *diags)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	int err;

	/*
	 * parse_postmortem() refuses blobs over the size limit. Asking the object
	 * database for the size first would spare inflating such a blob, but
	 * costs as much as a third of reading a small one from a pack (the
	 * delta chain is walked twice), and postmortems are small. The object
	 * database is read directly: a blob object would only wrap the same
	 * bytes, through the object cache.
	 */
	if (git_repository_odb(&odb, repo) < 0 || git_odb_read(&obj, odb, id) < 0) {
		err = pm_error_git(PM_EREPO, "cannot read a postmortem");
		goto done;
	}
	if (git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
		err = pm_error(PM_EREPO, "cannot read a postmortem: object is not a blob");
		goto done;
	}
	err = parse_postmortem(pm, git_odb_object_data(obj), git_odb_object_size(obj), popts,
	                       diags);
done:
	git_odb_object_free(obj);
	git_odb_free(odb);
	return err;
}

/* An older version, parsed (throw-away diagnostics) or taken from the cache. */
static int version_get(struct postmortem **out, struct history *h, const struct chain_version *v,
                       const struct parse_options *popts)
{
	struct hcached *cached = h->cache ? *cache_slot(h, &v->blob) : NULL;
	struct diags diags = DIAGS_INIT;
	struct postmortem *pm;
	int err;

	if (cached && cached->parsed) {
		*out = &cached->pm;
		return 0;
	}
	pm = cached ? &cached->pm : xmalloc(sizeof(*pm));
	postmortem_init(pm);
	pm->path = xstrdup(v->path);
	err = history_read_blob(pm, h->repo, &v->blob, popts, &diags);
	diags_release(&diags);
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

static void version_put(struct history *h, struct postmortem *pm, const struct chain_version *v)
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

/* A version not needed after all: its use of the cache is given back unread. */
static void version_skip(struct history *h, const struct chain_version *v)
{
	struct hcached *cached = h->cache ? *cache_slot(h, &v->blob) : NULL;

	if (cached && cached->parsed)
		version_put(h, &cached->pm, v);
	else if (cached && cached->refs)
		cached->refs--;
}

/* Items first seen done in a version made at `when` were closed then (0: unknown). */
static void stamp_done(struct postmortem *pm, int64_t when)
{
	for (size_t i = 0; i < pm->items_nr; i++)
		if (pm->items[i].done_at == PM_DONE_AT_NEW)
			pm->items[i].done_at = when;
}

int history_assign_keys(struct history *h, struct postmortem *pm, const git_oid *blob,
                        const struct parse_options *popts)
{
	struct chain *c = chains_find(&h->chains, pm->path);
	struct postmortem *prev = NULL;
	const struct chain_version *prev_v = NULL;
	size_t older;
	int err = 0;

	free(pm->origin_path);
	pm->origin_path = xstrdup(c ? c->origin : pm->path);
	if (!c) {
		keys_assign(pm, NULL);
		stamp_done(pm, 0);
		return 0;
	}
	older = c->nr;
	if (blob && git_oid_equal(blob, &c->v[c->nr - 1].blob))
		older--;
	if (pm->unreadable) {
		/* no items to key (not UTF-8, too large, too many items): skip the older versions */
		for (size_t i = 0; i < older; i++)
			version_skip(h, &c->v[i]);
		keys_assign(pm, NULL);
		stamp_done(pm, 0);
		return 0;
	}
	for (size_t i = 0; i < older; i++) {
		struct postmortem *v;

		if ((err = version_get(&v, h, &c->v[i], popts)) < 0)
			goto done;
		free(v->origin_path);
		v->origin_path = xstrdup(c->origin);
		keys_assign(v, prev);
		stamp_done(v, c->v[i].time);
		version_put(h, prev, prev_v);
		prev = v;
		prev_v = &c->v[i];
	}
	keys_assign(pm, prev);
	/* a working-tree edit is not committed: when it was made is not known */
	stamp_done(pm, older < c->nr ? c->v[c->nr - 1].time : 0);
done:
	version_put(h, prev, prev_v);
	return err;
}
