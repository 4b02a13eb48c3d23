"""Amounts are exact Decimals, rounded in one helper and shown in Swedish format."""

from decimal import Decimal

import pytest

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
        ("1207.5", Decimal("1207.5")),
        ("-1.207,5", Decimal("-1207.5")),
        ("1\u00a0207,5", Decimal("1207.5")),
        (-523.3, Decimal("-523.3")),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, expected):
    assert money.parse_amount(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "", "1,2,3", "NaN", "Infinity"])
def test_text_is_refused_with_a_swedish_message(typed):
    with pytest.raises(ValueError, match="(?i)belopp"):
        money.parse_amount(typed)


def test_ratio_of_zero_denominator_is_missing_not_an_error():
    assert money.ratio(Decimal(5), Decimal(0)) is None
