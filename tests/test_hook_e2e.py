"""End to end with the shipped model: ``spamguard check`` in process, then through
git and the real pre-commit in a content repository whose
``.pre-commit-config.yaml`` points at this checkout.

pre-commit installs hooks from a commit, so the module first commits a snapshot
of this checkout's files as they are now (git's view: tracked and untracked,
not ignored) to a scratch repository and points ``repo:``/``rev:`` at it; so the
test checks the code in front of you, committed or not. Installing the hook environment (pip installs spamguard
and scikit-learn) is slow, so it happens once per module, in a private
PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from spamguard import cli
from spamguard.commands import check

# Installing the hook environment takes a minute or two; the tests still run by default.
through_precommit = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed: the end-to-end test drives git commit"
)

CHECKOUT = Path(__file__).resolve().parents[1]
FINDING = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>SG\d{3}) ", re.M)

ARTICLE = (
    "Tomatoes need at least six hours of direct sun a day, so a south-facing balcony is the best spot "
    "in a small flat. Pick a container that holds at least twenty litres and fill it with peat-free compost "
    "mixed with a handful of grit, which keeps the roots from sitting in water after a summer storm.\n\n"
    "Water deeply twice a week rather than a little every day. Shallow watering keeps the roots near the "
    "surface, where they dry out quickly, and uneven moisture is what makes the fruit split in August. "
    "A saucer under the pot catches the run-off and gives the plant a reserve on hot afternoons.\n\n"
    "Pinch out the side shoots of cordon varieties every few days; bush varieties can be left alone. "
    "Once the first truss has set, feed weekly with a high-potash liquid fertiliser, and stop feeding "
    "when the leaves start to yellow in autumn.\n"
)
STUFFED = (
    "ankara escort çankaya escort çankaya escort escort bayan çankaya istanbul rus escort eryaman escort "
    "ankara escort kızılay escort istanbul escort ankara escort ankara escort escort ankara istanbul rus "
    "Escort atasehir Escort beylikduzu Escort Ankara Escort malatya Escort kuşadası Escort gaziantep Escort "
    "izmir Escort\n"
)
LINK_LIST = (
    "[slot gacor](https://slot-gacor777.xyz/) [situs judi online](https://judi-online88.top/) "
    "[casino bonus](https://casino-bonus365.bet/) [togel online](https://togel4d.win/) "
    "[agen sbobet](https://sbobet-agen.vip/)\n"
)
HIDDEN_HTML = (
    '<div style="display:none"><a href="https://cheap-viagra-rx.top/">cheap viagra</a> '
    '<a href="https://casino-bonus365.bet/">online casino</a> <a href="https://slot-gacor777.xyz/">slot gacor</a> '
    '<a href="https://escort-vip.club/">escort</a></div>'
)


def _markdown(*blocks: str) -> str:
    return "---\ntitle: Tomatoes on a balcony\n---\n\n# Tomatoes on a balcony\n\n" + "\n".join(blocks)


def _html(*blocks: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in ARTICLE.strip().split("\n\n"))
    return (
        f"<!doctype html>\n<html>\n<head><title>Tomatoes</title></head>\n<body>\n<h1>Tomatoes</h1>\n{body}\n"
        + "".join(block + "\n" for block in blocks)
        + "</body>\n</html>\n"
    )


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def run_check(argv: list[str], cleaner: object) -> int:
    args = cli.build_parser().parse_args(["check", *argv])
    return check.run(args, make_cleaner=lambda config: cleaner)


def test_model_reports_and_fixes_a_post(
    cleaner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    article = _markdown(ARTICLE).replace("\n", "\r\n").encode("utf-8")
    spam = _markdown(ARTICLE, STUFFED, LINK_LIST).replace("\n", "\r\n").encode("utf-8")
    Path("post.md").write_bytes(spam)
    text = spam.decode("utf-8")
    assert run_check(["post.md"], cleaner) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" spam ")[0] for line in lines] == [
        f"post.md:{_line_of(text, STUFFED[:20])}:1: SG101",
        f"post.md:{_line_of(text, LINK_LIST[:20])}:1: SG102",
    ], lines
    assert run_check(["--fix", "post.md"], cleaner) == 1
    assert Path("post.md").read_bytes() == article
    assert run_check(["--fix", "post.md"], cleaner) == 0


def test_model_reports_hidden_html_and_cuts_only_its_line(
    cleaner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    page = _html(HIDDEN_HTML)
    Path("page.html").write_text(page, encoding="utf-8")
    assert run_check(["--fix", "page.html"], cleaner) == 1
    assert capsys.readouterr().out.startswith(f"page.html:{_line_of(page, HIDDEN_HTML)}:1: SG104 spam")
    assert Path("page.html").read_text(encoding="utf-8") == _html()


RIDING = " Great tips! Get [payday loans same day](https://fast-loans-247.top/) now. Thanks!"


def test_model_fixes_spam_appended_to_a_paragraph_and_keeps_the_paragraph(
    cleaner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    first, rest = ARTICLE.split("\n\n", 1)
    Path("post.md").write_text(_markdown(f"{first}{RIDING}\n\n{rest}"), encoding="utf-8")
    assert run_check(["--fix", "post.md"], cleaner) == 1
    assert capsys.readouterr().out.startswith("post.md:7:")
    assert Path("post.md").read_text(encoding="utf-8") == _markdown(f"{first} Great tips!\n\n{rest}")


def test_model_reports_spam_appended_to_an_html_paragraph_but_leaves_the_file(
    cleaner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The removed part of the paragraph has no offsets of its own in the markup, so it is not cut."""
    monkeypatch.chdir(tmp_path)
    first = ARTICLE.split("\n\n", 1)[0]
    riding = " Great tips! Get <a href='https://fast-loans-247.top/'>payday loans same day</a> now. Thanks!"
    page = _html().replace(first, first + riding)
    Path("page.html").write_text(page, encoding="utf-8")
    assert run_check(["--fix", "page.html"], cleaner) == 1
    assert "SG103 spam" in capsys.readouterr().out
    assert Path("page.html").read_text(encoding="utf-8") == page


