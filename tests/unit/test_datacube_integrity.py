"""The integrity constraints of the W3C RDF Data Cube Recommendation on the shipped graph.

W3C Recommendation of 16 January 2014, https://www.w3.org/TR/vocab-data-cube/: section 10 (normalization
algorithm: Phase 1 "type and property closure", Phase 2 "push down attachment levels", two SPARQL updates) and
section 11.1 (integrity constraints IC-1 … IC-21, each an ASK query that is true when the constraint is
violated). The built graph, every named graph merged into the default graph of an in-memory pyoxigraph store,
is normalized and every ASK must be false: a well-formed cube.

The queries are the Recommendation's text, unchanged but for the prefix declarations they assume (section 11.1:
rdf, rdfs, owl, xsd, qb, skos). IC-19 is two ASK queries in the Recommendation (code lists that are
skos:ConceptSchemes and skos:Collections), tested as IC-19a and IC-19b. IC-20 and IC-21 are templates with a
parameter ``$p``, to be instantiated for each parent-child property of a qb:HierarchicalCodeList found by the
Recommendation's instantiation query; with no hierarchical code list in the graph there is nothing to
instantiate, which the tests check (and a fixture of their own instantiates them, so the text is run).

Oxigraph runs the text as written. Two points where an engine's reading matters, both on IC-12: its ``FILTER``
stands before the sub-SELECT in the group (SPARQL applies a group's filters to the whole group, and Oxigraph
does), and ``MIN`` over booleans relies on SPARQL's ordering false < true (Oxigraph orders booleans so). The
Phase 1 and Phase 2 updates are each several operations separated by ``;``, run as one request.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import hpkg.project
from hpkg.build import build
from hpkg.store import OxigraphStore

PREFIXES = """\
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# ---------------------------------------------------------------- section 10: normalization algorithm

PHASE_1 = """\
PREFIX rdf:            <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX qb:             <http://purl.org/linked-data/cube#>

INSERT {
    ?o rdf:type qb:Observation .
} WHERE {
    [] qb:observation ?o .
};

INSERT {
    ?o  rdf:type qb:Observation .
    ?ds rdf:type qb:DataSet .
} WHERE {
    ?o qb:dataSet ?ds .
};

INSERT {
    ?s rdf:type qb:Slice .
} WHERE {
    [] qb:slice ?s.
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:DimensionProperty .
} WHERE {
    ?cs qb:dimension ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:MeasureProperty .
} WHERE {
    ?cs qb:measure ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:AttributeProperty .
} WHERE {
    ?cs qb:attribute ?p .
}
"""

PHASE_2 = """\
PREFIX qb:             <http://purl.org/linked-data/cube#>

# Dataset attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp ;
             qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [qb:component ?spec];
             ?comp ?value .
    ?obs     qb:dataSet ?dataset.
};

# Slice attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp;
             qb:componentAttachment qb:Slice .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
};

# Dimension values on slices
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp .
    ?comp a  qb:DimensionProperty .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
}
"""

# ---------------------------------------------------------------- section 11.1: integrity constraints

