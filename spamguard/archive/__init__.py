"""Cleaning passes over whole archives: folders, JSON Lines, WARC/WET, tar and zip.

``clean_paths(inputs, output, ArchiveOptions(...), Cleaner())`` is the library
entry point; ``spamguard clean`` is a thin shell over it.
"""
from spamguard.archive.options import DEFAULT_MAX_DOC_BYTES, ArchiveOptions
from spamguard.archive.records import Problem, Severity
from spamguard.archive.report import Report
from spamguard.archive.runner import clean_paths
from spamguard.archive.stats import Stats

__all__ = [
    "DEFAULT_MAX_DOC_BYTES",
    "ArchiveOptions",
    "Problem",
    "Report",
    "Severity",
    "Stats",
    "clean_paths",
]
