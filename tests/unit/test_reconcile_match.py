"""Matching names as spreadsheets write them: folding, prefixes, exonyms, codes, typos, the match rule,
properties that disambiguate, prefix search, and data extension (hpkg.reconcile)."""

from __future__ import annotations

import pytest

from hpkg.build import build
from hpkg.iri import base_iri
from hpkg.opendata.reference import admin_units, countries
from hpkg.reconcile.extend import UnknownProperty, extend, propose_properties
from hpkg.reconcile.index import PROPERTIES, TYPES, build_index
from hpkg.reconcile.match import MATCH_GAP, MATCH_SCORE, Matcher, UnknownType, pair_score, reconcile, search
from hpkg.store import OxigraphStore

BASE = base_iri()
HAI_PHONG = BASE + "place/hai-phong"
HAI_PHONG_2025 = BASE + "place/hai-phong-2025"
HAI_DUONG = BASE + "place/hai-duong"
HAN_QUOC = BASE + "place/han-quoc"
DAI_LOAN = BASE + "place/dai-loan"
USA = "http://publications.europa.eu/resource/authority/country/USA"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    store = OxigraphStore(None)
    build(store, validate=False)
    return Matcher(build_index(store, BASE))


def top(matcher: Matcher, text: str, *types: str, **kw) -> tuple[str, bool]:
    found = reconcile(matcher, text, types=list(types), **kw)
    assert found, f"no candidate for {text!r}"
    return found[0].entity.id, found[0].match


@pytest.mark.parametrize("text", ["Hải Phòng", "Hai Phong", "HAI PHONG", "hai phong", "Haiphong", "HẢI PHÒNG",
                                  "Thành phố Hải Phòng", "TP. Hải Phòng", "TP Hai Phong", "Hai Phong City"])
def test_diacritics_case_and_prefixes_fold_to_the_graph_unit(matcher: Matcher, text: str) -> None:
    assert top(matcher, text, "province-63") == (HAI_PHONG, True)
    assert top(matcher, text, "province-34") == (HAI_PHONG_2025, True)


@pytest.mark.parametrize(("text", "gso"), [
    ("TP. Hồ Chí Minh", "79"), ("Thành phố Hồ Chí Minh", "79"), ("Ho Chi Minh City", "79"), ("TPHCM", "79"),
    ("TP HCM", "79"), ("Sài Gòn", "79"), ("Ha Noi", "01"), ("Hanoi", "01"), ("Bà Rịa-Vũng Tàu", "77"),
    ("Tỉnh Bà Rịa - Vũng Tàu", "77"), ("BA RIA VUNG TAU", "77"), ("Thua Thien Hue", "46"), ("Tinh Hai Duong", "30"),
    ("VN-HP", "31"), ("31", "31"), ("Dak Lak", "66"),
])
def test_province_names_as_spreadsheets_write_them(matcher: Matcher, text: str, gso: str) -> None:
    found = reconcile(matcher, text, types=["province-63"])
    assert found[0].match, [(s.entity.name, s.score) for s in found[:3]]
    assert found[0].entity.props["gso_code"] == [gso]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hàn Quốc", HAN_QUOC), ("Han Quoc", HAN_QUOC), ("South Korea", HAN_QUOC), ("Republic of Korea", HAN_QUOC),
    ("KOR", HAN_QUOC), ("KR", HAN_QUOC), ("Hoa Kỳ", USA), ("Mỹ", USA), ("United States", USA), ("USA", USA),
    ("Đài Loan", DAI_LOAN), ("Taiwan", DAI_LOAN), ("Đài Loan (Trung Quốc)", DAI_LOAN),
])
def test_countries_by_vietnamese_name_english_exonym_and_iso_code(matcher: Matcher, text: str, expected: str) -> None:
    assert top(matcher, text, "country") == (expected, True)
    assert top(matcher, text) == (expected, True), "no type needed for a country name"


def test_every_official_province_and_country_name_matches_itself(matcher: Matcher) -> None:
    wrong = []
    for c in admin_units():
        t = "province-63" if c.scheme == "dvhc63" else "province-34"
        for label in c.labels:
            found = reconcile(matcher, label, types=[t], limit=1)
            if not (found and found[0].match and found[0].entity.props["gso_code"] == [c.notation]):
                wrong.append((t, label))
    for c in countries():
        for label in c.labels:
            found = reconcile(matcher, label, types=["country"], limit=1)
            if not (found and found[0].match and found[0].entity.props["iso3166_1_alpha3"] == [c.extra["alpha_3"]]):
                wrong.append(("country", label))
    assert not wrong
    assert len(matcher.index.by_type["province-63"]) == 63
    assert len(matcher.index.by_type["province-34"]) == 34
    assert len(matcher.index.by_type["country"]) >= 249


