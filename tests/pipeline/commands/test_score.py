"""The `linktox score` command on a tiny bundle trained here (no registry, no network)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_canonical_csv, write_semrush_csv
from tests.bundles import train_tiny_bundle

runner = CliRunner()


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory) -> Path:
    return train_tiny_bundle(tmp_path_factory.mktemp("bundle") / "bundle", links=4000)


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return generate_world(600, 5, sites=["shop-under-attack"])


def _score(*args: str):
    return runner.invoke(app, ["score", *args])


def test_scores_a_semrush_export_and_keeps_its_columns(bundle_dir, sample, tmp_path):
    export = tmp_path / "semrush.csv"
    write_semrush_csv(sample, export)
    out = tmp_path / "scored.parquet"
    result = _score(str(export), "--out", str(out), "--model", str(bundle_dir))
    assert result.exit_code == 0, result.output
    scored = pl.read_parquet(out)
    assert scored.height == sample.height
    assert {"Source url", "Anchor", "toxicity_score", "label", "reasons"} <= set(scored.columns)
    assert scored.get_column("toxicity_score").is_between(0, 100).all()
    flagged = scored.filter(pl.col("label") != "whitelist")
    assert (flagged.get_column("reasons").str.len_chars() > 0).all()
    assert (scored.filter(pl.col("label") == "whitelist").get_column("reasons") == "").all()


def test_missing_required_column_names_column_and_file_and_writes_nothing(bundle_dir, tmp_path):
    export = tmp_path / "links.csv"
    export.write_text("target_url,anchor\nhttps://shop.example/,shoes\n")
    out = tmp_path / "scored.csv"
    result = _score(str(export), "--out", str(out), "--model", str(bundle_dir))
    assert result.exit_code != 0
    assert "source_url" in result.output and "links.csv" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_refused_disavow_file_leaves_no_output_at_all(bundle_dir, sample, tmp_path):
    export = tmp_path / "export.csv"
    write_canonical_csv(sample, export)
    previous = tmp_path / "old.txt"
    previous.write_text("domain:ok.example\nthis is not a disavow line\n")
    out, domains = tmp_path / "scored.csv", tmp_path / "domains.csv"
    result = _score(
        str(export), "--out", str(out), "--model", str(bundle_dir), "--domains", str(domains),
        "--disavow", str(tmp_path / "disavow.txt"), "--merge", str(previous),
    )  # fmt: skip
    assert result.exit_code != 0
    assert "old.txt" in result.output and "line 2" in result.output
    assert not out.exists() and not domains.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "old.txt"]


def test_disavow_never_lists_the_sites_own_domain(bundle_dir, sample, tmp_path):
    export = tmp_path / "export.csv"
    write_canonical_csv(sample, export)
    disavow = tmp_path / "disavow.txt"
    result = _score(
        str(export), "--out", str(tmp_path / "s.csv"), "--model", str(bundle_dir),
        "--disavow", str(disavow),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    target = sample.get_column("target_url").str.extract(r"//(?:www\.)?([^/]+)").unique()
    lines = disavow.read_text(encoding="utf-8").splitlines()
    assert not {f"domain:{d}" for d in target} & set(lines)
    assert all(line.startswith(("#", "domain:", "http")) for line in lines)


def test_unknown_on_error_mode_is_refused(bundle_dir, tmp_path):
    result = _score(
        str(tmp_path / "x.csv"), "--out", str(tmp_path / "o.csv"), "--on-error", "maybe"
    )
    assert result.exit_code != 0 and "--on-error" in result.output


def _params_with_batch_size(tmp_path: Path, batch_size: int) -> Path:
    import yaml

    from pipeline import paths

    params = yaml.safe_load(paths.at_root(paths.PARAMS).read_text(encoding="utf-8"))
    params["score"]["batch_size"] = batch_size
    path = tmp_path / f"params-{batch_size}.yaml"
    path.write_text(yaml.safe_dump(params), encoding="utf-8")
    return path


def test_batch_size_changes_nothing_in_any_output(bundle_dir, sample, tmp_path, monkeypatch):
    """Read, featurized and scored in batches of 97 links or all at once, its profile tables by
    polars' in-memory or streaming engine: the same scored table, rollup and disavow entries
    (profile features come from tables of the whole export)."""
    from pipeline import stream

    export = tmp_path / "semrush.csv"
    write_semrush_csv(sample, export)
    results = {}
    for size in (97, 100_000, 0):
        # 0: the whole export at once, its tables streamed as a large export's are.
        monkeypatch.setattr(stream, "_IN_MEMORY_ROWS", 0 if size == 0 else 10**9)
        size = size or 100_000 + 1
        folder = tmp_path / str(size)
        out, domains, disavow = folder / "s.csv", folder / "d.csv", folder / "disavow.txt"
        result = _score(
            str(export), "--out", str(out), "--model", str(bundle_dir), "--domains",
            str(domains), "--disavow", str(disavow),
            "--params", str(_params_with_batch_size(tmp_path, size)),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        entries = [line for line in disavow.read_text().splitlines() if not line.startswith("#")]
        results[size] = (pl.read_csv(out), pl.read_csv(domains), entries)
    small, whole, streamed = results[97], results[100_000], results[100_001]
    assert small[0].height == sample.height
    for other in (small, streamed):
        assert other[0].equals(whole[0])
        assert other[1].equals(whole[1])
        assert other[2] == whole[2] and whole[2]


def test_a_disavow_over_googles_limits_is_refused_but_the_scoring_is_kept(
    bundle_dir, sample, tmp_path, monkeypatch
):
    """Hours of scoring are not thrown away for a disavow file that is too long: the scored
    table, rollup and report are written, the disavow file is not, and the exit is non-zero."""
    from pipeline.outputs import disavow as disavow_module

    monkeypatch.setattr(disavow_module, "MAX_LINES", 3)
    export = tmp_path / "export.csv"
    write_canonical_csv(sample, export)
    out, domains, report = tmp_path / "s.csv", tmp_path / "d.csv", tmp_path / "r.html"
    disavow = tmp_path / "disavow.txt"
    result = _score(
        str(export), "--out", str(out), "--model", str(bundle_dir), "--domains", str(domains),
        "--disavow", str(disavow), "--report", str(report),
    )  # fmt: skip
    assert result.exit_code != 0
    assert "at most 3 lines" in result.output and "not written" in result.output
    assert "Traceback" not in result.output
    assert not disavow.exists()
    assert pl.read_csv(out).height == sample.height
    assert pl.read_csv(domains).height > 0 and report.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "export.csv", "r.html", "s.csv"]


def test_a_bad_merge_file_is_refused_before_any_scoring(bundle_dir, tmp_path):
    """Inputs that can refuse the run are checked first: the export here is not even read."""
    previous = tmp_path / "old.txt"
    previous.write_text("domain:ok.example\nnot a disavow line\n")
    result = _score(
        str(tmp_path / "missing.csv"), "--out", str(tmp_path / "s.csv"), "--model",
        str(bundle_dir), "--disavow", str(tmp_path / "d.txt"), "--merge", str(previous),
    )  # fmt: skip
    assert result.exit_code != 0
    assert "old.txt" in result.output and "line 2" in result.output
    assert "missing.csv" not in result.output


@pytest.mark.parametrize("flag", ["--merge", "--whitelist"])
def test_disavow_options_without_disavow_are_refused(bundle_dir, tmp_path, flag):
    given = tmp_path / "list.txt"
    given.write_text("domain:spam.test\n" if flag == "--merge" else "spam.test\n")
    out = tmp_path / "scored.csv"
    result = _score(str(tmp_path / "x.csv"), "--out", str(out), "--model", str(bundle_dir),
                    flag, str(given))  # fmt: skip
    assert result.exit_code == 2
    assert f"{flag} {given} shapes the disavow file, but no --disavow FILE was given" in (
        " ".join(result.output.split())
    )
    assert not out.exists()


def test_a_skipped_row_is_reported_once(bundle_dir, sample, tmp_path):
    export = tmp_path / "links.csv"
    write_canonical_csv(sample.head(50), export)
    lines = export.read_text().splitlines()
    lines.insert(3, "not a url,https://shop.example/")
    export.write_text("\n".join(lines) + "\n")
    result = _score(str(export), "--out", str(tmp_path / "s.csv"), "--model", str(bundle_dir),
                    "--on-error", "skip")  # fmt: skip
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    # Once in the log and once in the summary's "Rows left out" line, never repeated.
    assert flat.count("skipped 1 bad rows") == 1, result.output
    assert flat.count("line 4: malformed row") == 2, result.output


def test_a_mixed_export_keeps_every_row_in_input_order(bundle_dir, sample, tmp_path):
    """Bad URLs, a malformed row and exact repeats: every input row is in the scored table in
    input order; repeats get their first copy's score; bad rows are 'unscored' with their
    problem; the summary gives the counts and the first lines."""
    export = tmp_path / "semrush.csv"
    write_semrush_csv(sample.head(200), export)
    lines = export.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    bad_url = rows[5].replace("https://", "ftp://", 1).replace("http://", "ftp://", 1)
    malformed = rows[6] + ",extra,fields"
    mixed = [rows[0], rows[1], rows[0], bad_url, *rows[2:50], malformed, rows[1], *rows[50:]]
    export.write_text("\n".join([header, *mixed]) + "\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    result = _score(str(export), "--out", str(out), "--model", str(bundle_dir))
    assert result.exit_code == 0, result.output
    scored = pl.read_csv(out, infer_schema=False)
    assert scored.height == len(mixed)
    written = pl.read_csv(export, infer_schema=False, truncate_ragged_lines=True)
    assert scored["Source url"].to_list() == written["Source url"].to_list()
    assert scored["label"][2] == scored["label"][0]
    assert scored["toxicity_score"][2] == scored["toxicity_score"][0]
    assert scored["problem"][2] == "repeats line 2: counted once, scored as that row"
    unscored = scored.filter(pl.col("label") == "unscored")
    assert unscored.height == 2
    assert unscored["toxicity_score"].is_null().all()
    assert unscored["problem"][0].startswith("source_url 'ftp://")
    assert unscored["problem"][1].startswith("malformed row:")
    output = " ".join(result.output.split())
    assert "Repeated rows" in output and "line 4 (= line 2)" in output
    assert "Rows kept without a score" in output and "line 5: source_url" in output
    assert f"Written: {out} ({len(mixed):,} rows)" in "".join(result.output.split("\n"))


def test_an_export_whose_every_row_is_bad_writes_nothing(bundle_dir, tmp_path):
    export = tmp_path / "bad.csv"
    export.write_text("Source url,Target url,Anchor\nnope,https://shop.example/,x\n,,\nx,y,z\n")
    out = tmp_path / "scored.csv"
    result = _score(str(export), "--out", str(out), "--model", str(bundle_dir))
    assert result.exit_code == 2
    assert "no usable rows" in result.output and "bad.csv" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_on_error_fail_keeps_the_strict_refusal(bundle_dir, sample, tmp_path):
    export = tmp_path / "semrush.csv"
    write_semrush_csv(sample.head(20), export)
    lines = export.read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    result = _score(
        str(export), "--out", str(out), "--model", str(bundle_dir), "--on-error", "fail"
    )
    assert result.exit_code == 2 and "duplicate of line 2" in result.output
    assert not out.exists()


def test_a_referring_domains_export_is_scored_per_domain(bundle_dir, tmp_path):
    export = tmp_path / "refdomains.csv"
    export.write_text(
        "Domain ascore,Domain,Backlinks,IP Address,Country,First seen,Last seen\n"
        "3,cheap-pills-4u.xyz,40,203.0.113.9,US,2024-01-01,2024-02-01\n"
        "88,news.example.org,2,198.51.100.7,GB,2021-06-01,2024-01-20\n"
        "5,zh-.casino-bonus.top,12,203.0.113.10,CN,2024-01-05,2024-02-01\n",
        encoding="utf-8",
    )
    out, domains = tmp_path / "scored.csv", tmp_path / "domains.csv"
    disavow = tmp_path / "disavow.txt"
    result = _score(
        str(export), "--out", str(out), "--model", str(bundle_dir), "--site", "shop.example",
        "--domains", str(domains), "--disavow", str(disavow),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out).height == 3
    rollup = pl.read_csv(domains)
    assert sorted(rollup["ref_domain"]) == ["casino-bonus.top", "cheap-pills-4u.xyz", "example.org"]
    assert "link-level signals" in " ".join(result.output.split())
    assert disavow.exists()


def test_a_typo_in_params_is_one_line(bundle_dir, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("score:\n  batch_sise: 3\n", encoding="utf-8")
    result = _score(
        str(tmp_path / "x.csv"), "--out", str(tmp_path / "o.csv"), "--params", str(params)
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "params.yaml" in result.output


def _big_export(sample: pl.DataFrame, path: Path, copies: int) -> None:
    """A Semrush export of ``copies`` x the sample, each copy on other source hosts."""
    parts = [
        sample.with_columns(pl.col("source_url").str.replace(r"://", f"://c{i}-", literal=False))
        for i in range(copies)
    ]
    write_semrush_csv(pl.concat(parts), path)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_scoring_at_once_and_leaves_no_temporary_files(
    bundle_dir, sample, tmp_path, signum
):
    export = tmp_path / "big.csv"
    _big_export(sample, export, 80)
    spill = tmp_path / "tmp"
    spill.mkdir()
    out_dir = tmp_path / "out"
    out = out_dir / "scored.csv"
    env = {**os.environ, "TMPDIR": str(spill)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.entry", "score", str(export), "--out", str(out),
         "--model", str(bundle_dir), "--domains", str(out_dir / "d.csv")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not any(spill.glob("linktox-*")) and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scoring ended before it could be interrupted: {process.stderr.read()}")
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the work: reading, featurizing, scoring
    sent = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    took = time.monotonic() - sent
    assert process.returncode == 128 + signum
    assert took < 3.0, f"took {took:.1f} s to stop"
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("linktox: interrupted by ")
    assert f"not written: {out}, {out_dir / 'd.csv'}" in last
    assert "Traceback" not in stderr
    assert list(spill.iterdir()) == []
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a SIGTERM handler (Python installs none of its own: linktox's
    entry point does, first thing), from Linux's /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(
        next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16
    )
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads Linux's /proc")
def test_ctrl_c_while_starting_is_one_line_not_a_traceback(tmp_path):
    # Ctrl-C from the moment linktox's code runs (its handlers are in place) while the command
    # modules are imported, and a little later: one line, exit 130, never a traceback.
    outcomes = []
    for delay in (0.0, 0.1, 0.3):
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.entry", "score", "x.csv", "--out", "o.csv"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not _catches_sigterm(process.pid) and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert "Traceback" not in stderr, (delay, stderr)
        assert len(stderr.strip().splitlines()) == 1, (delay, stderr)
        outcomes.append((process.returncode, stderr.strip()))
    code, line = outcomes[0]  # the imports take far longer than one poll
    assert code == 130 and line.startswith("linktox: interrupted by Ctrl-C"), outcomes
    for code, line in outcomes[1:]:  # interrupted, or done already (no project here: exit 2)
        assert (code, line.startswith("linktox: interrupted by Ctrl-C")) in (
            (130, True),
            (2, False),
        )
    assert list(tmp_path.iterdir()) == []
