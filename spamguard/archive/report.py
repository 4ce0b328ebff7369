"""The report of a cleaning pass: JSON for machines, one screen for people."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from spamguard.archive.records import Problem, Severity
from spamguard.archive.stats import Stats

# Problems beyond this many are counted but not listed, so the report of a
# huge, badly broken archive stays readable and memory stays flat.
MAX_LISTED_PROBLEMS = 1000
_TOP = 10
REPORT_VERSION = 1


@dataclass
class Report:
    inputs: list[str]
    output: str | None
    dry_run: bool = False
    stats: Stats = field(default_factory=Stats)
    problems: list[Problem] = field(default_factory=list)
    problems_not_listed: int = 0
    elapsed: float = 0.0

    def add_problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_not_listed += 1

    def to_dict(self) -> dict:
        s = self.stats
        return {
            "version": REPORT_VERSION,
            "inputs": self.inputs,
            "output": self.output,
            "dry_run": self.dry_run,
            "elapsed_seconds": round(self.elapsed, 3),
            "documents": {
                "read": s.read,
                "cleaned": s.cleaned,
                "unchanged": s.unchanged,
                "skipped": s.skipped,
                "failed": s.failed,
                "invalid_utf8": s.invalid_utf8,
            },
            "skipped_by_reason": dict(s.skipped_reasons.most_common()),
            "failed_by_reason": dict(s.failed_reasons.most_common()),
            "outputs": {"written": s.outputs_written, "existing_skipped": s.outputs_existing},
            "bytes": {"in": s.bytes_in, "out": s.bytes_out},
            "blocks": {
                "total": s.blocks,
                "removed": dict(s.blocks_removed.most_common()),
                "removed_bytes": dict(s.bytes_removed.most_common()),
            },
            "top_removed_blocks": [
                {"label": key.split("\t", 1)[0], "text": key.split("\t", 1)[1], "count": count}
                for key, count in s.removed_texts.most_common(_TOP)
            ],
            "top_spam_hosts": [{"host": host, "spam_blocks": n} for host, n in s.spam_hosts.most_common(_TOP)],
            "problems": [problem.to_dict() for problem in self.problems],
            "problems_not_listed": self.problems_not_listed,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def summary(self) -> str:
        """A one-screen summary for stderr."""
        s = self.stats
        lines = [
            f"spamguard clean: {s.read:,} documents read in {self.elapsed:.1f}s"
            + (" (dry run)" if self.dry_run else ""),
            f"  cleaned {s.cleaned:,}  unchanged {s.unchanged:,}  skipped {s.skipped:,}  failed {s.failed:,}"
            + (f"  invalid UTF-8 {s.invalid_utf8:,}" if s.invalid_utf8 else ""),
            f"  outputs written {s.outputs_written:,}, already done {s.outputs_existing:,}",
        ]
        if s.blocks_removed:
            removed = ", ".join(
                f"{label} {n:,} ({_mb(s.bytes_removed[label])})" for label, n in s.blocks_removed.most_common()
            )
            lines.append(f"  blocks removed: {removed} of {s.blocks:,}")
        for title, counter in (("skipped", s.skipped_reasons), ("failed", s.failed_reasons)):
            if counter:
                lines.append(f"  {title}: " + ", ".join(f"{reason} {n:,}" for reason, n in counter.most_common(6)))
        if s.removed_texts:
            lines.append("  most frequent removed blocks:")
            for key, count in s.removed_texts.most_common(5):
                label, text = key.split("\t", 1)
                lines.append(f"    {count:>6,}  {label:<11} {_clip(text, 56)}")
        if s.spam_hosts:
            lines.append("  hosts with most spam: " + ", ".join(f"{h} {n:,}" for h, n in s.spam_hosts.most_common(5)))
        failures = [p for p in self.problems if p.severity is Severity.FAILED][:5]
        for problem in failures:
            where = f"{problem.file} {problem.record}".strip()
            lines.append(f"  failed: {_clip(where, 60)}: {problem.code} ({_clip(problem.detail, 50)})")
        return "\n".join(lines) + "\n"


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 10_000 else f"{n:,} B"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
