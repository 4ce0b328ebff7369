"""Hiding in a page's own ``<style>`` elements: the class and id selectors that take text out of sight.

Injected links hide behind a class as often as behind an inline style
(``<style>.lnk{display:none}</style> ... <div class="lnk">``). Only simple
selectors are read (``.a``, ``#b``, ``div.a.b``, comma lists of them): a
descendant or pseudo-class selector hides in some contexts only, and a rule
inside ``@media`` hides on some screens only, so neither says the text is out
of sight. Stylesheets the page links to are not fetched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree

# Declarations that take text out of sight, matched on lower-cased style text
# without white space: a name and the patterns that must all be found, one
# alternative a line. (One pattern for "zero size" in either order, with ".*",
# took time quadratic in a style of many "height:0".)
HIDING_STYLES = (
    ("display:none", (re.compile(r"display:none"),)),
    ("visibility:hidden", (re.compile(r"visibility:hidden"),)),
    ("font-size:0", (re.compile(r"font-size:0(?:px|pt|em|rem|%)?(?![\d.])"),)),
    ("opacity:0", (re.compile(r"opacity:0(?:\.0*)?(?![\d.])"),)),
    ("off-screen", (re.compile(r"(?:left|top|right|text-indent|margin-left):-\d{3,}"),)),
    ("zero size", (re.compile(r"(?:height|width):0(?:px)?(?![\d.])"), re.compile(r"overflow:hidden"))),
)
# A quick look for any of those declarations in raw style text, before the exact test.
_MAY_HIDE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0"
                       r"|:\s*-\s*\d{3}|overflow\s*:\s*hidden", re.IGNORECASE)
_SIMPLE_SELECTOR = re.compile(r"([a-z][a-z0-9]*)?((?:[.#][\w-]+)+)", re.IGNORECASE)
_PART = re.compile(r"([.#])([\w-]+)")
# Up to the next "@" too: a run of "@" without ";" made each one scan to the end.
_AT_STATEMENT = re.compile(r"@[^{};@]*;")
_BRACE_OR_AT = re.compile(r"[@{}]")


def hiding_style(style: str) -> str:
    """The name of the first hiding declaration in ``style`` (an inline style or a rule's body), or ``""``."""
    compact = "".join(style.lower().split())
    for reason, patterns in HIDING_STYLES:
        if all(pattern.search(compact) for pattern in patterns):
            return reason
    return ""


@dataclass(frozen=True)
class _Selector:
    tag: str
    classes: frozenset[str]
    element_id: str

    def matches(self, element: lxml.etree._Element) -> bool:
        if self.tag and element.tag != self.tag:
            return False
        if self.element_id and element.get("id") != self.element_id:
            return False
        return self.classes <= set((element.get("class") or "").split())


class HidingRules:
    """The page's stylesheet rules that hide, by the class or id an element must carry."""

    def __init__(self, css: str) -> None:
        self._css = css
        self._rules: dict[str, list[tuple[_Selector, str]]] | None = None

    @classmethod
    def of(cls, root: lxml.etree._Element) -> HidingRules | None:
        """The rules of the page's style elements; ``None`` when no declaration in them could hide."""
        css = "\n".join(style.text or "" for style in root.iter("style"))
        return cls(css) if _MAY_HIDE.search(css) else None

    def reason(self, element: lxml.etree._Element) -> str:
        """Why the stylesheet hides ``element``, or ``""``.

        The rules are parsed at the first question that names a class or id
        the style elements mention (most classes come from stylesheets the
        page links to).
        """
        keys = [f".{name}" for name in (element.get("class") or "").split()]
        if element.get("id"):
            keys.append(f"#{element.get('id')}")
        if not any(key in self._css for key in keys):
            return ""
        if self._rules is None:
            self._rules = _hiding_rules(self._css)
        for key in keys:
            for selector, reason in self._rules.get(key, ()):
                if selector.matches(element):
                    return reason
        return ""


def _hiding_rules(css: str) -> dict[str, list[tuple[_Selector, str]]]:
    """Hiding rules of ``css``, by the class or id a matching element must carry."""
    by_key: dict[str, list[tuple[_Selector, str]]] = {}
    # Split at braces, not matched by a pattern: one that restarts at every
    # character of a long run without braces is quadratic in the run.
    for rule in _top_level(_without_comments(css)).split("}"):
        selectors, brace, declarations = rule.partition("{")
        reason = hiding_style(declarations) if brace and _MAY_HIDE.search(declarations) else ""
        if not reason:
            continue
        for text in selectors.split(","):
            selector = _simple(text.strip())
            if selector is not None:
                key = f"#{selector.element_id}" if selector.element_id else f".{min(selector.classes)}"
                by_key.setdefault(key, []).append((selector, reason))
    return by_key


def _simple(text: str) -> _Selector | None:
    match = _SIMPLE_SELECTOR.fullmatch(text)
    if match is None:
        return None
    parts = _PART.findall(match.group(2))
    ids = [name for mark, name in parts if mark == "#"]
    if len(ids) > 1:
        return None
    return _Selector(tag=(match.group(1) or "").lower(), classes=frozenset(name for mark, name in parts if mark == "."),
                     element_id=ids[0] if ids else "")


def _without_comments(css: str) -> str:
    """``css`` without its comments (an unclosed one runs to the end); found by position, in linear time."""
    kept, position = [], 0
    while (start := css.find("/*", position)) >= 0:
        kept.append(css[position:start])
        end = css.find("*/", start + 2)
        if end < 0:
            return "".join(kept)
        position = end + 2
    kept.append(css[position:])
    return "".join(kept)


def _top_level(css: str) -> str:
    """``css`` without at-rules (``@import ...;``, ``@media ... {...}``): only what always applies."""
    css = _AT_STATEMENT.sub("", css)
    if "@" not in css:
        return css
    kept, depth, inside_at_rule, position = [], 0, False, 0
    for mark in _BRACE_OR_AT.finditer(css):
        char, index = mark.group(), mark.start()
        if char == "@":
            if depth == 0 and not inside_at_rule:
                kept.append(css[position:index])
                inside_at_rule = True
        elif char == "{":
            depth += 1
        else:
            depth = max(depth - 1, 0)
            if depth == 0 and inside_at_rule:
                inside_at_rule = False
                position = index + 1
    if not inside_at_rule:
        kept.append(css[position:])
    return "".join(kept)
