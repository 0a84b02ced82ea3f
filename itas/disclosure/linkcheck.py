"""The automatic pre-check of an evidence URL: is it reachable, where does it land, what is it,
is it on the agency's own site, which years and dates does it mention.

Safe by construction: http(s) only, every address of the host must be public (checked before
each request and after each redirect), the connection goes to the address that was checked
(no second DNS lookup an attacker could change), short timeouts, a size cap, few redirects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import urllib3
import urllib3.connection
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from itas.core.thaidate import arabic_digits, be_year, ce_year, fiscal_year_bounds

from .urlsafety import SiteUnreachable, UnsafeURL, resolve_public, validate_url

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
# The whole check, every redirect and the body included. Well under the task's soft time limit
# (tasks.py), so a check ends with a clear reason instead of being killed.
TOTAL_DEADLINE = 30.0
USER_AGENT = "ITAS-linkcheck/1.0 (+OIT evidence pre-check)"

THAI_MONTHS = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6,
    "ก.ค.": 7, "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}  # fmt: skip
_MONTH_RE = "|".join(re.escape(m) for m in sorted(THAI_MONTHS, key=len, reverse=True))
THAI_DATE = re.compile(
    rf"(\d{{1,2}})\s*({_MONTH_RE})\s*(?:พ\.ศ\.|พ\.ศ|ค\.ศ\.)?\s*(\d{{4}}|\d{{2}})(?!\d)"
)
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
YEAR = re.compile(r"(?<!\d)(25[4-9]\d|20[0-4]\d|19[89]\d)(?!\d)")


@dataclass
class Fetched:
    status: int | None = None
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)
    content_type: str = ""
    body: bytes = b""
    truncated: bool = False


def to_be(year: int) -> int:
    """A year in the Buddhist era (two-digit years are BE 25xx, as Thai documents write them)."""
    if year < 100:
        return 2500 + year
    return be_year(year) if year < 2400 else year


def find_years_and_dates(text: str) -> tuple[list[int], list[str]]:
    """Buddhist-era years and ISO dates (Common era) mentioned in a text, Thai digits too."""
    import datetime as dt

    text = arabic_digits(text)
    dates: set[str] = set()

    def add(y_be: int, m: int, d: int) -> None:
        with contextlib.suppress(ValueError):
            dates.add(dt.date(ce_year(y_be), m, d).isoformat())

    for d, month, y in THAI_DATE.findall(text):
        add(to_be(int(y)), THAI_MONTHS[month], int(d))
    for d, m, y in NUMERIC_DATE.findall(text):
        add(to_be(int(y)), int(m), int(d))
    for y, m, d in ISO_DATE.findall(text):
        add(to_be(int(y)), int(m), int(d))
    years = {to_be(int(y)) for y in YEAR.findall(text)}
    years |= {be_year(int(x[:4])) for x in dates}
    return sorted(years), sorted(dates)


def mentions_fiscal_year(fiscal_year_be: int, years: list[int], dates: list[str]) -> bool:
    """The fiscal year (BE) runs 1 Oct of the year before to 30 Sep: its number, or a date in it."""
    import datetime as dt

    if fiscal_year_be in years:
        return True
    start, end = fiscal_year_bounds(fiscal_year_be)
    return any(start <= dt.date.fromisoformat(d) <= end for d in dates)


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.parts: list[str] = []
        self._in_title = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._in_title and not self.title:
            self.title = " ".join(data.split())
        if not self._skip:
            self.parts.append(data)


def _decode(body: bytes, content_type: str) -> str:
    m = re.search(r"charset=([\w-]+)", content_type, re.I)
    for enc in ([m.group(1)] if m else []) + ["utf-8", "tis-620", "cp874"]:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def extract_text(body: bytes, content_type: str) -> tuple[str, str]:
    """(title, text) of an HTML page, a PDF (via pypdf when installed) or plain text."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/pdf" or body[:5] == b"%PDF-":
        try:
            reader = PdfReader(io.BytesIO(body))
            title = str((reader.metadata or {}).get("/Title") or "")
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:30])
            return title[:500], text
        except Exception:  # noqa: BLE001 - a broken PDF is a finding, not a crash
            return "", ""
    if "html" in ctype or body.lstrip()[:1] == b"<":
        parser = _TextParser()
        with contextlib.suppress(Exception):  # a broken page still has a status
            parser.feed(_decode(body, content_type))
        return parser.title[:500], " ".join(parser.parts)
    if ctype.startswith("text/"):
        return "", _decode(body, content_type)
    return "", ""


