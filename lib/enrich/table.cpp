#include "enrich/table.hpp"

#include "cli/error.hpp"
#include "enrich/key.hpp"
#include "enrich/key_index.hpp"
#include "io/open_input.hpp"
#include "json/document.hpp"
#include "json/escape.hpp"
#include "json/field_resolver.hpp"
#include "wire/csv_reader.hpp"
#include "wire/detect.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

namespace weir {

namespace {

// The table file's bytes as the reader takes them, after decompression, hashed on the
// way (TableStats::fingerprint): the same rows compressed differently, or not at all,
// have one fingerprint. Hiding the mapping path (mappable() stays nullopt) is the
// price: the NDJSON reader then reads blocks instead of mapping the file.
class HashingSource final : public ByteSource {
public:
    explicit HashingSource(std::unique_ptr<ByteSource> inner)
        : inner_(std::move(inner))
        , state_(XXH64_createState()) {
        if (state_ == nullptr)
            throw std::bad_alloc();
        XXH64_reset(state_, 0);
    }

    ~HashingSource() override { XXH64_freeState(state_); }

    HashingSource(const HashingSource&) = delete;
    HashingSource& operator=(const HashingSource&) = delete;

    bool ready() override { return inner_->ready(); }

    const std::string& name() const override { return inner_->name(); }

    std::uint64_t size() const override { return inner_->size(); }

    std::uint64_t digest() const { return XXH64_digest(state_); }

protected:
    // Peeked bytes pass through here once too (ByteSource keeps them), so every byte
    // is hashed exactly once, in order.
    std::size_t read_some(char* buf, std::size_t n) override {
        std::size_t k = inner_->read(buf, n);
        XXH64_update(state_, buf, k);
        return k;
    }

private:
    std::unique_ptr<ByteSource> inner_;
    XXH64_state_t* state_;
};

// Bytes that never move once written, so the index can hold views into them while the
// table grows: chunks that grow with the arena (a quarter of what it holds, within
// [4 KiB, 16 MiB]), which bounds the unused tail of the last one.
class Arena {
public:
    // Copies `bytes` in; returns where they now live.
    const char* append(std::string_view bytes) {
        if (bytes.size() > left_) {
            std::size_t size = static_cast<std::size_t>(
                std::clamp<std::uint64_t>(capacity_ / 4, min_chunk, max_chunk));
            size = std::max(size, bytes.size());
            chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
            next_ = chunks_.back().get();
            left_ = size;
            capacity_ += size;
        }
        char* at = next_;
        if (!bytes.empty())
            std::memcpy(at, bytes.data(), bytes.size());
        next_ += bytes.size();
        left_ -= bytes.size();
        return at;
    }

    // Takes back the last append() of `n` bytes (nothing else may come between).
    void unappend(std::size_t n) {
        next_ -= n;
        left_ += n;
    }

    std::uint64_t capacity() const { return capacity_; }

private:
    static constexpr std::uint64_t min_chunk = 4096;
    static constexpr std::uint64_t max_chunk = std::uint64_t{16} << 20;

    std::vector<std::unique_ptr<char[]>> chunks_;
    char* next_ = nullptr;
    std::size_t left_ = 0;
    std::uint64_t capacity_ = 0;
};

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size())
        return false;
    s.remove_prefix(s.size() - suffix.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != suffix[i])
            return false;
    return true;
}

// CSV goes by the name, as for weir-cat's --format csv: content cannot tell a
// one-column CSV from text. Compression is peeled off by content (open_input).
bool csv_name(std::string_view path) {
    return ends_with_ci(path, ".csv") || ends_with_ci(path, ".csv.gz") ||
           ends_with_ci(path, ".csv.zst");
}

// A loaded table's contents (Table::Impl holds one; the loader fills it).
struct TableData {
    TableSpec spec;
    TableStats stats;
    std::vector<std::string> names;  // output column names
    std::vector<std::string> nulls;  // `"name":null` per column
    Arena arena;                     // keys and encoded members
    std::vector<const char*> rows;   // row r's members start at rows[r] ...
    std::vector<std::uint32_t> ends; // ... and member c ends at rows[r] + ends[r * C + c]
    KeyIndex index;                  // keys (views into the arena) to rows

    std::uint64_t bytes() const {
        return arena.capacity() + rows.capacity() * sizeof(const char*) +
               ends.capacity() * sizeof(std::uint32_t) + index.bytes();
    }
};

