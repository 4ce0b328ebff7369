"""Inputs the parsers cannot take whole, shared by the tests of every entry point."""
from __future__ import annotations

# libxml2 reads at most 2,048 levels of nesting, even with huge_tree.
TOO_DEEP = 3000


def too_deep_html(paragraph: str) -> str:
    """A page whose one paragraph sits deeper than the HTML parser goes."""
    return "<html><body>" + "<div>" * TOO_DEEP + f"<p>{paragraph}</p>" + "</div>" * TOO_DEEP + "</body></html>"
