"""Parameters of named queries, in the grlc (BASIL) convention, and how values are bound to them.

A variable whose name starts with one underscore is a required parameter, with two an optional one; the
parameter's name is the part up to the next underscore, and what follows is a type hint, as grlc reads it::

    ?_year                a required parameter ``year``, bound as a plain literal ("2023")
    ?__partner            an optional parameter ``partner``; left out, the variable stays unbound
    ?_year_integer        an XSD datatype by its local name: "2023"^^xsd:integer
    ?_year_xsd_integer    PREFIX_DATATYPE: "2023"^^xsd:integer (the prefix as the query declares it)
    ?_province_iri        an IRI: <https://...>
    ?_name_vi             a two-letter language tag: "Hải Phòng"@vi
    ?_n_number            a number as written (integer, decimal or double by its form)
    ?_s_string, ?_s_literal   a plain literal, as with no hint

Binding is by substitution, as grlc does, but never by splicing the user's text: the query is split into
SPARQL tokens (comments, strings and IRIs are skipped whole), each parameter variable is replaced by the
*serialised RDF term* of the checked value (an N-Triples literal or IRI, escaped by pyoxigraph), and where a
bare term is not allowed the substitution keeps the query valid: in a SELECT projection ``?_year`` becomes
``("2023"^^xsd:integer AS ?_year)``, in ``GROUP BY``/``ORDER BY`` a bracketed expression. A parameter may not be
the target of ``AS`` or a ``VALUES`` variable (the query is rejected when it is read). The result is plain
SPARQL text, so the same binding runs on the embedded store and on any remote SPARQL endpoint.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from hpkg.errors import HpkgError
from hpkg.namespaces import PREFIXES

XSD_NS = PREFIXES["xsd"]

#: grlc's variable pattern: required (one underscore) or optional (two), name, type hint, user-defined part.
_PARAM_VAR = re.compile(r"^(?P<required>_{1,2})(?P<name>[^_]+)_?(?P<type>[a-zA-Z0-9]+)?_?(?P<userdefined>[a-zA-Z0-9]+)?.*$")

#: The XSD built-in datatypes a hint may name by their local name (``?_year_integer``).
XSD_DATATYPES = frozenset("""
    string normalizedString token language Name NCName NMTOKEN anyURI boolean decimal integer nonPositiveInteger
    negativeInteger long int short byte nonNegativeInteger unsignedLong unsignedInt unsignedShort unsignedByte
    positiveInteger float double date dateTime dateTimeStamp time duration dayTimeDuration yearMonthDuration
    gYear gYearMonth gMonth gMonthDay gDay hexBinary base64Binary
