"""Deadline day on loopback against the production server (DESIGN P5, P7).

Starts the production app server (gunicorn with gunicorn.conf.py, DJANGO_ENV=production)
and a background worker on a database of its own, then simulates applicants with an
asyncio + httpx client:

    .venv/bin/python bench/load.py --db postgres            # 200 applicants, 3 minutes
    .venv/bin/python bench/load.py --db sqlite --users 30 --duration 30
    .venv/bin/python bench/load.py --db postgres --burst    # no pauses: the breaking point

Each simulated applicant is a signer (only a signer submits, R6) with its own
organisation. A session: the login page, log in (CSRF token from the page), the start
page, open the application, two autosaves of the contact details (as htmx sends them),
for two of its measures open the measure, one autosave and "save and go back", the
submission check, submit, the receipt, log out. Between steps a pause of 2–5 s. The
applicant then starts again on its next draft (one per open round), until --duration
is up. ``--burst`` drops the pauses and sends every applicant through one session at
once, for 25, 50, 100… up to --users applicants, and names the first level that misses
a target: the breaking point.

The data (national data by default, plus open rounds, --users signers and their drafts,
made through the services by ``manage.py prepare_load``) is made once into a template
(a PostgreSQL database or an SQLite file under --var-dir) and copied for every run, so a
run always starts from the same drafts.

Printed: errors by status, p50/p95 per step, requests per second, "database is locked"
and "too many clients" in the server's log, and the peak resident memory (VmHWM) of each
gunicorn worker, sampled from /proc while the run lasts (a worker restarted by
max_requests is listed under its own pid). Exit status 1 if a target is missed.
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"
SAVES = ("autosave", "line autosave", "line save")
SAVE_P95_MS, SUBMIT_P95_MS, WORKER_MB = 500, 1000, 300
STEPS = (
    "login page",
    "login",
    "start page",
    "application",
    "autosave",
    "line page",
    "line autosave",
    "line save",
    "check",
    "submit",
    "receipt",
    "logout",
)


# --- data ------------------------------------------------------------------------------


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603 (our own commands)


def base_env(args) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV", "TILSKUDD_VAR_DIR")}
    env["LOG_LEVEL"] = "WARNING"
    return env


def prepare_data(args) -> tuple[dict, dict]:
    """The template (made once), copied into this run's database; returns the prepared data and the DB env."""
    var = Path(args.var_dir)
    var.mkdir(parents=True, exist_ok=True)
    users = max(200, args.users)  # one template serves every smaller run
    meta = {"users": users, "sessions": args.sessions, "national": args.national}
    tag = f"{args.db}-u{users}-s{args.sessions}-{'n' if args.national else 'e'}"
    data_file = var / f"{tag}.json"
    env = base_env(args)
    if args.db == "postgres":
        template, database = f"tilskudd_load_{tag.replace('-', '_')}", "tilskudd_load_run"
        template_env = {**env, "DATABASE_URL": f"{PG}/{template}", "DB_POOL_MAX_SIZE": "0"}
        run_env = {"DATABASE_URL": f"{PG}/{database}"}
    else:
        template_dir, run_dir = var / tag, var / "run-sqlite"
        template_env = {**env, "TILSKUDD_VAR_DIR": str(template_dir)}
        run_env = {"TILSKUDD_VAR_DIR": str(run_dir)}
    if args.rebuild or not data_file.exists():
        started = time.perf_counter()
        print(f"Making the template ({json.dumps(meta)}); done once, reused by later runs ...", flush=True)
        if args.db == "postgres":
            psql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            psql(f'CREATE DATABASE "{template}"')
        else:
            shutil.rmtree(template_dir, ignore_errors=True)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], template_env)
        if args.national:
            run([PYTHON, "manage.py", "generate_national_data", "--seed", "1"], template_env)
        run(
            [PYTHON, "manage.py", "prepare_load", "--users", str(users), "--sessions", str(args.sessions)]
            + ["--output", str(data_file)],
            template_env,
        )
        print(f"Template made in {time.perf_counter() - started:.0f} s", flush=True)
    if args.db == "postgres":
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    else:
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        source = sqlite_connect(template_dir / "db.sqlite3")
        target = sqlite_connect(run_dir / "db.sqlite3")
        source.backup(target)  # the online backup API: a consistent copy, WAL included
        target.close()
        source.close()
    return json.loads(data_file.read_text()), run_env


