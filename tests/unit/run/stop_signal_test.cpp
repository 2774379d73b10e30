#include "run/stop_signal.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <functional>
#include <sys/wait.h>
#include <unistd.h>

// The stop flag is process-global and cannot be reset, and once set it makes every later
// RunLoop::run in the process return 130/143. So each case raises its signals in a
// fork()ed child, which reports through its exit status; the test process never sets it.

namespace {

// Runs `body` in a child; returns its wait status.
int in_child(const std::function<int()>& body) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        ::_exit(body());
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return status;
}

int first_signal_sets_flag(int sig) {
    if (weir::stop_requested() != 0)
        return 10;
    weir::install_stop_handlers();
    weir::install_stop_handlers(); // twice is harmless
    if (std::raise(sig) != 0)
        return 11;
    // The handler ran and the process lives on.
    if (weir::stop_requested() != sig)
        return 12;
    if (weir::stop_flag().load() != sig)
        return 13;
    return 0;
}

} // namespace

TEST_CASE("stop_signal: nothing is requested in this process") {
    // Holds in any order: no case in this binary raises a stop signal in-process.
    CHECK(weir::stop_requested() == 0);
    CHECK(weir::stop_flag().load() == 0);
}

TEST_CASE("stop_signal: SIGTERM and SIGINT are caught and remembered") {
    SUBCASE("SIGTERM") {
        int status = in_child([] { return first_signal_sets_flag(SIGTERM); });
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    SUBCASE("SIGINT") {
        int status = in_child([] { return first_signal_sets_flag(SIGINT); });
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
}

TEST_CASE("stop_signal: the first signal is kept, a second one kills") {
    // SIGTERM then SIGINT: the flag keeps SIGTERM, and SIGINT takes its default action.
    int status = in_child([] {
        weir::install_stop_handlers();
        std::raise(SIGTERM);
        if (weir::stop_requested() != SIGTERM)
            return 12;
        std::raise(SIGINT);
        return 20; // survived the second signal: wrong
    });
    CHECK(WIFSIGNALED(status));
    if (WIFSIGNALED(status))
        CHECK(WTERMSIG(status) == SIGINT);
    else
        CHECK(WEXITSTATUS(status) == -1); // shows which check failed
}