def test_model_never_judges_front_matter_or_code(
    cleaner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    post = (
        '+++\ntitle = "casino escort viagra slot gacor"\n+++\n\n# Tomatoes\n\n'
        + ARTICLE
        + "\n```\n"
        + STUFFED
        + "```\n\n    "
        + LINK_LIST
    )
    Path("post.md").write_text(post, encoding="utf-8")
    assert run_check(["--fix", "post.md"], cleaner) == 0
    assert Path("post.md").read_text(encoding="utf-8") == post


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str
    env: dict[str, str]


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    base = tmp_path_factory.mktemp("e2e")
    gitconfig = base / "gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),  # no signing, hooksPath or templates from the user's config
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="spamguard test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="spamguard test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
    )
    snapshot = base / "spamguard"
    # Tracked and untracked files, minus what .gitignore keeps out (venvs, benchmark output).
    listed = _git(CHECKOUT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listed.split("\0")):
        source, target = CHECKOUT / name, snapshot / name
        if source.is_symlink() or source.is_file():  # a tracked file may be deleted in the work tree
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    _git(snapshot, env, "init", "-q")
    _git(snapshot, env, "add", "-A")
    _git(snapshot, env, "commit", "-q", "--no-verify", "-m", "snapshot")
    rev = _git(snapshot, env, "rev-parse", "HEAD").stdout.strip()
    return HookRepo(snapshot, rev, env)


