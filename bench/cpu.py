"""CPU time spent by each party of a load run (the web workers, PostgreSQL, the load
client), read from /proc on Linux: a figure that moves less than requests per second on
a shared machine, where a neighbour's load slows the clock but not the work done."""
from __future__ import annotations

import os
import resource
from contextlib import contextmanager
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds) of every live process, from
    /proc/PID/stat: "pid (name) state ppid ... utime stime ..."."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, _, rest = (entry / "stat").read_text().rpartition(")")
        except OSError:  # it ended meanwhile
            continue
        fields = rest.split()
        found[int(entry.name)] = (int(fields[1]), head.partition("(")[2],
                                  (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def _tree(processes: dict, root: int) -> set[int]:
    pids, added = {root}, True
    while added:
        more = {pid for pid, (parent, _n, _c) in processes.items() if parent in pids} - pids
        pids |= more
        added = bool(more)
    return pids & set(processes)


def snapshot(server_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the server's processes (the pid and its descendants) and of
    PostgreSQL's, per pid."""
    processes = _processes()
    server = _tree(processes, server_pid)
    return {"server": {pid: processes[pid][2] for pid in server},
            "postgres": {pid: cpu for pid, (_p, name, cpu) in processes.items() if name.startswith("postgres")}}


def used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each party used between two snapshots (a process that started in
    between counts from zero; one that ended in between is lost, which under load the
    pooled connections and the workers never do)."""
    return {party: sum(cpu - before[party].get(pid, 0.0) for pid, cpu in after[party].items())
            for party in after}


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the load client is one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def measured(server_pid: int):
    """Yield a dict that holds, afterwards, the CPU seconds of the server, PostgreSQL
    and the finished child processes (the load client) over the block."""
    out: dict[str, float] = {}
    before, client = snapshot(server_pid), children_cpu()
    yield out
    out.update(used(before, snapshot(server_pid)), client=children_cpu() - client)
