import os
import string

import pytest
from django.conf import settings
from django.utils import translation

from sentra.registry import kbli
from sentra.registry.normalize import NormalizationError

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)


def test_kbli_2020_has_21_categories_lettered_a_to_u():
    assert [c.letter for c in kbli.categories(2020)] == list(string.ascii_uppercase[:21])


def test_kbli_2025_has_22_categories_lettered_a_to_v():
    assert [c.letter for c in kbli.categories(2025)] == list(string.ascii_uppercase[:22])


@pytest.mark.parametrize("version", [2020, 2025])
def test_every_category_has_titles_in_both_languages(version):
    for category in kbli.categories(version):
        assert category.title_id
        assert category.title_en


@pytest.mark.parametrize("version", [2020, 2025])
def test_divisions_are_two_digits_and_belong_to_one_category_each(version):
    seen = [d for c in kbli.categories(version) for low, high in c.divisions for d in range(low, high + 1)]
    assert len(seen) == len(set(seen))
    assert all(1 <= d <= 99 for d in seen)
    assert kbli.divisions(version) == {f"{d:02d}" for d in seen}


@pytest.mark.parametrize("version", [2020, 2025])
def test_divisions_run_in_category_order(version):
    starts = [c.divisions[0][0] for c in kbli.categories(version)]
    assert starts == sorted(starts)


def test_kbli_2020_has_the_88_divisions_of_isic_rev_4():
    assert len(kbli.divisions(2020)) == 88


@pytest.mark.parametrize("missing", ["00", "04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"])
def test_gaps_in_the_division_numbering_are_not_divisions(missing):
    assert missing not in kbli.divisions(2020)


@pytest.mark.parametrize(
    ("code", "letter"),
    [
        ("01111", "A"),
        ("08930", "B"),
        ("10792", "C"),
        ("35101", "D"),
        ("38110", "E"),
        ("41011", "F"),
        ("47111", "G"),
        ("49411", "H"),
        ("56101", "I"),
        ("62019", "J"),
        ("64190", "K"),
        ("68111", "L"),
        ("73100", "M"),
        ("79120", "N"),
        ("84111", "O"),
        ("85120", "P"),
        ("86103", "Q"),
        ("90001", "R"),
        ("96111", "S"),
        ("97000", "T"),
        ("99000", "U"),
    ],
)
def test_category_for_a_kbli_2020_code(code, letter):
    assert kbli.category_for(code, 2020).letter == letter


def test_category_for_gives_the_titles():
    category = kbli.category_for("10792", 2020)
    assert category.title_id == "Industri Pengolahan"
    assert category.title_en == "Manufacturing"


@pytest.mark.parametrize(("code", "letter"), [("58110", "J"), ("62019", "K"), ("64190", "L"), ("99000", "V")])
def test_kbli_2025_splits_information_and_communication_into_j_and_k(code, letter):
    assert kbli.category_for(code, 2025).letter == letter


def test_kbli_2025_shifts_every_letter_from_k_on_by_one():
    for division in sorted(kbli.divisions(2020) & kbli.divisions(2025)):
        if int(division) < 64:
            continue
        old = kbli.category_for(division, 2020).letter
        assert kbli.category_for(division, 2025).letter == chr(ord(old) + 1), division


def test_kbli_2025_keeps_the_letters_before_j():
    for division in sorted(kbli.divisions(2020) & kbli.divisions(2025)):
        if int(division) < 58:
            assert kbli.category_for(division, 2025).letter == kbli.category_for(division, 2020).letter


@pytest.mark.parametrize("code", ["04111", "34000", "00000", "7", ""])
def test_unknown_division_raises_with_a_stable_code(code):
    with pytest.raises(NormalizationError) as info:
        kbli.category_for(code, 2020)
    assert info.value.code == "kbli_division_unknown"
    assert "%(" not in info.value.render()


def test_unknown_version_raises_with_a_stable_code():
    with pytest.raises(NormalizationError) as info:
        kbli.category_for("10792", 2017)
    assert info.value.code == "kbli_version_unknown"
    with translation.override("en"):
        assert info.value.render() == "KBLI 2017 is not a supported version."
