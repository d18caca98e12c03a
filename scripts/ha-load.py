#!/usr/bin/env python3
"""Keyed intake load for scripts/reliability.sh failover and node-kill.

    ha-load.py BASE_URL TOKEN RUN CLIENTS OUT STOP_FILE

CLIENTS threads each submit 12345-hotline intakes (POST /api/v1/cases), every one with its own
Idempotency-Key "RUN-CLIENT-N" and the description "failover RUN-CLIENT-N". An answer of 503, 502,
504 or 409 (the key's first attempt still in flight somewhere), or no answer at all, is retried
with the same key after 100 ms until a 201 acknowledges it. Each answer (or failure) is a line of
OUT: "START END STATUS KEY CASE_NO" (times in seconds since the epoch, status 0: no answer). Once
STOP_FILE exists a client finishes its current key, then ends. Exits 1 when an answer was neither
acknowledged nor retryable (the line names it).
"""
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

base, token, run, clients, out_path, stop_file = sys.argv[1:7]
url = urllib.parse.urlsplit(base)
RETRYABLE = {409, 502, 503, 504}
lock = threading.Lock()
out = open(out_path, "a", buffering=1)
failed = []


def record(start, end, status, key, case_no="-"):
    with lock:
        out.write(f"{start:.3f} {end:.3f} {status} {key} {case_no}\n")


def client(number):
    rng = random.Random(number)
    connection = None
    sent = 0
    while not os.path.exists(stop_file):
        key = f"{run}-{number}-{sent}"
        sent += 1
        body = json.dumps({
            "channel": "hotline_12345",
            "description": f"failover {key}",
            "lon": 109.78 + rng.randrange(80000) / 1e6,
            "lat": 40.61 + rng.randrange(60000) / 1e6,
            "category": "event:0101",
            "reporter": {"name": "张三", "phone": "13812345678"},
            "call": {"started_at": "2026-11-30T01:00:00Z", "ended_at": "2026-11-30T01:03:00Z",
                     "operator": "op-07"},
        }).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                   "Idempotency-Key": key}
        deadline = time.time() + 180
        while True:
            start = time.time()
            if start > deadline:
                record(start, start, -1, key)
                with lock:
                    failed.append(f"{key}: not acknowledged within 180 s")
                return
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                connection.request("POST", "/api/v1/cases", body, headers)
                response = connection.getresponse()
                payload = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection = None
                record(start, time.time(), 0, key)
                time.sleep(0.1)
                continue
            end = time.time()
            if status == 201:
                record(start, end, status, key, json.loads(payload)["case_no"])
                break
            record(start, end, status, key)
            if status not in RETRYABLE:
                with lock:
                    failed.append(f"{key}: {status} {payload[:200]!r}")
                return
            time.sleep(0.1)


threads = [threading.Thread(target=client, args=(n,)) for n in range(int(clients))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
for line in failed:
    print(f"ha-load: {line}", file=sys.stderr)
sys.exit(1 if failed else 0)
