"""Reading list formats and the commit of a local copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.knowledge.sources import git_commit, list_hosts, read_majestic

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_list_hosts_formats() -> None:
    lines = [
        "# comment",
        "",
        "   ",
        "Example.COM.",
        "0.0.0.0 hosts-format.net",
        "127.0.0.1   other.org  # inline comment",
        "plain.info # trailing",
        "0.0.0.0",  # a sink address alone is a host line like any other
    ]
    assert list(list_hosts(lines)) == [
        "example.com",
        "hosts-format.net",
        "other.org",
        "plain.info",
        "0.0.0.0",
    ]


def test_git_commit_of_a_branch_packed_ref_and_detached_head(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git" / "refs" / "heads").mkdir(parents=True)
    (repo / "sub").mkdir()
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (repo / ".git" / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    assert git_commit(repo / "sub") == COMMIT
    (repo / ".git" / "refs" / "heads" / "main").unlink()
    (repo / ".git" / "packed-refs").write_text(f"# pack-refs\n{COMMIT} refs/heads/main\n")
    assert git_commit(repo) == COMMIT
    (repo / ".git" / "HEAD").write_text(COMMIT[::-1] + "\n")
    assert git_commit(repo) == COMMIT[::-1]
    assert git_commit(None) is None


def test_majestic_needs_rank_and_domain(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("GlobalRank,Domain\n1,Google.com\n2,\n")
    with pytest.raises(InputError, match="without a numeric GlobalRank or a Domain"):
        read_majestic(path)
    path.write_text("Rank,Host\n1,a.com\n")
    with pytest.raises(InputError, match="not a Majestic Million CSV"):
        read_majestic(path)
    with pytest.raises(InputError, match="missing"):
        read_majestic(tmp_path / "absent.csv")
