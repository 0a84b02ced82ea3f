"""The Bueng Kan registry the seed letter's list is matched against in tests: the one built from
the letter itself by itas.agencies.seed_letter (synthesized codes, not the DLA's; the real
registry is only read from ../shared/data/ by the tests marked realdata).

Tests name the agencies they use by type and name, never by code literal."""

from itas.agencies import seed_letter
from itas.agencies.models import Agency

# The code, in the built registry, of each of the 45 lines of the list: line i is ENTRIES[i].
SEED_LIST_ANSWERS = [a.code for a in seed_letter.build().letter]

code = seed_letter.code_of
THA_SA_AT = code("เทศบาลตำบล", "ท่าสะอาด")  # line 1
THA_SA_AT_SAO = code("อบต.", "ท่าสะอาด")  # line 4, the namesake SAO of the same tambon
BAN_TONG = code("อบต.", "บ้านต้อง")  # line 6, printed บ้านด้อง
BUNG_NGAM = code("เทศบาลตำบล", "บึงงาม")  # line 16
NONG_DOEN = code("อบต.", "หนองเดิ่น")  # line 20, printed หนองเติน
SOM_SANUK = code("อบต.", "สมสนุก")  # line 25
DON_YA_NANG = code("เทศบาลตำบล", "ดอนหญ้านาง")  # line 30, printed ดอนภูพานาง
PAO = code("อบจ.", "บึงกาฬ")  # line 37
SI_CHOMPHU_SO_PHISAI = code("อบต.", "ศรีชมภู", "โซ่พิสัย")  # line 11
SI_CHOMPHU_PHON_CHAROEN = code("อบต.", "ศรีชมภู", "พรเจริญ")  # not in the letter


def create_bueng_kan_registry() -> list[Agency]:
    """Save the built registry (the 45 LAOs of the letter and the other tambons' SAOs)."""
    return Agency.objects.bulk_create(seed_letter.build().agencies)
