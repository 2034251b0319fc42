"""Run every benchmark and print one summary table.

    python -m bench.run            # full sizes (make bench), about 20 minutes
    python -m bench.run --quick    # tiny sizes (make bench-quick), checks they run

Figures are written as JSON under bench/results/ (not committed); bench/RESULTS.md keeps
the write-ups.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback

from .common import RESULTS, table

#: module names in bench/, each with `run(quick: bool) -> Figures`, in running order
#: (bench/baselines.py runs the baselines alone; bench/journey.py measures them beside the product)
BENCHMARKS: list[str] = ["page_bytes", "journey", "score_100k", "data_100k", "mail_10k", "scale", "report_pdf"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that everything runs")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHMARKS if not args.only or b in args.only]
    summary = [["benchmark", "figure", "value", "unit", "note"]]
    failed = []
    started = time.perf_counter()
    for name in chosen:
        print(f"\n== {name}", flush=True)
        try:
            figures = importlib.import_module(f"bench.{name}").run(quick=args.quick)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
            continue
        figures.save()
        if not figures.rows:
            failed.append(name)
        for what, value, unit, note in figures.rows:
            shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
            summary.append([name, what, shown, unit, note])
    print("\n" + table(summary))
    print(f"\n{len(chosen) - len(failed)} of {len(chosen)} benchmarks ran in {time.perf_counter() - started:.0f} s;"
          f" figures in {RESULTS}/")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.json").write_text(json.dumps({"quick": args.quick, "failed": failed, "rows": summary[1:]}))
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
