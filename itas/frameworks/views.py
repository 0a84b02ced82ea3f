"""NACC staff read, load, edit and clone frameworks. Thin: the services do the work."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from itas.core.permissions import permission
from itas.frameworks import services
from itas.frameworks.errors import FrameworkError, FrameworkInvalid
from itas.frameworks.forms import CloneForm, YamlForm
from itas.frameworks.models import Framework


def _framework(request, code, **kwargs):
    return get_object_or_404(Framework, code=code)


@permission("frameworks.view_framework")
def framework_list(request):
    frameworks = Framework.objects.annotate(
        n_cycles=Count("cycles"),
        n_opened=Count("cycles", filter=Q(cycles__status__in=["open", "closed"])),
    )
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


@permission("frameworks.view_framework", obj=_framework)
def framework_detail(request, code, obj):
    spec = obj.spec
    tools = []
    for tool in spec.tools:
        indicators = []
        for ind in spec.indicators_for(tool.code):
            subs = [(s, spec.items_for(s.code)) for s in ind.subindicators]
            indicators.append({"spec": ind, "questions": spec.questions_in(ind.code), "subs": subs})
        tools.append({"spec": tool, "indicators": indicators})
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": obj,
            "spec": spec,
            "tools": tools,
            "frozen": obj.is_frozen,
            "cycles": obj.cycles.all(),
            "can_manage": request.user.has_perm("frameworks.manage_framework"),
        },
    )


def _problems_response(request, template, context, exc):
    context["problems"] = exc.lines() if isinstance(exc, FrameworkInvalid) else []
    context["error"] = str(exc)
    return render(request, template, context, status=400)


@permission("frameworks.manage_framework", obj=_framework)
def framework_edit(request, code, obj):
    if obj.is_frozen:
        messages.error(
            request,
            _("This framework is used by a cycle that has been opened: it can no longer change."),
        )
        return redirect("frameworks:detail", code=obj.code)
    initial = {"text": services.export_text(obj)}
    form = YamlForm(request.POST or None, request.FILES or None, initial=initial)
    context = {"framework": obj, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "frameworks/edit.html", context, status=400)
        try:
            services.update_from_text(
                actor=request.user, framework=obj, text=form.cleaned_data["text"]
            )
        except FrameworkError as exc:
            return _problems_response(request, "frameworks/edit.html", context, exc)
        messages.success(request, _("The framework was saved."))
        return redirect("frameworks:detail", code=obj.code)
    return render(request, "frameworks/edit.html", context)


@permission("frameworks.manage_framework")
def framework_load(request):
    form = YamlForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "frameworks/load.html", context, status=400)
        try:
            framework, _changed = services.load_framework_text(
                actor=request.user,
                text=form.cleaned_data["text"],
                filename=form.cleaned_data.get("filename") or "framework.yaml",
                replace=False,
            )
        except FrameworkError as exc:
            return _problems_response(request, "frameworks/load.html", context, exc)
        messages.success(request, _("The framework was loaded."))
        return redirect("frameworks:detail", code=framework.code)
    return render(request, "frameworks/load.html", context)


@permission("frameworks.manage_framework", obj=_framework)
def framework_clone(request, code, obj):
    year = obj.fiscal_year + 1
    initial = {
        "code": obj.code.replace(str(obj.fiscal_year), str(year))
        if str(obj.fiscal_year) in obj.code
        else f"{obj.code}-{year}",
        "fiscal_year": year,
        "name": obj.name.replace(str(obj.fiscal_year), str(year)),
    }
    form = CloneForm(request.POST or None, initial=initial)
    context = {"framework": obj, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "frameworks/clone.html", context, status=400)
        try:
            clone = services.clone_framework(actor=request.user, source=obj, **form.cleaned_data)
        except FrameworkError as exc:
            return _problems_response(request, "frameworks/clone.html", context, exc)
        messages.success(request, _("The copy was created. Edit it for the new year."))
        return redirect("frameworks:detail", code=clone.code)
    return render(request, "frameworks/clone.html", context)


@permission("frameworks.view_framework", obj=_framework)
def framework_export(request, code, obj):
    response = HttpResponse(
        services.export_text(obj), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{obj.code}.yaml"'
    return response
