import pytest

from shared.announcing.audio import SHIPPED_CLIP_DIRS, find_clip
from shared.announcing.call import (
    CHIME,
    CLIP_SCRIPT,
    CLIP_VOCABULARY,
    LANGUAGES,
    Call,
    clip_sequence,
    spoken_text,
)
from shared.announcing.words import number_words_en, number_words_id

PREFIXES = ["A", "B", "Q", "Z", "AB", "XY"]


def test_the_example_call_in_both_languages() -> None:
    call = Call("A012", 3)
    assert spoken_text(call, "id") == "Nomor antrean A, dua belas, silakan menuju loket tiga."
    assert spoken_text(call, "en") == "Ticket number A, twelve, please proceed to counter three."
    assert clip_sequence(call, "id") == [
        "chime", "id/nomor_antrean", "id/huruf_a", "id/dua", "id/belas",
        "id/silakan_menuju_loket", "id/tiga",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "said"),
    [("A001", "A, satu,"), ("A010", "A, sepuluh,"), ("B120", "B, seratus dua puluh,"),
     ("AB7", "AB, tujuh,"), ("C0", "C, nol,"), ("D1000", "D, seribu,"), ("z9", "Z, sembilan,")],
)  # fmt: skip
def test_leading_zeros_are_dropped_and_the_number_read_as_words(label: str, said: str) -> None:
    assert spoken_text(Call(label, 1), "id") == f"Nomor antrean {said} silakan menuju loket satu."


def test_counters_1_to_99_are_read_as_words() -> None:
    for counter in range(1, 100):
        id_text = spoken_text(Call("A001", counter), "id")
        en_text = spoken_text(Call("A001", counter), "en")
        assert id_text.endswith(f" loket {' '.join(number_words_id(counter))}."), id_text
        assert en_text.endswith(f" counter {' '.join(number_words_en(counter))}."), en_text
        assert "  " not in id_text + en_text


def test_multi_letter_prefixes_are_spelled_letter_by_letter() -> None:
    assert clip_sequence(Call("BC7", 21), "en", with_chime=False) == [
        "en/ticket_number", "en/letter_b", "en/letter_c", "en/seven",
        "en/please_proceed_to_counter", "en/twenty", "en/one",
    ]  # fmt: skip


@pytest.mark.parametrize("bad", ["", "A", "012", "ABC1", "A-12", "A1234567", "Ä1"])
def test_a_malformed_label_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="ticket number"):
        Call(bad, 1)


@pytest.mark.parametrize("counter", [0, -1, 10000])
def test_a_counter_number_out_of_range_is_refused(counter: int) -> None:
    with pytest.raises(ValueError, match="counter number"):
        Call("A001", counter)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        spoken_text(Call("A001", 1), "fr")
    with pytest.raises(ValueError, match="'fr'"):
        clip_sequence(Call("A001", 1), "fr")


def test_the_vocabulary_is_small_and_fixed() -> None:
    # 26 letters, 2 phrases and the number words: a branch records it in one sitting.
    assert len(CLIP_VOCABULARY["id"]) == 26 + 2 + 18
    assert len(CLIP_VOCABULARY["en"]) == 26 + 2 + 30
    for language in LANGUAGES:
        assert all(clip.startswith(f"{language}/") for clip in CLIP_VOCABULARY[language])
        assert all(CLIP_SCRIPT[language].values())


def test_every_sequence_is_assembled_from_the_vocabulary_and_the_shipped_clips() -> None:
    resolvable = {clip for clip in set().union(*CLIP_VOCABULARY.values(), {CHIME})
                  if find_clip(clip, SHIPPED_CLIP_DIRS)}  # fmt: skip
    for language in LANGUAGES:
        allowed = CLIP_VOCABULARY[language] | {CHIME}
        for prefix in PREFIXES:
            for number in range(1000):
                clips = clip_sequence(Call(f"{prefix}{number:03d}", 1 + number % 99), language)
                assert clips[0] == CHIME
                assert set(clips) <= allowed, clips
                assert set(clips) <= resolvable, clips
