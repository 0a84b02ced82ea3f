"""Pages for signed-in people: the agency's respondents page (links, QR, population,
progress, contact lists), progress by scope, NACC's flags, the telephone interviewers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.core.permissions import login, permission
from itas.core.views import error_page
from itas.cycles import qr
from itas.cycles import services as cycle_services
from itas.cycles.models import Cycle, CycleStatus, Enrolment, PhaseKind
from itas.cycles.services import PhaseClosed, phase_notice
from itas.surveys import services
from itas.surveys.contacts import MAX_BYTES, ContactFileError, read_contacts
from itas.surveys.models import Channel, Contact, ContactStatus, Flag, Response
from itas.surveys.public import parse_submission_id, render_questionnaire
from itas.surveys.queries import counts_by_enrolment, flag_summary, progress_rows
from itas.surveys.questionnaire import parse
from itas.surveys.rules import caller_group_ids


def _enrolment(request, pk, **kwargs):
    return get_object_or_404(
        Enrolment.objects.select_related("agency", "agency__province", "cycle", "cycle__framework"),
        pk=pk,
    )


def _cycle(request, cycle_pk, **kwargs):
    return get_object_or_404(Cycle.objects.select_related("framework"), pk=cycle_pk)


def _error(request, status, title, message):
    return error_page(request, status, message, title)


# -- the agency -----------------------------------------------------------------------------


@login
def my_enrolments(request):
    enrolments = list(
        Enrolment.objects.filter(
            agency_id__in=request.user.agency_ids(), cycle__status=CycleStatus.OPEN
        ).select_related("agency", "cycle")
    )
    if len(enrolments) == 1:
        return redirect("surveys:respondents", pk=enrolments[0].pk)
    return render(request, "surveys/mine.html", {"enrolments": enrolments})


@permission("surveys.view_respondents", obj=_enrolment)
def respondents(request, pk, obj):
    enrolment = obj
    cycle = enrolment.cycle
    spec = cycle.framework.spec
    counts = counts_by_enrolment([enrolment.pk]).get(enrolment.pk, {"iit": 0, "eit": 0})
    minimum = spec.minimum_sample(enrolment.iit_population) if enrolment.iit_population else None
    survey = cycle.phase(PhaseKind.SURVEY)
    can_manage = request.user.has_perm("surveys.manage_respondents", enrolment)
    return render(
        request,
        "surveys/respondents.html",
        {
            "enrolment": enrolment,
            "cycle": cycle,
            "agency": enrolment.agency,
            "counts": counts,
            "minimum": minimum,
            "iit_percent": min(100, round(100 * counts["iit"] / minimum)) if minimum else 0,
            "survey": survey,
            "survey_open": cycle.is_phase_open(PhaseKind.SURVEY),
            "survey_notice": phase_notice(cycle, PhaseKind.SURVEY),
            "links": [(i, qr.public_url(enrolment, i)) for i in qr.INSTRUMENTS],
            "can_manage": can_manage,
            "can_upload": request.user.has_perm("surveys.upload_contacts", enrolment),
            "contact_lists": enrolment.contact_lists.all() if can_manage else [],
            "sample_note": spec.sample_note,
            "retired": enrolment.retired_codes.all()[:5],
        },
    )


@require_POST
@permission("cycles.manage_enrolment", obj=_enrolment)
def population(request, pk, obj):
    raw = request.POST.get("iit_population", "").strip().replace(",", "")
    try:
        value = int(raw)
    except ValueError:
        messages.error(request, _("Enter the number of staff as a whole number."))
        return redirect("surveys:respondents", pk=obj.pk)
    try:
        cycle_services.set_population(request.user, enrolment=obj, population=value)
    except cycle_services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The number of staff was saved."))
    return redirect("surveys:respondents", pk=obj.pk)


@require_POST
@permission("cycles.manage_enrolment", obj=_enrolment)
def rotate(request, pk, obj):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the new code."))
        return redirect("surveys:respondents", pk=obj.pk)
    try:
        cycle_services.rotate_code(request.user, enrolment=obj)
    except cycle_services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "New code: %(code)s. Print the new posters; the old links now say they were replaced."
            )
            % {"code": obj.access_code},
        )
    return redirect("surveys:respondents", pk=obj.pk)


@require_POST
@permission("surveys.upload_contacts", obj=_enrolment)
def contacts_upload(request, pk, obj):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("surveys:respondents", pk=obj.pk)
    try:
        rows = read_contacts(upload.name, upload.read(MAX_BYTES + 1))
        services.add_contact_list(request.user, enrolment=obj, filename=upload.name, rows=rows)
    except ContactFileError as exc:
        return render(
            request,
            "surveys/contact_errors.html",
            {"enrolment": obj, "errors": exc.errors[:200], "more": max(0, len(exc.errors) - 200)},
            status=400,
        )
    except (PhaseClosed, services.SurveyError) as exc:
        messages.error(request, str(exc))
        return redirect("surveys:respondents", pk=obj.pk)
    messages.success(
        request,
        _("%(n)s contacts were received. Only the assessor team's interviewers can see them.")
        % {"n": len(rows)},
    )
    return redirect("surveys:respondents", pk=obj.pk)


# -- supervisors and NACC -------------------------------------------------------------------


@permission("surveys.view_progress", obj=_cycle)
def progress(request, cycle_pk, obj):
    sort = request.GET.get("sort", "behind")
    desc = request.GET.get("dir") == "desc"
    q = request.GET.get("q", "").strip()[:100]
    rows = progress_rows(obj, request.user, sort=sort, reverse=desc, q=q)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    totals = {
        "agencies": len(rows),
        "iit": sum(r.iit for r in rows),
        "eit": sum(r.eit for r in rows),
        "done": sum(1 for r in rows if r.iit_done),
        "no_population": sum(1 for r in rows if r.population is None),
    }
    return render(
        request,
        "surveys/progress.html",
        {"cycle": obj, "page": page, "sort": sort, "desc": desc, "q": q, "totals": totals},
    )


@permission("surveys.view_flags", obj=_cycle)
def flags(request, cycle_pk, obj):
    rows = flag_summary(obj)
    return render(request, "surveys/flags.html", {"cycle": obj, "rows": rows})


@permission("surveys.view_flags", obj=_enrolment)
def flags_agency(request, pk, obj):
    responses = (
        Response.objects.filter(enrolment=obj, flagged=True)
        .only(
            "pk",
            "instrument",
            "channel",
            "submitted_hour",
            "duration_seconds",
            "abuse_hash",
            "flags",
            "excluded",
        )
        .order_by("-submitted_hour", "abuse_hash", "pk")
    )
    # Group bursts: same device (hash) and hour, shown as one block.
    groups: dict[tuple, list] = {}
    for r in responses[:2000]:
        groups.setdefault((r.abuse_hash[:8] or "—", r.submitted_hour), []).append(r)
    counted = Response.objects.filter(enrolment=obj).aggregate(
        total=Count("pk"), excluded=Count("pk", filter=Q(excluded=True))
    )
    return render(
        request,
        "surveys/flags_agency.html",
        {
            "enrolment": obj,
            "cycle": obj.cycle,
            "groups": [(k[0], k[1], v) for k, v in groups.items()],
            "counted": counted,
            "flag_labels": dict(Flag.choices),
        },
    )


@require_POST
@permission(
    "surveys.exclude_response",
    obj=lambda request, pk, **kw: get_object_or_404(Response, pk=pk),
)
def exclusion(request, pk, obj):
    excluded = request.POST.get("excluded") == "1"
    try:
        services.set_excluded(
            request.user, response=obj, excluded=excluded, reason=request.POST.get("reason", "")
        )
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The response is excluded from the scores.")
            if excluded
            else _("The response counts again."),
        )
    return redirect("surveys:flags_agency", pk=obj.enrolment_id)


# -- telephone interviewers -----------------------------------------------------------------


@permission("surveys.list_interviews")
def interviews(request):
    groups = caller_group_ids(request.user)
    enrolments = (
        Enrolment.objects.filter(
            cycle__status=CycleStatus.OPEN,
            agency__province__assessor_groups__in=groups,
            contacts__isnull=False,
        )
        .select_related("agency", "agency__province", "cycle")
        .annotate(
            n_contacts=Count("contacts", distinct=True),
            n_pending=Count(
                "contacts", filter=Q(contacts__status=ContactStatus.PENDING), distinct=True
            ),
        )
        .order_by("-n_pending", "agency__province__sort_key", "agency__name")
        .distinct()
    )
    page = Paginator(enrolments, 100).get_page(request.GET.get("page"))
    return render(request, "surveys/interviews.html", {"page": page})


@permission("surveys.interview", obj=_enrolment)
def interview_contacts(request, pk, obj):
    contacts = Contact.objects.filter(enrolment=obj).order_by("status", "pk")
    page = Paginator(contacts, 100).get_page(request.GET.get("page"))
    interviews_done = Response.objects.filter(enrolment=obj, channel=Channel.INTERVIEW).count()
    return render(
        request,
        "surveys/interview_contacts.html",
        {
            "enrolment": obj,
            "page": page,
            "statuses": ContactStatus.choices,
            "interviews_done": interviews_done,
            "survey_open": obj.cycle.is_phase_open(PhaseKind.SURVEY),
            "clear_key": (
                f"itas:{obj.cycle_id}:eit:{obj.access_code}:interview"
                if request.GET.get("saved")
                else ""
            ),
        },
    )


@permission("surveys.interview", obj=_enrolment)
def interview_new(request, pk, obj):
    enrolment = obj
    if not enrolment.cycle.is_phase_open(PhaseKind.SURVEY):
        return _error(
            request,
            403,
            _("The questionnaire is not open"),
            phase_notice(enrolment.cycle, "survey"),
        )
    contact = None
    contact_pk = request.POST.get("contact") or request.GET.get("contact")
    if contact_pk and str(contact_pk).isdigit():
        contact = Contact.objects.filter(enrolment=enrolment, pk=contact_pk).first()
    if request.method != "POST":
        return render_questionnaire(request, enrolment, "eit", interview=True, contact=contact)
    submission_id = parse_submission_id(request.POST.get("submission_id"))
    if submission_id is None:
        return _error(
            request, 400, _("The answers could not be read"), _("The form was incomplete.")
        )
    parsed = parse(enrolment.cycle.framework.spec, "eit", request.POST)
    if not parsed.is_valid:
        return render_questionnaire(
            request,
            enrolment,
            "eit",
            parsed=parsed,
            submission_id=str(submission_id),
            interview=True,
            contact=contact,
            status=400,
        )
    try:
        services.submit_response(
            enrolment=enrolment,
            instrument="eit",
            chosen=parsed.chosen,
            submission_id=submission_id,
            channel=Channel.INTERVIEW,
            interviewer=request.user,
        )
        if contact is not None:
            services.set_contact_status(
                request.user, contact=contact, status=ContactStatus.INTERVIEWED
            )
    except (PhaseClosed, services.SurveyError) as exc:
        return _error(request, 400, _("The answers could not be stored"), str(exc))
    messages.success(request, _("The interview was saved."))
    return redirect(reverse("surveys:interview_contacts", args=[enrolment.pk]) + "?saved=1")


@require_POST
@permission(
    "surveys.interview",
    obj=lambda request, pk, **kw: get_object_or_404(
        Enrolment.objects.select_related("agency", "cycle"), contacts__pk=pk
    ),
)
def contact_status(request, pk, obj):
    contact = get_object_or_404(Contact, pk=pk, enrolment=obj)
    try:
        services.set_contact_status(
            request.user, contact=contact, status=request.POST.get("status", "")
        )
    except (PhaseClosed, services.SurveyError) as exc:
        messages.error(request, str(exc))
    return redirect("surveys:interview_contacts", pk=obj.pk)
