"""Results pages: the cycles' results, dashboards, scorecards, agency lists and exports.

Published results are open data (public views); preliminary numbers are shown only to those
the rules allow, marked as preliminary.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from itas.agencies.models import Agency, AgencyKind
from itas.core.pdf import pdf_response, render_pdf
from itas.core.permissions import public
from itas.core.registry import result_list_actions
from itas.core.thaidate import format_date
from itas.cycles.models import Cycle
from itas.disclosure.visibility import preliminary_visible_to, visible_from
from itas.geo.models import AssessorGroup, Province
from itas.reports import panels, presenter, queries
from itas.reports.errors import ReportsError
from itas.reports.exports import get_export
from itas.reports.exports.agency_list import agency_results, district_label, full_name
from itas.reports.forms import ResultFilterForm
from itas.reports.queries import Area
from itas.reports.scorecard import build
from itas.scoring.models import PUBLIC_STATUSES, ResultStatus

from ._common import _cycle, _fail, _no_cycle

LIST_PAGE = 50


def _int_param(request, name: str) -> tuple[int | None, bool]:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, True
    return (int(raw), True) if raw.isdigit() else (None, False)


def _pick_set(request, cycle: Cycle, may_see_preliminary: bool):
    """The result set the request asks for; refuses (ReportsError) when there is none."""
    version, ok = _int_param(request, "version")
    if not ok:
        _fail(request, 400, _("The version must be a whole number."))
    rs = queries.result_set_for(
        request.user,
        cycle,
        may_see_preliminary=may_see_preliminary,
        version=version,
        preliminary=request.GET.get("preliminary") == "1",
    )
    if rs is None:
        if version is not None:
            _fail(
                request,
                404,
                _("There is no published version %(v)s of these results.") % {"v": version},
            )
        _fail(
            request,
            404,
            _("The results of fiscal year %(fy)s are not published yet.")
            % {"fy": cycle.fiscal_year},
            title=_("Not published yet"),
        )
    return rs


def _area_links(user, rs, area: Area) -> dict:
    """Which wider dashboards the breadcrumb may link to: before publication a coordinator
    sees their province but not the country, a district officer their district only."""
    if rs.status != ResultStatus.PRELIMINARY:
        return {"national": True, "province": True}
    province = area.district.province if area.kind == "district" else None
    return {
        "national": user.has_perm("reports.view_area_preliminary", queries.NATIONAL),
        "province": province is not None
        and user.has_perm(
            "reports.view_area_preliminary", Area(kind="province", province=province)
        ),
    }


def _keep_qs(rs) -> str:
    """The query that keeps a link on the same set of results: without it, a link from a
    preliminary page to another results page lands on "not published yet" (404)."""
    if rs.status == ResultStatus.PRELIMINARY:
        return "?preliminary=1"
    if rs.status == ResultStatus.SUPERSEDED:
        return f"?version={rs.version}"
    return ""


# ---------------------------------------------------------------- index


@public
def index(request):
    cycles = Cycle.objects.real().prefetch_related("result_sets").order_by("-fiscal_year")
    rows = []
    can_publish = request.user.has_perm("reports.publish_results")
    for cycle in cycles:
        sets = sorted(cycle.result_sets.all(), key=lambda s: -s.version)
        public_sets = [s for s in sets if s.status in PUBLIC_STATUSES]
        prelim = next((s for s in sets if s.status == ResultStatus.PRELIMINARY), None)
        if not public_sets and not can_publish:
            continue
        rows.append({"cycle": cycle, "versions": public_sets, "preliminary": prelim})
    # A coordinator's failing list opens on their province (a district officer's on the
    # district, an assessor's on the group), not on the whole country.
    mine = panels.list_filter_of(request.user)
    failing = urlencode({**mine, "passed": 0})
    return render(
        request,
        "reports/index.html",
        {"rows": rows, "can_publish": can_publish, "failing_query": failing},
    )


# ---------------------------------------------------------------- dashboards


@public
def dashboard(request, fy: int, level: str = "national", code: str | None = None):
    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    area = queries.area_of(level, code)
    if area is None:
        _fail(request, 404, _("Unknown province, district or assessor group."))
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in AgencyKind.values:
        _fail(request, 400, _("Unknown type of agency."))
    may = request.user.has_perm("reports.view_area_preliminary", area)
    rs = _pick_set(request, cycle, may)
    shown = presenter.dashboard(cycle, rs, area, kind or None, keep_qs=_keep_qs(rs))
    prev_cycle = shown["prev_cycle"]
    context = {
        "cycle": cycle,
        "area": area,
        "level": level,
        "rs": rs,
        **shown,
        "chart_labels": {
            "agencies": _("Agencies"),
            "thisYear": str(cycle.fiscal_year),
            "lastYear": str(prev_cycle.fiscal_year) if prev_cycle else "–",
            "average": _("Average score"),
            "passRate": _("Pass rate (%)"),
            "goal": _("Goal"),
            "noResults": _("no results"),
            "map_average": _(
                "Map of Thailand, each province coloured by its average score; "
                "the same numbers are in the table of provinces"
            ),
            "map_pass_rate": _(
                "Map of Thailand, each province coloured by the share of its agencies that "
                "passed; the same numbers are in the table of provinces"
            ),
        },
        "goal": queries.GOAL_PASS_RATE,
        "kind": kind,
        "kinds": AgencyKind.choices,
        "versions": queries.public_versions(cycle),
        "list_url": _list_url(fy, area, kind, rs),
        "keep_qs": _keep_qs(rs),
        "area_links": _area_links(request.user, rs, area),
        "groups": AssessorGroup.objects.all() if level == "national" else [],
    }
    return render(request, "reports/dashboard.html", context)


def _list_url(fy: int, area: Area, kind: str, rs) -> str:

    params = dict(parse_qsl(_keep_qs(rs).lstrip("?")))
    if area.kind == "province":
        params["province"] = area.province.code
    elif area.kind == "district":
        params["province"] = area.district.province_id
        params["district"] = area.district.code
    elif area.kind == "group":
        params["group"] = area.group.pk
    if kind:
        params["kind"] = kind
    return reverse("reports:agencies", kwargs={"fy": fy}) + (
        "?" + urlencode(params) if params else ""
    )


# ---------------------------------------------------------------- scorecards


def _scorecard(request, fy: int, code: str):
    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    agency = Agency.objects.select_related("province", "district").filter(code=code).first()
    if agency is None:
        _fail(request, 404, _("There is no agency with code %(code)s.") % {"code": code})
    may = request.user.has_perm("reports.view_agency_preliminary", agency)
    held = may and not preliminary_visible_to(request.user, cycle)  # the one rule (disclosure)
    try:
        rs = _pick_set(request, cycle, may and not held)
    except ReportsError:
        if held and visible_from(cycle):
            _fail(
                request,
                404,
                _(
                    "Your agency's preliminary results are shown from %(date)s, the day after the OIT review period ends."
                )
                % {"date": format_date(visible_from(cycle))},
                title=_("Not published yet"),
            )
        raise
    card = build(agency, rs)
    if card is None:
        _fail(
            request,
            404,
            _("%(agency)s has no result in fiscal year %(fy)s.") % {"agency": agency, "fy": fy},
        )
    return card


def _scorecard_context(request, card, **extra) -> dict:
    # Before publication the agency's own people see its scorecard but not the area's numbers.
    published = card.result_set.status != ResultStatus.PRELIMINARY
    user = request.user
    links = {
        "national": published or user.has_perm("reports.view_area_preliminary", queries.Area()),
        "province": published
        or user.has_perm(
            "reports.view_area_preliminary",
            queries.Area(kind="province", province=card.agency.province),
        ),
    }
    keep = {k: request.GET[k] for k in ("preliminary", "version") if request.GET.get(k)}
    fy, code = card.result_set.cycle.fiscal_year, card.agency.code
    query = request.GET.urlencode()
    return {
        "pdf_url": reverse("reports:scorecard_pdf", kwargs={"fy": fy, "code": code})
        + (f"?{query}" if query else ""),
        "what_if_url": reverse("reports:what_if", kwargs={"fy": fy, "code": code}),
        "card": card,
        "cycle": card.result_set.cycle,
        "area_links": links,
        "keep_qs": _keep_qs(card.result_set),
        "path": card.path_rows,
        "keep": keep,
        "ticked": set(),
        **extra,
    }


@public
def scorecard(request, fy: int, code: str):
    card = _scorecard(request, fy, code)
    return render(request, "reports/scorecard.html", _scorecard_context(request, card))


@public
def what_if(request, fy: int, code: str):
    """Tick OIT items, see the total and grade they would give: computed here by the engine
    (the same rules as scoring), so the browser holds no second copy of the arithmetic. htmx
    asks for the result alone; without JavaScript the form reloads the whole scorecard."""
    card = _scorecard(request, fy, code)
    return what_if_response(
        request, card, lambda **extra: _scorecard_context(request, card, **extra)
    )


def what_if_response(request, card, context_of):
    """The what-if answer for a scorecard (the year's or the practice round's): `context_of`
    builds the page's context with the extra keys given."""
    ticked = [c for c in request.GET.getlist("item") if c]
    open_items = {g["code"] for g in card.path_rows.get("gains", [])}
    unknown = sorted(set(ticked) - open_items)
    if unknown:
        _fail(
            request,
            400,
            _("These are not OIT items this agency can still add: %(codes)s.")
            % {"codes": ", ".join(unknown)},
        )
    result = card.what_if(set(ticked))
    context = context_of(what_if=result, ticked=set(ticked))
    if request.headers.get("HX-Request"):
        return render(request, "reports/_what_if_result.html", context)
    return render(request, "reports/scorecard.html", context)


