#pragma once

// Keeps weir-enrich's reference tables current without stopping the stream: a
// background thread checks each table file every `every` (size, mtime, inode) and on a
// change loads a new version beside the old; SIGHUP forces a reload of every table. The
// run loop's thread takes new versions between records (poll()), so a record is always
// joined against one whole version of a table, and the stream never waits for a load.
//
// A reload that fails (the file half-written, a malformed row) keeps the version in use;
// the error, with file and line, is queued for the main thread to report, and counted.

#include "enrich/table.hpp"
#include "time/timestamp.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace weir {

struct TableVersionStats {
    std::uint64_t reloads = 0;         // new versions taken (the first load not counted)
    std::uint64_t reload_failures = 0; // reloads that failed; the old version stayed
};

class TableRefresher {
public:
    // Loads every table now (errors propagate: they are start-up errors). `every` zero
    // (or negative): no file checks, but SIGHUP still reloads; the thread then only
    // waits for the signal, and is started by poll() on the first SIGHUP when the
    // handler was installed after construction. A changed file is loaded once two
    // stat()s 100 ms apart (or `every`, if shorter) agree, so a file caught mid-write
    // is not loaded; a file is retried only when it changes again, or on SIGHUP.
    TableRefresher(std::vector<TableSpec> specs, Duration every);
    ~TableRefresher(); // stops and joins the thread
    TableRefresher(const TableRefresher&) = delete;
    TableRefresher& operator=(const TableRefresher&) = delete;

    // Main thread, between records: installs versions the thread has loaded (the
    // replaced ones are freed here) and updates version_stats(). Returns true when any
    // table changed or messages wait for take_messages(). One relaxed atomic load when nothing is
    // pending (two while no thread runs).
    bool poll();

    std::size_t size() const;

    // The version in use; stable until the next poll().
    const Table& table(std::size_t i) const;

    const TableVersionStats& version_stats(std::size_t i) const;

    // Messages from the thread since the last call ("products.ndjson:12: invalid JSON;
    // keeping the version loaded at ..."), for the main thread to print as warnings.
    std::vector<std::string> take_messages();

    // Installs the SIGHUP handler (once per process; the handler only sets a flag).
    static void install_sighup_handler();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace weir
