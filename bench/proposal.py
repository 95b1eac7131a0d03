"""P3 end to end: the real proposal, lines loaded from the database, for one office and for all ten.

On the national data (made by manage.py generate_national_data into a throw-away
SQLite database, or reused with --var-dir), it times
``assessment.services.proposal(scenario)`` — the line query, the kommune records,
the tiers and scores, and the allocation engine — for the round of the office with
the most lines in the last year, and for the rounds of all ten offices one after
another. Best of --runs; targets 50 ms and 500 ms (DESIGN P3). Exits 1 if missed.

    .venv/bin/python bench/proposal.py [--var-dir DIR] [--runs 7]
"""

import argparse
import sys
import time

from _national import last_year_rounds, setup

ONE_OFFICE_MS, ALL_OFFICES_MS = 50, 500


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var-dir", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup(var_dir=args.var_dir, prefix="bench-proposal-")
    from tilskudd.assessment.services import proposal

    rounds = last_year_rounds()
    scenarios = [r.scenarios.order_by("pk").first() for r in rounds]

    def best(function) -> float:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        return min(times) * 1000

    def fresh(scenario):
        # A fresh scenario object each time, so nothing is cached between runs.
        return type(scenario).objects.select_related("round__office").get(pk=scenario.pk)

    one = best(lambda: proposal(fresh(scenarios[0])))
    everyone = best(lambda: [proposal(fresh(s)) for s in scenarios])
    total_lines = sum(r.lines for r in rounds)
    failed = False
    for label, lines, ms, target in (
        (f"one office ({rounds[0].office.short_name})", rounds[0].lines, one, ONE_OFFICE_MS),
        (f"all {len(rounds)} offices", total_lines, everyone, ALL_OFFICES_MS),
    ):
        verdict = "PASS" if ms <= target else "FAIL"
        failed |= verdict == "FAIL"
        print(f"{label:40} {lines:6} lines {ms:8.1f} ms  (target {target} ms)  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
