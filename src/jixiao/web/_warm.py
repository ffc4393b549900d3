"""Imported once by the worker processes' forkserver: frameworks parsed before any job."""

from jixiao.web import engine

engine.warm()
