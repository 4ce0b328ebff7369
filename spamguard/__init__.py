"""spamguard: find and strip boilerplate and injected spam blocks from scraped text."""
import logging

from spamguard.clean import DEFAULT_THRESHOLD, Cleaner, clean
from spamguard.model import ModelError
from spamguard.segment import MarkupError
from spamguard.types import Block, CleanResult, Kind, Label

__all__ = [
    "DEFAULT_THRESHOLD", "Block", "CleanResult", "Cleaner", "Kind", "Label", "MarkupError", "ModelError", "clean",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
