"""Deny by default: every URL pattern of the project declares who may open it, and the wrong
people are refused.

(a) every view carries `itas_access` (set by @public / @login / @permission, or on a DRF view
    class), so a new view without a rule fails here;
(b) every non-public pattern, opened by an anonymous visitor, answers 302 to the login page or 403;
(c) every pattern that needs a permission, opened by `world.nobody` (signed in, no role) and by
    `world.outsider` (admin of another agency), with URL kwargs pointing at objects of
    `world.agency`, answers 403 or 404.

URL kwargs come from SAMPLE_KWARGS: one line per kwarg name. When the same name means different
things in different apps (`pk`, `code`), key it "namespace:kwarg" or "namespace:url_name:kwarg";
the most specific key wins. The lambdas take the world and `objs`, a lazy cache of objects of
world.agency built by OBJECTS (add a builder there when you need a new kind of object).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from itas.core.permissions import ACCESS_ATTR

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


# ------------------------------------------------------------------ objects of world.agency


def _cycle(w, o):
    from tests.disclosure.conftest import make_cycle

    return make_cycle()


def _enrolment(w, o):
    from itas.cycles.models import Enrolment

    return Enrolment.objects.create(cycle=o["cycle"], agency=w.agency, access_code="PRM111")


def _item_answer(w, o):
    from itas.disclosure.models import ItemAnswer

    return ItemAnswer.objects.create(enrolment=o["enrolment"], code="O1", position=1)


def _explanation_request(w, o):
    from itas.surveys.credibility.models import ExplanationRequest

    return ExplanationRequest.objects.create(
        enrolment=o["enrolment"], asked_by=w.nacc, message="โปรดชี้แจง"
    )


def _response(w, o):
    from itas.surveys.models import Response

    return Response.objects.create(
        enrolment=o["enrolment"],
        instrument="iit",
        submission_id=uuid.uuid4(),
        submitted_hour=timezone.now().replace(minute=0, second=0, microsecond=0),
    )


def _contact(w, o):
    from itas.surveys.models import Contact, ContactList

    contacts = ContactList.objects.create(enrolment=o["enrolment"], filename="c.csv", rows=1)
    return Contact.objects.create(
        contact_list=contacts, enrolment=o["enrolment"], name="ผู้รับบริการ", phone="0800000000"
    )


def _target_group(w, o):
    from itas.events.models import TargetGroup, TargetMember, TargetSource

    group = TargetGroup.objects.create(name="กลุ่มทดสอบสิทธิ์", source=TargetSource.LIST)
    TargetMember.objects.create(group=group, agency=w.agency)
    return group


def _event(w, o):
    from tests.events.conftest import make_event

    return make_event(target_group=o["target_group"])


def _announcement(w, o):
    from itas.events.models import Announcement

    ann = Announcement.objects.create(event=o["event"], message="ประกาศ", created_by=w.nacc)
    ann.agencies.add(w.agency)
    return ann


def _list_draft(w, o):
    from itas.events.models import ListDraft

    return ListDraft.objects.create(name="รายชื่อ", province=w.province, created_by=w.nacc)


def _framework(w, o):
    from tests.disclosure.conftest import make_framework

    return make_framework()


def _outbox_message(w, o):
    from itas.core.models import OutboxMessage

    return OutboxMessage.objects.create(subject="ทดสอบ", from_email="a@b.c", to=["x@y.z"])


def _notification(w, o):
    from itas.core.notifications import notify

    return notify(recipients=[w.agency_admin], message="ทดสอบ", link="/")[0]


def _faq(w, o):
    from itas.core.models import FaqEntry

    return FaqEntry.objects.create(question="ทดสอบ", answer="ทดสอบ")


def _invitation(w, o):
    from itas.accounts.models import Invitation

    return Invitation.objects.create(
        email="invited@example.org", role="agency_officer", function="finance", agency=w.agency
    )


def _early_warning(w, o):
    from django.utils import timezone

    from itas.improvement.models import EarlyWarning

    e = o["enrolment"]
    return EarlyWarning.objects.create(
        cycle=e.cycle,
        enrolment=e,
        agency_id_copy=w.agency.pk,
        province_code=w.agency.province_id,
        risk=0.9,
        computed_at=timezone.now(),
    )


OBJECTS = {
    "early_warning": _early_warning,
    "cycle": _cycle,
    "enrolment": _enrolment,
    "item_answer": _item_answer,
    "response": _response,
    "explanation_request": _explanation_request,
    "contact": _contact,
    "target_group": _target_group,
    "event": _event,
    "announcement": _announcement,
    "list_draft": _list_draft,
    "framework": _framework,
    "outbox_message": _outbox_message,
    "invitation": _invitation,
    "notification": _notification,
    "faq": _faq,
}


class Objects(dict):
    """Objects of world.agency, built on first use by OBJECTS[name](world, objs)."""

    def __init__(self, world):
        super().__init__()
        self.world = world

    def __missing__(self, name):
        if name not in OBJECTS:
            raise KeyError(f"no builder for {name!r}: add one to OBJECTS in {__file__}")
        self[name] = OBJECTS[name](self.world, self)
        return self[name]


# ------------------------------------------------------------------ URL kwargs, one line each

SAMPLE_KWARGS = {
    "code": lambda w, o: w.agency.code,
    "message_id": lambda w, o: o["outbox_message"].pk,
    "notification_id": lambda w, o: o["notification"].pk,
    "role_id": lambda w, o: w.officer.role_assignments.get().pk,
    "invitation_id": lambda w, o: o["invitation"].pk,
    "token": lambda w, o: o["invitation"].token,
    "fy": lambda w, o: o["cycle"].fiscal_year,
    "instrument": lambda w, o: "iit",
    "cycle_id": lambda w, o: o["cycle"].pk,
    "cycle_pk": lambda w, o: o["cycle"].pk,
    "enrolment_id": lambda w, o: o["enrolment"].pk,
    "answer_id": lambda w, o: o["item_answer"].pk,
    "format": lambda w, o: "json",
    "frameworks:code": lambda w, o: o["framework"].code,
    "core:pk": lambda w, o: o["faq"].pk,
    "core:outbox_attachment:index": lambda w, o: 0,
    "cycles:pk": lambda w, o: o["cycle"].pk,
    "cycles:qr_svg:pk": lambda w, o: o["enrolment"].pk,
    "cycles:qr_png:pk": lambda w, o: o["enrolment"].pk,
    "cycles:poster:pk": lambda w, o: o["enrolment"].pk,
    "surveys:pk": lambda w, o: o["enrolment"].pk,
    "surveys:exclusion:pk": lambda w, o: o["response"].pk,
    "request_pk": lambda w, o: o["explanation_request"].pk,
    "surveys:contact_status:pk": lambda w, o: o["contact"].pk,
    "events:pk": lambda w, o: o["event"].pk,
    "events:announcement:pk": lambda w, o: o["announcement"].pk,
    "events:acknowledge:pk": lambda w, o: o["announcement"].pk,
    "events:list_draft:pk": lambda w, o: o["list_draft"].pk,
    "events:target_group:pk": lambda w, o: o["target_group"].pk,
    "events:group_needs:pk": lambda w, o: o["target_group"].pk,
    "events:group_needs_pdf:pk": lambda w, o: o["target_group"].pk,
    "improvement:remind:pk": lambda w, o: o["early_warning"].pk,
}

# Patterns that need a permission but that an outsider (an agency admin elsewhere) may open,
# because the page shows only what is in the visitor's own scope. Say why, one line each.
OUTSIDER_MAY_OPEN: dict[str, str] = {}


# ------------------------------------------------------------------ walking the patterns


def _walk(patterns, prefix="", namespace="", kwargs=()):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x)
            yield from _walk(
                p.url_patterns, prefix + str(p.pattern), ns, (*kwargs, *_kwarg_names(p.pattern))
            )
        elif isinstance(p, URLPattern):
            yield {
                "route": prefix + str(p.pattern),
                "namespace": namespace,
                "name": p.name,
                "pattern": p,
                "kwargs": (*kwargs, *_kwarg_names(p.pattern)),
            }


def _kwarg_names(pattern) -> list[str]:
    regex = pattern.regex
    return list(regex.groupindex)


def all_patterns() -> list[dict]:
    return [
        e
        for e in _walk(get_resolver().url_patterns)
        if not e["route"].lstrip("^").startswith(SKIP_PREFIXES)
    ]


def access_of(callback) -> str | None:
    for target in (callback, getattr(callback, "cls", None), getattr(callback, "view_class", None)):
        if target is not None and getattr(target, ACCESS_ATTR, None):
            return getattr(target, ACCESS_ATTR)
    return None


def label(e) -> str:
    name = f"{e['namespace']}:{e['name']}" if e["namespace"] else e["name"]
    return f"{e['route']} ({name})"


def sample_kwargs(e, world, objs) -> dict:
    values = {}
    for kwarg in e["kwargs"]:
        keys = [f"{e['namespace']}:{e['name']}:{kwarg}", f"{e['namespace']}:{kwarg}", kwarg]
        key = next((k for k in keys if k in SAMPLE_KWARGS), None)
        if key is None:
            pytest.fail(
                f"URL {label(e)} has the kwarg {kwarg!r}, unknown to tests/test_url_permissions.py:"
                f" add a line to SAMPLE_KWARGS, e.g. {keys[1]!r}: lambda w, o: ..., pointing at an"
                " object of world.agency (see OBJECTS for the builders)."
            )
        values[kwarg] = SAMPLE_KWARGS[key](world, objs)
    return values


def url_for(e, world, objs) -> str:
    kwargs = sample_kwargs(e, world, objs)
    if e["name"]:
        name = f"{e['namespace']}:{e['name']}" if e["namespace"] else e["name"]
        return reverse(name, kwargs=kwargs)
    raise AssertionError(f"URL {e['route']} has no name: give it one so that it can be reversed")


PATTERNS = all_patterns()


def open_url(client, url):
    """GET, or an empty POST where the view takes only POST (its method check comes first)."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def test_every_view_declares_who_may_open_it():
    undeclared = [label(e) for e in PATTERNS if access_of(e["pattern"].callback) is None]
    print(f"\n{len(PATTERNS)} URL patterns checked for a declared access rule")
    assert PATTERNS, "no URL pattern found"
    assert not undeclared, (
        "views without @public/@login/@permission (itas.core.permissions): " + ", ".join(undeclared)
    )


