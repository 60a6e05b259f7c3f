"""Requests tiles in a loop while `mapgen run --force` replaces the stores
under the servers (reload.sh).  Every answer must be whole: a 200 whose
bytes are the tile of the old or of the new store, never a mix or a cut;
a 404 is allowed only where a directory store is between its two renames
(docs/stores.md).  Stops when STOP_FILE exists, or after 150 s.

usage: reload_client.py REF_A REF_B STOP_FILE REPORT NAME=URL[,dir] ...
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

ref_a, ref_b, stop_file, report = sys.argv[1:5]
targets = sys.argv[5:]


def tiles_of(ref):
    out = {}
    for map_name in ("choropleth", "dots"):
        base = os.path.join(ref, "tiles", map_name)
        for root, _, files in os.walk(base):
            for f in files:
                if f.endswith(".png"):
                    rel = os.path.relpath(os.path.join(root, f), base)
                    with open(os.path.join(root, f), "rb") as fh:
                        out[map_name + "/" + rel] = fh.read()
    return out


A, B = tiles_of(ref_a), tiles_of(ref_b)
assert A.keys() == B.keys() and len(A) == 20, (len(A), len(B))
# The test could not tell old from new if the bytes were the same.
assert all(A[k] != B[k] for k in A), "the two renders have equal tiles"
keys = sorted(A)
results = {}
lock = threading.Lock()


def worker(name, url, allow_404):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    r = {"requests": 0, "old": 0, "new": 0, "404": 0, "bad": []}
    deadline = time.time() + 150
    i = 0
    while not os.path.exists(stop_file) and time.time() < deadline:
        key = keys[i % len(keys)]
        # the store's own route, and for the directory the file's path too
        path = "/" + key if i % 2 == 0 or not allow_404 else "/tiles/" + key
        i += 1
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as e:
            r["bad"].append("%s: %s" % (path, e))
            conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            continue
        r["requests"] += 1
        # Paced, so that the runs of mapgen have a core too.
        time.sleep(0.002)
        if resp.status == 200 and body == A[key]:
            r["old"] += 1
        elif resp.status == 200 and body == B[key]:
            r["new"] += 1
        elif resp.status == 404 and allow_404:
            r["404"] += 1
        else:
            r["bad"].append("%s: %d, %d bytes, neither tile" %
                            (path, resp.status, len(body)))
    with lock:
        results[name] = r


threads = []
for t in targets:
    name, rest = t.split("=", 1)
    url, _, kind = rest.partition(",")
    th = threading.Thread(target=worker, args=(name, url, kind == "dir"))
    th.start()
    threads.append(th)
for th in threads:
    th.join()
with open(report, "w") as f:
    json.dump(results, f, indent=1)
bad = sum(len(r["bad"]) for r in results.values())
sys.exit(1 if bad else 0)
