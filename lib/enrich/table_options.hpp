#pragma once

// weir-enrich's table flags, in command-line order, turned into joins. Each --table
// takes the --on, --select and --prefix that follow it, up to the next --table; a value
// written "NAME:..." (NAME a table's name) goes to that table wherever it stands:
//
//   --table products.ndjson --on product_id=id --select name=product_name,price
//   --table c=customers.csv --on c:customer_id=id --select c:tier
//
// --table [NAME=]FILE     NAME defaults to the file's stem ("products")
// --on S1,S2=T1,T2        stream key fields = table key fields; "--on id" is id=id
// --select COL[=NAME],... table columns (field paths) added as NAME (default: the
//                         column's last segment, prefixed by --prefix)
// --prefix P              prefix of the default names; without --select every
//                         top-level field of the table but its keys is added, prefixed

#include "enrich/table.hpp"

#include <string>
#include <utility>
#include <vector>

namespace weir {

struct TableJoinSpec {
    TableSpec table;
    std::vector<FieldPath> stream_keys;
};

// `flags`: (flag with dashes, value) in command-line order. Throws Error(Exit::usage)
// naming the flag for a value of the wrong shape, an --on before any --table, a table
// without --on, key lists of different lengths, or two tables of one name.
std::vector<TableJoinSpec>
group_table_options(const std::vector<std::pair<std::string, std::string>>& flags);

} // namespace weir
