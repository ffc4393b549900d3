"""Hostile Excel 97–2003 files: an OLE compound file whose sector chain loops."""

from __future__ import annotations

import struct
from pathlib import Path


def _follow(table, start: int) -> list[int]:
    chain, sect = [], start
    while sect < len(table) and sect not in chain:
        chain.append(sect)
        sect = table[sect]
    return chain


def looping_chain(src: Path, out: Path, stream: str = "Workbook") -> Path:
    """``src`` with the last sector of ``stream``'s chain pointing back to its first."""
    import olefile

    data = bytearray(src.read_bytes())
    with olefile.OleFileIO(str(src)) as ole:
        size = ole.sectorsize
        per = size // 4
        entry = next(d for d in ole.direntries if d is not None and d.name == stream)
        if entry.size < ole.minisectorcutoff and entry.entry_type != olefile.STGTY_ROOT:
            ole.loadminifat()
            chain = _follow(ole.minifat, entry.isectStart)
            holders = _follow(ole.fat, ole.first_mini_fat_sector)  # the sectors holding the MiniFAT
        else:
            chain = _follow(ole.fat, entry.isectStart)
            holders = [struct.unpack_from("<I", data, 76 + 4 * i)[0] for i in range(109)]  # the DIFAT
        last = chain[-1]
        offset = (holders[last // per] + 1) * size + (last % per) * 4
    struct.pack_into("<I", data, offset, chain[0])
    out.write_bytes(bytes(data))
    return out


def looping_directory(src: Path, out: Path) -> Path:
    """``src`` with its directory chain pointing back to its own first sector (calamine aborts)."""
    import olefile

    data = bytearray(src.read_bytes())
    with olefile.OleFileIO(str(src)) as ole:
        size, first = ole.sectorsize, ole.first_dir_sector
    per = size // 4
    fat_sector = struct.unpack_from("<I", data, 76 + 4 * (first // per))[0]
    struct.pack_into("<I", data, (fat_sector + 1) * size + (first % per) * 4, first)
    out.write_bytes(bytes(data))
    return out
