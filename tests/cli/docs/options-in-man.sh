# Every long option a tool's --help shows is documented in its man page.
man_dir="$WEIR_TESTS/../../../man"
for tool in weir-ingest weir-validate weir-enrich weir-dedup weir-window weir-fanout weir-sessionize weir-cat weir-checkpoint weir-gen; do
    page="$man_dir/$tool.1.scd"
    [ -f "$page" ] || { echo "$tool: no man page"; continue; }
    $tool --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | while read -r opt; do
        grep -q -- "$opt" "$page" || grep -q -- "$opt" "$man_dir/weir.1.scd" ||
            echo "$tool: $opt is not in $tool.1.scd"
    done
done
echo done
