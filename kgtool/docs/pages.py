"""kgtool's own documentation pages: overview, vocabularies and individuals, query catalog, quality rules.

pyLODE documents classes and properties but not named individuals, and the heart of this ontology is
individuals (the five legitimacy types with Table 1, the three strategies, the controlled vocabularies), so
they get a page of their own here, bilingual like the ontology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.check.quality import Rule
from kgtool.docs.html import anchor, esc, page, table, term_text
from kgtool.rdf.labels import best_labels, compact
from kgtool.rdf.namespaces import DCTERMS, OWL, RDF_TYPE, RDFS, RDFS_LABEL, SKOS
from kgtool.reasoning.explanation import individuals
from kgtool.sparql.catalog import CatalogQuery

#: Shown in an entry's heading or omitted, so not repeated in its table of properties.
_SHOWN_APART = {RDF_TYPE, RDFS_LABEL, SKOS + "definition", RDFS + "isDefinedBy", SKOS + "inScheme"}


@dataclass
class OntologySummary:
    """The facts the overview shows about the ontology."""

    iri: str
    title: str
    description: str
    version: str
    license: str
    counts: dict[str, int]


def summarize(quads: Sequence[ox.Quad], main: str) -> OntologySummary:
    """Title, description, version, license and term counts of the ontology whose IRI is ``main``."""

    def literal(predicate: str) -> str:
        values = [q.object for q in quads if q.subject.value == main and q.predicate.value == predicate]
        return best_labels(((main, value) for value in values), "en").get(main, "")

    kinds = {"classes": OWL + "Class", "object properties": OWL + "ObjectProperty"}
    kinds |= {"datatype properties": OWL + "DatatypeProperty", "annotation properties": OWL + "AnnotationProperty"}
    counts = {
        name: len({q.subject for q in quads if q.predicate.value == RDF_TYPE and q.object.value == kind})
        for name, kind in kinds.items()
    }
    counts["named individuals"] = len(individuals(quads))
    return OntologySummary(
        iri=main,
        title=literal(DCTERMS + "title") or literal(RDFS_LABEL) or main,
        description=literal(DCTERMS + "description"),
        version=literal(OWL + "versionInfo"),
        license=literal(DCTERMS + "license"),
        counts=counts,
    )


def index_page(summary: OntologySummary, extra_counts: dict[str, int], downloads: Sequence[str]) -> str:
    """The overview: what the ontology is, links to every page, the files to open in Protégé."""
    counts = {**summary.counts, **extra_counts}
    files = "".join(f'<li><a href="ontology/{esc(name)}">{esc(name)}</a></li>' for name in downloads)
    body = f"""<h1>{esc(summary.title)}</h1>
