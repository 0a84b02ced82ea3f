"""Hostile spreadsheets, built for the tests that prove they are refused."""

from __future__ import annotations

import io
import zipfile
import zlib

from openpyxl import Workbook

MARK = "BIG-CELL-GOES-HERE"
CHUNK = b"A" * (16 * 1024 * 1024)


def _one_chunk_block() -> bytes:
    # After a full flush deflate forgets what came before, so the compressed form of CHUNK is
    # the same block every time: compressing it once is enough for any number of repetitions.
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    co.compress(CHUNK)
    co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(CHUNK) + co.flush(zlib.Z_FULL_FLUSH)
    return block


class _RepeatingCompressor:
    def __init__(self, block: bytes):
        self.block = block
        self.co = zlib.compressobj(9, zlib.DEFLATED, -15)

    def compress(self, data: bytes) -> bytes:
        if len(data) == len(CHUNK) and data == CHUNK:
            return self.block
        return self.co.compress(data) + self.co.flush(zlib.Z_FULL_FLUSH)

    def flush(self) -> bytes:
        return self.co.flush()


def xlsx_with_one_huge_cell(size: int = 1_500_000_000) -> bytes:
    """A real, valid workbook (header name/phone, one contact) whose first contact's name is one
    cell of `size` letters: about 1.5 MB on disk for 1.5 GB of cell."""
    wb = Workbook()
    ws = wb.active
    ws.append(["ชื่อ", "โทรศัพท์"])
    ws.append([MARK, "0812345678"])
    buf = io.BytesIO()
    wb.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    block = _one_chunk_block()
    out = io.BytesIO()
    original = zipfile._get_compressor
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if MARK.encode() not in data:
                archive.writestr(info.filename, data)
                continue
            before, after = data.split(MARK.encode())
            zipfile._get_compressor = lambda *a, **k: _RepeatingCompressor(block)
            try:
                with archive.open(info.filename, "w", force_zip64=True) as member:
                    member.write(before)
                    written = 0
                    while written + len(CHUNK) <= size:
                        member.write(CHUNK)
                        written += len(CHUNK)
                    member.write(b"A" * (size - written) + after)
            finally:
                zipfile._get_compressor = original
    return out.getvalue()
