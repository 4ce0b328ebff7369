"""Exit codes shared by every spamguard command."""

OK = 0
# Findings in `check`, files changed by `--fix`, or records that failed in `clean`.
FINDINGS = 1
USAGE = 2
INTERRUPTED = 130
