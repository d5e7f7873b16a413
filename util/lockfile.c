/*
 * Locks and atomic file replacement. A run that is going to rewrite a file
 * first creates `<file>.lock` with O_CREAT|O_EXCL and writes its pid in it;
 * a second run finds the lock and fails with a message naming the holder.
 * A lock whose pid no longer exists (kill(pid, 0) fails with ESRCH) was left
 * by a killed run: it is stale and taken over, with a note, so that a kill -9
 * never blocks the next runs for good. Replacement writes `<file>.tmp`,
 * fsyncs it, renames it over the file and fsyncs the directory, so that a
 * crash leaves the old content or the new, never half of either.
 */
#include "util/compat.h"

#include "util/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct lockfile {
	char *path;      /* the file */
	char *display;   /* the file, for messages */
	char *lock_path; /* path + ".lock" */
	pid_t pid;       /* ours, written in the lock */
};

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* The pid in a lock file: > 0, 0 when empty or unreadable, -1 when the file is gone. */
static long read_lock_pid(const char *lock_path)
{
	struct strbuf sb = STRBUF_INIT;
	char *end;
	long pid = 0;
	int fd;
	ssize_t n;
	char buf[64];

	fd = open(lock_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -1 : 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0 && sb.len < 64)
		strbuf_add(&sb, buf, (size_t)n);
	close(fd);
	strbuf_trim(&sb);
	if (sb.len) {
		errno = 0;
		pid = strtol(sb.buf, &end, 10);
		if (errno || *end || pid <= 0)
			pid = 0;
	}
	strbuf_release(&sb);
	return pid;
}

static bool pid_is_dead(long pid)
{
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates the lock file, holding our pid. 1 when it exists already. */
static int create_lock(struct lockfile *lk)
{
	char pid[32];
	int fd, n;

	fd = open(lk->lock_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			return 1;
		return pm_error(PM_EIO, "cannot create '%s.lock': %s", lk->display,
		                strerror(errno));
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)lk->pid);
	if (write_all(fd, pid, (size_t)n) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(lk->lock_path);
		return pm_error(PM_EIO, "cannot write '%s.lock': %s", lk->display, strerror(e));
	}
	close(fd);
	return 0;
}

int lockfile_mkdirs(const char *path, const char *display)
{
	char *dir = xstrdup(path);
	char *p;
	int error = 0;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
			error = pm_error(PM_EIO, "cannot create the directory of '%s': %s", display,
			                 strerror(errno));
			goto done;
		}
		*p = '/';
	}
done:
	free(dir);
	return error;
}

int lockfile_take(struct lockfile **out, const char *path, const char *display, char **note)
{
	struct lockfile *lk = xcalloc(1, sizeof(*lk));
	char *taken_note = NULL;
	int error, attempt;

	lk->path = xstrdup(path);
	lk->display = xstrdup(display ? display : path);
	lk->lock_path = xasprintf("%s.lock", path);
	lk->pid = getpid();

	error = lockfile_mkdirs(path, lk->display);
	if (error < 0)
		goto done;
	for (attempt = 0;; attempt++) {
		long pid;

		error = create_lock(lk);
		if (error <= 0)
			break;
		pid = read_lock_pid(lk->lock_path);
		if (pid < 0 && attempt < 5)
			continue; /* released meanwhile: try again */
		if (pid == 0 && attempt < 5) {
			/* The holder may be between creating the lock and writing its pid. */
			sleep_ms(20);
			continue;
		}
		if (pid > 0 && pid_is_dead(pid) && attempt < 5) {
			/*
			 * Re-read just before removing it, to narrow the window in which
			 * another run took the stale lock over first.
			 */
			if (read_lock_pid(lk->lock_path) != pid)
				continue;
			if (unlink(lk->lock_path) < 0 && errno != ENOENT) {
				error = pm_error(PM_EIO,
				                 "cannot remove the stale lock '%s.lock': %s",
				                 lk->display, strerror(errno));
				goto done;
			}
			free(taken_note);
			taken_note = xasprintf("took over the stale lock '%s.lock' left by pid %ld "
			                       "(no longer running)",
			                       lk->display, pid);
			continue;
		}
		if (pid > 0)
			error = pm_error(
			        PM_ELOCKED,
			        "another pmsync run holds '%s.lock' (pid %ld): wait for it, "
			        "or remove the lock if that process is gone",
			        lk->display, pid);
		else
			error = pm_error(
			        PM_ELOCKED,
			        "another pmsync run holds '%s.lock' (no pid in it): wait for "
			        "it, or remove the lock if that process is gone",
			        lk->display);
		goto done;
	}
	if (error < 0)
		goto done;
	*out = lk;
	lk = NULL; /* handed over */
	if (note && taken_note) {
		*note = taken_note;
		taken_note = NULL;
	}
done:
	if (lk) {
		free(lk->path);
		free(lk->display);
		free(lk->lock_path);
		free(lk);
	}
	free(taken_note);
	return error;
}

static int fsync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir =
	        slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	int fd, r = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) < 0 && errno != EINVAL)
			r = -1;
		close(fd);
	}
	free(dir);
	return r;
}

int lockfile_write_atomic(const char *path, const char *display, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = -1, error = 0;

	if (!display)
		display = path;
	error = lockfile_mkdirs(path, display);
	if (error < 0)
		goto done;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0) {
		error = pm_error(PM_EIO, "cannot create '%s.tmp': %s", display, strerror(errno));
		goto done;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error = pm_error(PM_EIO, "cannot write '%s.tmp': %s", display, strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = pm_error(PM_EIO, "cannot write '%s.tmp': %s", display, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		error = pm_error(PM_EIO, "cannot rename '%s.tmp' to '%s': %s", display, display,
		                 strerror(errno));
		goto done;
	}
	if (fsync_dir(path) < 0)
		error = pm_error(PM_EIO, "cannot sync the directory of '%s': %s", display,
		                 strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	if (error < 0)
		unlink(tmp);
	free(tmp);
	return error;
}

int lockfile_commit(struct lockfile *lk, const void *data, size_t len)
{
	return lockfile_write_atomic(lk->path, lk->display, data, len);
}

void lockfile_free(struct lockfile *lk)
{
	if (!lk)
		return;
	/* Remove the lock only while it is still ours (it may have been taken over). */
	if (read_lock_pid(lk->lock_path) == (long)lk->pid)
		unlink(lk->lock_path);
	free(lk->path);
	free(lk->display);
	free(lk->lock_path);
	free(lk);
}
