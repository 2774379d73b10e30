# weir help TOOL shows the tool's man page (built beside the binaries).
command -v man >/dev/null || exit 77
MANPAGER=cat MANWIDTH=80 weir help ingest 2>/dev/null | grep -m 2 -E '^(NAME|SYNOPSIS)'
MANPAGER=cat MANWIDTH=80 weir help cat 2>/dev/null | grep -m 1 -o 'weir-cat - convert and inspect'
