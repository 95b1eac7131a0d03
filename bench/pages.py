"""P2b: every main page at national scale, against a trivial page in the same run.

Generates the national data (manage.py generate_national_data, ~16 s) into a
throw-away SQLite database, or reuses one given with --var-dir. Then, in one process
with DEBUG off (Django's test client: the whole middleware stack, no network), it
times each page and the trivial page alternately, --rounds times, and prints the
medians, the ratio page/trivial and PASS/FAIL against 3x. The trivial page is the
accessibility statement: a fixed template on the same base layout as every page. It is
fetched by the same client as the page it is compared with (anonymous, or logged in as
the same person, so its session, user and roles are looked up as for the page), so the
ratio is what a page's own work costs on the same stack. The anonymous trivial page's
median is printed too. Run beside other load, the milliseconds move but the ratios,
measured interleaved, stay fair.

The allocation page and the Excel export are kept per state of the round's inputs (the
round's fingerprints, tilskudd.rounds.versions): nothing changes between the timed requests,
so they are timed as an officer meets them when nobody has changed the round since the last
view (the proposal summarised in the process, the file from storage). The first view after a
change computes them again, as before: about 60 ms for the allocation page and 210 ms for the
export of the biggest round on the 2-core machine (issue 13's notes).

    .venv/bin/python bench/pages.py [--rounds 15] [--var-dir DIR] [--only NAME] [--cpu] [--uncached]
    .venv/bin/python bench/pages.py --profile NAME [--sort cumulative|tottime] [--top 40]

--uncached times the first request after an approval, honestly: before every timing (the
page's and the trivial page's) the public record gets a new version token, as an approval
gives it, and Django's cache is emptied, so no page body, no statistics and no open data
file kept from before is used. (In production the background worker writes the new
version's open data files after an approval; here there is no worker, so the request makes them.)

--profile fetches the pages whose name contains NAME under cProfile (after a warm-up)
and prints the top functions, and the number of queries per page, instead of timing.

Exits 1 if a page is above 3x.
"""

import argparse
import statistics
import sys
import time

from _national import last_year_rounds, setup