class ContentRepo:
    """A site's git repository with the hook installed."""

    def __init__(self, path: Path, hook: HookRepo, hook_id: str) -> None:
        self.path = path
        self.env = hook.env
        path.mkdir()
        self.git("init", "-q")
        self.write(
            ".pre-commit-config.yaml",
            f"repos:\n-   repo: {hook.path.as_posix()}\n    rev: {hook.rev}\n    hooks:\n    -   id: {hook_id}\n",
        )
        self.run(sys.executable, "-m", "pre_commit", "install")
        self.git("add", ".pre-commit-config.yaml")
        self.git("commit", "-q", "--no-verify", "-m", "config")

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=self.path, env=self.env, capture_output=True, text=True)

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _git(self.path, self.env, *args)

    def write(self, name: str, text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (self.path / name).write_bytes(data)

    def commit(self, *names: str) -> tuple[bool, str]:
        """Stage ``names`` and commit; whether the commit went through, and the hook output."""
        self.git("add", *names)
        result = self.run("git", "commit", "-m", "content")
        return result.returncode == 0, result.stdout + result.stderr


def findings(output: str) -> set[tuple[str, int]]:
    return {(match["path"], int(match["line"])) for match in FINDING.finditer(output)}


@pytest.fixture(scope="module")
def hook_env(hook_repo: HookRepo, tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """Install the hook environment once; every later repository reuses it."""
    repo = ContentRepo(tmp_path_factory.mktemp("warm") / "site", hook_repo, "spamguard")
    installed = repo.run(sys.executable, "-m", "pre_commit", "install-hooks")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return hook_repo


@pytest.fixture()
def site(hook_env: HookRepo, tmp_path: Path) -> Iterator[ContentRepo]:
    yield ContentRepo(tmp_path / "site", hook_env, "spamguard")


@pytest.mark.slow
@through_precommit
def test_spam_fails_the_commit_and_clean_content_passes(site: ContentRepo) -> None:
    site.write("post.md", _markdown(ARTICLE))
    site.write("page.html", _html())
    committed, output = site.commit("post.md", "page.html")
    assert committed, output

    spam_md = _markdown(ARTICLE, STUFFED, LINK_LIST)
    spam_html = _html(HIDDEN_HTML)
    site.write("post.md", spam_md)
    site.write("page.html", spam_html)
    committed, output = site.commit("post.md", "page.html")
    assert not committed
    assert findings(output) == {
        ("post.md", _line_of(spam_md, STUFFED)),
        ("post.md", _line_of(spam_md, LINK_LIST)),
        ("page.html", _line_of(spam_html, HIDDEN_HTML)),
    }, output
    assert f"post.md:{_line_of(spam_md, STUFFED)}:1: SG101 spam" in output
    assert f"post.md:{_line_of(spam_md, LINK_LIST)}:1: SG102 spam" in output
    assert f"page.html:{_line_of(spam_html, HIDDEN_HTML)}:1: SG104 spam" in output


@pytest.mark.slow
@through_precommit
def test_fix_hook_removes_only_the_block(hook_env: HookRepo, tmp_path: Path) -> None:
    site = ContentRepo(tmp_path / "site", hook_env, "spamguard-fix")
    article = _markdown(ARTICLE).replace("\n", "\r\n").encode("utf-8")
    spam = STUFFED.replace("\n", "\r\n").encode("utf-8")
    site.write("post.md", article + b"\r\n" + spam)
    committed, output = site.commit("post.md")
    assert not committed, output
    assert "Fixed post.md" in output
    assert (site.path / "post.md").read_bytes() == article
    committed, output = site.commit("post.md")
    assert committed, output


@pytest.mark.slow
@through_precommit
def test_pragma_suppresses_its_block_only(site: ContentRepo) -> None:
    text = _markdown(ARTICLE, "<!-- spamguard: ignore -->\n" + STUFFED, LINK_LIST)
    page = _html("<!-- spamguard: ignore -->\n" + HIDDEN_HTML, HIDDEN_HTML.replace("display:none", "font-size:0"))
    site.write("post.md", text)
    site.write("page.html", page)
    committed, output = site.commit("post.md", "page.html")
    assert not committed
    assert findings(output) == {
        ("post.md", _line_of(text, LINK_LIST)),
        ("page.html", _line_of(page, "font-size:0")),
    }, output


@pytest.mark.slow
@through_precommit
def test_allowlist_suppresses_its_domains_only(site: ContentRepo) -> None:
    partner = "[slot gacor](https://slot-gacor777.xyz/) [casino bonus](https://casino.slot-gacor777.xyz/) [togel online](https://slot-gacor777.xyz/togel)\n"
    text = _markdown(ARTICLE, partner, LINK_LIST)
    site.write("post.md", text)
    site.write("pyproject.toml", '[tool.spamguard]\nallowed-domains = ["slot-gacor777.xyz"]\n')
    committed, output = site.commit("post.md", "pyproject.toml")
    assert not committed
    assert findings(output) == {("post.md", _line_of(text, LINK_LIST))}, output


@pytest.mark.slow
@through_precommit
def test_baseline_lets_only_new_findings_fail(site: ContentRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _markdown(ARTICLE, STUFFED)
    site.write("post.md", old)
    monkeypatch.chdir(site.path)
    assert cli.main(["check", "--write-baseline", "post.md"]) == 0
    committed, output = site.commit("post.md", ".spamguard-baseline.json")
    assert committed, output

    # The accepted block moves down; a new one arrives.
    new = _markdown("A new first paragraph about seedlings and their first true leaves.\n", ARTICLE, LINK_LIST, STUFFED)
    site.write("post.md", new)
    committed, output = site.commit("post.md")
    assert not committed
    assert findings(output) == {("post.md", _line_of(new, LINK_LIST))}, output
