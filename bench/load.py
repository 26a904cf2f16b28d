"""Bounded load test: sheet page, autosave and results page at 10/25/50 clients, with a
lost-write check and a contended scenario (two tabs saving the same sheet).

Run on PostgreSQL (the script refuses any other database and any host off this machine):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/load_bench \\
        .venv/bin/python bench/load.py --fresh --clients 10 25 50 --runs 3

What it does:
1. Database: ``--fresh`` (re)creates the database named in DATABASE_URL — only when it does
   not exist, has no tables, or carries this script's marker table ``bench_load_marker`` —
   migrates it and loads the world. Without ``--fresh`` the database must carry the marker.
2. World: a 40-item rubric (酌情给分, 0–3 points), one bureau, 5 towns, ``--units``
   communities (default 60) each with its own coordinator and sheet, two reviewers per town;
   the cycle is open for self-assessment and its results are computed once (the results page
   has rows). No account needs the second factor (coordinators and reviewers do not).
3. Server: gunicorn (``--workers`` × ``--threads``, gthread, default 4 × 4) with DEBUG=0 on
   ``--host``:``--port`` (loopback only), started and stopped by the script.
4. Clients log in through the login form, then per run and client count run three closed-loop
   scenarios, ``--requests-per-client`` requests each: GET the sheet page (the coordinator's
   own sheet, self side), POST autosave (the whole form, as static/js/sheet.js sends it, one
   random item changed; the values are recorded client-side), GET the results page (as a
   reviewer). Then the contended scenario: two sessions of one coordinator save the same
   sheet; a 409 must carry a Chinese conflict message, after which the tab reloads the page.
5. Checks: every acknowledged save is in the database (the last acknowledged form per sheet
   is what the database holds, every acknowledged change is in the sheet's history at the
   version it was acknowledged with), and no sheet version went backwards or was given twice.

Bounds: at most ``--max-requests`` requests (default 20,000) and ``--max-seconds`` of load
(default 120, set-up and log-in excluded); clients stop when either is reached and the report
says so. Status 200 is expected of every request; anything else counts as an error, by status
(in the contended scenario a 409 with a Chinese message is a conflict, not an error).
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MARKER = "bench_load_marker"
ITEMS = 40
TOWNS = 5
SCORE_VALUES = [str(Decimal(n) / 2) for n in range(7)]  # 0, 0.5, … 3 (step 0.5)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r'name="s-(\w+)-score" value="([^"]*)"')
VERSION = re.compile(r'name="version" value="(\d+)" id="sheet-version"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ------------------------------------------------------------------ bounds and database


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def refuse(message: str) -> None:
    print(f"load.py: {message}", file=sys.stderr)
    sys.exit(2)


def database_parts(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        refuse("DATABASE_URL must name a PostgreSQL database (postgres://…).")
    if not loopback(parts.hostname or ""):
        refuse(f"the database host {parts.hostname!r} is not on this machine.")
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        refuse("the database name must be lower-case letters, digits and underscores.")
    return {
        "host": parts.hostname,
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or "",
        "name": name,
    }


def prepare_database(db: dict, fresh: bool) -> bool:
    """Make sure the database is this script's. Returns True when it was (re)created."""
    import psycopg2

    common = {k: db[k] for k in ("host", "port", "user", "password")}
    server = psycopg2.connect(dbname="postgres", **common)
    server.autocommit = True
    with server.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["name"]])
        exists = cur.fetchone() is not None
    marked, tables = False, 0
    if exists:
        conn = psycopg2.connect(dbname=db["name"], **common)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            )
            tables = cur.fetchone()[0]
            cur.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{MARKER}"])
            marked = cur.fetchone()[0]
        conn.close()
    if not fresh:
        server.close()
        if not marked:
            refuse(
                f"database {db['name']!r} has no {MARKER} table: it is not this benchmark's. "
                "Run with --fresh to create it."
            )
        return False
    if exists and tables and not marked:
        server.close()
        refuse(
            f"database {db['name']!r} is not empty and not this benchmark's ({tables} tables, "
            f"no {MARKER}); --fresh recreates only an empty database or the benchmark's own."
        )
    with server.cursor() as cur:
        if exists:
            cur.execute(f'DROP DATABASE "{db["name"]}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{db["name"]}"')
    server.close()
    return True


