"""Word lists the features consult: spam vocabulary and function words."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import stopwordsiso

# Scripts written without spaces between words: their terms are found as substrings.
UNSPACED_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
SPAM_TERMS_RESOURCE = "spam-terms.tsv"


def _combining_marks() -> str:
    """Regex class ranges of the combining marks in the Basic Multilingual Plane outside unspaced scripts."""
    marks = [code for code in range(0x300, 0x10000)
             if unicodedata.category(chr(code))[0] == "M" and not UNSPACED_SCRIPT.match(chr(code))]
    ranges: list[list[int]] = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


COMBINING_MARKS = _combining_marks()
# A word: \w plus the combining marks it leaves out, which would otherwise cut
# Devanagari, Bengali or Tamil words at every vowel sign ("मटका" into "मटक").
WORD = re.compile(rf"[\w{COMBINING_MARKS}]+")


def lower(text: str) -> str:
    """Lower case that keeps Turkish words whole.

    ``"İ".lower()`` is ``i`` plus a combining dot, which splits ``SİTELER``
    into two words; dotted capital I is mapped to plain ``i`` first.
    """
    return text.replace("İ", "i").lower()


@dataclass(frozen=True)
class SpamLexicon:
    """Spam vocabulary by family: spaced terms match whole words, unspaced ones substrings."""

    spaced: dict[str, str]
    unspaced: tuple[tuple[str, str], ...]
    longest: int
    # First words of multi-word terms: longer n-grams are tried only from these.
    openers: frozenset[str]

    @classmethod
    def parse(cls, tsv: str) -> SpamLexicon:
        spaced: dict[str, str] = {}
        unspaced: list[tuple[str, str]] = []
        for row in tsv.splitlines()[1:]:
            if not row.strip():
                continue
            family, _lang, term = row.split("\t")
            words = WORD.findall(lower(term))
            if UNSPACED_SCRIPT.search(term):
                unspaced.append((lower(term), family))
            elif words:
                spaced[" ".join(words)] = family
        longest = max((key.count(" ") + 1 for key in spaced), default=1)
        openers = frozenset(key.split(" ", 1)[0] for key in spaced if " " in key)
        return cls(spaced=spaced, unspaced=tuple(unspaced), longest=min(longest, 6), openers=openers)

    def hits(self, words: list[str], text: str) -> list[str]:
        """The family of every term found, once per occurrence."""
        return self._word_hits(words) + self._phrase_hits(words) + self._unspaced_hits(text)

    def families_in(self, text: str) -> list[str]:
        """``hits`` of a text not yet split into words."""
        return self.hits(WORD.findall(lower(text)), text)

    def _word_hits(self, words: list[str]) -> list[str]:
        spaced = self.spaced
        if spaced.keys().isdisjoint(words):  # most blocks, found without a Python loop
            return []
        return [spaced[word] for word in words if word in spaced]

    def _phrase_hits(self, words: list[str]) -> list[str]:
        found: list[str] = []
        if self.openers.isdisjoint(words):  # most blocks: no term of several words starts in them
            return found
        for index, word in enumerate(words):
            if word in self.openers:
                for size in range(2, min(self.longest, len(words) - index) + 1):
                    family = self.spaced.get(" ".join(words[index:index + size]))
                    if family:
                        found.append(family)
        return found

    def _unspaced_hits(self, text: str) -> list[str]:
        found: list[str] = []
        if self.unspaced and UNSPACED_SCRIPT.search(text):
            lowered = lower(text)
            for term, family in self.unspaced:
                found.extend([family] * lowered.count(term))
        return found


@functools.cache
def spam_lexicon() -> SpamLexicon:
    """The spam vocabulary shipped in the package (read once per process)."""
    tsv = resources.files("spamguard").joinpath("lexicons", SPAM_TERMS_RESOURCE).read_text(encoding="utf-8")
    return SpamLexicon.parse(tsv)


@functools.cache
def function_words() -> frozenset[str]:
    """Stopwords of every language stopwords-iso knows, lower-cased."""
    return frozenset(word.lower() for word in stopwordsiso.stopwords(stopwordsiso.langs()))
