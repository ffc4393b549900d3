"""Build broken and hostile input files for tests: corrupt, encrypted, bombs, wrong formats.

Each builder takes a path (and usually a valid workbook to start from) and writes one defect.
Nothing large is committed: bombs are made here, in memory, in a fraction of a second.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>\n"
)
"""An XML prolog whose entity &lol9; expands to 10^9 "lol"s."""

XXE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
"""An XML prolog declaring an external entity that reads a local file."""


def rewrite_zip(src: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a zip part by part; ``change(name, data)`` returns new bytes, or None to keep them."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            new = change(info.filename, data)
            zout.writestr(info.filename, data if new is None else new)
    return out


def with_prolog(src: Path, out: Path, part: str, prolog: str, body_change=None) -> Path:
    """Replace the XML declaration of ``part`` with ``prolog`` (a DOCTYPE with entities)."""

    def change(name: str, data: bytes) -> bytes | None:
        if name != part:
            return None
        text = data.decode("utf-8")
        if text.startswith("<?xml"):
            text = text[text.index("?>") + 2 :].lstrip()
        if body_change is not None:
            text = body_change(text)
        return (prolog + text).encode("utf-8")

    return rewrite_zip(src, out, change)


def zip_bomb(src: Path, out: Path, megabytes: int = 64) -> Path:
    """A workbook whose first worksheet expands from about 64 KB to ``megabytes`` MB."""

    def change(name: str, data: bytes) -> bytes | None:
        if name != "xl/worksheets/sheet1.xml":
            return None
        # Padding inside the XML, where a parser would have to read through all of it.
        cut = data.index(b"<sheetData>")
        return data[:cut] + b" " * (megabytes << 20) + data[cut:]

    return rewrite_zip(src, out, change)


def lying_sizes(src: Path, out: Path, declared: int = 0xFFFF_FFF0) -> Path:
    """A workbook whose central directory declares a huge uncompressed size for every part."""
    data = bytearray(src.read_bytes())
    eocd = data.rindex(b"PK\x05\x06")
    (count,) = struct.unpack_from("<H", data, eocd + 10)
    (offset,) = struct.unpack_from("<I", data, eocd + 16)
    for _ in range(count):
        assert data[offset : offset + 4] == b"PK\x01\x02"
        struct.pack_into("<I", data, offset + 24, declared)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + name_len + extra_len + comment_len
    out.write_bytes(bytes(data))
    return out


def wrong_dimension(src: Path, out: Path, ref: str = "A1") -> Path:
    """What WPS writes: every worksheet claims to span only ``ref``."""
    import re

    def change(name: str, data: bytes) -> bytes | None:
        if not name.startswith("xl/worksheets/sheet"):
            return None
        return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data)

    return rewrite_zip(src, out, change)


def encrypted(src: Path, out: Path, password: str = "secret") -> Path:
    """The workbook encrypted with a password to open (an OLE file with EncryptionInfo)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    buffer = io.BytesIO()
    with src.open("rb") as fh:
        OOXMLFile(fh).encrypt(password, buffer)
    out.write_bytes(buffer.getvalue())
    return out


def truncated(src: Path, out: Path, keep: float = 0.5) -> Path:
    """The first part of the file only, as an interrupted download leaves it."""
    data = src.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


def corrupt_part(src: Path, out: Path, part: str = "xl/worksheets/sheet1.xml") -> Path:
    """Flip bytes inside one part's compressed data (the zip directory stays intact)."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    # Local header: 30 bytes + name + extra, then the compressed data.
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 10, start + min(info.compress_size, 60), 3):
        data[i] ^= 0xFF
    out.write_bytes(bytes(data))
    return out
