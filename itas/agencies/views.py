from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from itas.agencies.models import Agency
from itas.core.permissions import public


@public
def agency_list(request):
    agencies = Agency.objects.select_related("province", "district").search(
        request.GET.get("q", "")
    )
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    return render(request, "agencies/list.html", {"page": page})


@public
def agency_detail(request, code: str):
    agency = get_object_or_404(Agency.objects.select_related("province", "district"), code=code)
    return render(request, "agencies/detail.html", {"agency": agency})
