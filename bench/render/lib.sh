# Shared by peers.sh and render.sh (sourced; set_aside and empty_trash
# need $work).
#
# set_aside DIR: moves an earlier run's output out of the way instead of
# deleting it.  Deleting some 20,000 tiles just before a timed run skews it:
# on ext4 without a journal (this machine's disk) a freed inode counts as
# "recently deleted" for 60 s (360 s while its inode-table block is dirty)
# and the allocator skips such inodes one by one, so every file the next
# run creates costs tens of microseconds of kernel time -- up to 5 s of
# system time for mapgen's 12,500 files (docs/performance.md).  Outputs set
# aside go to $work/trash/ and are deleted by empty_trash when the whole
# benchmark is over.
set_aside() {
    [ -e "$1" ] || return 0
    mkdir -p "$work/trash"
    mv "$1" "$(mktemp -d "$work/trash/old.XXXXXX")/"
}

# empty_trash: deletes what set_aside kept (end of the benchmark).
empty_trash() {
    rm -rf "$work/trash"
}

# fastest OUT RUN.json...: the run of fewest seconds, with how many runs
# there were and all their times, into OUT (report.py's input).
fastest() {
    local out=$1; shift
    jq -s -c 'min_by(.seconds) + {runs: length, all_seconds: map(.seconds)}' \
        "$@" > "$out"
}
