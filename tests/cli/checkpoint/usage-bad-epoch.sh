# A parse error names the problem, points at --help and exits 2.
weir-checkpoint show ck dedup --epoch=yesterday
