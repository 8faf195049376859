"""Two real Socket.IO instances (gunicorn -k gevent, one worker each) and socket clients for tests."""
from __future__ import annotations

import time
from typing import Any

import pytest
import socketio

from tests.conftest import wait_for
from tests.support.servers import free_port, wait_for_port


class Listener:
    """A python-socketio client that records every event with the time it arrived."""

    def __init__(self, url: str, cookie: str | None, transports: tuple[str, ...] = ("websocket",)) -> None:
        self.url, self.cookie, self.transports = url, cookie, list(transports)
        self.events: list[tuple[float, str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)

    def _record(self, event: str, data: Any = None) -> None:
        self.events.append((time.time(), event, data))

    def connect(self) -> Listener:
        headers = {"Cookie": f"taxdesk_session={self.cookie}"} if self.cookie else {}
        self.client.connect(self.url, headers=headers, transports=self.transports, wait_timeout=10)
        return self

    @property
    def connected(self) -> bool:
        return self.client.connected

    def wait_event(self, event: str, match=lambda data: True, timeout: float = 10.0) -> tuple[float, Any]:
        def found():
            return next(((t, d) for t, e, d in list(self.events) if e == event and match(d)), None)

        return wait_for(found, timeout, message=f"{event} on {self.url}")

    def got(self, event: str, match=lambda data: True) -> bool:
        return any(e == event and match(d) for _, e, d in list(self.events))

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


@pytest.fixture(scope="session")
def realtime_urls(start_process, tmp_path_factory) -> list[str]:
    """Two instances on their own ports, like supervisord's realtime-N programs."""
    run = tmp_path_factory.mktemp("rt")
    urls = []
    for i in range(2):
        port = free_port()
        start_process("-m", "gunicorn", "-k", "gevent", "-w", "1", "--worker-connections", "3000",
                      "--control-socket", str(run / f"rt{i}.ctl"), "-b", f"127.0.0.1:{port}", "realtime:app",
                      env={"REALTIME_SWEEP_SECONDS": "1", "INSTANCE": f"rt{i}"})
        wait_for_port(port)
        urls.append(f"http://127.0.0.1:{port}")
    return urls


@pytest.fixture
def listen(clean_state):
    """listen(url, api_or_None, transports=...) -> a connected Listener with that user's session cookie."""
    listeners: list[Listener] = []

    def make(url: str, api=None, transports: tuple[str, ...] = ("websocket",), connect: bool = True) -> Listener:
        cookie = api.client.get_cookie("taxdesk_session").value if api is not None else None
        listener = Listener(url, cookie, transports)
        listeners.append(listener)
        return listener.connect() if connect else listener

    yield make
    for listener in listeners:
        listener.close()

