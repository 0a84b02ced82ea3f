"""The verbs of events: organise, build target groups, register, remind, record attendance,
announce and acknowledge. Each checks its preconditions, runs in a transaction and leaves an
audit entry; a refusal is an EventError with a message for the person."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.agencies import matching
from itas.agencies.models import Agency
from itas.core import audit, tabular, uploads
from itas.core.permissions import require_perm
from itas.core.roles import Role
from itas.events.errors import EventError, RegistrationLimited
from itas.events.models import (
    Acknowledgement,
    Announcement,
    Attachment,
    Event,
    ListDraft,
    Registration,
    RegistrationStatus,
    Session,
    TargetGroup,
    TargetMember,
    TargetSource,
)

log = logging.getLogger(__name__)

CANCEL_SALT = "itas.events.cancel"
EVENT_FIELDS = [
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "venue",
    "join_url",
    "meeting_id",
    "seats_per_agency",
    "seats_total",
    "registration_deadline",
    "contact_name",
    "contact_phone",
    "target_group",
    "province",
]


def _coordinator_province(actor):
    for r in actor.cached_roles():
        if r.role == Role.NACC_ADMIN:
            return None
    for r in actor.cached_roles():
        if r.role == Role.PROVINCE_COORDINATOR:
            return r.province
    return None


def _check_times(event: Event) -> None:
    if event.ends_at <= event.starts_at:
        raise EventError(_("The event must end after it starts."))
    if event.registration_deadline > event.ends_at:
        raise EventError(_("The registration deadline must be before the event ends."))


def save_event(actor, *, event: Event, sessions: list[dict[str, Any]]) -> Event:
    """Create or update an event with its agenda. A coordinator's event is their province's."""
    creating = event.pk is None
    if creating:
        require_perm(actor, "events.organise", error=EventError)
    else:
        require_perm(actor, "events.manage_event", event, error=EventError)
    event.title = clean_line(event.title)
    before = {} if creating else audit.snapshot(Event.objects.get(pk=event.pk), EVENT_FIELDS)
    _check_times(event)
    if creating:
        event.created_by = actor
        province = _coordinator_province(actor)
        if province is not None:
            event.province = province
    with transaction.atomic():
        event.save()
        event.sessions.all().delete()
        Session.objects.bulk_create(Session(event=event, **s) for s in sessions)
        after = audit.snapshot(event, EVENT_FIELDS)
        audit.record(
            actor,
            "events.event.created" if creating else "events.event.updated",
            event,
            changes=audit.diff(before, after),
        )
    return event


def add_attachment(actor, *, event: Event, kind: str, title: str, file) -> Attachment:
    require_perm(actor, "events.manage_event", event, error=EventError)
    attachment = Attachment(
        event=event,
        kind=kind,
        title=title,
        file=file,
        original_name=uploads.original_name(getattr(file, "name", "")),
    )
    try:
        attachment.full_clean()
    except ValidationError as exc:
        raise EventError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        attachment.save()
        audit.record(actor, "events.attachment.added", event, note=title)
    return attachment


# --- target groups ----------------------------------------------------------------------------


def create_target_group(
    actor,
    *,
    name: str,
    source: str,
    agencies,
    criteria: dict | None = None,
    lines: dict[int, tuple[str, float | None, bool]] | None = None,
) -> TargetGroup:
    """Save a group of agencies (only those in the actor's scope)."""
    require_perm(actor, "events.build_target_group", error=EventError)
    allowed = set(
        Agency.objects.in_scope(actor)
        .filter(pk__in=[a.pk if hasattr(a, "pk") else a for a in agencies])
        .values_list("pk", flat=True)
    )
    if not allowed:
        raise EventError(_("The target group has no agencies."))
    with transaction.atomic():
        group = TargetGroup.objects.create(
            name=name.strip(), source=source, criteria=criteria or {}, created_by=actor
        )
        members = []
        for pk in sorted(allowed):
            line, confidence, chosen = (lines or {}).get(pk, ("", None, False))
            members.append(
                TargetMember(
                    group=group,
                    agency_id=pk,
                    source_line=line[:500],
                    confidence=confidence,
                    chosen_by_person=chosen,
                )
            )
        TargetMember.objects.bulk_create(members)
        audit.record(
            actor,
            "events.target_group.created",
            group,
            changes={"source": [None, source], "agencies": [None, len(members)]},
        )
    return group


def match_list(
    actor, *, name: str, data: bytes, filename: str, province=None
) -> tuple[ListDraft, dict]:
    """Match a list from a letter to the registry and keep it as a draft for a person to settle."""
    require_perm(actor, "events.build_target_group", error=EventError)
    try:
        lines = matching.read_list(data, filename)
    except tabular.TabularError as exc:
        raise EventError(
            _(
                "This file cannot be read as a list: upload a CSV, XLSX or plain-text file "
                "with one agency per line."
            )
            + " "
            + str(exc)
        ) from exc
    registry = matching.Registry(Agency.objects.in_scope(actor).filter(is_active=True), province)
    results = matching.match_lines(lines, registry)
    with transaction.atomic():
        draft = ListDraft.objects.create(
            name=name.strip(),
            file_name=filename[:300],
            province=province,
            lines=[r.as_dict() for r in results],
            created_by=actor,
        )
        counts = matching.summary(results)
        audit.record(actor, "events.list.matched", draft, changes={"counts": [None, counts]})
    return draft, counts


SKIP = "skip"


def settle_list(actor, *, draft: ListDraft, choices: dict[int, str]) -> TargetGroup:
    """Turn a matched list into a target group once every ambiguous or unmatched line has been
    given an agency (a code offered or typed) or explicitly skipped."""
    require_perm(actor, "events.build_target_group", error=EventError)
    if draft.group_id:
        raise EventError(_("This list has already been saved as a target group."))
    scope = Agency.objects.in_scope(actor)
    chosen: dict[int, tuple[str, float | None, bool]] = {}
    missing = []
    for line in draft.lines:
        number = line["line"]
        choice = (choices.get(number) or "").strip()
        if line["status"] == matching.MATCHED and not choice:
            choice = line["code"]
            by_person = False
        else:
            by_person = True
        if not choice:
            missing.append(number)
            continue
        if choice == SKIP:
            continue
        agency = scope.filter(code=choice).first()
        if agency is None:
            raise EventError(
                _("Line %(line)s: there is no agency with the code %(code)s.")
                % {"line": number, "code": choice}
            )
        chosen.setdefault(
            agency.pk, (line["input"], line.get("confidence") if not by_person else None, by_person)
        )
    if missing:
        raise EventError(
            _("Choose an agency or skip each line still open: lines %(lines)s.")
            % {"lines": ", ".join(str(n) for n in missing)}
        )
    with transaction.atomic():
        group = create_target_group(
            actor,
            name=draft.name,
            source=TargetSource.LIST,
            agencies=list(chosen),
            criteria={"file": draft.file_name, "lines": len(draft.lines)},
            lines=chosen,
        )
        draft.group = group
        draft.save(update_fields=["group"])
    return group


# --- registration -----------------------------------------------------------------------------


HOLD = dt.timedelta(hours=24)
CONFIRM_SALT = "itas.events.confirm"


def clean_line(text: str) -> str:
    """One line of text: CR, LF and other runs of white space become one space. An e-mail
    subject with a line break makes Django refuse to send it (BadHeaderError)."""
    return " ".join((text or "").split())


def _expire_stale(event: Event, now: dt.datetime) -> None:
    event.registrations.filter(status=RegistrationStatus.PENDING, expires_at__lte=now).update(
        status=RegistrationStatus.EXPIRED
    )


def register(
    actor,
    *,
    event: Event,
    agency_code: str,
    full_name: str,
    position: str,
    email: str,
    phone: str,
    base_url: str = "",
    client_key: str = "",
    now: dt.datetime | None = None,
) -> Registration:
    """A person asks for a seat for their agency. The request holds no seat: it is kept for
    HOLD, and a link to confirm it is e-mailed; the seat is taken by confirm_registration. The
    join link and passcode are sent only after that. Requests are limited per client address
    and per e-mail address (limits.py); a refusal there is a RegistrationLimited."""
    from itas.events import limits

    now = now or timezone.now()
    email = (email or "").strip().lower()
    full_name, position, phone = clean_line(full_name), clean_line(position), clean_line(phone)
    if not (full_name and position and phone):
        raise EventError(_("Fill in your name, position and telephone."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise EventError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}
        ) from exc
    wait = limits.check_client(client_key)
    if wait is not None:
        raise RegistrationLimited(
            _(
                "Too many registrations from this connection. Please try again in "
                "%(minutes)s minutes, or ask the contact officer."
            )
            % {"minutes": max(1, wait // 60)},
            wait,
        )
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        agency = _check_can_take_seat(event, agency_code, email, now)
        _expire_stale(event, now)
        wait = limits.check_address(email)
        if wait is not None:
            raise RegistrationLimited(
                _(
                    "Several confirmation e-mails have already been sent to %(email)s. Check "
                    "the inbox (and the junk folder), or try again in %(minutes)s minutes."
                )
                % {"email": email, "minutes": max(1, wait // 60)},
                wait,
            )
        fields = {
            "agency": agency,
            "full_name": full_name,
            "position": position,
            "phone": phone,
            "expires_at": min(now + HOLD, event.starts_at),
            "client_hash": limits.client_hash(client_key) if client_key else "",
        }
        registration = event.registrations.awaiting(now).filter(email=email).first()
        if registration is None:
            registration = Registration.objects.create(
                event=event, email=email, status=RegistrationStatus.PENDING, **fields
            )
        else:
            for name, value in fields.items():
                setattr(registration, name, value)
            registration.save(update_fields=[*fields])
        audit.record(
            actor,
            "events.registration.requested",
            registration,
            changes={"agency": [None, agency.code], "email": [None, email]},
        )
    from itas.events.mail import send_verification

    send_verification(registration, base_url=base_url)
    return registration


def _check_can_take_seat(event: Event, agency_code, email: str, now: dt.datetime) -> Agency:
    """The deadline, the agency's right to register and the seats (event row locked)."""
    if now > event.registration_deadline:
        raise EventError(_("Registration for this event has closed."))
    agency = Agency.objects.filter(code=(agency_code or "").strip(), is_active=True).first()
    if agency is None:
        raise EventError(_("Choose your agency from the list (no agency has that code)."))
    if event.target_group_id and not event.target_group.members.filter(agency=agency).exists():
        raise EventError(
            _("%(agency)s is not in the target group of this event.") % {"agency": agency}
        )
    if event.province_id and agency.province_id != event.province_id:
        raise EventError(
            _("This event is for the agencies of %(province)s.") % {"province": event.province}
        )
    active = event.registrations.holding_seats()
    if active.filter(email=email).exists():
        raise EventError(_("%(email)s has already registered for this event.") % {"email": email})
    if active.filter(agency=agency).count() >= event.seats_per_agency:
        raise EventError(
            _("%(agency)s has already taken its %(n)s seats.")
            % {"agency": agency, "n": event.seats_per_agency}
        )
    if event.seats_total is not None and active.count() >= event.seats_total:
        raise EventError(_("The event is full."))
    return agency


def confirm_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CONFIRM_SALT)


def _registration_from(token: str, salt: str, invalid: str) -> Registration:
    """The registration a signed link names; `invalid` is the refusal for a bad or stale one."""
    try:
        pk = signing.loads(token, salt=salt)
    except signing.BadSignature as exc:
        raise EventError(invalid) from exc
    registration = Registration.objects.select_related("event", "agency").filter(pk=pk).first()
    if registration is None:
        raise EventError(invalid)
    return registration


def registration_from_confirm_token(token: str) -> Registration:
    return _registration_from(token, CONFIRM_SALT, _("This confirmation link is not valid."))


def confirm_registration(
    actor, *, registration: Registration, base_url: str = "", now: dt.datetime | None = None
) -> Registration:
    """The registrant confirms from the e-mail: the seat is taken now, if one is still free
    (the event row is locked, so concurrent confirmations queue), and the join details sent."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.REGISTERED:
            return registration
        if registration.status != RegistrationStatus.PENDING:
            raise EventError(
                _("This request can no longer be confirmed (%(status)s). Register again.")
                % {"status": registration.get_status_display()}
            )
        expired = registration.expires_at is not None and now >= registration.expires_at
        if expired:
            registration.status = RegistrationStatus.EXPIRED
            registration.save(update_fields=["status"])
        else:
            _take_seat(actor, event, registration, now)
    if expired:  # raised outside the transaction, so that the expiry is kept
        raise EventError(_("This confirmation link has expired. Register again."))
    from itas.events.mail import send_confirmation

    send_confirmation(registration, base_url=base_url)
    return registration


def _take_seat(actor, event: Event, registration: Registration, now: dt.datetime) -> None:
    # A request made before the deadline may be confirmed after it, within its hold.
    _check_can_take_seat(
        event,
        registration.agency.code,
        registration.email,
        now=min(now, event.registration_deadline),
    )
    registration.status = RegistrationStatus.REGISTERED
    registration.confirmed_at = now
    try:
        with transaction.atomic():
            registration.save(update_fields=["status", "confirmed_at"])
    except IntegrityError as exc:
        raise EventError(
            _("%(email)s has already registered for this event.") % {"email": registration.email}
        ) from exc
    audit.record(
        actor,
        "events.registration.created",
        registration,
        changes={
            "status": ["pending", "registered"],
            "agency": [None, registration.agency.code],
        },
    )


def release_registration(actor, *, registration: Registration, reason: str = "") -> Registration:
    """The organiser frees a seat (or drops a request) that looks abusive; the row stays."""
    require_perm(actor, "events.manage_event", registration.event, error=EventError)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.REGISTERED):
            raise EventError(_("This registration no longer holds or awaits a seat."))
        before = registration.status
        registration.status = RegistrationStatus.RELEASED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        audit.record(
            actor,
            "events.registration.released",
            registration,
            changes={"status": [before, "released"]},
            note=clean_line(reason)[:300],
        )
    return registration


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration:
    return _registration_from(token, CANCEL_SALT, _("This cancellation link is not valid."))


def cancel_registration(actor, *, registration: Registration) -> Registration:
    """The registrant (anyone holding the link from the e-mail) gives the seat back."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise EventError(_("This registration was already cancelled."))
        if timezone.now() > registration.event.ends_at:
            raise EventError(_("The event is over; the registration cannot be cancelled."))
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        audit.record(
            actor,
            "events.registration.cancelled",
            registration,
            changes={"status": ["registered", "cancelled"]},
        )
    return registration


# --- follow-up --------------------------------------------------------------------------------


def send_reminders(actor, *, event: Event, base_url: str = "") -> dict[str, int]:
    """E-mail the coordinators of every province where targets have not registered yet."""
    require_perm(actor, "events.manage_event", event, error=EventError)
    from itas.accounts.models import RoleAssignment
    from itas.events.mail import send_reminder
    from itas.events.queries import provinces_with_unregistered

    if not event.target_group_id:
        raise EventError(_("This event has no target group to follow up."))
    provinces = provinces_with_unregistered(event)
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED).values(
        "agency_id"
    )
    sent = 0
    without = 0
    for province in provinces:
        coordinators = RoleAssignment.objects.filter(
            role=Role.PROVINCE_COORDINATOR, province=province, is_active=True, user__is_active=True
        ).select_related("user")
        people = [ra.user for ra in coordinators]
        emails = sorted({u.email for u in people})
        if not emails:
            without += 1
            continue
        missing = (
            event.target_group.agencies.filter(province=province)
            .exclude(pk__in=registered)
            .select_related("district")
            .order_by("district__sort_key", "kind", "name")
        )
        send_reminder(event, province, list(missing), people, base_url=base_url)
        sent += len(emails)
    audit.record(
        actor,
        "events.event.reminded",
        event,
        changes={"provinces": [None, len(provinces)], "emails": [None, sent]},
    )
    return {"provinces": len(provinces), "emails": sent, "without": without}


def _find_column(header: list[str], *needles: str) -> int | None:
    for i, cell in enumerate(header):
        low = cell.strip().lower()
        if any(n in low for n in needles):
            return i
    return None


def import_attendance(actor, *, event: Event, data: bytes) -> dict[str, int]:
    """Read a webinar's attendee report (e.g. Zoom's CSV: a few lines of preamble, then a
    header with Email and Time in Session (minutes), one row per join) and mark each active
    registration attended or not, matched by e-mail."""
    require_perm(actor, "events.manage_event", event, error=EventError)
    try:
        rows = [row for _line, row in tabular.read_rows(data, formats=("csv",))]
    except tabular.TabularError as exc:
        raise EventError(
            _("The attendee report must be a CSV file in UTF-8.") + " " + str(exc)
        ) from exc
    header_at = next(
        (
            i
            for i, row in enumerate(rows)
            if _find_column(row, "email", "e-mail", "อีเมล") is not None
        ),
        None,
    )
    if header_at is None:
        raise EventError(_("The attendee report has no e-mail column."))
    header = rows[header_at]
    email_col = _find_column(header, "email", "e-mail", "อีเมล")
    minutes_col = _find_column(header, "minutes", "นาที", "duration")
    attended_col = _find_column(header, "attended", "เข้าร่วม")
    minutes: dict[str, int] = {}
    present: set[str] = set()
    for row in rows[header_at + 1 :]:
        if len(row) <= email_col or "@" not in row[email_col]:
            continue
        email = row[email_col].strip().lower()
        said_no = attended_col is not None and len(row) > attended_col
        if said_no and row[attended_col].strip().lower() in ("no", "ไม่"):
            continue
        present.add(email)
        if minutes_col is not None and len(row) > minutes_col:
            with contextlib.suppress(ValueError):
                minutes[email] = minutes.get(email, 0) + int(float(row[minutes_col] or 0))
    with transaction.atomic():
        regs = list(
            event.registrations.select_for_update().filter(status=RegistrationStatus.REGISTERED)
        )
        known = set()
        for reg in regs:
            known.add(reg.email)
            reg.attended = reg.email in present
            reg.attended_minutes = minutes.get(reg.email) if reg.attended else None
        Registration.objects.bulk_update(regs, ["attended", "attended_minutes"])
        stats = {
            "attended": sum(1 for r in regs if r.attended),
            "absent": sum(1 for r in regs if not r.attended),
            "not_registered": len(present - known),
        }
        audit.record(actor, "events.attendance.imported", event, changes={"stats": [None, stats]})
    return stats


# --- notices ----------------------------------------------------------------------------------


def announce(
    actor, *, event: Event, message: str, letter: Attachment | None = None
) -> Announcement:
    require_perm(actor, "events.manage_event", event, error=EventError)
    if not event.target_group_id:
        raise EventError(_("Choose a target group for the event before announcing it."))
    if letter is not None and letter.event_id != event.pk:
        raise EventError(_("The letter must be one of this event's attachments."))
    agencies = Agency.objects.in_scope(actor).filter(
        pk__in=event.target_group.members.values("agency_id")
    )
    if not agencies.exists():
        raise EventError(_("The target group has no agencies."))
    with transaction.atomic():
        announcement = Announcement.objects.create(
            event=event, message=message.strip(), letter=letter, created_by=actor
        )
        announcement.agencies.set(agencies)
        audit.record(
            actor,
            "events.event.announced",
            event,
            changes={"agencies": [None, agencies.count()]},
        )
    return announcement


def acknowledge(actor, *, announcement: Announcement, agency: Agency) -> Acknowledgement:
    require_perm(
        actor,
        "events.acknowledge_notice",
        agency,
        error=EventError,
        message=_("Only the agency's administrator can acknowledge this notice."),
    )
    if not announcement.agencies.filter(pk=agency.pk).exists():
        raise EventError(_("This notice was not sent to your agency."))
    with transaction.atomic():
        ack, created = Acknowledgement.objects.get_or_create(
            announcement=announcement, agency=agency, defaults={"user": actor}
        )
        if created:
            audit.record(actor, "events.notice.acknowledged", announcement, note=agency.code)
    return ack
