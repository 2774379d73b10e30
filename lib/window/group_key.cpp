#include "window/group_key.hpp"

#include "cli/error.hpp"
#include "enrich/key.hpp"
#include "json/escape.hpp"
#include "state/varint.hpp"

#include <charconv>

namespace weir {

namespace {

// Part tags: enrich/key.hpp's 's', 'n', 'b' for scalars, and two of our own.
constexpr char tag_null = 'z';
constexpr char tag_json = 'j';

int tag_rank(char tag) {
    switch (tag) {
    case tag_null:
        return 0;
    case 'b':
        return 1;
    case 'n':
        return 2;
    case 's':
        return 3;
    default:
        return 4;
    }
}

// Splits the next part (tag + text) off `key`; false at the end.
bool next_part(std::string_view& key, std::string_view& part) {
    if (key.empty())
        return false;
    std::size_t pos = 0;
    std::uint64_t n = 0;
    read_varint(key, pos, n);
    if (n > key.size() - pos)
        n = key.size() - pos; // damaged: never read past the end
    part = key.substr(pos, n);
    key.remove_prefix(pos + n);
    return true;
}

double number_of(std::string_view text) {
    double d = 0;
    std::from_chars(text.data(), text.data() + text.size(), d);
    return d;
}

// Canonical integers (enrich/key.hpp): an optional '-', then digits, no leading zeros.
bool is_integer_text(std::string_view t) {
    if (!t.empty() && t[0] == '-')
        t.remove_prefix(1);
    if (t.empty())
        return false;
    for (char c : t)
        if (c < '0' || c > '9')
            return false;
    return true;
}

int compare_integer_texts(std::string_view a, std::string_view b) {
    bool neg_a = a[0] == '-';
    bool neg_b = b[0] == '-';
    if (neg_a != neg_b)
        return neg_a ? -1 : 1;
    if (neg_a) {
        a.remove_prefix(1);
        b.remove_prefix(1);
    }
    // Without leading zeros the longer magnitude is the larger.
    int r = a.size() != b.size() ? (a.size() < b.size() ? -1 : 1) : a.compare(b);
    r = r < 0 ? -1 : r > 0 ? 1 : 0;
    return neg_a ? -r : r;
}

int compare_parts(std::string_view a, std::string_view b) {
    char ta = a.empty() ? tag_null : a[0];
    char tb = b.empty() ? tag_null : b[0];
    if (int r = tag_rank(ta) - tag_rank(tb); r != 0)
        return r;
    a.remove_prefix(a.empty() ? 0 : 1);
    b.remove_prefix(b.empty() ? 0 : 1);
    if (ta == 'n') {
        // Integers compare exactly (beyond 2^53 doubles would tie them); anything with
        // a fraction or exponent by value.
        if (is_integer_text(a) && is_integer_text(b))
            return compare_integer_texts(a, b);
        double x = number_of(a);
        double y = number_of(b);
        if (x != y)
            return x < y ? -1 : 1;
    }
    int r = a.compare(b);
    return r < 0 ? -1 : r > 0 ? 1 : 0;
}

void append_part_json(std::string& out, std::string_view part) {
    if (part.empty() || part[0] == tag_null) {
        out += "null";
        return;
    }
    std::string_view text = part.substr(1);
    if (part[0] == 's')
        append_json_string(out, text);
    else
        out.append(text); // numbers, true/false and JSON are their own text
}

} // namespace

GroupKeys::GroupKeys(std::vector<FieldPath> paths, std::string_view flag)
    : paths_(std::move(paths)) {
    for (std::size_t i = 0; i < paths_.size(); ++i) {
        const FieldPath& p = paths_[i];
        for (std::size_t j = 0; j < i; ++j) {
            const FieldPath& q = paths_[j];
            std::size_t common = std::min(p.size(), q.size());
            bool prefix = true;
            for (std::size_t s = 0; s < common && prefix; ++s)
                prefix = p[s] == q[s];
            if (!prefix)
                continue;
            if (p.size() == q.size())
                throw Error(Exit::usage, "{}: '{}' is given twice", flag, p.text());
            const FieldPath& shorter = p.size() < q.size() ? p : q;
            const FieldPath& longer = p.size() < q.size() ? q : p;
            throw Error(Exit::usage,
                        "{}: '{}' and '{}' cannot both be keys ('{}' would be a value and an "
                        "object in the output)",
                        flag, shorter.text(), longer.text(), shorter.text());
        }
        std::vector<Node>* level = &tree_;
        for (std::size_t s = 0; s < p.size(); ++s) {
            Node* found = nullptr;
            for (Node& n : *level)
                if (n.name == p[s])
                    found = &n;
            if (found == nullptr) {
                level->push_back(Node{p[s], i, {}});
                found = &level->back();
            }
            level = &found->members;
        }
    }
}

void GroupKeys::encode(const FieldValue* parts, std::string& out) const {
    out.clear();
    thread_local std::string part;
    for (std::size_t i = 0; i < paths_.size(); ++i) {
        const FieldValue& v = parts[i];
        switch (encode_key(&v, 1, false, part)) {
        case KeyResult::ok:
            break;
        case KeyResult::not_scalar:
            part.assign(1, tag_json);
            append_json_value(part, v.element());
            break;
        case KeyResult::missing:
        case KeyResult::null:
            part.assign(1, tag_null);
            break;
        }
        append_varint(out, part.size());
        out += part;
    }
}

void GroupKeys::append_node(std::string& out, const Node& n,
                            const std::vector<std::string_view>& parts) const {
    append_json_string(out, n.name);
    out += ':';
    if (n.members.empty()) {
        append_part_json(out, n.part < parts.size() ? parts[n.part] : std::string_view());
        return;
    }
    out += '{';
    for (std::size_t i = 0; i < n.members.size(); ++i) {
        if (i != 0)
            out += ',';
        append_node(out, n.members[i], parts);
    }
    out += '}';
}

void GroupKeys::append_fields(std::string& out, std::string_view key) const {
    thread_local std::vector<std::string_view> parts;
    parts.clear();
    std::string_view part;
    while (next_part(key, part))
        parts.push_back(part);
    for (std::size_t i = 0; i < tree_.size(); ++i) {
        if (i != 0)
            out += ',';
        append_node(out, tree_[i], parts);
    }
}

int GroupKeys::compare(std::string_view a, std::string_view b) {
    std::string_view pa;
    std::string_view pb;
    for (;;) {
        bool more_a = next_part(a, pa);
        bool more_b = next_part(b, pb);
        if (!more_a || !more_b)
            return more_a ? 1 : more_b ? -1 : 0;
        if (int r = compare_parts(pa, pb); r != 0)
            return r;
    }
}

} // namespace weir
