#include "enrich/table_options.hpp"

#include "cli/error.hpp"
#include "cli/split.hpp"

#include <string_view>

namespace weir {

namespace {

// "dir/products.ndjson.gz" -> "products"
std::string stem(std::string_view path) {
    std::size_t slash = path.rfind('/');
    if (slash != std::string_view::npos)
        path.remove_prefix(slash + 1);
    for (std::string_view ext : {".gz", ".zst", ".ndjson", ".jsonl", ".json", ".csv"})
        if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext)
            path.remove_suffix(ext.size());
    return std::string(path);
}

std::vector<FieldPath> paths(std::string_view flag, std::string_view list) {
    std::vector<FieldPath> out;
    for (std::string_view f : split_list(list)) {
        std::string why;
        auto p = FieldPath::parse(f, &why);
        if (!p)
            throw Error(Exit::usage, "{} '{}': field path '{}': {}", flag, list, f, why);
        out.push_back(std::move(*p));
    }
    return out;
}

} // namespace

std::vector<TableJoinSpec>
group_table_options(const std::vector<std::pair<std::string, std::string>>& flags) {
    std::vector<TableJoinSpec> joins;
    std::vector<bool> has_on;
    std::vector<std::vector<std::pair<std::string, std::string>>> selects; // COL, NAME

    // Tables first, so "NAME:..." may name a table given later.
    for (const auto& [flag, value] : flags) {
        if (flag != "--table")
            continue;
        TableJoinSpec j;
        std::size_t eq = value.find('=');
        if (eq != std::string::npos && eq > 0 && value.find('/') > eq) {
            j.table.name = value.substr(0, eq);
            j.table.path = value.substr(eq + 1);
        } else {
            j.table.path = value;
            j.table.name = stem(value);
        }
        if (j.table.path.empty() || j.table.name.empty())
            throw Error(Exit::usage, "--table '{}': expected [NAME=]FILE", value);
        for (const TableJoinSpec& other : joins)
            if (other.table.name == j.table.name)
                throw Error(Exit::usage,
                            "--table '{}': a table named '{}' is given already (name them: "
                            "--table NAME=FILE)",
                            value, j.table.name);
        joins.push_back(std::move(j));
    }
    has_on.assign(joins.size(), false);
    selects.resize(joins.size());

    std::size_t current = joins.size(); // none yet
    std::size_t seen_tables = 0;
    for (const auto& [flag, raw] : flags) {
        if (flag == "--table") {
            current = seen_tables++;
            continue;
        }
        std::string_view value = raw;
        std::size_t target = current;
        if (std::size_t colon = value.find(':'); colon != std::string_view::npos)
            for (std::size_t t = 0; t < joins.size(); ++t)
                if (joins[t].table.name == value.substr(0, colon)) {
                    target = t;
                    value.remove_prefix(colon + 1);
                }
        if (target == joins.size())
            throw Error(Exit::usage, "{} '{}': give --table FILE first, or NAME:...", flag, raw);
        TableJoinSpec& j = joins[target];
        if (flag == "--on") {
            if (has_on[target])
                throw Error(Exit::usage, "--on '{}': table '{}' has its --on already", raw,
                            j.table.name);
            has_on[target] = true;
            std::size_t eq = value.find('=');
            j.stream_keys = paths(flag, value.substr(0, eq));
            j.table.table_keys =
                eq == std::string_view::npos ? j.stream_keys : paths(flag, value.substr(eq + 1));
            if (j.stream_keys.size() != j.table.table_keys.size())
                throw Error(Exit::usage, "--on '{}': {} stream key fields but {} table key fields",
                            raw, j.stream_keys.size(), j.table.table_keys.size());
        } else if (flag == "--select") {
            for (std::string_view item : split_list(value)) {
                std::size_t eq = item.find('=');
                std::string col(item.substr(0, eq));
                std::string name(eq == std::string_view::npos ? "" : item.substr(eq + 1));
                if (col.empty() || (eq != std::string_view::npos && name.empty()))
                    throw Error(Exit::usage, "--select '{}': expected COL[=NAME],...", raw);
                selects[target].emplace_back(std::move(col), std::move(name));
            }
        } else if (flag == "--prefix") {
            j.table.prefix = std::string(value);
        }
    }

    for (std::size_t t = 0; t < joins.size(); ++t) {
        TableJoinSpec& j = joins[t];
        if (!has_on[t])
            throw Error(Exit::usage, "--table '{}' needs --on STREAM_FIELD=TABLE_FIELD",
                        j.table.path);
        for (const auto& [col, name] : selects[t]) {
            FieldPath path = paths("--select", col).front();
            std::string out = name.empty() ? j.table.prefix + path.segments().back() : name;
            j.table.columns.push_back(TableColumn{std::move(path), std::move(out)});
        }
    }
    return joins;
}

} // namespace weir
