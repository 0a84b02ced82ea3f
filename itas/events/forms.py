from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import AgencyKind
from itas.core.datefields import SensibleDateTimeField
from itas.events.models import (
    ATTACHMENT_EXTENSIONS,
    Attachment,
    AttachmentKind,
    Event,
    ProvinceSet,
    TargetGroup,
    TargetSource,
)
from itas.events.validators import MAX_ATTACHMENT_BYTES
from itas.geo.models import AssessorGroup, District, Province, Region


def bootstrap(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class (templates stay plain {{ field }})."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    join_url = forms.URLField(
        label=_("join link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "join_url",
            "meeting_id",
            "passcode",
            "seats_per_agency",
            "seats_total",
            "registration_deadline",
            "target_group",
            "contact_name",
            "contact_phone",
            "contact_email",
            "letter_number",
        ]
        field_classes = {
            "starts_at": SensibleDateTimeField,
            "ends_at": SensibleDateTimeField,
            "registration_deadline": SensibleDateTimeField,
        }
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_deadline": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        groups = TargetGroup.objects.all()
        if user is not None and not user.has_perm("events.view_target_group", None):
            groups = groups.filter(created_by=user)
        self.fields["target_group"].queryset = groups
        bootstrap(self)

    def clean_title(self):
        # A pasted title often carries a line break; in an e-mail subject that stops every
        # confirmation (BadHeaderError), so it becomes one line here.
        title = " ".join((self.cleaned_data.get("title") or "").split())
        if not title:
            raise forms.ValidationError(_("Give the event a title."))
        return title

    def clean(self):
        data = super().clean()
        starts, ends, deadline = (
            data.get("starts_at"),
            data.get("ends_at"),
            data.get("registration_deadline"),
        )
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if deadline and ends and deadline > ends:
            self.add_error(
                "registration_deadline",
                _("The registration deadline must be before the event ends."),
            )
        if data.get("kind") == "onsite" and not data.get("venue"):
            self.add_error("venue", _("An on-site event needs a venue."))
        return data


class SessionForm(BootstrapForm):
    starts = forms.TimeField(
        label=_("from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=_("until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    topic = forms.CharField(label=_("topic"), required=False, max_length=500)
    speakers = forms.CharField(label=_("speakers"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("topic") and not data.get("starts"):
            self.add_error("starts", _("Give the time the session starts."))
        if data.get("starts") and not data.get("topic"):
            self.add_error("topic", _("Give the topic of the session."))
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("A session must end after it starts."))
        return data


SessionFormSet = formset_factory(SessionForm, extra=2, max_num=30)


class AttachmentForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join("." + e for e in ATTACHMENT_EXTENSIONS)}
            )
        }
        help_texts = {"file": _("PDF, Word, Excel or an image; at most 10 MB.")}
        # The model's "title" is translated for the event ("ชื่อกิจกรรม"); this is a document's.
        labels = {"title": _("document title")}

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and f.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return f


class RegistrationForm(BootstrapForm):
    agency = forms.CharField(
        label=_("agency code"), max_length=10, error_messages={"required": _("Choose your agency.")}
    )
    full_name = forms.CharField(label=_("full name"), max_length=200)
    position = forms.CharField(label=_("position"), max_length=200)
    email = forms.EmailField(
        label=_("e-mail"), error_messages={"invalid": _("Enter a valid e-mail address.")}
    )
    phone = forms.CharField(
        label=_("telephone"),
        max_length=50,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class TargetFilterForm(BootstrapForm):
    """Which agencies: from published results or from the registry (GET parameters, so that the
    reports pages can link here: ?source=results&cycle=2563&region=northeast&passed=0)."""

    source = forms.ChoiceField(
        label=_("built"),
        choices=[(TargetSource.RESULTS, _("From results")), (TargetSource.REGISTRY, _("Registry"))],
        initial=TargetSource.REGISTRY,
    )
    cycle = forms.IntegerField(
        label=_("fiscal year (B.E.)"), required=False, min_value=2500, max_value=2700
    )
    region = forms.ModelChoiceField(Region.objects.all(), label=_("region"), required=False)
    province_set = forms.ModelChoiceField(
        ProvinceSet.objects.all(), label=_("set of provinces"), required=False
    )
    group = forms.ModelChoiceField(
        AssessorGroup.objects.all(), label=_("assessor group"), required=False
    )
    province = forms.ModelChoiceField(Province.objects.all(), label=_("province"), required=False)
    district = forms.ModelChoiceField(
        District.objects.select_related("province"), label=_("district"), required=False
    )
    kind = forms.ChoiceField(
        label=_("type"), choices=[("", "---------"), *AgencyKind.choices], required=False
    )
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=[("", _("All")), ("1", _("Passed")), ("0", _("Did not pass"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].label_from_instance = lambda d: f"{d.name_th} ({d.province})"

    def clean(self):
        data = super().clean()
        if data.get("source") == TargetSource.RESULTS and not data.get("cycle"):
            self.add_error("cycle", _("Give the fiscal year of the results."))
        if (
            data.get("district")
            and data.get("province")
            and data["district"].province_id != data["province"].pk
        ):
            self.add_error("district", _("The district is not in the province chosen."))
        return data


class TargetGroupNameForm(BootstrapForm):
    name = forms.CharField(label=_("name of the target group"), max_length=300)


class ListUploadForm(BootstrapForm):
    name = forms.CharField(label=_("name of the target group"), max_length=300)
    file = forms.FileField(
        label=_("list file"),
        help_text=_(
            "CSV, XLSX or plain text, one agency per line as the letter writes it "
            "(e.g. ๑๖ เทศบาลตำบลบึงงาม อำเภอบึงโขงหลง)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/plain"}),
    )
    province = forms.ModelChoiceField(
        Province.objects.all(),
        label=_("province"),
        required=False,
        help_text=_("The province the list is about, if it is about one."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The list is larger than 2 MB."))
        return f


class AnnouncementForm(BootstrapForm):
    message = forms.CharField(
        label=_("message to the agencies"), widget=forms.Textarea(attrs={"rows": 4})
    )
    letter = forms.ModelChoiceField(Attachment.objects.none(), label=_("letter"), required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["letter"].queryset = event.attachments.all()
            letter = event.attachments.filter(kind=AttachmentKind.LETTER).first()
            if letter:
                self.fields["letter"].initial = letter.pk


class AttendanceForm(BootstrapForm):
    file = forms.FileField(
        label=_("attendee report (CSV)"),
        help_text=_("The webinar's attendee report; registrations are matched by e-mail."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ViewingSiteForm(forms.ModelForm):
    class Meta:
        from itas.events.models_sites import SITE_FIELDS, ViewingSite

        model = ViewingSite
        fields = SITE_FIELDS

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts
        self.fields["district"].label_from_instance = lambda d: d.name_th
        bootstrap(self)
        self.fields["agencies_choose"].widget.attrs["class"] = "form-check-input"

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("A site holds at least one person."))
        return capacity
