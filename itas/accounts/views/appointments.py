"""Appointments with a deadline: NACC sets the date and sees national coverage; coordinators
and district officers see the agencies of their scope with gaps and remind them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from itas.accounts import appointments
from itas.core.permissions import permission
from itas.core.rules import is_nacc_admin


class DeadlineForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=gettext_lazy("fiscal year (B.E.)"), min_value=2560, max_value=2700
    )
    due_on = forms.DateField(
        label=gettext_lazy("appoint by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if not 2000 <= due.year <= 2100:
            raise forms.ValidationError(
                _("Give the date in the Christian era (e.g. 2026 for B.E. 2569).")
            )
        return due


@permission("accounts.view_appointments")
def overview(request):
    nacc = is_nacc_admin(request.user)
    by = "province" if nacc else "district"
    groups, gaps = appointments.coverage(request.user, by=by)
    current = appointments.current_deadline()
    form = DeadlineForm(
        initial={"fiscal_year": current.fiscal_year, "due_on": current.due_on} if current else {}
    )
    return render(
        request,
        "accounts/appointments.html",
        {
            "groups": groups,
            "gaps": gaps[:300],
            "n_gaps": len(gaps),
            "by": by,
            "required": appointments.REQUIRED,
            "deadline": current,
            "form": form if nacc else None,
            "agencies": sum(g.agencies for g in groups),
            "complete": sum(g.complete for g in groups),
        },
    )


@permission("accounts.set_appointment_deadline")
@require_POST
def set_deadline(request):
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("accounts:appointments")
    appointments.set_deadline(
        request.user,
        fiscal_year=form.cleaned_data["fiscal_year"],
        due_on=form.cleaned_data["due_on"],
    )
    messages.success(request, _("The appointment deadline is saved."))
    return redirect("accounts:appointments")


@permission("accounts.view_appointments")
@require_POST
def remind(request):
    current = appointments.current_deadline()
    if current is None:
        messages.error(request, _("NACC has not set the appointment deadline yet."))
        return redirect("accounts:appointments")
    stats = appointments.remind(request.user, fiscal_year=current.fiscal_year)
    messages.success(
        request,
        _(
            "%(reminded)s agencies reminded; %(skipped)s were reminded in the last day or have "
            "no admin and no e-mail in the registry."
        )
        % stats,
    )
    return redirect("accounts:appointments")


def panel(request):
    """The agency admin sees what the agency still has to appoint, and by when."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    agency_ids = sorted(user.agency_ids(roles=("agency_admin",)))
    current = appointments.current_deadline()
    if not agency_ids or current is None:
        return None
    from itas.agencies.models import Agency

    have = appointments.filled(agency_ids)
    items = []
    for agency in Agency.objects.filter(pk__in=agency_ids):
        missing = appointments.missing_labels(have.get(agency.pk, set()))
        items.append({"agency": agency, "missing": missing})
    return {
        "title": _("People to appoint"),
        "template": "accounts/_panel_appointments.html",
        "context": {"items": items, "deadline": current},
        "order": 7,
    }
