"""Per-file statistics of scored links: label shares, quantiles, plateaus, ROC-AUC."""

from __future__ import annotations

import polars as pl
import pytest

from bench.real import stats


def scored() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": ["a"] * 6 + ["b"] * 4,
            "key": ["x", "x", "y", "y", "z", "w", "x", "v", "u", "t"],
            "toxicity_score": [10.0, 10.0, 10.0, 50.0, 90.0, 20.0, 5.0, 6.0, 7.0, 8.0],
            "label": ["whitelist"] * 3 + ["review", "toxic", "review"] + ["whitelist"] * 4,
        }
    )


def test_summary_per_file() -> None:
    rows = {row["file"]: row for row in stats.summary(scored(), "file").to_dicts()}
    a = rows["a"]
    assert a["links"] == 6
    assert a["share_whitelist"] == pytest.approx(0.5)
    assert a["share_review"] == pytest.approx(2 / 6)
    assert a["share_toxic"] == pytest.approx(1 / 6)
    assert a["distinct_scores"] == 4
    assert a["p10"] == 10.0
    assert a["p50"] in (10.0, 20.0)  # "nearest" between the 3rd and 4th of six
    assert a["p90"] >= 50.0
    assert rows["b"]["share_whitelist"] == 1.0


def test_plateau_share_counts_the_three_most_common_scores() -> None:
    rows = {row["file"]: row for row in stats.summary(scored(), "file").to_dicts()}
    # file a: 10.0 x3, then three scores once each; the top three cover 3 + 1 + 1 of 6 links
    assert rows["a"]["plateau_share"] == pytest.approx(5 / 6)
    # file b: four distinct scores, the top three cover 3 of 4
    assert rows["b"]["plateau_share"] == pytest.approx(3 / 4)
    one = stats.plateau_share(pl.DataFrame({"toxicity_score": [1.0] * 9 + [2.0]}), top=1)
    assert one.item() == pytest.approx(0.9)


def test_overall_summary_is_one_row() -> None:
    overall = stats.summary(scored())
    assert overall.height == 1
    assert overall["links"].item() == 10


def test_roc_auc_and_domain_auc() -> None:
    frame = scored().with_columns(
        (pl.col("toxicity_score") >= 20).alias("pos"), (pl.col("toxicity_score") < 20).alias("neg")
    )
    assert stats.roc_auc(frame, pl.col("pos"), pl.col("neg")) == 1.0
    assert stats.roc_auc(frame, pl.col("neg"), pl.col("pos")) == 0.0
    assert stats.roc_auc(frame, pl.col("pos"), pl.lit(False)) is None
    assert stats.domain_roc_auc(frame, pl.col("pos"), pl.col("neg")) is not None


def test_top_scores_are_the_most_common_with_their_share() -> None:
    top = stats.top_scores(scored(), top=2)
    assert top[0] == {"toxicity_score": 10.0, "share": pytest.approx(0.3)}
    assert top[1]["toxicity_score"] == 5.0  # ties broken by the lower score


def test_importer_messages_lose_their_cell_values_and_paths() -> None:
    from bench.real.report import withhold_values

    bad_host = (
        "line 260: source_url 'http://-www.spam.example/a.html' (column 'Source url') is not an "
        "http(s) URL with a host"
    )
    out = withhold_values(bad_host)
    assert "spam.example" not in out
    assert "(column 'Source url')" in out
    assert "starts or ends with '-'" in out
    unparsed = "column 'First seen' (first_seen): 2 values not understood as a date, left empty "
    unparsed += "(first: line 7, 'yesterday')"
    assert withhold_values(unparsed) == unparsed.replace("'yesterday'", "<value withheld>")
    refused = withhold_values(
        "/local/copy/x-backlinks.csv: line 3 contains NUL bytes", path="/local/copy/x-backlinks.csv"
    )
    assert refused == "x-backlinks.csv: line 3 contains NUL bytes"


def test_toxic_cutoff_rows_at_the_own_cutoff_give_the_labels_as_scored() -> None:
    frame = scored()  # labels are the scores against review 15, toxic 60
    rows = stats.toxic_cutoff_rows(frame, 15.0, [60.0], {"file a": pl.col("file") == "a"})
    by_group = {row["group"]: row for row in rows}
    for group, mask in (("all", pl.lit(True)), ("file a", pl.col("file") == "a")):
        own = stats.label_shares(frame, mask)
        assert {k: by_group[group][k] for k in own} == own


def test_a_higher_toxic_cutoff_moves_links_from_toxic_to_review_only() -> None:
    rows = stats.toxic_cutoff_rows(scored(), 15.0, [15.0, 40.0, 60.0, 95.0], {})
    assert [row["toxic_cutoff"] for row in rows] == [15.0, 40.0, 60.0, 95.0]
    toxic = [row["share_toxic"] for row in rows]
    assert toxic == sorted(toxic, reverse=True) and toxic[0] > toxic[-1] == 0.0
    assert {row["share_whitelist"] for row in rows} == {0.7}  # the review cut-off did not move
    for row in rows:
        assert row["share_whitelist"] + row["share_review"] + row["share_toxic"] == pytest.approx(1)


def test_a_toxic_cutoff_under_the_review_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"toxic cut-off 10\.0 is under the review cut-off 15\.0"):
        stats.toxic_cutoff_rows(scored(), 15.0, [10.0], {})
