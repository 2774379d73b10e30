// window_assign.hpp is all templates and constexpr functions, so that the per-record
// loop inlines into each operator; this file only checks that the header stands alone.
#include "time/window_assign.hpp"
