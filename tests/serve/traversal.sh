#!/bin/sh
# The traversal corpus (traversal.txt): every way out of the folder is
# refused, and nothing outside it is read.  Run under both ways of
# resolving paths: openat2(RESOLVE_BENEATH) where the kernel has it, and
# the O_NOFOLLOW walk (forced with MG_SERVE_NO_OPENAT2=1).
set -eu
. "$(dirname "$0")/lib.sh"

root=$T/root
out=$root/out
make_out "$out"
echo "SECRET-OUTSIDE-THE-ROOT" >"$root/secret.txt"
echo '{"secret": "SECRET-OUTSIDE-THE-ROOT"}' >"$root/secret.json"
ln -s ../secret.txt "$out/link-out"
ln -s "$root/secret.txt" "$out/link-out-abs"
ln -s .. "$out/dir-out"
ln -s /etc "$out/dir-out-abs"
ln -s ../.. "$out/reports/up"
ln -s link-out "$out/link-chain"
echo "HIDDEN" >"$out/.hidden"
echo "HIDDEN" >"$out/.choropleth.mbtiles.partial"
mkdir -p "$out/tiles/.choropleth.partial/6/36"
cp "$out/tiles/choropleth/6/36/22.png" "$out/tiles/.choropleth.partial/6/36/22.png"
mkfifo "$out/fifo"
# A link that stays inside: followed under openat2, refused by the walk.
ln -s reports/ranking.csv "$out/inside-link.csv"

check_corpus() {
    mode=$1
    n=0
    while IFS= read -r target; do
        case $target in ''|'#'*) continue ;; esac
        n=$((n + 1))
        rm -f "$T/b"
        status=$(curl -s --max-time 10 --path-as-is -o "$T/b" -w '%{http_code}' \
                 --request-target "$target" "$URL/") || status=000
        [ -f "$T/b" ] || : >"$T/b"
        case $status in
        400|404) ;;
        *) fail "$mode: '$target' answered $status: $(head -c 200 "$T/b")" ;;
        esac
        if grep -q -e SECRET-OUTSIDE -e HIDDEN -e 'root:x:' "$T/b"; then
            fail "$mode: '$target' leaked: $(head -c 200 "$T/b")"
        fi
    done <"$(dirname "$0")/traversal.txt"
    [ "$n" -ge 30 ] || fail "the corpus has $n cases, fewer than 30"
    # The server is still there and still serves what is inside.
    rm -f "$T/b"
    status=$(curl -s -o "$T/b" -w '%{http_code}' "$URL/reports/ranking.csv")
    [ "$status" = 200 ] || fail "$mode: ranking.csv answered $status"
    cmp -s "$T/b" "$out/reports/ranking.csv" || fail "$mode: ranking.csv bytes"
    echo "$mode: $n escapes refused"
}

start_server a "$out"
curl -s -o "$T/b" "$URL/health"
mode=$(sed -n 's/.*"resolve": "\([a-z0-9]*\)".*/\1/p' "$T/b")
case $mode in openat2|nofollow) ;; *) fail "/health: $(cat "$T/b")" ;; esac
check_corpus "$mode"
status=$(curl -s -o "$T/b" -w '%{http_code}' "$URL/inside-link.csv")
if [ "$mode" = openat2 ]; then
    [ "$status" = 200 ] || fail "openat2: a link inside the folder answered $status"
else
    [ "$status" = 404 ] || fail "nofollow: a link answered $status"
fi
stop_server a

export MG_SERVE_NO_OPENAT2=1
start_server b "$out"
unset MG_SERVE_NO_OPENAT2
curl -s -o "$T/b" "$URL/health"
grep -q '"resolve": "nofollow"' "$T/b" || fail "MG_SERVE_NO_OPENAT2 ignored: $(cat "$T/b")"
check_corpus nofollow
status=$(curl -s -o "$T/b" -w '%{http_code}' "$URL/inside-link.csv")
[ "$status" = 404 ] || fail "nofollow: a link inside answered $status"
stop_server b
echo "serve_traversal: passed"
