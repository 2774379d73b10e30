#include "enrich/refresher.hpp"

#include "time/rfc3339.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <sys/stat.h>
#include <thread>
#include <utility>

// How it works, in one place:
//
// - One background thread per refresher owns the file checks and every load. It sleeps
//   on a condition variable (so the destructor stops it at once), waking at the next
//   file check and at least every 50 ms to look at the SIGHUP counter.
// - A change is a different stat(): device, inode, size or mtime (FileIdentity hashes
//   the first bytes instead and has no mtime, which is what an in-place rewrite of the
//   same size changes). A changed file is loaded only once it has settled: a second
//   stat, 100 ms later (or `every` if shorter), must match the first. A writer still
//   busy moves size or mtime between the two and is waited for; a table swapped in by
//   rename (the safe way to deploy) settles at once.
// - A file is retried only when it changes again (or on SIGHUP): a table that stays
//   broken gives one message per change, not one per check.
// - Hand-over: the thread puts a loaded version in the table's pending slot under the
//   mutex and raises `pending`; poll() sees the flag with one relaxed load and only then
//   takes the mutex. The mutex orders the slot's contents; the flag is only a hint that
//   there is something to take. Failure counts and messages travel the same way, so
//   version_stats() and table() are main-thread data, read without locks.
// - SIGHUP bumps a process-wide counter (not a flag one refresher could clear for the
//   others). Each refresher remembers the count it has acted on, so a signal raised
//   before it was built is not taken for a new one.

namespace weir {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr Clock::duration settle_delay = 100ms;
constexpr Clock::duration signal_check = 50ms;

std::atomic<std::uint64_t> sighup_count{0};
std::atomic<bool> sighup_installed{false};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "the SIGHUP handler may only touch a lock-free atomic");

extern "C" void on_sighup(int) {
    sighup_count.fetch_add(1, std::memory_order_relaxed);
}

// What stat() says about a table file; `exists` false when it cannot be stat'ed (the
// other fields are then zero, so two failed stats compare equal).
struct FileStat {
    bool exists = false;
    std::uint64_t dev = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;

    bool operator==(const FileStat&) const = default;
};

FileStat stat_file(const std::string& path) {
    struct stat st {};

    if (::stat(path.c_str(), &st) != 0)
        return {};
    return {true, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
            static_cast<std::uint64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

Timestamp wall_now() {
    return std::chrono::duration_cast<Duration>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

struct TableRefresher::Impl {
    // What the thread knows of one table's file.
    struct Watch {
        FileStat seen;                     // as last loaded or tried
        std::optional<FileStat> candidate; // changed, waiting to settle
        Timestamp loaded_at = 0;           // of the newest version loaded, for messages
    };

    // Immutable after construction.
    std::vector<TableSpec> specs;
    Clock::duration every{};

    // Main thread only.
    std::vector<std::shared_ptr<const Table>> current;
    std::vector<std::shared_ptr<const Table>> retired; // dropped after the mutex is freed
    std::vector<TableVersionStats> stats;
    std::thread thread;

    // Shared, under `mu` (`pending` is the hint that something is there).
    std::atomic<bool> pending{false};
    std::mutex mu;
    std::condition_variable wake;
    bool stop = false;
    std::vector<std::shared_ptr<const Table>> slots;
    std::vector<std::uint64_t> failures;
    std::vector<std::string> messages;

    // The thread's (the constructor's until the thread starts).
    std::vector<Watch> watches;
    std::uint64_t signals_seen = 0;

    void start() {
        thread = std::thread([this] { run(); });
    }

    void run();
    Clock::time_point check_files();
    void reload(std::size_t i, const FileStat& st);
    void publish(std::size_t i, std::shared_ptr<const Table> table);
    void fail(std::size_t i, const char* what);
};

void TableRefresher::Impl::run() {
    Clock::time_point next_check =
        every > Clock::duration::zero() ? Clock::now() + every : Clock::time_point::max();
    std::unique_lock lock(mu);
    while (!stop) {
        Clock::time_point deadline = std::min(next_check, Clock::now() + signal_check);
        if (wake.wait_until(lock, deadline, [this] { return stop; }))
            break;
        lock.unlock();

        std::uint64_t signals = sighup_count.load(std::memory_order_relaxed);
        if (signals != signals_seen) {
            // An operator asked: reload everything now, changed or not, without settling.
            signals_seen = signals;
            for (std::size_t i = 0; i < specs.size(); ++i)
                reload(i, stat_file(specs[i].path));
        } else if (Clock::now() >= next_check) {
            next_check = check_files();
        }

        lock.lock();
    }
}

// One round of stat()s; returns when to look again.
Clock::time_point TableRefresher::Impl::check_files() {
    bool settling = false;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        Watch& w = watches[i];
        FileStat st = stat_file(specs[i].path);
        if (st == w.seen) {
            w.candidate.reset(); // changed and changed back: nothing to do
        } else if (w.candidate && *w.candidate == st) {
            reload(i, st); // settled: two checks agree
        } else {
            w.candidate = st; // new, or still moving: look again soon
            settling = true;
        }
    }
    return Clock::now() + (settling ? std::min(every, settle_delay) : every);
}

// Loads table i; `st` is the file's stat taken before the load, so a write during the
// load shows as a change at the next check and is loaded again.
void TableRefresher::Impl::reload(std::size_t i, const FileStat& st) {
    Watch& w = watches[i];
    w.seen = st;
    w.candidate.reset();
    try {
        publish(i, Table::load(specs[i]));
        w.loaded_at = wall_now();
    } catch (const std::exception& e) { // weir::Error among them
        fail(i, e.what());
    } catch (...) {
        fail(i, "unknown error");
    }
}

void TableRefresher::Impl::publish(std::size_t i, std::shared_ptr<const Table> table) {
    {
        std::lock_guard guard(mu);
        // A version the main thread has not taken yet is replaced; it dies below, here
        // in the thread, outside the lock.
        slots[i].swap(table);
        pending.store(true, std::memory_order_release);
    }
}

void TableRefresher::Impl::fail(std::size_t i, const char* what) {
    // Table::load's errors name the file ("x.ndjson:12: ...", "cannot open 'x': ...");
    // anything else gets the path in front.
    std::string message;
    if (std::string_view(what).find(specs[i].path) == std::string_view::npos)
        message = specs[i].path + ": ";
    message += what;
    message += "; keeping the version loaded at ";
    append_rfc3339(message, watches[i].loaded_at, 0);

    std::lock_guard guard(mu);
    ++failures[i];
    messages.push_back(std::move(message));
    pending.store(true, std::memory_order_release);
}

TableRefresher::TableRefresher(std::vector<TableSpec> specs, Duration every)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    std::size_t n = specs.size();
    m.specs = std::move(specs);
    m.every = every > Duration::zero() ? std::chrono::duration_cast<Clock::duration>(every)
                                       : Clock::duration::zero();
    m.retired.resize(n);
    m.stats.resize(n);
    m.slots.resize(n);
    m.failures.resize(n);
    m.watches.resize(n);
    m.signals_seen = sighup_count.load(std::memory_order_relaxed);

    // Stat before loading, as reload() does: a file written meanwhile is loaded again.
    m.current.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        m.watches[i].seen = stat_file(m.specs[i].path);
        m.current.push_back(Table::load(m.specs[i]));
        m.watches[i].loaded_at = wall_now();
    }

    if (m.every > Clock::duration::zero() || sighup_installed.load(std::memory_order_relaxed))
        m.start();
}

