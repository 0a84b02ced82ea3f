from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.frameworks.document import spec_from_document
from itas.frameworks.spec import FrameworkSpec

# Parsed specs by (framework, version): every questionnaire page and submission reads the spec,
# and parsing the document costs more than the rest of such a request. A few frameworks live
# at once (this year's, last year's, a practice copy), so the cache stays tiny.
_SPECS: dict[tuple[int, str], FrameworkSpec] = {}


class Framework(models.Model):
    """One year's assessment framework, as data (see docs/frameworks.md)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)  # ita-2564-lao
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))  # Buddhist era
    name = models.CharField(_("name"), max_length=300)
    document = models.JSONField(default=dict)  # the validated YAML document, as loaded
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year", "code"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name or self.code

    @cached_property
    def spec(self) -> FrameworkSpec:
        """The framework as frozen Python values (itas.frameworks.spec.FrameworkSpec), parsed
        once per process and saved version."""
        if self.pk is None:
            return spec_from_document(self.document)
        key = (self.pk, str(self.updated_at))
        spec = _SPECS.get(key)
        if spec is None:
            if len(_SPECS) > 20:
                _SPECS.clear()
            spec = _SPECS[key] = spec_from_document(self.document)
        return spec

    @property
    def is_frozen(self) -> bool:
        """A framework that a cycle has opened (open, or since closed) may no longer change:
        the answers and results of that cycle were given against it."""
        return self.cycles.filter(status__in=["open", "closed"]).exists()
