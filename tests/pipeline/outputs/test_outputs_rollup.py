"""Referring-domain rollup: numbers per domain, the domain-label rule, top reasons, order."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import LinktoxError
from pipeline.outputs import ROLLUP_COLUMNS, domain_rollup, write_rollup
from pipeline.outputs import columns as c
from pipeline.outputs.rollup import shared_sites


def _links(domain: str, labels: list[str], scores: list[float] | None = None) -> pl.DataFrame:
    scores = scores or [{"toxic": 90.0, "review": 50.0, "whitelist": 5.0}[lab] for lab in labels]
    return pl.DataFrame(
        {
            c.REF_DOMAIN: [domain] * len(labels),
            c.TOXICITY_SCORE: scores,
            c.LABEL: labels,
            c.REASONS: ["r" if lab != "whitelist" else "" for lab in labels],
        }
    )


def _row(rollup: pl.DataFrame, domain: str) -> dict:
    return rollup.filter(pl.col(c.REF_DOMAIN) == domain).to_dicts()[0]


def test_numbers_per_domain(scored: pl.DataFrame) -> None:
    rollup = domain_rollup(scored)
    assert rollup.columns == list(ROLLUP_COLUMNS)
    spam = _row(rollup, "spam.xyz")
    assert spam[c.LINKS] == 3
    assert spam[c.WORST_SCORE] == 97.5
    assert spam[c.MEAN_SCORE] == pytest.approx((97.5 + 91.0 + 60.0) / 3, abs=0.05)
    assert (spam[c.TOXIC_LINKS], spam[c.REVIEW_LINKS], spam[c.WHITELIST_LINKS]) == (2, 1, 0)
    assert spam[c.TOXIC_SHARE] == pytest.approx(2 / 3, abs=1e-4)
    # every link is counted once, in exactly one label
    counts = rollup.select(c.TOXIC_LINKS, c.REVIEW_LINKS, c.WHITELIST_LINKS).sum_horizontal()
    assert counts.to_list() == rollup.get_column(c.LINKS).to_list()
    assert rollup.get_column(c.LINKS).sum() == scored.height


def test_the_rollup_does_not_depend_on_the_order_of_the_links() -> None:
    # A float sum of these scores is 24.2 in one order and 24.200000000000003 in the other, so
    # the mean (6.05) rounded to one decimal would be 6.0 or 6.1 (linktox spark score sums a
    # site's links in another order than linktox score).
    scores = [6.9, 6.5, 6.9, 3.9]
    assert pl.Series(scores).mean() != pl.Series(scores[::-1]).mean()
    links = _links("d.com", ["whitelist"] * 4, scores)
    forward, backward = domain_rollup(links), domain_rollup(links.reverse())
    assert forward.equals(backward)
    assert _row(forward, "d.com")[c.MEAN_SCORE] == 6.0  # 60.5 tenths, half to even


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["toxic", "toxic", "whitelist"], "toxic"),  # majority toxic
        (["toxic", "review"], "toxic"),  # exactly half, no clean link
        (["toxic", "whitelist"], "review"),  # a hacked page beside a normal link: not whole
        (["toxic", "toxic", "whitelist", "whitelist"], "review"),  # as many clean as toxic
        (["toxic", "whitelist", "whitelist"], "review"),  # one bad link on a real site
        (["toxic", "review", "review"], "review"),
        (["review"], "review"),
        (["whitelist", "whitelist"], "whitelist"),
    ],
)
def test_domain_label_rule(labels: list[str], expected: str) -> None:
    rollup = domain_rollup(_links("d.com", labels))
    assert _row(rollup, "d.com")[c.DOMAIN_LABEL] == expected


def test_toxic_share_threshold_is_a_parameter() -> None:
    links = _links("d.com", ["toxic", "review", "review"])
    assert _row(domain_rollup(links), "d.com")[c.DOMAIN_LABEL] == "review"
    assert _row(domain_rollup(links, toxic_share=0.3), "d.com")[c.DOMAIN_LABEL] == "toxic"


def test_domains_are_normalised_and_missing_ones_left_out() -> None:
    links = pl.concat(
        [_links("Spam.XYZ.", ["toxic"]), _links("spam.xyz", ["toxic"]), _links(None, ["toxic"])]
    )
    rollup = domain_rollup(links)
    assert rollup.get_column(c.REF_DOMAIN).to_list() == ["spam.xyz"]
    assert _row(rollup, "spam.xyz")[c.LINKS] == 2


def test_top_reasons_come_from_flagged_links_most_frequent_first() -> None:
    links = pl.DataFrame(
        {
            c.REF_DOMAIN: ["d.com"] * 5,
            c.TOXICITY_SCORE: [90.0, 90.0, 50.0, 90.0, 1.0],
            c.LABEL: ["toxic", "toxic", "review", "toxic", "whitelist"],
            c.REASONS: ["b; a", "b; c", "d; a", "b; e", "ignored; ignored"],
        }
    )
    top = _row(domain_rollup(links), "d.com")[c.TOP_REASONS]
    # b:3, a:2, then c/d/e tie at 1 and the alphabetically first wins; whitelist reasons ignored
    assert top == "b; a; c"


def test_clean_domain_has_no_reasons(scored: pl.DataFrame) -> None:
    assert _row(domain_rollup(scored), "news.com")[c.TOP_REASONS] == ""


def test_sorted_by_worst_score(scored: pl.DataFrame) -> None:
    worst = domain_rollup(scored).get_column(c.WORST_SCORE).to_list()
    assert worst == sorted(worst, reverse=True)


def test_unknown_labels_are_refused(scored: pl.DataFrame) -> None:
    bad = scored.with_columns(pl.lit("disavow").alias(c.LABEL))
    with pytest.raises(LinktoxError, match=r"'disavow'.*whitelist, review, toxic"):
        domain_rollup(bad)


def test_custom_column_names(scored: pl.DataFrame) -> None:
    renamed = scored.rename({c.REF_DOMAIN: "dom", c.TOXICITY_SCORE: "s"})
    assert domain_rollup(renamed, domain="dom", score="s").equals(domain_rollup(scored))


def test_write_rollup_csv_neutralises(tmp_path: Path) -> None:
    links = _links("d.com", ["toxic"]).with_columns(pl.lit("=HYPERLINK(1)").alias(c.REASONS))
    write_rollup(domain_rollup(links), tmp_path / "domains.csv")
    back = pl.read_csv(tmp_path / "domains.csv")
    assert back.get_column(c.TOP_REASONS).to_list() == ["'=HYPERLINK(1)"]


def test_constants_match_the_model_package() -> None:
    from models.cutoffs import LABELS
    from models.explain import REASON_SEPARATOR, REASONS
    from models.score import LABEL, TOXICITY_SCORE

    assert (c.TOXICITY_SCORE, c.LABEL, c.REASONS) == (TOXICITY_SCORE, LABEL, REASONS)
    assert c.REASON_SEPARATOR == REASON_SEPARATOR
    assert c.LABELS == LABELS


def _rollup_sites(links: pl.DataFrame) -> list[str]:
    scored = links.with_columns(
        pl.lit(1.0).alias(c.TOXICITY_SCORE), pl.lit("whitelist").alias(c.LABEL),
        pl.lit("").alias(c.REASONS),
    )  # fmt: skip
    return domain_rollup(scored).get_column(c.REF_DOMAIN).to_list()


def test_shared_sites_decides_platforms_on_every_profile_together() -> None:
    def hosted(users: list[str]) -> pl.DataFrame:
        return pl.DataFrame(
            {c.REF_DOMAIN: ["FreeHostz.net."] * len(users),
             c.SOURCE_HOST: [f"{u}.freehostz.net" for u in users], "n": range(len(users))}
        )  # fmt: skip

    old, new = hosted(["anna", "bob"]), hosted(["carl", "dora", "emil"])
    assert _rollup_sites(old) == ["freehostz.net"]  # two subdomains: one site on its own
    shared = shared_sites([old, new])
    assert [f.columns for f in shared] == [[c.REF_DOMAIN, "n"]] * 2  # host dropped, rows kept
    assert shared[0].get_column(c.REF_DOMAIN).to_list() == ["anna.freehostz.net",
                                                            "bob.freehostz.net"]  # fmt: skip
    assert shared[1].get_column("n").to_list() == [0, 1, 2]
    again = shared_sites(shared)  # a second pass (no hosts left) keys the same sites
    assert [f.get_column(c.REF_DOMAIN).to_list() for f in again] == [
        f.get_column(c.REF_DOMAIN).to_list() for f in shared
    ]


def _big_view(seed: int, n: int = 4_000) -> pl.DataFrame:
    """A seeded per-link view: many links per (domain, host) pair, a domain with many unrelated
    subdomains (a platform no list knows), a listed platform, repeated reasons strings (one of
    them naming a reason twice) and URLs on flagged links only, as the scorer's view keeps them."""
    import numpy as np

    rng = np.random.default_rng(seed)
    domains = [f"site{i}.com" for i in range(40)] + ["hostly.net", "blogspot.com"]
    domain = rng.choice(domains, n)
    sub = rng.integers(0, 9, n)
    host = [
        f"u{s}.{d}" if d in ("hostly.net", "blogspot.com") else ("www." if s % 2 else "") + d
        for d, s in zip(domain, sub, strict=True)
    ]
    ref = [
        f"u{s}.blogspot.com" if d == "blogspot.com" else d for d, s in zip(domain, sub, strict=True)
    ]
    label = rng.choice(["whitelist", "review", "toxic"], n, p=[0.6, 0.1, 0.3])
    reasons = rng.choice(["a; b", "b", "a; a; c", "c; b; a", "", "d"], n)
    flagged = label != "whitelist"
    return pl.DataFrame(
        {
            "source_url": [
                f"http://{h}/p{i}" if f else None
                for i, (h, f) in enumerate(zip(host, flagged, strict=True))
            ],
            "ref_domain": ref,
            "source_host": host,
            "toxicity_score": rng.integers(0, 1001, n) / 10,
            "label": label,
            "reasons": [r if f else None for r, f in zip(reasons, flagged, strict=True)],
        }
    )


