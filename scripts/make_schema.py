"""Regenerate schema/framework.schema.json from the models (a test checks it is current)."""

from __future__ import annotations

from pathlib import Path

from jixiao.authoring.schema import schema_text

OUT = Path(__file__).resolve().parents[1] / "schema" / "framework.schema.json"

if __name__ == "__main__":
    OUT.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {OUT}")