ICS = {
    "IC-1 Unique DataSet": """
ASK {
  {
    # Check observation has a data set
    ?obs a qb:Observation .
    FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . }
  } UNION {
    # Check has just one data set
    ?obs a qb:Observation ;
       qb:dataSet ?dataset1, ?dataset2 .
    FILTER (?dataset1 != ?dataset2)
  }
}""",
    "IC-2 Unique DSD": """
ASK {
  {
    # Check dataset has a dsd
    ?dataset a qb:DataSet .
    FILTER NOT EXISTS { ?dataset qb:structure ?dsd . }
  } UNION {
    # Check has just one dsd
    ?dataset a qb:DataSet ;
       qb:structure ?dsd1, ?dsd2 .
    FILTER (?dsd1 != ?dsd2)
  }
}""",
    "IC-3 DSD includes measure": """
ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] }
}""",
    "IC-4 Dimensions have range": """
ASK {
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?dim rdfs:range [] }
}""",
    "IC-5 Concept dimensions have code lists": """
ASK {
  ?dim a qb:DimensionProperty ;
       rdfs:range skos:Concept .
  FILTER NOT EXISTS { ?dim qb:codeList [] }
}""",
    "IC-6 Only attributes may be optional": """
ASK {
  ?dsd qb:component ?componentSpec .
  ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
                 qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty }
}""",
    "IC-7 Slice Keys must be declared": """
ASK {
    ?sliceKey a qb:SliceKey .
    FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey }
}""",
    "IC-8 Slice Keys consistent with DSD": """
ASK {
  ?slicekey a qb:SliceKey;
      qb:componentProperty ?prop .
  ?dsd qb:sliceKey ?slicekey .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] }
}""",
    "IC-9 Unique slice structure": """
ASK {
  {
    # Slice has a key
    ?slice a qb:Slice .
    FILTER NOT EXISTS { ?slice qb:sliceStructure ?key }
  } UNION {
    # Slice has just one key
    ?slice a qb:Slice ;
           qb:sliceStructure ?key1, ?key2;
    FILTER (?key1 != ?key2)
  }
}""",
    "IC-10 Slice dimensions complete": """
ASK {
  ?slice qb:sliceStructure [qb:componentProperty ?dim] .
  FILTER NOT EXISTS { ?slice ?dim [] }
}""",
    "IC-11 All dimensions required": """
ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty;
    FILTER NOT EXISTS { ?obs ?dim [] }
}""",
    "IC-12 No duplicate observations": """
ASK {
  FILTER( ?allEqual )
  {
    # For each pair of observations test if all the dimension values are the same
    SELECT (MIN(?equal) AS ?allEqual) WHERE {
        ?obs1 qb:dataSet ?dataset .
        ?obs2 qb:dataSet ?dataset .
        FILTER (?obs1 != ?obs2)
        ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty .
        ?obs1 ?dim ?value1 .
        ?obs2 ?dim ?value2 .
        BIND( ?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2
  }
}""",
    "IC-13 Required attributes": """
ASK {
    ?obs qb:dataSet/qb:structure/qb:component ?component .
    ?component qb:componentRequired "true"^^xsd:boolean ;
               qb:componentProperty ?attr .
    FILTER NOT EXISTS { ?obs ?attr [] }
}""",
    "IC-14 All measures present": """
ASK {
    # Observation in a non-measureType cube
    ?obs qb:dataSet/qb:structure ?dsd .
    FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }

    # verify every measure is present
    ?dsd qb:component/qb:componentProperty ?measure .
    ?measure a qb:MeasureProperty;
    FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-15 Measure dimension consistent": """
ASK {
    # Observation in a measureType-cube
    ?obs qb:dataSet/qb:structure ?dsd ;
         qb:measureType ?measure .
    ?dsd qb:component/qb:componentProperty qb:measureType .
    # Must have value for its measureType
    FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-16 Single measure on measure dimension observation": """
ASK {
    # Observation with measureType
    ?obs qb:dataSet/qb:structure ?dsd ;
         qb:measureType ?measure ;
         ?omeasure [] .
    # Any measure on the observation
    ?dsd qb:component/qb:componentProperty qb:measureType ;
         qb:component/qb:componentProperty ?omeasure .
    ?omeasure a qb:MeasureProperty .
    # Must be the same as the measureType
    FILTER (?omeasure != ?measure)
}""",
    "IC-17 All measures present in measures dimension cube": """
ASK {
  {
      # Count number of other measures found at each point
      SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
          {
              # Find the DSDs and check how many measures they have
              SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
                  ?dsd qb:component/qb:componentProperty ?m.
                  ?m a qb:MeasureProperty .
              } GROUP BY ?dsd
          }

          # Observation in measureType cube
          ?obs1 qb:dataSet/qb:structure ?dsd;
                qb:dataSet ?dataset ;
                qb:measureType ?m1 .

          # Other observation at same dimension value
          ?obs2 qb:dataSet ?dataset ;
                qb:measureType ?m2 .
          FILTER NOT EXISTS {
              ?dsd qb:component/qb:componentProperty ?dim .
              FILTER (?dim != qb:measureType)
              ?dim a qb:DimensionProperty .
              ?obs1 ?dim ?v1 .
              ?obs2 ?dim ?v2.
              FILTER (?v1 != ?v2)
          }

      } GROUP BY ?obs1 ?numMeasures
        HAVING (?count != ?numMeasures)
  }
}""",
    "IC-18 Consistent data set links": """
ASK {
    ?dataset qb:slice       ?slice .
    ?slice   qb:observation ?obs .
    FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . }
}""",
    "IC-19a Codes from code list (concept scheme)": """
ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
        qb:codeList ?list .
    ?list a skos:ConceptScheme .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
}""",
    "IC-19b Codes from code list (collection)": """
ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
        qb:codeList ?list .
    ?list a skos:Collection .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
}""",
}

#: IC-20 and IC-21: (instantiation query giving ?p, template ASK with $p)
TEMPLATES = {
    "IC-20 Codes from hierarchy": ("""
SELECT ?p WHERE {
    ?hierarchy a qb:HierarchicalCodeList ;
                 qb:parentChildProperty ?p .
    FILTER ( isIRI(?p) )
}""", """
ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
        qb:codeList ?list .
    ?list a qb:HierarchicalCodeList .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
}"""),
    "IC-21 Codes from hierarchy (inverse)": ("""
