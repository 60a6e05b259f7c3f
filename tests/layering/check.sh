#!/bin/sh
# check.sh ok|fail BUILD_DIR TARGET SOURCE: builds one layering case.
# ok: it must compile.  fail: it must not, and only because the header it
# includes is not on its include path ("fatal error: H: No such file").
expect=$1 build=$2 target=$3 src=$4
header=$(sed -n 's/^#include "\(.*\)"$/\1/p' "$src")
log=$(cmake --build "$build" --target "$target" 2>&1)
rc=$?
case $expect in
ok)
    [ $rc -eq 0 ] && { echo "ok: $target builds"; exit 0; }
    echo "$log"
    echo "FAIL: $target should build (it includes $header legitimately)"
    exit 1 ;;
fail)
    if [ $rc -eq 0 ]; then
        echo "FAIL: $target built, so $header is visible where the layering forbids it"
        exit 1
    fi
    if echo "$log" | grep -q "fatal error: $header: No such file"; then
        echo "ok: $target refused: $header is not on its include path"
        exit 0
    fi
    echo "$log"
    echo "FAIL: $target failed for another reason than the missing $header"
    exit 1 ;;
esac
