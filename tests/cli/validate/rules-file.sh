# Rules from a TOML file: one table per named rule, in file order; a table listing
# several required fields is reported once. --rule adds an expression rule after them.
cp "$WEIR_FIXTURES/validate-events.ndjson" events.ndjson
cat > rules.toml <<'TOML'
[ids]
require = ["event_id", "user_id"]

[amount_sane]
field = "amount"
min = 0
max = 1000

[known_type]
field = "event_type"
enum = ["view", "purchase", 3]

[os]
field = "device.os"
match = "^(ios|android)$"

[fresh]
field = "event_time"
not_future = "1m"

[typed]
field = "amount"
type = "number"

[purchase_has_device]
expr = "event_type != 'purchase' || exists(device)"
description = "purchases must say where they came from"
TOML
weir validate --rules rules.toml --rule 'big: amount >= 1000' --now 2024-03-02T00:00:00Z \
    --quarantine q.ndjson events.ndjson 2>/dev/null
echo "--- quarantine"
cat q.ndjson
