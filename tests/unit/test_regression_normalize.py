"""Regression tests of the linker's Vietnamese name normalisation (hpkg.opendata.normalize)."""

from __future__ import annotations

import pytest

from hpkg.opendata.normalize import normalize


def test_regression_ha_tinh_keeps_its_name():
    """"Hà Tĩnh" folds to "ha tinh"; its "tinh" is part of the name, not the word "Tỉnh" (province)."""
    assert normalize("Hà Tĩnh").keys[0] == "ha tinh"
    assert normalize("Tỉnh Hà Tĩnh").keys[0] == "ha tinh"
    assert normalize("Tỉnh Hà Tĩnh").kind_hint == "province"
    assert normalize("Hà Tĩnh").kind_hint is None


@pytest.mark.parametrize(("label", "core", "kind"), [
    ("Thành phố Hải Phòng", "hai phong", "municipality"),
    ("TP. Hồ Chí Minh", "ho chi minh", "municipality"),
    ("Hai Phong City", "hai phong", "municipality"),
    ("KCN Đình Vũ", "dinh vu", "industrial-park"),
    ("Dinh Vu Industrial Park", "dinh vu", "industrial-park"),
    ("Khu kinh tế Đình Vũ - Cát Hải", "dinh vu cat hai", "economic-zone"),
    ("Quảng Ninh Province", "quang ninh", "province"),
])
def test_prefixes_and_suffixes_where_each_language_puts_them(label, core, kind):
    n = normalize(label)
    assert n.keys[0] == core
    assert n.kind_hint == kind


@pytest.mark.parametrize("label", ["Vĩnh Phúc city hall tp", "Bình Định kcn"])
def test_vietnamese_words_are_not_stripped_from_the_end(label):
    assert normalize(label).keys[0].split()[-1] in ("tp", "kcn")
