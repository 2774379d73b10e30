#include "../compress.hpp"
#include "../error_of.hpp"
#include "../io/temp_dir.hpp"
#include "enrich/key.hpp"
#include "enrich/table.hpp"
#include "json/document.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using weir::FieldPath;
using weir::Table;
using weir::TableColumn;
using weir::TableSpec;
using weir::test::error_of;
using weir::test::TempDir;
using weir::test::write_file;

using weir::test::gzip;
using weir::test::zstd;

namespace {

TableSpec spec_of(const std::string& path, const std::vector<std::string>& keys) {
    TableSpec s;
    s.name = "t";
    s.path = path;
    for (const std::string& k : keys)
        s.table_keys.push_back(FieldPath::from(k));
    return s;
}

// The encoded key of the members `paths` of the object `json`, as a stream record's
// would be.
std::string key(const std::string& json, const std::vector<std::string>& paths,
                bool loose = false) {
    std::string padded = json + std::string(weir::record_padding, ' ');
    weir::JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), json.size())));
    std::vector<weir::FieldValue> parts;
    for (const std::string& p : paths)
        parts.push_back(weir::lookup(doc.root(), FieldPath::from(p)));
    std::string out;
    REQUIRE(weir::encode_key(parts.data(), parts.size(), loose, out) == weir::KeyResult::ok);
    return out;
}

// A one-field key: {"k": value}.
std::string key1(const std::string& value, bool loose = false) {
    return key(R"({"k":)" + value + "}", {"k"}, loose);
}

// A row's members as one object, for comparing.
std::string row_json(const Table& t, std::int64_t row) {
    std::string s = "{";
    for (std::size_t c = 0; c < t.columns(); ++c) {
        if (c > 0)
            s += ',';
        s += row < 0 ? t.null_member(c) : t.member(row, c);
    }
    return s + "}";
}

std::string lookup_json(const Table& t, const std::string& k) {
    std::int64_t row = t.find(k);
    return row < 0 ? "none" : row_json(t, row);
}

std::vector<std::string> names(const Table& t) {
    std::vector<std::string> v;
    for (std::size_t c = 0; c < t.columns(); ++c)
        v.push_back(t.column_name(c));
    return v;
}

const std::string products = R"({"id":1,"name":"apple","price":1.5}
{"id":2,"name":"pear","price":2}
{"id":"3","name":"plum \"red\"","price":null}
)";

} // namespace

TEST_CASE("table: NDJSON with default columns") {
    TempDir dir;
    write_file(dir / "products.ndjson", products);
    auto t = Table::load(spec_of(dir / "products.ndjson", {"id"}));

    CHECK(names(*t) == std::vector<std::string>{"name", "price"});
    CHECK(lookup_json(*t, key1("1")) == R"({"name":"apple","price":1.5})");
    CHECK(lookup_json(*t, key1("2.0")) == R"({"name":"pear","price":2})");
    CHECK(lookup_json(*t, key1(R"("3")")) == R"({"name":"plum \"red\"","price":null})");
    CHECK(t->find(key1("3")) == -1); // a string key is not a number
    CHECK(t->find(key1("4")) == -1);
    CHECK(row_json(*t, -1) == R"({"name":null,"price":null})");
    CHECK(t->stats().rows == 3);
    CHECK(t->stats().duplicates == 0);
    CHECK(t->stats().keyless == 0);
    CHECK(t->stats().fingerprint == XXH64(products.data(), products.size(), 0));
    CHECK(t->stats().bytes > 0);
    CHECK(t->spec().name == "t");

    SUBCASE("a prefix names the default columns") {
        TableSpec s = spec_of(dir / "products.ndjson", {"id"});
        s.prefix = "product_";
        auto p = Table::load(s);
        CHECK(names(*p) == std::vector<std::string>{"product_name", "product_price"});
        CHECK(lookup_json(*p, key1("1")) == R"({"product_name":"apple","product_price":1.5})");
    }
    SUBCASE("loose keys: the number 3 finds the string \"3\"") {
        TableSpec s = spec_of(dir / "products.ndjson", {"id"});
        s.loose_keys = true;
        auto p = Table::load(s);
        CHECK(lookup_json(*p, key1("3", true)) == R"({"name":"plum \"red\"","price":null})");
        CHECK(lookup_json(*p, key1(R"("1")", true)) == R"({"name":"apple","price":1.5})");
    }
    SUBCASE("the fingerprint follows the content") {
        write_file(dir / "other.ndjson", products + R"({"id":4})"
                                                    "\n");
        auto p = Table::load(spec_of(dir / "other.ndjson", {"id"}));
        CHECK(p->stats().fingerprint != t->stats().fingerprint);
    }
}

