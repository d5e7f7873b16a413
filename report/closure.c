/*
 * `pmsync report --write-back`: the closure state the report found (each
 * item's ticket and its status in the tracker) written into the
 * postmortems themselves (report/writeback.c does the text). Each file is
 * rewritten from its content at the revision read. Without --commit the
 * working tree gets the new files, except a file whose working copy differs
 * from the revision, which is left alone with a message. With --commit the
 * working tree and the checked-out branch are not touched: a commit of the
 * changed postmortems on top of the revision is made with libgit2 and the
 * branch report.branch set to it, ready for a pull request.
 */
#include "util/compat.h"

#include "report/closure.h"

#include <git2.h>

#include "report/writeback.h"
#include "util/error.h"
#include "util/lockfile.h"
#include "util/xalloc.h"

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return pm_error(PM_EREPO, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

/* What each item of pm should say: its ticket and the ticket's status, from the report. */
static struct writeback_item *wanted(const struct report *r, const struct postmortem *pm)
{
	struct writeback_item *v = xcalloc(pm->items_nr + 1, sizeof(*v));

	for (size_t i = 0; i < r->items_nr; i++) {
		const struct report_item *ri = &r->items[i];
		size_t k;

		if (ri->pm != pm || !ri->ticket_ref)
			continue;
		k = (size_t)(ri->item - pm->items);
		v[k].ticket_ref = ri->ticket_ref;
		v[k].ticket_url = ri->ticket_url;
		v[k].status = ri->status;
		v[k].has_status = true;
	}
	return v;
}

/* True when the working copy of path holds exactly bytes [0, len). */
static bool worktree_same(const char *file, const char *bytes, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool same;

	if (strbuf_read_file(&sb, file, 0) < 0) {
		pm_error_clear();
		return false;
	}
	same = sb.len == len && !memcmp(sb.buf, bytes, len);
	strbuf_release(&sb);
	return same;
}

static void note(struct strlist *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct strlist *out, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strlist_add(out, sb.buf);
	strbuf_release(&sb);
}

static int make_commit(git_repository *repo, git_commit *base, const git_tree_update *updates,
                       size_t n, const char *branch, const char *message)
{
	git_tree *tree = NULL, *new_tree = NULL;
	git_signature *sig = NULL;
	git_reference *head = NULL, *ref = NULL;
	git_oid tree_id, commit_id;
	struct strbuf refname = STRBUF_INIT;
	const git_commit *parents[1] = {base};
	int err = 0;

	strbuf_addf(&refname, "refs/heads/%s", branch);
	if (!git_reference_is_valid_name(refname.buf)) {
		err = pm_error(PM_ECONFIG, "report.branch: '%s' is not a valid branch name",
		               branch);
		goto done;
	}
	if (git_repository_head(&head, repo) == 0 &&
	    !strcmp(git_reference_name(head), refname.buf)) {
		err = pm_error(PM_EUSAGE,
		               "'%s' is the checked-out branch: --commit never commits there; "
		               "set report.branch to another branch",
		               branch);
		goto done;
	}
	if (git_commit_tree(&tree, base) < 0 ||
	    git_tree_create_updated(&tree_id, repo, tree, n, updates) < 0 ||
	    git_tree_lookup(&new_tree, repo, &tree_id) < 0) {
		err = git_fail("cannot build the write-back tree");
		goto done;
	}
	if (git_signature_default(&sig, repo) < 0 &&
	    git_signature_now(&sig, "pmsync", "pmsync@localhost") < 0) {
		err = git_fail("cannot make a signature");
		goto done;
	}
	if (git_commit_create(&commit_id, repo, NULL, sig, sig, NULL, message, new_tree, 1,
	                      parents) < 0 ||
	    git_reference_create(&ref, repo, refname.buf, &commit_id, 1,
	                         "pmsync report --write-back --commit") < 0) {
		err = git_fail("cannot commit the write-back");
		goto done;
	}
done:
	git_reference_free(ref);
	git_reference_free(head);
	git_signature_free(sig);
	git_tree_free(new_tree);
	git_tree_free(tree);
	strbuf_release(&refname);
	return err;
}

int report_write_back(struct strlist *messages, const char *root, const struct pm_set *set,
                      const struct report *r, const char *tracker_name, bool commit,
                      const char *branch, const struct parse_options *popts)
{
	git_repository *repo = NULL;
	git_commit *base = NULL;
	git_tree_update *updates = xcalloc(set->nr + 1, sizeof(*updates));
	git_oid id;
	struct strbuf msg = STRBUF_INIT;
	size_t n = 0, files = 0;
	int err = 0;

	if (!set->rev_id[0]) {
		err = pm_error(PM_EUSAGE,
		               "--write-back writes what the revision holds: drop --worktree");
		goto done;
	}
	if (git_repository_open(&repo, root) < 0 || git_oid_fromstr(&id, set->rev_id) < 0 ||
	    git_commit_lookup(&base, repo, &id) < 0) {
		err = git_fail("cannot open the repository for the write-back");
		goto done;
	}
	strbuf_addf(&msg, "Record closure state from %s in the postmortems\n\n", tracker_name);
	for (size_t i = 0; i < set->nr; i++) {
		const struct postmortem *pm = &set->v[i];
		struct writeback_item *items = wanted(r, pm);
		struct strbuf out = STRBUF_INIT, file = STRBUF_INIT;
		git_blob *blob = NULL;
		size_t skipped = 0, changes = 0;
		const char *text;
		size_t len;

		if (pm->unreadable || !pm->blob_id[0] || git_oid_fromstr(&id, pm->blob_id) < 0 ||
		    git_blob_lookup(&blob, repo, &id) < 0) {
			free(items);
			continue;
		}
		text = git_blob_rawcontent(blob);
		len = (size_t)git_blob_rawsize(blob);
		changes = writeback_apply(&out, text, len, pm, items, popts, &skipped);
		if (skipped)
			note(messages,
			     "%s: %zu item%s not written back (not in a pipe table or a list, "
			     "or naming another ticket)",
			     pm->path, skipped, skipped == 1 ? "" : "s");
		strbuf_addf(&file, "%s/%s", root, pm->path);
		if (!changes) {
			/* nothing */
		} else if (commit) {
			if (git_blob_create_from_buffer(&updates[n].id, repo, out.buf, out.len) <
			    0) {
				err = git_fail("cannot write a postmortem's new content");
			} else {
				updates[n].action = GIT_TREE_UPDATE_UPSERT;
				updates[n].filemode = GIT_FILEMODE_BLOB;
				updates[n].path = pm->path;
				n++;
			}
		} else if (!worktree_same(file.buf, text, len)) {
			note(messages, "%s: left alone: its working copy differs from %.12s",
			     pm->path, set->rev_id);
			changes = 0;
		} else {
			err = lockfile_write_atomic(file.buf, pm->path, out.buf, out.len);
		}
		if (changes && err >= 0) {
			note(messages, "%s: %zu cell%s written", pm->path, changes,
			     changes == 1 ? "" : "s");
			strbuf_addf(&msg, "- %s: %zu cell%s written\n", pm->path, changes,
			            changes == 1 ? "" : "s");
			files++;
		}
		git_blob_free(blob);
		strbuf_release(&out);
		strbuf_release(&file);
		free(items);
		if (err < 0)
			goto done;
	}
	if (!files) {
		note(messages, "nothing to write back");
		goto done;
	}
	if (commit) {
		if ((err = make_commit(repo, base, updates, n, branch, msg.buf)) < 0)
			goto done;
		note(messages, "committed %zu postmortem%s on branch '%s'", files,
		     files == 1 ? "" : "s", branch);
	}
done:
	free(updates);
	strbuf_release(&msg);
	git_commit_free(base);
	git_repository_free(repo);
	return err;
}