def sqlite_connect(path):
    import sqlite3

    return sqlite3.connect(path)


def psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", f"{PG}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],  # noqa: S607
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- the server ------------------------------------------------------------------------


class Server:
    """gunicorn as `make serve` runs it, in production mode, plus one background worker."""

    def __init__(self, args, db_env: dict):
        self.args = args
        self.log_path = Path(args.var_dir) / f"server-{args.db}.log"
        self.env = {
            **base_env(args),
            **db_env,
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HOST": "127.0.0.1",
            "PORT": str(args.port),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "INFO",
        }
        if args.workers:
            self.env["WEB_CONCURRENCY"] = str(args.workers)
        if args.threads:
            self.env["WEB_THREADS"] = str(args.threads)

    def start(self) -> None:
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], self.env)
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.gunicorn = subprocess.Popen(  # noqa: S603
            [GUNICORN, "--config", "gunicorn.conf.py", "tilskudd.wsgi:application"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        self.worker = None
        if self.args.task_worker:
            self.worker = subprocess.Popen(  # noqa: S603
                [PYTHON, "manage.py", "db_worker", "--interval", "1"],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=self.log,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(f"http://127.0.0.1:{self.args.port}/logg-inn/", headers=HEADERS).status_code
                    == 200
                ):
                    return
            except httpx.HTTPError:
                pass
            if self.gunicorn.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"the server did not start: see {self.log_path}")

    def worker_pids(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        for process in (self.worker, self.gunicorn):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.worker, self.gunicorn):
            if process:
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.log.close()

    def log_counts(self) -> dict:
        text = self.log_path.read_text(errors="replace")
        return {
            '"database is locked"': text.count("database is locked"),
            '"too many clients"': text.count("too many clients"),
            "tracebacks": text.count("Traceback (most recent call last)"),
            "worker timeouts": text.count("WORKER TIMEOUT"),
        }


def status_kib(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmHWM:", "VmRSS:")):
                name, value = line.split(":")
                values[name] = int(value.split()[0])
    except OSError:
        pass
    return values


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sample_memory(server: Server, peaks: dict, cpu: dict, stop: asyncio.Event) -> None:
    """Every half second, each gunicorn worker's (and the task worker's) peak resident memory and CPU used."""
    while not stop.is_set():
        pids = [(pid, "web") for pid in server.worker_pids()]
        if server.worker:
            pids.append((server.worker.pid, "task worker"))
        for pid, kind in pids:
            kib = status_kib(pid).get("VmHWM")
            if kib:
                peaks[(kind, pid)] = max(peaks.get((kind, pid), 0), kib)
            used = cpu_seconds(pid)
            if used is not None:
                cpu.setdefault((kind, pid), [used, used])[1] = used
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


# --- the client ------------------------------------------------------------------------

# Behind our reverse proxy the request came over HTTPS: production's secure cookies, CSRF's
# origin check and the HTTPS redirect see what they would in production.
HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "bench/load.py"}


def form_fields(html: str, marker: str) -> list[list[str]]:
    """The fields of the form whose start tag has ``marker``: only that form is parsed (the client's CPU
    is the server's too on this machine)."""
    start = html.rfind("<form", 0, html.index(marker))
    return Forms(html[start : html.index("</form>", start) + 7]).forms[0]["fields"]


class Forms(HTMLParser):
    """Every form on a page with the fields a browser would send (no button pressed)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._options: list = []
        self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        form = self.forms[-1] if self.forms and self.forms[-1]["open"] else None
        if tag == "form":
            self.forms.append({"attrs": a, "fields": [], "open": True})
        elif form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            form["fields"].append([a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")])
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            form["fields"].append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.forms[-1]["fields"].extend([name, v] for v in chosen)
            self._select = None
        elif tag == "form" and self.forms:
            self.forms[-1]["open"] = False


class Failed(Exception):
    pass


class Stats:
    def __init__(self):
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.requests = 0
        self.sessions = 0
        self.first = self.last = None  # monotonic times of the first request sent and the last answer
        self.examples: dict[str, str] = {}

    def error(self, step: str, what: str, detail: str = "") -> None:
        self.errors[step][what] += 1
        self.examples.setdefault(f"{step}: {what}", detail[:300])


class Applicant:
    def __init__(self, name: str, password: str, drafts: list[int], args, stats: Stats):
        self.name, self.password, self.drafts, self.args, self.stats = (
            name,
            password,
            list(drafts),
            args,
            stats,
        )
        # Production's cookies are Secure, which httpx keeps to HTTPS; the proxy in front of the
        # server speaks HTTPS, we plain HTTP on loopback: this applicant keeps its own.
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{args.port}"
        self.client = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{args.port}",
            headers=HEADERS,
            timeout=httpx.Timeout(args.timeout),
            limits=httpx.Limits(max_connections=1, keepalive_expiry=2),
        )

    async def pause(self):
        if self.args.pause_max > 0:
            await asyncio.sleep(random.uniform(self.args.pause_min, self.args.pause_max))

    async def request(self, step: str, method: str, url: str, *, expect: int, data=None, htmx=False):
        headers = {"Origin": self.origin} if method == "POST" else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        if self.stats.first is None:
            self.stats.first = time.monotonic()
        try:
            response = await self.client.request(method, url, data=data, headers=headers)
        except httpx.HTTPError as error:
            self.stats.error(step, type(error).__name__, f"{method} {url}: {error}")
            raise Failed from error
        elapsed = (time.perf_counter() - started) * 1000
        self.stats.requests += 1
        self.stats.last = time.monotonic()
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.status_code != expect:
            self.stats.error(step, str(response.status_code), f"{method} {url}: {response.text[:300]}")
            raise Failed
        self.stats.times[step].append(elapsed)
        return response

    async def follow(self, step: str, response) -> httpx.Response:
        return await self.request(step, "GET", response.headers["Location"], expect=200)

    async def session(self, application_id: int) -> None:
        case = f"/soknader/{application_id}/"
        page = await self.request("login page", "GET", "/logg-inn/", expect=200)
        fields = dict(form_fields(page.text, 'class="stack"'))
        fields.update(username=self.name, password=self.password)
        await self.pause()
        response = await self.request("login", "POST", "/logg-inn/", data=fields, expect=302)
        await self.follow("start page", response)
        await self.pause()
        page = await self.request("application", "GET", case, expect=200)
        form = form_fields(page.text, f'hx-post="{case}"')
        lines = sorted(set(re.findall(rf'href="({case}tiltak/\d+/)"', page.text)))
        for _ in range(2):  # typing in the contact details: htmx saves after a pause in the typing
            await self.pause()
            form = [
                [k, f"7{random.randrange(1000000, 9999999)}" if k == "contact_phone" else v] for k, v in form
            ]
            saved = await self.request("autosave", "POST", case, data=pairs(form), htmx=True, expect=200)
            self.check_saved("autosave", saved)
        for line in lines[:2]:
            await self.pause()
            page = await self.request("line page", "GET", line, expect=200)
            form = form_fields(page.text, f'hx-post="{line}"')
            form = [[k, retitled(v) if k == "title" else v] for k, v in form]
            await self.pause()
            saved = await self.request("line autosave", "POST", line, data=pairs(form), htmx=True, expect=200)
            self.check_saved("line autosave", saved)
            await self.pause()
            response = await self.request("line save", "POST", line, data=pairs(form), expect=302)
            await self.follow("application", response)
        await self.pause()
        page = await self.request("check", "GET", f"{case}send-inn/", expect=200)
        if re.search(r'type="submit"\s+disabled', page.text):
            self.stats.error("check", "problems found", page.text[-500:])
            raise Failed
        token = dict(form_fields(page.text, 'class="submit-form"'))
        await self.pause()
        response = await self.request("submit", "POST", f"{case}send-inn/", data=token, expect=302)
        receipt = await self.follow("receipt", response)
        token = dict(form_fields(receipt.text, 'action="/logg-ut/"'))
        await self.pause()
        await self.request("logout", "POST", "/logg-ut/", data=token, expect=302)
        self.cookies.clear()
        self.stats.sessions += 1

    def check_saved(self, step: str, response) -> None:
        if "save-status--ok" not in response.text:
            self.stats.error(step, "not saved", response.text)
            raise Failed

    async def run_until(self, deadline: float, sessions: int | None = None) -> None:
        """Sessions on the next drafts until the deadline (or ``sessions`` of them); a failed one is abandoned."""
        done = 0
        try:
            while self.drafts and time.monotonic() < deadline and (sessions is None or done < sessions):
                try:
                    await asyncio.wait_for(self.session(self.drafts.pop(0)), deadline - time.monotonic())
                except Failed:
                    self.cookies.clear()
                    await self.pause()
                except TimeoutError:
                    return  # time is up in the middle of a session
                done += 1
                await self.pause()
        finally:
            await self.client.aclose()


def pairs(form: list[list[str]]) -> dict[str, list[str]]:
    """The fields as httpx takes them: a name that occurs more than once (checkboxes) keeps every value."""
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in form:
        data[name].append(value)
    return dict(data)


def retitled(title: str) -> str:
    """Another title, as a person correcting it would type: alternates with and without a suffix."""
    return title[: -len(" (revidert)")] if title.endswith(" (revidert)") else f"{title} (revidert)"


async def drive(applicants: list[Applicant], seconds: float, sessions: int | None, stagger: float):
    async def one(applicant, delay):
        await asyncio.sleep(delay)
        await applicant.run_until(deadline, sessions)

    deadline = time.monotonic() + seconds
    await asyncio.gather(*(one(a, random.uniform(0, stagger)) for a in applicants))


# --- the report --------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def report(title: str, stats: Stats, seconds: float) -> dict:
    """Print the step table; returns p95 by step and the error count."""
    print(f"\n{title}")
    print(f"  {'step':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  errors")
    p95 = {}
    for step in STEPS:
        times, errors = stats.times.get(step, []), stats.errors.get(step, {})
        if not times and not errors:
            continue
        p95[step] = percentile(times, 95) if times else float("nan")
        shown = ", ".join(f"{what}: {n}" for what, n in sorted(errors.items())) or "0"
        p50 = statistics.median(times) if times else float("nan")
        print(f"  {step:<14}{len(times):>9}{p50:>9.0f}{p95[step]:>9.0f}{max(times or [0]):>9.0f}  {shown}")
    total_errors = sum(sum(e.values()) for e in stats.errors.values())
    by_status = defaultdict(int)
    for errors in stats.errors.values():
        for what, n in errors.items():
            by_status[what] += n
    print(
        f"  {stats.requests} requests in {seconds:.0f} s: {stats.requests / seconds:.1f} per second; "
        f"{stats.sessions} sessions submitted; errors: {total_errors}"
        + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(by_status.items()))})" if by_status else "")
    )
    for what, example in list(stats.examples.items())[:5]:
        print(f"    e.g. {what}: {example!r}")
    return {"p95": p95, "errors": total_errors}


def misses(result: dict, *, latency: bool) -> list[str]:
    """What misses P5: errors, and (``latency``) p95 of the saves and of submission."""
    found = []
    if result["errors"]:
        found.append(f"{result['errors']} errors")
    if latency:
        for step in SAVES:
            if result["p95"].get(step, 0) > SAVE_P95_MS:
                found.append(f"{step} p95 {result['p95'][step]:.0f} ms > {SAVE_P95_MS}")
        if result["p95"].get("submit", 0) > SUBMIT_P95_MS:
            found.append(f"submit p95 {result['p95']['submit']:.0f} ms > {SUBMIT_P95_MS}")
    return found


def other_load() -> str:
    load = os.getloadavg()
    busy = subprocess.run(  # noqa: S603
        ["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()[:6]
    return f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; busiest: " + "; ".join(
        " ".join(b.split()) for b in busy
    )


async def main_async(args, data, server: Server) -> int:
    password, drafts = data["password"], data["drafts"]
    names = sorted(drafts)[: args.users]
    peaks: dict = {}
    cpu: dict = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(server, peaks, cpu, stop))
    failed: list[str] = []
    total_requests = 0
    print(f"Before the run: {other_load()}", flush=True)
    if args.burst:
        levels = [n for n in (25, 50, 100, 200, 400) if n < args.users] + [args.users]
        breaking = None
        for level in levels:
            stats = Stats()
            applicants = [Applicant(n, password, drafts[n][args.skip :], args, stats) for n in names[:level]]
            await drive(applicants, args.duration, sessions=1, stagger=0)
            seconds = stats.last - stats.first
            result = report(f"Burst: {level} applicants at once, no pauses, one session each", stats, seconds)
            args.skip += 1
            total_requests += stats.requests
            level_misses = misses(result, latency=True)
            if level_misses and breaking is None:
                breaking = (level, level_misses)
        print(
            f"\nBreaking point: {breaking[0]} applicants at once ({'; '.join(breaking[1])})"
            if breaking
            else f"\nBreaking point: not reached at {args.users} applicants at once"
        )
    else:
        stats = Stats()
        applicants = [Applicant(n, password, drafts[n], args, stats) for n in names]
        await drive(applicants, args.duration, sessions=None, stagger=args.ramp)
        seconds = stats.last - stats.first
        total_requests = stats.requests
        result = report(
            f"{len(names)} applicants arriving over {args.ramp:.0f} s, pauses {args.pause_min}–{args.pause_max} s, "
            f"{args.duration:.0f} s",
            stats,
            seconds,
        )
        failed += misses(result, latency=args.db == "postgres")  # P5 sets times for PostgreSQL
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(f"After the run: {other_load()}")
    web_cpu = sum(last - first for (kind, _pid), (first, last) in cpu.items() if kind == "web")
    print(
        f"CPU used: gunicorn workers {web_cpu:.0f} s ({web_cpu / max(1, total_requests) * 1000:.0f} ms a request), "
        f"this client {used.ru_utime + used.ru_stime:.0f} s"
    )
    stop.set()
    await sampler
    counts = server.log_counts()
    print("\nServer log: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + f" ({server.log_path})")
    if counts['"database is locked"']:
        failed.append('"database is locked" in the log')
    print("Peak resident memory (VmHWM):")
    for (kind, pid), kib in sorted(peaks.items()):
        mib = kib / 1024
        verdict = ("PASS" if mib < WORKER_MB else "FAIL") if kind == "web" else ""
        print(f"  {kind} {pid}: {mib:.0f} MiB {verdict}")
        if kind == "web" and mib >= WORKER_MB:
            failed.append(f"worker {pid} at {mib:.0f} MiB")
    print("\n" + ("PASS" if not failed else "FAIL: " + "; ".join(failed)))
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=180, help="seconds (a burst level's time limit)")
    parser.add_argument("--burst", action="store_true", help="no pauses, levels of users at once")
    parser.add_argument(
        "--ramp", type=float, default=30, help="seconds over which the applicants arrive (not in a burst)"
    )
    parser.add_argument("--pause-min", type=float, default=2)
    parser.add_argument("--pause-max", type=float, default=5)
    parser.add_argument("--sessions", type=int, default=5, help="drafts made per applicant (one per session)")
    parser.add_argument("--no-national", dest="national", action="store_false", help="skip the national data")
    parser.add_argument("--no-task-worker", dest="task_worker", action="store_false")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="WEB_THREADS (default: gunicorn.conf.py's)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=float, default=60, help="seconds a request may take")
    parser.add_argument(
        "--var-dir",
        default=str(Path(tempfile.gettempdir()) / "tilskudd-load"),
        help="templates, databases and logs",
    )
    parser.add_argument("--rebuild", action="store_true", help="make the template again")
    args = parser.parse_args()
    args.skip = 0
    if args.burst:
        args.pause_min = args.pause_max = 0
    data, db_env = prepare_data(args)
    server = Server(args, db_env)
    server.start()
    print(
        f"gunicorn {server.gunicorn.pid} with workers {server.worker_pids()} on port {args.port} ({args.db})",
        flush=True,
    )
    try:
        return asyncio.run(main_async(args, data, server))
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