@public
def scorecard_pdf(request, fy: int, code: str):
    card = _scorecard(request, fy, code)
    data = render_pdf(
        "reports/pdf/scorecard.html",
        {"card": card, "cycle": card.result_set.cycle, "path": card.path_rows},
        request,
    )
    return pdf_response(data, f"ita-{fy}-{card.agency.code}.pdf")


# ---------------------------------------------------------------- lists and exports


def _list_area(form: ResultFilterForm) -> Area:
    d = form.cleaned_data
    if d.get("district"):
        return Area("district", district=d["district"], province=d["district"].province)
    if d.get("province"):
        return Area("province", province=d["province"])
    if d.get("group"):
        return Area("group", group=d["group"])
    return queries.NATIONAL


@public
def agency_list(request, fy: int):
    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    form = ResultFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        _fail(request, 400, form.first_error() or _("The filter is not valid."))
    if not request.GET:
        form = ResultFilterForm({})
        form.is_valid()
    area = _list_area(form)
    rs = _pick_set(request, cycle, request.user.has_perm("reports.view_area_preliminary", area))
    form.narrow_for_display()
    qs = agency_results(rs, form).values_list(
        "enrolment__agency__code",
        "enrolment__agency__kind",
        "enrolment__agency__name",
        "enrolment__agency__district__name_th",
        "total",
        "grade",
        "passed",
    )
    paginator = Paginator(qs, LIST_PAGE)
    page_no, ok = _int_param(request, "page")
    if not ok or (page_no is not None and (page_no < 1 or page_no > max(paginator.num_pages, 1))):
        _fail(request, 404, _("There is no such page in this list."))
    page = paginator.get_page(page_no or 1)
    rows = [
        {
            "no": (page.number - 1) * LIST_PAGE + i,
            "code": code,
            "name": full_name(kind, name),
            "district": district_label(district),
            "total": total,
            "grade": grade,
            "passed": passed,
        }
        for i, (code, kind, name, district, total, grade, passed) in enumerate(page, start=1)
    ]
    params = form.params()
    if rs.status != ResultStatus.PUBLISHED:
        params_extra = (
            {"version": rs.version}
            if rs.status == ResultStatus.SUPERSEDED
            else {"preliminary": "1"}
        )
    else:
        params_extra = {}
    query = urlencode({**params, **params_extra})
    export = get_export("agencies")(cycle=cycle, result_set=rs, form=form, request=request)
    context = {
        "cycle": cycle,
        "rs": rs,
        "form": form,
        "page": page,
        "rows": rows,
        "count": paginator.count,
        "title": export.title(),
        "query": query,
        "actions": result_list_actions(request, result_set=rs, params=params),
        "keep_qs": _keep_qs(rs),
        "area_links": _area_links(request.user, rs, area),
    }
    return render(request, "reports/agency_list.html", context)


@public
def export(request, fy: int, identifier: str, fmt: str):
    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    export_class = get_export(identifier)
    if export_class is None:
        _fail(request, 404, _("There is no such report."))
    if fmt not in export_class.formats:
        _fail(request, 404, _("This report is not available in that format."))
    form = export_class.form_class(request.GET)
    if not form.is_valid():
        _fail(request, 400, form.first_error() or _("The filter is not valid."))
    area = _list_area(form)
    rs = _pick_set(request, cycle, request.user.has_perm("reports.view_area_preliminary", area))
    return export_class(cycle=cycle, result_set=rs, form=form, request=request).render(fmt)


@public
def province_redirect(request, fy: int):
    """The province chooser of the dashboard (a plain GET form) lands on that province."""
    code = request.GET.get("province", "").strip()
    if not Province.objects.filter(code=code).exists():
        _fail(request, 400, _("Unknown province."))
    url = reverse("reports:province", kwargs={"fy": fy, "code": code})
    keep = {k: request.GET[k] for k in ("preliminary", "version") if request.GET.get(k)}
    return redirect(url + ("?" + urlencode(keep) if keep else ""))
