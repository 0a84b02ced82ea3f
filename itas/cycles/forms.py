from django import forms
from django.utils.translation import gettext_lazy as _

from itas.core.datefields import SensibleDateField
from itas.cycles.models import PhaseKind
from itas.frameworks.models import Framework


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhasesForm(forms.Form):
    """A first and a last day for each phase (both inclusive); phases may overlap, as the
    real calendar's do (IIT/EIT collection runs beside the OIT review)."""

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {p.kind: p for p in cycle.phases.all()} if cycle else {}
        for kind in PhaseKind:
            phase = existing.get(kind.value)
            self.fields[f"{kind.value}_start"] = SensibleDateField(
                label=_("%(phase)s: first day") % {"phase": kind.label},
                required=False,
                widget=DateInput(attrs={"class": "form-control"}),
                initial=phase.starts_on if phase else None,
            )
            self.fields[f"{kind.value}_end"] = SensibleDateField(
                label=_("%(phase)s: last day") % {"phase": kind.label},
                required=False,
                widget=DateInput(attrs={"class": "form-control"}),
                initial=phase.ends_on if phase else None,
            )

    def rows(self):
        for kind in PhaseKind:
            yield kind, self[f"{kind.value}_start"], self[f"{kind.value}_end"]

    def clean(self):
        data = super().clean()
        for kind in PhaseKind:
            start, end = data.get(f"{kind.value}_start"), data.get(f"{kind.value}_end")
            if bool(start) != bool(end):
                self.add_error(f"{kind.value}_end", _("Give both the first and the last day."))
            elif start and end and end < start:
                self.add_error(f"{kind.value}_end", _("The last day is before the first day."))
        return data

    def phases(self) -> dict:
        d = self.cleaned_data
        return {
            k.value: (d[f"{k.value}_start"], d[f"{k.value}_end"])
            for k in PhaseKind
            if d.get(f"{k.value}_start") and d.get(f"{k.value}_end")
        }


class CycleForm(PhasesForm):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (Buddhist era)"),
        min_value=2560,
        max_value=2700,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.all(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    field_order = ["fiscal_year", "name", "framework"]
