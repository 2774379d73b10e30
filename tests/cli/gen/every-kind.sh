# High ratios so that duplicates, late events and each kind of invalid line appear.
weir-gen -n 40 --seed 4 --dup-ratio 0.2 --invalid-ratio 0.2 --ooo-ratio 0.3 --max-delay 2s \
    --rate 10 --users 20 --start 2023-12-31T23:59:55+01:00
