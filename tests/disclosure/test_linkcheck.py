"""The automatic pre-check, against a local HTTP server (pytest-httpserver): never the internet.

SSRF: by default (tests/conftest.py sets ITAS_LINKCHECK_ALLOW_PRIVATE = False) no private,
loopback or link-local address is fetched; tests that use the local server allow exactly its
origin ("127.0.0.1:<port>"), so a redirect elsewhere on the loopback is still refused.
"""

import socket
import time

import pytest
from werkzeug.wrappers import Response

from itas.cycles.models import PhaseKind
from itas.disclosure import services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.linkcheck import fetch, find_years_and_dates, mentions_fiscal_year, run_check
from itas.disclosure.models import CheckState, LinkCheck
from itas.disclosure.urlsafety import UnsafeURL, resolve_public, validate_url

THAI_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>โครงสร้างองค์กร เทศบาลตำบลท่าสะอาด</title><script>var y = 2011;</script></head>
<body><h1>แผนผังโครงสร้าง</h1><p>ประกาศ ณ วันที่ ๑๕ มีนาคม พ.ศ. ๒๕๖๕</p>
<p>ปรับปรุงเมื่อ 02/11/2021</p></body></html>"""


def origin(httpserver) -> str:
    return f"{httpserver.host}:{httpserver.port}"


# --- years and dates ---------------------------------------------------------------------------


def test_years_and_dates_in_thai_digits_and_both_eras():
    years, dates = find_years_and_dates(
        "ประกาศ ณ วันที่ ๑๕ มีนาคม พ.ศ. ๒๕๖๕ และ 2 พ.ย. 64, ฉบับ 2021-10-05, ค.ศ. 2020"
    )
    assert "2022-03-15" in dates  # ๑๕ มีนาคม ๒๕๖๕
    assert "2021-11-02" in dates  # 2 พ.ย. 64
    assert "2021-10-05" in dates
    assert {2565, 2564, 2563} <= set(years)  # 2020 CE is 2563 BE


def test_fiscal_year_runs_october_to_september():
    # FY2565 = 1 Oct 2021 – 30 Sep 2022
    assert mentions_fiscal_year(2565, [2564], ["2021-10-01"])
    assert mentions_fiscal_year(2565, [2565], [])
    assert not mentions_fiscal_year(2565, [2564], ["2021-09-30"])
    assert not mentions_fiscal_year(2565, [2566], ["2022-10-01"])


# --- fetching from the local server ---------------------------------------------------------------


@pytest.mark.django_db
def test_pre_check_of_a_thai_page_on_the_agency_site(world, oit, settings, httpserver):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    httpserver.expect_request("/structure").respond_with_data(
        THAI_PAGE.encode("utf-8"), content_type="text/html; charset=utf-8"
    )
    world.agency.website = f"http://{httpserver.host}:{httpserver.port}/"
    world.agency.save()
    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    evidence = services.save_evidence(
        world.agency_admin,
        answer=answer,
        urls=[httpserver.url_for("/structure")],
        explanation="",
    )
    check = evidence.link_checks.get()
    assert check.state == CheckState.PENDING  # queued on commit; run it as the worker would
    assert run_check(check.pk) == CheckState.DONE
    check.refresh_from_db()
    assert check.reachable is True and check.status_code == 200
    assert check.title == "โครงสร้างองค์กร เทศบาลตำบลท่าสะอาด"
    assert check.content_type.startswith("text/html")
    assert check.size == len(THAI_PAGE.encode("utf-8"))
    assert check.on_agency_domain is True
    assert 2565 in check.years and "2022-03-15" in check.dates and "2021-11-02" in check.dates
    assert 2011 + 543 not in check.years  # script text is not page text
    assert check.mentions_fiscal_year is True  # the cycle is FY2565


@pytest.mark.django_db
def test_pre_check_follows_redirects_and_reports_missing_pages(world, oit, settings, httpserver):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    httpserver.expect_request("/old").respond_with_response(
        Response(status=302, headers={"Location": "/new"})
    )
    httpserver.expect_request("/new").respond_with_data("ปีงบประมาณ 2564", content_type="text/plain")
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)
    got = fetch(httpserver.url_for("/old"), allow_private=[origin(httpserver)])
    assert got.status == 200 and got.final_url.endswith("/new") and got.redirects

    answer = services.open_board(None, enrolment=oit.enrolment)[1]
    ev = services.save_evidence(
        world.agency_admin,
        answer=answer,
        urls=[httpserver.url_for("/old"), httpserver.url_for("/gone")],
        explanation="",
    )
    for c in ev.link_checks.all():
        run_check(c.pk)
    ok, gone = ev.link_checks.order_by("position")
    assert ok.reachable and ok.final_url.endswith("/new") and ok.years == [2564]
    assert ok.mentions_fiscal_year is False  # FY2564 documents for the FY2565 cycle
    assert ok.on_agency_domain is False  # the agency's site is www.5380101.go.th
    assert gone.reachable is False and gone.status_code == 404 and gone.error


@pytest.mark.django_db
def test_pdf_text_is_read(world, oit, settings, httpserver):
    from pathlib import Path

    from weasyprint import HTML

    fonts = Path(__file__).resolve().parents[2] / "static" / "vendor" / "sarabun"
    css = "".join(
        f"@font-face{{font-family:S;src:url('{(fonts / f'sarabun-{s}-400-normal.woff').as_uri()}')}}"
        for s in ("thai", "latin")
    )
    pdf = HTML(
        string=f"<style>{css} body{{font-family:S}}</style>"
        "<p>แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ลงวันที่ 1/10/2564</p>"
    ).write_pdf()
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    httpserver.expect_request("/plan.pdf").respond_with_data(pdf, content_type="application/pdf")
    answer = services.open_board(None, enrolment=oit.enrolment)[20]
    ev = services.save_evidence(
        world.agency_admin, answer=answer, urls=[httpserver.url_for("/plan.pdf")], explanation=""
    )
    check = ev.link_checks.get()
    run_check(check.pk)
    check.refresh_from_db()
    assert check.content_type == "application/pdf" and check.size == len(pdf)
    assert 2565 in check.years and "2021-10-01" in check.dates
    assert check.mentions_fiscal_year is True


def test_size_cap_and_timeout(httpserver):
    allow = [origin(httpserver)]
    httpserver.expect_request("/big").respond_with_data(b"x" * 300_000)
    got = fetch(httpserver.url_for("/big"), allow_private=allow, max_bytes=100_000)
    assert got.truncated and len(got.body) == 100_000

    def slow(request):
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    # The timeout itself is the proof (the answer would have come): no timer on this machine.
    with pytest.raises(Exception) as exc:
        fetch(httpserver.url_for("/slow"), allow_private=allow, read_timeout=0.3)
    assert "timeout" in type(exc.value).__name__.lower() or "Timeout" in str(exc.value)


# --- SSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/admin/",
        "http://10.1.2.3/",
        "http://192.168.1.1/",
        "http://172.16.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",
        "http://localhost/",
        "http://LOCALHOST:8000/",
        "http://foo.localhost/",
    ],
)
def test_ssrf_private_and_loopback_addresses_are_refused_at_input(url):
    with pytest.raises(UnsafeURL):
        validate_url(url)
    with pytest.raises(UnsafeURL):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.go.th/x",
        "gopher://example.go.th/",
        "javascript:alert(1)",
    ],
)
def test_ssrf_only_http_and_https(url):
    with pytest.raises(UnsafeURL):
        validate_url(url, allow_private=True)


def test_ssrf_a_name_that_resolves_to_loopback_is_refused(monkeypatch):
    """DNS is the outside world: make a public-looking name resolve to 127.0.0.1 (rebinding)."""

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.example.go.th":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        if host == "mixed.example.go.th":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.7", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
            ]
        raise socket.gaierror("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    validate_url("http://rebind.example.go.th/")  # the name itself looks fine
    with pytest.raises(UnsafeURL):
        resolve_public("rebind.example.go.th", 80)
    with pytest.raises(UnsafeURL):
        fetch("http://rebind.example.go.th/")
    with pytest.raises(UnsafeURL):  # every address is checked, not just the first
        resolve_public("mixed.example.go.th", 80)


def test_ssrf_localhost_name_is_refused_even_when_it_resolves(httpserver):
    with pytest.raises(UnsafeURL):
        fetch(f"http://localhost:{httpserver.port}/")


def test_ssrf_redirect_to_loopback_is_refused(httpserver):
    """The first hop is the allowed local test origin; its redirect to another loopback port
    (where an internal service could listen) is re-checked and refused."""
    httpserver.expect_request("/hop").respond_with_response(
        Response(status=302, headers={"Location": "http://127.0.0.1:9/internal"})
    )
    httpserver.expect_request("/hop-meta").respond_with_response(
        Response(status=301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    with pytest.raises(UnsafeURL):
        fetch(httpserver.url_for("/hop"), allow_private=[origin(httpserver)])
    with pytest.raises(UnsafeURL):
        fetch(httpserver.url_for("/hop-meta"), allow_private=[origin(httpserver)])


@pytest.mark.django_db
def test_ssrf_private_url_refused_when_saving_evidence(world, oit):
    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    for url in (
        "http://127.0.0.1/x",
        "http://169.254.169.254/",
        "http://[::1]/",
        "file:///etc/passwd",
    ):
        with pytest.raises(DisclosureError):
            services.save_evidence(world.agency_admin, answer=answer, urls=[url], explanation="")
    assert not answer.evidences.exists()


@pytest.mark.django_db
def test_ssrf_blocked_check_is_stored_as_blocked(world, oit, settings, httpserver):
    """An evidence URL accepted earlier whose host now resolves privately: the check is refused
    and says so, it does not connect."""
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    ev = services.save_evidence(
        world.agency_admin, answer=answer, urls=[httpserver.url_for("/a")], explanation=""
    )
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = False
    check = ev.link_checks.get()
    assert run_check(check.pk) == CheckState.BLOCKED
    check.refresh_from_db()
    assert check.reachable is False and check.error and check.status_code is None
    assert len(httpserver.log) == 0  # nothing reached the server
    oit.open(PhaseKind.OIT_REVIEW)
    assert LinkCheck.objects.filter(evidence=ev).count() == 1


@pytest.mark.django_db
def test_a_name_that_does_not_resolve_reads_could_not_reach_not_unsafe(world, oit, monkeypatch):
    """Issue 13 item 2: a DNS failure is "could not reach the site", a checked link that
    failed, not a refused "unsafe address"."""

    def no_such_name(host, port, *args, **kwargs):
        raise socket.gaierror("Name or service not known")

    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    ev = services.save_evidence(
        world.agency_admin,
        answer=answer,
        urls=["https://www.no-such-agency.go.th/oit/o1"],
        explanation="",
    )
    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    check = ev.link_checks.get()
    assert run_check(check.pk) == CheckState.DONE
    check.refresh_from_db()
    assert check.reachable is False
    assert "เข้าถึงเว็บไซต์ไม่ได้" in check.error and "ไม่ปลอดภัย" not in check.error
