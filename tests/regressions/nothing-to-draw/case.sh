# Bug: a map with no tile to draw (here a --bbox away from the data) passed
# NULL to memmove() when the renderer retired bands it never had (UBSan:
# "null pointer passed as argument 1"), so the run died under the
# sanitizers.  It must finish, write no tile, and say nothing is drawn.
run run -q "$FIXTURES/../golden/clean/project.json" -o "$T/out" \
    --bbox 0,0,1,1 -z 8-9
expect_rc 0
[ -z "$(find "$T/out/tiles" -name '*.png' 2>/dev/null)" ] ||
    fail "tiles were written for a box without data"
