from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_URLS_PER_ITEM, Decision


class EvidenceForm(forms.Form):
    urls = forms.CharField(
        label=_("URLs (one per line)"),
        required=False,  # the service says "give at least one URL"
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace"}),
        help_text=_("Links to the pages or documents on the agency's own website, at most %(n)d.")
        % {"n": MAX_URLS_PER_ITEM},
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_(
            "Where on the page the assessor finds the information (page, section, heading)."
        ),
    )

    def url_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    recommendation = forms.CharField(required=False, max_length=5000)


class ClarificationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why should the decision change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class ClarificationAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("upheld", _("Uphold the decision")), ("changed", _("Change the decision"))]
    )
    reason = forms.CharField(max_length=5000)
    recommendation = forms.CharField(required=False, max_length=5000)

    def answer(self) -> dict:
        """The valid form as services.answer_clarification's keyword arguments."""
        data = self.cleaned_data
        return {
            "changed": data["outcome"] == "changed",
            "reason": data["reason"],
            "recommendation": data["recommendation"],
        }
