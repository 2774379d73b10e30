#include "../error_of.hpp"
#include "../fake_context.hpp"
#include "fanout/path_template.hpp"
#include "json/document.hpp"
#include "time/rfc3339.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::PathTemplate;
using weir::test::Input;

namespace {

std::string render(std::string_view tmpl, std::string_view json) {
    PathTemplate t = PathTemplate::parse(tmpl, "--to");
    Input in(json);
    weir::JsonDoc doc;
    REQUIRE(doc.parse(in.rec.json));
    std::string out = "stale";
    t.render(doc.root(), out);
    return out;
}

std::string escaped(std::string_view value) {
    std::string out;
    weir::append_path_value(out, value);
    return out;
}

} // namespace

TEST_CASE("fanout path template: fields and literal text") {
    CHECK(render("out/type={event_type}/part.ndjson", R"({"event_type":"click"})") ==
          "out/type=click/part.ndjson");
    CHECK(render("{a}-{b.c}.ndjson", R"({"a":1,"b":{"c":true}})") == "1-true.ndjson");
    CHECK(render("x/{{literal}}.ndjson", R"({})") == "x/{literal}.ndjson");
    CHECK(render("{f}.ndjson", R"({"f":2.5})") == "2.5.ndjson");
}

TEST_CASE("fanout path template: missing, null and empty give Hive's default partition") {
    CHECK(render("t={x}/p", R"({})") == "t=__HIVE_DEFAULT_PARTITION__/p");
    CHECK(render("t={x}/p", R"({"x":null})") == "t=__HIVE_DEFAULT_PARTITION__/p");
    CHECK(render("t={x}/p", R"({"x":""})") == "t=__HIVE_DEFAULT_PARTITION__/p");
}

TEST_CASE("fanout path template: time formats") {
    CHECK(render("date={event_time:%Y-%m-%d}/h={event_time:%H}",
                 R"({"event_time":"2024-03-01T13:45:10+02:00"})") == "date=2024-03-01/h=11");
    CHECK(render("{t:%Y/%m/%d %H:%M:%S %j %%}", R"({"t":0})") == "1970/01/01 00:00:00 001 %");
    CHECK(render("{t:%Y}", R"({"t":"yesterday"})") == "__HIVE_DEFAULT_PARTITION__");
    CHECK(render("{t:%Y-%m-%d}", R"({"t":"1969-12-31T23:59:59.5Z"})") == "1969-12-31");
}

TEST_CASE("fanout path template: values are sanitised for paths") {
    CHECK(escaped("a/b") == "a%2Fb");
    CHECK(escaped("..") == "%2E.");
    CHECK(escaped(".hidden") == "%2Ehidden");
    CHECK(escaped("a.b") == "a.b");
    CHECK(escaped("k=v:w?*") == "k%3Dv%3Aw%3F%2A");
    CHECK(escaped(std::string("a\nb\x7f", 4)) == "a%0Ab%7F");
    CHECK(escaped("100%") == "100%25");
    CHECK(escaped("caf\xc3\xa9 au lait") == "caf\xc3\xa9 au lait");
    CHECK(render("{x}", R"({"x":"../../etc/passwd"})") == "%2E.%2F..%2Fetc%2Fpasswd");
    CHECK(render("{x}", R"({"x":{"a":[1]}})") == "%7B%22a%22%3A%5B1%5D}");
}

TEST_CASE("fanout path template: long values are cut and made distinct by a hash") {
    std::string a(300, 'a');
    std::string b = a;
    b.back() = 'b';
    std::string ea = escaped(a);
    std::string eb = escaped(b);
    CHECK(ea.size() == 180 + 1 + 16);
    CHECK(ea.substr(0, 180) == std::string(180, 'a'));
    CHECK(ea != eb);
    CHECK(escaped(std::string(200, 'x')) == std::string(200, 'x'));
}

TEST_CASE("fanout path template: static templates and errors") {
    PathTemplate s = PathTemplate::parse("out/all.ndjson", "--to");
    CHECK(s.is_static());
    CHECK(s.literal_prefix() == "out/all.ndjson");
    PathTemplate t = PathTemplate::parse("out/{a}/{b}.ndjson", "--to");
    CHECK(!t.is_static());
    CHECK(t.fields().size() == 2);
    CHECK(t.literal_prefix() == "out/");
    using weir::test::error_of;
    CHECK(error_of([] { PathTemplate::parse("out/{a", "--to x"); }).code() == weir::Exit::usage);
    CHECK(error_of([] { PathTemplate::parse("out/a}", "--to x"); }).code() == weir::Exit::usage);
    CHECK(error_of([] { PathTemplate::parse("out/{}", "--to x"); }).code() == weir::Exit::usage);
    std::string msg = error_of([] { PathTemplate::parse("{t:%Q}", "--to x"); }).what();
    CHECK(msg.find("%Q") != std::string::npos);
}
