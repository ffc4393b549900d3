"""Readers and writers at the edges: workbooks in, result workbooks, templates and JSON out."""
