#!/usr/bin/env python3
"""fill-queue.py QUEUE STATE TEMPLATE HAVE LEVEL: copies queue file TEMPLATE (in
QUEUE/STATE, with its QUEUE/status sidecar) under new valid ids until STATE holds LEVEL
copies numbered from HAVE: a large queue of real queue files in seconds, for benchmarks."""
import shutil, sys

q, state, tmpl, have, level = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def b36(n, w):
    s = ""
    while n:
        n, r = divmod(n, 36); s = digits[r] + s
    return s.rjust(w, "0")


for k in range(have, level):
    qid = tmpl[:7] + b36(k, 9)
    shutil.copyfile(f"{q}/{state}/{tmpl}", f"{q}/{state}/{qid}")
    shutil.copyfile(f"{q}/status/{tmpl}", f"{q}/status/{qid}")
