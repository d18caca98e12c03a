#!/usr/bin/env python3
"""Idle-connection client of scripts/reliability.sh idle (loopback only, bounded in time).

    idle-clients.py PORT SERVER_PID CONNECTIONS IDLE_TIMEOUT_SECONDS

Opens CONNECTIONS TCP connections to 127.0.0.1:PORT that send nothing, and prints `key=value`
lines: how long opening took, how many the server closed within 2 s (the ones over its
http.max_connections), the server's open descriptors, whether GET /healthz answered on a new
connection while they were open, when the server closed the rest (its idle timeout), /healthz
again, and the server's descriptors after the client closed everything.
"""
import os
import selectors
import socket
import sys
import time


def server_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def healthz(port, timeout=2.0):
    """The status line of GET /healthz on a new connection, or why there was none."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as probe:
            probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while b"\r\n" not in answer:
                chunk = probe.recv(4096)
                if not chunk:
                    break
                answer += chunk
    except OSError as error:
        return f"error:{error.__class__.__name__}", time.monotonic() - started
    elapsed = time.monotonic() - started
    if not answer:
        return "closed", elapsed
    return answer.split(b"\r\n", 1)[0].decode(errors="replace").replace(" ", "_"), elapsed


def main():
    port, pid, count, idle_timeout = (int(argument) for argument in sys.argv[1:5])
    baseline = server_fds(pid)
    print(f"server_fds_before={baseline}")

    selector = selectors.DefaultSelector()
    sockets = []
    started = time.monotonic()
    failed = 0
    for _ in range(count):
        client = socket.socket()
        try:
            client.connect(("127.0.0.1", port))
        except OSError:
            failed += 1
            client.close()
            continue
        client.setblocking(False)
        selector.register(client, selectors.EVENT_READ)
        sockets.append(client)
    print(f"opened={len(sockets)} connect_failed={failed} open_seconds={time.monotonic() - started:.2f}")

    closed_at = {}  # socket → seconds after opening when the server closed it

    def collect(until):
        while time.monotonic() < until and len(closed_at) < len(sockets):
            for key, _ in selector.select(timeout=max(0.0, min(0.5, until - time.monotonic()))):
                client = key.fileobj
                try:
                    data = client.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    closed_at[client] = time.monotonic() - started
                    selector.unregister(client)

    collect(time.monotonic() + 2.0)
    refused = len(closed_at)
    print(f"closed_by_server_within_2s={refused} still_open={len(sockets) - refused}")
    print(f"server_fds_while_open={server_fds(pid)}")
    status, seconds = healthz(port)
    print(f"healthz_while_open={status} healthz_seconds={seconds:.3f}")

    # The idle timeout runs from each connection's accept; allow it plus 10 s of slack.
    collect(started + idle_timeout + 10.0)
    reaped = sorted(at for at in closed_at.values())[refused:]
    print(f"closed_by_idle_timeout={len(reaped)} never_closed={len(sockets) - len(closed_at)}")
    if reaped:
        print(f"idle_reaped_first_s={reaped[0]:.1f} idle_reaped_last_s={reaped[-1]:.1f}")
    print(f"server_fds_after_reaping={server_fds(pid)}")
    status, seconds = healthz(port)
    print(f"healthz_after_reaping={status} healthz_seconds={seconds:.3f}")

    for client in sockets:
        client.close()
    deadline = time.monotonic() + 10.0
    while server_fds(pid) > baseline and time.monotonic() < deadline:
        time.sleep(0.1)
    print(f"server_fds_after_close={server_fds(pid)}")


if __name__ == "__main__":
    main()
