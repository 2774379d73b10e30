# Flag mistakes stop weir-window at start-up with exit 2, naming the problem.
w() { weir window "$@" /dev/null || echo "exit $?"; }
w
w --size 0
w --size 0s
w --size 1m --slide 0s
w --size 1m --agg sum
w --size 1m --agg nosuch:x
w --size 1m --agg 'quantile(1.5):x'
w --size 1m --agg count --agg count
w --size 1m --agg 'count_if:a >'
w --size 1m --by 'a..b'
w --size 1m --by device,device.os
w --size 1m --by a,a
w --size 1m --by count
w --size 1m --by window
w --size 1m --keep-open
w --size 1m --state-ttl 1h
w --running --size 1m
w --running --emit update
w --running --merge
w --size 1d --slide 1us
w --size 1m --watermark soon
w --size 1m --emit sometimes
w --size 1m --emit-every 0s
