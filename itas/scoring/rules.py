import rules

from itas.core.rules import is_nacc_admin

rules.add_perm("scoring.compute", is_nacc_admin)