TEST_CASE("table: default columns come from the first row only, without one-segment keys") {
    TempDir dir;
    write_file(dir / "t.ndjson", R"({"a":{"b":1},"c":"x","a.b":"dotted","c":"y"}
{"a":{"b":2},"c":"z","d":"not in the first row"}
)");
    SUBCASE("a nested key does not hide its top-level member") {
        auto t = Table::load(spec_of(dir / "t.ndjson", {"a.b"}));
        // "c" repeats in the first row: one column, the last member's value (as lookup).
        CHECK(names(*t) == std::vector<std::string>{"a", "c", "a.b"});
        CHECK(lookup_json(*t, key1("1")) == R"({"a":{"b":1},"c":"y","a.b":"dotted"})");
        CHECK(lookup_json(*t, key1("2")) == R"({"a":{"b":2},"c":"z","a.b":null})");
    }
    SUBCASE("a one-segment key is left out") {
        auto t = Table::load(spec_of(dir / "t.ndjson", {"c"}));
        CHECK(names(*t) == std::vector<std::string>{"a", "a.b"});
        CHECK(lookup_json(*t, key1(R"("z")")) == R"({"a":{"b":2},"a.b":null})");
    }
}

TEST_CASE("table: explicit columns, renamed, nested, missing") {
    TempDir dir;
    write_file(dir / "t.ndjson", R"({"id":1,"info":{"color":"red","size":{"w":3}},"price":5}
{"id":2,"price":7}
{"id":3,"info":"flat","price":[1,2]}
)");
    TableSpec s = spec_of(dir / "t.ndjson", {"id"});
    s.prefix = "ignored_";
    s.columns = {TableColumn{FieldPath::from("info.color"), "color"},
                 TableColumn{FieldPath::from("info.size"), "size"},
                 TableColumn{FieldPath::from("price"), "cost \"usd\""},
                 TableColumn{FieldPath::from("id"), "table_id"}};
    auto t = Table::load(s);
    CHECK(names(*t) == std::vector<std::string>{"color", "size", "cost \"usd\"", "table_id"});
    CHECK(lookup_json(*t, key1("1")) ==
          R"({"color":"red","size":{"w":3},"cost \"usd\"":5,"table_id":1})");
    CHECK(lookup_json(*t, key1("2")) ==
          R"({"color":null,"size":null,"cost \"usd\"":7,"table_id":2})");
    CHECK(lookup_json(*t, key1("3")) ==
          R"({"color":null,"size":null,"cost \"usd\"":[1,2],"table_id":3})");
    CHECK(t->null_member(2) == R"("cost \"usd\"":null)");
}

TEST_CASE("table: CSV by name, with the header as default columns") {
    TempDir dir;
    std::string csv = "sku,name,price\nA1,apple,1.5\n\"007\",bond,7\n42,answer,\n";
    write_file(dir / "p.csv", csv);
    auto t = Table::load(spec_of(dir / "p.csv", {"sku"}));
    CHECK(names(*t) == std::vector<std::string>{"name", "price"});
    CHECK(lookup_json(*t, key1(R"("A1")")) == R"({"name":"apple","price":1.5})");
    CHECK(lookup_json(*t, key1(R"("007")")) == R"({"name":"bond","price":7})");
    CHECK(lookup_json(*t, key1("42")) == R"({"name":"answer","price":""})"); // CSV number
    CHECK(t->stats().rows == 3);
    CHECK(t->stats().fingerprint == XXH64(csv.data(), csv.size(), 0));

    SUBCASE("a header without rows still names the columns") {
        write_file(dir / "empty.CSV", "sku,name,price\n");
        auto e = Table::load(spec_of(dir / "empty.CSV", {"sku"}));
        CHECK(names(*e) == std::vector<std::string>{"name", "price"});
        CHECK(e->stats().rows == 0);
        CHECK(e->find(key1(R"("A1")")) == -1);
    }
    SUBCASE("an empty NDJSON file has no rows and no default columns") {
        write_file(dir / "empty.ndjson", "");
        auto e = Table::load(spec_of(dir / "empty.ndjson", {"sku"}));
        CHECK(e->columns() == 0);
        CHECK(e->stats().rows == 0);
    }
    SUBCASE("a bad row is an error naming its line") {
        write_file(dir / "bad.csv", "sku,name\nA1,apple\nB2,pear,extra\n");
        weir::Error e = error_of([&] { Table::load(spec_of(dir / "bad.csv", {"sku"})); });
        CHECK(e.code() == weir::Exit::data);
        CHECK(std::string(e.what()).rfind(dir / "bad.csv:3: ", 0) == 0);
    }
}

