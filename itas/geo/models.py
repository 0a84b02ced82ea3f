from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.core.thaitext import thai_sort_key


class Region(models.Model):
    """One of the six geographical regions of Thailand."""

    code = models.CharField(max_length=20, primary_key=True)
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name_th


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)  # TIS 1099
    name_th = models.CharField(max_length=100, unique=True)
    name_en = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces")
    # Thai dictionary order as a code-point key (itas.core.thaitext), kept with the name.
    sort_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name_th

    def save(self, *args, **kwargs):
        self.sort_key = thai_sort_key(self.name_th)
        super().save(*args, **kwargs)


class District(models.Model):
    code = models.CharField(max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    name_th = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    sort_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["province__sort_key", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name_th"], name="district_name_unique_in_province"
            )
        ]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name_th

    def save(self, *args, **kwargs):
        self.sort_key = thai_sort_key(self.name_th)
        super().save(*args, **kwargs)


class AssessorGroup(models.Model):
    """A named set of provinces whose agencies one assessor team scores (editable by NACC)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    team_name = models.CharField(_("assessor team"), max_length=300, blank=True)
    provinces = models.ManyToManyField(Province, related_name="assessor_groups", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assessor group")
        verbose_name_plural = _("assessor groups")

    def __str__(self) -> str:
        return self.name
