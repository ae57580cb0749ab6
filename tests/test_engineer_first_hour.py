"""A knowledge engineer's first hour (issue 20): the typology recipe's steps are checked, the catalog follows a
version bump, and the documentation links stay inside the repository.

The engineer follows the recipe at the top of ontology/legitimacy.ttl in their own copy, forgets some steps, and
runs `kgtool check`: each forgotten step is one finding naming the term and what to do.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from conftest import ROOT, run_kgtool

SAL = "https://w3id.org/sal#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

NEW_TYPOLOGY = """
# --- the engineer's new typology (synthetic, for this test), with steps 2, 5, 6 and 7 forgotten
sal:SyntheticTypology2024
    a owl:NamedIndividual , skos:ConceptScheme , sal:LegitimacyTypology ;
    rdfs:label "synthetic typology"@en , "tipología sintética"@es ;
    skos:prefLabel "synthetic typology"@en , "tipología sintética"@es ;
    skos:definition "A synthetic typology for a test."@en ;
    rdfs:isDefinedBy <https://w3id.org/sal> .

sal:SyntheticRegulativeLegitimacy
    a owl:NamedIndividual , skos:Concept , sal:LegitimacyType ;
    rdfs:label "synthetic regulative legitimacy"@en , "legitimidad regulativa sintética"@es ;
    skos:prefLabel "synthetic regulative legitimacy"@en , "legitimidad regulativa sintética"@es ;
    skos:definition "A synthetic legitimacy type for a test."@en ;
    skos:inScheme sal:SyntheticTypology2024 ;
    skos:relatedMatch sal:PragmaticLegitimacy ;
    rdfs:isDefinedBy <https://w3id.org/sal> .
"""


def engineers_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    module = folder / "legitimacy.ttl"
    text = module.read_text(encoding="utf-8").replace(
        "owl:versionIRI <https://w3id.org/sal/legitimacy/0.1.0>",
        "owl:versionIRI <https://w3id.org/sal/legitimacy/0.2.0>",
    )
    module.write_text(text + NEW_TYPOLOGY, encoding="utf-8")
    return folder


def findings(done) -> set[tuple[str, str, str]]:
    rows = csv.DictReader(io.StringIO(done.stdout), delimiter="\t")
    return {(row["Rule Name"], row["Subject"], row["Value"]) for row in rows}


def test_the_forgotten_steps_of_the_typology_recipe_are_each_one_finding(tmp_path: Path):
    folder = engineers_copy(tmp_path)

    done = run_kgtool("check", "--ontology", str(folder), "--no-data", "--no-reasoning", "--format", "tsv")

    assert done.code == 1, done.stderr
    found = findings(done)
    rules = {rule for rule, _, _ in found}
    assert {
        "legitimacy-type-without-typology",
        "legitimacy-type-not-all-different",
        "undeclared-property",
        "catalog-mismatch",
    } <= rules
    new_type = SAL + "SyntheticRegulativeLegitimacy"
    assert ("legitimacy-type-without-typology", new_type, "") in found
    assert any(r == "legitimacy-type-not-all-different" and s == new_type for r, s, _ in found)
    assert any(r == "undeclared-property" and s == SKOS + "relatedMatch" for r, s, _ in found)
    catalog = {(subject, value) for rule, subject, value in found if rule == "catalog-mismatch"}
    assert any("legitimacy/0.2.0" in s and "does not map it to legitimacy.ttl" in v for s, v in catalog)
    assert any("legitimacy/0.1.0" in s and "no module declares it" in v for s, v in catalog)
    # what the engineer does next: the steps the findings name, then the check passes on the recipe's rules
    module = folder / "legitimacy.ttl"
    text = module.read_text(encoding="utf-8").replace(
        "    skos:inScheme sal:SyntheticTypology2024 ;",
        "    skos:inScheme sal:SyntheticTypology2024 ;\n    sal:inTypology sal:SyntheticTypology2024 ;",
    )
    text = text.replace(
        "sal:KumarDasCognitiveLegitimacy ) .",
        "sal:KumarDasCognitiveLegitimacy\n        sal:SyntheticRegulativeLegitimacy ) .",
    )
    module.write_text(text + "\nskos:relatedMatch a owl:ObjectProperty .\n", encoding="utf-8")
    catalog_file = folder / "catalog-v001.xml"
    catalog_file.write_text(catalog_file.read_text(encoding="utf-8").replace("legitimacy/0.1.0", "legitimacy/0.2.0"))
    fixed = run_kgtool("check", "--ontology", str(folder), "--no-data", "--no-reasoning", "--format", "tsv")
    recipe = {"legitimacy-type-without-typology", "legitimacy-type-not-all-different", "undeclared-property"}
    assert not {rule for rule, _, _ in findings(fixed)} & (recipe | {"catalog-mismatch"}), fixed.stdout


LINK = re.compile(r"\]\(([^)#\s]+)[^)]*\)|`(\.\./[^`\s]+)`")


def test_the_documentation_links_only_to_files_inside_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "shapes").glob("*.md"))]
    outside = []
    for page in pages:
        for match in LINK.finditer(page.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            if re.match(r"[a-z]+:", target):  # a web address, not a file
                continue
            resolved = (page.parent / target).resolve()
            if not resolved.is_relative_to(ROOT.resolve()) or not resolved.exists():
                outside.append(f"{page.relative_to(ROOT)}: {target}")
    assert outside == []


def _line_of(text: str, where: str) -> str:
    """The text of the line a ``FILE:LINE: …`` explanation points at."""
    file, line = re.match(r"\s*(\S+?):(\d+): ", where).groups()
    return Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def _explained(stdout: str, subject: str) -> list[str]:
    """The explanation lines under ``why SUBJECT`` in the check's table output."""
    lines = stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"  why {subject}"))
    found = []
    for line in lines[start + 1 :]:
        if not re.match(r"    \S+:\d+: ", line):
            break
        found.append(line.strip())
    return found