def _naive(links: pl.DataFrame) -> pl.DataFrame:
    """The per-link way: every link given its site, then counted (the old rollup's path)."""
    from pipeline.outputs.rollup import referring_sites

    sites = referring_sites(links.with_columns(pl.col(pl.Categorical).cast(pl.String)))
    counts = sites.group_by(c.REF_DOMAIN).agg(
        pl.len().cast(pl.Int64).alias(c.LINKS),
        pl.col(c.TOXICITY_SCORE).max().alias(c.WORST_SCORE),
        *[
            (pl.col(c.LABEL) == v).sum().cast(pl.Int64).alias(k)
            for v, k in c.LABEL_COUNT_COLUMNS.items()
        ],
        pl.col(c.PLATFORM).first().fill_null(""),
    )
    reasons = (
        sites.filter(pl.col(c.LABEL).is_in(["toxic", "review"]))
        .with_columns(pl.col(c.REASONS).fill_null("").str.split("; ").alias("r"))
        .explode("r")
        .filter(pl.col("r") != "")
        .group_by(c.REF_DOMAIN, "r")
        .len()
        .sort([c.REF_DOMAIN, "len", "r"], descending=[False, True, False])
        .group_by(c.REF_DOMAIN, maintain_order=True)
        .head(3)
        .group_by(c.REF_DOMAIN, maintain_order=True)
        .agg(pl.col("r").str.join("; ").alias(c.TOP_REASONS))
    )
    return counts.join(reasons, on=c.REF_DOMAIN, how="left").with_columns(
        pl.col(c.TOP_REASONS).fill_null("")
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_of_many_links_equals_counting_every_link(seed: int) -> None:
    links = _big_view(seed)
    rollup = domain_rollup(links)
    naive = _naive(links)
    columns = [
        c.REF_DOMAIN,
        c.LINKS,
        c.WORST_SCORE,
        *c.LABEL_COUNT_COLUMNS.values(),
        c.PLATFORM,
        c.TOP_REASONS,
    ]
    got = rollup.select(columns).sort(c.REF_DOMAIN)
    assert got.equals(naive.select(columns).sort(c.REF_DOMAIN))
    assert "hostly.net" in got.get_column(c.PLATFORM).to_list()  # the unlisted platform was found
    assert got.filter(pl.col(c.TOP_REASONS) != "").height > 10  # reasons were compared


def test_the_rollup_and_the_disavow_urls_do_not_depend_on_categorical_or_string_columns() -> None:
    from pipeline.outputs.rollup import disavow_urls

    links = _big_view(4)
    view = links.with_columns(
        pl.col(c.REF_DOMAIN, c.SOURCE_HOST, c.LABEL).cast(pl.Categorical)
    )  # as the scorer keeps them
    as_strings, as_categories = domain_rollup(links), domain_rollup(view)
    assert as_strings.equals(as_categories)
    urls = disavow_urls(as_strings, links)
    assert urls.height > 0
    assert urls.equals(disavow_urls(as_categories, view))
    # Listed in the links' order; the same URLs whatever that order.
    backward = disavow_urls(as_strings, links.reverse())
    assert backward.equals(urls.reverse())