""".split())

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n\r]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
      | (?P<word>[A-Za-z_][\w.-]*(?::[\w.%-]*)?|:[\w.%-]*)
      | (?P<space>\s+)
      | (?P<other>.)''',
    re.VERBOSE | re.DOTALL,
)

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_TZ = r"(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])?"
_DATE = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}" + _TZ)
_DATETIME = re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?" + _TZ)
_GYEAR = re.compile(r"-?[0-9]{4,}" + _TZ)
_GYEARMONTH = re.compile(r"-?[0-9]{4,}-(?:0[1-9]|1[0-2])" + _TZ)
_LANG = re.compile(r"[a-zA-Z]{2}")
#: Integer subtypes and the bounds of their values (None: unbounded).
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


class ParameterError(HpkgError):
    """A parameter value that is missing, unknown or does not fit its type; or a badly declared parameter."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a query, read from the name of its variable."""

    name: str
    #: The variable's name without ``?`` (``_year_xsd_integer``).
    variable: str
    required: bool
    #: grlc's kind: ``string`` (a literal, maybe typed or tagged), ``iri`` or ``number``.
    kind: str
    #: The datatype IRI of a typed literal.
    datatype: str | None = None
    #: The language tag of a tagged literal.
    lang: str | None = None

    @property
    def type(self) -> str:
        """A short name of what the value must be: ``xsd:integer``, ``iri``, ``number``, ``@vi`` or ``string``."""
        if self.datatype:
            if self.datatype.startswith(XSD_NS):
                return "xsd:" + self.datatype[len(XSD_NS):]
            return self.datatype
        if self.lang:
            return "@" + self.lang
        return self.kind

    def describe(self) -> str:
        """``year (required, xsd:integer)``."""
        return f"{self.name} ({'required' if self.required else 'optional'}, {self.type})"

    def to_json(self) -> dict[str, object]:
        """The parameter as ``/api`` lists it."""
        out: dict[str, object] = {"name": self.name, "required": self.required, "type": self.type,
                                  "variable": "?" + self.variable}
        if self.datatype:
            out["datatype"] = self.datatype
        if self.lang:
            out["lang"] = self.lang
        return out

    def json_schema(self) -> dict[str, object]:
        """The OpenAPI 3 schema of the parameter's value."""
        if self.kind == "iri":
            return {"type": "string", "format": "iri"}
        if self.kind == "number":
            return {"type": "number"}
        local = self.datatype[len(XSD_NS):] if self.datatype and self.datatype.startswith(XSD_NS) else None
        if local in _INTEGER_RANGES:
            schema: dict[str, object] = {"type": "integer"}
            lo, hi = _INTEGER_RANGES[local]
            if lo is not None:
                schema["minimum"] = lo
            if hi is not None:
                schema["maximum"] = hi
            return schema
        if local in ("decimal", "float", "double"):
            return {"type": "number"}
        if local == "boolean":
            return {"type": "boolean"}
        if local == "date":
            return {"type": "string", "format": "date"}
        if local == "dateTime":
            return {"type": "string", "format": "date-time"}
        return {"type": "string"}

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for ``value``; :class:`ParameterError` when it does not fit the parameter's type."""
        if self.kind == "iri":
            try:
                node = ox.NamedNode(value)
            except ValueError as e:
                raise self._unfit(value, f"not an absolute IRI ({e})") from None
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
                raise self._unfit(value, "not an absolute IRI")
            return node
        if self.kind == "number":
            if _INTEGER.fullmatch(value):
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD_NS + "integer"))
            if _DECIMAL.fullmatch(value):
                return ox.Literal(value, datatype=ox.NamedNode(XSD_NS + "decimal"))
            if _DOUBLE.fullmatch(value):
                return ox.Literal(value, datatype=ox.NamedNode(XSD_NS + "double"))
            raise self._unfit(value, "not a number")
        if self.lang:
            return ox.Literal(value, language=self.lang.lower())
        if self.datatype:
            return ox.Literal(self._lexical(value), datatype=ox.NamedNode(self.datatype))
        return ox.Literal(value)

    def _lexical(self, value: str) -> str:
        """``value`` checked against an XSD datatype (integers in canonical form); other datatypes as given."""
        assert self.datatype is not None
        if not self.datatype.startswith(XSD_NS):
            return value
        local = self.datatype[len(XSD_NS):]
        if local in _INTEGER_RANGES:
            if not _INTEGER.fullmatch(value):
                raise self._unfit(value, "not an integer")
            n = int(value)
            lo, hi = _INTEGER_RANGES[local]
            if (lo is not None and n < lo) or (hi is not None and n > hi):
                raise self._unfit(value, f"out of range for xsd:{local}")
            return str(n)
        checks: dict[str, tuple[re.Pattern[str], str]] = {
            "decimal": (_DECIMAL, "not a decimal number"),
            "float": (_DOUBLE, "not a floating-point number"),
            "double": (_DOUBLE, "not a floating-point number"),
            "gYear": (_GYEAR, "not a year (YYYY)"),
            "gYearMonth": (_GYEARMONTH, "not a year and month (YYYY-MM)"),
            "date": (_DATE, "not a date (YYYY-MM-DD)"),
            "dateTime": (_DATETIME, "not a date and time (YYYY-MM-DDThh:mm:ss)"),
        }
        if local == "boolean":
            if value not in ("true", "false", "1", "0"):
                raise self._unfit(value, "not a boolean (true or false)")
            return value
        if local in checks:
            pattern, why = checks[local]
            if not pattern.fullmatch(value):
                raise self._unfit(value, why)
            if local in ("date", "dateTime"):
                try:
                    day = value.lstrip("-")[:10]
                    dt.date.fromisoformat(day)
                    if local == "dateTime":
                        dt.time.fromisoformat(value.lstrip("-")[11:19])
                except ValueError:
                    raise self._unfit(value, f"not a valid {local}") from None
        return value

    def _unfit(self, value: str, why: str) -> ParameterError:
        return ParameterError(f"parameter {self.name!r} ({self.type}): {value!r} is {why}")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokens(sparql: str) -> list[_Token]:
    return [_Token(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(sparql)]


def _prefixes(tokens: list[_Token]) -> dict[str, str]:
    """The query's ``PREFIX p: <iri>`` declarations."""
    out: dict[str, str] = {}
    sig = [t for t in tokens if t.kind not in ("space", "comment")]
    for i, t in enumerate(sig[:-2]):
        if t.kind == "word" and t.text.upper() == "PREFIX" and sig[i + 1].text.endswith(":") \
                and sig[i + 2].kind == "iri":
            out[sig[i + 1].text[:-1]] = sig[i + 2].text[1:-1]
    return out


def _parameter(variable: str, prefixes: Mapping[str, str]) -> Parameter | None:
    """The parameter a variable name declares, or ``None`` for an ordinary variable."""
    m = _PARAM_VAR.match(variable)
    if not m:
        return None
    name, mtype, user = m.group("name"), m.group("type"), m.group("userdefined")
    required = m.group("required") == "_"
    if mtype in ("number", "iri"):
        return Parameter(name, variable, required, mtype)
    if mtype in (None, "literal", "string"):
        return Parameter(name, variable, required, "string")
    if mtype in XSD_DATATYPES:
        return Parameter(name, variable, required, "string", datatype=XSD_NS + mtype)
    if len(mtype) == 2 and _LANG.fullmatch(mtype):
        return Parameter(name, variable, required, "string", lang=mtype.lower())
    if user:
        ns = prefixes.get(mtype) or (XSD_NS if mtype == "xsd" else None)
        if ns is None:
            raise ParameterError(f"?{variable}: the type hint's prefix {mtype!r} is not declared in the query")
        return Parameter(name, variable, required, "string", datatype=ns + user)
    return Parameter(name, variable, required, "string")


def parameters(sparql: str) -> dict[str, Parameter]:
    """The parameters of a query, by name, in order of first appearance.

    Raises :class:`ParameterError` when the query declares a parameter it cannot bind: the same name with two
    different types, a parameter as the target of ``AS`` or as a ``VALUES`` variable, inside ``BOUND()``, or a
    type hint with an undeclared prefix.
    """
    return dict(_analyse(sparql)[1])


@lru_cache(maxsize=256)
def _analyse(sparql: str) -> tuple[tuple[_Token, ...], tuple[tuple[str, Parameter], ...], tuple[tuple[str, str], ...]]:
    """The query's tokens, its parameters (name, parameter) and its parameter variables (variable, name); cached,
    so a named query is read once however often it is bound."""
    tokens = _tokens(sparql)
    prefixes = _prefixes(tokens)
    out: dict[str, Parameter] = {}
    variables: dict[str, str] = {}
    sig = [t for t in tokens if t.kind not in ("space", "comment")]
    in_values = False
    for i, t in enumerate(sig):
        if t.kind == "word" and t.text.upper() == "VALUES":
            in_values = True
            continue
        if in_values and t.text == "{":
            in_values = False
        if t.kind != "var":
            continue
        p = _parameter(t.text[1:], prefixes)
        if p is None:
            continue
        if i > 0 and sig[i - 1].kind == "word" and sig[i - 1].text.upper() == "AS":
            raise ParameterError(f"?{p.variable}: a parameter cannot be assigned (AS ?{p.variable}); "
                                 "bind another variable to it instead")
        if in_values:
            raise ParameterError(f"?{p.variable}: a parameter cannot be a VALUES variable")
        if i > 1 and sig[i - 1].text == "(" and sig[i - 2].text.upper() == "BOUND":
            raise ParameterError(f"?{p.variable}: BOUND() of a parameter cannot be bound to a value; test an "
                                 f"optional parameter with COALESCE(?x = ?{p.variable}, true) instead")
        seen = out.get(p.name)
        if seen is not None and (seen.kind, seen.datatype, seen.lang) != (p.kind, p.datatype, p.lang):
            raise ParameterError(f"parameter {p.name!r} is declared with two types: ?{seen.variable} and ?{p.variable}")
        if seen is None or (p.required and not seen.required):
            out[p.name] = p if seen is None else Parameter(p.name, seen.variable, True, p.kind, p.datatype, p.lang)
        variables[p.variable] = p.name
    return tuple(tokens), tuple(out.items()), tuple(variables.items())


def describe_all(params: Mapping[str, Parameter]) -> str:
    """``year (required, xsd:integer), partner (optional, string)`` or ``none``."""
    return ", ".join(p.describe() for p in params.values()) or "none"


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["year=2023", "partner=Nhật Bản"]`` -> a dict; ``NAME=VALUE`` is the only form."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: give NAME=VALUE")
        name = name.strip()
        if name in out:
            raise ParameterError(f"parameter {name!r} given twice")
        out[name] = value
    return out