def test_ids_are_graph_iris_where_the_graph_has_the_entity_else_the_linkers(matcher: Matcher) -> None:
    index = matcher.index
    assert index.get(HAI_PHONG).types[:2] == ["province-63", "province"]
    assert index.get(BASE + "code/dvhc-63/31") is None, "the graph's unit stands for its code"
    assert index.get(BASE + "code/dvhc-63/01").name == "Thành phố Hà Nội"
    assert index.get(BASE + "code/dvhc-34/01") is not None
    assert index.get("http://publications.europa.eu/resource/authority/country/KOR") is None
    assert index.get(USA).props["iso3166_1_alpha2"] == ["US"]


def test_one_typo_matches_when_nothing_else_is_as_close(matcher: Matcher) -> None:
    assert top(matcher, "Hai Phonh", "province-63") == (HAI_PHONG, True)
    assert top(matcher, "Hai Duongg", "province-63") == (HAI_DUONG, True)
    assert top(matcher, "Japna", "country")[1] is True


def test_codes_of_letters_only_in_capitals_and_word_order_never_matches(matcher: Matcher) -> None:
    # "MY" is Malaysia's code and Mỹ in capitals without diacritics: two candidates, no match
    found = reconcile(matcher, "MY", types=["country"])
    assert {s.entity.id[-3:] for s in found[:2]} == {"MYS", "USA"} and not found[0].match
    assert top(matcher, "MYS", "country")[1] is True
    assert top(matcher, "my", "country") == (USA, True), "Mỹ typed without diacritics"
    assert top(matcher, "nga", "country")[0].endswith("/RUS"), "Nga is Russia; NGA is Nigeria"
    assert top(matcher, "NGA", "country")[0].endswith("/NGA")
    assert top(matcher, "vn-hp") == (HAI_PHONG, True)
    # Nam Hà (dissolved 1996) is not Hà Nam
    assert not reconcile(matcher, "Nam Hà", types=["province-63"])[0].match
    # a name that ends in an affix word: "Hà Tĩnh" is not "Hà"
    assert top(matcher, "Hà Tĩnh", "province-63")[1] is True
    assert top(matcher, "Ha Tnih", "province-63") == (BASE + "code/dvhc-63/42", True)
    assert not reconcile(matcher, "Hà", types=["province-63"])[0].match


def test_two_near_equal_candidates_never_match(matcher: Matcher) -> None:
    # Irak is one letter from both Iraq and Iran
    found = reconcile(matcher, "Irak", types=["country"])
    assert {s.entity.props["iso3166_1_alpha3"][0] for s in found[:2]} == {"IRQ", "IRN"}
    assert not any(s.match for s in found)
    # Hà Nội is on both lists: a match only once the list is chosen
    found = reconcile(matcher, "Hà Nội", types=["province"])
    assert found[0].score == found[1].score == 100 and not found[0].match
    assert top(matcher, "Hà Nội", "province-34") == (BASE + "code/dvhc-34/01", True)
    # an exact name stays a match next to a one-letter neighbour (Iran vs Iraq: 100 vs 90)
    assert top(matcher, "Iran", "country")[1] is True


def test_the_match_rule(matcher: Matcher) -> None:
    assert (MATCH_SCORE, MATCH_GAP) == (90.0, 10.0)
    for text in ("Hải Phòng", "Korea", "hai", "Ha", "Irak", "Congo", "Guinea", "Hà Nội", "31", "Nam"):
        for types in ([], ["province"], ["country"]):
            found = reconcile(matcher, text, types=types)
            matches = [s for s in found if s.match]
            assert len(matches) <= 1
            if matches:
                assert matches[0] is found[0] and found[0].score >= MATCH_SCORE
                assert len(found) == 1 or found[0].score - found[1].score >= MATCH_GAP


