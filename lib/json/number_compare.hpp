#pragma once

// Comparing JSON numbers by value, exactly, across the kinds simdjson gives them
// (int64, uint64, double): 2^53 + 1 is not 2^53.0, 3 equals 3.0. Converting everything
// to double would get the first wrong; every tool that compares numbers from records
// (schemas, enum rules, expressions) uses these.

#include "json/document.hpp"

#include <cstdint>

namespace weir {

// -1, 0, 1 for an integer against a finite double.
int compare_int_double(std::int64_t i, double d);

// An integer, or a double with no fraction (JSON Schema's "integer": 3.0 is one).
bool is_integral(const FieldValue& v);

// -1, 0, 1; both values must be numbers (FieldValue::is_number()).
int compare_numbers(const FieldValue& a, const FieldValue& b);

} // namespace weir
