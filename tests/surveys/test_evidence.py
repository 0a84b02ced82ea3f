"""Every online response carries its evidence: the start token's status, the device and
network hashes, its sheet and score; arrivals are counted in stored 10-minute buckets."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from itas.surveys.models import Answer, ArrivalBucket, Response
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db
UA = "Mozilla/5.0 (Linux; Android 14) Phone"


def form_token(client, enrolment, instrument="iit"):
    page = client.get(reverse("surveys:go", args=[instrument, enrolment.access_code]))
    return re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)


def post(client, enrolment, *, started=None, ua=UA, ip="203.0.113.7", pick=varied, inst="iit"):
    data = answers_for(enrolment.cycle.framework.spec, inst, pick)
    data["submission_id"] = str(uuid.uuid4())
    if started is not None:
        data["started"] = started
    url = reverse("surveys:go", args=[inst, enrolment.access_code])
    return client.post(url, data, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)


def best(i, sub):
    return max(sub.choices, key=lambda c: c.score).value


def test_a_served_form_gives_a_token_that_marks_the_response_ok(client, enrolment):
    assert post(client, enrolment, started=form_token(client, enrolment)).status_code == 302
    r = Response.objects.get()
    assert r.token_status == "ok"
    assert len(r.token_hash) == 64 and len(r.network_hash) == 64 and len(r.abuse_hash) == 64
    assert r.network_hash != r.abuse_hash
    spec = enrolment.cycle.framework.spec
    assert len(r.sheet) == sum(len(q.subitems) for q in spec.questions_for("iit"))
    scores = list(Answer.objects.filter(response=r).values_list("score", flat=True))
    assert r.mean_score == pytest.approx(sum(scores) / len(scores))
    assert r.all_best is False


def test_best_on_every_item_is_judged_on_scores_not_columns(client, enrolment):
    post(client, enrolment, started=form_token(client, enrolment), pick=best)
    post(
        client,
        enrolment,
        started=form_token(client, enrolment),
        pick=lambda i, s: s.choices[-1].value,
    )
    by_best = {r.all_best: r for r in Response.objects.all()}
    assert by_best[True].mean_score == pytest.approx(100.0)
    # One column ticked everywhere: the reversed items make it less than the best
    assert by_best[False].mean_score < 100.0
    spec = enrolment.cycle.framework.spec
    last_columns = "".join(
        str(len(sub.choices) - 1) for q in spec.questions_for("iit") for sub in q.subitems
    )
    assert by_best[False].sheet == last_columns


@pytest.mark.parametrize(
    ("started", "status"),
    [(None, "missing"), ("", "missing"), ("1234:forged", "invalid")],
)
def test_a_submission_without_a_valid_token_is_kept_and_marked(client, enrolment, started, status):
    assert post(client, enrolment, started=started).status_code == 302
    r = Response.objects.get()
    assert r.token_status == status
    assert r.token_hash == "" and r.duration_seconds is None
    assert Answer.objects.filter(response=r).exists()


def test_a_token_served_for_another_agency_is_invalid(client, enrolment, world, cycle):
    other = cycle.enrolments.get(agency=world.other_agency)
    post(client, enrolment, started=form_token(client, other))
    assert Response.objects.get().token_status == "invalid"


def test_a_reused_token_is_marked_on_the_second_submission_only(client, enrolment):
    token = form_token(client, enrolment)
    post(client, enrolment, started=token)
    post(client, enrolment, started=token, ua="another browser")
    statuses = sorted(Response.objects.values_list("token_status", flat=True))
    assert statuses == ["ok", "reused"]


def test_a_token_older_than_a_day_is_stale(client, enrolment):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        token = form_token(client, enrolment)
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        assert post(client, enrolment, started=token).status_code == 302
    assert Response.objects.get().token_status == "stale"


def test_arrivals_are_counted_per_device_and_per_network_in_stored_slots(client, enrolment):
    moment = dt.datetime.now(dt.UTC).replace(minute=4, second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        for n in range(3):
            post(client, enrolment, ua=f"{UA} build {n}")  # the same address, three browsers
        post(client, enrolment, ua=f"{UA} build 0")
    network = ArrivalBucket.objects.get(kind="network")
    assert network.count == 4 and network.slot == moment.replace(minute=0)
    devices = sorted(ArrivalBucket.objects.filter(kind="device").values_list("count", flat=True))
    assert devices == [1, 1, 2]


def test_closing_erases_every_hash_and_the_buckets(client, enrolment, world, cycle):
    from itas.cycles.services import close_cycle

    post(client, enrolment, started=form_token(client, enrolment))
    close_cycle(world.nacc, cycle=cycle)
    r = Response.objects.get()
    assert (r.abuse_hash, r.network_hash, r.token_hash) == ("", "", "")
    assert r.token_status == "ok"  # the status says nothing about who answered: it stays
    assert not ArrivalBucket.objects.exists()


def test_a_copy_that_loses_the_race_counts_no_arrival_of_its_own(enrolment):
    # `unseen` skips the read before the INSERT, as when two copies race: the second meets the
    # unique submission id. On PostgreSQL the arrival is counted in the INSERT's own statement,
    # so it must fail with it.
    from itas.surveys import services

    chosen = {
        q.code: {sub.code: sub.choices[0].value for sub in q.subitems}
        for q in enrolment.cycle.framework.spec.questions_for("iit")
    }
    submission_id = uuid.uuid4()
    outcomes = [
        services.submit_response(
            enrolment=enrolment,
            instrument="iit",
            chosen=chosen,
            submission_id=submission_id,
            abuse_hash="d" * 64,
            network_hash="n" * 64,
            unseen=True,
        )
        for _ in range(2)
    ]
    assert [created for _, created in outcomes] == [True, False]
    assert outcomes[0][0].pk == outcomes[1][0].pk
    counts = sorted(ArrivalBucket.objects.values_list("kind", "hash", "count"))
    assert counts == [("device", "d" * 64, 1), ("network", "n" * 64, 1)]
