#include "json/document.hpp"
#include "json/field_path.hpp"
#include "wire/record.hpp"
#include "json/field_resolver.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::FieldPath;
using weir::FieldResolver;
using weir::JsonDoc;

namespace {

// Resolves `paths` over `json` and checks each against lookup(), the definition.
void check_same_as_lookup(const std::string& json, const std::vector<std::string>& paths) {
    std::string padded = json + std::string(weir::record_padding, ' ');
    JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), json.size())));
    FieldResolver r;
    std::vector<std::size_t> slots;
    for (const std::string& p : paths)
        slots.push_back(r.add(FieldPath::from(p)));
    for (int round = 0; round < 2; ++round) { // a second resolve() starts afresh
        r.resolve(doc.root());
        for (std::size_t i = 0; i < paths.size(); ++i) {
            CAPTURE(paths[i]);
            weir::FieldValue want = weir::lookup(doc.root(), FieldPath::from(paths[i]));
            const weir::FieldValue& got = r[slots[i]];
            CHECK(got.kind() == want.kind());
            if (!want.is_missing()) {
                std::string a, b;
                weir::append_json_value(a, got.element());
                weir::append_json_value(b, want.element());
                CHECK(a == b);
            }
        }
    }
}

} // namespace

TEST_CASE("field_resolver: the same values as lookup()") {
    std::vector<std::string> paths = {"a", "b",   "d.e", "d.f.g", "d",
                                      "x", "x.y", "n.m", "s.t",   "d.f"};
    check_same_as_lookup(R"({"a":1,"b":"two","d":{"e":[1,2],"f":{"g":null}},"n":null,"s":"str"})",
                         paths);
    check_same_as_lookup(R"({})", paths);
    check_same_as_lookup(R"({"d":5,"a":{"b":1}})", paths);
}

TEST_CASE("field_resolver: the last member of a name wins, at every level") {
    check_same_as_lookup(R"({"a":1,"a":2,"d":{"e":1},"d":{"f":{"g":3}},"b":0,"b":"last"})",
                         {"a", "b", "d.e", "d.f.g"});
}

TEST_CASE("field_resolver: equal paths share a slot; escaped dots are one name") {
    FieldResolver r;
    std::size_t a = r.add(FieldPath::from("a.b"));
    std::size_t b = r.add(FieldPath::from("a.b"));
    std::size_t c = r.add(FieldPath::from("a\\.b"));
    CHECK(a == b);
    CHECK(a != c);
    CHECK(r.size() == 2);
    check_same_as_lookup(R"({"a.b":1,"a":{"b":2}})", {"a.b", "a\\.b"});
}

TEST_CASE("field_resolver: names longer than any wanted are skipped, equal lengths compared") {
    check_same_as_lookup(R"({"event_time":1,"event_type":2,"product_id":3,"a_very_long_name":4})",
                         {"event_type", "event_time", "product_id"});
}
