"""Benchmark: ``build_features`` on one million synthetic links, next to a per-row baseline.

The links are synthesised here with numpy and polars (a few seconds, no dependency on the world
generator): 20 target sites, ~140k referring domains with Zipf-like link counts, realistic hosts
(www/subdomains, multi-label suffixes, free hosts, punycode, IPs), anchors, titles, dates, rel
flags,
IPs, traffic and context snippets.

The baseline is what a straightforward script does for the URL part alone: pandas plus a per-row
``tldextract`` call (offline snapshot, private suffixes included, as ours) for host -> registrable
domain. It runs on a subset and is extrapolated per link; the same subset also goes through our
polars URL parser, and the two are checked for agreement.

Usage: ``python bench/featurize.py [--links 1000000] [--baseline-links 100000] [--seed 7]``
Writes ``bench/results/featurize.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import numpy as np
import polars as pl
import psutil

from features.build import FEATURE_COLUMNS, build_features
from features.schema import conform
from features.urls import UrlParts, parse_urls
from features.vocab import COMMON_WORDS, FREE_HOSTS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "featurize.md"
T = TypeVar("T")

TLDS = ["com", "com", "com", "net", "org", "co.uk", "de", "info", "xyz", "top", "pl", "ru", "io"]
FREE = ["blogspot.com", "wordpress.com", "github.io", "weebly.com"]
ANCHOR_POOL_GENERIC = ["click here", "website", "here", "read more", "this site", "source", ""]
ANCHOR_POOL_MONEY = [
    "buy cheap {w}",
    "best {w} online",
    "{w} price",
    "cheap viagra",
    "online casino bonus",
    "payday loans",
    "{w} near me",
    "discount {w} shop",
]
TITLE_SPAM = ["Best online casino 2024", "Cheap SEO backlinks", "Лучшие казино онлайн"]


def synthesise(n: int, seed: int) -> pl.DataFrame:
    """``n`` canonical links built column-wise (numpy draws, polars string assembly)."""
    rng = np.random.default_rng(seed)
    words = pl.Series(sorted(COMMON_WORDS))

    def pick(values: list[str] | pl.Series, size: int, p: np.ndarray | None = None) -> pl.Series:
        values = pl.Series(values) if isinstance(values, list) else values
        return values.gather(rng.choice(len(values), size=size, p=p))

    # Target sites: brand + their landing-page paths.
    n_sites = 20
    brands = [f"{a}{b}" for a, b in zip(pick(words, n_sites), pick(words, n_sites), strict=True)]
    site = rng.integers(0, n_sites, n)
    target_word = pick(words, n)
    target_url = pl.concat_str(
        [
            pl.lit("https://www."),
            pl.Series(brands).gather(site),
            pl.lit(".com/"),
            pl.when(pl.lit(pl.Series(rng.random(n) < 0.4))).then(pl.lit("")).otherwise(target_word),
        ]
    )

    # Referring domains: Zipf-like link counts, a few very large (sitewide) ones.
    n_domains = max(n // 7, 10)
    dom_name = pl.concat_str(
        [
            pick(words, n_domains),
            pl.when(pl.lit(pl.Series(rng.random(n_domains) < 0.5)))
            .then(pick(words, n_domains))
            .otherwise(pl.lit("")),
            pl.when(pl.lit(pl.Series(rng.random(n_domains) < 0.2)))
            .then(pl.lit(pl.Series(rng.integers(1, 999, n_domains)).cast(pl.String)))
            .otherwise(pl.lit("")),
        ]
    )
    kind = rng.random(n_domains)
    domain = pl.select(
        pl.when(pl.lit(pl.Series(kind < 0.05)))
        .then(pl.concat_str([dom_name, pl.lit("."), pick(FREE, n_domains)]))
        .when(pl.lit(pl.Series(kind < 0.06)))
        .then(pl.concat_str([pl.lit("xn--"), dom_name, pl.lit("-kva.de")]))
        .otherwise(pl.concat_str([dom_name, pl.lit("."), pick(TLDS, n_domains)]))
    ).to_series()
    subnet = pl.Series(rng.integers(0, n_domains // 3 + 1, n_domains))
    dom_id = np.minimum(rng.zipf(1.6, n) - 1, n_domains - 1)
    dom_id = (dom_id * 7919 + rng.integers(0, n_domains, n) * (rng.random(n) < 0.7)) % n_domains
    page = pl.Series(rng.integers(0, 50, n)).cast(pl.String)
    host_prefix = pick(["", "www.", "www.", "blog."], n)
    source_url = pl.concat_str(
        [
            pick(["http://", "https://"], n),
            host_prefix,
            domain.gather(dom_id),
            pl.lit("/"),
            pick(words, n),
            pl.lit("-"),
            pick(words, n),
            pl.lit("/"),
            page,
        ]
    )
    brand_of_link = pl.Series(brands).gather(site)
    money = pick(ANCHOR_POOL_MONEY, n).str.replace("{w}", "", literal=True).str.strip_chars()
    anchor_kind = rng.random(n)
    anchor = pl.select(
        pl.when(pl.lit(pl.Series(anchor_kind < 0.35)))
        .then(brand_of_link)
        .when(pl.lit(pl.Series(anchor_kind < 0.55)))
        .then(pick(ANCHOR_POOL_GENERIC, n))
        .when(pl.lit(pl.Series(anchor_kind < 0.75)))
        .then(pl.concat_str([money, pick(words, n)], separator=" "))
        .otherwise(pl.concat_str([pick(words, n), pick(words, n)], separator=" "))
    ).to_series()
    title = pl.select(
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.05)))
        .then(pick(TITLE_SPAM, n))
        .otherwise(
            pl.concat_str(
                [pick(words, n), pick(words, n), pick(words, n), page], separator=" "
            ).str.to_titlecase()
        )
    ).to_series()
    start = date(2022, 1, 1)
    first = pl.Series(rng.integers(0, 3 * 365, n)).cast(pl.Int32) + int(
        pl.Series([start]).cast(pl.Int32)[0]
    )
    first_seen = first.cast(pl.Date)
    last_seen = (first + pl.Series(rng.integers(0, 400, n)).cast(pl.Int32)).cast(pl.Date)
    ip = pl.select(
        pl.concat_str(
            [
                pl.lit("10."),
                (subnet.gather(dom_id) // 256).cast(pl.String),
                pl.lit("."),
                (subnet.gather(dom_id) % 256).cast(pl.String),
                pl.lit("."),
                pl.Series(rng.integers(1, 255, n_domains)).gather(dom_id).cast(pl.String),
            ]
        )
    ).to_series()
    da = pl.Series(rng.integers(0, 90, n_domains)).gather(dom_id).cast(pl.Float64)
    traffic = pl.Series(np.round(10 ** rng.uniform(0, 6, n_domains))).gather(dom_id)
    context = pick(["", "© 2024 all rights reserved", "john says: great post", "blogroll"], n)
    return pl.DataFrame(
        {
            "source_url": pl.select(source_url).to_series(),
            "target_url": pl.select(target_url).to_series(),
            "anchor": anchor,
            "source_title": title,
            "nofollow": pl.Series(rng.random(n) < 0.3),
            "link_type": pick(["text"] * 8 + ["image", "redirect"], n),
            "sitewide": pl.Series(rng.random(n) < 0.1),
            "first_seen": first_seen,
            "last_seen": last_seen,
            "page_authority": pl.Series(rng.integers(0, 60, n)).cast(pl.Float64),
            "domain_authority": da,
            "external_links": pl.Series(rng.integers(0, 500, n)),
            "internal_links": pl.Series(rng.integers(0, 200, n)),
            "source_ip": ip,
            "source_country": pick(["US", "US", "GB", "DE", "RU", "IN"], n),
            "source_language": pick(["en", "en", "en", "de", "ru"], n),
            "domain_traffic": traffic,
            "left_context": context,
            "right_context": pick(["", "reply", "powered by wordpress"], n),
        }
    )


class PeakRss:
    """Samples this process's resident set size in a thread; ``peak`` in MiB."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._proc = psutil.Process(os.getpid())

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss / 2**20)
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self.peak = self._proc.memory_info().rss / 2**20
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def baseline_domains(urls: list[str]) -> list[str]:
    """pandas + per-row tldextract: host -> registrable domain, the usual script."""
    import pandas as pd
    import tldextract

    extract = tldextract.TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)
    frame = pd.DataFrame({"source_url": urls})
    frame["host"] = frame["source_url"].map(lambda u: (urlsplit(u).hostname or "").lower())
    frame["ref_domain"] = frame["host"].map(
        lambda h: extract(h).top_domain_under_public_suffix or h
    )
    return frame["ref_domain"].tolist()


