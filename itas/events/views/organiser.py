"""The organiser's side: events, their agenda and letters, registrations, follow-up, reminders,
attendance and notices."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from itas.core import tabular
from itas.core.permissions import login, permission
from itas.events import queries, services
from itas.events.forms import (
    AnnouncementForm,
    AttachmentForm,
    AttendanceForm,
    EventForm,
    SessionFormSet,
)
from itas.events.models import Announcement, Event, Registration, RegistrationStatus


def _event(request, pk: int, **kwargs) -> Event:
    return get_object_or_404(Event.objects.select_related("target_group", "province"), pk=pk)


@permission("events.follow_up")
def event_list(request):
    return render(
        request,
        "events/list.html",
        {"events": queries.visible_events(request.user), "now": timezone.now()},
    )


def _sessions_from(formset) -> list[dict]:
    return [
        {k: f.cleaned_data.get(k) or ("" if k in ("topic", "speakers") else None) for k in f.fields}
        for f in formset
        if f.cleaned_data.get("topic")
    ]


def _edit(request, event: Event | None):
    creating = event is None
    initial_sessions = (
        []
        if creating
        else [
            {"starts": s.starts, "ends": s.ends, "topic": s.topic, "speakers": s.speakers}
            for s in event.sessions.all()
        ]
    )
    form = EventForm(request.POST or None, instance=event, user=request.user)
    formset = SessionFormSet(request.POST or None, initial=initial_sessions, prefix="s")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.save_event(
                    request.user, event=form.save(commit=False), sessions=_sessions_from(formset)
                )
            except services.EventError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("The event is saved."))
                return redirect(saved)
        else:
            status = 400
    return render(
        request,
        "events/edit.html",
        {"form": form, "formset": formset, "event": event, "creating": creating},
        status=status,
    )


@permission("events.organise")
def event_create(request):
    return _edit(request, None)


@permission("events.manage_event", obj=_event)
def event_edit(request, pk: int, obj: Event):
    return _edit(request, obj)


@permission("events.manage_event", obj=_event)
def event_detail(request, pk: int, obj: Event):
    event = obj
    registrations = event.registrations.select_related("agency", "agency__province").order_by(
        "agency__province__sort_key", "agency__name", "created_at"
    )
    announcements = event.announcements.annotate(
        n_agencies=Count("agencies", distinct=True),
        n_ack=Count("acknowledgements", distinct=True),
    )
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "sessions": event.sessions.all(),
            "attachments": event.attachments.all(),
            "registrations": registrations,
            "active": registrations.filter(status=RegistrationStatus.REGISTERED).count(),
            "suspicious": queries.suspicious_registrations(event),
            "announcements": announcements,
            "attachment_form": AttachmentForm(),
            "announcement_form": AnnouncementForm(event=event),
            "attendance_form": AttendanceForm(),
            "public_url": request.build_absolute_uri(event.public_path()),
        },
    )


@permission("events.manage_event", obj=_event)
def poster(request, pk: int, obj: Event):
    """A printable page: title, date, agenda, the QR code and the link."""
    return render(
        request,
        "events/poster.html",
        {
            "event": obj,
            "sessions": obj.sessions.all(),
            "public_url": request.build_absolute_uri(obj.public_path()),
        },
    )


@permission("events.manage_event", obj=_event)
@require_POST
def attachment_add(request, pk: int, obj: Event):
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                request.user,
                event=obj,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except services.EventError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The file is attached."))
            return redirect(obj)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return _detail_with_status(request, obj, 400)


@permission(
    "events.manage_event",
    obj=lambda request, pk, **kw: get_object_or_404(Registration, pk=pk).event,
)
@require_POST
def release(request, pk: int, obj: Event):
    registration = get_object_or_404(Registration, pk=pk, event=obj)
    try:
        services.release_registration(
            request.user, registration=registration, reason=request.POST.get("reason", "")
        )
    except services.EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Released: %(name)s (%(agency)s) no longer holds a seat.")
            % {"name": registration.full_name, "agency": registration.agency},
        )
    return redirect(obj)


def _detail_with_status(request, event, status):
    response = event_detail.__wrapped__(request, pk=event.pk, obj=event)
    response.status_code = status
    return response


@permission("events.manage_event", obj=_event)
@require_POST
def announce(request, pk: int, obj: Event):
    form = AnnouncementForm(request.POST, event=obj)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _detail_with_status(request, obj, 400)
    try:
        ann = services.announce(
            request.user,
            event=obj,
            message=form.cleaned_data["message"],
            letter=form.cleaned_data["letter"],
        )
    except services.EventError as exc:
        messages.error(request, str(exc))
        return _detail_with_status(request, obj, 400)
    messages.success(
        request,
        _("The event is announced to %(n)s agencies.") % {"n": ann.agencies.count()},
    )
    return redirect(obj)


def _announcement(request, pk: int, **kwargs) -> Announcement:
    return get_object_or_404(Announcement.objects.select_related("event"), pk=pk)


@permission(
    "events.manage_event",
    obj=lambda request, pk, **kw: get_object_or_404(Announcement, pk=pk).event,
)
def announcement_detail(request, pk: int, obj: Event):
    ann = get_object_or_404(Announcement, pk=pk, event=obj)
    acks = {a.agency_id: a for a in ann.acknowledgements.select_related("user")}
    agencies = ann.agencies.select_related("province", "district").order_by(
        "province__sort_key", "district__sort_key", "name"
    )
    rows = [(a, acks.get(a.pk)) for a in agencies]
    return render(
        request,
        "events/announcement.html",
        {"announcement": ann, "event": obj, "rows": rows, "acked": len(acks)},
    )


@login
@require_POST
def acknowledge(request, pk: int):
    ann = _announcement(request, pk)
    agency_ids = request.user.agency_ids()
    agency = ann.agencies.filter(pk__in=agency_ids).first()
    if agency is None:
        messages.error(request, _("This notice was not sent to your agency."))
        return redirect("core:home")
    try:
        services.acknowledge(request.user, announcement=ann, agency=agency)
    except services.EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: the organiser sees that you have read the notice."))
    return redirect("core:home")


# --- follow-up --------------------------------------------------------------------------------


@permission("events.follow_up")
def followup(request, pk: int):
    event = _event(request, pk)
    data = queries.follow_up(request.user, event)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(event, data, fmt)
    show = request.GET.get("show", "all")
    rows = data.rows
    if show == "missing":
        rows = [r for r in rows if r.targeted and not r.registered]
    return render(
        request,
        "events/followup.html",
        {
            "event": event,
            "data": data,
            "rows": rows,
            "show": show,
            "can_manage": request.user.has_perm("events.manage_event", event),
        },
    )


EXPORT_HEADER = [
    gettext_lazy("province"),
    gettext_lazy("district"),
    gettext_lazy("code"),
    gettext_lazy("agency"),
    gettext_lazy("telephone"),
    gettext_lazy("e-mail"),
    gettext_lazy("registered"),
    gettext_lazy("people"),
    gettext_lazy("attended"),
    gettext_lazy("acknowledged"),
]


def _export_rows(data):
    registered, not_registered = _("has registered"), _("not registered")
    acked, not_acked = _("has acknowledged"), _("not acknowledged")
    for r in data.rows:
        yield [
            r.agency.province.name_th,
            r.agency.district.name_th if r.agency.district else "",
            r.agency.code,
            r.agency.full_name,
            r.agency.phone,
            r.agency.email,
            registered if r.registered else not_registered,
            "; ".join(f"{g.full_name} ({g.position}) {g.phone} {g.email}" for g in r.registrations),
            r.attended if r.attendance_known else "",
            "" if r.acknowledged is None else (acked if r.acknowledged else not_acked),
        ]


def _export(event, data, fmt: str):
    return tabular.table_response(
        fmt,
        f"event-{event.pk}-followup",
        [str(h) for h in EXPORT_HEADER],
        _export_rows(data),
        sheet="follow-up",
        widths=(14, 16, 10, 40, 16, 24, 10, 60, 8, 10),
    )


@permission("events.manage_event", obj=_event)
@require_POST
def remind(request, pk: int, obj: Event):
    try:
        stats = services.send_reminders(
            request.user, event=obj, base_url=request.build_absolute_uri("/")
        )
    except services.EventError as exc:
        messages.error(request, str(exc))
        return redirect("events:followup", pk=obj.pk)
    messages.success(
        request,
        _(
            "Reminders sent: %(emails)s e-mails to the coordinators of %(provinces)s provinces "
            "(%(without)s provinces have no coordinator in the system)."
        )
        % stats,
    )
    return redirect("events:followup", pk=obj.pk)


@permission("events.manage_event", obj=_event)
@require_POST
def attendance(request, pk: int, obj: Event):
    form = AttendanceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the attendee report file."))
        return _detail_with_status(request, obj, 400)
    try:
        stats = services.import_attendance(
            request.user,
            event=obj,
            data=form.cleaned_data["file"].read(tabular.Limits().max_bytes + 1),
        )
    except services.EventError as exc:
        messages.error(request, str(exc))
        return _detail_with_status(request, obj, 400)
    messages.success(
        request,
        _(
            "Attendance recorded: %(attended)s attended, %(absent)s did not; "
            "%(not_registered)s attendees had not registered."
        )
        % stats,
    )
    return redirect("events:followup", pk=obj.pk)
