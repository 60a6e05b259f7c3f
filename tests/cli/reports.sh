#!/bin/sh
# The ranking reports as a reader uses them (tests/fixtures/clean, figures
# worked by hand in clean.sh): the parent region's code and name, counts
# whole and rates to 2 decimals, and --csv=spreadsheet: a UTF-8 byte order
# mark and the locale's signs (ro_RO: decimal ',' so cells split by ';').
#   plain        the default file
#   spreadsheet  --csv=spreadsheet under LC_ALL=ro_RO.UTF-8 (compiled here
#                with localedef into $T, so no locale need be installed),
#                and --csv=spreadsheet:C.UTF-8 (decimal '.', so ',')
#   sites_change the same for reports/sites.csv (the clean fixture with
#                "siting") and reports/change.csv (tests/fixtures/periods):
#                the default files as before, the spreadsheet ones in ro_RO
#   poverty      poverty-ranking.csv and poverty-af.csv (tests/fixtures/
#                poverty) the same way
#   bad          an unknown mode and a locale that is not there: exit 2
set -eu
. "$(dirname "$0")/lib.sh"

src=$FIXTURES/clean
out=$T/out

# ro_locale: ro_RO.UTF-8 compiled into $T/loc, for run_ro.
ro_locale() {
    command -v localedef >/dev/null || fail "localedef (libc-bin) missing"
    mkdir -p "$T/loc"
    localedef -i ro_RO -f UTF-8 "$T/loc/ro_RO.UTF-8" 2>/dev/null ||
        [ -d "$T/loc/ro_RO.UTF-8" ] || fail "localedef ro_RO failed"
    # glibc keeps a locale it loaded from LOCPATH for the life of the
    # process (its path list from __argz_add_sep): not ours to free.
    echo "leak:__argz_add_sep" >"$T/lsan.supp"
}

# run_ro ARGS...: `mapgen run ARGS --csv=spreadsheet` under
# LC_ALL=ro_RO.UTF-8; must exit 0 without a sanitizer report.
run_ro() {
    set +e
    LSAN_OPTIONS=suppressions=$T/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS} \
    LOCPATH=$T/loc LC_ALL=ro_RO.UTF-8 "$MAPGEN" run "$@" \
        --csv=spreadsheet 2>"$T/stderr"
    RC=$?
    set -e
    expect_rc 0
    no_sanitizer_report "mapgen run $* --csv=spreadsheet (ro_RO)"
}

# same_table SPREADSHEET PLAIN: the same table, cell for cell, once read
# back (the spreadsheet file's numbers with ',' as the decimal sign).
same_table() {
    "$PY" - "$1" "$2" <<'PYEOF' || fail "$1 differs from $2"
import csv, re, sys
a = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""),
                    delimiter=";"))
b = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
# A text cell is the same; a number of the plain file ("-6.93951409",
# "1.5e-07") has ',' where the plain one has '.'.
num = re.compile(r"-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$")
assert len(a) == len(b) and all(len(x) == len(y) for x, y in zip(a, b))
assert all(c == d or (num.match(d) and c == d.replace(".", ","))
           for x, y in zip(a, b) for c, d in zip(x, y))
PYEOF
}

expect_bom() {
    expect_eq "$1 BOM" "$(head -c 3 "$1" | od -An -tx1 | tr -d ' ')" efbbbf
}

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
    ro_locale
    run run "$src/clean.json" -o "$T/plain" --force -q --no-tiles
    expect_rc 0
    run_ro "$src/clean.json" -o "$out" --force -q --no-tiles
    r=$out/reports/ranking.csv
    expect_bom "$r"
    expect_eq "Alfa" "$(grep '^commune;total;1;' "$r")" \
        "commune;total;1;007;Alfa;1;Nordia;2000;590;310;305;0,53;1525,00"
    same_table "$r" "$T/plain/reports/ranking.csv"
    run run "$src/clean.json" -o "$T/c" --force -q --no-tiles \
        --csv=spreadsheet:C.UTF-8
    expect_rc 0
    expect_eq "C.UTF-8 Alfa" "$(grep '^commune,total,1,' "$T/c/reports/ranking.csv")" \
        "commune,total,1,007,Alfa,1,Nordia,2000,590,310,305,0.53,1525.00"
    expect_eq "C.UTF-8 BOM" "$(head -c 3 "$T/c/reports/ranking.csv" | od -An -tx1 | tr -d ' ')" efbbbf
    ;;
