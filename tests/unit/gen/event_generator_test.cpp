#include "cli/error.hpp"
#include "gen/event_generator.hpp"
#include "time/rfc3339.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace {

std::string generate(const weir::GenConfig& cfg) {
    weir::EventGenerator gen(cfg);
    std::string out;
    while (auto line = gen.next())
        out.append(line->bytes);
    return out;
}

weir::GenConfig with_count(std::uint64_t n, std::uint64_t seed = 1) {
    weir::GenConfig cfg;
    cfg.count = n;
    cfg.seed = seed;
    return cfg;
}

std::string_view field(simdjson::dom::element e, const char* key) {
    std::string_view v;
    REQUIRE_MESSAGE(e[key].get(v) == simdjson::SUCCESS, "field ", key);
    return v;
}

} // namespace

TEST_CASE("event_generator: same seed gives the same bytes, another seed others") {
    const std::string a = generate(with_count(5000, 7));
    CHECK(a == generate(with_count(5000, 7)));
    CHECK(a != generate(with_count(5000, 8)));
    CHECK(std::count(a.begin(), a.end(), '\n') == 5000);

    SUBCASE("a shorter run is a prefix of a longer one") {
        const std::string b = generate(with_count(2000, 7));
        CHECK(a.compare(0, b.size(), b) == 0);
    }
    SUBCASE("--bytes selects a prefix of the same stream") {
        weir::GenConfig cfg;
        cfg.seed = 7;
        cfg.bytes = 100000;
        const std::string b = generate(cfg);
        CHECK(a.compare(0, b.size(), b) == 0);
    }
}

TEST_CASE("event_generator: --bytes stops at whole lines just under the size") {
    for (std::uint64_t size : {1000u, 65536u, 1000000u}) {
        weir::GenConfig cfg;
        cfg.bytes = size;
        weir::EventGenerator gen(cfg);
        std::string out;
        while (auto line = gen.next())
            out.append(line->bytes);
        CHECK(out.size() <= size);
        CHECK(out.size() > size - 400); // one line is about 285 bytes
        CHECK(out.back() == '\n');
        CHECK(gen.bytes() == out.size());
        CHECK_FALSE(gen.next()); // stays done
    }
}