TARGET = 3.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--var-dir", default="", help="reuse (or make) the national data here")
    parser.add_argument("--only", default="", help="time only pages whose name contains this")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time this process's CPU rather than the clock (a machine shared with others)",
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="time each page as the first request after an approval (new record version, empty cache)",
    )
    parser.add_argument(
        "--profile", default="", help="profile the pages whose name contains this, not time them"
    )
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key for --profile")
    parser.add_argument("--top", type=int, default=40, help="functions printed by --profile")
    parser.add_argument("--mine", action="store_true", help="--profile prints only the project's functions")
    parser.add_argument(
        "--sql-width", type=int, default=300, help="characters of each query --profile prints"
    )
    args = parser.parse_args()

    setup(var_dir=args.var_dir, prefix="bench-pages-")
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from tilskudd.accounts.models import User
    from tilskudd.applications.models import Application, Line
    from tilskudd.decisions.models import DecisionLine
    from tilskudd.organisations.models import OrganisationKind
    from tilskudd.reporting.models import ReportObligation
    from tilskudd.rounds.models import Round

    biggest = last_year_rounds()[0]
    last_year = biggest.year
    decided = Round.objects.get(office=biggest.office, year=last_year - 1)
    office_id = biggest.office_id
    application = (
        Application.objects.filter(round=biggest, organisation__kind=OrganisationKind.KOMMUNE)
        .annotate(n=Count("lines"))
        .order_by("-n", "pk")
        .first()
    )
    kommune = application.organisation
    obligation = ReportObligation.objects.filter(organisation=kommune).order_by("-round__year").first()
    line_count = Line.objects.filter(application__round=biggest).count()
    project = (  # a published innovation project: its page is /tildelinger/<decision line id>/
        DecisionLine.objects.filter(
            kind="innovation",
            granted__gt=0,
            decision__application__round=decided,
            decision__approved_at__isnull=False,
        )
        .values_list("pk", flat=True)
        .first()
    )
    print(
        f"Biggest office: {biggest.office.name}, {last_year}: "
        f"{biggest.applications.count()} applications, {line_count} lines"
    )

    def client_for(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    anonymous = client_for(None)
    officer = client_for(f"saksbehandler-{office_id}")
    approver = client_for(f"godkjenner-{office_id}")
    signer = client_for(f"leder-{kommune.pk}")
    national = client_for("nasjonal")

    pages = [
        ("home: anonymous", anonymous, reverse("home:home")),
        ("home: signer", signer, reverse("home:home")),
        ("home: case officer", officer, reverse("home:home")),
        ("home: approver", approver, reverse("home:home")),
        ("home: national reader", national, reverse("home:home")),
        ("public: calls", anonymous, reverse("rounds:round_list")),
        ("public: one call", anonymous, reverse("rounds:round_detail", args=[biggest.pk])),
        ("office: rounds", officer, reverse("rounds:round_office_list")),
        ("office: round page", officer, reverse("rounds:round_manage", args=[biggest.pk])),
        ("office: kommune records", officer, reverse("assessment:kommune_records", args=[biggest.pk])),
        ("office: allocation", officer, reverse("assessment:allocation", args=[biggest.pk])),
        ("office: decisions (last year)", officer, reverse("decisions:round_decisions", args=[decided.pk])),
        ("office: payments (last year)", officer, reverse("decisions:round_payments", args=[decided.pk])),
        (
            "office: application (case)",
            officer,
            reverse("applications:application_detail", args=[application.pk]),
        ),
        ("office: Excel export", officer, reverse("applications:round_export", args=[biggest.pk])),
        ("signer: application", signer, reverse("applications:application_detail", args=[application.pk])),
        ("signer: receipt", signer, reverse("applications:application_receipt", args=[application.pk])),
        ("signer: report", signer, reverse("reporting:report_obligation", args=[obligation.pk])),
        ("public: awards", anonymous, reverse("publication:award_list")),
        ("public: awards of a year", anonymous, reverse("publication:award_list") + f"?year={decided.year}"),
        (
            "public: organisation's awards",
            anonymous,
            reverse("publication:organisation_awards", args=[kommune.pk]),
        ),
        ("public: statistics", anonymous, reverse("publication:statistics")),
        (
            "public: office statistics",
            anonymous,
            reverse("publication:office_statistics", args=[biggest.office_id]),
        ),
        (
            "public: open data (round, JSON)",
            anonymous,
            reverse("publication:round_awards_json", args=[decided.pk]),
        ),
        (
            "public: open data (round, CSV)",
            anonymous,
            reverse("publication:round_awards_csv", args=[decided.pk]),
        ),
        ("public: open data page", anonymous, reverse("publication:open_data")),
        ("public: an innovation project", anonymous, reverse("publication:award_detail", args=[project])),
        ("public: awards, searched", anonymous, reverse("publication:award_list") + "?q=avlastning"),
        ("public: statistics CSV", anonymous, reverse("publication:statistics_csv")),
        (
            "public: statistics, office + year",
            anonymous,
            reverse("publication:statistics") + f"?office={office_id}&year={decided.year}",
        ),
        (
            "national: statistics of a year",
            national,
            reverse("publication:statistics") + f"?year={decided.year}",
        ),
        (
            "public: statistics CSV, office + year",
            anonymous,
            reverse("publication:statistics_csv") + f"?office={office_id}&year={decided.year}",
        ),
    ]
    if args.only:
        pages = [page for page in pages if args.only in page[0]]
    trivial_url = reverse("home:accessibility")

    clock = time.process_time if args.cpu else time.perf_counter  # the database is SQLite, in this process

    def forget() -> None:
        """What an approval does to what is kept: a new version of the public record; and an empty cache."""
        import uuid

        from django.core.cache import cache

        from tilskudd.publication.models import SummaryVersion

        SummaryVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
        cache.clear()

    def timed(client: Client, url: str) -> tuple[float, int]:
        if args.uncached:
            forget()
        started = clock()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = clock() - started
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return elapsed, len(body)

    if args.profile:
        profile([page for page in pages if args.profile in page[0]], timed, args)
        return 0

    for _n, client, url in pages:
        timed(client, trivial_url)  # warm templates, caches and the database's pages
        timed(client, url)
    base_times, page_times, sizes = {}, {name: [] for name, *_ in pages}, {}
    for _ in range(args.rounds):
        for name, client, url in pages:
            base_times.setdefault(name, []).append(timed(client, trivial_url)[0])
            elapsed, sizes[name] = timed(client, url)
            page_times[name].append(elapsed)
    anonymous_base = statistics.median(
        [t for (name, client, _u) in pages if client is anonymous for t in base_times[name]] or [0.0]
    )
    if args.uncached:
        print("Uncached: each page as the first request after an approval (new record version, empty cache)")
    print(f"Trivial page (accessibility statement), anonymous: median {anonymous_base * 1000:.1f} ms")
    print(f"{'page':34} {'median':>9} {'trivial':>9} {'size':>9} {'ratio':>7}")
    failed = 0
    for name, *_ in pages:
        median = statistics.median(page_times[name])
        base = statistics.median(base_times[name])
        ratio = median / base
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        failed += verdict == "FAIL"
        print(
            f"{name:34} {median * 1000:7.1f} ms {base * 1000:6.1f} ms "
            f"{sizes[name] / 1024:7.0f} kB {ratio:6.1f}x  {verdict}"
        )
    print(f"{len(pages) - failed} of {len(pages)} pages within {TARGET:.0f}x the trivial page")
    return 1 if failed else 0


def profile(pages: list, timed, args) -> None:
    """Print each page's queries (slowest first) and its top functions under cProfile (10 fetches)."""
    import cProfile
    import gc
    import pstats

    from django.db import connection

    for name, client, url in pages:
        timed(client, url)
        queries = []

        def capture(execute, sql, params, many, context, queries=queries):
            queries.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            elapsed, _size = timed(client, url)
        # A query's time is its execute and its fetch (SQLite steps through the rows as they are
        # fetched): each is run again here, alone, and timed to its last row.
        clocked = []
        for sql, params in queries:
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                clocked.append((time.perf_counter() - started, sql))
        spent = sum(t for t, _sql in clocked)
        print(
            f"== {name}: {url}: {elapsed * 1000:.1f} ms, {len(queries)} queries, {spent * 1000:.1f} ms in them"
        )
        for spent, sql in sorted(clocked, key=lambda q: -q[0])[:8]:
            print(f"  {spent * 1000:6.2f} ms  {sql[: args.sql_width]}")
        gc.collect()
        gc.disable()  # a collection's pause falls on whatever allocates: left out, not to mislead
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            timed(client, url)
        profiler.disable()
        gc.enable()
        stats = pstats.Stats(profiler)
        if args.mine:  # the project's own functions, by their path
            stats.sort_stats(args.sort).print_stats("/tilskudd/", args.top)
        else:
            stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    sys.exit(main())
