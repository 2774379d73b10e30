#pragma once

// Flags whose interleaving on the command line carries meaning: weir-validate checks
// its rules in the order given, and weir-enrich gives each --table the --on, --select
// and --prefix that follow it. CLI11 keeps each option's values apart; this restores
// their order across options.

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace weir {

class OrderedOptions {
public:
    // Adds a repeatable option taking one value per occurrence.
    void add(CLI::App& app, const std::string& flag, const std::string& type_name,
             const std::string& help) {
        app.add_option(flag, values_[flag], help)->type_name(type_name)->allow_extra_args(false);
    }

    // After parsing: (flag, value) for every occurrence of the options added, in
    // command-line order.
    std::vector<std::pair<std::string, std::string>> in_order(CLI::App& app) const {
        std::vector<std::pair<std::string, std::string>> out;
        std::map<std::string, std::size_t> used;
        for (const CLI::Option* o : app.parse_order()) {
            auto it = values_.find(o->get_name());
            if (it != values_.end())
                out.emplace_back(it->first, it->second.at(used[it->first]++));
        }
        return out;
    }

private:
    std::map<std::string, std::vector<std::string>> values_; // CLI11 writes into these
};

} // namespace weir
