"""The cluster's network: one Linux network namespace per host, each with its loopback and
one veth whose other end is on a bridge in a namespace of its own (the switch). Every
address is inside namespaces the harness made (10.88.0.0/24 exists only there), so no
packet of the run leaves them. Names carry the harness's pid, so two runs never share one;
teardown kills whatever is still running inside each namespace, by pid, then deletes it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

SUBNET = "10.88.0"
#: host name -> last octet of its address
HOSTS = {"proxy": 5, "db": 10, "web1": 11, "web2": 12, "web3": 13, "sched1": 21, "sched2": 22, "mail": 30,
         "client": 100}


def ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")


@dataclass
class Network:
    prefix: str = field(default_factory=lambda: f"svc{os.getpid()}")
    made: list[str] = field(default_factory=list)

    def namespace(self, host: str) -> str:
        return f"{self.prefix}-{host}"

    def address(self, host: str) -> str:
        return f"{SUBNET}.{HOSTS[host]}"

    def wrap(self, host: str) -> list[str]:
        """The command prefix that runs a program on `host`: nsenter into its network
        namespace only (`ip netns exec` would also remount /sys, hiding the cgroups the run
        counts CPU time in); it execs the program, so the pid started is the program's."""
        return ["nsenter", f"--net=/var/run/netns/{self.namespace(host)}", "--"]

    def build(self, hosts: list[str]) -> None:
        switch = self.namespace("switch")
        ip("netns", "add", switch)
        self.made.append(switch)
        ip("-n", switch, "link", "add", "br0", "type", "bridge")
        ip("-n", switch, "link", "set", "br0", "up")
        for host in hosts:
            ns = self.namespace(host)
            ip("netns", "add", ns)
            self.made.append(ns)
            ip("-n", ns, "link", "set", "lo", "up")
            # the veth is made in the switch, its peer born inside the host as eth0
            ip("-n", switch, "link", "add", f"v-{host}", "type", "veth", "peer", "name", "eth0", "netns", ns)
            ip("-n", switch, "link", "set", f"v-{host}", "master", "br0", "up")
            ip("-n", ns, "addr", "add", f"{self.address(host)}/24", "dev", "eth0")
            ip("-n", ns, "link", "set", "eth0", "up")

    def pids(self) -> list[int]:
        """Every process running in the run's namespaces."""
        return [int(pid) for ns in self.made for pid in
                subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()]

    def teardown(self) -> list[int]:
        """Kill anything left running in the namespaces (by pid) and wait until it has
        gone (at most 30 s), then delete them; the pids killed."""
        killed = []
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        for ns in reversed(self.made):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        self.made.clear()
        return killed