def mark_database() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {MARKER} (made_at timestamptz NOT NULL DEFAULT now())")
        cur.execute(f"INSERT INTO {MARKER} DEFAULT VALUES")


# ------------------------------------------------------------------------------- world


@dataclass
class World:
    cycle_id: int
    password: str
    coordinators: list  # [(username, sheet pk)]
    reviewers: list  # [username]
    contended: tuple  # (username, sheet pk)


def rubric_data() -> dict:
    items = [
        {
            "key": str(n),
            "number": str(n),
            "title": f"第{n}项",
            "max_points": "3",
            "kind": "discretionary",
            "params": {"step": "0.5"},
        }
        for n in range(1, ITEMS + 1)
    ]
    return {
        "code": "bench-load-40",
        "title": "负载测试评分表",
        "declared_total": "120",
        "grades": [
            {"label": "优秀", "min": "90", "subsidy_percent": "100"},
            {"label": "合格", "min": "60", "subsidy_percent": "70"},
        ],
        "sections": [
            {
                "key": f"s{s + 1}",
                "title": f"第{s + 1}部分",
                "declared_points": None,
                "items": items[s * 10 : (s + 1) * 10],
            }
            for s in range(4)
        ],
    }


def load_world(units: int) -> World:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from assessments import compute, services
    from assessments.models import Assessment, ItemScore
    from assessments.sides import RESULT_SIDE
    from org.models import Unit
    from rubrics.models import Item
    from rubrics.services import rubric_import

    password = "Bench-" + secrets.token_urlsafe(12) + "9a!"
    hashed = make_password(password)  # one hash for every account: set-up stays quick
    rng = random.Random(14)

    def person(username, role, units_):
        user = User(
            username=username,
            first_name=username,
            role=role,
            password=hashed,
            must_change_password=False,
            password_changed_at=timezone.now(),
        )
        user.save()
        user.units.set(units_)
        return user

    with transaction.atomic():
        rubric, _ = rubric_import(data=rubric_data())
        bureau = Unit.objects.create(name="负载测试区人社局", kind=Unit.Kind.BUREAU)
        towns = [
            Unit.objects.create(name=f"负载{t + 1}镇", kind=Unit.Kind.TOWN, parent=bureau)
            for t in range(TOWNS)
        ]
        grassroots = [
            Unit.objects.create(
                name=f"负载社区{i + 1:03d}", kind=Unit.Kind.COMMUNITY, parent=towns[i % TOWNS]
            )
            for i in range(units)
        ]
        admin = person("bench_admin", User.Role.ADMIN, [])
        coordinators = [
            person(f"bench_c{i + 1:03d}", User.Role.COORDINATOR, [u])
            for i, u in enumerate(grassroots)
        ]
        reviewers = [
            person(f"bench_r{t + 1}{k}", User.Role.REVIEWER, [town])
            for t, town in enumerate(towns)
            for k in "ab"
        ]
        cycle = services.cycle_create(
            title="负载测试考核", year=2026, rubric=rubric, units=grassroots, user=admin
        )
        services.cycle_step(cycle=cycle, action="open_self", user=admin)
        items = list(Item.objects.filter(rubric=rubric))
        sheets = {s.unit_id: s for s in Assessment.objects.filter(cycle=cycle)}
        ItemScore.objects.bulk_create(
            ItemScore(
                assessment=sheet,
                item=item,
                side=RESULT_SIDE,
                input={"score": rng.choice(SCORE_VALUES)},
            )
            for sheet in sheets.values()
            for item in items
        )
        cycle.refresh_from_db()
        compute.cycle_compute(cycle=cycle, user=admin)
    pairs = [(c.username, sheets[u.pk].pk) for c, u in zip(coordinators, grassroots, strict=True)]
    return World(
        cycle_id=cycle.pk,
        password=password,
        coordinators=pairs[:-1],
        reviewers=[r.username for r in reviewers],
        contended=pairs[-1],
    )


