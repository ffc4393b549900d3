"""Placing a sheet's rows on the framework's tree: by label path, or by name in one column.

With a single 指标名称 column every row is looked up by name anywhere in the tree; an index
of names (and of each entry's parent) keeps that linear in the number of rows.
"""

from __future__ import annotations

import difflib
import functools

from jixiao.framework.models import ChildrenFromSheet
from jixiao.matching.cells import MatcherBase
from jixiao.matching.table_tree import is_placeholder, is_placeholder_name
from jixiao.matching.tree import Entry, keys, unique
from jixiao.read.table import SheetCell, SheetRow
from jixiao.values import (
    INVISIBLE,
    Label,
    fold_name,
    name_key,
)


class Placing(MatcherBase):
    """Rows → entries: known indicators, sheet-defined ones, duplicates and unknown names."""

    merged_reported: set[tuple[str, ...]]

    # -- rows → entries -------------------------------------------------------------------
    def place_rows(self) -> None:
        self.merged_reported = set()
        for row in self.table.rows:
            if self.blank_continuation(row) or self.form_placeholder(row):
                continue
            entry = self.place(row)
            if entry is None or self.placeholder(row, entry):
                continue
            if entry.row is not None:
                first = entry.row
                cell = row.labels[-1][1]
                if cell.row != row.row:  # a label merged down over several rows: say it once
                    if entry.path in self.merged_reported:
                        continue
                    self.merged_reported.add(entry.path)
                self.add(
                    "indicator-duplicate",
                    SheetCell(None, row.row, cell.col),
                    entry.path,
                    name=entry.name,
                    first=SheetCell(None, first.row, cell.col).ref,
                )
                continue
            entry.row = row

    def form_placeholder(self, row: SheetRow) -> bool:
        """A row the official form prints for rows to fill ("指标2:", "……", an unused 经济效益指标)
        and left empty: not an indicator (the same rule as the tree reading, table_tree)."""
        level_cols = self.table.level_columns
        own = [c for c in row.cells.values() if c.col not in set(level_cols)]
        if not all(is_placeholder(c.value) for c in own):
            return False
        label = row.labels[-1][1]
        return label.col != level_cols[-1] or is_placeholder_name(label.value)

    def blank_continuation(self, row: SheetRow) -> bool:
        """A row whose labels all come from merged cells above and whose cells are all blank.

        Worksheets leave such rows for the department to fill in its own 三级 indicators.
        """
        level_cols = set(self.table.level_columns)
        own = [c for c in row.cells.values() if c.col not in level_cols]
        return row.labels[-1][1].row != row.row and all(c.blank for c in own)

    def placeholder(self, row: SheetRow, entry: Entry) -> bool:
        """A blank row left under a node for the department's own indicators (not a score row)."""
        node = entry.node
        if node is None or node.children_from_sheet is ChildrenFromSheet.NO:
            return False
        level_cols = set(self.table.level_columns)
        own = [c for c in row.cells.values() if c.col not in level_cols]
        return len(row.labels) < len(level_cols) and all(c.blank for c in own)

    def place(self, row: SheetRow) -> Entry | None:
        if self.table.single_name_column:
            return self.place_by_name(row)
        entry = self.root
        for label, cell in row.labels:
            child = entry.children.get(label.key)
            if child is None:
                fixed = entry.node is not None and bool(entry.node.children)
                if entry is self.root or fixed or not entry.allows_sheet_children:
                    self.unknown(label, cell, entry)
                    return None
                child = Entry(label.name, (*entry.path, label.name), None)
                entry.children[label.key] = child
            self.note_label(child, label, cell)
            self._say_folded(label.name, child, cell)
            entry = child
        return entry

    @property
    def _folded_cells(self) -> set[str | None]:
        if not hasattr(self, "_folded"):
            self._folded: set[str | None] = set()
        return self._folded

    def _say_folded(self, name: str, entry: Entry, cell: SheetCell) -> None:
        """A name matched only once invisible or traditional characters were folded: say so."""
        if name.isascii() or entry.node is None:
            return
        what = _folded(name) if len(name) <= 200 else tuple(fold_name(name)[1])
        if what and cell.ref not in self._folded_cells:
            self._folded_cells.add(cell.ref)  # a label filled down a merged column: said once
            shown = "".join(f"[U+{ord(ch):04X}]" if ch in INVISIBLE else ch for ch in name)
            self.add("name-folded", cell, entry.path, name=shown, what="和".join(what), matched=entry.name)

    def place_by_name(self, row: SheetRow) -> Entry | None:
        """One 指标名称 column: find the name anywhere in the tree, else under the last node."""
        label, cell = row.labels[-1]
        found = self._name_index().get(label.key)
        if found is not None:
            entry = found
        else:
            last = self._last_placed
            parent = last
            while parent is not None and not (
                parent.allows_sheet_children and parent.node is not None and not parent.node.children
            ):
                parent = self._parent_of(parent)
            if parent is None:
                self.unknown(label, cell, self.root)
                return None
            entry = parent.children.get(label.key) or Entry(label.name, (*parent.path, label.name), None)
            parent.children[label.key] = entry
            self._register(entry, parent)
            self.note_label(entry, label, cell)
            return entry
        self.note_label(entry, label, cell)
        self._last_placed = entry
        return entry

    _last_placed: Entry | None = None

    def _entry_keys(self, e: Entry) -> list[str]:
        return keys(e.node) if e.node is not None else [name_key(e.name)]

    def _parent_of(self, target: Entry) -> Entry | None:
        self._name_index()
        parent = self._parents.get(id(target))
        return None if parent is None or parent is self.root else parent

    # Name → first entry in depth-first order, and entry → parent: built once, kept up to date as
    # sheet-defined indicators are added, so placing N rows by name costs O(N), not O(N²).
    _by_name: dict[str, Entry] | None = None
    _parents: dict[int, Entry]

    def _name_index(self) -> dict[str, Entry]:
        if self._by_name is None:
            self._by_name, self._parents = {}, {}
            stack = [(self.root, c) for c in reversed(unique(self.root.children))]
            while stack:  # depth first, in order (iterative: a long sheet must not hit the recursion limit)
                parent, entry = stack.pop()
                self._register(entry, parent)
                stack.extend((entry, c) for c in reversed(unique(entry.children)))
        return self._by_name

    def _register(self, entry: Entry, parent: Entry) -> None:
        index = self._name_index() if self._by_name is None else self._by_name
        self._parents[id(entry)] = parent
        for key in self._entry_keys(entry):
            index.setdefault(key, entry)

    def all_entries(self, entry: Entry) -> list[Entry]:
        out: list[Entry] = []
        for child in unique(entry.children):
            out.append(child)
            out += self.all_entries(child)
        return out

    def note_label(self, entry: Entry, label: Label, cell: SheetCell) -> None:
        if entry.label is None:
            entry.label = (label, cell)
        if label.points is not None and all(c.ref != cell.ref for _, c in entry.label_points):
            entry.label_points.append((label, cell))

    # The framework's own names (they never change while a sheet is placed), and how many
    # unknown rows get a "closest is …" hint: past that a flood of rows (a sheet of notes) is
    # reported without comparing each row with every name, which took a minute for 100,000.
    _framework_names: list[str] | None = None
    _unknown_count: int = 0
    HINTED_UNKNOWN = 200

    def unknown(self, label: Label, cell: SheetCell, parent: Entry) -> None:
        siblings = [e.name for e in unique(parent.children)]
        self._unknown_count += 1
        close: list[str] = []
        if self._unknown_count <= self.HINTED_UNKNOWN:
            if self._framework_names is None:
                self._framework_names = [e.name for e in self.all_entries(self.root) if e.node is not None]
            close = difflib.get_close_matches(label.name, siblings, n=1, cutoff=0.4) or (
                difflib.get_close_matches(label.name, self._framework_names, n=1, cutoff=0.6)
            )
        where = f"“{parent.name}”下" if parent is not self.root else "一级指标中"
        hint = f"，{where}最接近的是“{close[0]}”" if close else f"（{where}没有此指标）"
        values: dict[str, object] = {"name": label.text, "framework": self.fw.id, "hint": hint}
        self.add("indicator-unknown", cell, (*parent.path, label.name), **values)
        if close and close[0] in siblings:
            self.suggested.setdefault((*parent.path, close[0]), (len(self.findings) - 1, values))


@functools.lru_cache(maxsize=4096)
def _folded(name: str) -> tuple[str, ...]:
    """What :func:`fold_name` folded in a name (names recur on every row of a merged column)."""
    return tuple(fold_name(name)[1])
