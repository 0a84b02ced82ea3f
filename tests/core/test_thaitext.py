from itas.core.thaitext import thai_sort_key


def test_districts_of_the_seed_letter_sort_as_the_letter_lists_them():
    # The order of the districts in the Bueng Kan letter of March 2021 (seed 004).
    letter_order = ["เซกา", "โซ่พิสัย", "บึงโขงหลง", "บึงคล้า", "ปากคาด", "พรเจริญ", "เมืองบึงกาฬ", "ศรีวิไล"]
    shuffled = sorted(letter_order, reverse=True)
    assert sorted(shuffled, key=thai_sort_key) == letter_order


def test_plain_code_point_order_gets_it_wrong():
    # Without the key, every name starting with a leading vowel falls to the end.
    names = ["เมือง", "มะนาว", "ไก่"]
    assert sorted(names) == ["มะนาว", "เมือง", "ไก่"]
    assert sorted(names, key=thai_sort_key) == ["ไก่", "มะนาว", "เมือง"]


def test_key_keeps_length_and_leaves_other_text_alone():
    for text in ["", "อบต.", "Bangkok", "เ", "แม่ฮ่องสอน"]:
        key = thai_sort_key(text)
        assert len(key) == len(text)
        assert sorted(key) == sorted(text)
