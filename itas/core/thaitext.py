"""Thai dictionary order with a plain code-point comparison.

Thai writes the vowels เ แ โ ใ ไ before the consonant they are pronounced after, and
dictionaries sort by that consonant (เซกา under ซ, โซ่พิสัย under ซ, เมืองบึงกาฬ under ม).
Swapping each leading vowel with the consonant that follows gives a key whose code-point order
is dictionary order for names. ICU collation does this fully, but needs a compiled library and
a database collation that SQLite lacks; stored keys sort the same way everywhere.
"""

import re

LEADING_VOWELS = frozenset("เแโใไ")


def thai_sort_key(text: str) -> str:
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i] in LEADING_VOWELS:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 2
        else:
            i += 1
    return "".join(chars)


_EXTENSION = re.compile(r"(?:ต่อ|ext\.?|x|#)\s*(\d+)", re.IGNORECASE)


def tel_uri(phone: str) -> str:
    """A `tel:` link for a telephone number as people write it: "0 4249 1234 ต่อ 12",
    "042-491234 ext. 12", or two numbers "042-491234, 081-234-5678" (the first is dialled).
    Spaces and dashes go; an extension follows a comma, the pause phones dial it after."""
    arabic = (phone or "").translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    first = re.split(r"[,/;]|\s+หรือ\s+", arabic)[0]
    extension = _EXTENSION.search(first)
    digits = re.sub(r"[^0-9+]", "", _EXTENSION.sub("", first))
    if not digits:
        return ""
    return f"tel:{digits}" + (f",{extension.group(1)}" if extension else "")
