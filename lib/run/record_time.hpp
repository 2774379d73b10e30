#pragma once

// The event time of the record an operator is processing, read in the operator's own
// field walk (json/field_resolver.hpp) instead of a separate lookup by the run loop:
// weir-window and weir-dedup read their keys, fields and time in one walk. A time the
// frame carries is used as it is, unless --time was given explicitly.

#include "json/field_path.hpp"
#include "json/field_resolver.hpp"
#include "run/operator.hpp"
#include "time/event_time.hpp"
#include "time/time_unit.hpp"

#include <string>

namespace weir {

class RecordTime {
public:
    // Registers `field` in `fields`. `given`: --time was on the command line.
    RecordTime(FieldPath field, TimeUnit unit, bool given, FieldResolver& fields)
        : field_(std::move(field))
        , unit_(unit)
        , given_(given)
        , slot_(fields.add(field_)) {}

    // Whether the record's time comes from its field (then resolve the record first).
    bool from_field(const Record& in) const { return given_ || in.event_time == no_timestamp; }

    // The record's event time into `t`; a record without a usable one is rejected
    // (bad_time, "field 'event_time': missing") and false returned. `fields` must have
    // resolved the record when from_field(in).
    bool read(const Record& in, const FieldResolver& fields, Context& ctx, Timestamp& t) {
        t = in.event_time;
        if (!from_field(in))
            return true;
        if (event_time_of_field(fields[slot_], field_.text(), unit_, t, problem_))
            return true;
        ctx.reject(Reason::bad_time, problem_);
        return false;
    }

private:
    FieldPath field_;
    TimeUnit unit_;
    bool given_;
    std::size_t slot_;
    std::string problem_;
};

} // namespace weir
