"""The page's own stylesheet rules that hide: simple class and id selectors only."""
from __future__ import annotations

import lxml.html
import pytest

from spamguard.segment.stylesheet import HidingRules, hiding_style

CSS = """
/* .commented{display:none} */
@import url(site.css);
.lnk { display : none }
div.box.tight, #slot { position: absolute; left: -9999px }
.plain { color: red }
.menu:hover { display: none }
.nav .item { display: none }
@media (max-width: 600px) { .wide { display: none } }
@supports (display: grid) { .grid { visibility: hidden } }
.after-media { font-size: 0 }
"""


def reasons(body: str) -> list[str]:
    root = lxml.html.document_fromstring(f"<html><head><style>{CSS}</style></head><body>{body}</body></html>")
    rules = HidingRules.of(root)
    assert rules is not None
    return [rules.reason(element) for element in root.find("body").iter() if element.tag != "body"]


@pytest.mark.parametrize("body, expected", [
    ('<span class="a lnk">x</span>', "display:none"),
    ('<div class="tight box other">x</div>', "off-screen"),
    ('<div class="box">x</div>', ""),  # one class of two
    ('<p class="box tight">x</p>', ""),  # another tag
    ('<b id="slot">x</b>', "off-screen"),
    ('<span class="after-media">x</span>', "font-size:0"),
    ('<span class="plain">x</span>', ""),
    ('<span class="menu">x</span>', ""),  # pseudo-class: only on hover
    ('<span class="item">x</span>', ""),  # descendant: only in some places
    ('<span class="wide">x</span>', ""),  # media query: only on some screens
    ('<span class="grid">x</span>', ""),
    ('<span class="commented">x</span>', ""),
])
def test_simple_selectors_of_hiding_rules_hide(body: str, expected: str) -> None:
    assert reasons(body) == [expected]


def test_a_page_whose_style_elements_hide_nothing_has_no_rules() -> None:
    for page in ('<html><body><span class="lnk">x</span></body></html>',
                 '<html><head><style>.lnk{color:red; margin:0}</style></head></html>'):
        assert HidingRules.of(lxml.html.document_fromstring(page)) is None


def test_hiding_style_names_the_declaration() -> None:
    assert hiding_style("color: red; DISPLAY: None !important") == "display:none"
    assert hiding_style("height:0; overflow : hidden") == "zero size"
    assert hiding_style("opacity:0.5; font-size:0.9em") == ""


def test_stylesheet_soup_is_read_in_linear_time() -> None:
    """Runs that made a pattern rescan to the end from every character: minutes each, when it was so."""
    import subprocess
    import sys

    soups = ["'@' * 300_000", "'/* ' * 200_000", "'height:0;' * 400_000", "'.x{display:none}' + 'a' * 2_000_000"]
    program = ("import lxml.html\nfrom spamguard.segment.stylesheet import HidingRules\n"
               "for css in [" + ", ".join(soups) + "]:\n"
               "    root = lxml.html.document_fromstring('<html><head><style></style></head><body><b class=\"x\">b</b></body></html>')\n"
               "    root.find('head/style').text = css\n"
               "    rules = HidingRules.of(root)\n"
               "    print(rules.reason(root.find('body/b')) if rules else '-')\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=True)
    assert done.stdout.split() == ["-", "-", "-", "display:none"]
