from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itas.core.roles import Role
from itas.geo.models import District, Province


class AgencyKind(models.TextChoices):
    PAO = "pao", _("Provincial administrative organization")
    CITY_MUNICIPALITY = "city", _("City municipality")
    TOWN_MUNICIPALITY = "town", _("Town municipality")
    SUBDISTRICT_MUNICIPALITY = "tambon_municipality", _("Subdistrict municipality")
    SAO = "sao", _("Subdistrict administrative organization")
    SPECIAL = "special", _("Special-form local administration")
    CENTRAL = "central", _("Other state agency")


# The type as the DLA registry writes it, and the prefix that makes a full Thai name.
KIND_BY_REGISTRY_TYPE = {
    "อบจ.": AgencyKind.PAO,
    "องค์การบริหารส่วนจังหวัด": AgencyKind.PAO,
    "เทศบาลนคร": AgencyKind.CITY_MUNICIPALITY,
    "เทศบาลเมือง": AgencyKind.TOWN_MUNICIPALITY,
    "เทศบาลตำบล": AgencyKind.SUBDISTRICT_MUNICIPALITY,
    "อบต.": AgencyKind.SAO,
    "องค์การบริหารส่วนตำบล": AgencyKind.SAO,
    "ท้องถิ่นรูปแบบพิเศษ": AgencyKind.SPECIAL,
}
REGISTRY_TYPE_BY_KIND = {
    AgencyKind.PAO: "อบจ.",
    AgencyKind.CITY_MUNICIPALITY: "เทศบาลนคร",
    AgencyKind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    AgencyKind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    AgencyKind.SAO: "อบต.",
    AgencyKind.SPECIAL: "ท้องถิ่นรูปแบบพิเศษ",
}
# Keyed by the stored value: rows read with values_list() carry the kind as a plain str.
NAME_PREFIX: dict[str, str] = {
    AgencyKind.PAO: "องค์การบริหารส่วนจังหวัด",
    AgencyKind.CITY_MUNICIPALITY: "เทศบาลนคร",
    AgencyKind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    AgencyKind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    AgencyKind.SAO: "องค์การบริหารส่วนตำบล",
    AgencyKind.SPECIAL: "",
    AgencyKind.CENTRAL: "",
}
LAO_KINDS = [k for k in AgencyKind if k != AgencyKind.CENTRAL]


class AgencySource(models.TextChoices):
    DLA = "dla", _("DLA registry")
    MANUAL = "manual", _("Added by NACC")
    GENERATED = "generated", _("Generated (demo)")


class AgencyQuerySet(models.QuerySet):
    def in_scope(self, user) -> "AgencyQuerySet":
        """The agencies a user may see, from the scopes of their roles (none for anonymous)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        q = Q(pk__in=[])
        for ra in user.cached_roles():
            if ra.role == Role.NACC_ADMIN:
                return self
            if ra.role in (Role.ASSESSOR, Role.INTERVIEWER) and ra.assessor_group_id:
                q |= Q(province__in=Province.objects.filter(assessor_groups=ra.assessor_group_id))
            elif ra.role == Role.PROVINCE_COORDINATOR and ra.province_id:
                q |= Q(province_id=ra.province_id)
            elif ra.role == Role.DISTRICT_OFFICER and ra.district_id:
                q |= Q(district_id=ra.district_id)
            elif ra.agency_id:
                q |= Q(pk=ra.agency_id)
        return self.filter(q)

    def search(self, text: str) -> "AgencyQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        if text.isdigit():
            return self.filter(code__startswith=text)
        for kind, prefix in NAME_PREFIX.items():
            if prefix and text.startswith(prefix) and len(text) > len(prefix):
                return self.filter(kind=kind, name__icontains=text[len(prefix) :].strip())
        return self.filter(name__icontains=text)


class Agency(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=AgencyKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="agencies",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    area_km2 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    latitude = models.DecimalField(max_digits=10, decimal_places=7, null=True, blank=True)
    longitude = models.DecimalField(max_digits=10, decimal_places=7, null=True, blank=True)
    source = models.CharField(max_length=20, choices=AgencySource.choices, default=AgencySource.DLA)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["province__sort_key", "district__sort_key", "kind", "name"]
        indexes = [models.Index(fields=["province", "kind"])]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """The name as Thai letters write it: เทศบาลตำบลท่าสะอาด."""
        return f"{NAME_PREFIX.get(self.kind, '')}{self.name}"

    @property
    def is_lao(self) -> bool:
        return self.kind != AgencyKind.CENTRAL
