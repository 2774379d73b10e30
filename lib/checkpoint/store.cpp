#include "checkpoint/store.hpp"

#include "checkpoint/snapshot_file.hpp"
#include "cli/error.hpp"

#include <fmt/core.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

using DirHandle = std::unique_ptr<DIR, DirCloser>;

// Names in `dir`, without "." and "..". nullopt when it does not exist.
std::optional<std::vector<std::string>> list_dir(const std::string& dir) {
    DirHandle d(::opendir(dir.c_str()));
    if (!d) {
        int err = errno;
        if (err == ENOENT)
            return std::nullopt;
        throw Error(Exit::io, "cannot read '{}': {}", dir, errno_text(err));
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* e = ::readdir(d.get())) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..")
            names.emplace_back(n);
    }
    if (errno != 0) {
        int err = errno;
        throw Error(Exit::io, "cannot read '{}': {}", dir, errno_text(err));
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool is_dir(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

bool StageInfo::holds(std::uint64_t e) const {
    return std::binary_search(epochs.begin(), epochs.end(), e);
}

std::string join_path(std::string_view dir, std::string_view name) {
    std::string out(dir);
    if (!out.empty() && out.back() != '/')
        out.push_back('/');
    out.append(name);
    return out;
}

bool valid_stage_name(std::string_view name) {
    return !name.empty() && name.size() <= 200 && name.front() != '.' &&
           name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

std::vector<StageInfo> scan_stages(const std::string& dir) {
    std::vector<StageInfo> stages;
    std::optional<std::vector<std::string>> names = list_dir(dir);
    if (!names)
        return stages;
    for (const std::string& name : *names) {
        std::string path = join_path(dir, name);
        if (!valid_stage_name(name) || !is_dir(path))
            continue;
        StageInfo s;
        s.name = name;
        if (std::optional<std::string> reg = read_file(join_path(path, "stage.json"))) {
            if (std::optional<std::uint64_t> j = parse_registration(*reg)) {
                s.registered = true;
                s.joined_after = *j;
            } else {
                s.problem = "malformed stage.json";
            }
        }
        if (std::optional<std::vector<std::string>> files = list_dir(path))
            for (const std::string& f : *files)
                if (std::optional<std::uint64_t> e = parse_snapshot_file_name(f))
                    s.epochs.push_back(*e);
        std::sort(s.epochs.begin(), s.epochs.end());
        stages.push_back(std::move(s));
    }
    return stages;
}

bool epoch_complete(const std::vector<StageInfo>& stages, std::uint64_t e) {
    for (const StageInfo& s : stages)
        if (s.registered && e > s.joined_after && !s.holds(e))
            return false;
    return true;
}

std::uint64_t committed_epoch(const std::vector<StageInfo>& stages) {
    // The answer is 0, a join epoch or an epoch some stage holds: try those, newest first.
    std::vector<std::uint64_t> candidates;
    for (const StageInfo& s : stages) {
        if (!s.registered)
            continue;
        candidates.push_back(s.joined_after);
        candidates.insert(candidates.end(), s.epochs.begin(), s.epochs.end());
    }
    std::sort(candidates.begin(), candidates.end(), std::greater<>());
    for (std::uint64_t e : candidates)
        if (epoch_complete(stages, e))
            return e;
    return 0;
}

std::vector<std::string> stages_missing(const std::vector<StageInfo>& stages, std::uint64_t e) {
    std::vector<std::string> out;
    for (const StageInfo& s : stages)
        if (s.registered && e > s.joined_after && !s.holds(e))
            out.push_back(s.name);
    return out;
}

std::uint64_t oldest_newest(const std::vector<StageInfo>& stages) {
    std::optional<std::uint64_t> m;
    for (const StageInfo& s : stages)
        if (s.registered && (!m || s.newest() < *m))
            m = s.newest();
    return m.value_or(0);
}

std::optional<std::string> read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT)
            return std::nullopt;
        throw Error(Exit::io, "cannot open '{}': {}", path, errno_text(err));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            ::close(fd);
            throw Error(Exit::io, "cannot read '{}': {}", path, errno_text(err));
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

std::string registration_json(std::string_view stage, std::uint64_t joined_after) {
    // Stage names are validated path components; escape the two JSON specials anyway.
    std::string name;
    for (char c : stage) {
        if (c == '"' || c == '\\')
            name.push_back('\\');
        name.push_back(c);
    }
    return fmt::format("{{\"stage\":\"{}\",\"joined_after\":{}}}\n", name, joined_after);
}

std::optional<std::uint64_t> parse_registration(std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(simdjson::padded_string(text)).get(doc))
        return std::nullopt;
    std::uint64_t j = 0;
    if (doc["joined_after"].get_uint64().get(j))
        return std::nullopt;
    return j;
}

} // namespace weir
