"""Mapping the names the FIA prints to the graph's units, countries and sectors — matched, never guessed.

* Provinces: the 63 units of the General Statistics Office's list in force until 30 June 2025
  (``vietnamadminunits``, as :func:`hpkg.opendata.reference.admin_units` reads it), matched on the project's
  Vietnamese normalisation (:func:`hpkg.opendata.normalize.normalize`: "TP. Hồ Chí Minh" -> ``ho chi minh``).
  "Dầu khí" (offshore oil and gas) is an area of its own, not a province.
* Partners: ISO 3166-1 (``pycountry``), by its English names and its bundled Vietnamese translations, which are
  not the FIA's ("Cộng hoà Nam Hàn" where the FIA writes "Hàn Quốc", "Mỹ" for "Hoa Kỳ"): :data:`PARTNER_ALIASES`
  is the hand table for exactly the names they miss.
* Sectors: the sections of the Vietnamese standard industrial classification (VSIC 2018, Decision
  27/2018/QĐ-TTg), by the names the reports give them (:data:`SECTIONS`, :data:`SECTOR_ALIASES`).

A name none of these match is ``None``: the importer rejects its row into the report.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache

from hpkg.iri import slugify
from hpkg.opendata.normalize import fold_lower, normalize

#: The offshore oil and gas area the reports list among the provinces ("Dầu khí").
OIL_AND_GAS = "dau-khi"

#: Province names the reports print that the official list does not carry (historical or short forms).
PROVINCE_ALIASES: dict[str, str] = {
    "thua thien hue": "46",  # Thừa Thiên Huế province until 2024; the list names it "Thành phố Huế"
    "hue": "46",
}

#: Partner names (folded as :func:`fold_lower` does) that pycountry's English and Vietnamese names miss, with
#: their ISO 3166-1 alpha-3 code. Each entry was checked against the report row it comes from.
PARTNER_ALIASES: dict[str, str] = {
    # the FIA's Vietnamese names where pycountry's translation differs ("Cộng hoà Nam Hàn", "Mỹ", "Đức" …)
    "han quoc": "KOR", "hoa ky": "USA", "nhat ban": "JPN", "dai loan": "TWN", "ha lan": "NLD", "chlb duc": "DEU",
    "tho nhi ky": "TUR", "italia": "ITA", "vuong quoc anh": "GBR", "thuy sy": "CHE", "campuchia": "KHM",
    "cong hoa sip": "CYP", "ukraina": "UKR", "libang": "LBN", "li bang": "LBN", "cong hoa sec": "CZE",
    "rumani": "ROU", "ru ma ni": "ROU", "cong hoa trung phi": "CAF", "lao": "LAO", "chdcnd trieu tien": "PRK",
    "litva": "LTU", "ma roc": "MAR", "trinidad va tobago": "TTO", "a rap xe ut": "SAU", "somali": "SOM",
    # English names pycountry spells otherwise ("Virgin Islands, U.S.", "Cabo Verde", "Eswatini" …)
    "united states virgin islands": "VIR", "cape verde": "CPV", "democratic republic of the congo": "COD",
    "palestine": "PSE", "st vincent the grenadines": "VCT", "swaziland": "SWZ", "turks caicos islands": "TCA",
}

#: Partner names that are not one country or territory: rejected with this reason.
NOT_A_PARTNER: dict[str, str] = {
    "british west indies": "a former federation of several territories, not one ISO 3166-1 entry",
    "cac nuoc khac": "'other countries', an aggregate, not one partner",
    "khac": "'other', an aggregate, not one partner",
    "british isles": "an island group of several states, not one ISO 3166-1 entry",
    "channel islands": "Jersey and Guernsey together, two ISO 3166-1 entries",
    "island of nevis": "an island of Saint Kitts and Nevis, not its own ISO 3166-1 entry",
}

#: Territories (ISO 3166-1 entries the reports list as partners that are not sovereign countries).
TERRITORIES = frozenset({"HKG", "MAC", "TWN", "VGB", "CYM", "VIR", "AIA", "BMU", "GIB", "IMN", "JEY", "GGY", "PRI",
                         "GUM", "NCL", "PYF", "TCA", "MSR", "CUW", "ABW", "COK", "NIU", "GRL", "FRO", "PSE", "ESH",
                         "MNP", "ASM", "REU", "GLP", "MTQ", "GUF", "MYT", "SXM", "BES", "WLF", "SHN", "FLK"})

#: VSIC 2018 sections: letter -> (Vietnamese name, English name).
SECTIONS: dict[str, tuple[str, str]] = {
    "A": ("Nông nghiệp, lâm nghiệp và thủy sản", "Agriculture, forestry and fishing"),
    "B": ("Khai khoáng", "Mining and quarrying"),
    "C": ("Công nghiệp chế biến, chế tạo", "Manufacturing"),
    "D": ("Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí",
          "Electricity, gas, steam and air conditioning supply"),
    "E": ("Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải",
          "Water supply; sewerage, waste management and remediation activities"),
    "F": ("Xây dựng", "Construction"),
    "G": ("Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác",
          "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    "H": ("Vận tải kho bãi", "Transportation and storage"),
    "I": ("Dịch vụ lưu trú và ăn uống", "Accommodation and food service activities"),
    "J": ("Thông tin và truyền thông", "Information and communication"),
    "K": ("Hoạt động tài chính, ngân hàng và bảo hiểm", "Financial, banking and insurance activities"),
    "L": ("Hoạt động kinh doanh bất động sản", "Real estate activities"),
    "M": ("Hoạt động chuyên môn, khoa học và công nghệ", "Professional, scientific and technical activities"),
    "N": ("Hoạt động hành chính và dịch vụ hỗ trợ", "Administrative and support service activities"),
    "O": ("Hoạt động của Đảng Cộng sản, tổ chức chính trị - xã hội, quản lý nhà nước, an ninh quốc phòng; bảo "
          "đảm xã hội bắt buộc", "Activities of the Communist Party, socio-political organisations, public "
          "administration and defence; compulsory social security"),
    "P": ("Giáo dục và đào tạo", "Education and training"),
    "Q": ("Y tế và hoạt động trợ giúp xã hội", "Human health and social work activities"),
    "R": ("Nghệ thuật, vui chơi và giải trí", "Arts, entertainment and recreation"),
    "S": ("Hoạt động dịch vụ khác", "Other service activities"),
    "T": ("Hoạt động làm thuê các công việc trong các hộ gia đình, sản xuất sản phẩm vật chất và dịch vụ tự tiêu "
          "dùng của hộ gia đình", "Activities of households as employers and for own use"),
    "U": ("Hoạt động của các tổ chức và cơ quan quốc tế", "Activities of extraterritorial organisations and bodies"),
}

#: The reports' own (shortened or misspelt) sector names, folded, -> VSIC section.
SECTOR_ALIASES: dict[str, str] = {
    "nong nghiep lam nghiep va thuy san": "A", "nong nghiep lam nghiep va thuy hai san": "A",
    "khai khoang": "B", "cong nghiep che bien che tao": "C",
    "san xuat phan phoi dien khi nuoc dieu hoa": "D", "san xuat phan phoi dien khi nuoc dieu hoa khong khi": "D",
    "cap nuoc va xu ly chat thai": "E", "cap nuoc xu ly chat thai": "E", "xay dung": "F",
    "ban buon va ban le sua chua o to mo to xe may": "G", "ban buon ban le sua chua o to mo to xe may": "G",
    "van tai kho bai": "H", "dich vu luu tru va an uong": "I", "thong tin va truyen thong": "J",
    "hoat dong tai chinh ngan hang va bao hiem": "K", "hoat dong kinh doanh bat dong san": "L",
    "hoat dong chuyen mon khoa hoc cong nghe": "M", "hoat dong chuyen mon khoa hoc va cong nghe": "M",
    "hoat dong hanh chinh va dich vu ho tro": "N", "giao duc va dao tao": "P",
    "y te va hoat dong tro giup xa hoi": "Q", "y te va hoat dong tro giup xa hoi ": "Q",
    "nghe thuat vui choi va giai tri": "R", "hoat dong dich vu khac": "S",
    "hoat dong lam thue cac cong viec trong cac ho gia dinh": "T",
    "hoat dong lam thue cac cong viec trong cac ho gia dinh san xuat san pham vat chat va dich vu tu tieu dung "
    "cua ho gia dinh": "T",
}


@dataclass(frozen=True)
class Unit:
    """A pre-2025 province-level unit of the GSO list: code, official name, short name."""

    code: str
    name: str
    short: str

    @property
    def slug(self) -> str:
        return slugify(self.short)


@dataclass(frozen=True)
class Partner:
    """An ISO 3166-1 country or territory."""

    alpha3: str
    alpha2: str
    numeric: str
    name_en: str
    name_vi: str

    @property
    def territory(self) -> bool:
        return self.alpha3 in TERRITORIES


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """The 63 pre-2025 units by code."""
    from hpkg.opendata.reference import admin_units

    return {c.notation: Unit(c.notation, c.labels[0], c.labels[1]) for c in admin_units() if c.scheme == "dvhc63"}


@lru_cache(maxsize=1)
def _unit_keys() -> dict[str, str]:
    out: dict[str, str] = dict(PROVINCE_ALIASES)
    for code, u in units().items():
        for label in (u.name, u.short):
            for key in normalize(label).keys:
                out.setdefault(key, code)
    return out


def match_province(name: str) -> str | None:
    """The GSO code of the pre-2025 unit a printed name stands for; ``OIL_AND_GAS`` for "Dầu khí"; else None."""
    folded = fold_lower(name)
    if folded in ("dau khi", "dau khi ngoai khoi"):
        return OIL_AND_GAS
    keys = _unit_keys()
    for key in normalize(name).keys:
        if key in keys:
            return keys[key]
    return None


@lru_cache(maxsize=1)
def partners() -> dict[str, Partner]:
    """ISO 3166-1 entries by alpha-3, with pycountry's Vietnamese name (its English one when it has none)."""
    import pycountry

    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    out = {}
    for c in pycountry.countries:
        name_en = getattr(c, "common_name", None) or c.name
        out[c.alpha_3] = Partner(c.alpha_3, c.alpha_2, c.numeric, name_en, vi.gettext(c.name))
    return out


