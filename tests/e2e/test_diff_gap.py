"""diff and gap end to end on world exports (Semrush, Ahrefs and canonical files, tiny model).

diff: one site seen before and after the negative-SEO attack the world fires at
shop-under-attack in September 2026 (the alert must fire), and across a quiet stretch of 2025
with a legitimate launch burst (it must not). gap: two competitors share a network of link farms,
hacked and web 2.0 wheel sites; none of them may reach the default prospect list.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from typer.testing import CliRunner

from features.build import build_features
from pipeline.cli import app
from pipeline.world import generate_world
from pipeline.world.exports import write_ahrefs_tsv, write_canonical_csv, write_semrush_csv

runner = CliRunner()
BEFORE, AFTER = date(2026, 8, 31), date(2026, 9, 1)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"{args}: {result.output}\n{result.exception!r}"
    return result.output


@pytest.fixture(scope="module")
def attacked() -> pl.DataFrame:
    return generate_world(3000, 11, sites=["shop-under-attack"])


def test_diff_across_the_attack_raises_the_alert(tiny_bundle, attacked, tmp_path):
    old, new = tmp_path / "august.csv", tmp_path / "november.tsv"
    write_semrush_csv(attacked.filter(pl.col("first_seen") <= BEFORE), old)
    write_ahrefs_tsv(attacked.filter(pl.col("last_seen") >= AFTER), new)
    out, domains = tmp_path / "links.parquet", tmp_path / "domains.parquet"
    output = run("diff", str(old), str(new), "--model", str(tiny_bundle), "--out", str(out),
                 "--domains", str(domains), "--report", str(tmp_path / "report.html"))  # fmt: skip
    assert "Possible negative-SEO attack" in output
    window = output.split("first seen ")[1][:10]
    assert "2026-09-14" <= window <= "2026-09-20"  # the attack's first week

    # Matching across two vendors' spellings: each status holds exactly the links it should.
    links = pl.read_parquet(out)
    truth = attacked.with_columns(
        pl.when(pl.col("first_seen") > BEFORE).then(pl.lit("new"))
        .when(pl.col("last_seen") < AFTER).then(pl.lit("lost"))
        .otherwise(pl.lit("kept")).alias("expected")
    )  # fmt: skip
    for status in ("new", "lost", "kept"):
        expected = set(truth.filter(pl.col("expected") == status).get_column("source_url"))
        found = set(links.filter(pl.col("status") == status).get_column("source_url"))
        assert found <= expected and len(expected) - len(found) <= 0.01 * len(expected), status

    # The new toxic referring domains are the attackers'.
    attack = build_features(attacked.filter(pl.col("tactic") == "negative_seo").lazy())
    attackers = set(attack.select("ref_domain").collect().get_column("ref_domain"))
    table = pl.read_parquet(domains)
    new_toxic = table.filter((pl.col("status") == "new") & (pl.col("new_domain_label") == "toxic"))
    share = new_toxic.get_column("ref_domain").is_in(attackers).mean()
    assert new_toxic.height > 100 and share >= 0.9, (new_toxic.height, share)


def test_diff_across_a_quiet_year_with_a_launch_burst_stays_calm(tiny_bundle, attacked, tmp_path):
    old, new = tmp_path / "march.csv", tmp_path / "december.csv"
    write_semrush_csv(attacked.filter(pl.col("first_seen") <= date(2025, 3, 31)), old)
    write_canonical_csv(attacked.filter(pl.col("first_seen") <= date(2025, 12, 31)), new)
    output = run("diff", str(old), str(new), "--model", str(tiny_bundle))
    assert "No burst" in output and "negative-SEO attack" not in output


def _retarget(links: pl.DataFrame, domain: str) -> pl.DataFrame:
    return links.with_columns(pl.col("target_url").str.replace(r"//(?:www\.)?[^/]+", f"//{domain}"))


def test_gap_never_lists_the_network_two_competitors_share(tiny_bundle, tmp_path):
    network = generate_world(2000, 54, sites=["loan-broker"]).filter(
        pl.col("tactic").is_in(["link_farm", "hacked", "web20_wheel"])
    )
    spam = set(build_features(network.lazy()).select("ref_domain").collect().to_series())
    mine = generate_world(800, 51, sites=["shop-under-attack"])
    rival_a = pl.concat([generate_world(800, 52, sites=["clean-saas"]),
                         _retarget(network, "acmeanalytics.com")])  # fmt: skip
    rival_b = pl.concat([generate_world(800, 53, sites=["food-media"]),
                         _retarget(network, "kitchenledger.com")])  # fmt: skip
    paths = [tmp_path / "mine.csv", tmp_path / "a.csv", tmp_path / "b.tsv"]
    write_canonical_csv(mine.filter(pl.col("first_seen") <= BEFORE), paths[0])
    write_semrush_csv(rival_a, paths[1])
    write_ahrefs_tsv(rival_b, paths[2])
    out, everything = tmp_path / "prospects.csv", tmp_path / "everything.csv"
    output = run("gap", *map(str, paths), "--model", str(tiny_bundle), "--out", str(out))
    prospects = pl.read_csv(out)
    assert not set(prospects.get_column("ref_domain")) & spam
    assert prospects.height > 300, output  # the competitors legitimate domains remain
    assert (prospects.get_column("domain_label") == "whitelist").all()
    assert "Left out:" in output

    run("gap", *map(str, paths), "--model", str(tiny_bundle), "--out", str(everything),
        "--min-competitors", "2", "--include-toxic", "--include-review")  # fmt: skip
    listed = pl.read_csv(everything)
    network_rows = listed.filter(pl.col("ref_domain").is_in(spam))
    assert network_rows.height == len(spam)  # every network domain links to both
    assert (network_rows.get_column("top_reasons").str.len_chars() > 0).all()
    assert (network_rows.get_column("domain_label") != "whitelist").all()