def test_properties_disambiguate(matcher: Matcher) -> None:
    # both Hải Phòng units: only the pre-2025 one has an ISO 3166-2 code
    found = reconcile(matcher, "Hải Phòng", types=["province"],
                      properties=[{"pid": "iso3166_2", "v": "VN-HP"}])
    assert (found[0].entity.id, found[0].match) == (HAI_PHONG, True)
    assert found[0].features["property:iso3166_2"] is True
    # a GSO code that disagrees takes the match away
    found = reconcile(matcher, "Hải Phòng", types=["province-63"], properties=[{"pid": "gso_code", "v": "30"}])
    assert not found[0].match
    # zero padding of GSO codes; several values; properties alone, without a query string
    found = reconcile(matcher, None, types=["province-34"], properties=[{"pid": "gso_code", "v": [1, "79"]}])
    assert {s.entity.props["gso_code"][0] for s in found} == {"01", "79"} and not any(s.match for s in found)
    found = reconcile(matcher, "", types=["province-34"], properties=[{"pid": "gso_code", "v": "31"}])
    assert [(s.entity.id, s.match) for s in found] == [(HAI_PHONG_2025, True)]
    found = reconcile(matcher, "", properties=[{"pid": "iso3166_1_alpha3", "v": "kor"}])
    assert (found[0].entity.id, found[0].match) == (HAN_QUOC, True)
    # an entity value ({id}) as the spec allows
    found = reconcile(matcher, "Hai Duong", properties=[{"pid": "successor_2025", "v": {"id": HAI_PHONG_2025}}])
    assert (found[0].entity.id, found[0].match) == (HAI_DUONG, True)


def test_types_filter_and_type_strict(matcher: Matcher) -> None:
    assert all("country" in s.entity.types for s in reconcile(matcher, "Hai", types=["country"]))
    should = reconcile(matcher, "Hải Phòng", types=["country"], type_strict="should")
    assert should[0].entity.id in (HAI_PHONG, HAI_PHONG_2025) and should[0].score == 85 and not should[0].match
    # OpenRefine sends type_strict "should" with a type: the unit of the list asked for is still a match
    for text, t, want in (("Hải Phòng", "province-63", HAI_PHONG), ("Ha Noi", "province-34", BASE + "code/dvhc-34/01"),
                          ("Hai Phonh", "province-63", HAI_PHONG), ("Hàn Quốc", "country", HAN_QUOC)):
        assert top(matcher, text, t, type_strict="should") == (want, True), text
    both = reconcile(matcher, "Hải Phòng", types=["province", "province-34"], type_strict="all")
    assert [s.entity.id for s in both][:1] == [HAI_PHONG_2025] and both[0].match
    with pytest.raises(UnknownType, match="known types: province-63, province-34"):
        reconcile(matcher, "x", types=["Person"])


def test_kind_prefix_of_another_kind_costs(matcher: Matcher) -> None:
    assert reconcile(matcher, "Hàn Quốc")[0].score == 100
    assert reconcile(matcher, "KCN Hàn Quốc")[0].score == 80
    zone = reconcile(matcher, "KKT ven biển phía Nam Hải Phòng")[0]
    assert (zone.entity.id, zone.match) == (BASE + "zone/kkt-ven-bien-phia-nam-hai-phong", True)


@pytest.mark.parametrize(("text", "expected"), [("hai d", HAI_DUONG), ("Hai Du", HAI_DUONG), ("han q", HAN_QUOC),
                                                 ("dai l", DAI_LOAN), ("HAI PH", None)])
def test_prefix_search(matcher: Matcher, text: str, expected: str | None) -> None:
    hits = search(matcher, text)
    assert hits
    if expected:
        assert hits[0].entity.id == expected
    else:
        assert hits[0].entity.id in (HAI_PHONG, HAI_PHONG_2025)
    assert not any(h.match for h in hits if h.score < MATCH_SCORE)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_finds_indicators_sectors_and_organisations(matcher: Matcher) -> None:
    assert search(matcher, "FDI_REG")[0].entity.id == BASE + "concept/indicator/fdi-registered"
    assert search(matcher, "logistics", types=["sector"])[0].entity.id == BASE + "concept/sector/logistics"
    assert search(matcher, "ban quan ly khu kinh te", types=["organisation"])[0].entity.id == (
        BASE + "org/ban-quan-ly-khu-kinh-te-hai-phong")
    assert search(matcher, "   ") == []


