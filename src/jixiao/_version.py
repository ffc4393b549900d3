"""The package version (one place: pyproject.toml reads it from here).

A literal rather than ``importlib.metadata``: reading the installed metadata costs more at
start-up than scoring a sheet, and every command records the version.
"""

__version__ = "0.1.0"
