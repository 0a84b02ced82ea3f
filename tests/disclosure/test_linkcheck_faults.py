"""Link checks that cannot tie up a worker or a web process, and never strand: a total deadline
over the whole fetch (a server dripping bytes is cut off), no fetch inside a web request when a
broker is configured, abandoned and lost checks taken over by the sweep, "check again" bounded
per item and per person, and the IPv6 forms that carry an IPv4 address refused."""

import datetime as dt
import socket
import threading
import time

import pytest
from django.utils import timezone, translation

from itas.disclosure import services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.linkcheck import DeadlineExceeded, fetch, run_check
from itas.disclosure.models import CheckState, LinkCheck
from itas.disclosure.urlsafety import UnsafeURL, is_public_address, validate_url
from tests.disclosure.test_linkcheck import origin
from tests.private_services import free_port


class DripServer:
    """A web server that sends a few bytes, then waits, then a few more: the slow-drip attack
    (issue: 8 bytes every 8 s kept a fetch open 96 s). In the headers or in the body."""

    def __init__(self, *, in_headers: bool, pause: float = 0.3):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.in_headers = in_headers
        self.pause = pause
        self.sent = 0
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        with self.sock:
            self.sock.settimeout(0.2)
            while not self.stop.is_set():
                try:
                    conn, _addr = self.sock.accept()
                except OSError:
                    continue
                with conn:
                    conn.settimeout(None)
                    conn.recv(4096)
                    head = b"HTTP/1.1 200 OK\r\n"
                    if not self.in_headers:
                        head += b"Content-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                    try:
                        conn.sendall(head)
                        while not self.stop.is_set():
                            conn.sendall(b"X-Drip: 1\r\n"[:8] if self.in_headers else b"<p>drip")
                            self.sent += 8
                            time.sleep(self.pause)
                    except OSError:
                        pass

    def url(self, path="/page"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.stop.set()


@pytest.fixture(params=["body", "headers"])
def drip(request):
    server = DripServer(in_headers=request.param == "headers")
    yield server
    server.close()


def test_a_dripping_server_is_cut_off_at_the_total_deadline(drip):
    allow = [f"127.0.0.1:{drip.port}"]
    # Each drip comes well within the read timeout, so only a total deadline can stop it; the
    # page (100,000 bytes at 8 a pause) would otherwise take over an hour.
    with pytest.raises(DeadlineExceeded):
        fetch(drip.url(), allow_private=allow, read_timeout=5, deadline=1.5)
    assert drip.sent < 100_000


@pytest.mark.django_db
def test_a_check_cut_off_by_the_deadline_is_failed_with_a_thai_reason(
    world, oit, settings, drip, django_capture_on_commit_callbacks
):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [f"127.0.0.1:{drip.port}"]
    settings.ITAS_LINKCHECK_DEADLINE = 1.5
    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.save_evidence(
            world.agency_admin, answer=answer, urls=[drip.url()], explanation=""
        )
    check = evidence.link_checks.get()  # ran in-process (no broker in tests)
    assert check.state == CheckState.DONE and check.reachable is False
    assert "ไม่ตอบกลับให้ครบภายใน" in check.error and "1" in check.error


@pytest.mark.django_db
def test_an_abandoned_running_check_is_taken_over_and_a_live_one_is_not(
    world, oit, settings, httpserver
):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    httpserver.expect_request("/p").respond_with_data(
        "<title>หน้า</title>", content_type="text/html"
    )
    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    evidence = services.save_evidence(
        world.agency_admin, answer=answer, urls=[httpserver.url_for("/p")], explanation=""
    )
    live = LinkCheck.objects.create(
        evidence=evidence, url=httpserver.url_for("/p"), state=CheckState.RUNNING,
        checked_at=timezone.now(),
    )  # fmt: skip
    abandoned = LinkCheck.objects.create(
        evidence=evidence, url=httpserver.url_for("/p"), state=CheckState.RUNNING,
        checked_at=timezone.now() - dt.timedelta(minutes=10),
    )  # fmt: skip
    before = len(httpserver.log)
    assert run_check(live.pk) == CheckState.RUNNING  # its worker is still on it
    assert len(httpserver.log) == before
    assert run_check(abandoned.pk) == CheckState.DONE  # its worker was killed: taken over
    abandoned.refresh_from_db()
    assert abandoned.reachable is True and abandoned.title == "หน้า", abandoned.error
    assert run_check(abandoned.pk) == CheckState.DONE  # a redelivered message: nothing twice
    assert len(httpserver.log) == before + 1


@pytest.mark.django_db
def test_the_sweep_queues_again_what_waited_too_long(
    world, oit, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    httpserver.expect_request("/p").respond_with_data("ok", content_type="text/plain")
    answer = services.open_board(None, enrolment=oit.enrolment)[0]
    evidence = services.save_evidence(
        world.agency_admin, answer=answer, urls=[httpserver.url_for("/p")], explanation=""
    )
    lost = LinkCheck.objects.create(evidence=evidence, url=httpserver.url_for("/p"))
    LinkCheck.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - dt.timedelta(hours=1))
    fresh = LinkCheck.objects.create(evidence=evidence, url=httpserver.url_for("/p"))
    assert services.requeue_stranded_checks() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.state == CheckState.DONE
    assert fresh.state == CheckState.PENDING  # its message may still be on its way


@pytest.mark.django_db
def test_with_the_broker_down_saving_evidence_works_and_nothing_is_fetched_in_the_request(
    world, oit, settings, httpserver, django_capture_on_commit_callbacks
):
    from itas.celery import app

    # Read the app's configuration before the setting changes: read first here, it would take
    # the changed setting as its own for the rest of this test process.
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app.conf.task_always_eager = False
    # Celery keeps its connection and producer pools: new ones for the broker set here.
    app._pool = None
    app.amqp._producer_pool = None
    try:
        answer = services.open_board(None, enrolment=oit.enrolment)[0]
        with django_capture_on_commit_callbacks(execute=True):
            evidence = services.save_evidence(
                world.agency_admin, answer=answer, urls=[httpserver.url_for("/p")], explanation=""
            )
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        app._pool = None
        app.amqp._producer_pool = None
    assert evidence.link_checks.get().state == CheckState.PENDING  # for the sweep
    assert len(httpserver.log) == 0


@pytest.fixture
def thai():
    translation.activate("th")  # the message the officer reads (another test may leave "en")
    yield
    translation.deactivate()


@pytest.mark.django_db
@pytest.mark.usefixtures("thai")
def test_check_again_is_limited_per_item_and_per_person(world, oit, settings, httpserver):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [origin(httpserver)]
    httpserver.expect_request("/p").respond_with_data("ok", content_type="text/plain")
    answers = services.open_board(None, enrolment=oit.enrolment)[:3]
    evidences = [
        services.save_evidence(
            world.agency_admin, answer=a, urls=[httpserver.url_for("/p")], explanation=""
        )
        for a in answers
    ]
    with pytest.raises(DisclosureError, match="รอสองนาที"):
        services.recheck_links(world.agency_admin, evidence=evidences[0])
    LinkCheck.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=5))
    services.recheck_links(world.agency_admin, evidence=evidences[0])  # allowed again
    settings.ITAS_LINKCHECK_RECHECK = {"user_per_hour": 2}
    services.recheck_links(world.agency_admin, evidence=evidences[1])
    with pytest.raises(DisclosureError, match="ในชั่วโมงที่ผ่านมา"):
        services.recheck_links(world.agency_admin, evidence=evidences[2])
    # Another officer of the agency is not held back by the first one's clicks.
    services.recheck_links(world.officer, evidence=evidences[2])


@pytest.mark.parametrize(
    "address",
    [
        "2002:c0a8:0101::1",  # 6to4 of 192.168.1.1
        "2002:0a00:0001::1",  # 6to4 of 10.0.0.1
        "2002:7f00:0001::1",  # 6to4 of 127.0.0.1
        "2002:0808:0808::1",  # 6to4 of a public address: the relay is refused as a whole
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
        "64:ff9b::808:808",  # NAT64 of a public address
        "64:ff9b:1::a00:1",  # NAT64 local-use prefix
        "::ffff:0:a00:1",  # IPv4-translated 10.0.0.1
        "::a00:1",  # IPv4-compatible 10.0.0.1
        "::ffff:a9fe:a9fe",  # IPv4-mapped 169.254.169.254
        "fec0::1",  # site-local
    ],
)
def test_ipv6_forms_that_reach_an_ipv4_address_are_refused(address):
    assert not is_public_address(address)
    with pytest.raises(UnsafeURL):
        validate_url(f"http://[{address}]/")


def test_an_ordinary_public_ipv6_address_is_still_fetched():
    assert is_public_address("2606:4700:4700::1111")
    assert is_public_address("2001:4860:4860::8888")  # Google DNS: 2001:4860::/32, not Teredo
