"""The filter of agency lists and exports. The same parameter names are used by the events
app's "new target group from results" page: cycle, province, district, kind, region, passed,
group."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import AgencyKind
from itas.geo.models import AssessorGroup, District, Province, Region

FILTER_FIELDS = ("province", "district", "kind", "region", "passed", "group")


class ResultFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        queryset=Province.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Province"),
        error_messages={"invalid_choice": _("Unknown province.")},
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.select_related("province"),
        to_field_name="code",
        required=False,
        label=_("District"),
        error_messages={"invalid_choice": _("Unknown district.")},
    )
    kind = forms.ChoiceField(
        choices=[("", _("All types"))] + list(AgencyKind.choices),
        required=False,
        label=_("Type"),
        error_messages={"invalid_choice": _("Unknown type of agency.")},
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        label=_("Region"),
        error_messages={"invalid_choice": _("Unknown region.")},
    )
    passed = forms.ChoiceField(
        choices=[("", _("Passed or not")), ("1", _("Passed")), ("0", _("Did not pass"))],
        required=False,
        label=_("Result"),
        error_messages={"invalid_choice": _("Passed must be 0 or 1.")},
    )
    group = forms.ModelChoiceField(
        queryset=AssessorGroup.objects.all(),
        required=False,
        label=_("Assessor group"),
        error_messages={"invalid_choice": _("Unknown assessor group.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.fields["province"].empty_label = _("All provinces")
        self.fields["district"].empty_label = _("All districts")
        self.fields["region"].empty_label = _("All regions")
        self.fields["group"].empty_label = _("All assessor groups")

    def clean(self):
        data = super().clean()
        province, district = data.get("province"), data.get("district")
        if province and district and district.province_id != province.pk:
            raise forms.ValidationError(_("The district is not in the chosen province."))
        return data

    def q(self) -> Q:
        """The filter on AgencyResult rows (its denormalised columns: no joins)."""
        d = self.cleaned_data
        q = Q()
        if d.get("province"):
            q &= Q(province_code=d["province"].code)
        if d.get("district"):
            q &= Q(district_code=d["district"].code)
        if d.get("kind"):
            q &= Q(agency_kind=d["kind"])
        if d.get("region"):
            q &= Q(province_code__in=Province.objects.filter(region=d["region"]).values("code"))
        if d.get("group"):
            q &= Q(province_code__in=d["group"].provinces.values("code"))
        if d.get("passed") in ("0", "1"):
            q &= Q(passed=d["passed"] == "1")
        return q

    def params(self) -> dict[str, str]:
        """The filter as query parameters (for links to exports and target groups)."""
        out = {}
        for name in FILTER_FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if hasattr(value, "code") and name in ("province", "district"):
                out[name] = value.code
            elif hasattr(value, "pk"):
                out[name] = str(value.pk)
            else:
                out[name] = str(value)
        return out

    def describe(self) -> list[str]:
        d = self.cleaned_data
        parts = []
        if d.get("region"):
            parts.append(str(d["region"]))
        if d.get("group"):
            parts.append(str(d["group"]))
        if d.get("province"):
            parts.append(_("Province %(name)s") % {"name": d["province"].name_th})
        if d.get("district"):
            parts.append(_("District %(name)s") % {"name": d["district"].name_th})
        if d.get("kind"):
            parts.append(str(AgencyKind(d["kind"]).label))
        return parts

    def narrow_for_display(self) -> None:
        """After validation: offer only the districts of the chosen province (a national list
        of some 900 districts is neither usable nor quick to render)."""
        province = self.cleaned_data.get("province") if hasattr(self, "cleaned_data") else None
        self.fields["district"].queryset = (
            District.objects.filter(province=province) if province else District.objects.none()
        )

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""