TableRefresher::~TableRefresher() {
    if (impl_->thread.joinable()) {
        {
            std::lock_guard guard(impl_->mu);
            impl_->stop = true;
        }
        impl_->wake.notify_all();
        impl_->thread.join();
    }
}

bool TableRefresher::poll() {
    Impl& m = *impl_;
    if (!m.pending.load(std::memory_order_relaxed)) {
        // No thread (every zero, and the handler was installed after construction): a
        // SIGHUP starts one, which reloads; the stream never waits for a load.
        if (!m.thread.joinable() && sighup_count.load(std::memory_order_relaxed) != m.signals_seen)
            [[unlikely]]
            m.start();
        return false;
    }

    bool changed = false;
    {
        std::lock_guard guard(m.mu);
        m.pending.store(false, std::memory_order_relaxed);
        for (std::size_t i = 0; i < m.current.size(); ++i) {
            if (m.slots[i]) {
                m.retired[i] = std::move(m.current[i]);
                m.current[i] = std::move(m.slots[i]);
                ++m.stats[i].reloads;
                changed = true;
            }
            m.stats[i].reload_failures = m.failures[i];
        }
        changed = changed || !m.messages.empty();
    }
    // The replaced versions die here: this thread held the only reference.
    for (auto& old : m.retired)
        old.reset();
    return changed;
}

std::size_t TableRefresher::size() const {
    return impl_->current.size();
}

const Table& TableRefresher::table(std::size_t i) const {
    return *impl_->current[i];
}

const TableVersionStats& TableRefresher::version_stats(std::size_t i) const {
    return impl_->stats[i];
}

std::vector<std::string> TableRefresher::take_messages() {
    std::vector<std::string> out;
    std::lock_guard guard(impl_->mu);
    out.swap(impl_->messages);
    return out;
}

void TableRefresher::install_sighup_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa {};

        sa.sa_handler = on_sighup;
        sigemptyset(&sa.sa_mask);
        // SA_RESTART: a reload request must not make the stream's reads and writes fail
        // with EINTR.
        sa.sa_flags = SA_RESTART;
        sigaction(SIGHUP, &sa, nullptr);
        sighup_installed.store(true, std::memory_order_relaxed);
    });
}

} // namespace weir
