"""Target groups, built from published results, from a filter of the registry, or from a list
as written in a letter (matched line by line; a person settles what the matcher could not)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itas.agencies import matching
from itas.core.permissions import permission
from itas.core.rules import is_nacc_admin
from itas.events import queries, services
from itas.events.errors import EventError
from itas.events.forms import ListUploadForm, TargetFilterForm, TargetGroupNameForm
from itas.events.models import ListDraft, TargetGroup, TargetSource

NOTES = {
    "not an agency name": gettext_lazy("not an agency name"),
    "no candidate close enough": gettext_lazy("no agency in the registry is close enough"),
    "two candidates are close": gettext_lazy("two agencies are equally close"),
    "the best candidate is too far from the name": gettext_lazy(
        "the closest agency differs too much from the name"
    ),
    "no agencies in the registry for this province": gettext_lazy(
        "no agencies in the registry for this province"
    ),
}


def _groups_for(user):
    groups = TargetGroup.objects.all()
    if not is_nacc_admin(user):
        groups = groups.filter(created_by=user)
    return groups


def _saved(request, group):
    messages.success(
        request,
        _("The target group is saved with %(n)s agencies.") % {"n": group.members.count()},
    )
    return redirect(group)


@permission("events.build_target_group")
def group_list(request):
    from django.db.models import Count

    groups = _groups_for(request.user).annotate(n=Count("members"))
    drafts = ListDraft.objects.filter(created_by=request.user, group__isnull=True)
    return render(request, "events/groups.html", {"groups": groups, "drafts": drafts})


def _criteria(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if value in (None, ""):
            continue
        out[key] = getattr(value, "pk", value)
    return out


@permission("events.build_target_group")
def group_new(request):
    """GET: filter and preview (the reports pages link here with their filter); POST: save."""
    params = request.POST if request.method == "POST" else request.GET
    has_filter = any(k in params for k in TargetFilterForm.base_fields)
    form = TargetFilterForm(params if has_filter else None)
    name_form = TargetGroupNameForm(request.POST or None)
    agencies = None
    result_set = None
    status = 200
    if has_filter and form.is_valid():
        f = form.cleaned_data
        if f["source"] == TargetSource.RESULTS:
            result_set = queries.published_result_set(f["cycle"])
            if result_set is None:
                form.add_error(
                    "cycle",
                    _("There are no published results for fiscal year %(fy)s.")
                    % {"fy": f["cycle"]},
                )
                status = 400
            else:
                agencies = queries.agencies_from_results(request.user, result_set, f)
        else:
            agencies = queries.agencies_from_registry(request.user, f)
    elif has_filter:
        status = 400
    if agencies is not None:
        agencies = agencies.select_related("province", "district").order_by(
            "province__sort_key", "district__sort_key", "kind", "name"
        )
    if request.method == "POST" and agencies is not None:
        if name_form.is_valid():
            try:
                group = services.create_target_group(
                    request.user,
                    name=name_form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    agencies=list(agencies.values_list("pk", flat=True)),
                    criteria=_criteria(form.cleaned_data),
                )
            except EventError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                return _saved(request, group)
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    page = (
        Paginator(agencies, 100).get_page(request.GET.get("page")) if agencies is not None else None
    )
    return render(
        request,
        "events/group_new.html",
        {
            "form": form,
            "name_form": name_form,
            "page": page,
            "count": agencies.count() if agencies is not None else None,
            "result_set": result_set,
            "query": params.urlencode() if hasattr(params, "urlencode") else "",
        },
        status=status,
    )


@permission("events.build_target_group")
def group_upload(request):
    form = ListUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft, counts = services.match_list(
                    request.user,
                    name=form.cleaned_data["name"],
                    data=upload.read(),
                    filename=upload.name,
                    province=form.cleaned_data["province"],
                )
            except EventError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                messages.info(
                    request,
                    _(
                        "%(matched)s lines matched, %(ambiguous)s ambiguous, %(unmatched)s "
                        "unmatched: settle the open lines, then save."
                    )
                    % counts,
                )
                return redirect("events:list_draft", pk=draft.pk)
        else:
            status = 400
    return render(request, "events/group_upload.html", {"form": form}, status=status)


def _draft(request, pk: int, **kwargs) -> ListDraft:
    return get_object_or_404(ListDraft, pk=pk, created_by=request.user)


@permission("events.build_target_group")
def list_draft(request, pk: int):
    draft = _draft(request, pk)
    if draft.group_id:
        return redirect(draft.group)
    status = 200
    if request.method == "POST":
        # A code typed by the person wins over the choice offered in the list.
        choices = {
            line["line"]: request.POST.get(f"code-{line['line']}", "").strip()
            or request.POST.get(f"line-{line['line']}", "")
            for line in draft.lines
        }
        try:
            group = services.settle_list(request.user, draft=draft, choices=choices)
        except EventError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            return _saved(request, group)
    lines = []
    for line in draft.lines:
        line = dict(line)
        line["note_text"] = NOTES.get(line.get("note", ""), line.get("note", ""))
        line["chosen"] = request.POST.get(f"line-{line['line']}", "") if request.POST else ""
        line["typed"] = request.POST.get(f"code-{line['line']}", "") if request.POST else ""
        lines.append(line)
    counts = {
        s: sum(1 for ln in lines if ln["status"] == s)
        for s in ("matched", "ambiguous", "unmatched")
    }
    return render(
        request,
        "events/list_draft.html",
        {"draft": draft, "lines": lines, "counts": counts, "SKIP": services.SKIP},
        status=status,
    )


@permission(
    "events.view_target_group",
    obj=lambda request, pk, **kw: get_object_or_404(TargetGroup, pk=pk),
)
def group_detail(request, pk: int, obj: TargetGroup):
    members = obj.members.select_related("agency", "agency__province", "agency__district").order_by(
        "agency__province__sort_key", "agency__district__sort_key", "agency__kind", "agency__name"
    )
    return render(
        request,
        "events/group.html",
        {"group": obj, "members": members, "events": obj.events.all(), "MATCHED": matching.MATCHED},
    )


def _needs_context(request, group: TargetGroup) -> dict:
    """What the group needs to learn, from the published results of a year (?fy=, default the
    latest published)."""
    from itas.improvement.needs import needs_of
    from itas.scoring.models import ResultSet

    years = sorted(
        set(
            ResultSet.objects.public()
            .filter(status="published")
            .values_list("cycle__fiscal_year", flat=True)
        ),
        reverse=True,
    )
    raw = request.GET.get("fy", "").strip()
    if raw and (not raw.isdigit() or int(raw) not in years):
        raise EventError(
            _("There are no published results for fiscal year %(fy)s.") % {"fy": raw},
            status=404,
            title=_("Not found"),
        )
    fy = int(raw) if raw else (years[0] if years else None)
    context = {"group": group, "years": years, "fy": fy, "needs": None}
    if fy is None:
        return context
    rs = queries.published_result_set(fy)
    needs = needs_of(rs, group.members.values_list("agency_id", flat=True))
    labels = rs.cycle.framework.spec
    names = {i.code: i.title for i in labels.oit_items}
    names.update({i.code: i.name for i in labels.indicators})
    tools = {i.code: i.tool for i in labels.indicators}
    context["needs"] = needs
    context["items"] = [{"n": n, "name": names.get(n.code, "")} for n in needs.items[:NEEDS_SHOWN]]
    context["indicators"] = [
        {"n": n, "name": names.get(n.code, ""), "tool": tools.get(n.code, "")}
        for n in needs.indicators
    ]
    return context


NEEDS_SHOWN = 15


@permission(
    "events.view_target_group",
    obj=lambda request, pk, **kw: get_object_or_404(TargetGroup, pk=pk),
)
def group_needs(request, pk: int, obj: TargetGroup):
    """The OIT items and indicators the group misses most, ranked by the points they cost it:
    what a webinar for this group should teach."""
    context = _needs_context(request, obj)
    return render(request, "events/group_needs.html", context)


@permission(
    "events.view_target_group",
    obj=lambda request, pk, **kw: get_object_or_404(TargetGroup, pk=pk),
)
def group_needs_pdf(request, pk: int, obj: TargetGroup):
    """The same on one A4 page, to attach to the webinar's agenda."""
    from itas.core.pdf import pdf_response, render_pdf

    context = _needs_context(request, obj)
    if context["needs"] is None:
        raise EventError(
            _("There are no published results to read yet."), status=404, title=_("Not found")
        )
    data = render_pdf("events/pdf/group_needs.html", context, request)
    return pdf_response(data, f"ita-{context['fy']}-group-{obj.pk}-needs.pdf")
