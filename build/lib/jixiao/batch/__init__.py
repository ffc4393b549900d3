"""Batch scoring for a finance bureau: discover files, score them (serially or in a pool), summarise."""

from jixiao.batch.discover import discover
from jixiao.batch.run import FileOutcome, default_jobs, iter_outcomes, score_one
from jixiao.batch.summary import BatchSummary, IndicatorStats, score_batch, summary_frame

__all__ = [
    "BatchSummary",
    "FileOutcome",
    "IndicatorStats",
    "default_jobs",
    "discover",
    "iter_outcomes",
    "score_batch",
    "score_one",
    "summary_frame",
]
