"""The public side: the registration page anyone with the link or QR code opens, the agency
search, the QR code itself, attachments, and cancellation by the signed link in the e-mail."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.agencies.models import Agency
from itas.core.permissions import public
from itas.events import services
from itas.events.errors import EventError, RegistrationLimited
from itas.events.forms import RegistrationForm
from itas.events.models import Attachment, Event, RegistrationStatus
from itas.surveys.anon import client_ip


def _event(code: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("target_group", "province"), public_code=code
    )


def eligible_agencies(event: Event):
    qs = Agency.objects.filter(is_active=True).select_related("province", "district")
    if event.target_group_id:
        qs = qs.filter(pk__in=event.target_group.members.values("agency_id"))
    if event.province_id:
        qs = qs.filter(province_id=event.province_id)
    return qs


def _with_seats(event: Event, agencies):
    agencies = list(agencies)
    taken = dict(
        event.registrations.filter(
            status=RegistrationStatus.REGISTERED, agency__in=[a.pk for a in agencies]
        )
        .values_list("agency_id")
        .annotate(n=Count("id"))
    )
    for a in agencies:
        a.seats_left = max(event.seats_per_agency - taken.get(a.pk, 0), 0)
    return agencies


@public
def register(request, code: str):
    event = _event(code)
    form = RegistrationForm(request.POST or None)
    chosen = None
    status = 200
    retry_after = None
    if request.method == "POST":
        agency_code = request.POST.get("agency", "").strip()
        chosen = eligible_agencies(event).filter(code=agency_code).first()
        if form.is_valid():
            try:
                registration = services.register(
                    request.user,
                    event=event,
                    agency_code=form.cleaned_data["agency"],
                    full_name=form.cleaned_data["full_name"],
                    position=form.cleaned_data["position"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    base_url=request.build_absolute_uri("/"),
                    client_key=client_ip(request),
                )
            except RegistrationLimited as exc:
                form.add_error(None, str(exc))
                status = 429
                retry_after = exc.retry_after
            except EventError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                request.session[f"events.registered.{event.pk}"] = registration.pk
                return redirect("events:registered", code=event.public_code)
        else:
            status = 400
    response = render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "chosen": chosen,
            "sessions": event.sessions.all(),
            "attachments": event.attachments.all(),
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@public
def agency_search(request, code: str):
    """htmx: the agencies that may register, by name or code, with the seats they have left."""
    event = _event(code)
    q = request.GET.get("q", "").strip()
    agencies = []
    if len(q) >= 2 or q.isdigit():
        agencies = _with_seats(event, eligible_agencies(event).search(q)[:20])
    return render(
        request, "events/_agency_options.html", {"agencies": agencies, "q": q, "event": event}
    )


@public
def registered(request, code: str):
    event = _event(code)
    pk = request.session.get(f"events.registered.{event.pk}")
    registration = event.registrations.filter(pk=pk).select_related("agency").first()
    if registration is None or registration.status not in (
        RegistrationStatus.PENDING,
        RegistrationStatus.REGISTERED,
    ):
        return redirect("events:register", code=code)
    return render(request, "events/registered.html", {"event": event, "registration": registration})


@public
def confirm(request, token: str):
    """The link in the first e-mail. Opening it shows a button (mail scanners open links; only
    the person's POST takes the seat)."""
    try:
        registration = services.registration_from_confirm_token(token)
    except EventError as exc:
        raise EventError(str(exc), title=_("Confirm registration")) from exc
    status = 200
    if request.method == "POST":
        try:
            registration = services.confirm_registration(
                request.user, registration=registration, base_url=request.build_absolute_uri("/")
            )
        except EventError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            request.session[f"events.registered.{registration.event_id}"] = registration.pk
            return redirect("events:registered", code=registration.event.public_code)
    return render(
        request,
        "events/confirm.html",
        {"registration": registration, "event": registration.event, "token": token},
        status=status,
    )


@public
def qr(request, code: str):
    event = _event(code)
    url = request.build_absolute_uri(event.public_path())
    out = segno.make(url, error="m")
    if request.GET.get("format") == "png":
        response = HttpResponse(content_type="image/png")
        out.save(response, kind="png", scale=10, border=2)
        response["Content-Disposition"] = f'attachment; filename="event-{event.public_code}.png"'
        return response
    response = HttpResponse(content_type="image/svg+xml")
    out.save(response, kind="svg", scale=8, border=2, xmldecl=False)
    return response


@public
def attachment(request, code: str, attachment_id: int):
    event = _event(code)
    item = get_object_or_404(Attachment, pk=attachment_id, event=event)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=item.download_name)


@public
def cancel(request, token: str):
    try:
        registration = services.registration_from_token(token)
    except EventError as exc:
        raise EventError(str(exc), title=_("Cancel registration")) from exc
    return render(
        request,
        "events/cancel.html",
        {"registration": registration, "event": registration.event, "token": token},
    )


@public
@require_POST
def cancel_confirm(request, token: str):
    try:
        registration = services.registration_from_token(token)
        services.cancel_registration(request.user, registration=registration)
    except EventError as exc:
        messages.error(request, str(exc))
        return redirect("events:cancel", token=token)
    messages.success(request, _("Your registration is cancelled; the seat is free again."))
    return redirect("events:cancel", token=token)
