#!/usr/bin/python3
"""Run a command, time it and sample the memory of its process tree.

usage: measure.py [--json FILE] [--server PID]... [--quiet MAX,TIMEOUT]
                  -- COMMAND [ARG...]

--quiet MAX,TIMEOUT: before starting, wait (at most TIMEOUT seconds) until
the machine's CPU is at most MAX busy (0..1) over 2 s, so that other work on
a shared machine does not slow the run down.

Every 0.25 s it reads /proc/<pid>/smaps_rollup of the command and all its
descendants and sums their PSS (proportional set size: shared pages are
split between the processes that share them, so a sum over several
processes is not inflated by shared libraries).  --server PID adds the
process tree of an already running server (e.g. lighttpd and its FastCGI
mapserv children) as a separate figure.  Writes JSON:
  seconds, exit, peak_pss_kib (command tree), peak_server_pss_kib,
  peak_total_pss_kib (command + servers, same sample), maxrss_kib (the
  largest single process's peak RSS among the command's children, as
  /usr/bin/time %M reports it).
"""
import json
import os
import resource
import subprocess
import sys
import threading
import time


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        ppid = int(s[s.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree(root, kids):
    out, stack = [], [root]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(kids.get(p, ()))
    return out


def pss(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid):
    """utime + stime + cutime + cstime of a live process, in clock ticks."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return 0
    a = s[s.rindex(")") + 2:].split()
    return int(a[11]) + int(a[12]) + int(a[13]) + int(a[14])


def tree_ticks(roots):
    kids = children_map()
    return sum(cpu_ticks(p) for r in roots for p in tree(r, kids))


def cpu_busy(interval=2.0):
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        return sum(v), idle
    t0, i0 = snap()
    time.sleep(interval)
    t1, i1 = snap()
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


def main(argv):
    out_json = None
    servers = []
    qmax, qto = 1.0, 0.0
    i = 1
    while i < len(argv) and argv[i] != "--":
        if argv[i] == "--json":
            out_json = argv[i + 1]; i += 2
        elif argv[i] == "--quiet":
            qmax, qto = (float(v) for v in argv[i + 1].split(",")); i += 2
        elif argv[i] == "--server":
            servers.append(int(argv[i + 1])); i += 2
        else:
            sys.exit("measure.py: unknown option " + argv[i])
    cmd = argv[i + 1:]
    if not cmd:
        sys.exit(__doc__)
    peak = {"cmd": 0, "srv": 0, "tot": 0}
    stop = threading.Event()
    busy = cpu_busy()
    waited = 0.0
    while busy > qmax and waited < qto:
        waited += 2.0
        busy = cpu_busy()
    if busy > qmax:
        print("measure: CPU %.0f%% busy before the run: timings are skewed" % (busy * 100),
              file=sys.stderr)
    hz = os.sysconf("SC_CLK_TCK")
    srv0 = tree_ticks(servers)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)

    def sample():
        while not stop.is_set():
            kids = children_map()
            c = sum(pss(p) for p in tree(proc.pid, kids))
            s = sum(pss(p) for r in servers for p in tree(r, kids))
            peak["cmd"] = max(peak["cmd"], c)
            peak["srv"] = max(peak["srv"], s)
            peak["tot"] = max(peak["tot"], c + s)
            stop.wait(0.25)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    dt = time.monotonic() - t0
    srv1 = tree_ticks(servers)
    stop.set()
    th.join()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = {"seconds": round(dt, 3), "exit": rc,
           "peak_pss_kib": peak["cmd"],
           "peak_server_pss_kib": peak["srv"],
           "peak_total_pss_kib": peak["tot"],
           "maxrss_kib": ru.ru_maxrss,
           "cpu_seconds": round(ru.ru_utime + ru.ru_stime, 2),
           "sys_seconds": round(ru.ru_stime, 2),
           "server_cpu_seconds": round((srv1 - srv0) / hz, 2),
           "busy_before": round(busy, 3), "waited_quiet_s": waited}
    s = json.dumps(res)
    if out_json:
        with open(out_json, "w") as f:
            f.write(s + "\n")
    print("measure: " + s, file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
