from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 2 * 1024 * 1024


class YamlForm(forms.Form):
    """A framework as YAML: typed or pasted in the text area, or uploaded as a file."""

    text = forms.CharField(
        label=_("Framework (YAML)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 24, "class": "form-control yaml-text small", "spellcheck": "false"}
        ),
    )
    file = forms.FileField(
        label=_("or upload a YAML file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".yaml,.yml"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
            data["filename"] = upload.name
        elif not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the framework's YAML or choose a file."))
        return data


class CloneForm(forms.Form):
    code = forms.SlugField(
        label=_("Code of the new framework"),
        max_length=50,
        help_text=_("Lower-case letters, digits and hyphens, e.g. ita-2565-lao"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (BE)"),
        min_value=2500,
        max_value=2700,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )
