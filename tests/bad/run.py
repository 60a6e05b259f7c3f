#!/usr/bin/python3
"""The bad-input corpus (tests/bad/README.md): one table of cases, each a
copy of the clean fixture (tests/fixtures/clean) with one defect, run
through `mapgen run`.

    run.py SHARD NSHARDS   runs every case whose index % NSHARDS == SHARD
    run.py --list          prints the cases
    run.py NAME...         runs the cases named

A failing case ("fail") must exit with its status, print one
"mapgen: error:" line naming the file and the field (or JSON key), and
leave no file in the output folder.  A data problem ("report") must exit 0
with a join-report row naming the file, feature and field.  Any sanitizer
report fails the case.

Environment: MAPGEN (the binary), FIXTURES (tests/fixtures), TEST_TMPDIR.
"""
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402

SANITIZER = ("AddressSanitizer", "LeakSanitizer",
             "UndefinedBehaviorSanitizer", "runtime error:")


def files_under(path):
    found = []
    for root, _dirs, names in os.walk(path):
        found += [os.path.join(root, n) for n in names]
    return found


def run_case(case, mapgen, fixtures, tmp):
    work = tempfile.mkdtemp(prefix="bad.", dir=tmp)
    try:
        inp = os.path.join(work, "in")
        shutil.copytree(os.path.join(fixtures, "clean"), inp)
        ctx = cases.Ctx(inp)
        case.setup(ctx)
        out = os.path.join(work, "out")
        args = [mapgen] + [a.format(out=out, inp=inp) for a in case.args]
        p = subprocess.run(args, cwd=inp, capture_output=True, text=True,
                           timeout=case.timeout)
        return check(case, p, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check(case, p, out):
    err = p.stderr
    problems = []
    if any(s in err for s in SANITIZER):
        problems.append("sanitizer report")
    if p.returncode != case.rc:
        problems.append("exit status %d, expected %d" % (p.returncode, case.rc))
    for text in case.texts:
        if text not in err:
            problems.append("stderr lacks %r" % text)
    if case.kind == "fail":
        if case.error_line and "mapgen: error: " not in err:
            problems.append("no 'mapgen: error:' line")
        left = files_under(out)
        if left:
            problems.append("files left behind: %s" % ", ".join(left))
    if case.report:
        problems += cases.check_report(out, case.report)
    if case.extra:
        problems += case.extra(p, out)
    return problems, err


def main(argv):
    mapgen = os.environ["MAPGEN"]
    fixtures = os.environ["FIXTURES"]
    tmp = os.environ.get("TEST_TMPDIR", "/tmp")
    os.makedirs(tmp, exist_ok=True)
    table = cases.all_cases()
    if argv[1:2] == ["--list"]:
        for i, c in enumerate(table):
            print(i, c.name, c.kind, c.rc)
        return 0
    if len(argv) == 3 and argv[1].isdigit():
        shard, n = int(argv[1]), int(argv[2])
        chosen = [c for i, c in enumerate(table) if i % n == shard]
    else:
        chosen = [c for c in table if c.name in argv[1:]]
    failed = 0
    for c in chosen:
        problems, err = run_case(c, mapgen, fixtures, tmp)
        if problems:
            failed += 1
            print("FAIL %s: %s\n--- stderr:\n%s" % (c.name, "; ".join(problems),
                                                  err[-3000:]))
        else:
            print("ok   %s" % c.name)
            if os.environ.get("BAD_VERBOSE"):
                print("    " + err.strip().replace("\n", "\n    "))
    print("%d of %d cases failed" % (failed, len(chosen)))
    return 1 if failed or not chosen else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
