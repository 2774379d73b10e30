#include "../error_of.hpp"
#include "../io/temp_dir.hpp"
#include "cli/error.hpp"
#include "enrich/refresher.hpp"
#include "json/field_path.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

// The refresher's thread works on its own schedule, so each test waits (up to 5
// s, in 10 ms steps, calling poll() as the run loop would) for the state it
// expects, and never asserts that something happened within a given time.

namespace {

using namespace std::chrono_literals;

weir::TableSpec spec_of(const std::string& path, const std::string& name = "products") {
    weir::TableSpec spec;
    spec.name = name;
    spec.path = path;
    spec.table_keys.push_back(weir::FieldPath::from("id"));
    return spec;
}

std::string rows(int n) {
    std::string out;
    for (int i = 1; i <= n; ++i)
        out += "{\"id\":" + std::to_string(i) + ",\"name\":\"p" + std::to_string(i) + "\"}\n";
    return out;
}

// Writes `data` to a temporary file beside `path` and renames it over `path`,
// as a deploy would: the refresher never sees the file half-written.
void replace_file(const std::string& path, const std::string& data) {
    std::string tmp = path + ".tmp";
    weir::test::write_file(tmp, data);
    REQUIRE(std::rename(tmp.c_str(), path.c_str()) == 0);
}

// Calls poll() until `done` holds or 5 s have passed; returns whether it held.
bool poll_until(weir::TableRefresher& r, const std::function<bool()>& done) {
    for (int i = 0; i < 500; ++i) {
        r.poll();
        if (done())
            return true;
        std::this_thread::sleep_for(10ms);
    }
    r.poll();
    return done();
}

bool any_contains(const std::vector<std::string>& messages, const std::string& part) {
    for (const std::string& m : messages)
        if (m.find(part) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("refresher: loads every table at construction") {
    weir::test::TempDir dir;
    weir::test::write_file(dir / "a.ndjson", rows(2));
    weir::test::write_file(dir / "b.ndjson", rows(3));
    weir::TableRefresher r({spec_of(dir / "a.ndjson", "a"), spec_of(dir / "b.ndjson", "b")},
                           weir::Duration::zero());
    REQUIRE(r.size() == 2);
    CHECK(r.table(0).stats().rows == 2);
    CHECK(r.table(1).stats().rows == 3);
    CHECK(r.table(1).spec().name == "b");
    CHECK(r.version_stats(0).reloads == 0);
    CHECK(r.version_stats(0).reload_failures == 0);
    CHECK_FALSE(r.poll());
    CHECK(r.take_messages().empty());
}

TEST_CASE("refresher: a table that does not load is a start-up error") {
    weir::test::TempDir dir;
    SUBCASE("missing file") {
        weir::Error e = weir::test::error_of([&] {
            weir::TableRefresher r({spec_of(dir / "none.ndjson")}, weir::Duration(10'000));
        });
        CHECK(e.code() == weir::Exit::no_input);
        CHECK(std::string(e.what()).find("none.ndjson") != std::string::npos);
    }
    SUBCASE("malformed row") {
        weir::test::write_file(dir / "bad.ndjson", rows(1) + "{\"id\":2,\"name\":\n");
        weir::Error e = weir::test::error_of(
            [&] { weir::TableRefresher r({spec_of(dir / "bad.ndjson")}, weir::Duration(10'000)); });
        CHECK(e.code() == weir::Exit::data);
        CHECK(std::string(e.what()).find("bad.ndjson:2") != std::string::npos);
    }
}

TEST_CASE("refresher: a changed file becomes the next version") {
    weir::test::TempDir dir;
    std::string path = dir / "products.ndjson";
    weir::test::write_file(path, rows(2));
    weir::TableRefresher r({spec_of(path)},
                           weir::Duration(10'000)); // every 10 ms
    const weir::Table* before = &r.table(0);

    SUBCASE("replaced by rename") {
        replace_file(path, rows(3));
    }
    SUBCASE("rewritten in place") {
        weir::test::write_file(path, rows(4));
    }
    SUBCASE("appended to") {
        weir::test::append_file(path, "{\"id\":9,\"name\":\"p9\"}\n");
    }

    CHECK(poll_until(r, [&] { return r.table(0).stats().rows >= 3; }));
    CHECK(&r.table(0) != before);
    // An in-place write may be seen half done (truncated) and loaded twice; at
    // least once.
    CHECK(r.version_stats(0).reloads >= 1);
    CHECK(r.version_stats(0).reload_failures == 0);
    CHECK(r.take_messages().empty());
}

TEST_CASE("refresher: a version stays in use until poll() takes the next") {
    weir::test::TempDir dir;
    std::string path = dir / "products.ndjson";
    weir::test::write_file(path, rows(2));
    weir::TableRefresher r({spec_of(path)}, weir::Duration(10'000));
    const weir::Table& first = r.table(0);
    replace_file(path, rows(5));
    // Without poll() the table does not move, however long the thread has had.
    std::this_thread::sleep_for(300ms);
    CHECK(&r.table(0) == &first);
    CHECK(first.stats().rows == 2);
    CHECK(poll_until(r, [&] { return r.table(0).stats().rows == 5; }));
    CHECK(r.version_stats(0).reloads == 1);
}

TEST_CASE("refresher: a failed reload keeps the version in use") {
    weir::test::TempDir dir;
    std::string path = dir / "products.ndjson";
    weir::test::write_file(path, rows(2));
    weir::TableRefresher r({spec_of(path)}, weir::Duration(10'000));
    std::vector<std::string> messages;
    auto failed_once = [&] {
        std::vector<std::string> more = r.take_messages();
        messages.insert(messages.end(), more.begin(), more.end());
        return r.version_stats(0).reload_failures >= 1 && !messages.empty();
    };

    SUBCASE("malformed row") {
        replace_file(path, rows(2) + "{\"id\":3,\"name\":\n");
        REQUIRE(poll_until(r, failed_once));
        // Table::load names FILE:LINE already; nothing is put in front.
        CHECK(messages.front().rfind(path + ":3: ", 0) == 0);
    }
    SUBCASE("file removed") {
        REQUIRE(std::remove(path.c_str()) == 0);
        REQUIRE(poll_until(r, failed_once));
        CHECK(any_contains(messages, "products.ndjson"));
    }

    CHECK(any_contains(messages, "; keeping the version loaded at "));
    CHECK(r.table(0).stats().rows == 2);
    CHECK(r.version_stats(0).reloads == 0);
    // Failures are reported once per change of the file, not once per check.
    std::this_thread::sleep_for(200ms);
    r.poll();
    CHECK(r.version_stats(0).reload_failures == 1);
    CHECK(r.take_messages().empty());

    // A good file later is taken as usual.
    replace_file(path, rows(6));
    CHECK(poll_until(r, [&] { return r.table(0).stats().rows == 6; }));
    CHECK(r.version_stats(0).reloads == 1);
    CHECK(r.version_stats(0).reload_failures == 1);
}

TEST_CASE("refresher: SIGHUP reloads every table") {
    weir::test::TempDir dir;
    weir::test::write_file(dir / "a.ndjson", rows(2));
    weir::test::write_file(dir / "b.ndjson", rows(3));
    std::vector<weir::TableSpec> specs{spec_of(dir / "a.ndjson", "a"),
                                       spec_of(dir / "b.ndjson", "b")};

    // every zero: no file checks at all; every 1 h: none before the test ends.
    // Either way only the signal can cause a reload, and the files have not
    // changed. The first run in the process builds the refresher before the
    // handler exists: with every zero it has no thread until poll() sees the
    // signal.
    weir::Duration every = weir::Duration::zero();
    SUBCASE("every zero") {}
    SUBCASE("every hour") {
        every = std::chrono::hours(1);
    }

    weir::TableRefresher r(specs, every);
    weir::TableRefresher::install_sighup_handler();
    weir::TableRefresher::install_sighup_handler(); // once per process; twice is
                                                    // harmless
    const weir::Table* a = &r.table(0);
    REQUIRE(std::raise(SIGHUP) == 0);
    CHECK(poll_until(
        r, [&] { return r.version_stats(0).reloads == 1 && r.version_stats(1).reloads == 1; }));
    CHECK(&r.table(0) != a);
    CHECK(r.table(0).stats().rows == 2);
    CHECK(r.table(1).stats().rows == 3);

    SUBCASE("a refresher built after a signal does not take it for a new one") {
        weir::TableRefresher later(specs, every);
        std::this_thread::sleep_for(200ms);
        CHECK_FALSE(later.poll());
        CHECK(later.version_stats(0).reloads == 0);
    }
}

TEST_CASE("refresher: the destructor stops the thread at once") {
    weir::test::TempDir dir;
    std::string path = dir / "products.ndjson";
    weir::test::write_file(path, rows(2));
    // A generous bound against a one-hour period: a destructor that waited for
    // the next check would hang the test, not just be slow.
    auto start = std::chrono::steady_clock::now();
    {
        weir::TableRefresher r({spec_of(path)}, std::chrono::hours(1));
        CHECK(r.table(0).stats().rows == 2);
    }
    CHECK(std::chrono::steady_clock::now() - start < 30s);

    SUBCASE("while a change is settling") {
        weir::TableRefresher r({spec_of(path)}, weir::Duration(1'000));
        replace_file(path, rows(3));
        std::this_thread::sleep_for(5ms);
    }
}
