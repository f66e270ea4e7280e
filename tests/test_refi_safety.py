"""Hostile and broken inputs: each is refused with a one-line RefiError, nothing is written."""
from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from themecoder.errors import UserError
from themecoder.io.refi import Limits, RefiError, read_qdc, read_qde, read_qde_bytes, read_qdpx, read_refi
from themecoder.io.refi.safety import SafeZip, check_member_name, decode_text, safe_relative

MB = 1 << 20

MINIMAL_QDE = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test">'
    b'<CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="c" isCodable="true"/></Codes></CodeBook>'
    b"</Project>"
)


def _tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


def _one_line(exc: pytest.ExceptionInfo) -> str:
    msg = str(exc.value)
    assert "\n" not in msg and msg
    assert isinstance(exc.value, UserError)
    return msg


# -- zip slip --------------------------------------------------------------------------------

@pytest.mark.parametrize("evil", ["../evil.txt", "sources/../../evil.txt", "/tmp/evil.txt", "C:\\evil.txt",
                                  "..\\evil.txt", "sources/..\\..\\evil.txt"])
def test_zip_slip_entry_names_are_refused(tmp_path: Path, evil: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    qdpx = work / "slip.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("project.qde", MINIMAL_QDE)
        zf.writestr(zipfile.ZipInfo(evil), b"pwned")
    before = _tree(tmp_path)
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx)
    assert "unsafe entry name" in _one_line(exc)
    assert _tree(tmp_path) == before
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name, why", [("../x", "'..' in path"), ("/x", "absolute path"), ("C:x", "drive letter"),
                                       ("a\x00b", "NUL in name"), ("sources/a.txt", None), ("a..b.txt", None)])
def test_check_member_name(name: str, why: str | None) -> None:
    assert check_member_name(name) == why


def test_internal_references_cannot_escape(tmp_path: Path) -> None:
    """A .qde may point its sources anywhere; only archive entries are ever read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
        '<TextSource guid="22222222-2222-4222-8222-222222222222" name="a" plainTextPath="internal://../../secret.txt"/>'
        f'<TextSource guid="33333333-3333-4333-8333-333333333333" name="b" plainTextPath="absolute://{secret.as_posix()}"/>'
        '<TextSource guid="44444444-4444-4444-8444-444444444444" name="c" plainTextPath="internal:///etc/passwd"/>'
        '<TextSource guid="55555555-5555-4555-8555-555555555555" name="d" plainTextPath="relative://secret.txt"/>'
        "</Sources></Project>"
    )
    qdpx = tmp_path / "p.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("project.qde", qde)
    p = read_qdpx(qdpx)
    assert all(s.text is None for s in p.sources)
    messages = [r.message for r in p.report.missing_sources]
    assert "refused unsafe path" in messages[0]
    assert "not included" in messages[1]
    assert "refused unsafe path" in messages[2]
    assert "not included" in messages[3]
    assert safe_relative("a/./b.txt") == "a/b.txt"
    assert safe_relative("../b.txt") is None


# -- zip bombs -------------------------------------------------------------------------------

def _zeros_deflated(megabytes: int) -> bytes:
    """Raw deflate of ``megabytes`` MiB of zeros, built from one repeated block: about 1 KB
    per MiB, made in milliseconds without compressing the whole thing."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(b"\0" * MB) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(b"\0" * MB) + co.flush(zlib.Z_FULL_FLUSH)
    assert again == block  # after a full flush every block is the same bytes
    return block * megabytes + co.flush()


def _craft_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from raw deflated entries (name, data, declared size, crc): headers can lie."""
    out = bytearray()
    central = bytearray()
    for name, data, size, crc in entries:
        n = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(n), 0) + n + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(n), 0, 0, 0, 0, 0, offset
        ) + n
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


def _deflate(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def test_zip_bomb_refused_by_declared_size(tmp_path: Path) -> None:
    bomb = _zeros_deflated(600)  # 600 MiB of zeros in about 600 KB
    qdpx = tmp_path / "bomb.qdpx"
    qdpx.write_bytes(_craft_zip([
        ("project.qde", _deflate(MINIMAL_QDE), len(MINIMAL_QDE), zlib.crc32(MINIMAL_QDE)),
        ("sources/big.txt", bomb, 600 * MB, 0),
    ]))
    assert qdpx.stat().st_size < 1 * MB
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx)
    assert "would unpack to" in _one_line(exc)


def test_zip_bomb_with_lying_header_is_stopped_while_reading(tmp_path: Path) -> None:
    """The header claims 1 KB; the stream holds 300 MiB. Reading stops at the claimed size
    (zipfile) and the damaged entry is refused; no more than that is ever produced."""
    qdpx = tmp_path / "liar.qdpx"
    qdpx.write_bytes(_craft_zip([("project.qde", _zeros_deflated(300), 1024, 0)]))
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx)
    assert "damaged" in _one_line(exc)


def test_zip_bomb_refused_by_ratio_while_streaming(tmp_path: Path) -> None:
    """Declared honestly and under the total limit, but 1000:1: stopped after the ratio cap."""
    data = _zeros_deflated(300)
    qdpx = tmp_path / "ratio.qdpx"
    qdpx.write_bytes(_craft_zip([("project.qde", data, 300 * MB, 0)]))
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx)
    assert "compression ratio" in _one_line(exc)


def test_actual_bytes_are_counted_not_headers(tmp_path: Path) -> None:
    qdpx = tmp_path / "p.qdpx"
    payload = os.urandom(64 * 1024) * 8  # 512 KiB
    with zipfile.ZipFile(qdpx, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", MINIMAL_QDE)
        zf.writestr("sources/a.txt", payload)
    with SafeZip(qdpx) as z:
        z.limits = Limits(max_total_bytes=100 * 1024, chunk_bytes=4096)  # as if the headers had lied
        with pytest.raises(RefiError) as exc:
            z.read("sources/a.txt")
        assert "unpacks to more than" in _one_line(exc)


def test_too_many_entries(tmp_path: Path) -> None:
    qdpx = tmp_path / "many.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("project.qde", MINIMAL_QDE)
        for i in range(30):
            zf.writestr(f"sources/{i}.txt", b"x")
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx, limits=Limits(max_entries=20))
    assert "31 entries" in _one_line(exc)
    assert read_qdpx(qdpx).codes  # fine with the default limit


# -- XML attacks and damage ------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>
"""


