"""Defensive reading of REFI-QDA archives and XML.

A ``.qdpx`` is a zip file from somebody else's computer. Nothing in it is trusted:

- entry names that are absolute, carry a drive letter, contain ``..`` or a NUL are refused
  (the whole archive is refused: a well-formed archive never has them);
- the entry count, the declared sizes and the *actual* decompressed bytes are limited; entries
  are read in chunks and reading stops as soon as a limit is passed, so a zip bomb that lies in
  its headers is still caught; a per-entry compression ratio limit catches bombs early;
- nothing is ever extracted to disk: entries are read into memory only;
- XML is parsed with defusedxml with DTDs, entity declarations and external references
  forbidden, so billion-laughs and XXE payloads are refused before expansion.

Every problem is a :class:`RefiError` with a one-line message.
"""
from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

try:  # user-facing errors share the project's base class when it exists
    from themecoder.errors import UserError as _UserError
except ImportError:  # pragma: no cover - core not present
    class _UserError(Exception):  # type: ignore[no-redef]
        pass


class RefiError(_UserError):
    """A REFI-QDA file could not be read or written. One line, meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass(frozen=True)
class Limits:
    """What an import may cost. The defaults are generous for interview projects."""

    max_total_bytes: int = 500 * 1024 * 1024   # all decompressed bytes read from one archive
    max_entry_bytes: int = 500 * 1024 * 1024   # one decompressed entry
    max_entries: int = 10_000                  # entries in the archive
    max_ratio: float = 200.0                   # decompressed / compressed, per entry ...
    ratio_grace_bytes: int = 4 * 1024 * 1024   # ... checked once an entry passes this size
    chunk_bytes: int = 64 * 1024
    max_text_bytes: int = 50 * 1024 * 1024      # one source or note file, as read (the .txt limit)
    max_total_text_bytes: int = 200 * 1024 * 1024   # all text files of one project together
    max_code_depth: int = 200                  # nesting of codes (recursion guard)


DEFAULT_LIMITS = Limits()

_DRIVE = re.compile(r"^[A-Za-z]:")


def check_member_name(name: str) -> str | None:
    """Why an archive entry name is unsafe, or None if it is fine."""
    if not name:
        return "empty name"
    if "\x00" in name:
        return "NUL in name"
    if name.startswith(("/", "\\")):
        return "absolute path"
    if _DRIVE.match(name):
        return "drive letter"
    parts = re.split(r"[\\/]+", name)
    if any(p == ".." for p in parts):
        return "'..' in path"
    return None


def safe_relative(ref: str) -> str | None:
    """A relative path from an ``internal://`` reference, or None if it could escape."""
    ref = ref.replace("\\", "/")
    if check_member_name(ref) is not None:
        return None
    parts = [p for p in PurePosixPath(ref).parts if p not in ("", ".")]
    return "/".join(parts) if parts else None