def test_an_unsatisfiable_class_is_explained_by_its_axioms_with_file_and_line(tmp_path: Path):
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    with (folder / "sal.ttl").open("a", encoding="utf-8") as module:
        module.write("\nsal:MiningCompany owl:disjointWith sal:Company .\n")  # the engineer's mistake

    done = run_kgtool("check", "--ontology", str(folder))

    assert done.code == 1
    why = _explained(done.stdout, "mining company (sal:MiningCompany)")
    assert [line.split(": ", 1)[1] for line in why[:2]] == [
        "sal:MiningCompany rdfs:subClassOf sal:Company",
        "sal:MiningCompany owl:disjointWith sal:Company",
    ]
    assert _line_of(done.stdout, why[1]).strip() == "sal:MiningCompany owl:disjointWith sal:Company ."
    assert str((folder / "sal.ttl").resolve()) in why[1]


def test_a_class_under_two_disjoint_kinds_names_the_disjointness_axiom_by_its_line(tmp_path: Path):
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    with (folder / "sal.ttl").open("a", encoding="utf-8") as module:  # a company that is also an NGO
        module.write("\nsal:SyntheticCommunityEnterprise a owl:Class ; rdfs:subClassOf sal:MiningCompany , sal:NGO .\n")

    done = run_kgtool("check", "--ontology", str(folder), "--no-data")

    assert done.code == 1
    lines = done.stdout.splitlines()
    start = next(
        n for n, line in enumerate(lines) if line.startswith("  why ") and "SyntheticCommunityEnterprise" in line
    )
    why = [line for line in lines[start + 1 :] if line.startswith("    ")]
    why = why[: next((n for n, line in enumerate(why) if not line.startswith("    /")), len(why))]
    assert all(re.match(r"    \S+\.ttl:\d+: ", line) for line in why), why  # every axiom with its file and line
    disjoint = next(line for line in why if "owl:AllDisjointClasses" in line)
    assert "sal:Company" in disjoint and "sal:CivilSocietyOrganization" in disjoint
    assert _line_of(done.stdout, disjoint).strip().startswith("[] a owl:AllDisjointClasses")


def test_an_inconsistency_from_a_new_domain_axiom_names_that_axiom(tmp_path: Path):
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    with (folder / "sal.ttl").open("a", encoding="utf-8") as module:
        module.write("\nsal:administeredBy rdfs:domain sal:Actor .\n")  # funds are administered: now actors too

    done = run_kgtool("check", "--ontology", str(folder))

    assert done.code == 1
    why = _explained(done.stdout, "Mining Fund (sald:mining-fund)")
    texts = [line.split(": ", 1)[1] for line in why]
    assert "sal:administeredBy rdfs:domain sal:Actor" in texts and "sal:Fund owl:disjointWith sal:Actor" in texts
    axiom = next(line for line in why if line.endswith("sal:administeredBy rdfs:domain sal:Actor"))
    assert _line_of(done.stdout, axiom).strip() == "sal:administeredBy rdfs:domain sal:Actor ."
