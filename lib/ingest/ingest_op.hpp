#pragma once

// weir-ingest's operator: tags each record with where it came from by splicing fields
// before its closing brace (the rest of the record stays byte-identical):
//   --source-field NAME       the source label (default "_source"; "" for none)
//   --id-field NAME           a stable id "LABEL:OFFSET" for downstream idempotence
//   --ingest-time-field NAME  the wall-clock time of ingestion (not reproducible)

#include "json/document.hpp"
#include "json/splice.hpp"
#include "run/operator.hpp"

#include <string>
#include <vector>

namespace weir {

struct IngestConfig {
    std::string source_field = "_source";
    std::string id_field;
    std::string ingest_time_field;
};

class IngestOp final : public Operator {
public:
    explicit IngestOp(IngestConfig cfg);

    std::string_view name() const override { return "ingest"; }

    std::uint32_t state_version() const override { return 1; }

    Flow process(const Record& in, Context& ctx) override;

private:
    // The record's text holds one of the names weir adds (or an escape): only then may
    // the record have the field already.
    bool mentions_a_field(std::string_view json) const;

    IngestConfig cfg_;
    std::vector<std::string> quoted_names_; // "\"_source\"", ...: searched in records
    JsonDoc doc_; // parses records no reader parsed (frames), when they may hold a name
    Splicer splicer_;
    std::string scratch_;
    std::vector<std::string> source_members_; // per source id: `"FIELD":"LABEL"`
};

} // namespace weir
