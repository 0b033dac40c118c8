"""`linktox spark score` in local mode gives exactly what `linktox score` gives on the same links.

One small world export (eight sites, so several profiles; some referring domains with names the
shipped knowledge tables know) is scored once on one machine and once on Spark, with the links
dealt round-robin over four partitions so that every referring domain with several links has
them in several partitions: only whole-profile tables can give the same features then. Both runs
get the same whitelist, which protects one toxic domain and a subdomain of another (whose
parent is then spared and disavowed by its URLs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from features.knowledge import Knowledge
from models.bundle import Bundle
from pipeline import paths
from pipeline.cli import app
from pipeline.knowledge.load import load_knowledge
from pipeline.world.exports import write_canonical_csv
from tests.bundles import world_links

runner = CliRunner()
KEY = ["source_url", "target_url", "anchor"]
SCORED = ["ref_domain", "toxicity_score", "label", "reasons"]


def _invoke(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def runs(spark, spark_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spark-score")
    export = folder / "export.csv"
    write_canonical_csv(
        world_links(2000, 7, load_knowledge(paths.at_root(paths.KNOWLEDGE))), export
    )
    model = str(spark_bundle_dir)
    # A first run names toxic domains to protect: one whitelisted whole, one through a subdomain
    # (so the domain is spared: no domain: line, its toxic URLs listed instead), one as our own.
    _invoke("score", str(export), "--out", str(folder / "first.parquet"), "--model", model,
            "--disavow", str(folder / "first.txt"))  # fmt: skip
    toxic = [line.removeprefix("domain:") for line in _entries(folder / "first.txt")]
    (folder / "whitelist.txt").write_text(f"{toxic[0]}\nblog.{toxic[1]}\n", encoding="utf-8")
    whitelist = ["--whitelist", str(folder / "whitelist.txt"), "--own-domain", toxic[2]]
    _invoke("score", str(export), "--out", str(folder / "single.parquet"), "--model", model,
            "--domains", str(folder / "single_domains.csv"), *whitelist,
            "--disavow", str(folder / "single_disavow.txt"))  # fmt: skip
    _invoke("convert", str(export), "--out", str(folder / "links.parquet"))
    _invoke("spark", "score", str(folder / "links.parquet"), "--out", str(folder / "spark"),
            "--model", model, "--partitions", "4", *whitelist,
            "--domains", str(folder / "spark_domains.csv"),
            "--disavow", str(folder / "spark_disavow.txt"))  # fmt: skip
    return folder


def _entries(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]


def test_referring_domains_were_split_across_partitions(runs: Path) -> None:
    # Each scoring task writes one part file: a domain in several files sat in several tasks.
    parts = sorted((runs / "spark").glob("part-*.parquet"))
    assert len(parts) == 4
    spread = pl.concat(
        pl.read_parquet(part, columns=["ref_domain"]).unique().with_columns(pl.lit(i).alias("p"))
        for i, part in enumerate(parts)
    )
    per_domain = spread.group_by("ref_domain").agg(pl.col("p").n_unique())
    assert per_domain.filter(pl.col("p") > 1).height > 50


def test_scores_labels_and_reasons_are_identical(runs: Path) -> None:
    single = pl.read_parquet(runs / "single.parquet").select(*KEY, *SCORED)
    spark = pl.read_parquet(runs / "spark" / "*.parquet")
    assert spark.height == single.height == 2000
    assert set(single.columns) <= set(spark.columns)
    both = single.join(spark.select(*KEY, *SCORED), on=KEY, how="full", nulls_equal=True)
    differ = pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_right")) for c in SCORED)
    differing = both.filter(differ)
    assert differing.height == 0, f"{differing.height} links differ:\n{differing.head(5)}"
    assert single.get_column("label").n_unique() == 3  # the comparison covers every label
    # ... and the knowledge tables the bundle carries (a public list or the name model trained
    # on them is a reason).
    knowledge = single.get_column("reasons").str.contains(r"public (?:\S+ )?(?:blocklist|spam)")
    assert knowledge.sum() > 10


def test_rollup_and_disavow_entries_are_identical(runs: Path) -> None:
    single = pl.read_csv(runs / "single_domains.csv")
    spark = pl.read_csv(runs / "spark_domains.csv")
    differing = single.join(spark, on=single.columns, how="anti", nulls_equal=True)
    assert differing.height == 0, f"{differing.height} rollup rows differ:\n{differing.head(5)}"
    assert spark.equals(single)  # the same rows in the same order
    assert (single.get_column("domain_label") == "toxic").sum() > 10
    # The comparison covers own, whitelisted and spared sites.
    assert {"own", "whitelisted", "spared"} <= set(single.get_column("protected"))
    entries = _entries(runs / "single_disavow.txt")
    assert len(entries) > 10
    assert _entries(runs / "spark_disavow.txt") == entries
    # URL lines: toxic pages of sites kept as a whole, and those of the spared domain.
    urls = [line for line in entries if not line.startswith("domain:")]
    spared = (runs / "whitelist.txt").read_text(encoding="utf-8").split()[1].removeprefix("blog.")
    assert any(spared in url for url in urls) and any(spared not in url for url in urls)


def test_the_knowledge_tables_are_read_once_on_the_driver(spark, runs, spark_bundle_dir, tmp_path):
    # Each of the bundle's knowledge tables is counted when read; it reaches the tasks in the
    # broadcast, so the tasks never read it (on a cluster its path is on another machine).
    from pipeline.config import load_params
    from pipeline.scoring import feature_params
    from pipeline.spark.score import read_links, score_on_spark

    reads = tmp_path / "reads.txt"

    def counted(name: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
        def read(frame: pl.DataFrame) -> pl.DataFrame:
            with reads.open("a", encoding="utf-8") as handle:
                handle.write(name + "\n")
            return frame

        return read

    bundle = Bundle.load(spark_bundle_dir)
    tables = {name: getattr(bundle.knowledge, name) for name in ("domains", "popularity",
                                                                  "name_weights")}  # fmt: skip
    bundle.knowledge = Knowledge(**{n: lf.map_batches(counted(n)) for n, lf in tables.items()})
    cfg = load_params()
    out = tmp_path / "scored"
    result = score_on_spark(spark, read_links(spark, str(runs / "links.parquet")), str(out), bundle,
                            n_reasons=cfg.score.reasons, params=feature_params(cfg, bundle),
                            partitions=4, batch_rows=cfg.score.batch_size)  # fmt: skip
    assert sorted(reads.read_text(encoding="utf-8").split()) == sorted(tables)
    assert result.rows == 2000
    scored = pl.read_parquet(out / "*.parquet").select(*KEY, *SCORED).sort(KEY)
    assert scored.equals(
        pl.read_parquet(runs / "spark" / "*.parquet").select(*KEY, *SCORED).sort(KEY)
    )


def test_csv_input_reads_as_the_parquet_does(spark, runs: Path) -> None:
    from pipeline.spark.score import read_links

    csv = pl.from_arrow(read_links(spark, str(runs / "export.csv")).toArrow())
    parquet = pl.read_parquet(runs / "links.parquet")
    assert csv.select(parquet.columns).sort(KEY).equals(parquet.sort(KEY))


def test_an_existing_out_folder_is_refused_before_any_work(runs: Path) -> None:
    result = runner.invoke(app, ["spark", "score", str(runs / "links.parquet"), "--out",
                                 str(runs / "spark"), "--model", str(runs.parent)])  # fmt: skip
    assert result.exit_code != 0
    assert "not a model bundle" in result.output or "already exists" in result.output


def test_links_without_a_required_column_are_refused_in_one_line(spark, runs, spark_bundle_dir):
    bad = runs / "bad.parquet"
    pl.read_parquet(runs / "links.parquet").drop("target_url").write_parquet(bad)
    out = runs / "bad-out"
    result = runner.invoke(app, ["spark", "score", str(bad), "--out", str(out),
                                 "--model", str(spark_bundle_dir)])  # fmt: skip
    assert result.exit_code != 0
    assert "bad.parquet" in result.output and "'target_url'" in result.output
    assert "linktox convert" in result.output and "Traceback" not in result.output
    assert not out.exists()
