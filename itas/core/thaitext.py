"""Thai dictionary order with a plain code-point comparison.

Thai writes the vowels เ แ โ ใ ไ before the consonant they are pronounced after, and
dictionaries sort by that consonant (เซกา under ซ, โซ่พิสัย under ซ, เมืองบึงกาฬ under ม).
Swapping each leading vowel with the consonant that follows gives a key whose code-point order
is dictionary order for names. ICU collation does this fully, but needs a compiled library and
a database collation that SQLite lacks; stored keys sort the same way everywhere.
"""

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