@lru_cache(maxsize=1)
def _partner_keys() -> dict[str, str]:
    import pycountry

    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    out: dict[str, str] = {}
    for c in pycountry.countries:
        names = [c.name, vi.gettext(c.name)] + [getattr(c, a) for a in ("official_name", "common_name")
                                                  if getattr(c, a, None)]
        for n in names:
            key = fold_lower(n)
            out.setdefault(key, c.alpha_3)
            out.setdefault(key.replace(" ", ""), c.alpha_3)
    for key, code in PARTNER_ALIASES.items():
        out[key] = code
        out[key.replace(" ", "")] = code
    return out


def match_partner(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a printed partner name, or None."""
    key = fold_lower(name)
    keys = _partner_keys()
    return keys.get(key) or keys.get(key.replace(" ", ""))


def not_a_partner(name: str) -> str | None:
    """Why a printed partner name is no single partner (an aggregate), or None."""
    return NOT_A_PARTNER.get(fold_lower(name))


@lru_cache(maxsize=1)
def _sector_keys() -> dict[str, str]:
    out = {fold_lower(vi): letter for letter, (vi, _) in SECTIONS.items()}
    out.update({k.strip(): v for k, v in SECTOR_ALIASES.items()})
    return out


def match_sector(name: str) -> str | None:
    """The VSIC 2018 section letter of a printed sector name, or None."""
    return _sector_keys().get(fold_lower(name))
