#include "../checkpoint/tmp_dir.hpp"
#include "../error_of.hpp"
#include "../fake_context.hpp"
#include "fanout/fanout_op.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using weir::DestSpec;
using weir::FanoutConfig;
using weir::FanoutOp;
using weir::test::FakeContext;
using weir::test::Input;
using weir::test::TempDir;

namespace {

DestSpec dest(DestSpec::Kind kind, std::string target, std::string route = "") {
    DestSpec d;
    d.kind = kind;
    d.target = std::move(target);
    d.route = std::move(route);
    return d;
}

void feed(FanoutOp& op, FakeContext& ctx, const std::vector<std::string>& records) {
    for (const std::string& r : records) {
        Input in(r);
        op.process(in.rec, ctx);
    }
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Every regular file under dir (relative path -> contents).
std::map<std::string, std::string> tree(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            out[std::filesystem::relative(e.path(), dir).string()] = slurp(e.path().string());
    return out;
}

std::vector<std::string> records(int n) {
    std::vector<std::string> out;
    const char* types[] = {"click", "view", "purchase"};
    for (int i = 0; i < n; ++i)
        out.push_back(fmt::format(R"({{"id":{},"type":"{}","event_time":"2024-03-0{}T00:00:00Z"}})",
                                  i, types[i % 3], 1 + i % 4));
    return out;
}

} // namespace

TEST_CASE("fanout: routes, --else and stdout; unrouted records are counted as filtered") {
    TempDir dir;
    FanoutConfig cfg;
    cfg.dests.push_back(dest(DestSpec::Kind::route, dir / "buy.ndjson", R"(type == "purchase")"));
    cfg.dests.push_back(dest(DestSpec::Kind::route, dir / "odd.ndjson", "id % 2 == 1"));
    cfg.dests.push_back(dest(DestSpec::Kind::otherwise, "-"));
    FanoutOp op(cfg);
    FakeContext ctx;
    feed(op, ctx, records(6));
    op.finish(ctx);
    op.sync_files();
    auto t = tree(dir.path);
    CHECK(t["buy.ndjson"] == records(6)[2] + "\n" + records(6)[5] + "\n");
    CHECK(t["odd.ndjson"] == records(6)[1] + "\n" + records(6)[3] + "\n" + records(6)[5] + "\n");
    REQUIRE(ctx.out.size() == 2); // ids 0 and 4 matched no route
    CHECK(ctx.out[0].json == records(6)[0]);
    CHECK(ctx.out[1].json == records(6)[4]);

    FanoutConfig only;
    only.dests.push_back(dest(DestSpec::Kind::route, dir / "none.ndjson", "false"));
    FanoutOp op2(only);
    FakeContext ctx2;
    feed(op2, ctx2, records(3));
    CHECK(ctx2.run.rejected(weir::Channel::filtered) == 3);
}

TEST_CASE("fanout: path templates with more partitions than open files") {
    TempDir dir;
    FanoutConfig cfg;
    cfg.max_open = 2;
    cfg.dests.push_back(dest(DestSpec::Kind::to, dir / "type={type}/d={event_time:%d}.ndjson"));
    FanoutOp op(cfg);
    FakeContext ctx;
    auto recs = records(40);
    feed(op, ctx, recs);
    op.finish(ctx);
    op.sync_files();
    auto t = tree(dir.path);
    CHECK(t.size() == 12);
    std::string want;
    for (std::size_t i = 1; i < recs.size(); i += 12)
        want += recs[i] + "\n";
    CHECK(t["type=view/d=02.ndjson"] == want);
}

TEST_CASE("fanout: rotation by size names files in order and completes them") {
    TempDir dir;
    FanoutConfig cfg;
    DestSpec d = dest(DestSpec::Kind::to, dir / "out/part.ndjson");
    d.rotate_size = "150"; // two records of ~60 bytes per file
    cfg.dests.push_back(d);
    FanoutOp op(cfg);
    FakeContext ctx;
    auto recs = records(5);
    feed(op, ctx, recs);
    CHECK(std::filesystem::exists(dir / "out/.part-000003.ndjson.inprogress"));
    CHECK(!std::filesystem::exists(dir / "out/part-000003.ndjson"));
    op.finish(ctx);
    op.sync_files();
    auto t = tree(dir.path);
    REQUIRE(t.size() == 3);
    CHECK(t["out/part-000001.ndjson"] == recs[0] + "\n" + recs[1] + "\n");
    CHECK(t["out/part-000002.ndjson"] == recs[2] + "\n" + recs[3] + "\n");
    CHECK(t["out/part-000003.ndjson"] == recs[4] + "\n");
}

TEST_CASE("fanout: restore cuts files back to the checkpoint and removes later rotations") {
    auto recs = records(30);
    auto config = [](const TempDir& dir) {
        FanoutConfig cfg;
        cfg.max_open = 3;
        DestSpec d = dest(DestSpec::Kind::to, dir / "t={type}/part.ndjson");
        d.rotate_size = "200";
        cfg.dests.push_back(d);
        cfg.dests.push_back(dest(DestSpec::Kind::to, dir / "all.ndjson"));
        return cfg;
    };

    // Uninterrupted.
    TempDir want_dir;
    {
        FanoutOp op(config(want_dir));
        FakeContext ctx;
        feed(op, ctx, recs);
        op.finish(ctx);
        op.sync_files();
    }
    auto want = tree(want_dir.path);
    CHECK(want.size() > 6);

    // Checkpoint after 10 records, crash after 25, restore, replay from 10.
    TempDir dir;
    std::string state;
    {
        FanoutOp op(config(dir));
        FakeContext ctx;
        feed(op, ctx, std::vector<std::string>(recs.begin(), recs.begin() + 10));
        op.sync_files();
        weir::StateWriter w;
        op.snapshot(w);
        state = w.take();
        feed(op, ctx, std::vector<std::string>(recs.begin() + 10, recs.begin() + 25));
        op.flush_files(); // the crash leaves these bytes behind
    }
    {
        FanoutOp op(config(dir));
        weir::StateReader r(state);
        op.restore(r);
        FakeContext ctx;
        feed(op, ctx, std::vector<std::string>(recs.begin() + 10, recs.end()));
        op.finish(ctx);
        op.sync_files();
    }
    CHECK(tree(dir.path) == want);
}

TEST_CASE("fanout: a completed file renamed after the checkpoint is taken back") {
    TempDir dir;
    auto recs = records(4);
    auto config = [&] {
        FanoutConfig cfg;
        DestSpec d = dest(DestSpec::Kind::to, dir / "part.ndjson");
        d.rotate_size = "1G";
        cfg.dests.push_back(d);
        return cfg;
    };
    std::string state;
    {
        FanoutOp op(config());
        FakeContext ctx;
        feed(op, ctx, {recs[0]});
        op.sync_files();
        weir::StateWriter w;
        op.snapshot(w);
        state = w.take();
        feed(op, ctx, {recs[1]});
        op.finish(ctx); // renamed, then the crash before the commit
    }
    CHECK(std::filesystem::exists(dir / "part-000001.ndjson"));
    {
        FanoutOp op(config());
        weir::StateReader r(state);
        op.restore(r);
        CHECK(slurp(dir / ".part-000001.ndjson.inprogress") == recs[0] + "\n");
        CHECK(!std::filesystem::exists(dir / "part-000001.ndjson"));
    }
}

TEST_CASE("fanout: usage errors") {
    using weir::test::error_of;
    auto code_of = [](std::vector<DestSpec> ds) {
        return error_of([&] {
                   FanoutConfig cfg;
                   cfg.dests = ds;
                   FanoutOp op(cfg);
               })
            .code();
    };
    CHECK(code_of({}) == weir::Exit::usage);
    CHECK(code_of({dest(DestSpec::Kind::to, "-"), dest(DestSpec::Kind::to, "-")}) ==
          weir::Exit::usage);
    CHECK(code_of({dest(DestSpec::Kind::to, "x.csv")}) == weir::Exit::usage);
    CHECK(code_of({dest(DestSpec::Kind::route, "x.ndjson", "a ==")}) == weir::Exit::usage);
    CHECK(code_of({dest(DestSpec::Kind::to, "x/{a")}) == weir::Exit::usage);
}

TEST_CASE("fanout: --route splits at the first => outside quotes") {
    CHECK(weir::split_route("a > 1=>x.ndjson") ==
          std::pair<std::string, std::string>("a > 1", "x.ndjson"));
    CHECK(weir::split_route(R"(s == "=>" => out/{t}.ndjson)") ==
          std::pair<std::string, std::string>(R"(s == "=>")", "out/{t}.ndjson"));
    CHECK(weir::test::error_of([] { weir::split_route("a > 1"); }).code() == weir::Exit::usage);
    CHECK(weir::test::error_of([] { weir::split_route("=>x"); }).code() == weir::Exit::usage);
}

TEST_CASE("fanout: command destinations get NDJSON; a failing status is an error") {
    TempDir dir;
    FanoutConfig cfg;
    cfg.dests.push_back(dest(DestSpec::Kind::to, "|cat > " + (dir / "cmd.ndjson")));
    {
        FanoutOp op(cfg);
        FakeContext ctx;
        feed(op, ctx, records(3));
        op.finish(ctx);
    }
    CHECK(slurp(dir / "cmd.ndjson") ==
          records(3)[0] + "\n" + records(3)[1] + "\n" + records(3)[2] + "\n");

    FanoutConfig bad;
    bad.dests.push_back(dest(DestSpec::Kind::to, "|cat > /dev/null; exit 3"));
    FanoutOp op(bad);
    FakeContext ctx;
    feed(op, ctx, records(2));
    std::string msg = weir::test::error_of([&] { op.finish(ctx); }).what();
    CHECK(msg.find("exited with status 3") != std::string::npos);
}

TEST_CASE("fanout: compressed files are one gzip member / zstd frame per epoch") {
    auto recs = records(20);
    for (std::string name : {"all.ndjson.gz", "all.ndjson.zst"}) {
        CAPTURE(name);
        TempDir dir;
        std::string want;
        for (const auto& r : recs)
            want += r + "\n";
        auto config = [&] {
            FanoutConfig cfg;
            cfg.dests.push_back(dest(DestSpec::Kind::to, dir / name));
            return cfg;
        };
        std::string state;
        {
            FanoutOp op(config());
            FakeContext ctx;
            feed(op, ctx, std::vector<std::string>(recs.begin(), recs.begin() + 5));
            op.sync_files();
            feed(op, ctx, std::vector<std::string>(recs.begin() + 5, recs.begin() + 10));
            op.sync_files();
            weir::StateWriter w;
            op.snapshot(w);
            state = w.take();
            feed(op, ctx, std::vector<std::string>(recs.begin() + 10, recs.begin() + 15));
            op.finish(ctx); // then a crash before the commit
            op.sync_files();
        }
        {
            FanoutOp op(config());
            weir::StateReader r(state);
            op.restore(r);
            FakeContext ctx;
            feed(op, ctx, std::vector<std::string>(recs.begin() + 10, recs.end()));
            op.finish(ctx);
            op.sync_files();
        }
        std::string packed = slurp(dir / name);
        std::string got;
        if (name.ends_with(".gz")) {
            // zlib reads one member at a time; walk the concatenation.
            std::size_t at = 0;
            while (at < packed.size()) {
                z_stream z{};
                REQUIRE(inflateInit2(&z, 16 + MAX_WBITS) == Z_OK);
                z.next_in = reinterpret_cast<Bytef*>(packed.data() + at);
                z.avail_in = static_cast<uInt>(packed.size() - at);
                char buf[4096];
                int rc = Z_OK;
                while (rc != Z_STREAM_END) {
                    z.next_out = reinterpret_cast<Bytef*>(buf);
                    z.avail_out = sizeof buf;
                    rc = inflate(&z, Z_NO_FLUSH);
                    REQUIRE((rc == Z_OK || rc == Z_STREAM_END));
                    got.append(buf, sizeof buf - z.avail_out);
                }
                at += z.total_in;
                inflateEnd(&z);
            }
        } else {
            std::size_t size = ZSTD_getFrameContentSize(packed.data(), packed.size());
            (void)size;
            ZSTD_DCtx* d = ZSTD_createDCtx();
            ZSTD_inBuffer in{packed.data(), packed.size(), 0};
            char buf[4096];
            while (in.pos < in.size) {
                ZSTD_outBuffer o{buf, sizeof buf, 0};
                std::size_t rc = ZSTD_decompressStream(d, &o, &in);
                REQUIRE(!ZSTD_isError(rc));
                got.append(buf, o.pos);
            }
            ZSTD_freeDCtx(d);
        }
        CHECK(got == want);
    }
}
