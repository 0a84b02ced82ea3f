"""The public questionnaire: /go/iit/<code> and /go/eit/<code>.

No account, no session, no cookie: the pages below set none (a test reads the headers), and
the form needs no CSRF cookie because nothing here acts on behalf of a signed-in person. The
submission id that makes a retry harmless is made by the browser (or, without JavaScript,
put in the form by the server).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from functools import wraps
from types import SimpleNamespace
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from itas.core.lean import lean
from itas.core.permissions import public
from itas.cycles import codes
from itas.cycles.models import Cycle, CycleStatus, Enrolment, PhaseKind, RetiredAccessCode
from itas.cycles.services import PhaseClosed, phase_notice
from itas.surveys import anon, flags, limits, lookup, services, store
from itas.surveys.models import Channel, Instrument
from itas.surveys.questionnaire import (
    Parsed,
    field_name,
    item_count,
    parse,
    steps_for,
)

MAX_POST_BYTES = 64 * 1024


def cookieless(view):
    """Serve the page in Thai and make sure the response sets no cookie at all (no session,
    no CSRF token, no language)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("th"):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        request.META.pop("CSRF_COOKIE", None)
        response.cookies.clear()
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _render(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A public page: rendered without the request's context processors, which fill in what
    only the staff layout shows (menu, notifications, the signed-in person, messages) and
    cost a respondent's three requests more than the pages themselves. The public layout
    reads DEMO_MODE alone; nothing here sets a message (no session)."""
    html = get_template(template).render({"DEMO_MODE": settings.DEMO_MODE, **context})
    return HttpResponse(html, status=status)


def _page(request, status: int, title: str, message: str, *, instrument: str = "", **extra):
    return _render(
        request,
        "surveys/public_message.html",
        {"status": status, "title": title, "message": message, "instrument": instrument, **extra},
        status=status,
    )


def _live_cycles():
    return Cycle.objects.filter(status=CycleStatus.OPEN)


def _find(instrument: str, code: str):
    """(enrolment, None) or (None, error response args)."""
    code = codes.normalise(code)
    if not codes.is_well_formed(code):
        return None, "unknown"
    return _found(code, lookup.open_enrolment(code))


def _found(code: str, enrolment: Enrolment | None):
    """_find's answer once the (well-formed, normalised) code has been looked up."""
    if enrolment is not None:
        return enrolment, None
    if RetiredAccessCode.objects.filter(cycle__in=_live_cycles(), access_code=code).exists():
        return None, "retired"
    return None, "unknown"


def _refusal(request, instrument: str, problem: str, **extra):
    if problem == "retired":
        return _page(
            request,
            410,
            _("This link has been replaced"),
            _(
                "The agency has changed its questionnaire link. Thank you for wanting to take "
                "part: please ask the agency for the new link or QR code."
            ),
            instrument=instrument,
        )
    return _page(
        request,
        404,
        _("We could not find this questionnaire"),
        _(
            "The access code in the link is not one we know. Check the link or the QR code, "
            "or type the 6-character code printed on the agency's poster."
        ),
        instrument=instrument,
        ask_code=True,
        **extra,
    )


def _closed(request, enrolment: Enrolment, instrument: str, message: str | None = None):
    return _page(
        request,
        403,
        _("The questionnaire is not open"),
        message or phase_notice(enrolment.cycle, PhaseKind.SURVEY),
        instrument=instrument,
        agency=enrolment.agency,
    )


def _too_many(request, instrument: str, retry_after: int):
    response = _page(
        request,
        429,
        _("Too many answers at once"),
        _(
            "Many answers are arriving from here right now. Your answers are still kept on this "
            "device: please wait a few minutes and press “Send” again."
        ),
        instrument=instrument,
    )
    response["Retry-After"] = str(retry_after)
    return response


def render_questionnaire(
    request,
    enrolment: Enrolment,
    instrument: str,
    *,
    parsed: Parsed | None = None,
    submission_id: str | None = None,
    started: str | None = None,
    interview: bool = False,
    contact=None,
    status: int = 200,
):
    framework = enrolment.cycle.framework
    spec = framework.spec
    parsed = parsed or Parsed()
    steps_html = ""
    if not parsed.values and not parsed.errors:
        # A blank form is the same markup for every respondent of a framework version:
        # rendered once per process and language (most of a respondent's CPU was spent
        # rendering it again for each one).
        key = (framework.pk, str(framework.updated_at), instrument, translation.get_language())
        steps_html = _BLANK_STEPS.get(key, "")
        if not steps_html:
            view_steps = _view_steps(spec, instrument, parsed)
            steps_html = mark_safe(  # noqa: S308 - the template's own escaped output
                _BETWEEN_TAGS.sub(
                    "><", render_to_string("surveys/_steps.html", {"steps": view_steps})
                )
            )
            if len(_BLANK_STEPS) > 40:
                _BLANK_STEPS.clear()
            _BLANK_STEPS[key] = steps_html
        view_steps = []
    else:
        view_steps = _view_steps(spec, instrument, parsed)
    survey = enrolment.cycle.phase(PhaseKind.SURVEY)
    cycle = enrolment.cycle
    submission_id = submission_id or str(uuid.uuid4())
    started = started or anon.start_token(enrolment.access_code)
    storage_key = f"itas:{enrolment.cycle_id}:{instrument}:{enrolment.access_code}" + (
        ":interview" if interview else ""
    )

    def context(agency, submission_id: str, started: str, storage_key: str, whole=True) -> dict:
        return {
            # a frame is shared by the cycle's enrolments: it sees only the cycle
            "enrolment": enrolment if whole else SimpleNamespace(cycle=cycle),
            "agency": agency,
            "cycle": cycle,
            "instrument": instrument,
            "tool": spec.tool(instrument.upper()),
            "steps": view_steps,
            "steps_html": steps_html,
            "step_count": len(steps_for(spec, instrument)),
            "error_count": len(parsed.errors),
            "parsed": parsed,
            "submission_id": submission_id,
            "started": started,
            "closes_on": survey.ends_on if survey else None,
            "items": item_count(spec, instrument),
            "interview": interview,
            "contact": contact,
            "storage_key": storage_key,
        }

    agency = enrolment.agency
    if interview:
        # The telephone interview is a staff page (its layout, a CSRF token): the request's
        # own rendering.
        return render(
            request,
            "surveys/questionnaire.html",
            context(agency, submission_id, started, storage_key),
            status=status,
        )
    if not steps_html or not FRAMED:  # a form with its errors
        return _render(
            request,
            "surveys/questionnaire.html",
            context(agency, submission_id, started, storage_key),
            status=status,
        )
    # The blank form: the same page for every respondent of the cycle but for the agency's
    # name and province, the submission id, the start token and the key of the answers kept
    # on the phone. Rendered once per cycle, framework version, instrument and language, with
    # a marker in each of those places, then filled in per request.
    province = agency.province
    frame = (
        "surveys/questionnaire.html",
        framework.pk,
        str(framework.updated_at),
        instrument,
        cycle.pk,
        str(cycle),
        cycle.is_practice,
        survey.ends_on if survey else None,
        province is not None,
    )
    return _framed(
        frame,
        "surveys/questionnaire.html",
        lambda: context(
            SimpleNamespace(
                full_name=_slot("agency"), province=_slot("province") if province else None
            ),
            _slot("submission_id"),
            _slot("started"),
            _slot("storage_key"),
            whole=False,
        ),
        {
            "agency": agency.full_name,
            "province": str(province) if province else "",
            "submission_id": submission_id,
            "started": started,
            "storage_key": storage_key,
        },
        status=status,
    )


def _slot(name: str) -> str:
    return f"\x1e{name}\x1e"


# Off only in the test that compares a framed page with the same page rendered whole.
FRAMED = True
_SLOTS = re.compile("\x1e(\\w+)\x1e")
# Pages rendered once with markers, split at the markers: [text, name, text, name, …, text].
_FRAMES: dict[tuple, list[str]] = {}


def _framed(
    key: tuple, template: str, context: Callable[[], dict], values: dict[str, str], *, status=200
) -> HttpResponse:
    """The page `template` rendered (without the request's context processors, as _render) once
    per `key`, language and demo mode, from `context()` whose per-request values are markers
    (`_slot(name)`); each request fills in `values`, escaped as the template escapes a plain
    string. The key must hold everything else the page shows."""
    key = (*key, translation.get_language(), settings.DEMO_MODE)
    parts = _FRAMES.get(key)
    if parts is None:
        html = get_template(template).render({"DEMO_MODE": settings.DEMO_MODE, **context()})
        parts = _SLOTS.split(html)
        if len(_FRAMES) > 200:
            _FRAMES.clear()
        _FRAMES[key] = parts
    html = "".join(part if i % 2 == 0 else escape(values[part]) for i, part in enumerate(parts))
    return HttpResponse(html, status=status)


# The blank questionnaire's steps, by (framework, version, instrument, language).
_BLANK_STEPS: dict[tuple, str] = {}
# Indentation and line breaks between two tags: a tenth of the page's bytes, meaningless to the
# browser there (text next to a tag, as "<span>1.</span> text", keeps its space).
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def _view_steps(spec, instrument: str, parsed: Parsed) -> list[dict]:
    steps = steps_for(spec, instrument)
    view_steps = []
    for step in steps:
        questions = []
        for q in step.questions:
            subs = []
            for sub in q.subitems:
                name = field_name(q.code, sub.code)
                chosen = parsed.values.get(name)
                subs.append(
                    {
                        "code": sub.code,
                        "text": sub.text,
                        "name": name,
                        "choices": [
                            {"value": c.value, "label": c.label, "checked": c.value == chosen}
                            for c in sub.choices
                        ],
                    }
                )
            questions.append(
                {
                    "code": q.code,
                    "text": q.text,
                    "kind": q.kind,
                    "subitems": subs,
                    "error": parsed.errors.get(q.code, ""),
                }
            )
        view_steps.append(
            {
                "number": step.number,
                "indicator_code": step.indicator_code,
                "indicator_name": step.indicator_name,
                "questions": questions,
                "has_error": any(q["error"] for q in questions),
            }
        )
    return view_steps


def parse_submission_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        return None


@lean
@public
@csrf_exempt
@never_cache
@cookieless
def questionnaire(request, instrument: str, code: str):
    if instrument not in Instrument.values:
        return _refusal(request, "", "unknown")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    unseen, found = False, None
    if request.method == "POST":
        looked, stored, found = _stored(request, code)
        if stored is not None and stored == (codes.normalise(code), instrument):
            # A retry of an answer already kept: its thank-you page, before any limit or phase
            # check, so that no later condition can make a stored answer look lost.
            return redirect("surveys:thanks", instrument=instrument, code=stored[0])
        unseen = looked and stored is None
    normal, hashed, seen = codes.normalise(code), "", 0
    if request.method == "GET":
        if (wait := limits.check_request(request, normal)) is not None:
            return _too_many(request, instrument, wait)
        enrolment, problem = _find(instrument, code)
    else:
        # A submission's limits and its abuse hash's are one round trip, after the lookup
        # (the hash is keyed by the enrolment's cycle). What a refused or unknown code is
        # told does not change: the lookup's answer is given only past the limits.
        enrolment, problem = _find(instrument, code) if found is None else _found(normal, found[0])
        if enrolment is None:
            wait = limits.check_request(request, normal)
        else:
            hashed = anon.abuse_hash(
                request, cycle_id=enrolment.cycle_id, code=enrolment.access_code
            )
            wait, seen = limits.check_submission(request, normal, hashed)
        if wait is not None:
            return _too_many(request, instrument, wait)
    if enrolment is None:
        return _unknown(request, instrument, problem)
    if codes.normalise(code) != code:
        return redirect("surveys:go", instrument=instrument, code=enrolment.access_code)
    if not enrolment.cycle.is_phase_open(PhaseKind.SURVEY):
        return _closed(request, enrolment, instrument)
    if request.method == "GET":
        return render_questionnaire(request, enrolment, instrument)
    return _submit(request, enrolment, instrument, hashed, seen, unseen=unseen)


def _unknown(request, instrument: str, problem: str, **extra):
    if problem == "unknown":
        limits.note_unknown_code(request)
    return _refusal(request, instrument, problem, **extra)


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_POST_BYTES
    except ValueError:
        return False


def _form(request) -> Mapping[str, str]:
    """The posted fields, each with its last value (what ``request.POST.get`` gives).

    The questionnaire posts about a hundred url-encoded fields; Django's QueryDict files each
    into a MultiValueDict through several checks per field, a tenth of a submission's CPU, so
    such a body is read by the standard library into a plain dict, once per request, within
    Django's field-count limit (over it: no fields, the 400 page of an incomplete form). Any
    other body (multipart) goes through ``request.POST``."""
    form = getattr(request, "_itas_form", None)
    if form is None:
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                form = dict(
                    parse_qsl(
                        request.body.decode(
                            request.encoding or settings.DEFAULT_CHARSET, "replace"
                        ),
                        keep_blank_values=True,
                        max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                    )
                )
            except ValueError:
                form = {}
        else:
            form = request.POST
        request._itas_form = form
    return form


def _stored(request, code: str):
    """(whether this POST carries a readable submission id, the access code and instrument of
    the response already stored under it, and (the open enrolment of `code` or None,) when
    the code was looked up with them, else None). A well-formed code is looked up in the same
    statement as the submission id: one round trip for both."""
    if _too_large(request):
        return False, None, None
    submission_id = parse_submission_id(_form(request).get("submission_id"))
    if submission_id is None:
        return False, None, None
    normal = codes.normalise(code)
    if not codes.is_well_formed(normal):
        return True, store.stored_under(submission_id), None
    enrolment, stored = lookup.open_enrolment_and_stored(normal, submission_id)
    return True, stored, (enrolment,)


def _submit(
    request,
    enrolment: Enrolment,
    instrument: str,
    hashed: str,
    seen: int,
    *,
    unseen: bool = False,
):
    """Store the answers; `hashed` is the abuse hash, `seen` the number of its submissions
    within the burst window (limits.check_submission)."""
    if _too_large(request):
        return _page(
            request,
            413,
            _("The answers could not be read"),
            _("What was sent is far larger than a questionnaire. Please reload the page."),
            instrument=instrument,
        )
    submission_id = parse_submission_id(_form(request).get("submission_id"))
    if submission_id is None:
        return _page(
            request,
            400,
            _("The answers could not be read"),
            _("The form was incomplete. Please reload the page; your answers are kept."),
            instrument=instrument,
        )
    spec = enrolment.cycle.framework.spec
    parsed = parse(spec, instrument, _form(request))
    started = _form(request).get("started", "")
    start = anon.read_start(started, code=enrolment.access_code)
    if not parsed.is_valid:
        return render_questionnaire(
            request,
            enrolment,
            instrument,
            parsed=parsed,
            submission_id=str(submission_id),
            started=started if start.status == anon.TokenStatus.OK else None,
            status=400,
        )
    try:
        services.submit_response(
            enrolment=enrolment,
            instrument=instrument,
            chosen=parsed.chosen,
            submission_id=submission_id,
            channel=Channel.ONLINE,
            duration_seconds=start.duration,
            abuse_hash=hashed,
            network_hash=anon.network_hash(
                request, cycle_id=enrolment.cycle_id, code=enrolment.access_code
            ),
            token_status=start.status,
            token_hash=anon.token_hash(start.nonce, cycle_id=enrolment.cycle_id),
            unseen=unseen,
            in_burst=flags.completes_burst(seen),
        )
    except PhaseClosed as exc:
        return _closed(request, enrolment, instrument, str(exc))
    except services.SurveyError as exc:
        return _page(request, 400, _("The answers could not be read"), str(exc))
    return redirect("surveys:thanks", instrument=instrument, code=enrolment.access_code)


@lean
@public
@never_cache
@cookieless
def thanks(request, instrument: str, code: str):
    if instrument not in Instrument.values:
        return _refusal(request, "", "unknown")
    if (wait := limits.check_guesses(request)) is not None:
        return _too_many(request, instrument, wait)
    # Only the agency's name is shown: read alone (an unknown or replaced code is told as
    # everywhere else).
    normal = codes.normalise(code)
    found = lookup.open_agency(normal) if codes.is_well_formed(normal) else None
    if found is None:
        enrolment, problem = _find(instrument, code)
        if enrolment is None:
            return _unknown(request, instrument, problem)
        found = (enrolment.cycle_id, enrolment.access_code, enrolment.agency)
    cycle_id, access_code, agency = found
    return _framed(
        ("surveys/thanks.html", instrument),
        "surveys/thanks.html",
        lambda: {
            "agency": SimpleNamespace(full_name=_slot("agency")),
            "instrument": instrument,
            "storage_key": _slot("storage_key"),
        },
        {
            "agency": agency.full_name,
            "storage_key": f"itas:{cycle_id}:{instrument}:{access_code}",
        },
    )


@lean
@public
@never_cache
@cookieless
def enter_code(request, instrument: str):
    """/go/eit/?code=… : a person who typed the code from a poster."""
    if instrument not in Instrument.values:
        return _refusal(request, "", "unknown")
    code = codes.normalise(request.GET.get("code", ""))
    if code:
        if (wait := limits.check_guesses(request)) is not None:
            return _too_many(request, instrument, wait)
        enrolment, problem = _find(instrument, code)
        if enrolment is not None:
            return redirect("surveys:go", instrument=instrument, code=enrolment.access_code)
        # what was typed stays in the box, to be corrected rather than typed again
        return _unknown(request, instrument, problem, typed=request.GET.get("code", "")[:8])
    return _page(
        request,
        200,
        _("Enter the access code"),
        _("Type the 6-character code printed on the agency's poster."),
        instrument=instrument,
        ask_code=True,
    )