# ------------------------------------------------------------------------------ server


class Server:
    def __init__(self, args, env):
        self.args = args
        self.env = env
        self.log = tempfile.NamedTemporaryFile(prefix="load-gunicorn-", suffix=".log", delete=False)
        self.proc = None

    def start(self):
        a = self.args
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--worker-class",
            "gthread",
            "--workers",
            str(a.workers),
            "--threads",
            str(a.threads),
            "--bind",
            f"{a.host}:{a.port}",
            "--timeout",
            "60",
            "--error-logfile",
            self.log.name,
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                refuse(f"gunicorn stopped at start (see {self.log.name}).")
            try:
                conn = http.client.HTTPConnection(a.host, a.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        refuse("gunicorn did not answer within 60 s.")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def tracebacks(self) -> int:
        return Path(self.log.name).read_text(errors="replace").count("Traceback")


# ----------------------------------------------------------------------------- clients


class Budget:
    """The caps shared by every client: total requests and the load deadline."""

    def __init__(self, max_requests: int, max_seconds: float):
        self.left = max_requests
        self.deadline = None
        self.max_seconds = max_seconds
        self.lock = threading.Lock()
        self.exhausted = ""

    def start(self):
        self.deadline = time.monotonic() + self.max_seconds

    def take(self) -> bool:
        with self.lock:
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.exhausted = self.exhausted or f"--max-seconds {self.max_seconds:g}"
                return False
            if self.left <= 0:
                self.exhausted = self.exhausted or "--max-requests"
                return False
            self.left -= 1
            return True


class Browser:
    """One person's session over one keep-alive connection."""

    def __init__(self, host, port, budget: Budget):
        self.host, self.port, self.budget = host, port, budget
        self.conn = None
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, counted=True):
        if counted and not self.budget.take():
            return None
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed between requests: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for value in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, data.decode("utf-8", "replace")

    def login(self, username, password):
        status, page = self.request("GET", "/accounts/login/", counted=False)
        token = CSRF_INPUT.search(page).group(1)
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        status, _ = self.request("POST", "/accounts/login/", body=body, counted=False)
        if status != 302:
            raise RuntimeError(f"log-in of {username} answered {status}")


@dataclass
class SheetState:
    """What one tab believes its sheet holds, and every save the server acknowledged."""

    pk: int
    version: int = 0
    values: dict = field(default_factory=dict)  # item key → value ("" = empty)
    acks: list = field(default_factory=list)  # (version, item key, value, snapshot)

    def load(self, page: str) -> None:
        self.version = int(VERSION.search(page).group(1))
        self.values = dict(FIELD.findall(page))

    def form(self, browser: Browser) -> str:
        data = {"csrfmiddlewaretoken": browser.cookies["csrftoken"], "version": self.version}
        for key in sorted(self.values, key=int):
            data[f"s-{key}-score"] = self.values[key]
            data[f"s-{key}-note"] = ""
        return urlencode(data)


@dataclass
class Sample:
    status: int | str  # HTTP status, or the exception's name
    seconds: float
    conflict: bool = False  # a 409 that says, in Chinese, what the other person changed


def save_once(browser: Browser, sheet: SheetState, rng: random.Random):
    key = rng.choice(list(sheet.values))
    choice = rng.choice([v for v in SCORE_VALUES if v != sheet.values[key]])
    before = dict(sheet.values)
    sheet.values[key] = choice
    headers = {"X-Requested-With": "fetch", "X-CSRFToken": browser.cookies["csrftoken"]}
    path = f"/cycles/sheets/{sheet.pk}/self/"
    t0 = time.perf_counter()
    answer = browser.request("POST", path, body=sheet.form(browser), headers=headers)
    elapsed = time.perf_counter() - t0
    if answer is None:
        sheet.values = before
        return None
    status, text = answer
    if status == 200:
        data = json.loads(text)
        if data.get("saved") and int(data["version"]) > sheet.version:
            sheet.version = int(data["version"])
            sheet.acks.append((sheet.version, key, choice, dict(sheet.values)))
            return Sample(200, elapsed)
        sheet.values = before
        return Sample("200-not-saved", elapsed)
    sheet.values = before
    if status == 409:
        try:
            said = json.loads(text).get("conflict") or []
        except ValueError:
            said = []
        return Sample(409, elapsed, conflict=bool(said) and all(CHINESE.search(s) for s in said))
    return Sample(status, elapsed)


