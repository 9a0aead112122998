// Only async-signal-safe calls after fork(): the caller is multithreaded.
#define _GNU_SOURCE
#include "supervised_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { STDIN_FD = 0, STDOUT_FD = 1, STDERR_FD = 2, DEATH_FD = 3, ERROR_FD = 4, FIRST_UNUSED_FD = 5 };

static void on_child_exit(int signal_number) { (void)signal_number; }

static void close_from(int first) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
#endif
    for (int fd = first; fd < 65536; fd++) close(fd);
}

static void write_errno_and_exit(int fd, int value) {
    ssize_t ignored = write(fd, &value, sizeof value);
    (void)ignored;
    _exit(127);
}

/// The tool: default signal handling (lutbuild ignores SIGINT/SIGTERM and
/// ignored signals survive exec), then exec.
static void run_tool(const char *path, char *const argv[], char *const envp[], const char *directory) {
    close(DEATH_FD);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++) sigaction(number, &action, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (chdir(directory) != 0) write_errno_and_exit(ERROR_FD, errno);
    execve(path, argv, envp ? envp : environ);
    write_errno_and_exit(ERROR_FD, errno);
}

/// The supervisor: leads the group, waits for the tool or the caller's death.
static void supervise(const char *path, char *const argv[], char *const envp[], const char *directory,
                      int output_fd, int errors_fd, int death_read, int error_write) {
    setpgid(0, 0);
    // Move the descriptors out of the way, then to fixed numbers; close the rest.
    int null_fd = open("/dev/null", O_RDONLY);
    int moved_output = fcntl(output_fd, F_DUPFD, 100);
    int moved_errors = fcntl(errors_fd, F_DUPFD, 100);
    int moved_death = fcntl(death_read, F_DUPFD, 100);
    int moved_error = fcntl(error_write, F_DUPFD, 100);
    if (null_fd < 0 || moved_output < 0 || moved_errors < 0 || moved_death < 0 || moved_error < 0) write_errno_and_exit(error_write, errno);
    dup2(null_fd, STDIN_FD);
    dup2(moved_output, STDOUT_FD);
    dup2(moved_errors, STDERR_FD);
    dup2(moved_death, DEATH_FD);
    dup2(moved_error, ERROR_FD);
    fcntl(ERROR_FD, F_SETFD, FD_CLOEXEC);
    close_from(FIRST_UNUSED_FD);

    // SIGCHLD only interrupts ppoll below, so the tool's exit cannot be missed.
    sigset_t child, unblocked;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    sigprocmask(SIG_BLOCK, &child, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_child_exit;
    sigaction(SIGCHLD, &action, NULL);
    // The caller cancels with SIGTERM to the group; the supervisor stays to report the tool's status.
    action.sa_handler = SIG_IGN;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    pid_t tool = fork();
    if (tool < 0) write_errno_and_exit(ERROR_FD, errno);
    if (tool == 0) run_tool(path, argv, envp, directory);
    close(ERROR_FD);
    sigemptyset(&unblocked);
    for (;;) {
        int status;
        pid_t done = waitpid(tool, &status, WNOHANG);
        if (done == tool) {
            if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
            _exit(128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
        }
        struct pollfd death = { .fd = DEATH_FD, .events = POLLIN, .revents = 0 };
        if (ppoll(&death, 1, NULL, &unblocked) > 0) {
            // The caller is gone (its end of the pipe closed): take the group down, ourselves included.
            kill(0, SIGKILL);
            _exit(137);
        }
    }
}

int lutbuild_spawn_supervised(const char *path, char *const argv[], char *const envp[], const char *directory,
                              int output_fd, int errors_fd, pid_t *supervisor, int *death_fd) {
    int death[2], error[2];
    if (pipe2(death, O_CLOEXEC) != 0) return errno;
    if (pipe2(error, O_CLOEXEC) != 0) {
        int saved = errno;
        close(death[0]);
        close(death[1]);
        return saved;
    }
    pid_t pid = fork();
    if (pid == 0) supervise(path, argv, envp, directory, output_fd, errors_fd, death[0], error[1]);
    int saved = errno;
    close(death[0]);
    close(error[1]);
    if (pid < 0) {
        close(death[1]);
        close(error[0]);
        return saved;
    }
    // Also set here, so a kill of the group cannot race the supervisor's own setpgid.
    setpgid(pid, pid);
    // Empty once the tool has exec'd (its copy is close-on-exec); an errno if it could not start.
    int failure = 0;
    ssize_t count;
    do { count = read(error[0], &failure, sizeof failure); } while (count < 0 && errno == EINTR);
    close(error[0]);
    if (count == (ssize_t)sizeof failure) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        close(death[1]);
        return failure != 0 ? failure : EIO;
    }
    *supervisor = pid;
    *death_fd = death[1];
    return 0;
}

int lutbuild_supervised_wait(pid_t supervisor, int block) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int flags = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
    while (waitid(P_PID, (id_t)supervisor, &info, flags) != 0) {
        if (errno != EINTR) return 127;
    }
    if (info.si_pid == 0) return -1;
    kill(-supervisor, SIGKILL);
    int status = 0;
    while (waitpid(supervisor, &status, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