def _login_url() -> str:
    return reverse(settings.LOGIN_URL)


def test_anonymous_visitors_are_refused_everything_not_public(client, world):
    objs = Objects(world)
    checked = 0
    problems = []
    for e in PATTERNS:
        if access_of(e["pattern"].callback) in (None, "public"):
            continue
        response = open_url(client, url_for(e, world, objs))
        checked += 1
        ok = response.status_code == 403 or (
            response.status_code == 302 and response["Location"].startswith(_login_url())
        )
        if not ok:
            problems.append(f"{label(e)} → {response.status_code}")
    print(f"\n{checked} non-public URL patterns refused to an anonymous visitor")
    assert checked > 0
    assert not problems, "open to anonymous visitors: " + "; ".join(problems)


@pytest.mark.parametrize("who", ["nobody", "outsider"])
def test_people_without_the_permission_are_refused(client, world, who):
    objs = Objects(world)
    client.force_login(getattr(world, who))
    checked = 0
    problems = []
    for e in PATTERNS:
        if access_of(e["pattern"].callback) in (None, "public", "login"):
            continue
        name = f"{e['namespace']}:{e['name']}"
        if who == "outsider" and name in OUTSIDER_MAY_OPEN:
            continue
        response = open_url(client, url_for(e, world, objs))
        checked += 1
        if response.status_code not in (403, 404):
            problems.append(f"{label(e)} → {response.status_code}")
    print(f"\n{checked} permission-guarded URL patterns refused to {who}")
    assert checked > 0
    assert not problems, f"opened by {who}: " + "; ".join(problems)


def test_the_kwargs_point_at_objects_of_the_world_agency(world):
    """The samples are real: a refused 404 must not come from a missing object."""
    objs = Objects(world)
    assert SAMPLE_KWARGS["code"](world, objs) == world.agency.code
    enrolment = objs["enrolment"]
    assert enrolment.agency == world.agency
    assert objs["item_answer"].enrolment == enrolment
    assert SAMPLE_KWARGS["role_id"](world, objs) == world.officer.role_assignments.get().pk
    assert objs["invitation"].agency == world.agency
    assert objs["event"].starts_at > timezone.now() - dt.timedelta(days=1)
