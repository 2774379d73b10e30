# Every long option in --help is documented in the man page.
man=$WEIR_TESTS/../../../man/weir-gen.1.scd
weir-gen --help | grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r opt; do
    grep -q -- "\*$opt\*" "$man" || echo "$opt: not in weir-gen.1.scd"
done
weir-gen --help | head -1
