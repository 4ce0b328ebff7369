"""Where spam appended to a plain-text paragraph may begin, and the paragraph cut there."""
from __future__ import annotations

import pytest

from spamguard.segment import segment_html, segment_markdown, segment_text
from spamguard.segment.links import HEAD_OF_RIDING_SENTENCES
from spamguard.segment.spam_tails import spam_tail_start, with_tails_cut

PARAGRAPH = ("Residents raised concerns about noise during construction, and the council promised night work would be "
             "limited to two weeks. Shops along the route will get help with their rent.")


@pytest.mark.parametrize("tail", [
    "Get cheap loans at https://fast-loans-247.top today.",
    "More on www.fast-loans-247.top/apply",
    "Situs slot gacor hari ini gampang menang!",
    "Great post. Buy viagra online now!",
])
def test_the_first_sentence_with_an_address_or_a_spam_term_begins_the_tail(tail: str) -> None:
    text = f"{PARAGRAPH} {tail}"
    start = spam_tail_start(text)
    assert start is not None
    assert text[start:] in (tail, tail.removeprefix("Great post. "))


@pytest.mark.parametrize("text", [
    f"{PARAGRAPH} The line opens in 2027.",  # no address, no spam term
    "Short intro. Get cheap loans at https://fast-loans-247.top today.",  # too little paragraph before it
    "Get cheap loans at https://fast-loans-247.top today, " + "x " * 100,  # the spam is the first sentence
])
def test_no_tail(text: str) -> None:
    assert spam_tail_start(text) is None


def test_the_head_must_be_long_enough() -> None:
    head = "a" * (HEAD_OF_RIDING_SENTENCES - 2) + "."
    assert spam_tail_start(f"{head} Buy viagra online now!") is None
    assert spam_tail_start(f"a{head} Buy viagra online now!") is not None


def test_a_sentence_with_a_link_to_another_site_begins_the_tail() -> None:
    text = f"{PARAGRAPH} Thanks for the tips, see my page. Cheap viagra here!"
    start = text.index("see my")
    link = (start + 4, start + 11, "https://my-page.example/")
    assert spam_tail_start(text, [link]) == text.index("Thanks")
    assert spam_tail_start(text, [link], page_host="my-page.example") == text.index("Cheap")


def test_a_link_alone_begins_no_tail() -> None:
    text = f"{PARAGRAPH} The figures come from the statistics office. Prices rose by 3%."
    start = text.index("statistics office")
    assert spam_tail_start(text, [(start, start + 17, "https://stats.example/")]) is None


def test_text_tails_keep_offsets_and_lines() -> None:
    wrapped = PARAGRAPH.replace(" and the council", "\nand the council", 1)  # a hard-wrapped paragraph
    source = f"Title\n\n{wrapped}  Buy viagra online at https://pills.example now!\nEnd.\n"
    segments = segment_text(source)
    spam = "Buy viagra online at https://pills.example now!"
    assert [segment.text for segment in segments] == ["Title", f"{PARAGRAPH} {spam}", "End."]
    assert [bool(segment.spam_tail) for segment in segments] == [False, True, False]
    head, tail = segments[1].spam_tail
    assert [segment.text for segment in with_tails_cut(segments)] == ["Title", PARAGRAPH, spam, "End."]
    assert source[head.start:head.end].endswith("rent.")
    assert source[tail.start:tail.end] == f"  {spam}"
    assert (head.line, tail.line) == (3, 4)  # the tail's line is where its sentence starts
    assert head.end == tail.start


def test_html_tails_take_their_links() -> None:
    html = (f"<p>{PARAGRAPH} Great post! Get <a href='https://loans.example/'>payday loans</a> fast. Thanks!</p>"
            f"<p>{PARAGRAPH}</p>")
    first, second = segment_html(html, "https://news.example/a")
    head, tail = first.spam_tail
    assert (head.text, tail.text) == (f"{PARAGRAPH} Great post!", "Get payday loans fast. Thanks!")
    assert (head.links.count, tail.links.count, tail.links.domains) == (0, 1, ("loans.example",))
    assert (head.start, head.end) == (tail.start, tail.end) == (first.start, first.end)
    assert second.spam_tail is None


def test_html_blocks_partly_hidden_get_no_tail() -> None:
    html = f"<p>{PARAGRAPH} <span style='display:none'>Great post!</span> Get payday loans fast.</p>"
    assert segment_html(html)[0].spam_tail is None


def test_markdown_tails_keep_their_markup() -> None:
    source = f"# Title\n\n{PARAGRAPH} Get [payday loans](https://loans.example/) fast. Thanks!\n"
    title, paragraph = segment_markdown(source)
    head, tail = paragraph.spam_tail
    assert (head.text, tail.text) == (PARAGRAPH, "Get payday loans fast. Thanks!")
    assert source[tail.start:tail.end] == " Get [payday loans](https://loans.example/) fast. Thanks!"
    assert tail.links.count == 1 and title.spam_tail is None


def test_a_line_of_a_hundred_thousand_sentences_is_read_in_linear_time() -> None:
    """Each sentence sliced the text before it, and scanned every link: minutes, when it was so."""
    import subprocess
    import sys

    program = ("from spamguard.segment import segment_html, segment_markdown, segment_text\n"
               "line = 'The council met again today. ' * 100_000 + 'Buy viagra at https://x.example now.'\n"
               "links = ' '.join(f'Met <a href=\"https://s{i}.example/\">again</a> today.' for i in range(50_000))\n"
               "for segments in (segment_text(line), segment_markdown(line),\n"
               "                 segment_html(f'<p>{line}</p>'), segment_html(f'<p>{links} Buy viagra now.</p>')):\n"
               "    print(len(segments), segments[0].spam_tail[1].text[:10])\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=True)
    assert done.stdout.split() == ["1", "Buy", "viagra"] * 3 + ["1", "Met", "again"]