// One load: reads rows, encodes them into a TableData. State for the pass only.
class Loader {
public:
    Loader(TableData& t, std::string source) : t_(t), source_(std::move(source)) {
        for (const FieldPath& k : t_.spec.table_keys)
            key_slots_.push_back(resolver_.add(k));
        parts_.resize(key_slots_.size());
    }

    // Columns from the spec, or by default from `first` (the first row's top-level
    // member names) or, for a CSV without rows, from its header.
    void set_columns(const simdjson::dom::element* first, const std::vector<std::string>* header) {
        std::vector<TableColumn> cols = t_.spec.columns;
        if (cols.empty()) {
            std::vector<std::string> members;
            if (first != nullptr) {
                simdjson::dom::object obj;
                if (first->get_object().get(obj) == simdjson::SUCCESS)
                    for (simdjson::dom::key_value_pair kv : obj)
                        members.emplace_back(kv.key);
            } else if (header != nullptr) {
                members = *header;
            }
            for (const std::string& m : members)
                if (default_column(m, cols))
                    cols.push_back(TableColumn{FieldPath::of_member(m), t_.spec.prefix + m});
        }
        for (const TableColumn& c : cols) {
            col_slots_.push_back(resolver_.add(c.field));
            std::string member;
            append_json_string(member, c.name);
            member += ':';
            t_.names.push_back(c.name);
            t_.nulls.push_back(member + "null");
            members_.push_back(std::move(member));
        }
        columns_set_ = true;
    }

    bool columns_set() const { return columns_set_; }

    void add_row(simdjson::dom::element root, std::uint64_t line) {
        resolver_.resolve(root);
        for (std::size_t i = 0; i < key_slots_.size(); ++i)
            parts_[i] = resolver_[key_slots_[i]];
        // Missing, null, and objects or arrays (which match no stream key either).
        if (encode_key(parts_.data(), parts_.size(), t_.spec.loose_keys, key_) != KeyResult::ok) {
            ++t_.stats.keyless;
            return;
        }

        row_.clear();
        row_ends_.clear();
        for (std::size_t c = 0; c < col_slots_.size(); ++c) {
            row_ += members_[c];
            const FieldValue& v = resolver_[col_slots_[c]];
            if (v.is_missing())
                row_ += "null";
            else
                append_json_value(row_, v.element());
            if (row_.size() > std::numeric_limits<std::uint32_t>::max())
                throw Error(Exit::data, "{}:{}: row larger than 4 GiB once encoded", source_, line);
            row_ends_.push_back(static_cast<std::uint32_t>(row_.size()));
        }

        // Key first, into the arena, so the index holds a view of it; taken back if the
        // key was there already.
        auto id = static_cast<std::uint32_t>(t_.rows.size());
        const char* key_at = t_.arena.append(key_);
        auto [existing, inserted] = t_.index.insert(std::string_view(key_at, key_.size()), id);
        if (inserted) {
            if (t_.rows.size() == std::numeric_limits<std::uint32_t>::max())
                throw Error(Exit::data, "{}:{}: more than {} rows", source_, line,
                            std::numeric_limits<std::uint32_t>::max() - 1);
            t_.rows.push_back(t_.arena.append(row_));
            t_.ends.insert(t_.ends.end(), row_ends_.begin(), row_ends_.end());
        } else {
            t_.arena.unappend(key_.size());
            if (t_.spec.strict_duplicates)
                throw Error(Exit::data, "{}:{}: duplicate key {}", source_, line, describe_key());
            // The last row wins: the earlier one's bytes stay, unreferenced.
            ++t_.stats.duplicates;
            id = existing;
            t_.rows[id] = t_.arena.append(row_);
            std::copy(row_ends_.begin(), row_ends_.end(),
                      t_.ends.begin() + static_cast<std::ptrdiff_t>(id * col_slots_.size()));
        }

        if (t_.bytes() > t_.spec.max_bytes)
            throw Error(Exit::data, "{}: table larger than --max-table-bytes ({} bytes)", source_,
                        t_.spec.max_bytes);
    }

private:
    // A default column: not a one-segment key (the stream has it already), not a name
    // seen before (a repeated member), and nameable as a field path (not "").
    bool default_column(const std::string& m, const std::vector<TableColumn>& cols) const {
        if (m.empty())
            return false;
        for (const FieldPath& k : t_.spec.table_keys)
            if (k.size() == 1 && k[0] == m)
                return false;
        std::string name = t_.spec.prefix + m;
        return std::none_of(cols.begin(), cols.end(),
                            [&](const TableColumn& c) { return c.name == name; });
    }

