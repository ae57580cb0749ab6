"""The project's mutation check: does the test suite catch a realistic single mistake?

Each mutation below is one change a contributor could make by mistake (a text substitution in one file of the
data, the ontology, the shapes, the queries or the code), with the tests that should catch it. The script copies
the repository to a temporary folder (never touching the checkout) and, for each mutation, first runs its tests on
the unmutated copy (a mutation whose tests already fail is not run and counts as survived), then applies it, runs
its tests again, restores the file, and reports the mutation killed (a test failed) or survived. It is not part of
the default test run (about 20 minutes on an idle machine).

    python tools/mutation.py                 # every mutation; the kill rate at the end
    python tools/mutation.py --list          # the mutations, by name
    python tools/mutation.py -k currency     # those whose name contains "currency"

Exit code 0 when the kill rate is at least --target (default 0.9), else 1. A mutation marked ``harmless`` is
expected to survive: it changes nothing observable (``harmless`` says why) and is left out of the rate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(".git", ".kgtool", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info")


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str  # relative to the repository
    old: str  # must occur exactly once in the file
    new: str
    tests: tuple[str, ...]  # pytest arguments: files, node ids, -k expressions
    issue: bool = False  # one of the changes issue 21 lists
    harmless: str = ""  # why a survivor changes nothing observable

    def apply(self, root: Path) -> str:
        """Apply to the copy at ``root``; returns the original text (to restore)."""
        target = root / self.path
        text = target.read_text(encoding="utf-8")
        count = text.count(self.old)
        if count != 1:
            raise ValueError(f"{self.name}: {self.path} holds the text to change {count} times, not once")
        target.write_text(text.replace(self.old, self.new), encoding="utf-8")
        return text


GOLDEN = "tests/test_golden.py"
FACETS = "tests/test_shape_facets.py"
AXIOMS = "tests/test_axioms.py"


def golden(query: str) -> tuple[str, ...]:
    return (GOLDEN, "-k", query)


MUTATIONS: list[Mutation] = [
    # --- queries -------------------------------------------------------------------------------------------
    Mutation(
        "actors-by-sector: FILTER deleted",
        "queries/actors-by-sector.rq",
        "  FILTER(BOUND(?sector) || (!BOUND(?stated) && !BOUND(?implied)))\n",
        "",
        golden("actors-by-sector"),
        issue=True,
    ),
    Mutation(
        "alliance-legitimacy-strategy: ORDER BY keys swapped",
        "queries/alliance-legitimacy-strategy.rq",
        "ORDER BY STR(?strategyLabel) STR(?legitimacyLabel) STR(?allianceLabel)",
        "ORDER BY STR(?legitimacyLabel) STR(?strategyLabel) STR(?allianceLabel)",
        golden("alliance-legitimacy-strategy"),
        issue=True,
    ),
    Mutation(
        "crossover-alliances: strategy OPTIONAL made required",
        "queries/crossover-alliances.rq",
        "  OPTIONAL { ?alliance sal:underStrategy ?strategy .",
        "  { ?alliance sal:underStrategy ?strategy .",
        golden("crossover-alliances"),
        issue=True,
    ),
    Mutation(
        "alliance-legitimacy-strategy: English label fallback dropped",
        "queries/alliance-legitimacy-strategy.rq",
        "BIND(COALESCE(?aWanted, ?aEnglish, STR(?alliance)) AS ?allianceLabel)",
        "BIND(COALESCE(?aWanted, STR(?alliance)) AS ?allianceLabel)",
        golden("alliance-legitimacy-strategy"),
        issue=True,
    ),
    Mutation(
        "legitimacy-strategy-matrix: market and relational columns swapped",
        "queries/legitimacy-strategy-matrix.rq",
        "(SUM(IF(BOUND(?type) && ?type = sal:MarketLegitimacy, 1, 0)) AS ?market)",
        "(SUM(IF(BOUND(?type) && ?type = sal:RelationalLegitimacy, 1, 0)) AS ?market)",
        golden("legitimacy-strategy-matrix"),
    ),
    Mutation(
        "legitimacy-gaps: MINUS turned into OPTIONAL",
        "queries/legitimacy-gaps.rq",
        "  MINUS {",
        "  OPTIONAL {",
        golden("legitimacy-gaps"),
    ),
    Mutation(
        "projects-by-region: a district's project no longer counts for its region",
        "queries/projects-by-region.rq",
        "sal:locatedIn/sal:locatedIn* ?region",
        "sal:locatedIn ?region",
        golden("projects-by-region"),
    ),
    Mutation(
        "fund-contributions: source made required",
        "queries/fund-contributions.rq",
        "  OPTIONAL { ?contribution sal:citesSource ?source }",
        "  ?contribution sal:citesSource ?source .",
        golden("fund-contributions"),
    ),
    Mutation(
        "partner-profile: partnershipIn path reversed again",
        "queries/partner-profile.rq",
        "(^sal:partnershipIn/sal:partner) ?partner",
        "^(sal:partnershipIn/sal:partner) ?partner",
        golden("partner-profile"),
    ),
    Mutation(
        "legitimacy-type-profile: typology filter dropped",
        "queries/legitimacy-type-profile.rq",
        "  ?type a sal:LegitimacyType ;\n        sal:inTypology ?__typology_iri .",
        "  ?type a sal:LegitimacyType .",
        golden("legitimacy-type-profile"),
    ),
    Mutation(
        "principle-assessments: principle dropped from ORDER BY",
        "queries/principle-assessments.rq",
        "ORDER BY STR(?allianceLabel) ?alliance STR(?principleLabel) ?principle ?date ?assessment",
        "ORDER BY STR(?allianceLabel) ?alliance ?date ?assessment",
        golden("principle-assessments"),
    ),
    Mutation(
        "reported-figures: rank no longer looked up",
        "queries/reported-figures.rq",
        "  OPTIONAL { ?figure sal:rank ?position }\n",
        "",
        golden("reported-figures"),
    ),
    # --- shapes --------------------------------------------------------------------------------------------
    Mutation(
        "AssessmentAlliance: minCount 1 -> 0",
        "shapes/alliances.ttl",
        "sh:path sal:assessedAlliance ;\n    sh:minCount 1 ;",
        "sh:path sal:assessedAlliance ;\n    sh:minCount 0 ;",
        (FACETS,),
        issue=True,
    ),
    Mutation(
        "AmountCurrency: EUR dropped from the ISO 4217 list",
        "shapes/projects-funds.ttl",
        ' "EUR" ',
        " ",
        (FACETS,),
        issue=True,
    ),
    Mutation(
        "AssessmentAlliance: Violation turned Warning",
        "shapes/alliances.ttl",
        'sh:class sal:StrategicAlliance ;\n    sh:severity sh:Violation ;\n    sh:message "A principle assessment',
        'sh:class sal:StrategicAlliance ;\n    sh:severity sh:Warning ;\n    sh:message "A principle assessment',
        (FACETS,),
        issue=True,
    ),
    Mutation(
        "AssessmentRating: maxInclusive 5 -> 6",
        "shapes/alliances.ttl",
        "sh:maxInclusive 5 ;",
        "sh:maxInclusive 6 ;",
        (FACETS, "tests/test_validation_shapes.py", "-k", "AssessmentRating"),
    ),
    Mutation(
        "PlaceUbigeo: six-digit codes refused",
        "shapes/places-sources.ttl",
        'sh:pattern "^[0-9]{2}([0-9]{2}([0-9]{2})?)?$" ;',
        'sh:pattern "^[0-9]{2}([0-9]{2})?$" ;',
        (FACETS,),
    ),
    Mutation(
        "AllianceFulfilsLegitimacyValue: social legitimacy dropped from the list",
        "shapes/alliances.ttl",
        "sal:PragmaticLegitimacy sal:RelationalLegitimacy sal:SocialLegitimacy sal:SociopoliticalLegitimacy ) ;\n"
        '    sh:severity sh:Violation ;\n    sh:message "The legitimacy an alliance fulfils',
        "sal:PragmaticLegitimacy sal:RelationalLegitimacy sal:SociopoliticalLegitimacy ) ;\n"
        '    sh:severity sh:Violation ;\n    sh:message "The legitimacy an alliance fulfils',
        ("tests/test_validation_shapes.py", "-k", "controlled_list or base_fixture_conforms"),
    ),
    Mutation(
        "LabelSpanish: Warning turned Info",
        "shapes/common.ttl",
        'sh:qualifiedValueShape [ sh:languageIn ( "es" ) ] ;\n    sh:qualifiedMinCount 1 ;\n'
        "    sh:severity sh:Warning ;",
        'sh:qualifiedValueShape [ sh:languageIn ( "es" ) ] ;\n    sh:qualifiedMinCount 1 ;\n    sh:severity sh:Info ;',
        (FACETS,),
    ),
    Mutation(
        "ActorSocietalSector: maxCount 1 dropped",
        "shapes/actors.ttl",
        "sh:path sal:inSocietalSector ;\n    sh:maxCount 1 ;\n",
        "sh:path sal:inSocietalSector ;\n",
        (FACETS,),
    ),
    Mutation(
        "CompletionPercent: negative completion accepted",
        "shapes/common.ttl",
        "    sh:minInclusive 0 ;\n    sh:maxInclusive 100 ;",
        "    sh:minInclusive -10 ;\n    sh:maxInclusive 100 ;",
        (FACETS,),
    ),
    # --- ontology ------------------------------------------------------------------------------------------
    Mutation(
        "AllDisjointClasses axiom deleted",
        "ontology/sal.ttl",
        "[] a owl:AllDisjointClasses ;\n    owl:members ( sal:Company sal:GovernmentBody sal:CivilSocietyOrganization "
        "sal:InternationalOrganization ) .",
        "",
        (AXIOMS,),
        issue=True,
    ),
    Mutation(
        "fulfilsLegitimacy: range changed to DevelopmentStrategy",
        "ontology/sal.ttl",
        '    rdfs:domain sal:StrategicAlliance ;\n    rdfs:range sal:LegitimacyType ;\n    rdfs:label "fulfils',
        '    rdfs:domain sal:StrategicAlliance ;\n    rdfs:range sal:DevelopmentStrategy ;\n    rdfs:label "fulfils',
        (AXIOMS,),
        issue=True,
    ),
    Mutation(
        "inSocietalSector: no longer functional",
        "ontology/sal.ttl",
        "sal:inSocietalSector\n    a owl:ObjectProperty , owl:FunctionalProperty ;",
        "sal:inSocietalSector\n    a owl:ObjectProperty ;",
        (AXIOMS, "tests/test_reasoning.py", "-k", "sector or one_sector"),
        issue=True,
    ),
    Mutation(
        "Fund no longer disjoint with Source",
        "ontology/sal.ttl",
        "owl:disjointWith sal:Actor , sal:Project , sal:Place , sal:Source ;",
        "owl:disjointWith sal:Actor , sal:Project , sal:Place ;",
        (AXIOMS,),
    ),
    Mutation(
        "Organization no longer disjoint with Person",
        "ontology/sal.ttl",
        "    owl:disjointWith sal:Person ;\n",
        "",
        (AXIOMS,),
    ),
    Mutation(
        "fulfilsLegitimacy: property chain deleted",
        "ontology/sal.ttl",
        "    owl:propertyChainAxiom ( [ owl:inverseOf sal:attributionOf ] sal:legitimacyType ) ;\n",
        "",
        (AXIOMS,),
    ),
    Mutation(
        "companies implied public instead of private",
        "ontology/sal.ttl",
        "sal:Organization ,\n        [ a owl:Restriction ; owl:onProperty sal:inSocietalSector ; owl:hasValue "
        "sal:PrivateSector ] ;",
        "sal:Organization ,\n        [ a owl:Restriction ; owl:onProperty sal:inSocietalSector ; owl:hasValue "
        "sal:PublicSector ] ;",
        (*golden("actors-by-sector"), "tests/test_reasoning.py"),
    ),
    # --- data ----------------------------------------------------------------------------------------------
    Mutation(
        "Xstrata's 83,000 residents -> 8,300 in the label",
        "data/funds.ttl",
        'rdfs:label "Xstrata\'s Social Fund: more than 83,000 residents benefited"@en',
        'rdfs:label "Xstrata\'s Social Fund: more than 8,300 residents benefited"@en',
        ("tests/test_figures.py",),
        issue=True,
    ),
    Mutation(
        "Xstrata's 83,000 residents -> 8,300 as the quantity",
        "data/funds.ttl",
        "sal:quantity 83000 ;",
        "sal:quantity 8300 ;",
        ("tests/test_figures.py",),
    ),
    Mutation(
        "Yanacocha's gold: 811,400 -> 811,500 ounces",
        "data/alliances.ttl",
        "sal:quantity 811400 ;",
        "sal:quantity 811500 ;",
        ("tests/test_figures.py",),
    ),
    Mutation(
        "Cajamarca's ubigeo 06 -> 07",
        "data/reference/regions.ttl",
        'sal:ubigeo "06" ;',
        'sal:ubigeo "07" ;',
        (FACETS, "-k", "regions"),
    ),
    Mutation(
        "the Antamina Mining Fund's US$ 80 million -> 8 million",
        "data/funds.ttl",
        'schema:value "80000000"^^xsd:decimal ;',
        'schema:value "8000000"^^xsd:decimal ;',
        ("tests/test_figures.py",),
    ),
    Mutation(
        "the Newmont–Buenaventura–IFC alliance under poverty reduction",
        "data/alliances.ttl",
        "    sal:fulfilsLegitimacy sal:RelationalLegitimacy , sal:MarketLegitimacy , sal:SocialLegitimacy ;\n"
        "    sal:underStrategy sal:SustainableDevelopment ;",
        "    sal:fulfilsLegitimacy sal:RelationalLegitimacy , sal:MarketLegitimacy , sal:SocialLegitimacy ;\n"
        "    sal:underStrategy sal:PovertyReduction ;",
        golden("alliance-legitimacy-strategy"),
    ),
    Mutation(
        "Barrick's market alliance no longer states its legitimacy (its attribution still does)",
        "data/alliances.ttl",
        "    sal:hasPartnership sald:barrick-in-barrick-market-legitimacy-alliance ;\n"
        "    sal:fulfilsLegitimacy sal:MarketLegitimacy ;\n",
        "    sal:hasPartnership sald:barrick-in-barrick-market-legitimacy-alliance ;\n",
        ("tests/test_validation_shapes.py", "-k", "shipped_data"),
    ),
    # --- code ----------------------------------------------------------------------------------------------
    Mutation(
        "CSV records reported one row off",
        "kgtool/validation/csv_templates.py",
        "for number, row in enumerate(rows[2:], start=3):",
        "for number, row in enumerate(rows[2:], start=4):",
        ("tests/test_validation_cli.py", "-k", "own_row"),
        issue=True,
    ),
    Mutation(
        "validate --lang es renders English",
        "kgtool/cli/validate.py",
        "validation_report.render(report, output_format, lang)",
        'validation_report.render(report, output_format, "en")',
        ("tests/test_validation_cli.py", "-k", "lang_es_renders"),
        issue=True,
    ),
    Mutation(
        "ingest writes the metadata before the data",
        "kgtool/store/submissions.py",
        "            batch = list(itertools.islice(quads, size))\n            while len(batch) == size:",
        "            store.extend(metadata)\n            store.flush()\n"
        "            batch = list(itertools.islice(quads, size))\n            while len(batch) == size:",
        ("tests/test_ingest.py", "-k", "fault"),
        issue=True,
    ),
    Mutation(
        "a killed ingest's data kept instead of dropped",
        "kgtool/store/core.py",
        "    for graph in graphs:\n        store.remove_graph(graph)\n",
        "    for graph in graphs:\n        pass\n",
        ("tests/test_ingest.py", "-k", "data_left"),
    ),
    Mutation(
        "report labels in English even when Spanish is asked",
        "kgtool/rdf/labels.py",
        'for key in (lang, "en", ""):',
        'for key in ("en", lang, ""):',
        ("tests/test_validation_cli.py", "-k", "lang_es_renders or own_row or json"),
    ),
]


@dataclass
class Outcome:
    mutation: Mutation
    killed: bool
    seconds: float
    detail: str = field(default="")


def copy_repository(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=IGNORED)
    return target


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> subprocess.CompletedProcess:
    paper = ROOT.parent / "shared" / "seed" / "000_10b70308fab0e481.txt"
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    if paper.is_file() and "KGTOOL_PAPER" not in env:
        env["KGTOOL_PAPER"] = str(paper)  # the copy is not beside shared/: point its paper tests at the paper
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)


def check(mutations: list[Mutation], timeout: float) -> list[Outcome]:
    """Run each mutation's tests on the unmutated copy first (once per distinct set), then on the mutated one."""
    with tempfile.TemporaryDirectory(prefix="kgtool-mutation-") as folder:
        copy = copy_repository(Path(folder) / "repo")
        green: dict[tuple[str, ...], bool] = {}
        outcomes = []
        for mutation in mutations:
            if mutation.tests not in green:
                green[mutation.tests] = run_tests(copy, mutation.tests, timeout).returncode == 0
            if not green[mutation.tests]:
                outcomes.append(Outcome(mutation, False, 0.0, "not run: its tests fail without the mutation"))
                print(f"NOT RUN           {mutation.name} (its tests fail unmutated)", flush=True)
                continue
            started = time.monotonic()
            original = mutation.apply(copy)
            try:
                result = run_tests(copy, mutation.tests, timeout)
                killed = result.returncode not in (0, 5)
                detail = next((line for line in result.stdout.splitlines() if line.startswith("FAILED")), "")
            except subprocess.TimeoutExpired:
                killed, detail = True, f"timed out after {timeout:.0f} s"
            finally:
                (copy / mutation.path).write_text(original, encoding="utf-8")
            outcomes.append(Outcome(mutation, killed, time.monotonic() - started, detail))
            state = "killed  " if killed else "SURVIVED"
            print(f"{state} {outcomes[-1].seconds:6.1f} s  {mutation.name}", flush=True)
        return outcomes


