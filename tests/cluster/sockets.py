"""Signed-in Socket.IO clients that reconnect: `python -m tests.cluster.sockets URL SESSIONS N SECONDS OUT`.

Each client uses one session from SESSIONS (bench/sessions.py output) and the websocket transport
through the balancer; connects and disconnects are written to OUT as JSON when SECONDS are up.
"""
from __future__ import annotations

import contextlib
import json
import sys
import threading
import time

import socketio


def main() -> None:
    url, sessions_path, count, seconds, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    sessions = json.load(open(sessions_path))[-count:]  # noqa: SIM115 - the tail: locust uses the head
    events: list[dict[str, object]] = []
    lock = threading.Lock()
    clients = []

    def record(i: int, kind: str) -> None:
        with lock:
            events.append({"client": i, "event": kind, "t": time.time()})

    def run(i: int, session: dict[str, str]) -> None:
        sio = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=2,
                              randomization_factor=0.2)
        sio.on("connect", lambda: record(i, "connect"))
        sio.on("disconnect", lambda *a: record(i, "disconnect"))
        clients.append(sio)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                sio.connect(url, headers={"Cookie": session["cookie"]}, transports=["websocket"], wait_timeout=10)
                return
            except socketio.exceptions.ConnectionError:
                time.sleep(1)
        record(i, "gave_up")

    threads = [threading.Thread(target=run, args=(i, s), daemon=True) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    closing_at = time.time()
    connected = sum(1 for c in clients if c.connected)
    for c in clients:
        with contextlib.suppress(Exception):  # shutting down
            c.disconnect()
    with open(out, "w") as f:
        json.dump({"clients": len(sessions), "connected_at_end": connected, "closing_at": closing_at,
                   "events": events}, f)


if __name__ == "__main__":
    main()
