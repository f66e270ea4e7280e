"""Anonymisation guard: the key's link in the project, the project's label, and the export
guard with the metadata it stamps (called by every export, whichever door asks for it)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from themecoder import store
from themecoder.core.anonymise_base import (
    LABEL_ANONYMISED,
    LABEL_PSEUDONYMISED,
    LABEL_UNCHECKED,
    LABEL_UNRESOLVED,
    doc_ids,
    kind_name,
)
from themecoder.core.anonymise_check import check, findings, stale_documents, text_findings
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.core.key_file import KeyFile
    from themecoder.nlp import Pipeline


# -- the key ----------------------------------------------------------------------------------


def link_key(project: Project, key: "KeyFile") -> bool:
    """Remember in the project that a key exists: its id (fingerprint) and path, never its
    content. One action, only when something changes."""
    path = str(key.path.expanduser().resolve())
    if project.setting("anonymisation.key_id") == key.key_id and project.setting("anonymisation.key_path") == path:
        return False
    with project.action("anonymise-key", "link the key file (koblingsnøkkel)", {"key_id": key.key_id}) as conn:
        for k, v in (("anonymisation.key_id", key.key_id), ("anonymisation.key_path", path),
                     ("anonymisation.key_linked", now())):
            store.project.set_setting(conn, k, v)
        store.project.delete_settings(conn, ("anonymisation.key_deleted",))
    return True


def key_settings(project: Project, key: "KeyFile") -> dict[str, str]:
    """The settings `link_key` would write (empty when the project knows this key at this
    path already): for a replacement to write them inside its own action (issue 18)."""
    path = str(key.path.expanduser().resolve())
    if project.setting("anonymisation.key_id") == key.key_id and project.setting("anonymisation.key_path") == path:
        return {}
    return {"anonymisation.key_id": key.key_id, "anonymisation.key_path": path, "anonymisation.key_linked": now()}


def key_path(project: Project) -> str | None:
    return project.setting("anonymisation.key_path") if project.setting("anonymisation.key_id") else None


def forget_key(project: Project, *, delete_file: bool = True, path: str | None = None) -> dict:
    """End of the project: delete the key file and record that the key is gone. After this
    the pseudonyms can no longer be linked to anyone (unless a copy of the key exists)."""
    from pathlib import Path

    from themecoder.core.key_file import delete_key_file, open_key

    key_id = project.setting("anonymisation.key_id")
    if not key_id:
        raise UserError("the project has no key")
    where = path or project.setting("anonymisation.key_path")
    deleted = False
    if delete_file and where:
        if Path(where).expanduser().exists():
            key = open_key(where, project=project, create=False)  # refuses another project's key
            deleted = delete_key_file(key.path)
    with project.action("anonymise-key-delete", "delete the key file (koblingsnøkkel)",
                        {"key_id": key_id, "file_deleted": deleted}) as conn:
        store.project.delete_settings(conn, ("anonymisation.key_id", "anonymisation.key_path",
                                              "anonymisation.key_linked"))
        store.project.set_setting(conn, "anonymisation.key_deleted", now())
    return {"key_id": key_id, "path": where, "file_deleted": deleted}


# -- status -----------------------------------------------------------------------------------


def anonymisation_status(project: Project) -> dict[str, Any]:
    """Cheap (no detection): the label and what it rests on."""
    db = project.db
    docs = [d.id for d in store.documents.documents(db)]
    stale = stale_documents(project, docs)
    stale_set = set(stale)  # once: a set per document made this quadratic (15 s at 10,000 documents)
    open_ = findings(project, [d for d in docs if d not in stale_set])
    blocking = sum(f.blocking for f in open_)
    has_key = bool(project.setting("anonymisation.key_id"))
    replaced, pseudonyms = store.identifiers.replacement_totals(db)
    if has_key:
        label = LABEL_PSEUDONYMISED
    elif stale:
        label = LABEL_UNCHECKED
    elif blocking:
        label = LABEL_UNRESOLVED
    else:
        label = LABEL_ANONYMISED
    return {
        "label": label,
        "key": has_key,
        "key_id": project.setting("anonymisation.key_id"),
        "key_path": key_path(project),
        "key_deleted": project.setting("anonymisation.key_deleted"),
        "documents": len(docs),
        "unchecked": len(stale),
        "open": len(open_),
        "blocking": blocking,
        "replacements": replaced,
        "pseudonyms": pseudonyms,
        "ignored": store.identifiers.count_ignored(db),
        "known_names": store.identifiers.count_known_names(db),
    }


def anonymisation_label(project: Project) -> str:
    """'avidentifisert' while a key exists (pseudonymised, still personal data);
    'ikke kontrollert' while a document is unchecked or changed since its check;
    'uavklarte funn' while findings that block exports are open; else 'anonymisert'
    (checked, nothing open that blocks, no key). For status bars and export metadata."""
    return anonymisation_status(project)["label"]


def describe_label(label: str) -> str:
    return {
        LABEL_PSEUDONYMISED: "pseudonymised: a key links pseudonyms to real names (still personal data)",
        LABEL_ANONYMISED: "checked, no unresolved findings, no key (indirect identifiers remain your judgement)",
        LABEL_UNRESOLVED: "findings that block exports are open",
        LABEL_UNCHECKED: "not checked since the text changed (run themecoder check)",
    }.get(label, label)


# -- export guard -------------------------------------------------------------------------------
TITLE_PLACE = "title of document"
PARTICIPANT_PLACE = "participant"



def coding_spans(project: Project) -> dict[str, list[tuple[int, int]]]:
    """Every coded passage per document: what quote exports can contain."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, s, e in store.identifiers.coding_spans(project.db):
        spans[doc_id].append((s, e))
    return dict(spans)


