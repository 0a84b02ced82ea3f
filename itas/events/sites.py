"""Viewing sites of a live-stream event: the verbs (designate a site, assign or choose agencies,
take attendance, remind who was not represented) and the follow-up read, per province and
district. The province designates; the host takes attendance; NACC and provinces follow up."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.agencies.models import Agency
from itas.core import audit
from itas.core.permissions import require_perm
from itas.core.roles import Role
from itas.events.models import Event, EventKind
from itas.events.models_sites import (
    SITE_FIELDS,
    Represented,
    SiteAssignment,
    SiteAttendance,
    SiteReminder,
    ViewingSite,
)
from itas.events.services import EventError, clean_line

REMIND_EVERY = dt.timedelta(hours=24)


def _require_site_manager(actor, site: ViewingSite) -> None:
    """NACC anywhere; a provincial coordinator in the province of the site's district
    (events.manage_site, the rule the site's pages declare)."""
    require_perm(
        actor,
        "events.manage_site",
        site,
        error=EventError,
        message=_("You can designate sites only in your own province."),
    )


def district_agencies(event: Event, district) -> QuerySet[Agency]:
    """The agencies of a district that the event is for: the target group's, or all of them."""
    qs = Agency.objects.filter(district=district, is_active=True)
    if event.target_group_id:
        qs = qs.filter(pk__in=event.target_group.members.values("agency_id"))
    return qs.order_by("kind", "name")


def save_site(actor, *, site: ViewingSite) -> ViewingSite:
    event = site.event
    if event.kind != EventKind.LIVESTREAM:
        raise EventError(_("Viewing sites are for live-stream events."))
    _require_site_manager(actor, site)
    creating = site.pk is None
    before = {} if creating else audit.snapshot(ViewingSite.objects.get(pk=site.pk), SITE_FIELDS)
    for name in ("venue", "address", "host_name", "host_phone", "equipment_note"):
        setattr(site, name, clean_line(getattr(site, name)))
    with transaction.atomic():
        if creating:
            site.created_by = actor
        site.save()
        audit.record(
            actor,
            "events.site.created" if creating else "events.site.updated",
            site,
            changes=audit.diff(before, audit.snapshot(site, SITE_FIELDS)),
        )
    return site


def assign_agencies(actor, *, site: ViewingSite, agency_ids: list[int]) -> int:
    """The site's agencies become exactly those ticked (of the district's); an agency moves
    here from another site of the same event."""
    _require_site_manager(actor, site)
    allowed = set(
        district_agencies(site.event, site.district)
        .filter(pk__in=agency_ids)
        .values_list("pk", flat=True)
    )
    if len(allowed) != len(set(agency_ids)):
        raise EventError(_("Only agencies of the site's district can be assigned to it."))
    with transaction.atomic():
        removed = site.assignments.exclude(agency_id__in=allowed)
        n_removed = removed.count()
        removed.delete()
        for pk in allowed:
            SiteAssignment.objects.update_or_create(
                event=site.event,
                agency_id=pk,
                defaults={"site": site, "chosen_by_agency": False},
            )
        audit.record(
            actor,
            "events.site.assigned",
            site,
            changes={"agencies": [n_removed, len(allowed)]},
        )
    return len(allowed)


def choose_site(actor, *, site: ViewingSite, agency: Agency) -> SiteAssignment:
    """An agency's admin picks where the agency will watch, when the province lets them."""
    require_perm(
        actor,
        "events.choose_site",
        agency,
        error=EventError,
        message=_("Only the agency's administrator can choose its viewing site."),
    )
    if not site.agencies_choose:
        raise EventError(_("The province assigns the agencies of this site."))
    if not district_agencies(site.event, site.district).filter(pk=agency.pk).exists():
        raise EventError(_("This site is for the agencies of another district."))
    with transaction.atomic():
        assignment, _created = SiteAssignment.objects.update_or_create(
            event=site.event, agency=agency, defaults={"site": site, "chosen_by_agency": True}
        )
        audit.record(actor, "events.site.chosen", site, note=agency.code)
    return assignment


def clean_represented(codes) -> list[str]:
    valid = {c.value for c in Represented}
    return [c for c in Represented.values if c in set(codes or ()) and c in valid]


def record_attendance(
    actor, *, site: ViewingSite, agency: Agency, represented, people: str = "", via: str = "list"
) -> SiteAttendance:
    """The host marks an agency present and who of it came. Marking again replaces; an empty
    choice of people removes the agency from the list (ticked by mistake)."""
    # The host's page passes actor None: its secret link is the key (docs/development.md).
    _require_site_manager(actor, site)
    if agency.province_id != site.district.province_id or not agency.is_active:
        raise EventError(_("%(agency)s is not an agency of this province.") % {"agency": agency})
    codes = clean_represented(represented)
    with transaction.atomic():
        if not codes:
            deleted, _rows = SiteAttendance.objects.filter(site=site, agency=agency).delete()
            if deleted:
                audit.record(actor, "events.site.attendance_removed", site, note=agency.code)
            return SiteAttendance(site=site, agency=agency, represented=[])
        row, created = SiteAttendance.objects.update_or_create(
            site=site,
            agency=agency,
            defaults={
                "represented": codes,
                "people": clean_line(people)[:500],
                "via": via if via in SiteAttendance.Via.values else "list",
            },
        )
        audit.record(
            actor,
            "events.site.attendance",
            site,
            changes={"represented": [None, codes]},
            note=agency.code,
        )
    return row


# --- follow-up --------------------------------------------------------------------------------


@dataclass
class SiteRow:
    agency: Agency
    site: ViewingSite | None
    attendance: SiteAttendance | None

    @property
    def represented(self) -> bool:
        return self.attendance is not None

    def has(self, code: str) -> bool:
        return self.attendance is not None and code in self.attendance.represented


@dataclass
class DistrictTotals:
    province: str
    district: str
    targets: int = 0
    represented: int = 0
    with_admin: int = 0
    with_executive: int = 0
    rows: list[SiteRow] = field(default_factory=list)


def target_agencies(event: Event) -> QuerySet[Agency]:
    """The target group's agencies, or, without one, every agency of a district with a site."""
    if event.target_group_id:
        return Agency.objects.filter(pk__in=event.target_group.members.values("agency_id"))
    return Agency.objects.filter(is_active=True, district_id__in=event.sites.values("district_id"))


def site_followup(user, event: Event, *, only_missing: bool = False) -> list[DistrictTotals]:
    """Per province and district of the user's scope: each target agency, its site, and who
    represented it."""
    agencies = (
        target_agencies(event)
        .filter(pk__in=Agency.objects.in_scope(user).values("pk"))
        .select_related("province", "district")
        .order_by("province__sort_key", "district__sort_key", "kind", "name")
    )
    sites = {
        a.agency_id: a.site
        for a in SiteAssignment.objects.filter(event=event).select_related("site")
    }
    present = {
        a.agency_id: a
        for a in SiteAttendance.objects.filter(site__event=event).select_related("site")
    }
    groups: dict[tuple[str, str], DistrictTotals] = {}
    for agency in agencies:
        key = (agency.province.name_th, agency.district.name_th if agency.district else "")
        totals = groups.setdefault(key, DistrictTotals(province=key[0], district=key[1]))
        row = SiteRow(agency=agency, site=sites.get(agency.pk), attendance=present.get(agency.pk))
        totals.targets += 1
        if row.represented:
            totals.represented += 1
            totals.with_admin += row.has(Represented.ADMIN)
            totals.with_executive += row.has(Represented.EXECUTIVE)
        if not only_missing or not row.represented:
            totals.rows.append(row)
    return list(groups.values())


def remind_unrepresented(actor, *, event: Event, base_url: str = "") -> dict[str, int]:
    """Tell the admins of the target agencies (of the actor's scope) that were not represented
    where to watch the recording, at most once a day per agency, through the inbox and e-mail."""
    require_perm(actor, "events.follow_up", error=EventError)
    from itas.accounts.models import RoleAssignment
    from itas.core.notifications import notify

    now = timezone.now()
    missing = [
        row.agency for group in site_followup(actor, event, only_missing=True) for row in group.rows
    ]
    recent = set(
        SiteReminder.objects.filter(
            event=event, agency__in=missing, sent_at__gt=now - REMIND_EVERY
        ).values_list("agency_id", flat=True)
    )
    due = [a for a in missing if a.pk not in recent]
    admins = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.AGENCY_ADMIN, agency__in=due, is_active=True, user__is_active=True
    ).select_related("user"):
        admins[ra.agency_id].append(ra.user)
    reminded = 0
    with transaction.atomic():
        for agency in due:
            people = admins.get(agency.pk)
            if not people:
                continue
            notify(
                recipients=people,
                kind="events.site.reminder",
                message=_(
                    "%(agency)s was not represented at the briefing “%(title)s”. Please have "
                    "your admin, responsible executive and officers watch the recording."
                )
                % {"agency": agency.full_name, "title": event.title},
                link=reverse("core:home"),
            )
            SiteReminder.objects.create(event=event, agency=agency)
            reminded += 1
        audit.record(
            actor,
            "events.site.reminded",
            event,
            changes={"agencies": [None, reminded]},
        )
    return {
        "missing": len(missing),
        "reminded": reminded,
        "skipped": len(missing) - reminded,
    }