def test_pair_scores() -> None:
    assert pair_score("hai phong", "hai phong") == 100
    assert pair_score("korea republic of", "republic of korea korea") < 95
    assert pair_score("vung tau ba ria", "ba ria vung tau") == 85, "word order ranks, never matches"
    assert pair_score("hai phonh", "hai phong") == 90
    assert pair_score("hai phnog", "hai phong") == 90, "a swap is one typo"
    assert pair_score("hai", "hoi") < 90, "short keys get no typo allowance"
    assert 60 <= pair_score("hai d", "hai duong") <= 85
    assert pair_score("abc", "xyz") < 40


def test_extension_values(matcher: Matcher) -> None:
    index = matcher.index
    ids = [HAI_DUONG, BASE + "code/dvhc-63/77", HAN_QUOC, "no-such-id"]
    out = extend(index, ids, [{"id": "gso_code"}, {"id": "iso3166_2"}, {"id": "successor_2025"},
                              {"id": "iso3166_1_alpha3"}, {"id": "label_en", "settings": {"limit": "1"}},
                              {"id": "valid_to"}])
    assert [m["id"] for m in out["meta"]][:3] == ["gso_code", "iso3166_2", "successor_2025"]
    rows = out["rows"]
    assert rows[HAI_DUONG]["gso_code"] == [{"str": "30"}]
    assert rows[HAI_DUONG]["iso3166_2"] == [{"str": "VN-61"}]
    assert rows[HAI_DUONG]["successor_2025"] == [{"id": HAI_PHONG_2025, "name": "Hải Phòng (từ 1/7/2025)"}]
    assert rows[HAI_DUONG]["valid_to"] == [{"date": "2025-06-30T00:00:00+07:00"}]
    assert rows[BASE + "code/dvhc-63/77"]["successor_2025"][0]["id"] == BASE + "code/dvhc-34/79"
    assert rows[HAN_QUOC]["iso3166_1_alpha3"] == [{"str": "KOR"}]
    assert rows[HAN_QUOC]["label_en"] == [{"str": "South Korea"}]
    assert rows["no-such-id"] == {pid: [] for pid in ("gso_code", "iso3166_2", "successor_2025", "iso3166_1_alpha3",
                                                      "label_en", "valid_to")}
    preds = extend(index, [HAI_PHONG_2025], [{"id": "predecessors"}])["rows"][HAI_PHONG_2025]["predecessors"]
    assert {p["id"] for p in preds} == {HAI_PHONG, HAI_DUONG}
    unknown = extend(index, [HAI_DUONG], [{"id": "population"}])
    assert unknown == {"meta": [{"id": "population", "name": "population (not a property of this service)"}],
                       "rows": {HAI_DUONG: {"population": []}}}
    with pytest.raises(UnknownProperty, match="known properties"):
        extend(index, ids, [{"id": "population"}], strict=True)


def test_extension_fdi_amounts_from_the_observations(matcher: Matcher) -> None:
    zones = BASE + "zone/kcn-kkt-hai-phong"
    out = extend(matcher.index, [zones, HAI_PHONG], [{"id": "fdi_registered", "settings": {"year": "2024"}},
                                                     {"id": "fdi_cumulative"}])
    assert out["meta"][0]["name"] == "FDI attracted in a year (USD), 2024"
    assert out["rows"][zones] == {"fdi_registered": [{"float": 4.35e9}], "fdi_cumulative": [{"float": 30.3e9}]}
    assert out["rows"][HAI_PHONG] == {"fdi_registered": [], "fdi_cumulative": []}
    none = extend(matcher.index, [zones], [{"id": "fdi_registered", "settings": {"year": "1999"}}])
    assert none["rows"][zones]["fdi_registered"] == []


def test_property_proposals() -> None:
    assert {p["id"] for p in propose_properties("country")} >= {"iso3166_1_alpha2", "iso3166_1_alpha3"}
    assert "iso3166_2" in {p["id"] for p in propose_properties("province-63")}
    assert "iso3166_2" not in {p["id"] for p in propose_properties("province-34")}
    assert len(propose_properties(None)) == len(PROPERTIES)
    assert len(propose_properties("country", limit=2)) == 2
    with pytest.raises(UnknownType):
        propose_properties("Person")
    assert set(TYPES) >= {"province-63", "province-34", "country", "zone", "organisation", "indicator", "sector"}
