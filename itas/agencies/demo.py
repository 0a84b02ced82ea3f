"""Demo agencies: the real registry when ITAS_DLA_FILE points at it, otherwise a generated one.

Without the real file, Bueng Kan (38) is built from seed letter 004 (itas.agencies.seed_letter):
the 45 LAOs its list names, in their districts, and the SAOs of the province's other tambons,
with synthesized codes; the rest of the country is generated. Either way the letter's list can be
matched in the demo. Bangkok and one central agency are added as NACC would add them by hand.
"""

import os

from itas.agencies import seed_letter
from itas.agencies.generator import plan
from itas.agencies.importer import import_file
from itas.agencies.models import Agency, AgencyKind, AgencySource

DEMO_COUNT = 400
DEMO_SEED = 2564
BUENG_KAN = seed_letter.PROVINCE

# The demo's own agency, where the agency personas of accounts/demo.py work: line 1 of the
# letter. Found by type, district and name, so that it is the same LAO in the built registry and
# in the real one, whose codes differ.
DEMO_AGENCY = (AgencyKind.SUBDISTRICT_MUNICIPALITY, "3804", "ท่าสะอาด")  # เซกา


def demo_agency() -> Agency | None:
    kind, district, name = DEMO_AGENCY
    return Agency.objects.filter(kind=kind, district_id=district, name=name).first()


MANUAL_AGENCIES = [
    ("1000000", AgencyKind.SPECIAL, "กรุงเทพมหานคร", "10", None),
    ("C150800", AgencyKind.CENTRAL, "กรมส่งเสริมการปกครองท้องถิ่น", "10", None),
]


def load_bueng_kan() -> int:
    """Create the Bueng Kan registry built from the seed letter; existing codes are left alone."""
    existing = set(Agency.objects.filter(province_id=BUENG_KAN).values_list("code", flat=True))
    new = [a for a in seed_letter.build().agencies if a.code not in existing]
    Agency.objects.bulk_create(new)
    return len(new)


def load(command):
    path = os.environ.get("ITAS_DLA_FILE", "").strip()
    if path:
        result = import_file(path)
        command.stdout.write(f"agencies: {path}: {result.summary}")
    else:
        # Generated agencies everywhere except Bueng Kan, which is built from the seed letter.
        if not Agency.objects.filter(source=AgencySource.GENERATED).exists():
            Agency.objects.bulk_create(
                [a for a in plan(DEMO_COUNT, DEMO_SEED) if a.province_id != BUENG_KAN],
                ignore_conflicts=True,
            )
        created = load_bueng_kan()
        command.stdout.write(
            f"agencies: {Agency.objects.count()} in the registry "
            f"({created} LAOs of Bueng Kan built from seed letter 004)"
        )
    for code, kind, name, province, district in MANUAL_AGENCIES:
        Agency.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "province_id": province,
                "district_id": district,
                "source": AgencySource.MANUAL,
            },
        )
