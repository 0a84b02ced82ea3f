from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from itas.agencies.errors import AgencyError
from itas.agencies.forms import AddAgencyForm, AgencyFilterForm, ContactsForm
from itas.agencies.models import Agency
from itas.agencies.services import CONTACT_FIELDS, add_agency, update_contacts
from itas.core import audit
from itas.core.permissions import permission, public
from itas.core.roles import Role
from itas.geo.models import District

PAGE_SIZE = 25


def _agency(request, code, **kwargs):
    return get_object_or_404(Agency.objects.select_related("province", "district"), code=code)


@public
@require_GET
def agency_list(request):
    """The registry: public open data, searchable by Thai name or code, filterable."""
    form = AgencyFilterForm(request.GET or None)
    agencies = Agency.objects.select_related("province", "district").filter(is_active=True)
    if form.is_bound:
        agencies = form.filter(agencies)
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_add": request.user.has_perm("agencies.add_agency"),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "agency-results":
        return render(request, "agencies/_results.html", context)
    return render(request, "agencies/list.html", context)


@public
@require_GET
def district_options(request):
    """The <option>s of the district select for a province (htmx narrows the filter)."""
    province = request.GET.get("province", "")
    districts = (
        District.objects.filter(province_id=province).order_by("sort_key")
        if province.isdigit()
        else District.objects.none()
    )
    return render(
        request,
        "agencies/_district_options.html",
        {"districts": districts, "selected": request.GET.get("district", "")},
    )


@public
@require_GET
def agency_detail(request, code: str):
    agency = _agency(request, code)
    people = None
    if request.user.has_perm("agencies.view_people", agency):
        roles = agency.roles.filter(is_active=True).select_related("user").order_by("role", "id")
        order = [Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE, Role.AGENCY_OFFICER]
        people = [(Role(role).label, [r for r in roles if r.role == role]) for role in order]
    history = None
    if request.user.has_perm("agencies.view_agency_history", agency):
        history = audit.history(agency)[:10]
    return render(
        request,
        "agencies/detail.html",
        {
            "agency": agency,
            "people": people,
            "history": history,
            "can_edit": request.user.has_perm("agencies.change_agency", agency),
            "can_invite": request.user.has_perm("accounts.invite_person", agency),
        },
    )


@permission("agencies.change_agency", obj=_agency)
def agency_edit(request, code: str, obj: Agency):
    form = ContactsForm(request.POST or None, instance=Agency.objects.get(pk=obj.pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_contacts(
                request.user,
                agency=obj,
                **{name: form.cleaned_data[name] for name in CONTACT_FIELDS},
            )
        except AgencyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The contact details were saved."))
            return redirect("agencies:detail", code=obj.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "agencies/edit.html", {"agency": obj, "form": form}, status=status)


@permission("agencies.add_agency")
def agency_add(request):
    form = AddAgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = add_agency(request.user, **form.cleaned_data)
        except AgencyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The agency was added."))
            return redirect("agencies:detail", code=agency.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "agencies/add.html", {"form": form}, status=status)
