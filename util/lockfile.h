#ifndef PM_LOCKFILE_H
#define PM_LOCKFILE_H

#include <stddef.h>

/*
 * Exclusive locks and atomic replacement of a file, after git's lockfile:
 * `<file>.lock` is created with O_CREAT|O_EXCL and holds the owner's pid, so
 * that a second run fails clearly instead of interleaving writes; the file
 * itself is replaced by writing `<file>.tmp`, fsync, rename over `<file>`,
 * fsync of the directory. A lock left by a dead process (kill -9) is stale
 * and taken over.
 */
struct lockfile;

/*
 * Takes `<path>.lock`. `display` names the file in messages (a path relative
 * to the repository, say). Fails with PM_ELOCKED when a live process holds
 * it. When a stale lock was taken over and note is not NULL, *note receives
 * a line saying so (the caller frees it); otherwise *note is left alone.
 */
int lockfile_take(struct lockfile **out, const char *path, const char *display, char **note);

/* Replaces the locked file's content atomically. */
int lockfile_commit(struct lockfile *lk, const void *data, size_t len);

/* The same without a lock: `<path>.tmp`, fsync, rename, fsync the directory. */
int lockfile_write_atomic(const char *path, const char *display, const void *data, size_t len);

/* Creates the directories leading to path (not path itself), like mkdir -p. */
int lockfile_mkdirs(const char *path, const char *display);

/* Removes the lock (when still ours) and frees lk. NULL is a no-op. */
void lockfile_free(struct lockfile *lk);

#endif
