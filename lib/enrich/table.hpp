#pragma once

// A reference table of weir-enrich, loaded for lookup joins (stream-processing-patterns
// "Stream Enrichment"): rows keyed by one or more fields, each row's selected columns
// stored already encoded as JSON members ("name":value), so enriching a record is a hash
// lookup and a splice of bytes, with nothing parsed or printed per record.
//
// Memory: one arena of bytes (keys and encoded members) plus a hash index of keys; about
// the selected part of the file plus a few words per row. A table whose memory
// (TableStats::bytes, checked as rows are added) would pass TableSpec::max_bytes is
// refused with a clear error.
//
// Keys: see enrich/key.hpp. A row whose key is missing or null (or an object or array,
// which no stream key can equal) is skipped and counted as keyless; a key seen twice
// keeps its last row (counted; with strict_duplicates it is an error).
//
// A Table is immutable once loaded: weir-enrich's refresher loads a new one in a
// background thread and swaps the shared_ptr between records.

#include "json/field_path.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

struct TableColumn {
    FieldPath field;  // in the table's rows
    std::string name; // in the enriched record (prefix already applied)
};

struct TableSpec {
    std::string name; // "products": NAME of --table NAME=FILE, else the file's stem
    std::string path;
    std::vector<FieldPath> table_keys; // --on ...=x,y (same count as the stream's)
    std::vector<TableColumn> columns;  // empty: every top-level field of the first row
                                       // (CSV: the header) but the keys, prefixed
    std::string prefix;                // for the default columns
    bool loose_keys = false;           // "42" and 42 are the same key
    bool strict_duplicates = false;    // a repeated key is an error
    std::uint64_t max_bytes = std::uint64_t{1} << 32;
};

struct TableStats {
    std::uint64_t rows = 0;        // rows indexed
    std::uint64_t duplicates = 0;  // rows replaced by a later row of the same key
    std::uint64_t keyless = 0;     // rows skipped: a key field missing or null
    std::uint64_t bytes = 0;       // memory held: arena + row offsets + index slots
    std::uint64_t fingerprint = 0; // xxh64 (seed 0) of the file's bytes as read, after
                                   // decompression: every byte, not only the records
};

class Table {
public:
    // Loads `spec.path`: NDJSON or CSV with a header (detected as weir-cat does: by
    // content; CSV by a .csv/.csv.gz/.csv.zst name), optionally gz/zst. Throws
    // Error(Exit::no_input) when it cannot be opened, Error(Exit::data) naming
    // "FILE:LINE: ..." for a malformed row, a duplicate key under strict_duplicates, or a
    // table beyond max_bytes.
    static std::shared_ptr<const Table> load(const TableSpec& spec);

    // The spec as given: `columns` stays empty when the defaults were taken.
    const TableSpec& spec() const;
    const TableStats& stats() const;

    // Output columns, in order: spec().columns, or the defaults the first row gave.
    std::size_t columns() const;
    const std::string& column_name(std::size_t col) const;

    // The row of an encoded key (enrich/key.hpp), or -1.
    std::int64_t find(std::string_view encoded_key) const;

    // The same with the key's KeyIndex::hash(), after prefetch(hash): a caller joining
    // several tables hashes all keys and prefetches all slots first, so the cache
    // misses of the tables overlap instead of adding up.
    std::int64_t find(std::string_view encoded_key, std::uint64_t hash) const;
    void prefetch(std::uint64_t hash) const;

    // Column `col` of `row` (a find() result) as an encoded member, `"name":value`
    // (`"name":null` when the row lacks the field); and the member with null, for
    // records without a match. Views live as long as the Table.
    std::string_view member(std::int64_t row, std::size_t col) const;
    std::string_view null_member(std::size_t col) const;

    ~Table();

private:
    struct Impl;
    explicit Table(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace weir
