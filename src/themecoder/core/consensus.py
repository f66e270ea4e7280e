"""Disagreements between coders, and settling them into a consensus coding.

A disagreement is a stretch of a document (one unit, or neighbouring units rated alike) where
the coders did not all code the same code. Settling it accepts one coder's side, both sides or
neither: the accepted codings are copied to the consensus coder ("consensus"), and the decision
is recorded, in ONE action by the person settling (so their ctrl+z reverts it). Accepting a
side that did not code the passage, or neither, leaves no consensus coding there (and removes
one a previous decision wrote).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from themecoder import store
from themecoder.core.agreement import Agreement
from themecoder.core.coding import place_coding
from themecoder.core.project import Project
from themecoder.errors import UserError

CONSENSUS_CODER = "consensus"
_DECISION = "consensus:"   # project setting: consensus:<code id>:<document id>:<start>:<end> -> choice


@dataclass(frozen=True, slots=True)
class Disagreement:
    code_id: str
    code: str
    document_id: str
    document: str
    start: int
    end: int
    text: str
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]
    codings: dict[str, tuple[tuple[int, int], ...]]   # coder -> spans of their codings that overlap
    decision: str | None = None

    @property
    def key(self) -> str:
        return f"{_DECISION}{self.code_id}:{self.document_id}:{self.start}:{self.end}"

    def as_json(self) -> dict:
        return {"code": self.code, "document": self.document, "start": self.start, "end": self.end,
                "text": self.text, "coded_by": list(self.coded_by), "not_coded_by": list(self.not_coded_by),
                "decision": self.decision}


def disagreements(project: Project, result: Agreement) -> list[Disagreement]:
    """Every disagreement of a computed agreement, in code and document order; neighbouring
    units with the same ratings are one disagreement."""
    titles = dict(result.documents)
    texts: dict[str, str] = {}
    decisions = dict(store.project.settings_with_prefix(project.db, _DECISION))
    by_place: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for c in result.codings:
        by_place.setdefault((c.code_id, c.document_id, c.coder or ""), []).append((c.start, c.end))
    out: list[Disagreement] = []
    for code_id, rated in result.ratings.items():
        runs: list[list] = []
        for r in rated:
            if len(set(r.pattern)) == 1:
                continue
            last = runs[-1] if runs else None
            if last and last[0] == r.document_id and last[3] == r.pattern and _adjacent(project, texts, last[2], r.start, r.document_id):
                last[2] = r.end
            else:
                runs.append([r.document_id, r.start, r.end, r.pattern])
        for doc_id, start, end, pattern in runs:
            if doc_id not in texts:
                texts[doc_id] = store.documents.document_text(project.db, doc_id)
            spans = {c: tuple(s for s in by_place.get((code_id, doc_id, c), []) if s[0] < end and start < s[1])
                     for c in result.coders}
            d = Disagreement(code_id, result.code_labels.get(code_id, ""), doc_id, titles.get(doc_id, ""),
                             start, end, texts[doc_id][start:end],
                             tuple(c for c, v in zip(result.coders, pattern) if v),
                             tuple(c for c, v in zip(result.coders, pattern) if not v), spans)
            out.append(replace(d, decision=decisions.get(d.key)))
    return out


def _adjacent(project: Project, texts: dict[str, str], end: int, start: int, doc_id: str) -> bool:
    """Only whitespace between two units: they read as one passage."""
    if doc_id not in texts:
        texts[doc_id] = store.documents.document_text(project.db, doc_id)
    return not texts[doc_id][end:start].strip()


def settle(project: Project, d: Disagreement, choice: str) -> list[str]:
    """Accept `choice` (a coder's name, "both" or "neither") for a disagreement: one action.
    Returns the ids of the consensus codings it wrote."""
    coders = [*d.coded_by, *d.not_coded_by]
    if choice not in (*coders, "both", "neither"):
        raise UserError(f"settle with one of {', '.join(coders)}, both or neither, not {choice!r}")
    if choice == "both":
        spans = sorted({s for c in coders for s in d.codings.get(c, ())})
    elif choice == "neither":
        spans = []
    else:
        spans = sorted(set(d.codings.get(choice, ())))
    text = store.documents.document_text(project.db, d.document_id)
    summary = f"consensus on «{d.code}» in {d.document}: " + (
        "both" if choice == "both" else "neither" if choice == "neither" else f"accept {choice}")
    written: list[str] = []
    with project.action("settle-disagreement", summary, {"code": d.code, "document": d.document,
                                                          "choice": choice}) as conn:
        # A decision taken before on this passage is replaced by this one.
        for cid, doc_id, start, end, coder in store.codings.spans_of_code(conn, d.code_id):
            if (doc_id == d.document_id and coder == CONSENSUS_CODER and start < d.end and d.start < end
                    and (start, end) not in spans):
                store.codings.delete(conn, cid)
        for start, end in spans:
            cid, _new = place_coding(conn, project, d.document_id, d.code_id, start, end, text=text,
                                     coder=CONSENSUS_CODER, reuse=True)
            written.append(cid)
        store.project.set_setting(conn, d.key, choice)
    return written


def export_rows(items: list[Disagreement]) -> list[list[str]]:
    """The disagreement list as rows (with a header) for CSV or Markdown."""
    rows = [["code", "document", "start", "end", "text", "coded by", "not coded by", "decision"]]
    for d in items:
        rows.append([d.code, d.document, str(d.start), str(d.end), " ".join(d.text.split()),
                     ", ".join(d.coded_by), ", ".join(d.not_coded_by), d.decision or ""])
    return rows


def coders_to_compare(project: Project) -> list[str]:
    """Every coder with codings, the consensus coder left out (the default of the screen)."""
    return [c for c in store.codings.coders(project.db) if c != CONSENSUS_CODER]