TEST_CASE("table: compressed files, gzip and zstd") {
    TempDir dir;
    write_file(dir / "p.ndjson.gz", gzip(products));
    auto g = Table::load(spec_of(dir / "p.ndjson.gz", {"id"}));
    CHECK(lookup_json(*g, key1("1")) == R"({"name":"apple","price":1.5})");
    CHECK(g->stats().rows == 3);
    // The fingerprint is of the decompressed bytes.
    CHECK(g->stats().fingerprint == XXH64(products.data(), products.size(), 0));

    std::string csv = "sku,name\nA1,apple\nB2,pear\n";
    write_file(dir / "p.csv.zst", zstd(csv));
    auto z = Table::load(spec_of(dir / "p.csv.zst", {"sku"}));
    CHECK(lookup_json(*z, key1(R"("B2")")) == R"({"name":"pear"})");

    write_file(dir / "p.csv.gz", gzip(csv));
    auto cg = Table::load(spec_of(dir / "p.csv.gz", {"sku"}));
    CHECK(lookup_json(*cg, key1(R"("A1")")) == R"({"name":"apple"})");
    CHECK(cg->stats().fingerprint == z->stats().fingerprint);
}

TEST_CASE("table: composite keys") {
    TempDir dir;
    write_file(dir / "t.ndjson", R"({"region":"eu","id":1,"v":"eu-1"}
{"region":"us","id":1,"v":"us-1"}
{"region":"eu","id":2,"v":"eu-2"}
{"region":"e","id":"u1","v":"e-u1"}
)");
    auto t = Table::load(spec_of(dir / "t.ndjson", {"region", "id"}));
    CHECK(names(*t) == std::vector<std::string>{"v"});
    auto k = [](const std::string& json) {
        return key(json, {"r", "i"});
    };
    CHECK(lookup_json(*t, k(R"({"r":"eu","i":1})")) == R"({"v":"eu-1"})");
    CHECK(lookup_json(*t, k(R"({"r":"us","i":1.0})")) == R"({"v":"us-1"})");
    CHECK(lookup_json(*t, k(R"({"r":"eu","i":2})")) == R"({"v":"eu-2"})");
    CHECK(lookup_json(*t, k(R"({"r":"e","i":"u1"})")) == R"({"v":"e-u1"})");
    CHECK(t->find(k(R"({"r":"us","i":2})")) == -1);
    CHECK(t->find(k(R"({"r":"eu","i":"1"})")) == -1);
    CHECK(t->stats().rows == 4);
}

TEST_CASE("table: a repeated key keeps its last row") {
    TempDir dir;
    write_file(dir / "t.ndjson", R"({"id":1,"v":"first"}
{"id":2,"v":"two"}
{"id":1.0,"v":"second"}
{"id":1,"v":"third"}
)");
    auto t = Table::load(spec_of(dir / "t.ndjson", {"id"}));
    CHECK(lookup_json(*t, key1("1")) == R"({"v":"third"})");
    CHECK(lookup_json(*t, key1("2")) == R"({"v":"two"})");
    CHECK(t->stats().rows == 2);
    CHECK(t->stats().duplicates == 2);

    SUBCASE("an error with strict_duplicates") {
        TableSpec s = spec_of(dir / "t.ndjson", {"id"});
        s.strict_duplicates = true;
        weir::Error e = error_of([&] { Table::load(s); });
        CHECK(e.code() == weir::Exit::data);
        CHECK(std::string(e.what()) == dir / "t.ndjson:3: duplicate key id=1.0");
    }
    SUBCASE("composite keys are named in the message") {
        write_file(dir / "c.ndjson", R"({"a":"x","b":{"c":2}}
{"a":"x","b":{"c":2}}
)");
        TableSpec s = spec_of(dir / "c.ndjson", {"a", "b.c"});
        s.strict_duplicates = true;
        weir::Error e = error_of([&] { Table::load(s); });
        CHECK(std::string(e.what()) == dir / "c.ndjson:2: duplicate key a=\"x\", b.c=2");
    }
}

TEST_CASE("table: rows without a usable key are skipped and counted") {
    TempDir dir;
    write_file(dir / "t.ndjson", R"({"v":"no id"}
{"id":null,"v":"null id"}
{"id":{"x":1},"v":"object id"}
{"id":[1],"v":"array id"}
{"id":5,"v":"ok"}
)");
    auto t = Table::load(spec_of(dir / "t.ndjson", {"id"}));
    CHECK(t->stats().keyless == 4);
    CHECK(t->stats().rows == 1);
    // The first row gives the default columns even though it has no key.
    CHECK(names(*t) == std::vector<std::string>{"v"});
    CHECK(lookup_json(*t, key1("5")) == R"({"v":"ok"})");
}

