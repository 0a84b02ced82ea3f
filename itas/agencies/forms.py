from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import Agency, AgencyKind
from itas.agencies.services import MANUAL_KINDS
from itas.geo.models import District, Province


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and is-invalid on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class AgencyFilterForm(forms.Form):
    """The list's search and filters; bad values are ignored rather than refused."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Thai name or code"),
                "type": "search",
                "autocomplete": "off",
                "class": "form-control",
            }
        ),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("All provinces"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *AgencyKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get("province") if self.is_bound else None
        if province and str(province).isdigit():
            self.fields["district"].queryset = District.objects.filter(province_id=province)

    def filter(self, queryset):
        if not self.is_valid():
            # Keep what is valid: a stale district after a province change must not empty the list.
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        if data.get("province"):
            queryset = queryset.filter(province=data["province"])
        if data.get("district"):
            queryset = queryset.filter(district=data["district"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset.search(data.get("q", ""))


def _https_urls(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ContactsForm(BootstrapFormMixin, forms.ModelForm):
    """What an agency admin may change: contacts and website, never the code or the type."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://www.example.go.th"}),
        error_messages={"invalid": _("Enter a full web address, e.g. https://www.example.go.th")},
    )

    class Meta:
        model = Agency
        formfield_callback = _https_urls
        fields = ["website", "email", "phone", "address", "postal_code"]
        # inputmode: a phone's number pad for a telephone number
        widgets = {
            "address": forms.TextInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        error_messages = {"email": {"invalid": _("Enter a valid e-mail address.")}}

    def clean_postal_code(self):
        value = self.cleaned_data.get("postal_code", "").strip()
        if value and not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError(_("A postal code has 5 digits."))
        return value


class AddAgencyForm(BootstrapFormMixin, forms.Form):
    """NACC adds an agency outside the DLA registry."""

    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(k.value, k.label) for k in MANUAL_KINDS],
        initial=AgencyKind.CENTRAL,
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        help_text=_("A unique code of up to 10 letters or digits (e.g. the agency's budget code)."),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("The full Thai name, e.g. กรุงเทพมหานคร or กรมส่งเสริมการปกครองท้องถิ่น."),
    )
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all())
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Telephone"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isalnum():
            raise forms.ValidationError(_("The code may contain only letters and digits."))
        if Agency.objects.filter(code=code).exists():
            raise forms.ValidationError(_("An agency with this code already exists."))
        return code

    def clean(self):
        data = super().clean()
        province, district = data.get("province"), data.get("district")
        if province and district and district.province_id != province.pk:
            self.add_error("district", _("The district is not in the chosen province."))
        return data
