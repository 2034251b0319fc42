"""Run every fault against the deployment and print one summary table.

    python -m bench.faults            # full sizes (make faults), a few minutes
    python -m bench.faults --quick    # smaller (make faults-quick, in CI)
    python -m bench.faults --only row2 row9

The figures are findings, not assertions: the suite exits 1 only when it could not run
(a fault crashed, or the deployment did not start). In CI mode (--ci, or CI=true) it also
exits 1 when answers were lost or doubled, emails doubled, or a client got a bare 500
(issue 14, "done when").
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback

from . import journeys, scheduler, signin, slow
from .report import Tally, summary
from .stack import Stack, deployment

#: name -> fault, in running order: the scheduler first, while its campaign is the only
#: one with people to invite; slow clients against gunicorn alone straight after the same
#: through nginx, both on warm workers (a worker still loading the app after `kill` would
#: take none of the slow connections and serve the respondents)
FAULTS = {
    "scheduler": scheduler.killed_scheduler,
    "row2": signin.concurrent_lock,
    "row3": signin.timing,
    "row4": signin.client_limit,
    "row8": slow.through_nginx,
    "row8-bare": slow.bare_gunicorn,
    "row9": journeys.killed_connections,
    "kill": journeys.killed_workers,
}


def logs(stack: Stack) -> Tally:
    """Personal links in what nginx, gunicorn (with the app) and the schedulers logged."""
    text = stack.logs()
    found = sum(1 for token in stack.tokens if token in text)
    return Tally("logs", requests=None,
                 finding=f"personal links found in the logs: {found} of the {len(stack.tokens)} made; exceptions "
                         f"logged by the app: {text.count('Exception on')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a few minutes (CI)")
    parser.add_argument("--ci", action="store_true", help="fail on answers lost or doubled, emails doubled, bare 500s")
    parser.add_argument("--only", nargs="*", choices=list(FAULTS), help="run only these faults")
    args = parser.parse_args(argv)
    ci = args.ci or os.environ.get("CI", "").lower() in ("1", "true", "yes")
    chosen = [name for name in FAULTS if not args.only or name in args.only]
    tallies: list[Tally] = []
    failed: list[str] = []
    started = time.perf_counter()
    try:
        with deployment() as stack:
            for name in chosen:
                fault = FAULTS[name]
                print(f"\n== {name}: {' '.join((fault.__doc__ or '').split())}", flush=True)
                try:
                    tally = fault(args.quick, stack)
                except Exception:  # one broken fault must not hide the others' figures
                    traceback.print_exc()
                    failed.append(name)
                    continue
                tally.print()
                tallies.append(tally)
            tallies.append(logs(stack))
    except Exception:
        traceback.print_exc()
        print("FAILED: the deployment could not be set up or taken down", file=sys.stderr)
        return 1
    print(f"\n{summary(tallies)}")
    print(f"\n{len(chosen) - len(failed)} of {len(chosen)} faults ran in {time.perf_counter() - started:.0f} s"
          f"{' (quick)' if args.quick else ''}")
    if failed:
        print(f"FAILED to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    broken = [problem for t in tallies for problem in t.broken()]
    if broken:
        print(("FAILED (CI): " if ci else "Findings that CI refuses: ") + "; ".join(broken),
              file=sys.stderr if ci else sys.stdout)
        return 1 if ci else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
