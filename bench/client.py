"""A Python load client for the public questionnaire: complete submissions, each with a
client-made submission UUID, posted over keep-alive connections from many threads. Every
attempt is recorded (UUID, HTTP status or None for no answer, seconds), which is what the kill
test needs; the throughput runs use wrk when it is installed (bench/wrk.py)."""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

STARTED = re.compile(r'name="started"\s+value="([^"]+)"')


@dataclass(frozen=True)
class Form:
    instrument: str  # iit | eit
    code: str
    body_prefix: str  # url-encoded answers and start token, ending with "submission_id="

    @property
    def path(self) -> str:
        return f"/go/{self.instrument}/{self.code}"

    def body(self, submission_id: str) -> bytes:
        return (self.body_prefix + submission_id).encode()


def answers(spec, instrument: str, rng: random.Random) -> dict[str, str]:
    """A complete, plausible set of choices for every sub-item of the instrument."""
    out = {}
    for q in spec.questions_for(instrument):
        for sub in q.subitems:
            ranked = sorted(sub.choices, key=lambda c: c.score)
            pick = ranked[-1] if rng.random() < 0.6 else rng.choice(ranked)
            out[f"q-{q.code}-{sub.code}"] = pick.value
    return out


def fetch_forms(base: str, codes: list[str], spec, *, seed: int = 1) -> list[Form]:
    """One IIT and one EIT form per access code: GET the page (for its start token), then
    answer every sub-item. One third IIT, two thirds EIT, as respondents are."""
    rng = random.Random(seed)
    host, port = _hostport(base)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    forms = []
    for i, code in enumerate(codes):
        for instrument in ("iit", "eit", "eit") if i % 2 == 0 else ("eit", "iit", "eit"):
            conn.request("GET", f"/go/{instrument}/{code}")
            resp = conn.getresponse()
            html = resp.read().decode("utf-8", "replace")
            if resp.status != 200:
                raise RuntimeError(f"GET /go/{instrument}/{code} answered {resp.status}")
            m = STARTED.search(html)
            fields = answers(spec, instrument, rng)
            if m:
                fields["started"] = m.group(1)
            forms.append(Form(instrument, code, urllib.parse.urlencode(fields) + "&submission_id="))
    conn.close()
    return forms


def _hostport(base: str) -> tuple[str, int]:
    parsed = urllib.parse.urlsplit(base)
    return parsed.hostname or "127.0.0.1", parsed.port or 80


HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "itas-bench"}


@dataclass
class Attempt:
    submission_id: str
    form: Form
    status: int | None  # None: no answer (connection reset, timeout)
    seconds: float
    error: str = ""
    ended: float = field(default_factory=time.perf_counter)  # when the answer (or error) came

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


class Client:
    """One keep-alive connection, reopened after a failure."""

    def __init__(self, base: str, timeout: float = 30):
        self.host, self.port = _hostport(base)
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.waiting_since: float | None = None  # a request is sent and not answered yet
        self.local_port = 0

    def post(self, form: Form, submission_id: str) -> Attempt:
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request("POST", form.path, body=form.body(submission_id), headers=HEADERS)
            self.local_port = self.conn.sock.getsockname()[1] if self.conn.sock else 0
            self.waiting_since = time.perf_counter()
            resp = self.conn.getresponse()
            self.waiting_since = None
            resp.read()
            status = resp.status
            if resp.will_close:
                self.close()
            return Attempt(submission_id, form, status, time.perf_counter() - t0)
        except (OSError, http.client.HTTPException) as exc:
            self.waiting_since = None
            self.close()
            return Attempt(submission_id, form, None, time.perf_counter() - t0, type(exc).__name__)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Run:
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0  # live count of attempts without a success answer, as they happen
    clients: list = field(default_factory=list)  # the live Client objects

    def waiting_ports(self, at_least: float = 0.005) -> list[int]:
        """Client ports of the requests sent and unanswered for at least `at_least` s, the
        most recently sent first (the furthest from being answered)."""
        now = time.perf_counter()
        waiting = [
            (now - since, c.local_port)
            for c in list(self.clients)
            if (since := c.waiting_since) is not None and now - since >= at_least
        ]
        return [port for _age, port in sorted(waiting)]

    def acknowledged(self) -> set[str]:
        return {a.submission_id for a in self.attempts if a.acknowledged}

    def statuses(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for a in self.attempts:
            key = str(a.status) if a.status is not None else f"no answer ({a.error})"
            out[key] = out.get(key, 0) + 1
        return out


def hammer(
    base: str,
    forms: list[Form],
    *,
    clients: int,
    seconds: float,
    during=None,
    more=None,
    seed: int = 1,
) -> Run:
    """`clients` threads submit new submissions back to back for `seconds`, and on while
    `more(elapsed)` is true; `during(elapsed, run)` is called by the main thread every 20 ms
    (the kill test kills a worker from there)."""
    run = Run()
    lock = threading.Lock()
    stop = threading.Event()

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = Client(base)
        with lock:
            run.clients.append(client)
        mine = []
        while not stop.is_set():
            form = forms[rng.randrange(len(forms))]
            attempt = client.post(form, str(uuid.uuid4()))
            mine.append(attempt)
            if not attempt.acknowledged:
                with lock:
                    run.failures += 1
        client.close()
        with lock:
            run.attempts.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    while (elapsed := time.perf_counter() - t0) < seconds or (more and more(elapsed)):
        if during:
            during(elapsed, run)
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    run.seconds = time.perf_counter() - t0
    return run


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
