# Rule errors are reported at start-up, naming the rule, with exit 2 (66 for a missing
# file); nothing is read.
v() { weir validate "$@" /dev/null || echo "exit $?"; }
v --rule 'r: amount >< 3'
v --rule 'r: lenn(name) > 3'
v --rule 'no colon here'
v --range amount:9..1
v --range amount
v --type amount:float
v --match 'f:(unclosed'
v --max-age event_time:soon
v --require 'a..b'
v --now yesterday --require a
v --rules missing.toml
printf '[x]\nfield = "a"\nrange = "1..2"\ntype = "string"\n' > two.toml
v --rules two.toml
v
