"""The words of the HTML pages in Vietnamese and English."""

from __future__ import annotations

from starlette.requests import Request

from hpkg.server.negotiate import choose_language

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "site": "Đồ thị tri thức khu kinh tế Hải Phòng",
        "query": "Truy vấn",
        "ontology": "Bản thể học",
        "endpoint": "Điểm truy vấn SPARQL",
        "examples": "Câu hỏi mẫu",
        "run": "Chạy truy vấn",
        "results": "Kết quả",
        "download": "Tải về",
        "chart": "Biểu đồ",
        "rows": "dòng",
        "row": "dòng",
        "types": "Loại",
        "properties": "Thuộc tính",
        "property": "Thuộc tính",
        "value": "Giá trị",
        "linked_from": "Được liên kết từ",
        "observations": "Số liệu",
        "indicator": "Chỉ tiêu",
        "period": "Kỳ",
        "unit": "Đơn vị",
        "qualifier": "Mức độ",
        "percent_of_plan": "% kế hoạch",
        "source": "Nguồn (câu trích)",
        "evidence": "Câu trích dẫn làm bằng chứng",
        "provenance": "Nguồn gốc",
        "raw": "Dữ liệu RDF",
        "not_found": "Không tìm thấy",
        "not_found_text": "Không có thực thể nào với IRI này trong đồ thị.",
        "classes": "Lớp",
        "object_properties": "Thuộc tính đối tượng",
        "datatype_properties": "Thuộc tính dữ liệu",
        "annotation_properties": "Thuộc tính chú thích",
        "subclass_of": "Lớp con của",
        "domain": "Miền",
        "range": "Giá trị",
        "language": "Ngôn ngữ",
        "editor_help": "Viết truy vấn SPARQL hoặc chọn một câu hỏi mẫu.",
        "x_axis": "Trục ngang",
        "y_axis": "Cột số liệu",
        "no_chart": "Kết quả không có cột số để vẽ.",
        "running": "Đang chạy…",
        "error": "Lỗi",
        "health": "Tình trạng",
        "iri": "IRI",
    },
    "en": {
        "site": "Hai Phong economic-zone knowledge graph",
        "query": "Query",
        "ontology": "Ontology",
        "endpoint": "SPARQL endpoint",
        "examples": "Example questions",
        "run": "Run query",
        "results": "Results",
        "download": "Download",
        "chart": "Chart",
        "rows": "rows",
        "row": "row",
        "types": "Types",
        "properties": "Properties",
        "property": "Property",
        "value": "Value",
        "linked_from": "Linked from",
        "observations": "Figures",
        "indicator": "Indicator",
        "period": "Period",
        "unit": "Unit",
        "qualifier": "Qualifier",
        "percent_of_plan": "% of plan",
        "source": "Source (quoted sentence)",
        "evidence": "Evidence sentences",
        "provenance": "Provenance",
        "raw": "RDF data",
        "not_found": "Not found",
        "not_found_text": "There is no entity with this IRI in the graph.",
        "classes": "Classes",
        "object_properties": "Object properties",
        "datatype_properties": "Datatype properties",
        "annotation_properties": "Annotation properties",
        "subclass_of": "Subclass of",
        "domain": "Domain",
        "range": "Range",
        "language": "Language",
        "editor_help": "Write a SPARQL query or pick an example question.",
        "x_axis": "Category",
        "y_axis": "Number columns",
        "no_chart": "The result has no number column to draw.",
        "running": "Running…",
        "error": "Error",
        "health": "Health",
        "iri": "IRI",
    },
}


def page_language(request: Request) -> str:
    """``?lang=vi|en`` when given, else the best of ``Accept-Language``, else Vietnamese."""
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    return choose_language(request.headers.get("accept-language"), list(LANGUAGES), DEFAULT_LANGUAGE)