TEST_CASE("event_generator: valid lines are JSON with every field, invalid ones are not") {
    weir::GenConfig cfg = with_count(100000, 3);
    weir::EventGenerator gen(cfg);
    simdjson::dom::parser parser;
    std::map<weir::LineKind, std::uint64_t> kinds;
    std::map<std::string, std::string, std::less<>> by_id; // event_id -> first line
    std::uint64_t late = 0;
    weir::Timestamp max_time = weir::no_timestamp;
    weir::Timestamp first_time = weir::no_timestamp;
    std::map<std::string, int, std::less<>> event_types, user_types, categories;

    while (auto line = gen.next()) {
        ++kinds[line->kind];
        const std::string_view text = line->bytes.substr(0, line->bytes.size() - 1);
        REQUIRE(line->bytes.back() == '\n');
        simdjson::dom::element doc;
        const auto err = parser.parse(text.data(), text.size()).get(doc);
        switch (line->kind) {
        case weir::LineKind::truncated:
        case weir::LineKind::bad_utf8:
            CHECK(err != simdjson::SUCCESS);
            continue;
        case weir::LineKind::missing_time: {
            REQUIRE(err == simdjson::SUCCESS);
            CHECK(doc["event_time"].error() == simdjson::NO_SUCH_FIELD);
            continue;
        }
        case weir::LineKind::bad_time: {
            REQUIRE(err == simdjson::SUCCESS);
            std::string_view t;
            if (doc["event_time"].get(t) == simdjson::SUCCESS)
                CHECK_FALSE(weir::parse_rfc3339(t));
            else
                CHECK(doc["event_time"].is_null());
            continue;
        }
        case weir::LineKind::duplicate: {
            REQUIRE(err == simdjson::SUCCESS);
            const auto it = by_id.find(field(doc, "event_id"));
            // The original may have been damaged (an invalid line used its number).
            if (it != by_id.end())
                CHECK(it->second == line->bytes);
            continue;
        }
        case weir::LineKind::event:
            break;
        }
        REQUIRE(err == simdjson::SUCCESS);
        const std::string_view id = field(doc, "event_id");
        CHECK(id.substr(0, 2) == "e-");
        CHECK(by_id.emplace(std::string(id), std::string(line->bytes)).second);
        const auto t = weir::parse_rfc3339(field(doc, "event_time"));
        REQUIRE(t);
        CHECK(field(doc, "event_time").size() == 24); // milliseconds, 'Z'
        if (first_time == weir::no_timestamp)
            first_time = *t;
        if (*t < max_time)
            ++late;
        else
            max_time = *t;
        CHECK(field(doc, "user_id").substr(0, 2) == "u-");
        CHECK(field(doc, "customer_id").substr(0, 2) == "c-");
        CHECK(field(doc, "product_id").substr(0, 2) == "p-");
        ++user_types[std::string(field(doc, "user_type"))];
        ++categories[std::string(field(doc, "product_category"))];
        const std::string_view type = field(doc, "event_type");
        ++event_types[std::string(type)];
        double amount = -1;
        REQUIRE(doc["amount"].get(amount) == simdjson::SUCCESS);
        if (type == "page_view" || type == "search")
            CHECK(amount == 0);
        else
            CHECK(amount > 0);
        simdjson::dom::element device;
        REQUIRE(doc["device"].get(device) == simdjson::SUCCESS);
        CHECK_FALSE(field(device, "os").empty());
        CHECK_FALSE(field(device, "browser").empty());
        CHECK_FALSE(field(device, "type").empty());
    }

    // Checked once the stream is read (SUBCASEs would read it again for each).
    const double lines = 100000;
    {
        INFO("ratios are respected");
        CHECK(kinds[weir::LineKind::duplicate] / lines == doctest::Approx(0.02).epsilon(0.15));
        const std::uint64_t invalid =
            kinds[weir::LineKind::truncated] + kinds[weir::LineKind::bad_time] +
            kinds[weir::LineKind::missing_time] + kinds[weir::LineKind::bad_utf8];
        CHECK(invalid / lines == doctest::Approx(0.01).epsilon(0.2));
        for (auto k : {weir::LineKind::truncated, weir::LineKind::bad_time,
                       weir::LineKind::missing_time, weir::LineKind::bad_utf8})
            CHECK(kinds[k] > 150);
        // A late event with a delay below the step between events goes unnoticed, so
        // slightly under 5%.
        CHECK(late / static_cast<double>(kinds[weir::LineKind::event]) ==
              doctest::Approx(0.05).epsilon(0.15));
    }
    {
        INFO("event time advances at the rate");
        // --start's default, unless the first event came late.
        CHECK(first_time <= 1704067200000000);
        CHECK(first_time >= 1704067200000000 - 5000000);
        // About 98,000 new events at 1000 per second.
        CHECK(max_time - first_time == doctest::Approx(99e6).epsilon(0.02));
    }
    {
        INFO("values cover their sets");
        CHECK(user_types.size() == 3);
        CHECK(categories.size() == 12);
        CHECK(event_types.size() == 6);
        CHECK(event_types["page_view"] > event_types["purchase"]);
    }
}

TEST_CASE("event_generator: ratios of zero give a clean, ordered stream") {
    weir::GenConfig cfg = with_count(20000);
    cfg.dup_ratio = 0;
    cfg.invalid_ratio = 0;
    cfg.ooo_ratio = 0;
    cfg.rate = 10;
    weir::EventGenerator gen(cfg);
    simdjson::dom::parser parser;
    weir::Timestamp prev = weir::no_timestamp;
    while (auto line = gen.next()) {
        REQUIRE(line->kind == weir::LineKind::event);
        simdjson::dom::element doc;
        REQUIRE(parser.parse(line->bytes.data(), line->bytes.size()).get(doc) == simdjson::SUCCESS);
        const auto t = weir::parse_rfc3339(field(doc, "event_time"));
        REQUIRE(t);
        CHECK(*t >= prev);
        prev = *t;
    }
    CHECK(gen.events() == 20000);
    // 20,000 events at 10 per second: the last one falls in the 2000th second.
    CHECK(prev / 1000000 == 1704067200 + 1999);
}

TEST_CASE("event_generator: rejects a bad configuration with a usage error") {
    weir::GenConfig cfg;
    SUBCASE("ratio above 1") {
        cfg.dup_ratio = 1.5;
    }
    SUBCASE("negative ratio") {
        cfg.ooo_ratio = -0.1;
    }
    SUBCASE("ratios adding up past 1") {
        cfg.dup_ratio = 0.6;
        cfg.invalid_ratio = 0.6;
    }
    SUBCASE("zero rate") {
        cfg.rate = 0;
    }
    SUBCASE("no users") {
        cfg.users = 0;
    }
    SUBCASE("negative delay") {
        cfg.max_delay = weir::Duration(-1);
    }
    try {
        weir::EventGenerator gen(cfg);
        FAIL("no error");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
    }
}

TEST_CASE("event_generator: a single user still works") {
    weir::GenConfig cfg = with_count(100);
    cfg.users = 1;
    const std::string out = generate(cfg);
    CHECK(out.find("\"user_id\":\"u-000000\"") != std::string::npos);
    CHECK(out.find("\"user_id\":\"u-000001\"") == std::string::npos);
}
