"""REFI-QDA (QDA-XML) interchange: read and write .qdpx projects and .qdc codebooks.

This layer knows nothing of the project database: it reads files into the plain dataclasses of
:mod:`themecoder.io.refi.model` and writes such dataclasses out. Positions in the model are
always code points into the NFC, LF-normalised source text, end exclusive.
"""
from themecoder.io.refi.model import (
    ImportReport,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiExtension,
    RefiLink,
    RefiNote,
    RefiOtherSource,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiTextSource,
    RefiUser,
    RefiVariable,
    SourceReport,
    new_guid,
    stable_guid,
)
from themecoder.io.refi.positions import (
    CODEPOINTS,
    CODEPOINTS_CRLF_AS_ONE,
    CONVENTIONS,
    UTF16,
    UTF16_CRLF_AS_ONE,
    Detection,
    TextMap,
    detect_convention,
    normalise_text,
)
from themecoder.io.refi.reader import read_qdc, read_qdc_bytes, read_qde, read_qde_bytes, read_qdpx, read_refi
from themecoder.io.refi.safety import DEFAULT_LIMITS, Limits, RefiError
from themecoder.io.refi.writer import POSITIONS, qdc_xml, qde_xml, write_qdc, write_qdpx

__all__ = [
    "CODEPOINTS",
    "CODEPOINTS_CRLF_AS_ONE",
    "UTF16",
    "UTF16_CRLF_AS_ONE",
    "CONVENTIONS",
    "DEFAULT_LIMITS",
    "POSITIONS",
    "Detection",
    "ImportReport",
    "Limits",
    "RefiCase",
    "RefiCode",
    "RefiCoding",
    "RefiError",
    "RefiExtension",
    "RefiLink",
    "RefiNote",
    "RefiOtherSource",
    "RefiProject",
    "RefiSelection",
    "RefiSet",
    "RefiTextSource",
    "RefiUser",
    "RefiVariable",
    "SourceReport",
    "TextMap",
    "detect_convention",
    "new_guid",
    "normalise_text",
    "qdc_xml",
    "qde_xml",
    "read_qdc",
    "read_qdc_bytes",
    "read_qde",
    "read_qde_bytes",
    "read_qdpx",
    "read_refi",
    "stable_guid",
    "write_qdc",
    "write_qdpx",
]
