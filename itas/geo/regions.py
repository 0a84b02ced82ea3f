"""The six regions (the National Geographical Committee's grouping) by TIS 1099 province code."""

REGIONS = [
    ("north", "ภาคเหนือ", "Northern", [str(c) for c in range(50, 59)]),
    ("northeast", "ภาคตะวันออกเฉียงเหนือ", "Northeastern", [str(c) for c in range(30, 50)]),
    (
        "central",
        "ภาคกลาง",
        "Central",
        [
            "10",
            "11",
            "12",
            "13",
            "14",
            "15",
            "16",
            "17",
            "18",
            "19",
            "26",
            "60",
            "61",
            "62",
            "64",
            "65",
            "66",
            "67",
            "72",
            "73",
            "74",
            "75",
        ],
    ),
    ("east", "ภาคตะวันออก", "Eastern", ["20", "21", "22", "23", "24", "25", "27"]),
    ("west", "ภาคตะวันตก", "Western", ["63", "70", "71", "76", "77"]),
    (
        "south",
        "ภาคใต้",
        "Southern",
        ["80", "81", "82", "83", "84", "85", "86", "90", "91", "92", "93", "94", "95", "96"],
    ),
]


def region_of(province_code: str) -> str:
    for code, _th, _en, provinces in REGIONS:
        if province_code in provinces:
            return code
    raise KeyError(province_code)
