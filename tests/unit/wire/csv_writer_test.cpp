#include "cli/error.hpp"
#include "io/memory_source.hpp"
#include "io/output_file.hpp"
#include "wire/csv_reader.hpp"
#include "wire/csv_writer.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using weir::CsvWriter;
using weir::FieldPath;
using weir::OutputFile;

namespace {

// A file in a scratch directory, removed at the end of the test.
struct TempFile {
    TempFile() {
        static int n = 0;
        path = std::filesystem::temp_directory_path() /
               ("weir-csv-writer-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    }

    ~TempFile() { std::filesystem::remove(path); }

    std::string read() const {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    std::filesystem::path path;
};

std::vector<FieldPath> columns(std::initializer_list<std::string_view> names) {
    std::vector<FieldPath> out;
    for (std::string_view n : names)
        out.push_back(FieldPath::from(n));
    return out;
}

// Writes `records` through a CsvWriter and returns the file's bytes.
std::string write_csv(std::vector<FieldPath> cols, const std::vector<std::string>& records,
                      OutputFile::Mode mode = OutputFile::Mode::truncate,
                      const TempFile* reuse = nullptr) {
    TempFile tmp;
    const TempFile& file = reuse != nullptr ? *reuse : tmp;
    auto out = OutputFile::open(file.path.string(), mode);
    CsvWriter w(*out, std::move(cols));
    for (const std::string& json : records) {
        std::string padded = json + std::string(weir::record_padding, '\0');
        w.write(weir::Record{std::string_view(padded.data(), json.size())});
    }
    w.barrier(1);
    w.watermark(0);
    w.end();
    return file.read();
}

} // namespace

TEST_CASE("csv_writer: header and one row per record") {
    std::string csv = write_csv(columns({"id", "device.os", "score"}),
                                {R"({"id":1,"device":{"os":"linux"},"score":2.5})",
                                 R"({"score":-3,"id":2,"device":{"os":"mac os"}})"});
    CHECK(csv == "id,device.os,score\n1,linux,2.5\n2,mac os,-3\n");
}

TEST_CASE("csv_writer: value kinds") {
    std::string csv =
        write_csv(columns({"s", "n", "m", "b", "o", "a", "f"}),
                  {R"({"s":"plain","n":null,"b":true,"o":{"k":"v","x":1},"a":[1, 2],"f":1.0})"});
    CHECK(csv == "s,n,m,b,o,a,f\nplain,,,true,\"{\"\"k\"\":\"\"v\"\",\"\"x\"\":1}\",\"[1,2]\","
                 "1.0\n");
}

TEST_CASE("csv_writer: quoting strings") {
    auto cell = [](std::string json_string) {
        std::string csv = write_csv(columns({"v"}), {R"({"v":)" + json_string + "}"});
        REQUIRE(csv.substr(0, 2) == "v\n");
        return csv.substr(2, csv.size() - 3);
    };
    CHECK(cell(R"("a,b")") == "\"a,b\"");
    CHECK(cell(R"("say \"hi\"")") == "\"say \"\"hi\"\"\"");
    CHECK(cell(R"("two\nlines")") == "\"two\nlines\"");
    CHECK(cell(R"("cr\r")") == "\"cr\r\"");
    CHECK(cell(R"("")") == "\"\"");
    CHECK(cell(R"(" pad")") == "\" pad\"");
    CHECK(cell(R"("42")") == "\"42\""); // would read back as a number
    CHECK(cell(R"("007")") == "007");
    CHECK(cell(R"("caf\u00e9")") == "caf\xC3\xA9");
}

TEST_CASE("csv_writer: header without records, and none when resuming") {
    CHECK(write_csv(columns({"a", "b,c"}), {}) == "a,\"b,c\"\n");
    TempFile file;
    { std::ofstream(file.path) << "a\n1\n"; }
    CHECK(write_csv(columns({"a"}), {R"({"a":2})"}, OutputFile::Mode::keep, &file) == "a\n1\n2\n");
}

TEST_CASE("csv_writer: no columns is a usage error") {
    TempFile file;
    auto out = OutputFile::open(file.path.string(), OutputFile::Mode::truncate);
    CHECK_THROWS_AS(CsvWriter(*out, {}), weir::Error);
}

TEST_CASE("csv_writer: round trip through csv_reader") {
    std::vector<std::string> in = {
        R"({"id":1,"name":"ann","note":"a, \"quoted\"\nnote","n":-2.5,"z":"0042","e":""})",
        R"({"id":2,"name":"b\u00f6b","note":"","n":1e-3,"z":"42","e":null})",
        R"({"id":18446744073709551615,"name":" x ","note":"\r\n","n":7,"z":"true","e":""})",
    };
    std::string csv = write_csv(columns({"id", "name", "note", "n", "z", "e"}), in);
    weir::CsvOptions opts;
    opts.empty_as_null = true;
    weir::CsvReader reader(std::make_unique<weir::MemorySource>(csv), "rt.csv", opts);
    weir::InputEvent ev;
    std::vector<std::string> out;
    while (reader.next(ev) != weir::InputKind::end) {
        REQUIRE(ev.kind == weir::InputKind::record);
        out.emplace_back(ev.record.json);
    }
    CHECK(out ==
          std::vector<std::string>{
              R"({"id":1,"name":"ann","note":"a, \"quoted\"\nnote","n":-2.5,"z":"0042","e":""})",
              "{\"id\":2,\"name\":\"b\xC3\xB6"
              R"(b","note":"","n":0.001,"z":"42","e":null})",
              R"({"id":18446744073709551615,"name":" x ","note":"\r\n","n":7,"z":"true","e":""})",
          });
}