def check_values(params: Mapping[str, Parameter], values: Mapping[str, str], what: str = "the query") -> dict[str, str]:
    """The serialised term of every given value; unknown or missing parameters and unfit values raise."""
    unknown = sorted(set(values) - set(params))
    listing = describe_all(params)
    if unknown:
        raise ParameterError(f"{what} has no parameter {', '.join(repr(u) for u in unknown)}; "
                             f"its parameters: {listing}")
    missing = [p.name for p in params.values() if p.required and not values.get(p.name)]
    if missing:
        raise ParameterError(f"{what} needs the parameter{'s' if len(missing) > 1 else ''} "
                             f"{', '.join(repr(m) for m in missing)}; its parameters: {listing}")
    return {name: str(params[name].term(v)) for name, v in values.items() if v}


def bind(sparql: str, values: Mapping[str, str], what: str = "the query") -> str:
    """``sparql`` with every parameter given in ``values`` replaced by its checked, serialised RDF term.

    An optional parameter not given (or given empty) stays a variable, so it is unbound. A query without
    parameters and no values comes back unchanged.
    """
    tokens, items, variables = _analyse(sparql)
    params = dict(items)
    if not params and not values:
        return sparql
    terms = check_values(params, values, what)
    by_var = {var: terms[name] for var, name in variables if name in terms}
    out: list[str] = []
    projection_depth: int | None = None  # paren depth of the SELECT clause being read
    modifier_depth: int | None = None  # paren depth of a GROUP BY / ORDER BY clause being read
    depth = 0
    prev = ""
    for t in tokens:
        word = t.text.upper() if t.kind == "word" else ""
        if word == "SELECT":
            projection_depth = depth
        elif word in ("WHERE", "FROM") or (t.text == "{" and projection_depth == depth):
            projection_depth = None
        if word == "BY" and prev in ("GROUP", "ORDER"):
            modifier_depth = depth
        elif modifier_depth is not None and (
            word in ("LIMIT", "OFFSET", "HAVING", "VALUES", "ORDER", "GROUP") or t.text == "}"
        ) and depth == modifier_depth:
            modifier_depth = None
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
        if t.kind == "var" and t.text[1:] in by_var:
            term = by_var[t.text[1:]]
            if projection_depth is not None and depth == projection_depth:
                out.append(f"({term} AS {t.text})")
            elif modifier_depth is not None and depth == modifier_depth:
                out.append(f"({term})")
            else:
                out.append(term)
        else:
            out.append(t.text)
        if t.kind not in ("space", "comment"):
            prev = word or t.text
    return "".join(out)


def query_form(sparql: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE): the first query-form keyword outside comments,
    strings and IRIs (``select`` when there is none)."""
    forms = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
    for t in _analyse(sparql)[0]:
        if t.kind == "word" and t.text.upper() in forms:
            return forms[t.text.upper()]
    return "select"
