"""How long does scoring take on a very large campaign?

Generates N (default 100,000) synthetic, complete User Satisfaction responses spread over
50 organisations, then times each scoring step against a baseline measured in the same
run on the same long table: one plain pandas pass (text to number, group by item, mean).
The ratios say what the definitions cost on top of the least work any scorer must do.

    .venv/bin/python bench/score_100k.py [--responses 100000] [--repeat 3]

Nothing here is asserted; the figures go into bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scoring  # noqa: E402
from questionnaires import available  # noqa: E402

ORGANISATIONS = 50


def synthetic(n: int, seed: int = 2026):
    """(answers, respondents, items) for n complete responses; about 5% of scale answers
    are "Don't know" or "Not applicable"."""
    rng = np.random.default_rng(seed)
    questionnaire = available()["user-satisfaction"]
    items = scoring.items_frame(questionnaire)
    columns = []
    for item in questionnaire.items:
        if item.type == "scale":
            choices = np.array([str(p) for p in item.scale.points] + list(item.scale.missing_values), dtype=object)
            weights = np.r_[np.full(len(item.scale.points), 0.95 / len(item.scale.points)),
                            np.full(len(item.scale.missing_values), 0.05 / max(1, len(item.scale.missing_values)))]
            weights = weights / weights.sum()
        elif item.type == "single_choice":
            choices = np.array([o.value for o in item.options], dtype=object)
            weights = np.full(len(choices), 1 / len(choices))
        else:
            continue  # free text: not scored
        columns.append((item.id, choices[rng.choice(len(choices), size=n, p=weights)]))
    response_ids = np.arange(1, n + 1)
    answers = pd.DataFrame({
        "response_id": np.tile(response_ids, len(columns)),
        "item_id": np.repeat([c[0] for c in columns], n),
        "value": np.concatenate([c[1] for c in columns]),
    })
    organisation = rng.integers(0, ORGANISATIONS, size=n)
    respondents = pd.DataFrame({"response_id": response_ids, "organisation": organisation})
    for item_id, values in columns:
        if item_id in ("device", "location", "role", "working_mode"):
            respondents[item_id] = values
    answers["organisation"] = np.tile(organisation, len(columns))
    return answers, respondents, items


def best_of(repeat: int, fn):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(n: int, repeat: int, quiet: bool = False):
    """(baseline seconds, groupby-only seconds, [(step, seconds)]) for n responses."""
    start = time.perf_counter()
    answers, respondents, items = synthetic(n)
    if not quiet:
        print(f"generated {n:,} responses, {len(answers):,} answers in {time.perf_counter() - start:.1f} s")
        print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
              f"{os.cpu_count()} CPUs, best of {repeat}")
    baseline, _ = best_of(repeat, lambda: pd.to_numeric(answers["value"], errors="coerce")
                          .groupby(answers["item_id"]).mean())
    numeric = answers.assign(number=pd.to_numeric(answers["value"], errors="coerce"))
    groupby_only, _ = best_of(repeat, lambda: numeric.groupby("item_id")["number"].mean())
    scored_time, scored = best_of(repeat, lambda: scoring.score_answers(answers, items))
    steps = [
        ("convert to 1-7 (score_answers)", scored_time),
        ("campaign metrics (items, factors, gaps)", best_of(repeat, lambda: scoring.metrics(scored))[0]),
        ("metrics per organisation (50)", best_of(repeat, lambda: scoring.metrics(scored, ["organisation"]))[0]),
        ("breakdown by role, suppressed", best_of(repeat, lambda: scoring.breakdown(
            scored, respondents, "role", 5))[0]),
        ("breakdown by role per organisation", best_of(repeat, lambda: scoring.breakdown(
            scored, respondents, "role", 5, by=["organisation"]))[0]),
    ]
    per_org = scoring.metrics(scored, ["organisation"])
    steps.append(("benchmark over 50 organisations", best_of(repeat, lambda: scoring.bands(
        per_org, scoring.benchmark(per_org)))[0]))
    return baseline, groupby_only, steps


def run(quick: bool):
    """For bench/run.py: the same measurement, as figures."""
    from bench.common import Figures

    n = 2_000 if quick else 100_000
    baseline, _groupby, steps = measure(n, 1 if quick else 3, quiet=True)
    figures = Figures("score_100k", settings={"responses": n})
    total = sum(t for _, t in steps)
    figures.add(f"score {n:,} responses, all steps", round(total, 3), "s", f"{total / baseline:.1f}x baseline")
    figures.add("baseline: to_numeric + groupby mean", round(baseline, 3), "s")
    for name, seconds in steps:
        figures.add(name, round(seconds, 3), "s", f"{seconds / baseline:.1f}x baseline")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    baseline, groupby_only, steps = measure(args.responses, args.repeat)
    total = sum(t for _, t in steps)
    print(f"\n{'step':45} {'seconds':>8} {'x baseline':>11}")
    print(f"{'baseline: to_numeric + groupby(item).mean()':45} {baseline:8.3f} {1:11.1f}")
    print(f"{'  of which groupby(item).mean() alone':45} {groupby_only:8.3f} {groupby_only / baseline:11.1f}")
    for name, seconds in steps:
        print(f"{name:45} {seconds:8.3f} {seconds / baseline:11.1f}")
    print(f"{'all steps':45} {total:8.3f} {total / baseline:11.1f}")
    print(f"\n{args.responses / total:,.0f} responses scored per second, every step included")


if __name__ == "__main__":
    main()
