// The one main() of weir_unit_tests; the cases live in tests/unit/<area>/*_test.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
