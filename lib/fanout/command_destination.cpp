#include "fanout/command_destination.hpp"

#include "cli/error.hpp"
#include "io/file_source.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace weir {

namespace {

std::string describe_status(int status) {
    if (WIFEXITED(status))
        return fmt::format("exited with status {}", WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return fmt::format("was killed by signal {}", WTERMSIG(status));
    return fmt::format("ended with wait status {}", status);
}

} // namespace

CommandDestination::CommandDestination(std::string command, std::string where)
    : command_(std::move(command))
    , where_(std::move(where)) {
    start();
    buf_.reserve(capacity);
}

void CommandDestination::start() {
    // A command that stops reading must be an error to report, not a SIGPIPE that ends
    // the tool. (Stdout's OutputFile re-raises SIGPIPE itself on EPIPE.)
    std::signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error(Exit::cant_create, "{}: cannot make a pipe: {}", where_, errno_text(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
    // The child must not inherit SIGPIPE ignored.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t dfl;
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &dfl);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    const char* argv[] = {"sh", "-c", command_.c_str(), nullptr};
    int rc = ::posix_spawn(&pid_, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(fds[0]);
    if (rc != 0) {
        ::close(fds[1]);
        pid_ = -1;
        throw Error(Exit::cant_create, "{}: cannot start sh: {}", where_, errno_text(rc));
    }
    fd_ = fds[1];
    grow_pipe_buffer(fd_);
}

int CommandDestination::stop() {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
    int status = 0;
    if (pid_ > 0)
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    pid_ = -1;
    return status;
}

void CommandDestination::restart() {
    stop();
    start();
}

CommandDestination::~CommandDestination() {
    stop();
}

void CommandDestination::flush() {
    std::size_t done = 0;
    while (done < buf_.size()) {
        ssize_t k = ::write(fd_, buf_.data() + done, buf_.size() - done);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            // The buffer stays whole: a retry sends all of it to a new command (records
            // the dead one may have read arrive again: at least once).
            throw Error(Exit::io, "{}: cannot write to the command: {}", where_,
                        err == EPIPE ? std::string("it stopped reading") : errno_text(err));
        }
        done += static_cast<std::size_t>(k);
    }
    buf_.clear();
}

void CommandDestination::finish() {
    flush();
    int status = stop();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(Exit::io, "{}: the command {}", where_, describe_status(status));
}

} // namespace weir
