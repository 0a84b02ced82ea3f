"""Viewing sites of a live-stream event: the province designates them and assigns agencies, the
host takes attendance on a phone (by the agency's QR code or from the list), NACC and the
provinces follow up who was represented, and the province prints the list for its letter."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from itas.agencies.models import Agency
from itas.core import tabular
from itas.core.permissions import login, permission, public
from itas.events import sites as site_services
from itas.events.forms import ViewingSiteForm
from itas.events.models import Event, EventKind
from itas.events.models_sites import Represented, SiteAttendance, ViewingSite
from itas.events.queries import site_districts, visible_sites
from itas.events.services import EventError

HOST_SESSION = "events.host_sites"


def _event(request, pk: int, **kwargs) -> Event:
    return get_object_or_404(Event, pk=pk, kind=EventKind.LIVESTREAM)


def _site(request, pk: int, **kwargs) -> ViewingSite:
    return get_object_or_404(
        ViewingSite.objects.select_related("event", "district", "district__province"), pk=pk
    )


@permission("events.manage_sites")
def site_list(request, pk: int):
    event = _event(request, pk)
    form = ViewingSiteForm(request.POST or None, districts=site_districts(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            site = form.save(commit=False)
            site.event = event
            try:
                site_services.save_site(request.user, site=site)
            except EventError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("The viewing site is saved: now assign its agencies."))
                return redirect("events:site", pk=site.pk)
        else:
            status = 400
    return render(
        request,
        "events/sites.html",
        {"event": event, "sites": visible_sites(request.user, event), "form": form},
        status=status,
    )


@permission("events.manage_site", obj=_site)
def site_detail(request, pk: int, obj: ViewingSite):
    site = obj
    form = ViewingSiteForm(
        request.POST or None, instance=site, districts=site_districts(request.user)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                site_services.save_site(request.user, site=form.save(commit=False))
            except EventError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("The viewing site is saved."))
                return redirect("events:site", pk=site.pk)
        else:
            status = 400
    assigned = {a.agency_id: a for a in site.assignments.all()}
    elsewhere = dict(
        site.event.sites.exclude(pk=site.pk)
        .filter(assignments__agency__district=site.district)
        .values_list("assignments__agency_id", "venue")
    )
    agencies = [
        (a, a.pk in assigned, elsewhere.get(a.pk))
        for a in site_services.district_agencies(site.event, site.district)
    ]
    return render(
        request,
        "events/site.html",
        {
            "site": site,
            "event": site.event,
            "form": form,
            "agencies": agencies,
            "host_url": request.build_absolute_uri(site.host_path()),
        },
        status=status,
    )


@permission("events.manage_site", obj=_site)
@require_POST
def site_assign(request, pk: int, obj: ViewingSite):
    try:
        ids = [int(x) for x in request.POST.getlist("agency")]
    except ValueError:
        ids = None
    if ids is None:
        messages.error(request, _("Choose agencies from the list."))
        return redirect("events:site", pk=obj.pk)
    try:
        n = site_services.assign_agencies(request.user, site=obj, agency_ids=ids)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s agencies watch at this site.") % {"n": n})
    return redirect("events:site", pk=obj.pk)


# --- the host, on a phone ---------------------------------------------------------------------


def _host_site(code: str) -> ViewingSite:
    return get_object_or_404(
        ViewingSite.objects.select_related("event", "district", "district__province"),
        host_code=code,
    )


def _remember_host(request, site: ViewingSite) -> None:
    """The host's phone remembers its site, so that scanning an agency's QR code with the
    phone's own camera opens the check-in for this site (no app, no account)."""
    held = dict(request.session.get(HOST_SESSION, {}))
    held[str(site.event_id)] = site.host_code
    request.session[HOST_SESSION] = held


def _host_rows(site: ViewingSite):
    present = {a.agency_id: a for a in site.attendance.all()}
    assigned = list(
        Agency.objects.filter(pk__in=site.assignments.values("agency_id")).order_by("kind", "name")
    )
    extra = [
        a
        for a in Agency.objects.filter(pk__in=list(present)).order_by("kind", "name")
        if a.pk not in {x.pk for x in assigned}
    ]
    return [(a, present.get(a.pk)) for a in [*assigned, *extra]]


@public
def site_host(request, code: str):
    site = _host_site(code)
    _remember_host(request, site)
    status = 200
    if request.method == "POST":
        agency = Agency.objects.filter(code=request.POST.get("agency", "").strip()).first()
        if agency is None:
            messages.error(
                request, _("Choose your agency from the list (no agency has that code).")
            )
            status = 400
        else:
            try:
                site_services.record_attendance(
                    None,
                    site=site,
                    agency=agency,
                    represented=request.POST.getlist("represented"),
                    people=request.POST.get("people", ""),
                    via=request.POST.get("via", "list"),
                )
            except EventError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                messages.success(request, _("Recorded: %(agency)s.") % {"agency": agency.full_name})
                return redirect(reverse("events:site_host", args=[code]) + f"#a-{agency.code}")
    rows = _host_rows(site)
    return render(
        request,
        "events/site_host.html",
        {
            "site": site,
            "event": site.event,
            "rows": rows,
            "present": sum(1 for _a, att in rows if att),
            "choices": Represented.choices,
        },
        status=status,
    )


