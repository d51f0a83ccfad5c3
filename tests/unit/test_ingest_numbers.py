"""hpkg.ingest.numbers: Vietnamese and English figures to base units, with exact offsets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hpkg.ingest.numbers import find_quantities, fold_same_length, parse_number, parse_quantity

# The issue's examples: expression -> (value, unit)
ISSUE_EXAMPLES = [
    ("4,35 tỷ USD", 4_350_000_000, "USD"),
    ("1.950,55 triệu USD", 1_950_550_000, "USD"),
    ("12.350 tỷ đồng", 12_350_000_000_000, "VND"),
    ("12.350 tỷ VNĐ", 12_350_000_000_000, "VND"),
    ("gấp 2,3 lần", 2.3, "ratio"),
    ("1 tỷ 252 triệu USD", 1_252_000_000, "USD"),
    ("$1.2 billion", 1_200_000_000, "USD"),
    ("210.000 người", 210_000, "person"),
    ("242%", 242, "percent"),
    ("11,5 triệu đồng/tháng", 11_500_000, "VND/month"),
]


@pytest.mark.parametrize(("expr", "value", "unit"), ISSUE_EXAMPLES)
def test_issue_examples(expr, value, unit):
    q = parse_quantity(expr, "en" if expr.startswith("$") else "vi")
    assert q is not None
    assert (q.value, q.unit) == (value, unit)
    assert q.quote == expr and (q.start, q.end) == (0, len(expr))


@pytest.mark.parametrize(("expr", "low", "high"), [
    ("1,8-2,3 tỷ USD", 1_800_000_000, 2_300_000_000),
    ("3-3,5 tỷ USD", 3_000_000_000, 3_500_000_000),
    ("1,8 – 2,3 tỷ USD", 1_800_000_000, 2_300_000_000),
    ("từ 3 đến 3,5 tỷ USD", 3_000_000_000, 3_500_000_000),
    ("10-15%", 10, 15),
])
def test_ranges_give_both_ends(expr, low, high):
    q = parse_quantity(expr)
    assert q is not None and q.is_range
    assert (q.value, q.high) == (low, high)


def test_english_range():
    q = parse_quantity("between 1.8 and 2.3 billion USD", "en")
    assert q is not None and (q.value, q.high, q.unit) == (1_800_000_000, 2_300_000_000, "USD")


@pytest.mark.parametrize(("expr", "value", "unit"), [
    ("5.000 tỷ đồng", 5_000_000_000_000, "VND"),
    ("120 nghìn tỷ đồng", 120_000_000_000_000, "VND"),
    ("350 ngàn lao động", 350_000, "person"),
    ("2,5 tỉ USD", 2_500_000_000, "USD"),
    ("1 tỷ 252 triệu 500 nghìn đồng", 1_252_500_000, "VND"),
    ("15 dự án", 15, "project"),
    ("1.200 doanh nghiệp", 1200, "enterprise"),
    ("6.000 ha", 6000, "ha"),
    ("1,5 triệu USD/ha", 1_500_000, "USD/ha"),
    ("8 triệu đồng mỗi tháng", 8_000_000, "VND/month"),
    ("46 chương trình", 46, "count"),
    ("13,5 %", 13.5, "percent"),
    ("12 tỷ đ", 12_000_000_000, "VND"),
    ("US$3m", 3_000_000, "USD"),
    ("USD 5 million", 5_000_000, "USD"),
    ("2.3 times", 2.3, "ratio"),
    ("VND 12,350 billion", 12_350_000_000_000, "VND"),
    ("210,000 workers", 210_000, "person"),
    ("4.35 billion USD", 4_350_000_000, "USD"),
    ("45 percent", 45, "percent"),
])
def test_formats_scales_units(expr, value, unit):
    lang = "en" if any(w in expr for w in ("times", "billion", "million", "workers", "percent", "US$")) else "vi"
    q = parse_quantity(expr, lang)
    assert q is not None, expr
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("text", [
    "Ngày 6/1, Ban Quản lý cho biết",
    "năm 2024",
    "trong năm 2024 và 2025",
    "từ ngày 01/01/2023",
    "tháng 7/2023",
    "ngày 2025-01-06",
    "xếp thứ 3 cả nước",
    "xếp thứ 6/20 toàn thành phố",
    "đứng top 10",
    "Điện thoại: 0225.3842.123",
    "Hotline 0912 345 678",
    "Điều 5, khoản 2, mục 3",
    "theo Nghị quyết số 50-NQ/TW ngày 20/8/2019",
    "giai đoạn 2021-2025",
    "công nghiệp 4.0 và nhóm G20",
    "the 3rd largest in 2024",
    "Section 4 of Article 12",
])
def test_not_figures(text):
    assert find_quantities(text) == []


def test_offsets_are_string_indices():
    text = "Năm 2024, xuất khẩu ước đạt 28,5 tỷ USD (bằng 109% kế hoạch), thu hút 210.000 người."
    qs = find_quantities(text)
    assert [q.quote for q in qs] == ["28,5 tỷ USD", "109%", "210.000 người"]
    for q in qs:
        assert text[q.start:q.end] == q.quote


def test_unit_carried_to_a_scaled_figure_just_before():
    qs = find_quantities("xuất khẩu 28,5 tỷ và nhập khẩu 22,8 tỷ USD")
    assert [(q.value, q.unit) for q in qs] == [(28_500_000_000, "USD"), (22_800_000_000, "USD")]


def test_ambiguous_separators_follow_the_language():
    assert parse_number("12.350", "vi") == Decimal(12350)
    assert parse_number("12.350", "en") == Decimal("12.350")
    assert parse_number("4,350", "en") == Decimal(4350)
    assert parse_number("4,35", "en") == Decimal("4.35")
    assert parse_number("1.950,55") == Decimal("1950.55")
    assert parse_number("1,950.55") == Decimal("1950.55")
    assert parse_number("1.234.567") == Decimal(1234567)


def test_fold_keeps_length():
    text = "Đà Nẵng, luỹ kế — 4,35 tỷ ₫ 한국"
    folded = fold_same_length(text)
    assert len(folded) == len(text)
    assert folded.startswith("da nang, luy ke")


def test_values_are_exact_numbers():
    q = parse_quantity("1.950,55 triệu USD")
    assert isinstance(q.value, int) and q.value == 1950550000


@pytest.mark.parametrize(("expr", "lang", "value", "unit"), [
    # a count of project adjustments ("lượt dự án") counts projects, not events
    ("điều chỉnh vốn cho 14 lượt dự án", "vi", 14, "project"),
    # a wage per worker per month is a monthly amount
    ("thu nhập 8,4 triệu đồng/người/tháng", "vi", 8_400_000, "VND/month"),
    ("VND 8 million per worker per month", "en", 8_000_000, "VND/month"),
    # a rent per square metre is given per hectare (the graph's unit): 1 ha = 10,000 m2
    ("giá thuê 95 USD/m2/chu kỳ", "vi", 950_000, "USD/ha"),
    # an adjective before the counted noun ("valid", "operating") stays in the quote
    ("the city has 420 valid projects", "en", 420, "project"),
])
def test_counted_nouns_and_per_units_of_press_reports(expr, lang, value, unit):
    (q,) = find_quantities(expr, lang)
    assert (q.value, q.unit) == (value, unit)
    assert expr[q.start:q.end] == q.quote


def test_a_figure_after_by_or_in_is_a_figure_a_year_there_is_not():
    assert [(q.value, q.unit) for q in find_quantities("exports grew by 8.2% in 2024", "en")] == [(8.2, "percent")]
    assert [(q.value, q.unit) for q in find_quantities("parks in 12 provinces employ 5,000 workers", "en")] == [
        (5000, "person")]
    assert find_quantities("by 2030 and in 2024", "en") == []


@pytest.mark.parametrize(("text", "quote", "value", "unit"), [
    ("Nhà đầu tư trong nước đăng ký VND3.4 trillion năm nay.", "VND3.4 trillion", 3_400_000_000_000, "VND"),
    ("Local firms pledged USD5 million more.", "USD5 million", 5_000_000, "USD"),
    ("Workers there earn about VND8.2 million a month.", "VND8.2 million a month", 8_200_000, "VND/month"),
    ("A 500-hectare zone is planned.", "500-hectare", 500, "ha"),
    ("The zone hosts 120 valid FDI projects.", "120 valid FDI projects", 120, "project"),
])
def test_glued_currencies_hyphenated_units_and_modified_nouns(text, quote, value, unit):
    (q,) = find_quantities(text, "en")
    assert (q.quote, q.value, q.unit) == (quote, value, unit)
    assert text[q.start:q.end] == quote


def test_letters_glued_to_a_number_are_still_not_a_currency():
    assert find_quantities("the G20 summit and COVID-19 and ABCVND12 codes", "en") == []


def test_a_table_written_as_text_gives_its_bare_numbers_the_rows_unit():
    from hpkg.ingest.numbers import find_table_figures

    text = ("Chỉ tiêu | ĐVT | Quý I/2025 | So với cùng kỳ (%)\n"
            "Xuất khẩu | Triệu USD | 1.250,5 | 112,3\n"
            "Nộp ngân sách | Tỷ đồng | 3.400 | 98,0\n"
            "Diện tích cho thuê | ha | 62,4 ha | -\n")
    figures = find_table_figures(text, "vi")
    got = [(t.quantity.quote, t.quantity.value, t.quantity.unit, t.index_of) for t in figures]
    exports, budget = text.index("1.250,5"), text.index("3.400")
    assert got == [("1.250,5", 1_250_500_000, "USD", None), ("112,3", 112.3, "percent", exports),
                   ("3.400", 3_400_000_000_000, "VND", None), ("98,0", 98, "percent", budget)]
    assert all(text[t.quantity.start:t.quantity.end] == t.quantity.quote for t in figures)
    # without a unit column a table's bare numbers are not figures (the cells with units are found as ever)
    assert find_table_figures("Chỉ tiêu | Quý I\nXuất khẩu | 1.250,5\nNhập khẩu | 900\n", "vi") == []
