#pragma once

// Test support shared by tests/unit/cli and tests/unit/run: captures what the code under
// test writes to a file descriptor (stderr, stdout) by pointing the descriptor at an
// unlinked temp file with dup2, and puts the original back on restore() or scope exit.
//
// Keep doctest assertions outside a stdout capture: doctest reports failures on stdout,
// and a report written while captured would be lost.

#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <stdlib.h>
#include <string>
#include <unistd.h>

namespace weir::test {

class CaptureFd {
public:
    explicit CaptureFd(int fd) : fd_(fd) {
        flush_streams();
        char tmpl[] = "/tmp/weir-capture-XXXXXX";
        tmp_ = ::mkstemp(tmpl);
        if (tmp_ < 0)
            throw std::runtime_error("mkstemp failed");
        ::unlink(tmpl);
        saved_ = ::dup(fd_);
        if (saved_ < 0 || ::dup2(tmp_, fd_) < 0)
            throw std::runtime_error("dup2 failed");
    }

    ~CaptureFd() {
        restore();
        ::close(tmp_);
    }

    CaptureFd(const CaptureFd&) = delete;
    CaptureFd& operator=(const CaptureFd&) = delete;

    // Puts the original descriptor back; text() still works afterwards.
    void restore() {
        if (saved_ < 0)
            return;
        flush_streams();
        ::dup2(saved_, fd_);
        ::close(saved_);
        saved_ = -1;
    }

    // Everything written so far.
    std::string text() {
        flush_streams();
        std::string out;
        char buf[4096];
        off_t at = 0;
        for (;;) {
            ssize_t n = ::pread(tmp_, buf, sizeof buf, at);
            if (n <= 0)
                break;
            out.append(buf, static_cast<std::size_t>(n));
            at += n;
        }
        return out;
    }

private:
    static void flush_streams() {
        std::cout.flush();
        std::cerr.flush();
        std::fflush(stdout);
        std::fflush(stderr);
    }

    int fd_;
    int tmp_ = -1;
    int saved_ = -1;
};

// Sets (or with nullptr unsets) an environment variable for the scope, then puts the old
// value back.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) {
            had_ = true;
            old_ = old;
        }
        if (value != nullptr)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }

    ~ScopedEnv() {
        if (had_)
            ::setenv(name_.c_str(), old_.c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }

    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string name_;
    bool had_ = false;
    std::string old_;
};

} // namespace weir::test
