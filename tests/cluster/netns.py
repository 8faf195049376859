"""Simulated hosts: Linux network namespaces joined by veth pairs to one bridge.

Every host is a namespace `tdc-<name>` with one interface `eth0` holding an address from
198.18.0.0/24 (inside 198.18.0.0/15, reserved for benchmark networks); the bridge lives in its
own namespace `tdc-sw`, so the machine's own namespace gets no interface, address or route and no
traffic can leave the simulated network. Each namespace also has its own loopback.

Cleaning up kills every process left in our namespaces (they can only be ours) and deletes the
namespaces, which deletes their veth ends too.
"""
from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import subprocess
import time

PREFIX = "tdc-"
SWITCH = f"{PREFIX}sw"
NETWORK = ipaddress.ip_network("198.18.0.0/24")
BENCHMARK_RANGE = ipaddress.ip_network("198.18.0.0/15")
assert NETWORK.subnet_of(BENCHMARK_RANGE)


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


def ns_name(host: str) -> str:
    return f"{PREFIX}{host}"


def exists(ns: str) -> bool:
    return ns in list_namespaces()


def list_namespaces() -> list[str]:
    out = ip("netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def ours() -> list[str]:
    return [n for n in list_namespaces() if n.startswith(PREFIX)]


class Network:
    """Builds the switch and one namespace per host; `address(host)` is its 198.18.0.x."""

    def __init__(self) -> None:
        self.hosts: dict[str, str] = {}

    def create_switch(self) -> None:
        ip("netns", "add", SWITCH)
        ip("-n", SWITCH, "link", "set", "lo", "up")
        ip("-n", SWITCH, "link", "add", "br0", "type", "bridge")
        ip("-n", SWITCH, "link", "set", "br0", "up")

    def add_host(self, host: str, octet: int) -> str:
        address = str(NETWORK.network_address + octet)
        assert ipaddress.ip_address(address) in BENCHMARK_RANGE
        ns = ns_name(host)
        port = f"p-{host}"
        ip("netns", "add", ns)
        # Both ends are created straight inside their namespaces: nothing appears in ours.
        ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", SWITCH)
        ip("-n", SWITCH, "link", "set", port, "master", "br0")
        ip("-n", SWITCH, "link", "set", port, "up")
        ip("-n", ns, "addr", "add", f"{address}/{NETWORK.prefixlen}", "dev", "eth0")
        ip("-n", ns, "link", "set", "eth0", "up")
        ip("-n", ns, "link", "set", "lo", "up")
        self.hosts[host] = address
        return address

    def address(self, host: str) -> str:
        return self.hosts[host]

    @staticmethod
    def cut(host: str) -> None:
        """Unplug the host's cable at the switch (its processes keep running)."""
        ip("-n", SWITCH, "link", "set", f"p-{host}", "down")

    @staticmethod
    def restore(host: str) -> None:
        ip("-n", SWITCH, "link", "set", f"p-{host}", "up")


def exec_argv(host: str, argv: list[str]) -> list[str]:
    return ["ip", "netns", "exec", ns_name(host), *argv]


def pids(ns: str) -> list[int]:
    out = ip("netns", "pids", ns, check=False).stdout
    return [int(p) for p in out.split() if p.isdigit()]


def kill_all(ns: str, sig: int = signal.SIGKILL) -> int:
    """Send `sig` to every process in namespace `ns`; returns how many there were."""
    found = [p for p in pids(ns) if p != os.getpid()]
    for pid in found:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    return len(found)


def cleanup(verbose: bool = True) -> None:
    """Kill what runs in our namespaces, then delete them (hosts first, the switch last)."""
    names = ours()
    for ns in names:
        kill_all(ns, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pids(ns) for ns in names):
        time.sleep(0.2)
    for ns in names:
        kill_all(ns, signal.SIGKILL)
    time.sleep(0.2)
    for ns in sorted(names, key=lambda n: n == SWITCH):
        ip("netns", "del", ns, check=False)
    if verbose and names:
        print(f"cluster: removed namespaces {', '.join(names)}", flush=True)