def _zip_entry_count(path: Path) -> int | None:
    """The entry count from the end-of-central-directory record, before zipfile reads the
    (possibly huge) central directory. None when it cannot be found cheaply."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            tail_len = min(size, 65536 + 22)
            fh.seek(size - tail_len)
            tail = fh.read(tail_len)
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (total,) = struct.unpack("<H", tail[at + 10:at + 12])
    if total == 0xFFFF:  # zip64: the real count is elsewhere; zipfile will tell us
        return None
    return total


class SafeZip:
    """A zip archive opened for careful, limited, in-memory reading."""

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self._read_total = 0
        label = self.path.name
        declared_count = _zip_entry_count(self.path)
        if declared_count is not None and declared_count > limits.max_entries:
            raise RefiError(f"{label}: refused: {declared_count} entries (limit {limits.max_entries})")
        try:
            self._zf = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise RefiError(f"{label}: file not found") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise RefiError(f"{label}: not a readable zip archive ({exc})") from None
        infos = self._zf.infolist()
        if len(infos) > limits.max_entries:
            self.close()
            raise RefiError(f"{label}: refused: {len(infos)} entries (limit {limits.max_entries})")
        seen: set[str] = set()
        declared = 0
        for info in infos:
            why = check_member_name(info.filename)
            if why is not None:
                self.close()
                raise RefiError(f"{label}: refused unsafe entry name {info.filename!r} ({why})")
            if info.filename in seen:
                self.close()
                raise RefiError(f"{label}: refused: entry {info.filename!r} appears twice")
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                self.close()
                raise RefiError(f"{label}: refused: entry {info.filename!r} is encrypted")
            if info.file_size > limits.max_entry_bytes:
                self.close()
                raise RefiError(
                    f"{label}: refused: entry {info.filename!r} would unpack to {info.file_size} bytes "
                    f"(limit {limits.max_entry_bytes})"
                )
            declared += info.file_size
        if declared > limits.max_total_bytes:
            self.close()
            raise RefiError(
                f"{label}: refused: archive would unpack to {declared} bytes (limit {limits.max_total_bytes})"
            )
        self._infos = {i.filename: i for i in infos if not i.is_dir()}
        self._lower: dict[str, str] = {}  # lower-cased name -> stored name
        for name in self._infos:
            self._lower.setdefault(name.lower(), name)

    # -- context manager ------------------------------------------------------------------------
    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        zf = getattr(self, "_zf", None)
        if zf is not None:
            zf.close()

    # -- lookup ---------------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def find(self, name: str) -> str | None:
        """The entry called ``name`` exactly, else case-insensitively, else None."""
        if name in self._infos:
            return name
        return self._lower.get(name.lower())

    # -- reading --------------------------------------------------------------------------------
    def read(self, name: str, *, limit: int | None = None, what: str = "entry") -> bytes:
        """Read one entry in chunks, enforcing the size and ratio limits as bytes arrive;
        `limit` caps this entry further (a text file), checked on the running total so that
        memory stays bounded whatever the headers claim."""
        out = bytearray()
        for chunk in self.chunks(name, limit=limit, what=what):
            out += chunk
        return bytes(out)

    def chunks(self, name: str, *, limit: int | None = None, what: str = "entry") -> Iterator[bytes]:
        """The entry's bytes chunk by chunk, under the same limits as `read`, for callers that
        check what they stream (the text of a Word document) without holding it all."""
        info = self._infos[name]
        lim = self.limits
        label = f"{self.path.name}:{name}"
        size = 0
        cap = lim.max_entry_bytes if limit is None else min(limit, lim.max_entry_bytes)
        ratio_cap = max(lim.ratio_grace_bytes, int(lim.max_ratio * max(info.compress_size, 1)))
        try:
            with self._zf.open(info) as fh:
                while True:
                    chunk = fh.read(lim.chunk_bytes)
                    if not chunk:
                        break
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if limit is not None and size > cap:
                        raise RefiError(f"{label}: refused: the {what} unpacks to more than {_mb(cap)} "
                                        "(limit for text)")
                    if size > lim.max_entry_bytes:
                        raise RefiError(f"{label}: refused: entry unpacks to more than {lim.max_entry_bytes} bytes")
                    if self._read_total > lim.max_total_bytes:
                        raise RefiError(
                            f"{self.path.name}: refused: archive unpacks to more than {lim.max_total_bytes} bytes"
                        )
                    if size > ratio_cap:
                        raise RefiError(
                            f"{label}: refused: compression ratio above {lim.max_ratio:g}:1 (possible zip bomb)"
                        )
                    yield chunk
        except RefiError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise RefiError(f"{label}: damaged archive entry ({exc})") from None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


# -- XML ---------------------------------------------------------------------------------------

def parse_xml(data: bytes, label: str) -> Any:
    """Parse untrusted XML into an ElementTree element, refusing DTDs and entities."""
    from xml.etree.ElementTree import ParseError

    import defusedxml
    from defusedxml import ElementTree as DET

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise RefiError(
            f"{label}: refused: the XML declares a DTD (possible XML bomb or external entity)"
        ) from None
    except defusedxml.EntitiesForbidden:
        raise RefiError(f"{label}: refused: the XML declares entities (possible XML bomb)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise RefiError(f"{label}: refused: the XML references an external resource") from None
    except defusedxml.DefusedXmlException as exc:
        raise RefiError(f"{label}: refused unsafe XML ({exc})") from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise RefiError(f"{label}: malformed XML at line {line}, column {column + 1}: {reason}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise RefiError(f"{label}: unreadable XML ({type(exc).__name__})") from None


# -- text files --------------------------------------------------------------------------------

_MAGIC = (
    (b"PK\x03\x04", "a zip archive"), (b"PK\x05\x06", "a zip archive"), (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
    (b"\xd0\xcf\x11\xe0", "an old Office file"), (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"), (b"SQLite format 3\x00", "a database"),
)
# A well-formed UTF-8 sequence of two to four bytes (never produced by chance in Windows-1252
# text, where a lead byte is a letter like "Ø" and is followed by ASCII).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLOCK = 4096            # characters per block when looking for binary data
_BLOCK_CONTROLS = 40     # more control characters than this in one block: not text


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line} (byte {offset})"


def _text_where(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}"


def _utf8_errors(data: bytes) -> tuple[int, int]:
    """(number of bytes that are not UTF-8, byte offset of the first), in one pass."""
    escaped = data.decode("utf-8", errors="surrogateescape")   # each bad byte -> one U+DCxx
    bad = _ESCAPED.findall(escaped)
    first = _ESCAPED.search(escaped)
    offset = len(escaped[:first.start()].encode("utf-8", errors="surrogateescape")) if first else -1
    return len(bad), offset


_ESCAPED = re.compile("[\udc80-\udcff]")


def check_not_binary(text: str, label: str) -> None:
    """Refuse text with runs of control characters anywhere (binary data after real text),
    looked for in every block of the whole text, not only at its start."""
    for block_start in range(0, len(text), _BLOCK):
        block = text[block_start:block_start + _BLOCK]
        controls = _CONTROLS.findall(block)
        if len(controls) > _BLOCK_CONTROLS:
            first = _CONTROLS.search(block)
            at = block_start + (first.start() if first else 0)
            raise RefiError(f"{label}: binary data, not text, from {_text_where(text, at)} on; refused")
    controls = _CONTROLS.findall(text)
    if len(controls) > max(3, len(text) // 200):
        first = _CONTROLS.search(text)
        at = first.start() if first else 0
        raise RefiError(f"{label}: looks like a binary file, not text ({len(controls)} control characters, "
                        f"the first at {_text_where(text, at)}); refused")


def decode_text(data: bytes, label: str = "text") -> tuple[str, str]:
    """Decode a plain-text file, only where the encoding is certain; else refuse in one line
    saying where (a :class:`RefiError`).

    UTF-8 with or without BOM and UTF-16/32 with BOM are decoded strictly. A file that is not
    UTF-8 is read as Windows-1252 only when nothing in it is UTF-8 either (a Windows file with
    æ, ø, å); UTF-8 text with some invalid bytes is refused, not turned into mojibake.
    Archives, pictures and other binary files, NUL bytes and runs of control characters
    anywhere in the file are refused. Returns (text without BOM, encoding).
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise RefiError(f"{label}: is {what}, not text; refused")
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        text, encoding = _strict(data, "utf-32", label), "utf-32"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text, encoding = _strict(data, "utf-16", label), "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8", label), "utf-8-sig"
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise RefiError(f"{label}: binary data (a NUL byte) at {_where(data, nul)}; looks like a binary file, "
                            "not text; refused")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            bad, first = _utf8_errors(data)
            good = len(_UTF8_MULTI.findall(data))
            # Windows-1252 only when UTF-8 sequences are absent or a rare accident (an "Ø" before
            # a "»"); otherwise this is UTF-8 with damage, or two encodings mixed: not certain.
            if good * 10 >= bad:
                raise RefiError(f"{label}: UTF-8 text with {bad} byte(s) that are not UTF-8, the first at "
                                f"{_where(data, first)}; save it as UTF-8 and import again") from None
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                raise RefiError(f"{label}: neither UTF-8 nor Windows-1252 (byte {data[exc.start]:#04x} at "
                                f"{_where(data, exc.start)}); looks like binary data; refused") from None
    if "\x00" in text:
        raise RefiError(f"{label}: binary data (a NUL character) at {_text_where(text, text.index(chr(0)))}; refused")
    check_not_binary(text, label)
    return text, encoding


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper()
        raise RefiError(f"{label}: the file says it is {name} but is not valid {name} "
                        f"(at byte {exc.start}); refused") from None
