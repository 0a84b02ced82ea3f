"""Exports are classes registered in one place: an identifier, a Thai name, a form for their
parameters, and render(). A new report is one file in this folder that subclasses Export and is
decorated with @register."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import Promise

from itas.core import tabular
from itas.core.pdf import pdf_response, render_pdf

_REGISTRY: dict[str, type[Export]] = {}
FORMATS = ("csv", "xlsx", "pdf")


def register(cls: type[Export]) -> type[Export]:
    if cls.identifier in _REGISTRY:
        raise ValueError(f"export {cls.identifier!r} registered twice")
    _REGISTRY[cls.identifier] = cls
    return cls


def get_export(identifier: str) -> type[Export] | None:
    return _REGISTRY.get(identifier)


def all_exports() -> list[type[Export]]:
    return sorted(_REGISTRY.values(), key=lambda c: c.identifier)


class Export(ABC):
    """One downloadable report. Subclasses set identifier, name, form_class, columns and
    implement rows(); the PDF uses pdf_template with the context from pdf_context()."""

    identifier: ClassVar[str]
    name: ClassVar[str | Promise]
    form_class: ClassVar[type[forms.Form]]
    formats: ClassVar[tuple[str, ...]] = FORMATS
    pdf_template: ClassVar[str] = ""

    def __init__(self, *, cycle, result_set, form: Any, request=None):
        self.cycle = cycle
        self.result_set = result_set
        self.form = form
        self.request = request

    @abstractmethod
    def columns(self) -> list[str]: ...

    @abstractmethod
    def rows(self) -> Iterable[list]:
        """Rows as lists, streamed from the database (QuerySet.iterator())."""

    def title(self) -> str:
        return str(self.name)

    def filename(self) -> str:
        return f"{self.identifier}-{self.cycle.fiscal_year}"

    def pdf_context(self) -> dict:
        return {"export": self, "title": self.title(), "rows": list(self.rows())}

    # -- rendering
    def render(self, fmt: str) -> HttpResponseBase:
        if fmt == "csv":
            return self.render_csv()
        if fmt == "xlsx":
            return self.render_xlsx()
        if fmt == "pdf":
            data = render_pdf(self.pdf_template, self.pdf_context(), self.request)
            return pdf_response(data, f"{self.filename()}.pdf", inline=False)
        raise ValueError(fmt)

    def render_csv(self) -> StreamingHttpResponse:
        return tabular.csv_response(f"{self.filename()}.csv", self.columns(), self.rows())

    def render_xlsx(self) -> FileResponse:
        return tabular.xlsx_response(
            f"{self.filename()}.xlsx",
            self.columns(),
            self.rows(),
            title=self.title(),
            sheet=str(self.cycle.fiscal_year),
        )
