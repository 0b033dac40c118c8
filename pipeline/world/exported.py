"""What a real export does to a profile: the columns it leaves empty, the URLs it keeps as crawled.

The populations describe links as they are; a vendor's export describes them as its crawler saw
them, and real Semrush exports (bench/results/world_vs_real.md) differ from the populations in
ways that have nothing to do with toxicity: Page Authority Score is 0 for most pages, the
``ugc``, ``sponsored`` and ``sitewide`` flags are rarely set, and a quarter of source URLs carry a
query string (tracking parameters, pagination, session ids); links of every kind sit on generic
pages (a home page, a links page, page 2); their pages also carry more
outbound links (navigation, sidebars, ads) than the populations model. This pass applies those to
every population alike, at shares drawn wide per site, so that none of those columns is an exact
tell in the world and the model learns to score links where an export leaves them empty. Labels,
tactics and row order are unchanged.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from features import schema

# Per site, the share of links each loss touches is drawn uniformly from these ranges.
PA_ZERO = (0.35, 0.75)  # Page Authority Score reported as 0
FLAG_CLEARED: dict[str, tuple[float, float]] = {
    schema.UGC: (0.6, 0.95),
    schema.SPONSORED: (0.6, 0.95),
    schema.SITEWIDE: (0.6, 0.95),
}
QUERY_ADDED = (0.05, 0.3)  # a query string on a URL that had none
# Generic pages every kind of site has (home, blog index, a links or resources page, page 2):
# per site, this share of links, of every population, sits on one of them, so a page's path type
# is never a tell by itself (spam sites have links pages too; legitimate ones have home pages).
GENERIC_SHARE = (0.05, 0.25)
GENERIC_PAGES: tuple[str, ...] = (
    "/", "/blog/", "/news/", "/about-us/", "/links/", "/links.html", "/resources/",
    "/useful-links/", "/partners/", "/friends.html", "/page/2/", "/blog/page/3/",
    "/category/uncategorized/", "/index.php", "/home/", "/sitemap/", "/archives/",
)  # fmt: skip
# Page chrome the populations leave out (navigation, sidebars, footers, ads): every page's
# outbound count is multiplied by a factor drawn per site (real median 45 against 17).
CHROME = (1.0, 4.0)
# A vendor's index reaches back so far (days, drawn per site): a link older than that is
# "first seen" on the day the crawler rediscovered it, a day drawn within the index (recent days
# likelier, as recrawls are), and a link lost before it was rediscovered is seen just once. Real
# Semrush exports: median first-seen age 201 days against the world's 1,137, a fifth of links seen
# on one day only.
INDEX_DAYS = (200.0, 1_000.0)
REDISCOVERY_SKEW = 1.5  # the rediscovery day is D - depth * U**skew: recent days likelier
# A vendor forgets a link lost longer ago than this (days, per site): real exports show no link
# last seen more than about 190 days before the newest one (median 43), the world's dead links
# up to years.
MEMORY_DAYS = (150.0, 200.0)
QUERIES: tuple[str, ...] = (
    "?utm_source=feed", "?utm_medium=rss", "?ref=home", "?amp=1", "?page=2", "?replytocom={n}",
    "?p={n}", "?lang=en", "?fbclid=IwAR{n}", "?s=", "?sort=new", "?m=1",
)  # fmt: skip


def as_exported(world: pl.DataFrame, seed: int) -> pl.DataFrame:
    """``world`` as a vendor's export would show it (see the module docstring)."""
    rng = np.random.default_rng([seed, 9001])
    sites, site = np.unique(world[schema.SITE].to_numpy(), return_inverse=True)
    n = world.height

    def touched(bounds: tuple[float, float]) -> pl.Series:
        share = rng.uniform(*bounds, len(sites))[site]
        return pl.Series(rng.random(n) < share)

    pa_zero = touched(PA_ZERO)
    chrome = pl.Series(rng.uniform(*CHROME, len(sites))[site])
    cleared = {column: touched(bounds) for column, bounds in FLAG_CLEARED.items()}
    query = touched(QUERY_ADDED)
    generic = touched(GENERIC_SHARE)
    pages = np.asarray(GENERIC_PAGES, dtype=object)
    page = pl.Series(pages[rng.integers(0, len(pages), n)])
    pick = rng.integers(0, len(QUERIES), n)
    prefix = pl.Series([q.replace("{n}", "") for q in QUERIES], dtype=pl.String).gather(pick)
    numbered = pl.Series(["{n}" in q for q in QUERIES]).gather(pick)
    number = pl.Series(rng.integers(2, 99_999, n)).cast(pl.String)
    tail = pl.lit(prefix) + pl.when(pl.lit(numbered)).then(pl.lit(number)).otherwise(pl.lit(""))
    origin = pl.col(schema.SOURCE_URL).str.extract(r"^([A-Za-z]+://[^/?#]+)")
    url = (
        pl.when(pl.lit(generic) & origin.is_not_null())
        .then(origin + pl.lit(page.cast(pl.String)))
        .otherwise(pl.col(schema.SOURCE_URL))
    )
    add_query = pl.lit(query) & ~url.str.contains("?", literal=True) & ~url.str.contains("#")
    return world.with_columns(
        *_seen_by_vendor(world, rng, site, len(sites)),
        pl.when(pl.lit(pa_zero))
        .then(pl.lit(0, dtype=world.schema[schema.PAGE_AUTHORITY]))
        .otherwise(pl.col(schema.PAGE_AUTHORITY))
        .alias(schema.PAGE_AUTHORITY),
        *(
            pl.when(pl.lit(mask)).then(False).otherwise(pl.col(column)).alias(column)
            for column, mask in cleared.items()
        ),
        (pl.col(schema.EXTERNAL_LINKS) * pl.lit(chrome))
        .round(0)
        .cast(world.schema[schema.EXTERNAL_LINKS])
        .alias(schema.EXTERNAL_LINKS),
        pl.when(add_query).then(url + tail).otherwise(url).alias(schema.SOURCE_URL),
    )