@public
def checkin(request, code: str, agency_code: str):
    """What an agency's QR code opens. On the host's phone: the check-in for the host's site;
    anywhere else: a page saying what the code is for."""
    event = get_object_or_404(Event, public_code=code, kind=EventKind.LIVESTREAM)
    agency = get_object_or_404(Agency, code=agency_code, is_active=True)
    host_code = request.session.get(HOST_SESSION, {}).get(str(event.pk))
    site = ViewingSite.objects.filter(host_code=host_code, event=event).first()
    current = SiteAttendance.objects.filter(site=site, agency=agency).first() if site else None
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "agency": agency,
            "site": site,
            "current": current,
            "choices": Represented.choices,
        },
    )


@public
def agency_qr(request, code: str, agency_code: str):
    event = get_object_or_404(Event, public_code=code, kind=EventKind.LIVESTREAM)
    if not Agency.objects.filter(code=agency_code, is_active=True).exists():
        raise Http404
    url = request.build_absolute_uri(
        reverse("events:checkin", args=[event.public_code, agency_code])
    )
    response = HttpResponse(content_type="image/svg+xml")
    segno.make(url, error="m").save(response, kind="svg", scale=6, border=2, xmldecl=False)
    return response


@login
@require_POST
def choose(request, pk: int):
    site = get_object_or_404(ViewingSite.objects.select_related("event", "district"), pk=pk)
    agency = Agency.objects.filter(pk__in=request.user.agency_ids(), district=site.district).first()
    if agency is None:
        messages.error(request, _("This site is for the agencies of another district."))
        return redirect("core:home")
    try:
        site_services.choose_site(request.user, site=site, agency=agency)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your agency will watch at %(site)s.") % {"site": site.venue})
    return redirect("core:home")


# --- follow-up and the letter's list ----------------------------------------------------------


@permission("events.follow_up")
def site_followup(request, pk: int):
    event = _event(request, pk)
    only_missing = request.GET.get("show") == "missing"
    groups = site_services.site_followup(request.user, event, only_missing=only_missing)
    return render(
        request,
        "events/site_followup.html",
        {
            "event": event,
            "groups": groups,
            "only_missing": only_missing,
            "targets": sum(g.targets for g in groups),
            "represented": sum(g.represented for g in groups),
            "choices": Represented.choices,
            "can_manage_sites": request.user.has_perm("events.manage_sites"),
        },
    )


@permission("events.follow_up")
@require_POST
def site_remind(request, pk: int):
    event = _event(request, pk)
    stats = site_services.remind_unrepresented(
        request.user, event=event, base_url=request.build_absolute_uri("/")
    )
    messages.success(
        request,
        _(
            "%(reminded)s agencies reminded; %(skipped)s were reminded in the last day or "
            "have no admin in the system."
        )
        % stats,
    )
    return redirect("events:site_followup", pk=event.pk)


LETTER_HEADER = [
    gettext_lazy("district"),
    gettext_lazy("viewing site"),
    gettext_lazy("address"),
    gettext_lazy("host"),
    gettext_lazy("telephone"),
    gettext_lazy("capacity"),
    gettext_lazy("equipment"),
    gettext_lazy("agency"),
]


def _letter_rows(sites):
    for site in sites:
        agencies = sorted(
            (a.agency for a in site.assignments.all()), key=lambda a: (a.kind, a.name)
        )
        for i, agency in enumerate(agencies or [None]):
            yield [
                site.district.name_th if i == 0 else "",
                site.venue if i == 0 else "",
                site.address if i == 0 else "",
                site.host_name if i == 0 else "",
                site.host_phone if i == 0 else "",
                site.capacity if i == 0 and site.capacity else "",
                site.equipment_note if i == 0 else "",
                agency.full_name if agency else "",
            ]


@permission("events.follow_up")
def site_letter(request, pk: int):
    """The list a province attaches to its own letter: each district's sites and agencies."""
    event = _event(request, pk)
    sites = list(visible_sites(request.user, event))
    fmt = request.GET.get("format", "pdf")
    name = f"event-{event.pk}-viewing-sites"
    if fmt == "xlsx":
        return tabular.xlsx_response(
            f"{name}.xlsx",
            [str(h) for h in LETTER_HEADER],
            _letter_rows(sites),
            title=event.title,
            sheet="sites",
            widths=(16, 30, 36, 22, 16, 10, 30, 44),
        )
    from itas.core.pdf import pdf_response, render_pdf

    provinces = sorted({s.district.province.name_th for s in sites})
    data = render_pdf(
        "events/site_letter_pdf.html",
        {"event": event, "sites": sites, "provinces": provinces},
        request=request,
    )
    return pdf_response(data, f"{name}.pdf")
