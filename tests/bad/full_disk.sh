#!/bin/sh
# A write failure mid-run: the output folder on a small tmpfs that a first
# run fills almost up.  A second run with --force must fail with exit 5 and
# one line saying the disk is full (no SQL: that is for --debug), leave the
# first run's outputs byte for byte as they were and no partial new file
# (no .tmp-*, no hidden tile store under a final name).  Mounting needs
# root; elsewhere the test is skipped (exit 77).
set -eu
. "$(dirname "$0")/../cli/lib.sh"

[ "$(id -u)" = 0 ] || { echo "skipped: needs root to mount a tmpfs"; exit 77; }
mnt=$T/small
mkdir "$mnt"
mount -t tmpfs -o size=4m tmpfs "$mnt" 2>/dev/null ||
    { echo "skipped: cannot mount a tmpfs"; exit 77; }
trap 'umount "$mnt" 2>/dev/null; rm -rf "$T"' EXIT
out=$mnt/out
clean=$FIXTURES/clean/clean.json

run run "$clean" -o "$out" -q -z 0-5
expect_rc 0
(cd "$out" && find . -type f | sort | xargs md5sum) >"$T/before"

# Leave about 60 KB: less than the GeoPackage alone.
avail=$(df -k --output=avail "$mnt" | tail -1)
dd if=/dev/zero of="$mnt/filler" bs=1k count=$((avail - 60)) 2>/dev/null

for args in "--no-tiles" "-z 0-7"; do
    # shellcheck disable=SC2086
    run run "$clean" -o "$out" --force $args
    expect_rc 5
    # The GeoPackage fails first, or (with tiles) the free-space check
    # before rendering.
    expect_err "mapgen: error: "
    grep -q -E "the disk is full|not enough free disk space" "$T/stderr" ||
        { cat "$T/stderr" >&2; fail "$args: no word of the full disk"; }
    [ "$(grep -c 'mapgen: error' "$T/stderr")" = 1 ] || fail "not one error line"
    if grep -q -i -E 'sqlite3_exec|insert into|create table|update gpkg' "$T/stderr"; then
        cat "$T/stderr" >&2
        fail "SQL in the message without --debug"
    fi
    (cd "$out" && find . -type f | sort | xargs md5sum) >"$T/after"
    diff "$T/before" "$T/after" || fail "$args: the previous outputs changed"
    left=$(find "$out" -name '.tmp-*' -o -name '.partial*' | head -5)
    [ -z "$left" ] || fail "$args: partial files left: $left"
done

# With --debug the library's own message is there too.
run run "$clean" -o "$out" --force --no-tiles --debug
expect_rc 5
expect_err "the disk is full" "GDAL: "
echo "ok (full_disk)"
