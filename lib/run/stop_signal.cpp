#include "run/stop_signal.hpp"

#include <csignal>

namespace weir {

namespace {

std::atomic<int> stop_signal{0};

extern "C" void on_stop_signal(int sig) {
    if (stop_signal.load() != 0) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
        return;
    }
    stop_signal.store(sig);
}

} // namespace

void install_stop_handlers() {
    struct sigaction sa {};

    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocked poll/sleep returns EINTR and sees the flag
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int stop_requested() {
    return stop_signal.load(std::memory_order_relaxed);
}

const std::atomic<int>& stop_flag() {
    return stop_signal;
}

} // namespace weir