def polars_domains(urls: list[str]) -> list[str]:
    parts = UrlParts("_b")
    lf = parse_urls(pl.LazyFrame({"source_url": urls}), "source_url", parts)
    return lf.select(pl.col(parts.site)).collect().to_series().to_list()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--baseline-links", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()

    links, synth_s = timed(lambda: synthesise(args.links, args.seed))
    links = conform(links.lazy()).collect()
    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    with PeakRss() as rss:
        before = rss.peak
        features, feat_s = timed(lambda: build_features(links.lazy()).collect())
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    assert features.height == links.height

    subset = links["source_url"].head(args.baseline_links).to_list()
    base_out, base_s = timed(lambda: baseline_domains(subset))
    ours_out, ours_s = timed(lambda: polars_domains(subset))
    pairs = list(zip(base_out, ours_out, strict=True))
    agree = sum(a == b for a, b in pairs) / len(pairs)
    # linktox deliberately treats free hosts (wordpress.com, weebly.com ...) as suffixes.
    psl_only = [(a, b) for a, b in pairs if a not in FREE_HOSTS]
    agree_psl = sum(a == b for a, b in psl_only) / max(len(psl_only), 1)
    unique_hosts = links.select(pl.col("source_url").str.extract(r"//([^/]+)").n_unique()).item()

    per_link_base = base_s / len(subset)
    per_link_ours = ours_s / len(subset)
    rows = [
        ("links", f"{links.height:,}"),
        ("unique source hosts", f"{unique_hosts:,}"),
        ("feature columns", f"{len(FEATURE_COLUMNS)}"),
        ("synthesis time", f"{synth_s:.1f} s"),
        ("build_features(...).collect()", f"{feat_s:.1f} s"),
        ("throughput", f"{links.height / feat_s:,.0f} links/s"),
        ("CPU time (user + sys) of the build", f"{cpu_s:.1f} s"),
        ("1-minute load average before the build", f"{load_before:.2f} (shared machine)"),
        ("peak RSS during features", f"{rss.peak:,.0f} MiB (input frame held: {before:,.0f} MiB)"),
        (
            f"URL part, pandas + per-row tldextract ({len(subset):,} links)",
            f"{base_s:.2f} s = {per_link_base * 1e6:.1f} µs/link "
            f"(~{per_link_base * links.height:.0f} s per {links.height:,})",
        ),
        (
            f"URL part, linktox polars PSL join (same {len(subset):,} links)",
            f"{ours_s:.2f} s = {per_link_ours * 1e6:.1f} µs/link",
        ),
        ("URL part speed-up", f"{per_link_base / per_link_ours:.1f}×"),
        ("registrable-domain agreement with tldextract", f"{agree:.2%}"),
        ("agreement outside the free hosts linktox adds as suffixes", f"{agree_psl:.2%}"),
    ]
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    cpu = platform.processor() or platform.machine()
    text = (
        "# Featurize benchmark\n\n"
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/featurize.py "
        f"--links {args.links} --baseline-links {args.baseline_links} --seed {args.seed}`.\n\n"
        f"Machine: {platform.system()} {platform.release()}, {cpu}, "
        f"{psutil.cpu_count(logical=True)} logical cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM; Python "
        f"{platform.python_version()}, polars {pl.__version__}.\n\n"
        "| measure | value |\n|---|---|\n"
        f"{table}\n\n"
        "The baseline covers only the URL part (host -> registrable domain) of the feature build, "
        "so the speed-up row compares like with like; the full build computes all "
        f"{len(FEATURE_COLUMNS)} features. Disagreements with tldextract come from the free "
        "hosts linktox adds as suffixes (`x.wordpress.com` is its own referring domain).\n"
    )
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