TEST_CASE("table: errors") {
    TempDir dir;
    SUBCASE("a malformed line names file and line") {
        write_file(dir / "t.ndjson", "{\"id\":1}\n\n{\"id\":2,\"v\":\"unclosed}\n{\"id\":3}\n");
        weir::Error e = error_of([&] { Table::load(spec_of(dir / "t.ndjson", {"id"})); });
        CHECK(e.code() == weir::Exit::data);
        std::string msg = e.what();
        CHECK(msg.rfind(dir / "t.ndjson:3: invalid JSON", 0) == 0);
    }
    SUBCASE("a line that is not an object") {
        write_file(dir / "t.ndjson", "{\"id\":1}\n[1,2]\n");
        weir::Error e = error_of([&] { Table::load(spec_of(dir / "t.ndjson", {"id"})); });
        CHECK(e.code() == weir::Exit::data);
        CHECK(std::string(e.what()).rfind(dir / "t.ndjson:2: ", 0) == 0);
    }
    SUBCASE("a missing file") {
        weir::Error e = error_of([&] { Table::load(spec_of(dir / "nope.ndjson", {"id"})); });
        CHECK(e.code() == weir::Exit::no_input);
    }
    SUBCASE("a table beyond max_bytes") {
        std::string rows;
        for (int i = 0; i < 1000; ++i)
            rows += R"({"id":)" + std::to_string(i) +
                    R"(,"v":"some text to fill the arena"})"
                    "\n";
        write_file(dir / "big.ndjson", rows);
        TableSpec s = spec_of(dir / "big.ndjson", {"id"});
        s.max_bytes = 20000;
        weir::Error e = error_of([&] { Table::load(s); });
        CHECK(e.code() == weir::Exit::data);
        CHECK(std::string(e.what()) ==
              dir / "big.ndjson: table larger than --max-table-bytes (20000 bytes)");
        s.max_bytes = 1 << 20;
        auto t = Table::load(s);
        CHECK(t->stats().rows == 1000);
        CHECK(t->stats().bytes <= s.max_bytes);
    }
}

TEST_CASE("table: 100k rows load quickly, all found, memory near the selected bytes") {
    TempDir dir;
    constexpr int n = 100000;
    std::string rows;
    for (int i = 0; i < n; ++i)
        rows += R"({"id":)" + std::to_string(i) + R"(,"name":"product-)" + std::to_string(i) +
                R"(","price":)" + std::to_string(i) + R"(.5,"cat":"c)" + std::to_string(i % 10) +
                R"(","skip":"not selected, not stored, padding padding"})"
                "\n";
    write_file(dir / "big.ndjson", rows);
    TableSpec s = spec_of(dir / "big.ndjson", {"id"});
    s.columns = {TableColumn{FieldPath::from("name"), "name"},
                 TableColumn{FieldPath::from("price"), "price"},
                 TableColumn{FieldPath::from("cat"), "cat"}};

    auto start = std::chrono::steady_clock::now();
    auto t = Table::load(s);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(secs < 10.0); // well under a second optimised; generous for sanitizer builds
    REQUIRE(t->stats().rows == n);

    std::uint64_t selected = 0;
    std::string k;
    bool all_found = true;
    bool all_right = true;
    for (int i = 0; i < n; ++i) {
        k = "n" + std::to_string(i); // key.hpp's layout of a one-part number key
        std::int64_t row = t->find(k);
        if (row < 0) {
            all_found = false;
            continue;
        }
        selected += k.size();
        for (std::size_t c = 0; c < t->columns(); ++c)
            selected += t->member(row, c).size();
        if (i % 997 == 0)
            all_right = all_right && row_json(*t, row) == R"({"name":"product-)" +
                                                              std::to_string(i) + R"(","price":)" +
                                                              std::to_string(i) + R"(.5,"cat":"c)" +
                                                              std::to_string(i % 10) + R"("})";
    }
    CHECK(all_found);
    CHECK(all_right);
    CHECK(t->find("n100000") == -1);
    CHECK(t->find("s1") == -1);
    MESSAGE("100k rows: ", t->stats().bytes, " bytes held, ", selected, " selected, ", secs, " s");
    CHECK(t->stats().bytes < 2 * selected + 48 * std::uint64_t{n});
}
