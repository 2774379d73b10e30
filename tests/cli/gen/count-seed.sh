# The first 20 lines of seed 1: any change to the stream shows here.
weir-gen --count 20 --seed 1