    // `id=42, region="eu"`, for the strict-duplicates message.
    std::string describe_key() const {
        std::string s;
        for (std::size_t i = 0; i < parts_.size(); ++i) {
            if (i > 0)
                s += ", ";
            s += t_.spec.table_keys[i].text();
            s += '=';
            append_json_value(s, parts_[i].element());
        }
        return s;
    }

    TableData& t_;
    std::string source_;
    FieldResolver resolver_;
    std::vector<std::size_t> key_slots_;
    std::vector<std::size_t> col_slots_;
    std::vector<std::string> members_; // `"name":` per column, escaped once
    std::vector<FieldValue> parts_;
    std::string key_;
    std::string row_;
    std::vector<std::uint32_t> row_ends_;
    bool columns_set_ = false;
};

} // namespace

struct Table::Impl : TableData {};

std::shared_ptr<const Table> Table::load(const TableSpec& spec) {
    auto impl = std::make_unique<Impl>();
    impl->spec = spec;

    std::unique_ptr<ByteSource> file = open_input(spec.path);
    std::string source = file->name();
    auto hashing = std::make_unique<HashingSource>(std::move(file));
    HashingSource* hasher = hashing.get(); // owned by the reader from here on
    ReaderOptions ro;
    ro.format = csv_name(spec.path) ? InputFormat::csv : InputFormat::ndjson;
    std::unique_ptr<RecordReader> reader = make_reader(std::move(hashing), ro);

    Loader loader(*impl, source);
    JsonDoc doc; // for readers that do not keep the parsed record (CSV)
    InputEvent ev;
    for (bool more = true; more;) {
        switch (reader->next(ev)) {
        case InputKind::record: {
            simdjson::dom::element root;
            if (!reader->parsed_root(root)) {
                if (!doc.parse(ev.record.json))
                    throw Error(Exit::data, "{}:{}: {}", source, ev.record.line, doc.detail());
                root = doc.root();
            }
            if (!loader.columns_set())
                loader.set_columns(&root, nullptr);
            loader.add_row(root, ev.record.line);
            break;
        }
        case InputKind::invalid:
            // A reference table must be clean: a bad row would silently unmatch records.
            throw Error(Exit::data, "{}:{}: {}", source, ev.record.line, ev.detail);
        case InputKind::end:
            more = false;
            break;
        default: // idle (a pipe), or frames events that NDJSON and CSV never produce
            break;
        }
    }
    if (!loader.columns_set()) {
        const auto* csv = dynamic_cast<const CsvReader*>(reader.get());
        loader.set_columns(nullptr, csv != nullptr ? &csv->columns() : nullptr);
    }

    impl->rows.shrink_to_fit();
    impl->ends.shrink_to_fit();
    impl->stats.rows = impl->index.size();
    impl->stats.bytes = impl->bytes();
    impl->stats.fingerprint = hasher->digest();
    return std::shared_ptr<const Table>(new Table(std::move(impl)));
}

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Table::~Table() = default;

const TableSpec& Table::spec() const {
    return impl_->spec;
}

const TableStats& Table::stats() const {
    return impl_->stats;
}

std::size_t Table::columns() const {
    return impl_->names.size();
}

const std::string& Table::column_name(std::size_t col) const {
    return impl_->names[col];
}

std::int64_t Table::find(std::string_view encoded_key) const {
    return impl_->index.find(encoded_key);
}

std::int64_t Table::find(std::string_view encoded_key, std::uint64_t hash) const {
    return impl_->index.find(encoded_key, hash);
}

void Table::prefetch(std::uint64_t hash) const {
    impl_->index.prefetch(hash);
}

std::string_view Table::member(std::int64_t row, std::size_t col) const {
    assert(row >= 0 && static_cast<std::size_t>(row) < impl_->rows.size());
    std::size_t r = static_cast<std::size_t>(row);
    const std::uint32_t* ends = impl_->ends.data() + r * impl_->names.size();
    std::uint32_t begin = col == 0 ? 0 : ends[col - 1];
    return std::string_view(impl_->rows[r] + begin, ends[col] - begin);
}

std::string_view Table::null_member(std::size_t col) const {
    return impl_->nulls[col];
}

} // namespace weir
