"""`make cluster` (python -m bench.cluster [--quick] [--ci]): several hosts on one machine.

Makes the network (bench/cluster/network.py: a namespace per host on one bridge), runs
bench/cluster/run.py inside the client host's namespace, and deletes the namespaces
afterwards, killing by pid anything still running in them. Needs root (ip netns).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from ..common import ROOT
from .network import Network
from .run import CGROUPS


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer journeys, two web hosts, no scaling check (CI)")
    parser.add_argument("--ci", action="store_true", help="exit 1 when anything was lost, doubled or disagreed")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("The cluster harness makes network namespaces (ip netns) and needs root: sudo make cluster",
              file=sys.stderr)
        return 1
    web = 2 if args.quick else 3
    hosts = ["proxy", "db", *[f"web{i}" for i in range(1, web + 1)], "sched1", "sched2", "mail", "client"]
    net = Network()
    # the run's files (the database's among them), removed here whatever became of the run
    folder = tempfile.mkdtemp(prefix="cluster-")
    try:
        net.build(hosts)
        print(f"Network {net.prefix}: {', '.join(f'{h} {net.address(h)}' for h in hosts)}", flush=True)
        return subprocess.run([*net.wrap("client"), sys.executable, "-m", "bench.cluster.run", "--prefix", net.prefix,
                               "--folder", folder, "--web-hosts", str(web), *argv], cwd=ROOT).returncode
    finally:
        left = net.teardown()
        for group in CGROUPS.glob(f"*/{net.prefix}-*"):  # a failed run's; their processes are gone now
            group.rmdir()
        shutil.rmtree(folder, ignore_errors=True)
        print(f"Namespaces deleted{f'; {len(left)} processes left in them killed' if left else ''}.")


if __name__ == "__main__":
    sys.exit(main())