def run_clients(count, work) -> tuple[list, float]:
    """Start ``count`` threads at once, each running ``work(i)`` → [Sample]; wall time."""
    barrier = threading.Barrier(count + 1)
    out = [[] for _ in range(count)]

    def body(i):
        barrier.wait()
        out[i] = work(i)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return [s for samples in out for s in samples], time.perf_counter() - t0


def timed(browser, method, path, **kw):
    t0 = time.perf_counter()
    try:
        answer = browser.request(method, path, **kw)
    except Exception as exc:  # noqa: BLE001 - an exception is an error sample, by its name
        return Sample(type(exc).__name__, time.perf_counter() - t0)
    if answer is None:
        return None
    return Sample(answer[0], time.perf_counter() - t0)


# ----------------------------------------------------------------------------- reports


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarise(samples, wall, *, conflicts_expected=False) -> dict:
    errors = {}
    conflicts = 0
    for s in samples:
        if s.status == 200:
            continue
        if conflicts_expected and s.status == 409 and s.conflict:
            conflicts += 1
            continue
        errors[str(s.status)] = errors.get(str(s.status), 0) + 1
    ms = [s.seconds * 1000 for s in samples]
    return {
        "requests": len(samples),
        "errors": errors,
        "conflicts": conflicts,
        "p50": percentile(ms, 0.50),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "rps": len(samples) / wall if wall else 0.0,
    }


def fmt_errors(errors: dict) -> str:
    return ", ".join(f"{k}×{v}" for k, v in sorted(errors.items())) or "0"


# -------------------------------------------------------------------------------- main