def _host_matches(host: str, site: str) -> bool:
    def bare(h: str) -> str:
        h = h.lower().rstrip(".")
        return h[4:] if h.startswith("www.") else h

    host, site = bare(host), bare(site)
    return bool(site) and (host == site or host.endswith("." + site))


def on_agency_domain(final_url: str, website: str) -> bool | None:
    """True if the final URL is on the agency's website (or a subdomain); None if unknown."""
    if not website:
        return None
    return _host_matches(urlsplit(final_url).hostname or "", urlsplit(website).hostname or "")


class DeadlineExceeded(Exception):
    """The whole fetch (every hop: connect, headers, body) took longer than its deadline."""


def _left(ends: float) -> float:
    left = ends - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded
    return left


def _cut(conn, opened: list) -> None:
    """Called by the watchdog when the deadline passes: a read blocked in another thread returns
    at once. Needed because socket timeouts bound each read, not their sum: a server dripping
    8 bytes every 8 seconds never trips a 10-second read timeout."""
    sock = opened[0] if opened else getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def fetch(
    url: str,
    *,
    allow_private=False,
    max_bytes: int = MAX_BYTES,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    deadline: float = TOTAL_DEADLINE,
) -> Fetched:
    """GET with manual redirects; every hop is validated and pinned to a checked address, and
    the whole chain ends within ``deadline`` seconds (DeadlineExceeded otherwise)."""
    out = Fetched()
    current = url
    ends = time.monotonic() + deadline
    for hop in range(MAX_REDIRECTS + 1):
        scheme, host, port = validate_url(current, allow_private=allow_private)
        addresses = resolve_public(host, port, allow_private=allow_private)
        parts = urlsplit(current)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        name = f"[{host}]" if ":" in host else host
        host_header = name if port in (80, 443) else f"{name}:{port}"
        timeout = min(connect_timeout, _left(ends))
        if scheme == "https":
            conn = urllib3.connection.HTTPSConnection(
                addresses[0], port, timeout=timeout, server_hostname=host, assert_hostname=host
            )
        else:
            conn = urllib3.connection.HTTPConnection(addresses[0], port, timeout=timeout)
        opened: list = []  # the socket, kept: the response may detach it from the connection
        watchdog = threading.Timer(_left(ends), _cut, args=(conn, opened))
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.connect()
            opened.append(conn.sock)
            # urllib3 applies conn.timeout to the socket again when reading the response.
            conn.timeout = min(read_timeout, _left(ends))
            conn.sock.settimeout(conn.timeout)
            conn.request(
                "GET",
                path,
                headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": "*/*"},
                preload_content=False,
                decode_content=True,
            )
            resp = conn.getresponse()
            out.status = resp.status
            out.final_url = current
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                if hop == MAX_REDIRECTS:
                    raise UnsafeURL(_("Too many redirects."))
                current = urljoin(current, resp.headers["Location"])
                out.redirects.append(current)
                continue
            out.content_type = resp.headers.get("Content-Type", "")[:200]
            chunks, size = [], 0
            while chunk := resp.read1(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    out.truncated = True
                    break
                with contextlib.suppress(OSError):  # closed once the body is complete
                    opened[0].settimeout(min(read_timeout, _left(ends)))
            _left(ends)  # a body cut short by the watchdog is not a whole page
            out.body = b"".join(chunks)[:max_bytes]
            return out
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            if time.monotonic() >= ends:
                raise DeadlineExceeded from exc
            raise
        finally:
            watchdog.cancel()
            conn.close()
            for sock in opened:
                with contextlib.suppress(OSError):
                    sock.close()
    return out


# A check RUNNING for longer than this was abandoned (its worker was killed): the next run of
# the task (redelivered by the broker, or re-queued by the sweep) takes it over. Above the
# task's hard time limit (tasks.py), so a live check is never run twice.
STALE_RUNNING_SECONDS = 300
# A check PENDING for longer than this lost its message (broker restarted, publish failed):
# the sweep queues it again.
STALE_PENDING_SECONDS = 600


def stale_seconds() -> dict[str, int]:
    return {
        "running": getattr(settings, "ITAS_LINKCHECK_STALE_RUNNING_SECONDS", STALE_RUNNING_SECONDS),
        "pending": getattr(settings, "ITAS_LINKCHECK_STALE_PENDING_SECONDS", STALE_PENDING_SECONDS),
    }


def _claim(check_id: int) -> bool:
    """Mark the row RUNNING if it is waiting, or running but abandoned; one worker wins."""
    from django.db.models import Q

    from .models import CheckState, LinkCheck

    now = timezone.now()
    stale = now - dt.timedelta(seconds=stale_seconds()["running"])
    waiting = Q(state__in=[CheckState.PENDING, CheckState.NOT_CHECKED])
    abandoned = Q(state=CheckState.RUNNING) & (Q(checked_at__lt=stale) | Q(checked_at=None))
    # While RUNNING, checked_at holds when the run started; the result overwrites it.
    return bool(
        LinkCheck.objects.filter(waiting | abandoned, pk=check_id).update(
            state=CheckState.RUNNING, checked_at=now
        )
    )


def run_check(check_id: int) -> str:
    """Run one LinkCheck row and store what was found. Returns its final state. The stored
    reasons are in the site's language (Thai), whatever the calling process has active."""
    with translation.override(settings.LANGUAGE_CODE):
        return _run_check(check_id)


def _run_check(check_id: int) -> str:
    from .models import CheckState, LinkCheck

    if not _claim(check_id):
        check = LinkCheck.objects.filter(pk=check_id).only("state").first()
        return check.state if check else "missing"
    check = LinkCheck.objects.select_related(
        "evidence__answer__enrolment__agency", "evidence__answer__enrolment__cycle"
    ).get(pk=check_id)
    enrolment = check.evidence.answer.enrolment
    allow = getattr(settings, "ITAS_LINKCHECK_ALLOW_PRIVATE", False)
    deadline = float(getattr(settings, "ITAS_LINKCHECK_DEADLINE", TOTAL_DEADLINE))
    try:
        got = fetch(check.url, allow_private=allow, deadline=deadline)
    except DeadlineExceeded:
        check.state = CheckState.DONE
        check.reachable = False
        check.error = _(
            "The web site did not finish answering within %(seconds)d seconds, so the check "
            "was stopped. Open the link yourself to see whether it works, or check again later."
        ) % {"seconds": deadline}
    except SiteUnreachable as exc:  # checked, not refused: the site could not be reached
        check.state = CheckState.DONE
        check.reachable = False
        check.error = exc.message
    except UnsafeURL as exc:
        check.state = CheckState.BLOCKED
        check.reachable = False
        check.error = exc.message
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        check.state = CheckState.DONE
        check.reachable = False
        check.error = _("Could not connect: %(error)s") % {"error": exc.__class__.__name__}
    else:
        check.state = CheckState.DONE
        check.status_code = got.status
        check.reachable = got.status is not None and 200 <= got.status < 400
        check.final_url = got.final_url
        check.redirects = got.redirects
        check.content_type = got.content_type
        check.size = len(got.body)
        check.truncated = got.truncated
        title, text = extract_text(got.body, got.content_type)
        check.title = title
        check.on_agency_domain = on_agency_domain(got.final_url, enrolment.agency.website)
        years, dates = find_years_and_dates(f"{title} {text} {got.final_url}")
        check.years = years[:50]
        check.dates = dates[:50]
        check.mentions_fiscal_year = mentions_fiscal_year(enrolment.cycle.fiscal_year, years, dates)
        if not check.reachable:
            check.error = _("The server answered with status %(status)s.") % {"status": got.status}
    check.checked_at = timezone.now()
    check.save()
    return check.state
