#include "dedup/fingerprint.hpp"

#include <xxhash.h>

namespace weir {

Fingerprint fingerprint(std::string_view bytes) {
    XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
    Fingerprint fp{h.low64, h.high64};
    if (fp.empty())
        fp.lo = 1;
    return fp;
}

} // namespace weir
