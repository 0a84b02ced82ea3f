"""Reads that several views need: the agencies a filter selects, and the follow-up table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from itas.agencies.models import Agency
from itas.core.rules import is_nacc_admin
from itas.events.models import (
    Acknowledgement,
    Event,
    Registration,
    RegistrationStatus,
)
from itas.events.models_sites import ViewingSite
from itas.events.rules import coordinated_province_ids, office_province_ids
from itas.geo.models import District, Province


def visible_events(user) -> QuerySet[Event]:
    """NACC sees every event; provincial and district offices see NACC's events and their own
    province's."""
    events = Event.objects.select_related("province", "target_group")
    if not is_nacc_admin(user):
        events = events.filter(
            Q(province__isnull=True) | Q(province_id__in=office_province_ids(user))
        )
    return events.annotate(
        registered=Count("registrations", filter=Q(registrations__status="registered"))
    )


def site_districts(user) -> QuerySet[District]:
    """The districts where the person may designate viewing sites: all for NACC, their
    province's for a coordinator."""
    districts = District.objects.select_related("province").order_by(
        "province__sort_key", "sort_key"
    )
    if is_nacc_admin(user):
        return districts
    return districts.filter(province_id__in=coordinated_province_ids(user))


def visible_sites(user, event: Event) -> QuerySet[ViewingSite]:
    """The event's viewing sites that the person's office sees (NACC: all)."""
    sites = event.sites.select_related("district", "district__province").prefetch_related(
        "assignments__agency", "attendance"
    )
    if is_nacc_admin(user):
        return sites
    return sites.filter(district__province_id__in=office_province_ids(user))


def published_result_set(fiscal_year: int):
    from itas.scoring.models import ResultSet

    return ResultSet.objects.filter(cycle__fiscal_year=fiscal_year).current_published()


def agencies_from_results(user, result_set, f: dict) -> QuerySet[Agency]:
    """The agencies of a published result set that match the filter (geography as the result
    rows recorded it when they were computed)."""
    from itas.scoring.models import AgencyResult

    rows = AgencyResult.objects.filter(result_set=result_set)
    if f.get("province"):
        rows = rows.filter(province_code=f["province"].code)
    if f.get("district"):
        rows = rows.filter(district_code=f["district"].code)
    if f.get("kind"):
        rows = rows.filter(agency_kind=f["kind"])
    if f.get("region"):
        rows = rows.filter(province_code__in=f["region"].provinces.values("code"))
    if f.get("province_set"):
        rows = rows.filter(province_code__in=f["province_set"].provinces.values("code"))
    if f.get("group"):
        rows = rows.filter(province_code__in=f["group"].provinces.values("code"))
    if f.get("passed") in (True, False):
        rows = rows.filter(passed=f["passed"])
    return Agency.objects.in_scope(user).filter(pk__in=rows.values("enrolment__agency_id"))


def agencies_from_registry(user, f: dict) -> QuerySet[Agency]:
    qs = Agency.objects.in_scope(user).filter(is_active=True)
    if f.get("province"):
        qs = qs.filter(province=f["province"])
    if f.get("district"):
        qs = qs.filter(district=f["district"])
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("region"):
        qs = qs.filter(province__region=f["region"])
    if f.get("province_set"):
        qs = qs.filter(province__in=f["province_set"].provinces.all())
    if f.get("group"):
        qs = qs.filter(province__in=f["group"].provinces.all())
    return qs


@dataclass
class FollowUpRow:
    agency: Agency
    registrations: list[Registration] = field(default_factory=list)
    acknowledged: bool | None = None  # None: never announced to this agency
    targeted: bool = True

    @property
    def registered(self) -> int:
        return len(self.registrations)

    @property
    def attended(self) -> int:
        return sum(1 for r in self.registrations if r.attended)

    @property
    def attendance_known(self) -> bool:
        return any(r.attended is not None for r in self.registrations)


@dataclass
class FollowUp:
    rows: list[FollowUpRow]
    by_province: list[dict]

    @property
    def targets(self) -> int:
        return sum(1 for r in self.rows if r.targeted)

    @property
    def registered_targets(self) -> int:
        return sum(1 for r in self.rows if r.targeted and r.registered)

    @property
    def people(self) -> int:
        return sum(r.registered for r in self.rows)

    @property
    def attended_people(self) -> int:
        return sum(r.attended for r in self.rows)


def follow_up(user, event: Event) -> FollowUp:
    """Per agency in the user's scope: the target group's members (registered or not) and any
    other agency that registered, with registrations, attendance and acknowledgement."""
    scope = Agency.objects.in_scope(user)
    regs = (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .filter(agency__in=scope)
        .order_by("created_at")
    )
    by_agency: dict[int, list[Registration]] = defaultdict(list)
    for reg in regs:
        by_agency[reg.agency_id].append(reg)
    target_ids: set[int] = set()
    if event.target_group_id:
        target_ids = set(
            event.target_group.members.filter(agency__in=scope).values_list("agency_id", flat=True)
        )
    announced: set[int] = set()
    acked: set[int] = set()
    for ann in event.announcements.prefetch_related("agencies"):
        announced |= {a.pk for a in ann.agencies.all()}
    acked = set(
        Acknowledgement.objects.filter(announcement__event=event).values_list(
            "agency_id", flat=True
        )
    )
    agencies = (
        Agency.objects.filter(pk__in=target_ids | set(by_agency))
        .select_related("province", "district")
        .order_by("province__sort_key", "district__sort_key", "kind", "name")
    )
    rows = [
        FollowUpRow(
            agency=a,
            registrations=by_agency.get(a.pk, []),
            acknowledged=(a.pk in acked) if a.pk in announced else None,
            targeted=a.pk in target_ids or not event.target_group_id,
        )
        for a in agencies
    ]
    totals: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (
            row.agency.province.name_th,
            row.agency.district.name_th if row.agency.district else "",
        )
        t = totals.setdefault(
            key, {"province": key[0], "district": key[1], "targets": 0, "registered": 0}
        )
        if row.targeted:
            t["targets"] += 1
            t["registered"] += 1 if row.registered else 0
    return FollowUp(rows=rows, by_province=list(totals.values()))


def provinces_with_unregistered(event: Event) -> list[Province]:
    if not event.target_group_id:
        return []
    registered = Registration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED
    ).values("agency_id")
    return list(
        Province.objects.filter(
            agencies__in=event.target_group.agencies.exclude(pk__in=registered)
        ).distinct()
    )


def suspicious_registrations(event: Event) -> list[Registration]:
    """Requests and seats from a client that asked for seats for several agencies of this
    event (limits.py's ``suspicious_agencies``): shown to the organiser, who may release them.
    Honest offices rarely register for other agencies; a flood from one client always does."""
    from itas.events.limits import limits

    live = Registration.objects.filter(
        event=event, status__in=[RegistrationStatus.PENDING, RegistrationStatus.REGISTERED]
    ).exclude(client_hash="")
    clients = (
        live.values("client_hash")
        .annotate(agencies=Count("agency", distinct=True))
        .filter(agencies__gte=limits()["suspicious_agencies"])
        .values("client_hash")
    )
    return list(
        live.filter(client_hash__in=clients)
        .select_related("agency", "agency__province")
        .order_by("client_hash", "created_at", "pk")
    )
