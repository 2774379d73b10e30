# A reader that stops early ends weir-gen quietly.
weir-gen | head -n 2 | wc -l
