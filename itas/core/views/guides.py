"""วิธีใช้งาน: the guides per role with their screenshots, and the FAQ NACC keeps."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from itas.core import audit, help
from itas.core.models import FaqEntry
from itas.core.permissions import permission, public


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "position"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"
        self.fields["position"].label = gettext_lazy("order")


@public
def index(request):
    return render(
        request,
        "core/help_index.html",
        {
            "guides": help.GUIDES,
            "mine": help.guide_for(request.user),
            "faq": FaqEntry.objects.all(),
            "can_edit": request.user.has_perm("core.edit_faq"),
        },
    )


@public
def guide(request, slug: str):
    item = help.guide(slug)
    if item is None:
        raise Http404
    steps = [(s, bool(s.screenshot and help.screenshot_path(s.screenshot))) for s in item.steps]
    return render(
        request, "core/help_guide.html", {"guide": item, "steps": steps, "guides": help.GUIDES}
    )


@public
def screenshot(request, name: str):
    path = help.screenshot_path(name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")


@permission("core.edit_faq")
def faq_edit(request, pk: int | None = None):
    entry = get_object_or_404(FaqEntry, pk=pk) if pk else None
    form = FaqForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = {} if entry is None else {"question": entry.question}
            saved = form.save()
            audit.record(
                request.user,
                "core.faq.saved",
                saved,
                changes=audit.diff(before, {"question": saved.question}),
            )
        messages.success(request, _("The question is saved."))
        return redirect("core:help")
    return render(
        request,
        "core/help_faq_edit.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@permission("core.edit_faq")
@require_POST
def faq_delete(request, pk: int):
    entry = get_object_or_404(FaqEntry, pk=pk)
    with transaction.atomic():
        audit.record(request.user, "core.faq.deleted", entry, note=entry.question[:200])
        entry.delete()
    messages.success(request, _("The question is removed."))
    return redirect("core:help")