def lost_writes(states) -> list[str]:
    """Compare what the clients were told with what the database holds."""
    from assessments.models import Assessment, Change, ItemScore
    from assessments.sides import Side

    problems = []
    for sheet in states:
        acks = sorted(sheet.acks)
        versions = [a[0] for a in acks]
        if len(set(versions)) != len(versions):
            problems.append(f"sheet {sheet.pk}: a version was acknowledged twice: {versions}")
        if not acks:
            continue
        stored = {
            s.item.key: s.input.get("score", "") if s.input else ""
            for s in ItemScore.objects.filter(assessment_id=sheet.pk, side=Side.SELF)
            .select_related("item")
            .only("input", "item__key")
        }
        last_version, _key, _value, snapshot = acks[-1]
        for key, value in snapshot.items():
            held = stored.get(key, "")
            if (Decimal(held) if held else None) != (Decimal(value) if value else None):
                problems.append(
                    f"sheet {sheet.pk} item {key}: acknowledged {value!r} at version "
                    f"{last_version}, the database holds {held!r}"
                )
        db_version = Assessment.objects.values_list("version", flat=True).get(pk=sheet.pk)
        if db_version < last_version:
            problems.append(
                f"sheet {sheet.pk}: version went backwards ({last_version} → {db_version})"
            )
        history = {
            (c.sheet_version, c.item.key): c.new
            for c in Change.objects.filter(assessment_id=sheet.pk, what="self_input")
            .select_related("item")
            .only("sheet_version", "new", "item__key")
        }
        for version, key, value, _snap in acks:
            new = history.get((version, key))
            if new is None or Decimal(json.loads(new)["score"]) != Decimal(value):
                problems.append(
                    f"sheet {sheet.pk} item {key}: the save acknowledged at version {version} "
                    f"({value!r}) is not in the history ({new!r})"
                )
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests-per-client", type=int, default=10)
    parser.add_argument("--contended-saves", type=int, default=25, help="per tab and run")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--fresh", action="store_true", help="(re)create the database")
    parser.add_argument("--json", help="also write the measurements to this file")
    args = parser.parse_args()

    if not loopback(args.host):
        refuse(f"{args.host!r} is not a loopback address; this script loads this machine only.")
    if max(args.clients) + 1 > args.units:
        refuse("--units must exceed the largest client count (one sheet per client + 1).")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        refuse("set DATABASE_URL to a PostgreSQL database on this machine.")
    db = database_parts(url)
    created = prepare_database(db, args.fresh)

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="load-media-"),
    }
    os.environ.update({k: env[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if created:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        mark_database()
        world = load_world(args.units)
        with connection.cursor() as cur:
            cur.execute(f"ALTER TABLE {MARKER} ADD COLUMN world jsonb")
            cur.execute(f"UPDATE {MARKER} SET world = %s", [json.dumps(world.__dict__)])
        print(f"database {db['name']} created and loaded in {time.perf_counter() - t0:.1f} s")
    else:
        with connection.cursor() as cur:
            cur.execute(f"SELECT world FROM {MARKER}")
            stored = cur.fetchone()[0]
        data = stored if isinstance(stored, dict) else json.loads(stored)
        world = World(**{**data, "contended": tuple(data["contended"])})
    connection.close()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    server = Server(args, env)
    server.start()
    budget = Budget(args.max_requests, args.max_seconds)
    results = {}
    try:
        most = max(args.clients)
        t0 = time.perf_counter()

        def logged_in(username):
            browser = Browser(args.host, args.port, budget)
            browser.login(username, world.password)
            return browser

        # Coordinators log in one each; the results page is read by the reviewers, each
        # with several tabs open on one session (one connection per tab).
        reviewers = len(world.reviewers)
        writers, signed, tabs = [None] * most, [None] * reviewers, [None, None]

        def log_in(i):
            if i < most:
                writers[i] = logged_in(world.coordinators[i][0])
            elif i < most + reviewers:
                signed[i - most] = logged_in(world.reviewers[i - most])
            else:
                tabs[i - most - reviewers] = logged_in(world.contended[0])
            return []

        # Log-ins hash a password (PBKDF2, about a second of CPU each here): four at a time,
        # so that none waits past the client's time-out.
        logins = list(range(most + reviewers + 2))
        lock = threading.Lock()

        def log_in_some(_i):
            while True:
                with lock:
                    if not logins:
                        return []
                    i = logins.pop()
                log_in(i)

        run_clients(4, log_in_some)
        readers = []
        for i in range(most):
            tab = Browser(args.host, args.port, budget)
            tab.cookies = dict(signed[i % reviewers].cookies)
            readers.append(tab)
        sheets = [SheetState(pk) for _u, pk in world.coordinators[:most]]
        for browser, sheet in zip(writers, sheets, strict=True):
            sheet.load(browser.request("GET", f"/cycles/sheets/{sheet.pk}/self/", counted=False)[1])
        print(f"{most + reviewers + 2} sessions logged in in {time.perf_counter() - t0:.1f} s")

        rng = random.Random(2026)
        per = args.requests_per_client
        results_path = f"/cycles/{world.cycle_id}/results/"
        contended_state = [SheetState(world.contended[1]) for _ in tabs]
        load_before = os.getloadavg()[0]
        budget.start()
        for run in range(1, args.runs + 1):
            for count in args.clients:

                def sheet_page(i):
                    path = f"/cycles/sheets/{sheets[i].pk}/self/"
                    out = [timed(writers[i], "GET", path) for _ in range(per)]
                    return [s for s in out if s is not None]

                def autosave(i):
                    local = random.Random(rng.random())
                    out = []
                    for _ in range(per):
                        try:
                            s = save_once(writers[i], sheets[i], local)
                        except Exception as exc:  # noqa: BLE001 - counted as an error
                            s = Sample(type(exc).__name__, 0.0)
                        if s is None:
                            break
                        out.append(s)
                    return out

                def results_page(i):
                    out = [timed(readers[i], "GET", results_path) for _ in range(per)]
                    return [s for s in out if s is not None]

                for name, work in (
                    ("sheet page", sheet_page),
                    ("autosave", autosave),
                    ("results page", results_page),
                ):
                    samples, wall = run_clients(count, work)
                    row = summarise(samples, wall)
                    results.setdefault((name, count), []).append(row)
                    print(
                        f"run {run} {name:13} {count:3} clients: {row['requests']:5} req, "
                        f"errors {fmt_errors(row['errors'])}, p50 {row['p50']:.0f} ms, "
                        f"p95 {row['p95']:.0f} ms, p99 {row['p99']:.0f} ms, "
                        f"{row['rps']:.1f} req/s",
                        flush=True,
                    )

            def contended(i, run=run):
                state = contended_state[i]
                browser = tabs[i]
                path = f"/cycles/sheets/{state.pk}/self/"
                answer = browser.request("GET", path)
                if answer is None:
                    return []
                state.load(answer[1])
                out = []
                local = random.Random(run * 10 + i)
                for _ in range(args.contended_saves):
                    try:
                        s = save_once(browser, state, local)
                    except Exception as exc:  # noqa: BLE001 - counted as an error
                        s = Sample(type(exc).__name__, 0.0)
                    if s is None:
                        break
                    out.append(s)
                    if s.status == 409:  # the tab reloads the page, as the message asks
                        answer = browser.request("GET", path)
                        if answer is None:
                            break
                        state.load(answer[1])
                return out

            samples, wall = run_clients(2, contended)
            row = summarise(samples, wall, conflicts_expected=True)
            results.setdefault(("contended autosave", 2), []).append(row)
            print(
                f"run {run} contended       2 tabs:    {row['requests']:5} saves, "
                f"conflicts {row['conflicts']}, errors {fmt_errors(row['errors'])}, "
                f"p95 {row['p95']:.0f} ms",
                flush=True,
            )
            if budget.exhausted:
                break
    finally:
        load_after = os.getloadavg()[0] if budget.deadline else float("nan")
        server.stop()

    merged = SheetState(world.contended[1])
    merged.acks = [a for s in contended_state for a in s.acks]
    problems = lost_writes([*sheets, merged])
    acked = sum(len(s.acks) for s in [*sheets, merged])
    tracebacks = server.tracebacks()

    print()
    print(
        f"server: gunicorn {args.workers} workers × {args.threads} threads (gthread), DEBUG=0, "
        f"PostgreSQL database {db['name']}; {args.runs} runs × {per} requests per client"
    )
    print(
        f"machine: {os.cpu_count()} cores, 1-minute load average {load_before:.1f} when the "
        f"load began and {load_after:.1f} when it ended (the clients run on the same cores)"
    )
    if budget.exhausted:
        print(f"STOPPED EARLY: {budget.exhausted} reached; the later scenarios did not run.")
    print()
    print(
        "| scenario | clients | requests (per run) | errors | conflicts | p50 ms (median) "
        "| p95 ms min | p95 ms median | p99 ms (median) | req/s (median) |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for (name, count), rows in results.items():
        errors = {}
        for r in rows:
            for k, v in r["errors"].items():
                errors[k] = errors.get(k, 0) + v
        p95 = [r["p95"] for r in rows]
        print(
            f"| {name} | {count} | {statistics.median(r['requests'] for r in rows):.0f} "
            f"| {fmt_errors(errors)} | {sum(r['conflicts'] for r in rows)} "
            f"| {statistics.median(r['p50'] for r in rows):.0f} | {min(p95):.0f} "
            f"| {statistics.median(p95):.0f} | {statistics.median(r['p99'] for r in rows):.0f} "
            f"| {statistics.median(r['rps'] for r in rows):.1f} |"
        )
    print()
    print(
        f"lost-write check: {acked} acknowledged saves on {len(sheets) + 1} sheets, "
        f"{len(problems)} problems; server log tracebacks: {tracebacks} ({server.log.name})"
    )
    for p in problems[:20]:
        print("  " + p)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "results": [
                        {"scenario": n, "clients": c, "runs": rows}
                        for (n, c), rows in results.items()
                    ],
                    "acknowledged": acked,
                    "problems": problems,
                    "tracebacks": tracebacks,
                    "stopped_early": budget.exhausted,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
