"""``kgtool report``: one self-contained HTML page computed from the query catalog. ``generate`` collects it
(through ``queries``, into the plain data of ``model``; ``alliances`` builds the alliance cards) and writes it;
``html``, ``cards``, ``island`` (every card as data for the page's script), ``svg`` and ``network`` (the
layout), ``text`` (the words in each language) and ``assets/`` (CSS and JavaScript) render it. Builds on
``kgtool.sparql``, ``kgtool.store`` and ``kgtool.rdf``.
"""

from kgtool.report.generate import check_language, check_output, collect, write_report
from kgtool.report.model import Report

__all__ = [
    "Report",
    "check_language",
    "check_output",
    "collect",
    "write_report",
]
