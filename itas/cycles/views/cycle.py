from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.core.permissions import login, permission, public
from itas.core.registry import cycle_actions
from itas.cycles import ics, qr, services
from itas.cycles import practice as practice_round
from itas.cycles.forms import CycleForm, PhasesForm
from itas.cycles.models import PHASE_ORDER, Cycle, Enrolment


def _cycle(request, pk, **kwargs):
    return get_object_or_404(Cycle.objects.prefetch_related("phases"), pk=pk)


def _enrolment(request, pk, **kwargs):
    return get_object_or_404(Enrolment.objects.select_related("agency", "cycle"), pk=pk)


@login
def cycle_list(request):
    cycles = Cycle.objects.select_related("framework").prefetch_related("phases")
    return render(request, "cycles/list.html", {"cycles": cycles})


@permission("cycles.manage_cycle")
def cycle_new(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(
                request.user,
                fiscal_year=form.cleaned_data["fiscal_year"],
                framework=form.cleaned_data["framework"],
                name=form.cleaned_data["name"],
                phases=form.phases(),
            )
        except services.CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The cycle was created as a draft. Open it when ready."))
            return redirect("cycles:calendar", pk=cycle.pk)
    return render(request, "cycles/form.html", {"form": form}, status=400 if form.errors else 200)


@public
def calendar(request, pk):
    """The cycle's calendar: public, like the letters that announce it."""
    cycle = _cycle(request, pk)
    phases = sorted(cycle.phases.all(), key=lambda p: (p.starts_on, PHASE_ORDER.index(p.kind)))
    can_manage = request.user.has_perm("cycles.manage_cycle")
    return render(
        request,
        "cycles/calendar.html",
        {
            "cycle": cycle,
            "phases": phases,
            "can_manage": can_manage,
            "enrolled": cycle.enrolments.count() if can_manage else None,
            "practice": None if cycle.is_practice else practice_round.current_practice(cycle),
            "actions": cycle_actions(request, cycle=cycle),
        },
    )


@public
def calendar_ics(request, pk):
    cycle = _cycle(request, pk)
    response = HttpResponse(ics.cycle_calendar(cycle), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ita-{cycle.fiscal_year}.ics"'
    return response


@permission("cycles.manage_cycle", obj=_cycle)
def phases_edit(request, pk, obj):
    cycle = obj
    form = PhasesForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_phases(request.user, cycle=cycle, phases=form.phases())
        except services.CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The calendar was saved."))
            return redirect("cycles:calendar", pk=cycle.pk)
    return render(
        request,
        "cycles/phases.html",
        {"form": form, "cycle": cycle},
        status=400 if form.errors else 200,
    )


@require_POST
@permission("cycles.manage_cycle", obj=_cycle)
def cycle_open(request, pk, obj):
    try:
        enrolled = services.open_cycle(request.user, cycle=obj)
    except services.CycleError as exc:
        raise _conflict(str(exc)) from exc
    messages.success(
        request, _("The cycle is open; %(n)s agencies were enrolled.") % {"n": f"{enrolled:,}"}
    )
    return redirect("cycles:calendar", pk=obj.pk)


@require_POST
@permission("cycles.manage_cycle", obj=_cycle)
def cycle_close(request, pk, obj):
    if request.POST.get("confirm") != "yes":
        raise _conflict(_("Tick the box to confirm closing the cycle."))
    try:
        services.close_cycle(request.user, cycle=obj)
    except services.CycleError as exc:
        raise _conflict(str(exc)) from exc
    messages.success(request, _("The cycle is closed; abuse hashes and contact lists were erased."))
    return redirect("cycles:calendar", pk=obj.pk)


@require_POST
@permission("cycles.manage_cycle", obj=_cycle)
def practice_open(request, pk, obj):
    try:
        practice = practice_round.open_practice(request.user, cycle=obj)
    except services.CycleError as exc:
        raise _conflict(str(exc)) from exc
    messages.success(
        request,
        _("The practice round is open: every agency has its own practice links and codes."),
    )
    return redirect("cycles:calendar", pk=practice.pk)


@require_POST
@permission("cycles.manage_cycle", obj=_cycle)
def practice_reset(request, pk, obj):
    if request.POST.get("confirm") != "yes":
        raise _conflict(_("Tick the box to confirm resetting the practice round."))
    try:
        fresh = practice_round.reset_practice(request.user, practice=obj)
    except services.CycleError as exc:
        raise _conflict(str(exc)) from exc
    messages.success(
        request, _("The practice round starts afresh; the agencies' practice codes still work.")
    )
    return redirect("cycles:calendar", pk=fresh.pk)


def _conflict(message: str) -> services.CycleError:
    """The refusal of a cycle action, shown by the one error page (409, "Not possible now")."""
    return services.CycleError(message, status=409, title=_("Not possible now"))


# -- links, QR codes and posters of one enrolment ------------------------------------------


def _instrument(instrument: str) -> str:
    from django.http import Http404

    if instrument not in qr.INSTRUMENTS:
        raise Http404
    return instrument


@permission("cycles.view_enrolment", obj=_enrolment)
def enrolment_qr(request, pk, instrument, fmt, obj):
    instrument = _instrument(instrument)
    filename = f"itas-{instrument}-{obj.access_code}.{fmt}"
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(obj, instrument), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(obj, instrument), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission("cycles.view_enrolment", obj=_enrolment)
def enrolment_poster(request, pk, instrument, obj):
    instrument = _instrument(instrument)
    response = HttpResponse(qr.poster_pdf(obj, instrument), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="itas-poster-{instrument}-{obj.access_code}.pdf"'
    )
    return response
