"""hpkg.ingest.entities: organisations, zones, places and project candidates named in a report.

The sentences are written for these tests; the only real text is the shipped source article.
"""

from __future__ import annotations

import pytest

from hpkg.ingest.entities import org_key
from hpkg.ingest.extract import extract
from hpkg.project import shipped_root

ARTICLE = shipped_root() / "sources" / "000_60cf227c69ab6101.txt"
ID = "https://w3id.org/hpkg/id/"
ENTITY_KEYS = {"start", "end", "quote", "kind", "iri", "status"}
PROJECT_KEYS = ENTITY_KEYS | {"investor", "zone", "facts", "sector", "country"}


def entities(text):
    doc = extract(text)
    payload = doc.to_json()
    for e in payload["entities"]:
        assert text[e["start"]:e["end"]] == e["quote"]
        assert set(e) == (PROJECT_KEYS if e["kind"] == "project" else ENTITY_KEYS)
        assert e["status"] == ("known" if e["iri"] else "new")
    return payload


def by_quote(payload, quote, kind):
    found = [e for e in payload["entities"] if e["quote"] == quote and e["kind"] == kind]
    assert found, (quote, kind, [(e["quote"], e["kind"]) for e in payload["entities"]])
    return found[0]


def at(payload, start, kind):
    return next(e for e in payload["entities"] if e["start"] == start and e["kind"] == kind)


def test_a_new_investor_invests_in_a_named_zone():
    text = "LG Display đầu tư thêm 1 tỷ USD vào KCN Tràng Duệ."
    p = entities(text)
    org = by_quote(p, "LG Display", "organisation")
    assert org["status"] == "new"  # not the LG Group of the graph: another company
    zone = by_quote(p, "KCN Tràng Duệ", "zone")
    assert zone["status"] == "new"
    project = next(e for e in p["entities"] if e["kind"] == "project")
    assert project["quote"] == "LG Display đầu tư thêm 1 tỷ USD vào KCN Tràng Duệ"
    assert project["investor"] == org["start"] and project["zone"] == zone["start"]
    [fact] = [f for f in p["facts"] if f["start"] in project["facts"]]
    assert fact["quote"] == "1 tỷ USD" and fact["value"] == 1_000_000_000 and fact["unit"] == "USD"


def test_vietnamese_company_forms_with_country_and_sector():
    text = ("Công ty TNHH Điện tử Minh Anh (Nhật Bản) rót 250 triệu USD vào Khu công nghiệp Nam Đình Vũ "
            "để sản xuất chip bán dẫn.")
    p = entities(text)
    org = by_quote(p, "Công ty TNHH Điện tử Minh Anh", "organisation")
    project = at(p, org["start"], "project")
    assert project["country"] == ID + "place/nhat-ban"
    assert project["sector"] == ID + "concept/sector/chip-ban-dan"
    assert at(p, project["zone"], "zone")["quote"] == "Khu công nghiệp Nam Đình Vũ"
    assert [f["quote"] for f in p["facts"] if f["start"] in project["facts"]] == ["250 triệu USD"]


@pytest.mark.parametrize("text, name", [
    ("Công ty Cổ phần Thép Hoàng Long khởi công nhà máy mới.", "Công ty Cổ phần Thép Hoàng Long"),
    ("Tổng công ty Cảng Bạch Đằng công bố kết quả kinh doanh.", "Tổng công ty Cảng Bạch Đằng"),
    ("Sao Mai Electronics Co., Ltd opened its second plant.", "Sao Mai Electronics Co., Ltd"),
    ("Analysts expect Blue River Group to expand next year.", "Blue River Group"),
])
def test_company_name_forms(text, name):
    org = by_quote(entities(text), name, "organisation")
    assert org["status"] == "new" and org["iri"] is None


def test_an_english_project_with_a_zone():
    text = "In March, Sao Mai Electronics Co., Ltd invested $120 million in Dinh Vu Industrial Park."
    p = entities(text)
    project = next(e for e in p["entities"] if e["kind"] == "project")
    assert at(p, project["investor"], "organisation")["quote"] == "Sao Mai Electronics Co., Ltd"
    assert at(p, project["zone"], "zone")["quote"] == "Dinh Vu Industrial Park"
    assert [f["value"] for f in p["facts"] if f["start"] in project["facts"]] == [120_000_000]


def test_a_known_investor_and_zone_are_linked_and_the_project_is_the_graphs():
    text = "Tập đoàn LG tiếp tục đầu tư 500 triệu USD vào các khu công nghiệp, khu kinh tế Hải Phòng."
    p = entities(text)
    assert by_quote(p, "Tập đoàn LG", "organisation")["iri"] == ID + "org/tap-doan-lg"
    project = next(e for e in p["entities"] if e["kind"] == "project")
    assert at(p, project["zone"], "zone")["iri"] == ID + "zone/kcn-kkt-hai-phong"
    assert project["iri"] == ID + "project/du-an-tap-doan-lg-tai-hai-phong" and project["status"] == "known"


def test_short_names_only_as_written():
    # "LG" of the graph is matched with its case and word boundaries, not inside other words
    p = entities("Nhà máy của LG tại Hải Phòng hoạt động ổn định. Công nghệ bulgari không liên quan.")
    orgs = [e for e in p["entities"] if e["kind"] == "organisation"]
    assert [(o["quote"], o["iri"]) for o in orgs] == [("LG", ID + "org/tap-doan-lg")]


def test_a_country_investing_is_not_an_organisation():
    p = entities("Nhật Bản đầu tư mạnh vào Hải Phòng.")
    assert not [e for e in p["entities"] if e["kind"] in ("organisation", "project")]


def test_org_keys_meet_across_legal_forms():
    assert org_key("Tập đoàn LG") == org_key("LG Group") == org_key("LG") == "lg"
    assert org_key("Công ty TNHH LG Display Việt Nam Hải Phòng") == "lg display viet nam hai phong"


def test_the_source_articles_investor_and_zones_are_found_and_linked():
    p = entities(ARTICLE.read_text(encoding="utf-8"))
    iris = {(e["kind"], e["iri"]) for e in p["entities"]}
    assert ("organisation", ID + "org/tap-doan-lg") in iris
    assert ("organisation", ID + "org/ban-quan-ly-khu-kinh-te-hai-phong") in iris
    assert ("zone", ID + "zone/kcn-kkt-hai-phong") in iris
    assert ("zone", ID + "zone/kkt-ven-bien-phia-nam-hai-phong") in iris
    [project] = [e for e in p["entities"] if e["kind"] == "project"]
    assert project["iri"] == ID + "project/du-an-tap-doan-lg-tai-hai-phong"
    assert at(p, project["investor"], "organisation")["iri"] == ID + "org/tap-doan-lg"
    [capital] = [f for f in p["facts"] if f["start"] in project["facts"]]
    assert capital["quote"] == "10,59 tỷ USD" and capital["qualifier"] == "lower-bound"