sites_change)
    ro_locale
    # Two recommended sites on the clean fixture (as tests/viewer/identify.sh).
    cp -R "$src" "$T/in"
    "$PY" - "$T/in/clean.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
doc["siting"] = {"category": "rehabilitation", "count": 2, "radius": 8}
json.dump(doc, open(sys.argv[1], "w", encoding="utf-8"))
PYEOF
    run run "$T/in/clean.json" -o "$T/plain" -q --no-tiles
    expect_rc 0
    run_ro "$T/in/clean.json" -o "$out" -q --no-tiles
    s=$T/plain/reports/sites.csv
    # The default file as before: ',' and '.', no BOM; 2 decimals where
    # the ranking has them, coordinates to 7, the rest as it is.
    expect_eq "sites.csv header" "$(head -c 7 "$s")" "method,"
    expect_eq "sites.csv row 1" "$(sed -n 2p "$s")" \
        'mclp,rehabilitation,1,008,Bravo,008,Bravo,25.1500000,45.1500000,,8,gap,180.00,180.00,3,4.79,"007,008,009",exact,0'
    expect_bom "$out/reports/sites.csv"
    expect_eq "spreadsheet sites.csv row 1" "$(sed -n 2p "$out/reports/sites.csv")" \
        'mclp;rehabilitation;1;008;Bravo;008;Bravo;25,1500000;45,1500000;;8;gap;180,00;180,00;3;4,79;007,008,009;exact;0'
    same_table "$out/reports/sites.csv" "$s"

    run run "$FIXTURES/periods/periods.json" -o "$T/plain-p" -q --no-tiles
    expect_rc 0
    run_ro "$FIXTURES/periods/periods.json" -o "$T/out-p" -q --no-tiles
    c=$T/plain-p/reports/change.csv
    # Bravo's need 40 -> 30 in 4 years: -25 %, (30/40)^(1/4) - 1 = -6.94 %
    # a year, at full precision (10 significant digits).
    expect_eq "change.csv Bravo" \
        "$(grep '^2011,2015,4,cell,B,Bravo,need_consultation,' "$c")" \
        "2011,2015,4,cell,B,Bravo,need_consultation,40,30,-10,-25,-2.5,-6.93951409,improved,1,,,"
    c2=$T/out-p/reports/change.csv
    expect_bom "$c2"
    expect_eq "spreadsheet change.csv Bravo" \
        "$(grep '^2011;2015;4;cell;B;Bravo;need_consultation;' "$c2")" \
        "2011;2015;4;cell;B;Bravo;need_consultation;40;30;-10;-25;-2,5;-6,93951409;improved;1;;;"
    same_table "$c2" "$c"
    ;;
poverty)
    # The poverty reports (tests/fixtures/poverty, worked by hand in
    # tests/geodata/test_poverty*.c): the default files are the expected
    # ones of poverty.sh; in ro_RO both follow the mode, the AF report's
    # figures at full precision with ',' as the decimal sign.
    ro_locale
    p=$FIXTURES/poverty
    run run "$p/poverty.json" -o "$T/plain" -q --no-tiles
    expect_rc 0
    diff -u "$p/expected-af.csv" "$T/plain/reports/poverty-af.csv" ||
        fail "the default poverty-af.csv changed"
    run_ro "$p/poverty.json" -o "$out" -q --no-tiles
    for f in poverty-af.csv poverty-ranking.csv; do
        expect_bom "$out/reports/$f"
        same_table "$out/reports/$f" "$T/plain/reports/$f"
    done
    expect_eq "spreadsheet AF header" \
        "$(sed -n 1p "$out/reports/poverty-af.csv" | cut -c4- | cut -d';' -f1-8)" \
        "level;code;name;records;weight;h;a;m0"
    grep -q '^national;;national;' "$out/reports/poverty-af.csv" ||
        fail "no national row in the spreadsheet poverty-af.csv"
    grep -q '[0-9],[0-9]' "$out/reports/poverty-af.csv" ||
        fail "no decimal comma in the spreadsheet poverty-af.csv"
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
