"""``python -m jixiao``."""

from jixiao.cli import run

run()
