#ifndef LUTBUILD_SUPERVISED_SPAWN_H
#define LUTBUILD_SUPERVISED_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` (NULL-terminated) and the environment `envp`
/// (NULL-terminated; NULL: the caller's) in `directory`, stdin from
/// /dev/null, stdout to `output_fd` and stderr to `errors_fd` (the same
/// descriptor merges them), under a small supervisor
/// process (a fork of the caller that never execs) which leads a new process
/// group holding the tool and everything it starts.
///
/// The supervisor watches a pipe whose write end the caller keeps
/// (`*death_fd`): when the caller dies, even by SIGKILL, the kernel closes it
/// and the supervisor kills the whole group. The supervisor exits with the
/// tool's exit code, or 128 + signal number when the tool was killed.
///
/// Returns 0 and sets `*supervisor` (also the process group id) and
/// `*death_fd` (close it after reaping the supervisor), or returns an errno
/// value when the tool could not be started (nothing is left running).
int lutbuild_spawn_supervised(const char *path, char *const argv[], char *const envp[], const char *directory,
                              int output_fd, int errors_fd, pid_t *supervisor, int *death_fd);

/// Whether the supervised tool has ended: -1 while it runs (with `block`
/// 0), else its exit code (128 + signal number if it or its supervisor was
/// killed). On the way out whatever is left of its group is killed, then the
/// supervisor is reaped (its zombie keeps the group id from being reused until then).
int lutbuild_supervised_wait(pid_t supervisor, int block);

#endif
