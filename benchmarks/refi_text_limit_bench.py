"""How fast, and in how much memory, a small archive that unpacks to a huge text is refused
(issue 18.4): a .qdpx holding one ~440 MB source, and a .docx whose document.xml holds ~190 MB.
Prints sizes, seconds and peak memory (tracemalloc); never run by the tests.

    .venv/bin/python benchmarks/refi_text_limit_bench.py [MB]
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from themecoder.errors import UserError
from themecoder.io.readers import read_transcript
from themecoder.io.refi import read_qdpx

QDE = ('<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="bench"><Sources>'
       '<TextSource guid="22222222-2222-4222-8222-222222222222" name="a" plainTextPath="internal://a.txt"/>'
       "</Sources></Project>")


def block(n: int) -> bytes:
    rnd = random.Random(1)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyzæøå") for _ in range(rnd.randint(2, 9)))
             for _ in range(3000)]
    return " ".join(rnd.choice(words) for _ in range(n)).encode()


def write_repeated(zf: zipfile.ZipFile, name: str, head: bytes, unit: bytes, total: int, tail: bytes) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        fh.write(head)
        written = 0
        while written < total:
            fh.write(unit)
            written += len(unit)
        fh.write(tail)


def measure(label: str, fn) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        fn()
        outcome = "read (not refused!)"
    except UserError as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label}: {seconds:.2f} s, peak {peak / 1e6:.1f} MB; {outcome}")


def main() -> None:
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 440
    folder = Path(tempfile.mkdtemp())
    unit = block(4_500)  # ~30 KB of words, repeated inside the deflate window: compresses about 130:1
    qdpx = folder / "big.qdpx"
    with zipfile.ZipFile(qdpx, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", QDE)
        write_repeated(zf, "sources/a.txt", b"", unit, mb * 1024 * 1024, b"")
    print(f".qdpx: {qdpx.stat().st_size / 1e6:.1f} MB on disk, {mb} MB of text inside")
    measure("read_qdpx", lambda: read_qdpx(qdpx))

    docx = folder / "big.docx"
    head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>')
    para = b"<w:p><w:r><w:t>" + unit[:28000] + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(docx, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        write_repeated(zf, "word/document.xml", head, para, 190 * 1024 * 1024,
                       b"</w:body></w:document>")
    print(f".docx: {docx.stat().st_size / 1e6:.1f} MB on disk, 190 MB document.xml")
    measure("read_transcript", lambda: read_transcript(docx))


if __name__ == "__main__":
    main()
