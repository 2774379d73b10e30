#include "io/expand_inputs.hpp"

#include "cli/error.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <glob.h>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace weir {

namespace {

bool has_glob_chars(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> list_directory(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr)
        throw Error(Exit::no_input, "cannot open directory '{}': {}", dir, errno_text(errno));
    std::string prefix = dir.back() == '/' ? dir : dir + "/";
    std::vector<std::string> files;
    while (struct dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        std::string path = prefix + e->d_name;

        struct stat st {};

        if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            files.push_back(std::move(path));
    }
    ::closedir(d);
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> expand_glob(const std::string& pattern, bool skip_missing) {
    glob_t g{};
    int rc = ::glob(pattern.c_str(), GLOB_ERR, nullptr, &g);
    std::vector<std::string> out;
    if (rc == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
            struct stat st {};

            if (::stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode))
                continue;
            out.emplace_back(g.gl_pathv[i]);
        }
    }
    ::globfree(&g);
    // glob(3) sorts with strcoll; weir's order must not depend on the locale.
    std::sort(out.begin(), out.end());
    if (out.empty() && !skip_missing)
        throw Error(Exit::no_input, "no files match '{}'", pattern);
    return out;
}

} // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& args,
                                       const ExpandOptions& opts) {
    std::vector<std::string> out;
    std::set<std::string> seen_names;
    std::set<std::pair<dev_t, ino_t>> seen_files;
    auto add = [&](std::string path) {
        if (!seen_names.insert(path).second)
            return;
        struct stat st {};
        if (path != "-" && ::stat(path.c_str(), &st) == 0 &&
            !seen_files.insert({st.st_dev, st.st_ino}).second)
            return;
        out.push_back(std::move(path));
    };

    for (const std::string& arg : args) {
        struct stat st {};

        bool exists = arg != "-" && ::stat(arg.c_str(), &st) == 0;
        if (arg == "-") {
            add(arg);
        } else if (exists && S_ISDIR(st.st_mode)) {
            for (std::string& f : list_directory(arg))
                add(std::move(f));
        } else if (!exists && has_glob_chars(arg)) {
            for (std::string& f : expand_glob(arg, opts.skip_missing))
                add(std::move(f));
        } else if (exists || !opts.skip_missing) {
            add(arg);
        }
    }
    return out;
}

} // namespace weir
