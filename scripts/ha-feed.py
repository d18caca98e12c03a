#!/usr/bin/env python3
"""Live-feed watchers for scripts/reliability.sh failover and node-kill.

    ha-feed.py TOKEN OUT STOP_FILE NAME=BASE_URL...

One thread per NAME=BASE_URL reads GET /api/v1/events/stream (the whole district) as a browser's
EventSource would: when the stream ends, or cannot be opened, it opens it again after 0.5 s with
the id of the last event it received as Last-Event-ID. Each line of OUT is one of
    NAME event ID          a case event received (repeats included)
    NAME reset ID          the server said too much was missed: reload
    NAME open STATUS LAST  a (re)connection attempt and its status (0: no answer)
Once STOP_FILE exists the script ends.
"""
import http.client
import os
import sys
import threading
import time
import urllib.parse

token, out_path, stop_file = sys.argv[1:4]
watched = [argument.split("=", 1) for argument in sys.argv[4:]]
lock = threading.Lock()
out = open(out_path, "a", buffering=1)


class Refused(Exception):
    """The server answered, but not with a stream (its status is recorded already)."""


def record(line):
    with lock:
        out.write(line + "\n")


def watch(name, base):
    url = urllib.parse.urlsplit(base)
    last = None
    while not os.path.exists(stop_file):
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last is not None:
            headers["Last-Event-ID"] = last
        # A stream sends a keep-alive comment every 15 s at most: 40 s of silence is a dead link.
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=40)
        try:
            connection.request("GET", "/api/v1/events/stream", headers=headers)
            response = connection.getresponse()
            record(f"{name} open {response.status} {last or '-'}")
            if response.status != 200:
                response.read()
                raise Refused()
            event_id = event = None
            while True:
                line = response.fp.readline()
                if not line:
                    break  # the stream ended
                line = line.decode("utf-8").rstrip("\n")
                if line.startswith("id: "):
                    event_id = line[4:]
                elif line.startswith("event: "):
                    event = line[7:]
                elif line == "":
                    if event_id is not None:
                        last = event_id
                        if event == "case_event":
                            record(f"{name} event {event_id}")
                        elif event == "reset":
                            record(f"{name} reset {event_id}")
                    event_id = event = None
        except Refused:
            pass
        except (OSError, http.client.HTTPException):
            record(f"{name} open 0 {last or '-'}")
        finally:
            connection.close()
        if not os.path.exists(stop_file):
            time.sleep(0.5)


for name, base in watched:
    threading.Thread(target=watch, args=(name, base), daemon=True).start()
while not os.path.exists(stop_file):
    time.sleep(0.2)
with lock:
    out.flush()
    os._exit(0)
