"""Moved to :mod:`jixiao.matching.table_tree` (scoring reads the sheet's own tree the same way)."""

from jixiao.matching.table_tree import (  # noqa: F401  (kept for code that imports the old place)
    HEADER_SCAN_ROWS,
    _find_header,
    _Node,
    _TableReader,
    bonus_limits,
    cell_text,
    display_name,
)
