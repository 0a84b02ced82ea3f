"""Every export, registered on import. Add a report: a new module here, and one import line."""

from itas.reports.exports import agency_list, province_summary  # noqa: F401
from itas.reports.exports.base import Export, all_exports, get_export, register

__all__ = ["Export", "all_exports", "get_export", "register"]
