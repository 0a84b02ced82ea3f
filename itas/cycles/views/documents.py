"""The year's documents (public list, download, NACC's uploads) and the ITA centre's contact."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from itas.core.permissions import permission, public
from itas.cycles import documents
from itas.cycles.errors import CycleError
from itas.cycles.models import Cycle
from itas.cycles.models_documents import CycleDocument, DocumentKind, DocumentVersion


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("title"), max_length=300)
    is_public = forms.BooleanField(label=gettext_lazy("anyone may download it"), required=False)
    file = forms.FileField(label=gettext_lazy("file"))
    note = forms.CharField(label=gettext_lazy("what changed"), max_length=300, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("file"))
    note = forms.CharField(label=gettext_lazy("what changed"), max_length=300, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=300)
    phone = forms.CharField(label=gettext_lazy("telephone"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("e-mail"), required=False)
    hours = forms.CharField(label=gettext_lazy("office hours"), max_length=200, required=False)


def _styled(form):
    for f in form.fields.values():
        css = "form-check-input" if isinstance(f.widget, forms.CheckboxInput) else "form-control"
        if isinstance(f.widget, forms.Select):
            css = "form-select"
        f.widget.attrs["class"] = css
    return form


def _cycle(request, pk, **kwargs):
    return get_object_or_404(Cycle, pk=pk)


@public
def document_list(request, pk):
    cycle = _cycle(request, pk)
    docs = cycle.documents.all()
    if not request.user.is_authenticated:
        docs = docs.filter(is_public=True)
    can_manage = request.user.has_perm("cycles.manage_cycle")
    contact = getattr(cycle, "centre_contact", None)
    return render(
        request,
        "cycles/documents.html",
        {
            "cycle": cycle,
            "rows": documents.with_news(request.user, docs),
            "can_manage": can_manage,
            "form": _styled(DocumentForm()) if can_manage else None,
            "version_form": _styled(VersionForm()) if can_manage else None,
            "contact_form": _styled(
                ContactForm(
                    initial={
                        "name": contact.name,
                        "phone": contact.phone,
                        "email": contact.email,
                        "hours": contact.hours,
                    }
                    if contact
                    else {}
                )
            )
            if can_manage
            else None,
        },
    )


@public
def download(request, version_id):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=version_id)
    if not documents.may_download(request.user, version):
        return redirect_to_login(request.get_full_path())
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    documents.mark_seen(request.user, version)
    return FileResponse(handle, as_attachment=True, filename=version.original_name)


def _errors(request, form):
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


@permission("cycles.manage_cycle", obj=_cycle)
@require_POST
def document_add(request, pk, obj):
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors(request, form)
        return redirect("cycles:documents", pk=obj.pk)
    try:
        documents.add_document(
            request.user,
            cycle=obj,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
    except CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The document is attached to the cycle."))
    return redirect("cycles:documents", pk=obj.pk)


@permission(
    "cycles.manage_cycle",
    obj=lambda request, pk, **kw: get_object_or_404(CycleDocument, pk=pk).cycle,
)
@require_POST
def version_add(request, pk, obj):
    document = get_object_or_404(CycleDocument, pk=pk, cycle=obj)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors(request, form)
        return redirect("cycles:documents", pk=obj.pk)
    try:
        version = documents.add_version(
            request.user,
            document=document,
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
    except CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Version %(n)s of “%(title)s” is up.")
            % {"n": version.number, "title": document.title},
        )
    return redirect("cycles:documents", pk=obj.pk)


@permission("cycles.manage_cycle", obj=_cycle)
@require_POST
def contact_set(request, pk, obj):
    form = ContactForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("cycles:documents", pk=obj.pk)
    try:
        documents.set_contact(request.user, cycle=obj, **form.cleaned_data)
    except CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The ITA centre's contact is saved."))
    return redirect("cycles:documents", pk=obj.pk)


def documents_panel(request):
    """Agencies' home page: the year's documents, new versions marked."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not user.agency_ids():
        return None
    cycle = documents.current_cycle()
    if cycle is None or not cycle.documents.exists():
        return None
    rows = documents.with_news(user, cycle.documents.all())
    return {
        "title": _("The year's documents"),
        "template": "cycles/_panel_documents.html",
        "context": {"rows": rows, "cycle": cycle, "new": sum(1 for r in rows if r[2])},
        "order": 8,
    }


def contact_footer(request):
    """The ITA centre's contact of the current year, on every page of agency people."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not user.agency_ids():
        return None
    cycle = documents.current_cycle()
    return getattr(cycle, "centre_contact", None) if cycle else None
