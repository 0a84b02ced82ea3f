"""Frameworks belong to NACC: its staff view, load, edit and clone them."""

import rules

from itas.core.rules import is_nacc_admin

rules.add_perm("frameworks.view_framework", is_nacc_admin)
rules.add_perm("frameworks.manage_framework", is_nacc_admin)
