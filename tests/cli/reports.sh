#!/bin/sh
# The ranking reports as a reader uses them (tests/fixtures/clean, figures
# worked by hand in clean.sh): the parent region's code and name, counts
# whole and rates to 2 decimals, and --csv=spreadsheet: a UTF-8 byte order
# mark and the locale's signs (ro_RO: decimal ',' so cells split by ';').
#   plain        the default file
#   spreadsheet  --csv=spreadsheet under LC_ALL=ro_RO.UTF-8 (compiled here
#                with localedef into $T, so no locale need be installed),
#                and --csv=spreadsheet:C.UTF-8 (decimal '.', so ',')
#   bad          an unknown mode and a locale that is not there: exit 2
set -eu
. "$(dirname "$0")/lib.sh"

src=$FIXTURES/clean
out=$T/out
case "$1" in
plain)
    run run "$src/clean.json" -o "$out" --force -q --no-tiles
    expect_rc 0
    r=$out/reports/ranking.csv
    expect_eq "header" "$(head -n 1 "$r")" \
        "level,category,rank,code,name,parent_code,parent_name,population,need,supply,gap,coverage,gap_per10k"
    # Alfa: need 590, supply 310, gap 305 (clean.sh); coverage 310/590 =
    # 0.5254 -> 0.53; gap per 10k 305/2000*1e4 = 1525.  Delta: 95/300*1e4 =
    # 3166.67.  Its county is 1, Nordia; a county has no parent.
    expect_eq "Alfa" "$(grep '^commune,total,1,' "$r")" \
        "commune,total,1,007,Alfa,1,Nordia,2000,590,310,305,0.53,1525.00"
    expect_eq "Delta" "$(grep '^commune,total,3,' "$r")" \
        "commune,total,3,010,Delta,2,Sudia,300,95,0,95,0.00,3166.67"
    expect_eq "Nordia" "$(grep '^county,promotion,1,' "$r")" \
        "county,promotion,1,1,Nordia,,,3500,150,80,100,0.53,285.71"
    # No cell has more than 2 decimals.
    expect_eq "long decimals" "$(grep -c '\.[0-9]\{3\}' "$r" || true)" 0
    ;;
spreadsheet)
    command -v localedef >/dev/null || fail "localedef (libc-bin) missing"
    mkdir -p "$T/loc"
    localedef -i ro_RO -f UTF-8 "$T/loc/ro_RO.UTF-8" 2>/dev/null ||
        [ -d "$T/loc/ro_RO.UTF-8" ] || fail "localedef ro_RO failed"
    run run "$src/clean.json" -o "$T/plain" --force -q --no-tiles
    expect_rc 0
    # glibc keeps a locale it loaded from LOCPATH for the life of the
    # process (its path list from __argz_add_sep): not ours to free.
    echo "leak:__argz_add_sep" >"$T/lsan.supp"
    set +e
    LSAN_OPTIONS=suppressions=$T/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS} \
    LOCPATH=$T/loc LC_ALL=ro_RO.UTF-8 "$MAPGEN" run "$src/clean.json" \
        -o "$out" --force -q --no-tiles --csv=spreadsheet 2>"$T/stderr"
    RC=$?
    set -e
    expect_rc 0
    ! grep -q -E 'Sanitizer|runtime error:' "$T/stderr" ||
        { cat "$T/stderr" >&2; fail "sanitizer report"; }
    r=$out/reports/ranking.csv
    expect_eq "BOM" "$(head -c 3 "$r" | od -An -tx1 | tr -d ' ')" efbbbf
    expect_eq "Alfa" "$(grep '^commune;total;1;' "$r")" \
        "commune;total;1;007;Alfa;1;Nordia;2000;590;310;305;0,53;1525,00"
    # The same table as the plain one, cell for cell, once read back.
    "$PY" - "$r" "$T/plain/reports/ranking.csv" <<'PYEOF' ||
import csv, sys
a = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""),
                    delimiter=";"))
b = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
assert [[c.replace(",", ".") for c in row] for row in a] == b
PYEOF
        fail "the spreadsheet ranking differs from the plain one"
    run run "$src/clean.json" -o "$T/c" --force -q --no-tiles \
        --csv=spreadsheet:C.UTF-8
    expect_rc 0
    expect_eq "C.UTF-8 Alfa" "$(grep '^commune,total,1,' "$T/c/reports/ranking.csv")" \
        "commune,total,1,007,Alfa,1,Nordia,2000,590,310,305,0.53,1525.00"
    expect_eq "C.UTF-8 BOM" "$(head -c 3 "$T/c/reports/ranking.csv" | od -An -tx1 | tr -d ' ')" efbbbf
    ;;
bad)
    run run "$src/clean.json" -o "$out" --force --no-tiles --csv=excel
    expect_rc 2
    expect_err "mapgen run: --csv 'excel': expected plain, spreadsheet"
    run run "$src/clean.json" -o "$out" --force --no-tiles \
        --csv=spreadsheet:xx_NOPE.UTF-8
    expect_rc 2
    expect_err "locale 'xx_NOPE.UTF-8' is not installed"
    [ ! -e "$out" ] || fail "a usage error left $out"
    ;;
*)
    fail "unknown case $1"
    ;;
esac
echo "ok"
