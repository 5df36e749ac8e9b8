"""The document's content, as plain data for the Word template: a pure function of the
configuration, the derived figures and the clerk's prose.

``document`` (the model), ``frame`` (what stands around the sections), ``annexes`` (table, list
and score annexes), ``numbers`` (how the score annex writes numbers),
``prose`` (the clerk's paragraphs), ``statements`` (sentences over figures), ``tree`` (topic
headings and numbered items) and ``sections`` (each configured section, the whole document).
"""

from .document import AnnexTable, Document, Paragraph, Ranking, Section, StatementEvidence
from .prose import narrative_paragraphs, split_lead
from .annexes import annex_table, rankings_of
from .sections import compose_document, problem_paragraphs

__all__ = ["AnnexTable", "Document", "Paragraph", "Ranking", "Section", "StatementEvidence", "annex_table",
           "compose_document", "narrative_paragraphs", "problem_paragraphs", "rankings_of", "split_lead"]
