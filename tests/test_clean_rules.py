"""The Cleaner's rules after the model, on blocks whose verdicts are given (no model involved)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from spamguard.clean import _drop_outside_main_region, _headline, _join_spam_groups, _join_spam_runs, _keep_headline, _keep_lists_whole, _keep_long_blocks_inside_text, _keep_quoted_spam_wording, _keep_some_prose, _keep_spam_wording_the_page_discusses, _not_confident, _removal_threshold
from spamguard.single_page import cross_host_rows, single_page_rows, single_page_wins
from spamguard.title import TitleMatcher, page_title
from spamguard.types import Block, Document, Kind, Label, LinkFacts, Segment, SiteFacts

STRIP = frozenset({Label.SPAM, Label.BOILERPLATE})


def _page(verdicts: list[tuple[str, Label, float, bool]]) -> tuple[list[Block], list[Segment]]:
    blocks, segments, offset = [], [], 0
    for line, (text, label, score, removed) in enumerate(verdicts, start=1):
        segments.append(Segment(text=text, start=offset, end=offset + len(text), line=line))
        blocks.append(Block(text=text, start=offset, end=offset + len(text), line=line, label=label,
                            score=score, removed=removed, reasons=("model",)))
        offset += len(text) + 1
    return blocks, segments


NO_TITLE = TitleMatcher("")


def _headline_kept(blocks: list[Block], segments: list[Segment], boilerplate: np.ndarray, title: TitleMatcher,
                   title_from: int = 0) -> tuple[Block, ...]:
    return _keep_headline(blocks, segments, STRIP, boilerplate, _headline(blocks, segments, title, title_from))
ARTICLE_START = "The game turned in the final minute when the defence forced a fumble near the goal line."


def test_a_header_strip_above_a_headline_at_the_top_goes_but_prose_stays() -> None:
    standfirst = "Below, we look at the snap counts and the defensive stats of last night's game."
    blocks, segments = _page([
        ("Sports | Football | Scores", Label.CONTENT, 0.55, False),
        (standfirst, Label.BOILERPLATE, 0.62, False),
        ("Browns hold on in a late thriller", Label.CONTENT, 0.6, False),
        (ARTICLE_START, Label.CONTENT, 0.95, False),
    ])
    result = _headline_kept(blocks, segments, np.array([0.45, 0.62, 0.3, 0.01]), NO_TITLE)
    assert [block.removed for block in result] == [True, False, False, False]
    assert result[0].label is Label.BOILERPLATE and result[0].score == 0.45
    assert result[0].reasons[0] == "header line above the article's headline"
    assert result[1] == blocks[1]


def test_lists_above_a_headline_further_down_are_left_to_the_model() -> None:
    specs = [(f"Connector {number}: XLR and USB-C", Label.BOILERPLATE, 0.6, False) for number in range(5)]
    blocks, segments = _page([*specs, ("Browns hold on in a late thriller", Label.CONTENT, 0.6, False),
                              (ARTICLE_START, Label.CONTENT, 0.95, False)])
    result = _headline_kept(blocks, segments, np.array([0.6] * 5 + [0.3, 0.01]), NO_TITLE)
    assert result == tuple(blocks)


def test_a_confident_removal_above_the_headline_stands() -> None:
    banner = "Support our newsroom today: become a member from two dollars a month."
    blocks, segments = _page([
        (banner, Label.BOILERPLATE, 0.93, True),
        ("Browns hold on in a late thriller", Label.CONTENT, 0.6, False),
        (ARTICLE_START, Label.CONTENT, 0.95, False),
    ])
    result = _headline_kept(blocks, segments, np.array([0.93, 0.3, 0.01]), NO_TITLE)
    assert [block.removed for block in result] == [True, False, False]


def test_the_block_repeating_the_page_title_is_the_headline_not_the_dateline_below_it() -> None:
    blocks, segments = _page([
        ("Browns hold on in a late thriller | Daily Ledger", Label.BOILERPLATE, 0.9, True),
        ("Sports", Label.BOILERPLATE, 0.95, True),
        ("Browns hold on in a late thriller", Label.BOILERPLATE, 0.9, True),
        ("By Ann Lee", Label.BOILERPLATE, 0.8, True),
        ("November 19, 2019, 9:02 AM", Label.BOILERPLATE, 0.6, False),
        ("Share Tweet", Label.BOILERPLATE, 0.75, True),
        (ARTICLE_START, Label.CONTENT, 0.95, False),
    ])
    result = _headline_kept(blocks, segments, np.array([0.9, 0.95, 0.9, 0.8, 0.6, 0.75, 0.01]),
                            TitleMatcher(blocks[0].text), title_from=1)
    assert [block.removed for block in result] == [True, True, False, True, False, True, False]
    assert result[2].reasons[0] == "kept: the article's headline"
    # Without the title the nearest short line above the first paragraph stands for the headline.
    result = _headline_kept(blocks, segments, np.array([0.9, 0.95, 0.9, 0.8, 0.6, 0.75, 0.01]), NO_TITLE)
    assert [block.removed for block in result] == [True, True, True, True, False, False, False]


def test_the_first_line_of_a_text_is_where_its_title_comes_from_not_its_headline() -> None:
    blocks, segments = _page([
        ("Sports | Football | Scores", Label.BOILERPLATE, 0.9, True),
        ("Support our newsroom", Label.BOILERPLATE, 0.9, True),
        (ARTICLE_START, Label.CONTENT, 0.95, False),
    ])
    result = _headline_kept(blocks, segments, np.array([0.9, 0.9, 0.01]), TitleMatcher(blocks[0].text),
                            title_from=1)
    assert [block.removed for block in result] == [True, False, False]
    assert result[1].reasons[0] == "kept: the article's headline"


@pytest.mark.parametrize(("verdicts", "removed"), [
    # Spam put between a title and its story is a short unpunctuated line too.
    ([("Harbour ferry timetable changes from May", Label.BOILERPLATE, 0.51, False),
      ("casino bonus no deposit, free spins, best online casino", Label.SPAM, 0.99, True),
      (ARTICLE_START, Label.CONTENT, 0.95, False)], [False, True, False]),
    # So is an anchor of a spam list that the model calls boilerplate.
    ([("libreng robux cebu", Label.SPAM, 1.0, True),
      ("Discount Code Angeles City", Label.BOILERPLATE, 0.71, True),
      ("libreng robux pasig", Label.SPAM, 1.0, True),
      (ARTICLE_START, Label.CONTENT, 0.95, False)], [True, True, True, False]),
])
def test_spam_and_what_is_next_to_it_are_never_the_headline(verdicts: list, removed: list[bool]) -> None:
    blocks, segments = _page(verdicts)
    leaning = np.array([score if label is Label.BOILERPLATE else 0.01 for _, label, score, _ in verdicts])
    result = _headline_kept(blocks, segments, leaning, TitleMatcher(blocks[0].text), title_from=1)
    assert [block.removed for block in result] == removed
    assert all(block.reasons == ("model",) for block in result)


def _document(page_counts: tuple[int, ...] | None, host_counts: tuple[int, ...] = (), host_pages: int = 40) -> Document:
    count = len(page_counts) if page_counts else 2
    segments = tuple(Segment(text=f"block {index}", start=0, end=0, line=index + 1) for index in range(count))
    site = SiteFacts(host_pages=host_pages, page_counts=page_counts, host_counts=host_counts) if page_counts else None
    return Document(segments=segments, kind=Kind.TEXT, site=site)


def test_only_blocks_on_most_of_their_hosts_pages_or_campaign_spam_keep_the_profiled_view() -> None:
    # On a host of 40 pages: chrome on all, a unique block, campaign spam seen once on each of 12 hosts,
    # a block new to the profile, one on 12 pages (a related list repeating this page's title), one on 20.
    documents = [
        _document((40, 1, 1, 0, 12, 20), (1, 1, 12, 12, 1, 1)),
        _document(None),  # no site facts: the profile was never involved
    ]
    profiled_spam = np.array([False, False, True, False, False, False, False, False])
    campaign = cross_host_rows(documents) & profiled_spam
    assert list(single_page_rows(documents, campaign)) == [False, True, False, True, True, False, False, False]


def test_on_a_small_host_a_block_on_one_page_gets_the_single_page_view() -> None:
    documents = [_document((2, 1, 2), (1, 1, 1), host_pages=2)]
    assert list(single_page_rows(documents, np.zeros(3, dtype=bool))) == [False, True, False]


def test_page_title_is_the_title_element_of_html_and_the_first_block_of_text() -> None:
    html = "<html><head><TITLE>Storm closes &amp; floods | Ledger</TITLE></head><body><p>Text.</p></body></html>"
    segments = (Segment(text="Text.", start=0, end=0, line=1),)
    assert page_title(html, Document(segments=segments, kind=Kind.HTML)) == "Storm closes & floods | Ledger"
    assert page_title("<p>no title</p>", Document(segments=segments, kind=Kind.HTML)) == ""
    assert page_title("Text.", Document(segments=segments, kind=Kind.TEXT)) == "Text."


def test_a_cross_host_block_takes_the_single_page_verdict_only_when_it_is_confident_spam() -> None:
    # Columns: content, boilerplate, spam. Rows: a single-page row (any verdict), then cross-host rows.
    alone = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.2, 0.2, 0.6], [0.1, 0.8, 0.1]])
    single = np.array([True, False, False, False])
    assert list(single_page_wins(single, alone, spam=2, threshold=0.7)) == [True, True, False, False]


def test_cross_host_rows_are_blocks_on_two_hosts_or_more() -> None:
    documents = [_document((40, 1, 1), (1, 2, 30)), _document(None)]
    assert list(cross_host_rows(documents)) == [False, True, True, False, False]


NOTICE = "We use cookies to improve your experience on our site and to show you relevant offers."
SECOND = "Police were called to the depot and the morning's appointments are being moved to the afternoon."


def test_when_the_model_removed_all_prose_the_likeliest_run_of_it_stays() -> None:
    blocks, _ = _page([
        ("Home", Label.BOILERPLATE, 0.99, True),
        (NOTICE, Label.BOILERPLATE, 0.92, True),
        ("Archive: May (5)", Label.BOILERPLATE, 0.98, True),
        (ARTICLE_START, Label.BOILERPLATE, 0.9, True),
        (SECOND, Label.BOILERPLATE, 0.95, True),
        ("Buy cheap pills online, fast delivery without a prescription today.", Label.SPAM, 0.97, True),
    ])
    result = _keep_some_prose(blocks, np.array([0.0, 0.05, 0.01, 0.09, 0.04, 0.0]))
    assert [block.removed for block in result] == [True, True, True, False, False, True]
    assert result[3].reasons == ("kept: the page's only prose", "model")
    assert result[3].label is Label.BOILERPLATE and result[3].score == 0.9


def test_prose_rule_leaves_a_page_with_kept_prose_alone() -> None:
    blocks, _ = _page([
        (NOTICE, Label.BOILERPLATE, 0.92, True),
        (ARTICLE_START, Label.CONTENT, 0.9, False),
    ])
    assert _keep_some_prose(blocks, np.array([0.05, 0.9])) == tuple(blocks)


def test_prose_rule_never_brings_back_a_teaser_the_rules_dropped() -> None:
    blocks, _ = _page([("Menu", Label.BOILERPLATE, 0.99, True), (ARTICLE_START, Label.BOILERPLATE, 1.0, True)])
    blocks[1] = dataclasses.replace(blocks[1], reasons=("teaser: the block on line 9 repeats all of it",))
    assert _keep_some_prose(blocks, np.array([0.0, 0.3])) == tuple(blocks)


CALENDAR = ("Round 1: 10 March - Interlagos Round 2: 8 April - Curitiba Round 3: 22 April - Velopark "
            "Round 4: 6 May - Londrina Round 5: 20 May - Santa Cruz do Sul")


def _inside_text(calendar: tuple[Label, float, bool], before: tuple[Label, bool] = (Label.CONTENT, False),
                 links: LinkFacts = LinkFacts()) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    blocks, segments = _page([
        ("Stock Car calendar 2018", before[0], 0.76, before[1]),
        (CALENDAR, *calendar),
        ("* The calendar is subject to change by the organiser", Label.CONTENT, 0.81, False),
    ])
    segments[1] = dataclasses.replace(segments[1], links=links)
    return tuple(blocks), _keep_long_blocks_inside_text(blocks, segments, 0.7)


def test_a_long_block_between_two_content_blocks_needs_the_prose_bar_to_leave() -> None:
    blocks, result = _inside_text((Label.BOILERPLATE, 0.73, True))
    assert [block.removed for block in result] == [False, False, False]
    assert result[1].reasons == ("kept: between two content blocks, not sure enough there (0.73 < 0.90)", "model")
    assert result[1].label is Label.BOILERPLATE and result[1].score == 0.73
    assert result[0] == blocks[0] and result[2] == blocks[2]


@pytest.mark.parametrize("calendar, before, links", [
    ((Label.BOILERPLATE, 0.93, True), (Label.CONTENT, False), LinkFacts()),  # sure enough even for prose
    ((Label.SPAM, 0.8, True), (Label.CONTENT, False), LinkFacts()),
    ((Label.BOILERPLATE, 0.73, True), (Label.BOILERPLATE, False), LinkFacts()),  # a neighbour leans boilerplate
    ((Label.BOILERPLATE, 0.73, True), (Label.CONTENT, True), LinkFacts()),  # a neighbour was removed
    ((Label.BOILERPLATE, 0.73, True), (Label.CONTENT, False), LinkFacts(count=5, chars_in_links=len(CALENDAR))),
])
def test_a_block_inside_the_text_goes_when_sure_spam_linked_or_not_between_content(
        calendar: tuple[Label, float, bool], before: tuple[Label, bool], links: LinkFacts) -> None:
    blocks, result = _inside_text(calendar, before, links)
    assert result == blocks


def test_a_short_line_between_content_blocks_is_left_to_the_model() -> None:
    blocks, segments = _page([
        (ARTICLE_START, Label.CONTENT, 0.95, False),
        ("Share this on WhatsApp", Label.BOILERPLATE, 0.74, True),
        (SECOND, Label.CONTENT, 0.95, False),
    ])
    assert _keep_long_blocks_inside_text(blocks, segments, 0.7) == tuple(blocks)


def _list_page(verdicts: list[tuple[str, Label, float, bool]], tag: str = "li") -> tuple[list[Block], list[Segment]]:
    blocks, segments = _page(verdicts)
    return blocks, [dataclasses.replace(segment, tag=tag, tag_path="html>body>article>ol>li") for segment in segments]


REFERENCES = [f"Author {number} (2019). A study of river banks. Journal {number}." for number in range(5)]


def test_the_last_items_of_a_list_that_is_mostly_content_stay() -> None:
    blocks, segments = _list_page([
        *[(text, Label.CONTENT, 0.8, False) for text in REFERENCES[:3]],
        (REFERENCES[3], Label.BOILERPLATE, 0.6, False),
        (REFERENCES[4], Label.BOILERPLATE, 0.89, True),
    ])
    result = _keep_lists_whole(blocks, segments)
    assert [block.removed for block in result] == [False] * 5
    assert result[4].reasons == ("kept: the rest of its list is content", "model")
    assert result[4].label is Label.BOILERPLATE


def test_a_list_that_is_mostly_chrome_is_left_to_the_model() -> None:
    blocks, segments = _list_page([
        ("Home", Label.CONTENT, 0.6, False), ("News", Label.BOILERPLATE, 0.95, True),
        ("Sport", Label.BOILERPLATE, 0.95, True), ("Contact", Label.BOILERPLATE, 0.97, True),
    ])
    assert _keep_lists_whole(blocks, segments) == tuple(blocks)


def test_spam_in_a_list_of_content_goes_and_paragraphs_are_no_list() -> None:
    verdicts = [*[(text, Label.CONTENT, 0.8, False) for text in REFERENCES[:3]],
                ("cheap viagra online without prescription", Label.SPAM, 0.95, True),
                (REFERENCES[4], Label.BOILERPLATE, 0.89, True)]
    blocks, segments = _list_page(verdicts)
    assert [block.removed for block in _keep_lists_whole(blocks, segments)] == [False, False, False, True, False]
    blocks, segments = _list_page(verdicts, tag="p")
    assert _keep_lists_whole(blocks, segments) == tuple(blocks)


def test_a_sponsored_box_title_and_lone_anchors_go_with_the_spam_block_beside_them() -> None:
    anchors = "replica watches cheap rolex replica uk fake rolex daytona replica watches sale"
    blocks, _ = _page([
        (ARTICLE_START, Label.CONTENT, 0.95, False),
        ("Partner sites", Label.SPAM, 0.45, False),
        ("Sponsored links", Label.SPAM, 0.52, False),
        (anchors, Label.SPAM, 0.99, True),
        ("rolex replica", Label.SPAM, 0.61, False),
        ("Contact us", Label.BOILERPLATE, 0.6, False),
    ])
    result = _join_spam_runs(blocks, 0.7, STRIP)
    assert [block.removed for block in result] == [False, True, True, True, True, False]
    assert result[1].reasons == ("next to the spam block on line 3", "model")
    assert result[4].reasons[0] == "next to the spam block on line 4"
    assert result[1].label is Label.SPAM and result[1].score == 0.45
    # Verdicts do not depend on what is stripped: with spam kept, the title is still told apart.
    kept = _join_spam_runs(blocks, 0.7, frozenset({Label.BOILERPLATE}))
    assert [block.removed for block in kept[:3]] == [False, False, False]
    assert kept[1].reasons == result[1].reasons


def test_a_sentence_the_model_leans_to_call_spam_stays_beside_a_spam_block() -> None:
    sentence = "The pharmacy board said the online shop had sold pills without a prescription."
    blocks, _ = _page([
        (sentence, Label.SPAM, 0.55, False),
        ("buy viagra online cheap viagra no prescription viagra", Label.SPAM, 0.98, True),
        ("Pharmacy news", Label.SPAM, 0.75, True),
        ("Read more", Label.BOILERPLATE, 0.5, False),
    ])
    assert _join_spam_runs(blocks, 0.7, STRIP) == blocks


SPONSORED_BOX = [
    ("Sponsored links", Label.BOILERPLATE, 0.6, False),
    ("slot gacor hari ini", Label.SPAM, 0.98, True),
    ("Ankara escort", Label.CONTENT, 0.71, False),
    ("judi bola online", Label.SPAM, 0.93, True),
    ("Contact", Label.BOILERPLATE, 0.95, True),
]


def _whole(verdicts: list[tuple[str, Label, float, bool]]) -> tuple[list[Block], list[list[int]]]:
    blocks, _ = _page(verdicts)
    return blocks, [list(range(len(blocks)))]


def test_the_title_and_unsure_entries_of_a_box_of_spam_go_with_it() -> None:
    blocks, groups = _whole(SPONSORED_BOX[:4])
    spam = np.array([0.3, 0.98, 0.2, 0.93])
    result = _join_spam_groups(blocks, groups, 0.7, STRIP, spam)
    assert [block.removed for block in result] == [True] * 4
    assert result[0].reasons == ("in a box of 2 spam blocks (lines 1-4)", "model")
    assert (result[0].label, result[0].score) == (Label.SPAM, 0.3)
    assert (result[2].label, result[2].score) == (Label.SPAM, 0.2)
    kept = _join_spam_groups(blocks, groups, 0.7, frozenset({Label.BOILERPLATE}), spam)
    assert kept[0].label is Label.SPAM and not kept[0].removed


def test_what_a_spam_box_holds_already_removed_keeps_its_own_verdict() -> None:
    blocks, groups = _whole([*SPONSORED_BOX, ("togel singapore", Label.SPAM, 0.9, True)])
    result = _join_spam_groups(blocks, groups, 0.7, STRIP, np.zeros(6))
    assert [block.removed for block in result] == [True] * 6
    assert result[4] == blocks[4]


@pytest.mark.parametrize(("verdicts", "why"), [
    ([SPONSORED_BOX[0], SPONSORED_BOX[1], ("judi bola online", Label.SPAM, 0.6, False)],
     "one confident spam block is no box"),
    ([*SPONSORED_BOX[:2], ("The river flooded the lower town twice this winter.", Label.CONTENT, 0.71, False),
      SPONSORED_BOX[3]], "a sentence of its own"),
    (SPONSORED_BOX, "less than half of it is spam"),
])
def test_a_group_that_is_not_a_spam_box_is_left_alone(verdicts: list, why: str) -> None:
    blocks, groups = _whole(verdicts)
    assert _join_spam_groups(blocks, groups, 0.7, STRIP, np.zeros(len(blocks))) == blocks, why


def test_a_box_never_takes_a_block_the_model_is_sure_is_content() -> None:
    blocks, groups = _whole([("Specifications", Label.CONTENT, 0.92, False), *SPONSORED_BOX[1:4]])
    result = _join_spam_groups(blocks, groups, 0.7, STRIP, np.zeros(4))
    assert [block.removed for block in result] == [False, True, True, True]


def test_a_warning_quoting_spam_wording_stays_but_spam_that_links_or_says_it_plainly_goes() -> None:
    warning = 'Police said the texts offered "cheap viagra" and "buy xanax" deals to pensioners last month.'
    blocks, segments = _page([
        (warning, Label.SPAM, 0.97, True),
        ("Buy xanax online tonight, discreet delivery to your door.", Label.SPAM, 0.99, True),
        ('Get "cheap viagra" at www.pills-shop.example today.', Label.SPAM, 0.99, True),
        ('"cheap viagra"', Label.SPAM, 0.9, True),
        ('Pensioners warned about "cheap viagra" texts', Label.SPAM, 0.95, True),
        ('"cheap viagra" best price', Label.SPAM, 0.95, True),
    ])
    result = _keep_quoted_spam_wording(blocks, segments)
    assert [block.removed for block in result] == [False, True, True, True, False, True]
    assert result[0].reasons == ("kept: its spam wording is quoted", "model")
    assert (result[0].label, result[0].score) == (Label.SPAM, 0.97)
    linked = [dataclasses.replace(segments[0], links=LinkFacts(count=1))]
    assert _keep_quoted_spam_wording(blocks[:1], linked) == blocks[:1]


def test_news_about_a_spam_trade_keeps_its_paragraphs_but_injected_spam_goes() -> None:
    blocks, segments = _page([
        ("Regulator blocks thousands of online casino sites", Label.CONTENT, 0.8, False),
        ("The ministry said it blocked more than 200,000 online casino pages this year.", Label.CONTENT, 0.9, False),
        ("Many of the pages promised a free casino bonus to first-time players.", Label.SPAM, 0.95, True),
        ("Banks were asked to watch accounts that pay the casino operators.", Label.CONTENT, 0.85, False),
        ("Cheap viagra and cialis without prescription, fast shipping.", Label.SPAM, 0.99, True),
        ("Best casino bonus, claim now at www.win-big.example", Label.SPAM, 0.99, True),
    ])
    result = _keep_spam_wording_the_page_discusses(blocks, segments)
    assert [block.removed for block in result] == [False, False, False, False, True, True]
    assert result[2].reasons == ("kept: the rest of the page discusses gambling too (in at least 2 other blocks)",
                                 "model")
    linked = [*segments[:2], dataclasses.replace(segments[2], links=LinkFacts(count=1)), *segments[3:]]
    assert _keep_spam_wording_the_page_discusses(blocks, linked)[2].removed
    assert _keep_spam_wording_the_page_discusses([blocks[0], blocks[2]], segments[:3:2])[1].removed


def test_removed_paragraphs_of_one_warning_vouch_for_each_other_when_one_voice_stays() -> None:
    warning = [
        ("Police warn of online casino ads planted on school websites", Label.CONTENT, 0.8, False),
        ("The ads promised an online casino bonus to anyone who signed up that week.", Label.SPAM, 0.95, True),
        ("Officers said the online casino pages were run from abroad and paid in crypto.", Label.SPAM, 0.93, True),
    ]
    blocks, segments = _page(warning)
    assert [block.removed for block in _keep_spam_wording_the_page_discusses(blocks, segments)] == [False] * 3
    silent, segments = _page([(text, Label.SPAM, 0.95, True) for text, *_ in warning[1:]])
    assert all(block.removed for block in _keep_spam_wording_the_page_discusses(silent, segments))


def test_spam_lines_the_model_was_unsure_of_do_not_vouch_for_their_removed_neighbours() -> None:
    blocks, segments = _page([
        ("online casino free spins", Label.SPAM, 0.6, False),
        ("best online casino bonus", Label.SPAM, 0.65, False),
        ("Claim the best online casino no deposit bonus today, new players only.", Label.SPAM, 0.95, True),
    ])
    assert _keep_spam_wording_the_page_discusses(blocks, segments)[2].removed


def test_a_spam_line_that_is_not_prose_goes_even_on_a_page_about_its_trade() -> None:
    blocks, segments = _page([
        ("The ministry said it blocked more than 200,000 online casino pages this year.", Label.CONTENT, 0.9, False),
        ("Banks were asked to watch accounts that pay online casino operators.", Label.CONTENT, 0.85, False),
        ("online casino free spins no deposit bonus", Label.SPAM, 0.95, True),
    ])
    assert _keep_spam_wording_the_page_discusses(blocks, segments)[2].removed


def _segment(text: str, external_links: int = 0) -> Segment:
    return Segment(text=text, start=0, end=len(text), line=1, links=LinkFacts(count=external_links,
                                                                             external=external_links))


def test_a_block_that_reads_as_prose_needs_more_confidence_to_leave() -> None:
    standfirst = _segment("Oscar-winning actress Mary Steenburgen went under the knife for a routine surgery in 2009.")
    assert _removal_threshold(Label.BOILERPLATE, standfirst, 0.7) == 0.9
    assert _removal_threshold(Label.BOILERPLATE, standfirst, 0.95) == 0.95
    assert _removal_threshold(Label.BOILERPLATE, _segment("Share this story on Facebook"), 0.7) == 0.7


def test_prose_that_names_what_spam_sells_needs_more_confidence_to_leave_as_spam() -> None:
    report = _segment("Police said the ring advertised escort services and online casino bonuses on hacked sites.")
    assert _removal_threshold(Label.SPAM, report, 0.7) == 0.9
    assert _removal_threshold(Label.SPAM, _segment("escort service casino bonus free spins"), 0.7) == 0.7
    linked = _segment("Police said the ring advertised escort services on hacked sites.", external_links=1)
    assert _removal_threshold(Label.SPAM, linked, 0.7) == 0.0


def test_a_long_thai_paragraph_reads_as_prose_without_a_closing_mark() -> None:
    paragraph = _segment("ตำรวจเตือนประชาชนให้ระวังแอปเงินกู้ที่ไม่ได้รับอนุญาต ซึ่งมักเรียกเก็บดอกเบี้ยสูงเกินกฎหมาย "
                         "และข่มขู่ผู้กู้ทางโทรศัพท์ หากพบเห็นให้แจ้งความที่สถานีตำรวจใกล้บ้าน")
    assert _removal_threshold(Label.SPAM, paragraph, 0.7) == 0.9
    assert _removal_threshold(Label.SPAM, _segment("ตำรวจเตือนภัยแอปเงินกู้เถื่อน อนุมัติไว ไม่เช็คบูโร"), 0.7) == 0.7
    menu = _segment("Home News Business Sport Culture Travel Opinion Video Podcasts Newsletters Weather Puzzles More")
    assert _removal_threshold(Label.BOILERPLATE, menu, 0.7) == 0.7


def test_a_run_on_block_of_several_sentences_reads_as_prose_whatever_its_end() -> None:
    # A dump that lost its paragraph breaks: byline, story and a footer line in one block.
    story = " ".join([SECOND] * 6)
    run_on = _segment(f"By Scott Gordon Published Nov 18, 2019 at 4:07 PM {story} Copyright 2019 NBC Universal")
    assert _removal_threshold(Label.BOILERPLATE, run_on, 0.7) == 0.9
    short = _segment(f"By Scott Gordon {SECOND} {SECOND} Copyright 2019 NBC Universal")
    assert _removal_threshold(Label.BOILERPLATE, short, 0.7) == 0.7
    link_list = _segment(" | ".join(["Politics", "World", "Business", "Sport", "Culture", "Travel"] * 15))
    assert _removal_threshold(Label.BOILERPLATE, link_list, 0.7) == 0.7


@pytest.mark.parametrize("segment", [
    _segment("Great article! I got a loan in ten minutes at https://quick-cash.example, no credit check."),
    _segment("Great article! I got a loan in ten minutes here, no credit check.", external_links=1),
    _segment("More offers at www.quick-cash.example"),
])
def test_a_spam_verdict_on_a_block_that_points_to_another_site_is_enough(segment: Segment) -> None:
    assert _removal_threshold(Label.SPAM, segment, 0.7) == 0.0
    assert _removal_threshold(Label.CONTENT, segment, 0.7) == 0.7


def test_a_score_just_under_the_bar_never_reads_as_equal_to_it() -> None:
    assert _not_confident(0.8996, 0.9, for_prose=True) == "kept: not confident enough for prose (0.89 < 0.90)"
    assert _not_confident(0.29, 0.7, for_prose=False) == "kept: not confident enough (0.29 < 0.70)"


def _article(verdicts: list[tuple[str, Label, float, tuple[int, ...], bool]]) -> tuple[list[Block], list[Segment]]:
    """Blocks kept by the model, each with its elements (``Segment.ancestors``) and whether it is a heading."""
    blocks, segments = _page([(text, label, score, False) for text, label, score, _, _ in verdicts])
    segments = [dataclasses.replace(segment, ancestors=ancestors, heading=heading)
                for segment, (*_, ancestors, heading) in zip(segments, verdicts)]
    return blocks, segments


STORY = [(f"{ARTICLE_START} Paragraph {number} goes on with the game's last minutes, the coach's view of them "
          "and what the result means for the rest of a season that began with three defeats in a row. "
          "It was their first win away from home since the spring.",
          Label.CONTENT, 0.97, (0, 1, 3), False) for number in range(3)]


def test_beside_the_story_a_lean_to_boilerplate_goes_but_the_header_and_headings_stay() -> None:
    blocks, segments = _article([
        ("Council approves the budget for a new library wing after a long debate.", Label.BOILERPLATE, 0.6, (0, 5), False),
        ("Browns hold on in a late thriller", Label.BOILERPLATE, 0.55, (0, 1, 2), True),
        ("Below, we look at the snap counts and the stats of last night's game.", Label.BOILERPLATE, 0.62, (0, 1, 2), False),
        *STORY,
        ("More from the league", Label.BOILERPLATE, 0.6, (0, 1, 4), True),
        ("There isn't any discussion on this story yet. Be the first to comment.", Label.BOILERPLATE, 0.7, (0, 1, 4), False),
        ("The kicker said the wind had dropped just before his last attempt.", Label.CONTENT, 0.6, (0, 1, 4), False),
    ])
    result = _drop_outside_main_region(blocks, segments, 1, STRIP)
    assert [block.removed for block in result] == [True, False, False, False, False, False, False, True, False]
    assert result[7].reasons == ("outside the article's main text (lines 4-6), leans boilerplate", "model")
    assert result[0].score == blocks[0].score and result[0].label is Label.BOILERPLATE


def test_nothing_goes_by_place_when_the_page_keeps_much_besides_the_story() -> None:
    replies = [(f"Reply {number}: I was at the game and the last minutes were every bit as tense as this says.",
                Label.BOILERPLATE, 0.6, (0, 4, 5 + number), False) for number in range(8)]
    blocks, segments = _article([*STORY, *replies])
    assert _drop_outside_main_region(blocks, segments, None, STRIP) == tuple(blocks)


def test_without_a_headline_the_header_is_judged_like_the_rest() -> None:
    blocks, segments = _article([
        ("Below, we look at the snap counts and the stats of last night's game.", Label.BOILERPLATE, 0.62, (0, 1, 2), False),
        *STORY,
    ])
    assert [block.removed for block in _drop_outside_main_region(blocks, segments, None, STRIP)] == [True] + [False] * 3


def test_nothing_goes_beside_a_story_of_too_few_sure_paragraphs_or_with_boilerplate_kept() -> None:
    blocks, segments = _article([
        ("Council approves the budget for a new library wing after a long debate.", Label.BOILERPLATE, 0.6, (0, 5), False),
        *STORY[:2],
    ])
    assert _drop_outside_main_region(blocks, segments, None, STRIP) == tuple(blocks)
    blocks, segments = _article([
        ("Council approves the budget for a new library wing after a long debate.", Label.BOILERPLATE, 0.6, (0, 5), False),
        *STORY,
    ])
    assert _drop_outside_main_region(blocks, segments, None, frozenset({Label.SPAM})) == tuple(blocks)