<p>{esc(summary.description)}</p>
<p>Ontology IRI <code>{esc(summary.iri)}</code> · version {esc(summary.version or "—")} ·
license <a href="{esc(summary.license)}">{esc(summary.license or "—")}</a></p>
{table(["what", "how many"], [[esc(k), str(v)] for k, v in counts.items()])}
<h2>Pages</h2>
<ul>
<li><a href="ontology.html">Ontology</a>: classes and properties (pyLODE), in English;
<a href="ontology-es.html">en español</a></li>
<li><a href="vocabularies.html">Vocabularies &amp; individuals</a>: legitimacy types (Table 1), development
strategies and every controlled vocabulary, in English and Spanish</li>
<li><a href="shapes.html">Shapes</a>: what each SHACL shape requires of submitted records, with its messages</li>
<li><a href="queries.html">Query catalog</a>: the competency questions, their parameters and SPARQL</li>
<li><a href="quality.html">Quality rules</a>: what <code>kgtool check</code> reports, at which level</li>
</ul>
<h2>Ontology files</h2>
<p>Open <code>sal.ttl</code> in Protégé with <code>catalog-v001.xml</code> beside it: the imports resolve to
these files, with no network.</p>
<ul>{files}</ul>"""
    return page("index.html", summary.title, body)


def _schemes(quads: Sequence[ox.Quad]) -> dict[str, list[str]]:
    """Concept scheme -> its members (skos:inScheme, its sub-properties, skos:topConceptOf)."""
    membership = {SKOS + "inScheme", SKOS + "topConceptOf"}
    membership |= {
        q.subject.value for q in quads if q.predicate.value == RDFS + "subPropertyOf" and q.object.value in membership
    }
    schemes = {
        q.subject.value: set()
        for q in quads
        if q.predicate.value == RDF_TYPE
        and q.object.value == SKOS + "ConceptScheme"
        and isinstance(q.subject, ox.NamedNode)
    }
    for q in quads:
        if q.predicate.value in membership and q.object.value in schemes:
            schemes[q.object.value].add(q.subject.value)
    return {scheme: sorted(members) for scheme, members in schemes.items()}


def _entry(iri: str, quads_by_subject: dict[str, list[ox.Quad]], labels: dict[str, str], local: set[str]) -> str:
    """One individual: labels and definitions in each language, types, then its other properties."""
    own = quads_by_subject.get(iri, [])

    def values(predicate: str) -> list:
        return [q.object for q in own if q.predicate.value == predicate]

    names = " · ".join(term_text(v, labels, set()) for v in values(RDFS_LABEL))
    types = ", ".join(term_text(t, labels, local) for t in values(RDF_TYPE) if t.value != OWL + "NamedIndividual")
    definitions = "".join(f"<p>{term_text(d, labels, set())}</p>" for d in values(SKOS + "definition"))
    rows = {}
    for q in own:
        if q.predicate.value not in _SHOWN_APART:
            rows.setdefault(q.predicate.value, []).append(term_text(q.object, labels, local))
    details = table(
        ["property", "values"],
        [[esc(labels.get(p) or compact(p)), "<br>".join(cells)] for p, cells in sorted(rows.items())],
    )
    return (
        f'<section class="entry" id="{anchor(iri)}"><h3>{esc(labels.get(iri) or compact(iri))}</h3>'
        f'<p>{names} <span class="iri">{esc(compact(iri))}</span> · {types}</p>{definitions}'
        f"{details if rows else ''}</section>"
    )


def vocabularies_page(quads: Sequence[ox.Quad], labels: dict[str, str]) -> str:
    """Every concept scheme with its members, then the named individuals in no scheme."""
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            by_subject.setdefault(q.subject.value, []).append(q)
    schemes = _schemes(quads)
    named = individuals(quads)
    local = named | set(schemes)

    def by_label(iris):
        return sorted(iris, key=lambda iri: (labels.get(iri, compact(iri)).lower(), iri))

    parts = ["<h1>Vocabularies &amp; individuals</h1>", "<ul>"]
    parts += [f'<li><a href="#{anchor(s)}">{esc(labels.get(s) or compact(s))}</a></li>' for s in by_label(schemes)]
    parts.append("</ul>")
    for scheme in by_label(schemes):
        parts.append(f'<h2 id="{anchor(scheme)}">{esc(labels.get(scheme) or compact(scheme))}</h2>')
        parts.append(_entry(scheme, by_subject, labels, local))
        parts += [_entry(member, by_subject, labels, local) for member in by_label(schemes[scheme])]
    loose = named - set(schemes) - {m for members in schemes.values() for m in members}
    if loose:
        parts.append('<h2 id="other-individuals">Other named individuals</h2>')
        parts += [_entry(iri, by_subject, labels, local) for iri in by_label(loose)]
    return page("vocabularies.html", "Vocabularies & individuals", "\n".join(parts))


def queries_page(queries: dict[str, CatalogQuery]) -> str:
    """The query catalog: summary, description, parameters, how to run it, and its SPARQL."""
    parts = ["<h1>Query catalog</h1>", f"<p>{len(queries)} queries; run one with <code>kgtool query NAME</code>.</p>"]
    parts.append(
        table(
            ["query", "summary"], [[f'<a href="#q-{esc(n)}">{esc(n)}</a>', esc(q.summary)] for n, q in queries.items()]
        )
    )
    for name, query in queries.items():
        rows = [
            [f"<code>{esc(p.name)}</code>", "required" if p.required else "optional", esc(p.kind), esc(p.default or "")]
            for p in query.parameters
        ]
        params = table(["parameter", "", "type", "default"], rows) if rows else "<p>No parameters.</p>"
        example = " ".join(f"-p {p.name}=…" for p in query.parameters if p.required)
        parts.append(
            f'<section class="entry" id="q-{esc(name)}"><h2>{esc(name)}</h2>'
            f"<p><strong>{esc(query.summary)}</strong></p>"
            f"<p>{esc(query.description)}</p><p>Tags: {esc(', '.join(query.tags) or '—')}</p>{params}"
            f"<p><code>kgtool query {esc(name)} {esc(example)}</code></p>"
            f"<pre><code>{esc(query.text.strip())}</code></pre></section>"
        )
    return page("queries.html", "Query catalog", "\n".join(parts))


def quality_page(rules: Sequence[Rule], reasoner_levels: dict[str, str]) -> str:
    """The quality rules of ``kgtool check``: level, what each checks, and its SPARQL."""
    rows = [
        [f'<span class="level-{level}">{level}</span>', f"<code>{esc(name)}</code>", "HermiT (reasoner)"]
        for name, level in sorted(reasoner_levels.items())
    ]
    rows += [
        [
            f'<span class="level-{r.level}">{r.level}</span>',
            f'<a href="#r-{esc(r.name)}"><code>{esc(r.name)}</code></a>',
            esc(r.summary),
        ]
        for r in rules
    ]
    parts = [
        "<h1>Quality rules</h1>",
        "<p><code>kgtool check</code> runs HermiT, then each rule below; a rule reports every row its query "
        "returns (entity, property, value). Levels come from <code>queries/quality/profile.tsv</code>; "
        "<code>--fail-on</code> sets the level that fails the check.</p>",
        table(["level", "rule", "checks"], rows),
    ]
    for rule in rules:
        parts.append(
            f'<section class="entry" id="r-{esc(rule.name)}"><h2>{esc(rule.name)}</h2>'
            f'<p><span class="level-{rule.level}">{rule.level}</span> · {esc(rule.summary)}</p>'
            f"<p>{esc(rule.description)}</p><details><summary>SPARQL</summary>"
            f"<pre><code>{esc(rule.text.strip())}</code></pre></details></section>"
        )
    return page("quality.html", "Quality rules", "\n".join(parts))
