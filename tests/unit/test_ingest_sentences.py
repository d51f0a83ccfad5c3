"""hpkg.ingest.sentences: the Vietnamese-aware splitting rules, with offsets."""

from __future__ import annotations

import pytest

from hpkg.ingest.sentences import sentence_at, split_sentences
from hpkg.project import shipped_root


def texts(text):
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("TP. Hải Phòng có 15 KCN. Tỉnh bên cạnh có 10.", ["TP. Hải Phòng có 15 KCN.", "Tỉnh bên cạnh có 10."]),
    ("TS. Nguyễn Văn An và Th.S Lê Thị Bình phát biểu. Sau đó hội nghị bế mạc.",
     ["TS. Nguyễn Văn An và Th.S Lê Thị Bình phát biểu.", "Sau đó hội nghị bế mạc."]),
    ("Doanh thu đạt 4,35 tỷ USD. Lao động là 210.000 người.", ["Doanh thu đạt 4,35 tỷ USD.", "Lao động là 210.000 người."]),
    ("Vốn đạt 1.950,55 triệu USD. Tăng 5%.", ["Vốn đạt 1.950,55 triệu USD.", "Tăng 5%."]),
    ("U.S. investors came. They stayed.", ["U.S. investors came.", "They stayed."]),
    ("Các thị trường Hàn Quốc, Nhật Bản… giúp kết nối. Kết quả tốt.",
     ["Các thị trường Hàn Quốc, Nhật Bản… giúp kết nối.", "Kết quả tốt."]),
    ("Còn nhiều việc... Năm sau sẽ tốt hơn.", ["Còn nhiều việc...", "Năm sau sẽ tốt hơn."]),
    ("Ông nói: “Năm nay tăng 4,35%.” Bà đồng ý.", ["Ông nói: “Năm nay tăng 4,35%.”", "Bà đồng ý."]),
    ("“Chúng tôi cố gắng”, ông Kiên nói. Hết.", ["“Chúng tôi cố gắng”, ông Kiên nói.", "Hết."]),
    ("Mr. Smith visited Hai Phong. Dr. Lee too!", ["Mr. Smith visited Hai Phong.", "Dr. Lee too!"]),
    ("Có thật vậy không? Có.", ["Có thật vậy không?", "Có."]),
    ("Tiêu đề không dấu chấm\nĐoạn đầu tiên.", ["Tiêu đề không dấu chấm", "Đoạn đầu tiên."]),
    ("Một câu bị ngắt dòng\nở giữa chừng.", ["Một câu bị ngắt dòng\nở giữa chừng."]),
])
def test_rules(text, expected):
    assert texts(text) == expected


def test_offsets_paragraphs_and_indices():
    text = "  Câu một. Câu hai.\n\nĐoạn hai, câu một.\n"
    ss = split_sentences(text)
    assert [(s.paragraph, s.index) for s in ss] == [(1, 1), (1, 2), (2, 1)]
    for s in ss:
        assert text[s.start:s.end] == s.text
    assert sentence_at(ss, text.index("hai,")).text == "Đoạn hai, câu một."
    assert sentence_at(ss, 0) is None


def test_the_source_articles_evidence_sentences():
    """The curated evidence quotes are the article's sentences: the splitter finds each, numbered alike."""
    from hpkg.build import build
    from hpkg.project import shipped_only
    from hpkg.store import OxigraphStore

    store = OxigraphStore(None)
    build(store, project=shipped_only(), validate=False)
    rows = store.query("""
        PREFIX hpkg: <https://w3id.org/hpkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?p ?s ?v WHERE { ?q a hpkg:EvidenceQuote ; hpkg:paragraph ?p ; hpkg:sentence ?s ; prov:value ?v }
    """).rows()
    assert rows
    article = (shipped_root() / "sources" / "000_60cf227c69ab6101.txt").read_text(encoding="utf-8")
    found = {(s.paragraph, s.index): s.text for s in split_sentences(article)}
    for r in rows:
        assert found[(int(r["p"].value), int(r["s"].value))] == r["v"].value
