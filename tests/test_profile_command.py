"""``--site-profile`` on ``spamguard clean`` and ``spamguard profile build|show``, end to end."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive_helpers import FakeCleaner, document, jsonl_bytes, records, run_clean, write
from bad_inputs import too_deep_html
from spamguard import exitcodes
from spamguard.archive.options import ArchiveOptions
from spamguard.archive.profiling import count_archive
from spamguard.cli import main
from spamguard.profile import SiteProfile


def _site_tree(root: Path) -> Path:
    for site in ("alpha", "bravo"):
        for page in range(4):
            write(root / "in" / site / f"p{page}.txt", f"Menu of the {site} site\n\n{document(page)}".encode())
    write(root / "in" / "loose.txt", document(9).encode())
    return root / "in"


def test_folder_hosts_are_the_top_folders(tmp_path: Path) -> None:
    profile = count_archive([str(_site_tree(tmp_path))], ArchiveOptions())
    assert (profile.documents, profile.hosts) == (8, 2)
    facts = profile.facts("alpha", ["Menu of the alpha site", "Menu of the bravo site"])
    assert (facts.host_pages, facts.page_counts) == (4, (4, 0))


def test_jsonl_hosts_come_from_the_url_field(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", jsonl_bytes(records(9)))
    profile = count_archive([str(tmp_path / "a.jsonl")], ArchiveOptions())
    assert (profile.documents, profile.hosts) == (9, 3)
    assert profile.facts("site1.example", ["Share this article"]).page_counts == (3,)


def test_unreadable_documents_are_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", b'{"url": "https://a.example/1", "text": "One line."}\nnot json\n[1]\n')
    assert count_archive([str(tmp_path / "a.jsonl")], ArchiveOptions()).documents == 1


def test_html_the_parser_cannot_read_is_passed_over(tmp_path: Path) -> None:
    deep = too_deep_html("Deep.")
    lines = [{"url": "https://a.example/1", "text": deep}, {"url": "https://a.example/2", "text": "<p>Fine.</p><p>Page.</p>"}]
    write(tmp_path / "a.jsonl", "".join(json.dumps(line) + "\n" for line in lines).encode())
    assert count_archive([str(tmp_path / "a.jsonl")], ArchiveOptions(kind="html")).documents == 1


def test_clean_passes_the_hosts_of_a_folder_tree_to_the_cleaner(tmp_path: Path) -> None:
    cleaner = FakeCleaner()
    assert run_clean([str(_site_tree(tmp_path)), "-o", str(tmp_path / "out"), "-q", "-j", "1"], cleaner) == exitcodes.OK
    assert sorted(cleaner.hosts_seen, key=str) == [None] + ["alpha"] * 4 + ["bravo"] * 4


def test_site_profile_path_is_saved_then_reused(tmp_path: Path) -> None:
    tree, saved = _site_tree(tmp_path), tmp_path / "site.npz"
    argv = [str(tree), "-q", "-j", "1", "--site-profile", str(saved)]
    assert run_clean([*argv, "-o", str(tmp_path / "one")]) == exitcodes.OK
    first = saved.stat().st_mtime_ns
    assert SiteProfile.load(saved).documents == 8
    assert run_clean([*argv, "-o", str(tmp_path / "two")]) == exitcodes.OK
    assert saved.stat().st_mtime_ns == first


@pytest.mark.parametrize("value", ["auto", "missing.npz"])
def test_counting_stdin_twice_is_a_usage_error(value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_clean(["-", "--site-profile", value]) == exitcodes.USAGE
    assert "stdin can be read only once" in capsys.readouterr().err


def test_a_broken_profile_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path / "a.jsonl", jsonl_bytes(records(2)))
    write(tmp_path / "bad.npz", b"not a profile")
    argv = [str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "out"), "--site-profile", str(tmp_path / "bad.npz")]
    assert run_clean(argv) == exitcodes.USAGE
    assert "not a spamguard site profile" in capsys.readouterr().err


def test_profile_build_update_and_show(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path / "a.jsonl", jsonl_bytes(records(6)))
    write(tmp_path / "b.jsonl", jsonl_bytes(records(3)))
    saved = tmp_path / "site.npz"
    assert main(["profile", "build", str(tmp_path / "a.jsonl"), "-o", str(saved), "-q"]) == exitcodes.OK
    assert main(["profile", "build", str(tmp_path / "b.jsonl"), "-o", str(saved), "-q", "--update"]) == exitcodes.OK
    capsys.readouterr()
    assert main(["profile", "show", str(saved), "--format", "json"]) == exitcodes.OK
    summary = json.loads(capsys.readouterr().out)
    assert (summary["documents"], summary["hosts"]) == (9, 3)
    assert main(["profile", "show", str(saved)]) == exitcodes.OK
    assert "documents: 9" in capsys.readouterr().out


def test_profile_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["profile", "build", str(tmp_path / "nope"), "-o", str(tmp_path / "p.npz")]) == exitcodes.USAGE
    assert "no such file" in capsys.readouterr().err
    assert main(["profile", "build", "-", "-o", str(tmp_path / "p.npz")]) == exitcodes.USAGE
    write(tmp_path / "bad.npz", b"junk")
    assert main(["profile", "show", str(tmp_path / "bad.npz")]) == exitcodes.USAGE
    assert "not a spamguard site profile" in capsys.readouterr().err