def _seen_by_vendor(
    world: pl.DataFrame, rng: np.random.Generator, site: np.ndarray, n_sites: int
) -> list[pl.Expr]:
    """First- and last-seen dates as a vendor's index reports them (see :data:`INDEX_DAYS` and
    :data:`MEMORY_DAYS`).

    A link lost longer ago than the vendor's memory would be gone from the export; it stands in
    for a link lost within it (last seen on a day drawn in the memory). A link is first seen on
    the later of its true date and the crawler's rediscovery day, and never after it was last
    seen: one lost before the crawler came back was seen on one day only.
    """
    n = world.height
    depth = rng.uniform(*INDEX_DAYS, n_sites)[site]
    back = np.round(depth * rng.random(n) ** REDISCOVERY_SKEW).astype(np.int64)
    memory = rng.uniform(*MEMORY_DAYS, n_sites)[site]
    lost_back = np.round(memory * rng.random(n)).astype(np.int64)
    newest = pl.lit(world.get_column(schema.LAST_SEEN).max(), dtype=pl.Date)

    def days_before(days: np.ndarray) -> pl.Expr:
        return (newest - pl.duration(days=pl.lit(pl.Series(days)))).cast(pl.Date)

    first, last = pl.col(schema.FIRST_SEEN), pl.col(schema.LAST_SEEN)
    forgotten = (newest - last).dt.total_days() > pl.lit(pl.Series(np.round(memory)))
    last_shown = pl.when(forgotten).then(days_before(lost_back)).otherwise(last)
    first_shown = pl.min_horizontal(pl.max_horizontal(first, days_before(back)), last_shown)
    return [
        pl.when(first.is_null() | last.is_null()).then(first).otherwise(first_shown)
        .alias(schema.FIRST_SEEN),
        pl.when(first.is_null() | last.is_null()).then(last).otherwise(last_shown)
        .alias(schema.LAST_SEEN),
    ]  # fmt: skip
