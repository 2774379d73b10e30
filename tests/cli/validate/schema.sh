# A JSON Schema subset with a nested object and an array of objects.
cat > schema.json <<'JSON'
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "order",
  "type": "object",
  "required": ["order_id", "placed_at", "customer", "items"],
  "properties": {
    "order_id": {"type": "string", "pattern": "^o-[0-9]+$"},
    "placed_at": {"type": "string", "format": "date-time"},
    "status": {"enum": ["new", "paid", "shipped"]},
    "customer": {
      "type": "object",
      "required": ["id"],
      "additionalProperties": false,
      "properties": {
        "id": {"type": "integer", "minimum": 1},
        "email": {"type": "string", "minLength": 3, "maxLength": 40}
      }
    },
    "items": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["sku", "qty"],
        "properties": {
          "sku": {"type": "string"},
          "qty": {"type": "integer", "exclusiveMinimum": 0, "maximum": 100}
        }
      }
    }
  }
}
JSON
cat > orders.ndjson <<'NDJSON'
{"order_id":"o-1","placed_at":"2024-03-01T12:00:00Z","status":"paid","customer":{"id":7,"email":"a@b.c"},"items":[{"sku":"x","qty":1},{"sku":"y","qty":100}]}
{"order_id":"o-2","placed_at":"2024-03-01","status":"lost","customer":{"id":0,"vip":true},"items":[{"sku":"x","qty":0},{"qty":1.5}]}
{"order_id":"3","placed_at":"2024-03-01T12:00:00Z","customer":{"email":"ab"},"items":{}}
{"placed_at":"2024-03-01T12:00:00+01:00","customer":{"id":1},"items":[]}
NDJSON
weir validate --schema schema.json --quarantine q.ndjson --now 2024-03-02T00:00:00Z orders.ndjson
echo "--- quarantine"
cat q.ndjson
echo "--- unsupported keyword"
echo '{"properties":{"x":{"oneOf":[{"type":"string"}]}}}' > bad.json
weir validate --schema bad.json orders.ndjson || echo "exit $?"
