"""Amounts are exact Decimals, rounded in one helper and shown in Swedish format."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget import money


def test_mkr_are_shown_with_one_decimal_comma_nbsp_and_true_minus():
    assert money.format_mkr(Decimal("-1207500000")) == "\u22121\u00a0207,5"


def test_rounding_is_half_away_from_zero_not_truncation():
    assert money.format_mkr(Decimal("1250000")) == "1,3"
    assert money.format_mkr(Decimal("-1250000")) == "\u22121,3"
    assert money.format_mkr(Decimal("1249999.99")) == "1,2"


def test_a_tiny_negative_amount_is_not_shown_as_minus_zero():
    assert money.format_mkr(Decimal("-49999")) == "0,0"


def test_missing_amount_is_shown_empty():
    assert money.format_mkr(None) == ""


def test_percent_is_shown_with_one_decimal():
    assert money.format_percent(Decimal("0.0186")) == "1,9\u00a0%"
    assert money.format_percent(Decimal("-0.1152")) == "\u221211,5\u00a0%"


def test_mkr_convert_to_exact_kronor():
    assert money.to_kronor(Decimal("-523.3"), "mkr") == Decimal("-523300000.00")
    assert money.to_kronor(Decimal("12.5"), "tkr") == Decimal("12500.00")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 207,5", Decimal("1207.5")),
        ("\u22123,2", Decimal("-3.2")),
        ("-3,2", Decimal("-3.2")),
        ("\u20133,2", Decimal("-3.2")),  # an en dash from a word processor
        ("1\u00a0207,5", Decimal("1207.5")),
        ("1\u202f207\u202f000", Decimal("1207000")),
        ("  12 345 678,90 ", Decimal("12345678.90")),
        ("+5", Decimal(5)),
        ("0,05", Decimal("0.05")),
        (-523.3, Decimal("-523.3")),
        (7, Decimal(7)),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, expected):
    assert money.parse_amount(typed) == expected


def test_minus_zero_is_zero():
    assert str(money.parse_amount("-0")) == "0"
    assert str(money.parse_amount("\u22120,0")) == "0.0"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.220", "kan läsas som 1,220 eller som 1\u00a0220"),
        ("-1.220", "kan läsas som \u22121,220 eller som \u22121\u00a0220"),
        ("1.5", "skriv decimaler med komma, till exempel ”1,5”"),
        ("1207.5", "skriv decimaler med komma, till exempel ”1207,5”"),
        ("-1.207,5", "skriv tusental med mellanslag, till exempel ”\u22121 207,5”"),
        ("1.220.000", "skriv tusental med mellanslag"),
        ("1,207.5", "är inte ett belopp"),
        ("1E+999999999", "är inte ett belopp"),
        ("1e3", "är inte ett belopp"),
        ("NaN", "är inte ett belopp"),
        ("Infinity", "är inte ett belopp"),
        ("-inf", "är inte ett belopp"),
        ("\u0661\u0662\u0663", "siffror som inte är 0–9"),  # Arabic-Indic 123
        ("\uff14\uff15", "siffror som inte är 0–9"),  # fullwidth 45
        ("1_000", "är inte ett belopp"),
        ("\u200f12", "är inte ett belopp"),  # a right-to-left mark
        ("12\u202e", "är inte ett belopp"),
        ("12 34", "är inte ett belopp"),  # not groups of three
        ("1,2,3", "är inte ett belopp"),
        ("tolv tusen", "”tolv tusen” är inte ett belopp"),
        ("99999999999999999999", "orimligt stort"),
        ("", "saknas"),
        ("   ", "saknas"),
    ],
)
def test_anything_else_is_refused_with_a_swedish_message_naming_the_readings(typed, message):
    with pytest.raises(ValueError) as excinfo:
        money.parse_amount(typed)

    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    "value", [True, float("nan"), float("inf"), Decimal("NaN"), Decimal("1E+20")]
)
def test_numbers_that_are_no_amounts_are_refused(value):
    with pytest.raises(ValueError):
        money.parse_amount(value)


def test_a_financial_systems_decimal_point_is_read_only_when_asked_for():
    assert money.parse_amount("-1207.50", decimal_point=True) == Decimal("-1207.50")
    assert money.parse_amount("1 207,50", decimal_point=True) == Decimal("1207.50")
    with pytest.raises(ValueError, match="kan läsas som"):
        money.parse_amount("1.220", decimal_point=True)
    with pytest.raises(ValueError):
        money.parse_amount("1 207.50", decimal_point=True)


@pytest.mark.parametrize(
    ("value", "unit", "kronor"),
    [
        (Decimal("-441234.56"), "tkr", Decimal("-441234560.00")),
        (Decimal("1.23456"), "tkr", Decimal("1234.56")),
        (Decimal("0.01"), "kr", Decimal("0.01")),
    ],
)
def test_an_amount_exact_to_the_ore_is_kept_exactly(value, unit, kronor):
    assert money.exact_in_kronor(value, unit) == kronor


@pytest.mark.parametrize(
    ("value", "unit", "places"),
    [
        (Decimal("1.234567"), "tkr", 5),
        (Decimal("0.005"), "kr", 2),
        (Decimal("1.000000001"), "mkr", 8),
    ],
)
def test_more_decimals_than_ore_are_refused_not_rounded(value, unit, places):
    with pytest.raises(ValueError, match=f"högst {places} i {unit}"):
        money.exact_in_kronor(value, unit)


# --- Properties over the parser -----------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts)
def test_every_amount_shown_in_swedish_format_reads_back_exactly(amount):
    shown = money.format_number(amount, 2)

    assert money.parse_amount(shown) == amount


@given(amounts, st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.sampled_from(["-", "\u2212"]))
def test_grouping_and_minus_signs_never_change_the_amount(amount, space, minus):
    integer, _, decimals = f"{abs(amount):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    typed = (
        (minus if amount < 0 else "") + space.join(groups) + ("," + decimals if decimals else "")
    )

    assert money.parse_amount(typed) == amount


@given(st.text(max_size=30))
def test_any_text_is_read_as_an_amount_or_refused_with_a_value_error(text):
    try:
        value = money.parse_amount(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert value.is_finite()
        assert abs(value) < Decimal(10) ** money.MAX_INTEGER_DIGITS
        assert set(text.strip()) <= set("0123456789 ,+-\u2212\u2013\u00a0\u202f")


def test_ratio_of_zero_denominator_is_missing_not_an_error():
    assert money.ratio(Decimal(5), Decimal(0)) is None