def summary(outcomes: list[Outcome]) -> tuple[str, float]:
    counted = [o for o in outcomes if not o.mutation.harmless]
    killed = sum(o.killed for o in counted)
    issue = [o for o in counted if o.mutation.issue]
    lines = [
        f"killed {killed} of {len(counted)} ({killed / len(counted):.0%})"
        + (f"; of the issue's: {sum(o.killed for o in issue)} of {len(issue)}" if issue else "")
    ]
    for outcome in outcomes:
        if outcome.detail.startswith("not run"):
            lines.append(f"  not run (counted as survived): {outcome.mutation.name}")
        elif not outcome.killed:
            why = f" — harmless: {outcome.mutation.harmless}" if outcome.mutation.harmless else ""
            lines.append(f"  survived: {outcome.mutation.name}{why}")
    return "\n".join(lines), killed / len(counted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="pattern", help="only mutations whose name contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--target", type=float, default=0.9, help="the kill rate to reach (default 0.9)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one mutation's tests may take")
    args = parser.parse_args(argv)
    mutations = [m for m in MUTATIONS if not args.pattern or args.pattern.lower() in m.name.lower()]
    if args.list:
        for mutation in mutations:
            print(f"{'*' if mutation.issue else ' '} {mutation.name}  [{mutation.path}]  {' '.join(mutation.tests)}")
        return 0
    if not mutations:
        raise SystemExit("no mutation matches")
    text, rate = summary(check(mutations, args.timeout))
    print(text)
    return 0 if rate >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