SELECT ?p WHERE {
    ?hierarchy a qb:HierarchicalCodeList;
                 qb:parentChildProperty ?pcp .
    FILTER( isBlank(?pcp) )
    ?pcp  owl:inverseOf ?p .
    FILTER( isIRI(?p) )
}""", """
ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
         qb:codeList ?list .
    ?list a qb:HierarchicalCodeList .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
}"""),
}


def normalize(store: ox.Store) -> None:
    """The Recommendation's normalization algorithm (section 10), Phase 1 then Phase 2, in place."""
    store.update(PHASE_1)
    store.update(PHASE_2)


def instances(store: ox.Store, name: str) -> list[str]:
    """IC-20/IC-21 instantiated, one ASK per parent-child property the instantiation query finds."""
    select, template = TEMPLATES[name]
    ps = [row["p"].value for row in store.query(PREFIXES + select)]
    return [template.replace("$p", p) for p in ps]


def violated(store: ox.Store, ask: str) -> bool:
    return bool(store.query(PREFIXES + ask))


@pytest.fixture(scope="module")
def normalized() -> ox.Store:
    """The built graph, all named graphs merged into the default graph of an in-memory store, normalized."""
    built = OxigraphStore(None)
    build(built, project=hpkg.project.shipped_only())
    store = ox.Store()
    store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in built.quads()])
    before = len(store)
    normalize(store)
    assert len(store) >= before
    return store


def test_the_graph_has_a_cube(normalized):
    """The constraints are not vacuous: there are observations, a data set and its structure."""
    n = next(iter(normalized.query(PREFIXES + "SELECT (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation ; qb:dataSet "
                                               "/ qb:structure / qb:component / qb:componentProperty ?p }")))["n"]
    assert int(n.value) > 0


@pytest.mark.parametrize("name", ICS)
def test_integrity_constraint(normalized, name):
    assert not violated(normalized, ICS[name]), f"{name} is violated"


@pytest.mark.parametrize("name", TEMPLATES)
def test_hierarchy_integrity_constraint(normalized, name):
    """IC-20 / IC-21: every instantiation is false (the graph has no hierarchical code list: none to run)."""
    for ask in instances(normalized, name):
        assert not violated(normalized, ask), f"{name} is violated"


# ---------------------------------------------------------------- the checks bite

CUBE = """
@prefix qb:   <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex:   <http://example.org/> .
ex:dsd a qb:DataStructureDefinition ;
    qb:component [ qb:dimension ex:area ] , [ qb:measure ex:value ] .
ex:area rdfs:range skos:Concept ; qb:codeList ex:areas .
ex:areas a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:north ; qb:parentChildProperty ex:narrower .
ex:north a skos:Concept ; ex:narrower ex:city .
ex:city a skos:Concept .
ex:ds a qb:DataSet ; qb:structure ex:dsd .
ex:o1 qb:dataSet ex:ds ; ex:area ex:city ; ex:value 1 .
"""


def fixture_store(extra: str = "") -> ox.Store:
    store = ox.Store()
    store.load((CUBE + extra).encode(), ox.RdfFormat.TURTLE)
    normalize(store)
    return store


def test_fixture_cube_is_well_formed():
    store = fixture_store()
    assert not any(violated(store, q) for q in ICS.values())
    asks = [a for name in TEMPLATES for a in instances(store, name)]
    assert len(asks) == 1 and not violated(store, asks[0])  # IC-20 instantiated for ex:narrower


@pytest.mark.parametrize("name, extra", [
    ("IC-4 Dimensions have range", "ex:sex a qb:DimensionProperty ."),
    ("IC-11 All dimensions required", "ex:o2 qb:dataSet ex:ds ; ex:value 2 ."),
    ("IC-12 No duplicate observations", "ex:o2 qb:dataSet ex:ds ; ex:area ex:city ; ex:value 2 ."),
    ("IC-14 All measures present", "ex:o2 qb:dataSet ex:ds ; ex:area ex:north ."),
    ("IC-1 Unique DataSet", "ex:o1 qb:dataSet ex:other ."),
])
def test_a_broken_cube_violates(name, extra):
    assert violated(fixture_store("@prefix ex: <http://example.org/> .\n" + extra), ICS[name])


def test_a_code_outside_the_hierarchy_violates_ic_20():
    store = fixture_store("@prefix ex: <http://example.org/> .\nex:o2 qb:dataSet ex:ds ; ex:area ex:elsewhere ; "
                          "ex:value 2 .")
    assert any(violated(store, a) for a in instances(store, "IC-20 Codes from hierarchy"))