def analyst_texts(project: Project, *, codes: bool = True, themes: bool = True,
                  memos: bool = False, titles: bool = True, participants: bool = True,
                  reviews: bool = False, attributes: bool = False) -> dict[str, str]:
    """The texts that exports print beside the transcripts: document titles and participant
    labels (a transcript imported as «Solveig Haugland.txt» exports its title), code labels and
    descriptions (an in-vivo label is a quote), theme names, descriptions and analytic texts,
    (for qdpx) memos and participants' text attribute values and (for review exports) review
    comments. {place: text}, one entry per field so that nothing is read across two fields."""
    out: dict[str, str] = {}

    def put(place: str, text: str | None) -> None:
        if text and text.strip():
            out[place] = text

    if titles:
        for d in store.documents.documents(project.db):
            put(f"{TITLE_PLACE} «{d.title[:40]}» ({d.id[:8]})", d.title)
    if participants:
        for p in store.participants.participants(project.db):
            put(f"{PARTICIPANT_PLACE} «{p.pseudonym[:40]}» ({p.id[:8]})", p.pseudonym)
            for a in p.attributes if attributes else ():
                if a.type == "text":
                    put(f"{PARTICIPANT_PLACE} «{p.pseudonym[:40]}», {a.name[:30]} ({p.id[:8]})", a.value)
    if reviews:
        for r in store.reviews.comments(project.db):
            put(f"review comment by {r['author']} ({r['id'][:8]})", r["text"])

    if codes:
        for c in store.codes.codes(project.db):
            put(f"code label «{c.label[:40]}»", c.label)
            put(f"description of code «{c.label[:40]}»", c.description)
    if themes:
        for t in store.themes.themes(project.db):
            put(f"theme «{t.name[:40]}»", t.name)
            put(f"description of theme «{t.name[:40]}»", t.description)
            put(f"analytic text of theme «{t.name[:40]}»", t.analytic_text)
            put(f"condensate of theme «{t.name[:40]}»", t.condensate)
    if memos:
        for m in store.memos.memos(project.db):
            label = (m.title or m.text)[:30].replace("\n", " ")
            put(f"memo title «{label}» ({m.id[:8]})", m.title)
            put(f"memo «{label}» ({m.id[:8]})", m.text)
    return out


def export_guard(
    project: Project,
    document_ids: Iterable[str] | None = None,
    *,
    allow_unreviewed: bool = False,
    spans: dict[str, list[tuple[int, int]]] | None = None,
    texts: dict[str, str] | None = None,
    pipeline: "Pipeline | None" = None,
    show: int = 3,
) -> dict[str, Any]:
    """Refuse an export while blocking findings are open in the text it would export.

    `document_ids` (default: all) and `spans` ({document id: [(start, end)]}, e.g.
    `coding_spans(project)` for quote tables) say which transcript text that is; `texts`
    ({place: text}, e.g. `analyst_texts(project)`) adds other text the export prints. Stale
    documents are checked first. Raises UserError naming the first few findings (document,
    place, context) and how many more; with `allow_unreviewed` returns instead, and the
    returned dict is meant for the export's metadata:

        {"anonymisation": "checked: no unresolved findings" |
                          "unreviewed findings allowed by user",
         "unresolved": N, "label": "avidentifisert" | ..., "checked": "<time>"}
    """
    ids = doc_ids(project, document_ids)
    # On a team server the check's cache (derived data) is written by every member's check,
    # so one could plant a clean one: the guard of an export there checks afresh.
    check(project, ids, pipeline=pipeline, force=project.on_server)
    open_ = findings(project, ids, blocking_only=True, spans=spans)
    if texts:
        open_ += [f for f in text_findings(project, texts) if f.blocking]
    meta = {
        "anonymisation": "checked: no unresolved findings",
        "unresolved": len(open_),
        "label": anonymisation_label(project),
        "checked": now(),
    }
    if open_ and not allow_unreviewed:
        shown = "; ".join(f"{kind_name(f.kind)} «{f.text}» in {f.place()}: {f.snippet(25)}"
                          for f in open_[:show])
        more = f"; and {len(open_) - show} more" if len(open_) > show else ""
        raise UserError(
            f"export refused: {len(open_)} unresolved identifier finding{'s' if len(open_) != 1 else ''} "
            f"in the exported text: {shown}{more}. Resolve them (themecoder check, themecoder anonymise, "
            f"or the Anonymisation screen), or export anyway: --allow-unreviewed, or the last checkbox on "
            f"the Export screen (the export then says so in its metadata)"
        )
    if open_:
        meta["anonymisation"] = "unreviewed findings allowed by user"
    return meta


def metadata_line(meta: dict[str, Any]) -> str:
    """One line for a header in md/csv exports or a document property."""
    return (f"anonymisation: {meta.get('anonymisation')}; label: {meta.get('label')}; "
            f"unresolved: {meta.get('unresolved')}")
