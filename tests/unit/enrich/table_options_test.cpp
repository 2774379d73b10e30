// Grouping weir-enrich's table flags into joins (enrich/table_options.hpp).

#include "../error_of.hpp"
#include "enrich/table_options.hpp"

#include <doctest/doctest.h>

using weir::group_table_options;
using weir::test::error_of;
using Flags = std::vector<std::pair<std::string, std::string>>;

namespace {

std::string keys(const std::vector<weir::FieldPath>& ps) {
    std::string s;
    for (const auto& p : ps)
        s += (s.empty() ? "" : ",") + p.text();
    return s;
}

} // namespace

TEST_CASE("table options: each --table takes the flags after it") {
    auto joins = group_table_options({{"--table", "dir/products.ndjson.gz"},
                                      {"--on", "product_id=id"},
                                      {"--select", "name=product_name,price,stock.warehouse"},
                                      {"--table", "c=customers.csv"},
                                      {"--on", "customer_id,region=id,region"},
                                      {"--prefix", "c_"}});
    REQUIRE(joins.size() == 2);
    CHECK(joins[0].table.name == "products");
    CHECK(joins[0].table.path == "dir/products.ndjson.gz");
    CHECK(keys(joins[0].stream_keys) == "product_id");
    CHECK(keys(joins[0].table.table_keys) == "id");
    REQUIRE(joins[0].table.columns.size() == 3);
    CHECK(joins[0].table.columns[0].name == "product_name");
    CHECK(joins[0].table.columns[1].name == "price");
    CHECK(joins[0].table.columns[2].field.text() == "stock.warehouse");
    CHECK(joins[0].table.columns[2].name == "warehouse");
    CHECK(joins[1].table.name == "c");
    CHECK(joins[1].table.path == "customers.csv");
    CHECK(keys(joins[1].stream_keys) == "customer_id,region");
    CHECK(keys(joins[1].table.table_keys) == "id,region");
    CHECK(joins[1].table.prefix == "c_");
    CHECK(joins[1].table.columns.empty()); // every column, prefixed, chosen at load
}

TEST_CASE("table options: NAME: addresses a table wherever the flag stands") {
    auto joins = group_table_options({{"--table", "a=x.ndjson"},
                                      {"--table", "b=y.csv"},
                                      {"--on", "a:k"},
                                      {"--select", "a:v"},
                                      {"--on", "b:j=id"},
                                      {"--prefix", "b:b_"},
                                      {"--select", "b:w"}});
    REQUIRE(joins.size() == 2);
    CHECK(keys(joins[0].stream_keys) == "k");
    CHECK(keys(joins[0].table.table_keys) == "k");
    CHECK(joins[0].table.columns.at(0).name == "v");
    CHECK(keys(joins[1].stream_keys) == "j");
    CHECK(joins[1].table.columns.at(0).name == "b_w"); // the prefix names default names
}

TEST_CASE("table options: mistakes") {
    auto err = [](const Flags& f) {
        return std::string(error_of([&] { group_table_options(f); }).what());
    };
    CHECK(err({{"--on", "id"}}) == "--on 'id': give --table FILE first, or NAME:...");
    CHECK(err({{"--table", "t.ndjson"}}) ==
          "--table 't.ndjson' needs --on STREAM_FIELD=TABLE_FIELD");
    CHECK(err({{"--table", "t.ndjson"}, {"--on", "a,b=id"}}) ==
          "--on 'a,b=id': 2 stream key fields but 1 table key fields");
    CHECK(err({{"--table", "t.ndjson"}, {"--on", "a"}, {"--on", "b"}}) ==
          "--on 'b': table 't' has its --on already");
    CHECK(err({{"--table", "t.ndjson"}, {"--on", "a..b"}}) ==
          "--on 'a..b': field path 'a..b': empty segment");
    CHECK(err({{"--table", "t.ndjson"}, {"--on", "a"}, {"--select", "x="}}) ==
          "--select 'x=': expected COL[=NAME],...");
    CHECK(err({{"--table", "t.ndjson"}, {"--table", "d/t.csv"}}) ==
          "--table 'd/t.csv': a table named 't' is given already (name them: --table "
          "NAME=FILE)");
}
