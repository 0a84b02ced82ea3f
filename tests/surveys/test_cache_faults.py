"""The respondent path never depends on the cache: with Redis stopped or paused every answer
is stored and thanked, limits and flags step aside (counted), and a retry of a stored answer
always gets its thank-you page. Against a real redis-server of the test's own, never the
machine's shared one."""

import datetime as dt
import signal
import uuid

import pytest
from django.urls import reverse

from itas.core import cacheguard
from itas.surveys.models import Response
from tests.private_services import free_port, private_redis, redis_server_available
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db
UA = "Mozilla/5.0 (Linux; Android 14) Phone"
needs_redis = pytest.mark.skipif(
    not redis_server_available(), reason="redis-server is not installed (Debian: redis-server)"
)


@pytest.fixture(autouse=True)
def _guard_reset():
    cacheguard.reset()
    yield
    cacheguard.reset()


def use_redis(settings, url: str):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        }
    }


def body(enrolment, submission_id=None):
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    data["submission_id"] = str(submission_id or uuid.uuid4())
    return data


def post(client, enrolment, data, *, ip="198.51.100.7", ua=UA):
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    return client.post(url, data, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)


def within(seconds: int, call):
    """call(), failing (rather than hanging the suite) if it never returns. An alarm, not a
    thread: the in-memory SQLite test database is not shared across threads."""

    def hang(signum, frame):
        raise AssertionError(f"still waiting after {seconds} s: a Redis call has no timeout")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        return call()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_redis_stopped_every_answer_is_stored_thanked_and_the_skip_is_counted(
    client, enrolment, settings
):
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    settings.ITAS_SURVEY_FLAGS = {"burst_count": 2, "burst_minutes": 10}
    for _ in range(6):
        response = post(client, enrolment, body(enrolment))
        assert response.status_code == 302
        assert response["Location"].endswith(
            reverse("surveys:thanks", args=["eit", enrolment.access_code])
        )
    assert Response.objects.count() == 6
    assert not Response.objects.filter(flagged=True).exists()  # no burst seen without a cache
    counts = cacheguard.degraded()
    assert counts.get("surveys.limits", 0) >= 6 and counts.get("surveys.flags", 0) >= 6


@needs_redis
def test_redis_paused_answers_go_through_after_at_most_a_socket_timeout(
    client, enrolment, settings
):
    with private_redis() as redis:
        use_redis(settings, redis.url)
        assert post(client, enrolment, body(enrolment)).status_code == 302
        redis.pause()
        try:
            codes = within(60, lambda: [post(client, enrolment, body(enrolment)).status_code])
            codes += within(60, lambda: [post(client, enrolment, body(enrolment)).status_code])
        finally:
            redis.resume()
    assert codes == [302, 302]
    assert Response.objects.count() == 3
    assert cacheguard.degraded().get("surveys.limits", 0) >= 1


@needs_redis
def test_a_retry_of_a_stored_answer_gets_its_thanks_page_even_over_every_limit(
    client, enrolment, settings
):
    with private_redis() as redis:
        use_redis(settings, redis.url)
        settings.ITAS_SURVEY_LIMITS = {
            "client_per_minute": 1,
            "ip_per_minute": 1,
            "code_per_minute": 1,
            "hash_per_10_minutes": 1,
        }
        data = body(enrolment)
        assert post(client, enrolment, data).status_code == 302
        assert post(client, enrolment, body(enrolment)).status_code == 429  # a new answer waits
        for _ in range(3):
            retry = post(client, enrolment, data)
            assert retry.status_code == 302
            assert retry["Location"].endswith("/thanks")
    assert Response.objects.count() == 1


def test_a_retry_after_the_phase_closed_still_gets_its_thanks_page(client, enrolment):
    data = body(enrolment)
    assert post(client, enrolment, data).status_code == 302
    survey = enrolment.cycle.phase("survey")
    survey.starts_on = dt.date.today() - dt.timedelta(days=30)
    survey.ends_on = dt.date.today() - dt.timedelta(days=20)
    survey.save()
    assert post(client, enrolment, body(enrolment)).status_code == 403  # closed for new ones
    assert post(client, enrolment, data).status_code == 302
    assert Response.objects.count() == 1


@needs_redis
def test_one_client_is_limited_before_it_can_close_the_code_for_the_office(
    client, enrolment, settings
):
    with private_redis() as redis:
        use_redis(settings, redis.url)
        settings.ITAS_SURVEY_LIMITS = {
            "client_per_minute": 5,
            "ip_per_minute": 1000,
            "code_per_minute": 8,
            "hash_per_10_minutes": 100,
        }
        url = reverse("surveys:go", args=["eit", enrolment.access_code])
        hammer = [
            client.get(url, REMOTE_ADDR="203.0.113.66", HTTP_USER_AGENT="flood").status_code
            for _ in range(40)
        ]
        assert hammer[:5] == [200] * 5 and set(hammer[5:]) == {429}
        # The 35 refused requests were not charged to the code: colleagues still get in.
        colleagues = [
            client.get(url, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=f"phone {i}").status_code
            for i in range(3)
        ]
        assert colleagues == [200, 200, 200]


@needs_redis
def test_guessing_codes_is_limited_per_address(client, enrolment, settings):
    with private_redis() as redis:
        use_redis(settings, redis.url)
        settings.ITAS_SURVEY_LIMITS = {"unknown_per_ip_per_10_minutes": 4}
        guesses = [
            client.get(
                reverse("surveys:go", args=["eit", code]), REMOTE_ADDR="203.0.113.9"
            ).status_code
            for code in ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF", "GGGGGG"]
        ]
        assert guesses == [404, 404, 404, 404, 429, 429]
        real = reverse("surveys:go", args=["eit", enrolment.access_code])
        # Over the limit even a right guess is refused, so it cannot be told from a wrong one.
        assert client.get(real, REMOTE_ADDR="203.0.113.9").status_code == 429
        thanks = reverse("surveys:thanks", args=["eit", "HHHHHH"])
        assert client.get(thanks, REMOTE_ADDR="203.0.113.9").status_code == 429
        assert client.get(real, REMOTE_ADDR="198.51.100.7").status_code == 200
        blocked = client.get(real, REMOTE_ADDR="203.0.113.9")
        assert int(blocked["Retry-After"]) > 0


def test_guessing_codes_is_limited_without_redis_too(client, enrolment, settings):
    settings.ITAS_SURVEY_LIMITS = {"unknown_per_ip_per_10_minutes": 2}
    url = reverse("surveys:enter_code", args=["iit"])
    seen = [
        client.get(url, {"code": code}, REMOTE_ADDR="203.0.113.10").status_code
        for code in ["AAAAAA", "CCCCCC", "DDDDDD"]
    ]
    assert seen == [404, 404, 429]


def test_the_redis_clients_give_up_well_under_a_second():
    from django.conf import settings

    assert settings.REDIS_SOCKET_TIMEOUT < 1
    for option in ("socket_timeout", "socket_connect_timeout"):
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS[option] < 1
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT < 1