def xxe(target: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>'
    ).encode()


def test_billion_laughs_in_an_archive(tmp_path: Path) -> None:
    qdpx = tmp_path / "laughs.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("project.qde", BILLION_LAUGHS)
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx)
    msg = _one_line(exc)
    assert "refused" in msg and "project.qde" in msg


def test_billion_laughs_bare_and_codebook(tmp_path: Path) -> None:
    for name in ("laughs.qde", "laughs.qdc"):
        f = tmp_path / name
        f.write_bytes(BILLION_LAUGHS)
        with pytest.raises(RefiError):
            read_refi(f)
    with pytest.raises(RefiError):
        read_qdc(tmp_path / "laughs.qdc")


def test_xxe_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    f = tmp_path / "xxe.qde"
    f.write_bytes(xxe(secret))
    with pytest.raises(RefiError) as exc:
        read_qde(f)
    assert "secret" not in _one_line(exc).replace("secret.txt", "")
    qdpx = tmp_path / "xxe.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("project.qde", xxe(secret))
    with pytest.raises(RefiError):
        read_qdpx(qdpx)


def test_external_dtd_is_refused_without_network() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.invalid/evil.dtd"><Project name="p"/>'
    with pytest.raises(RefiError):
        read_qde_bytes(data)


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    qdpx = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("Study.qde", b'<?xml version="1.0"?>\n<Project name="p">\n  <Users>\n</Project>\n')
    with pytest.raises(RefiError) as exc:
        read_qdpx(qdpx)
    msg = _one_line(exc)
    assert "broken.qdpx:Study.qde" in msg and "line 4" in msg


def test_not_a_project(tmp_path: Path) -> None:
    f = tmp_path / "x.qde"
    f.write_bytes(b"<html/>")
    with pytest.raises(RefiError, match="not a REFI-QDA project"):
        read_qde(f)
    with pytest.raises(RefiError, match="codebook"):
        read_qde_bytes(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(RefiError, match="not a readable zip"):
        read_qdpx(f)
    with pytest.raises(RefiError, match="file not found"):
        read_qdpx(tmp_path / "nope.qdpx")


def test_qde_must_be_single_and_at_the_root(tmp_path: Path) -> None:
    none = tmp_path / "none.qdpx"
    with zipfile.ZipFile(none, "w") as zf:
        zf.writestr("sub/project.qde", MINIMAL_QDE)
    with pytest.raises(RefiError, match="no .qde"):
        read_qdpx(none)
    two = tmp_path / "two.qdpx"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.qde", MINIMAL_QDE)
        zf.writestr("b.qde", MINIMAL_QDE)
    with pytest.raises(RefiError, match="ambiguous"):
        read_qdpx(two)


def test_deeply_nested_codes_are_refused() -> None:
    depth = 300
    opens = "".join(f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="c{i}" isCodable="true">' for i in range(depth))
    data = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
        + opens + "</Code>" * depth + "</Codes></CodeBook></Project>"
    ).encode()
    with pytest.raises(RefiError, match="nested deeper"):
        read_qde_bytes(data)


# -- text decoding ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Blåbær 😀".encode("utf-8"), "Blåbær 😀", "utf-8"),
        (b"\xef\xbb\xbf" + "Blåbær".encode("utf-8"), "Blåbær", "utf-8-sig"),
        ("\ufeffBlåbær 😀".encode("utf-16-le"), "Blåbær 😀", "utf-16"),
        ("\ufeffBlåbær 😀".encode("utf-16-be"), "Blåbær 😀", "utf-16"),
        ("Blåbær".encode("cp1252"), "Blåbær", "cp1252"),
    ],
)
def test_decode_text(data: bytes, text: str, encoding: str) -> None:
    assert decode_text(data) == (text, encoding)


def test_utf16_source_with_bom_in_an_archive(tmp_path: Path) -> None:
    text = "Hei\r\nBlåbær 😀 søt"
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test"><CodeBook><Codes>'
        '<Code guid="11111111-1111-4111-8111-111111111111" name="c" isCodable="true"/></Codes></CodeBook><Sources>'
        '<TextSource guid="22222222-2222-4222-8222-222222222222" name="a" plainTextPath="internal://a.txt">'
        '<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" name="søt" startPosition="14" endPosition="17">'
        '<Coding guid="44444444-4444-4444-8444-444444444444"><CodeRef targetGUID="11111111-1111-4111-8111-111111111111"/>'
        "</Coding></PlainTextSelection></TextSource></Sources></Project>"
    )
    qdpx = tmp_path / "u16.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("Sources/A.TXT", ("\ufeff" + text).encode("utf-16-le"))  # case differs too
    p = read_qdpx(qdpx)
    src = p.sources[0]
    assert src.text == "Hei\nBlåbær 😀 søt"
    assert src.quote(src.selections[0]) == "søt"
    assert p.report.sources[0].encoding == "utf-16"
    assert p.report.sources[0].convention == "codepoints"
