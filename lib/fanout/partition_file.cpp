#include "fanout/partition_file.hpp"

#include "cli/error.hpp"
#include "io/compress_writer.hpp"
#include "io/file_source.hpp"
#include "wire/csv_writer.hpp"
#include "wire/frame_writer.hpp"
#include "wire/ndjson_writer.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Splits path into (directory part with its slash, file name).
std::pair<std::string_view, std::string_view> split_dir(std::string_view path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos)
        return {std::string_view(), path};
    return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

// NDJSON through a CompressWriter. flush() writes out only what is already compressed;
// end() ends the member/frame (at checkpoints, on close and at the end).
class CompressedNdjsonWriter final : public RecordWriter {
public:
    CompressedNdjsonWriter(OutputFile& out, CompressWriter::Codec codec)
        : out_(out)
        , z_(out, codec) {}

    void write(const Record& r) override {
        z_.write(r.json);
        z_.write("\n");
    }

    void barrier(std::uint64_t) override {}

    void watermark(Timestamp) override {}

    void end() override {
        z_.end_frame();
        out_.flush();
    }

    void flush() override { out_.flush(); }

private:
    OutputFile& out_;
    CompressWriter z_;
};

} // namespace

FileFormat file_format_of(std::string_view path, std::string_view where) {
    for (std::string_view bad : {".csv.gz", ".csv.zst", ".frames.gz", ".frames.zst"})
        if (ends_with(path, bad))
            throw Error(Exit::usage,
                        "{}: '{}': only NDJSON is written compressed (frames can be: --compress "
                        "on the output)",
                        where, path);
    if (ends_with(path, ".gz"))
        return FileFormat::ndjson_gz;
    if (ends_with(path, ".zst"))
        return FileFormat::ndjson_zst;
    if (ends_with(path, ".frames"))
        return FileFormat::frames;
    if (ends_with(path, ".csv"))
        return FileFormat::csv;
    return FileFormat::ndjson;
}

std::string_view rotation_extension(std::string_view path) {
    std::string_view name = split_dir(path).second;
    for (std::string_view known : {".ndjson.gz", ".ndjson.zst", ".jsonl.gz", ".jsonl.zst"})
        if (ends_with(name, known) && name.size() > known.size())
            return name.substr(name.size() - known.size());
    std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return {};
    return name.substr(dot);
}

std::string rotated_name(std::string_view path, std::uint64_t seq) {
    std::string_view ext = rotation_extension(path);
    return fmt::format("{}-{:06}{}", path.substr(0, path.size() - ext.size()), seq, ext);
}

std::string in_progress_name(std::string_view path, std::uint64_t seq) {
    auto [dir, name] = split_dir(path);
    std::string_view ext = rotation_extension(name);
    return fmt::format("{}.{}-{:06}{}.inprogress", dir, name.substr(0, name.size() - ext.size()),
                       seq, ext);
}

void OpenFiles::add(Partition* p) {
    p->prev = nullptr;
    p->next = head_;
    if (head_ != nullptr)
        head_->prev = p;
    head_ = p;
    if (tail_ == nullptr)
        tail_ = p;
    ++count_;
}

void OpenFiles::remove(Partition* p) {
    if (p->prev != nullptr)
        p->prev->next = p->next;
    else
        head_ = p->next;
    if (p->next != nullptr)
        p->next->prev = p->prev;
    else
        tail_ = p->prev;
    p->prev = p->next = nullptr;
    --count_;
}

void OpenFiles::touch(Partition* p) {
    if (head_ == p)
        return;
    remove(p);
    add(p);
}

void make_dirs(const std::string& dir, std::vector<std::string>& made_in) {
    if (dir.empty() || dir == "." || dir == "/")
        return;

    struct stat st {};

    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            throw Error(Exit::cant_create, "cannot create directory '{}': a file is in the way",
                        dir);
        return;
    }
    std::string parent;
    if (std::size_t slash = dir.find_last_of('/'); slash != std::string::npos && slash > 0)
        parent = dir.substr(0, slash);
    make_dirs(parent, made_in);
    if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
        throw Error(Exit::cant_create, "cannot create directory '{}': {}", dir, errno_text(errno));
    made_in.push_back(parent);
}

std::unique_ptr<RecordWriter> make_file_writer(OutputFile& file, const FileSpec& spec,
                                               const SourceTable& sources) {
    switch (spec.format) {
    case FileFormat::frames:
        return std::make_unique<FrameWriter>(file, sources);
    case FileFormat::csv:
        return std::make_unique<CsvWriter>(file, spec.csv_columns);
    case FileFormat::ndjson_gz:
        return std::make_unique<CompressedNdjsonWriter>(file, CompressWriter::Codec::gzip);
    case FileFormat::ndjson_zst:
        return std::make_unique<CompressedNdjsonWriter>(file, CompressWriter::Codec::zstd);
    case FileFormat::ndjson:
        break;
    }
    return std::make_unique<NdjsonWriter>(file);
}

} // namespace weir

namespace weir {

void close_partition(OpenFiles& open, Partition& p) {
    if (!p.file)
        return;
    if (p.writer && p.end_on_close)
        p.writer->end();
    else if (p.writer)
        p.writer->flush();
    p.length = p.file->length();
    p.unsynced = true;
    p.writer.reset();
    p.file.reset();
    open.remove(&p);
}

} // namespace weir

namespace weir {

void fsync_path(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(Exit::io, "cannot open '{}' to sync it: {}", path, errno_text(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL)
        throw Error(Exit::io, "cannot sync '{}': {}", path, errno_text(err));
}

} // namespace weir
