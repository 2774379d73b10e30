#pragma once

// A buffered output: stdout ("-") or a file. Every file a tool writes (output, dead
// letters, quarantine, late rows) is an OutputFile, so the checkpoint protocol can
// record its length at a barrier and truncate it back to that length on recovery.
//
// Writes go to a large buffer (1 MiB) and leave in one write(2) when it fills or on
// flush(): no system call per record. A broken pipe re-raises SIGPIPE (git's
// check_pipe), so the tool ends quietly with the status the shell expects.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class OutputFile {
public:
    enum class Mode { truncate, keep }; // keep: open without truncating (checkpointed runs)

    static constexpr std::size_t default_buffer = 1 << 20;

    // Opens `path` ("-": stdout). Throws Error(Exit::cant_create) naming the path.
    // `buffer`: bytes buffered before a write(2); smaller for tools holding many files
    // open at once (weir-fanout's partitions).
    static std::unique_ptr<OutputFile> open(const std::string& path, Mode mode,
                                            std::size_t buffer = default_buffer);
    ~OutputFile(); // flushes; errors at this point are ignored (call flush() first)

    void append(std::string_view bytes) {
        if (bytes.size() > buf_.size() - used_)
            append_slow(bytes);
        else {
            std::memcpy(buf_.data() + used_, bytes.data(), bytes.size());
            used_ += bytes.size();
        }
    }

    void put(char c) {
        if (used_ == buf_.size())
            flush();
        buf_[used_++] = c;
    }

    void flush(); // write(2) all buffered bytes; Error(Exit::io) on failure
    void sync();  // flush, then fsync a regular file

    // A regular file: its length takes part in checkpoints. False for pipes and ttys.
    bool is_regular() const { return regular_; }

    // Bytes in the file, counting what is still buffered.
    std::uint64_t length() const { return written_ + used_; }

    // Recovery: cut the file back to `len` bytes (the committed length) and continue
    // writing there. Throws Error(Exit::io) if the file is shorter than len, with a
    // message that names the file (and for stdout, says to use -o or >>).
    void truncate_to(std::uint64_t len);

    const std::string& path() const { return path_; }

    int fd() const { return fd_; }

private:
    OutputFile(std::string path, int fd, bool owned, std::size_t buffer = default_buffer);
    void append_slow(std::string_view bytes);
    // write(2)s all n bytes (EINTR retried, EPIPE re-raised as SIGPIPE); returns how many
    // were written, with the errno that stopped it in `err` (0 when all were).
    std::size_t write_out(const char* p, std::size_t n, int& err);

    std::string path_;
    int fd_ = -1;
    bool owned_ = false;
    bool regular_ = false;
    std::uint64_t written_ = 0; // bytes in the file before the buffer
    std::vector<char> buf_;
    std::size_t used_ = 0;
};

} // namespace weir
