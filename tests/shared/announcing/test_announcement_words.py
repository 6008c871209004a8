import itertools

import pytest

from shared.announcing.words import (
    LETTERS,
    NUMBER_WORDS_EN,
    NUMBER_WORDS_ID,
    letter_word_en,
    letter_word_id,
    number_words_en,
    number_words_id,
)

ID_TABLE = {
    0: "nol",
    1: "satu",
    10: "sepuluh",
    11: "sebelas",
    12: "dua belas",
    19: "sembilan belas",
    20: "dua puluh",
    21: "dua puluh satu",
    99: "sembilan puluh sembilan",
    100: "seratus",
    101: "seratus satu",
    110: "seratus sepuluh",
    111: "seratus sebelas",
    199: "seratus sembilan puluh sembilan",
    200: "dua ratus",
    999: "sembilan ratus sembilan puluh sembilan",
    1000: "seribu",
    1001: "seribu satu",
    1100: "seribu seratus",
    2024: "dua ribu dua puluh empat",
    9999: "sembilan ribu sembilan ratus sembilan puluh sembilan",
    10000: "sepuluh ribu",
    11000: "sebelas ribu",
    12345: "dua belas ribu tiga ratus empat puluh lima",
    100000: "seratus ribu",
    111111: "seratus sebelas ribu seratus sebelas",
    999999: "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
}

EN_TABLE = {
    0: "zero",
    1: "one",
    10: "ten",
    11: "eleven",
    12: "twelve",
    19: "nineteen",
    20: "twenty",
    21: "twenty one",
    99: "ninety nine",
    100: "one hundred",
    101: "one hundred one",
    110: "one hundred ten",
    111: "one hundred eleven",
    199: "one hundred ninety nine",
    200: "two hundred",
    999: "nine hundred ninety nine",
    1000: "one thousand",
    1001: "one thousand one",
    2024: "two thousand twenty four",
    10000: "ten thousand",
    12345: "twelve thousand three hundred forty five",
    100000: "one hundred thousand",
    999999: "nine hundred ninety nine thousand nine hundred ninety nine",
}


@pytest.mark.parametrize(("n", "words"), ID_TABLE.items())
def test_indonesian_numbers(n: int, words: str) -> None:
    assert number_words_id(n) == words.split()


@pytest.mark.parametrize(("n", "words"), EN_TABLE.items())
def test_english_numbers(n: int, words: str) -> None:
    assert number_words_en(n) == words.split()


def _read_back_id(words: list[str]) -> int:
    """An independent reader of Indonesian number words, to check the writer against."""
    digits = {w: i for i, w in enumerate(NUMBER_WORDS_ID[:10])}
    se_forms = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}
    total, pending = 0, 0
    for word in words:
        if word in digits:
            pending = digits[word]
        elif word in se_forms:
            total += se_forms[word]
        elif word == "belas":
            total, pending = total + pending + 10, 0
        elif word == "ribu":  # everything before it counts thousands
            total, pending = (total + pending) * 1000, 0
        else:
            total += pending * {"puluh": 10, "ratus": 100}[word]
            pending = 0
    return total + pending


def _read_back_en(words: list[str]) -> int:
    values = {w: i for i, w in enumerate(NUMBER_WORDS_EN[:20])}
    values |= {w: 20 + 10 * i for i, w in enumerate(NUMBER_WORDS_EN[20:28])}
    total, pending = 0, 0
    for word in words:
        if word == "hundred":
            total, pending = total + pending * 100, 0
        elif word == "thousand":  # everything before it counts thousands
            total, pending = (total + pending) * 1000, 0
        else:
            pending += values[word]
    return total + pending


# Every number to 9,999, then a spread over the six-digit ticket numbers and both ends.
READ_ALOUD = [*range(10000), *range(10000, 1_000_000, 997), 999_999]


def test_every_number_reads_back_from_the_vocabulary() -> None:
    for n in READ_ALOUD:
        id_words, en_words = number_words_id(n), number_words_en(n)
        assert id_words and en_words, n
        assert all(id_words + en_words), n
        assert set(id_words) <= set(NUMBER_WORDS_ID), n
        assert set(en_words) <= set(NUMBER_WORDS_EN), n
        assert _read_back_id(id_words) == n, id_words
        assert _read_back_en(en_words) == n, en_words


def test_se_forms_replace_satu_before_every_multiplier() -> None:
    for n in READ_ALOUD[1:]:
        words = number_words_id(n)
        # 'satu' only ever stands alone as a group's last digit; a leading one becomes 'se-'.
        pairs = itertools.pairwise(words)
        assert all(word != "satu" or after == "ribu" for word, after in pairs), words
        # Each of the two groups (thousands, then the rest) takes its own 'se-' forms.
        groups = (n // 1000, n % 1000)
        assert words.count("sepuluh") == sum(g % 100 == 10 for g in groups), words
        assert words.count("sebelas") == sum(g % 100 == 11 for g in groups), words
        assert words.count("seratus") == sum(g // 100 == 1 for g in groups), words
        assert ("seribu" in words) == (n // 1000 == 1), words
        assert "nol" not in words, words


@pytest.mark.parametrize("n", [-1, 1_000_000, 1_234_567])
def test_numbers_out_of_range_are_refused(n: int) -> None:
    with pytest.raises(ValueError, match=str(n)):
        number_words_id(n)
    with pytest.raises(ValueError, match=str(n)):
        number_words_en(n)


@pytest.mark.parametrize(
    ("letter", "indonesian", "english"),
    [("A", "a", "ay"), ("B", "be", "bee"), ("C", "ce", "cee"), ("H", "ha", "aitch"),
     ("Q", "ki", "cue"), ("W", "we", "double-u"), ("X", "eks", "ex"), ("Z", "zet", "zed")],
)  # fmt: skip
def test_letter_names(letter: str, indonesian: str, english: str) -> None:
    assert letter_word_id(letter) == indonesian
    assert letter_word_en(letter) == english
    assert letter_word_id(letter.lower()) == indonesian


def test_every_letter_has_a_name_in_both_languages() -> None:
    assert len(LETTERS) == 26
    assert all(letter_word_id(x) and letter_word_en(x) for x in LETTERS)


@pytest.mark.parametrize("bad", ["", "AB", "1", "É"])
def test_non_letters_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a letter"):
        letter_word_id(bad)
