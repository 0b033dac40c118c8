"""What every part of the world builder shares: private column names, anchor kinds, the sites.

Builders return the canonical columns plus a few private ``_`` columns the assembler needs
(target-site index, referring-domain key, host, scheme, path); they are named here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import polars as pl

from pipeline.world import sampling, vocab
from pipeline.world.sites import EXPORT_DATE, HISTORY_START, Site

# Private columns every builder returns beside the canonical ones.
SITE_IDX = "_site"  # index of the target site in the world's site tuple
DOMAIN_KEY = "_domain"  # referring-domain index, unique within one builder's output
HOST = "_host"  # referring host without "www."
SHARED = "_shared"  # a fixed platform host (reddit.com...): never renamed when names collide
WWW = "_www"
HTTP = "_http"
PATH = "_path"
LANG = "_lang"  # index into vocab.LANGUAGES, -1 for English
PRIVATE: tuple[str, ...] = (SITE_IDX, DOMAIN_KEY, HOST, SHARED, WWW, HTTP, PATH)

# Anchor kinds (Semrush's seven classes, split finer so populations can differ).
BRAND, URL, GENERIC, PARTIAL, MONEY, COMPOUND, STUFFED, POISON = range(8)
TITLE, FOREIGN_GENERIC, FOREIGN_SPAM, NAKED_TARGET = range(8, 12)

EXPORT_DAY = sampling.day_number(EXPORT_DATE)
START_DAY = sampling.day_number(HISTORY_START)

ENGLISH = -1


class SiteTable:
    """The selected target sites as column-friendly arrays and word groups."""

    def __init__(self, sites: Sequence[Site]) -> None:
        """Flatten the sites once; builders gather from these by site index."""
        self.sites = tuple(sites)
        self.domain = pl.Series([x.domain for x in self.sites], dtype=pl.String)
        self.brand = pl.Series([x.brand for x in self.sites], dtype=pl.String)
        self.topic = pl.Series([x.topic for x in self.sites], dtype=pl.String)
        self.topic_title = pl.Series([x.topic_title for x in self.sites], dtype=pl.String)
        self.brand_anchors = [x.brand_anchors for x in self.sites]
        self.url_anchors = [x.url_anchors for x in self.sites]
        self.money = [x.money_anchors for x in self.sites]
        self.partial = [x.partial_anchors for x in self.sites]
        self.articles = [x.articles for x in self.sites]
        self.content_pages = [x.content_pages for x in self.sites]
        self.money_pages = [x.money_pages for x in self.sites]
        self.name_words = [x.name_words for x in self.sites]
        self.topic_nouns = [x.topic_nouns for x in self.sites]
        # group index = site * len(LANGUAGES) + language
        self.foreign_topic = [
            (x.foreign_topic.get(lang, x.topic),) for x in self.sites for lang in vocab.LANGUAGES
        ]
        self.launch_day = np.array(
            [max(sampling.day_number(x.launched), START_DAY) for x in self.sites], dtype=np.int64
        )
        self.foreign_legit_share = np.array([x.foreign_legit_share for x in self.sites])
        self.events = [tuple(sampling.day_number(d) for d in x.events) for x in self.sites]
        self.attacks = [tuple(sampling.day_number(d) for d in x.attacks) for x in self.sites]

    def window(self, tactic: str) -> tuple[np.ndarray, np.ndarray]:
        """Per site: first and last day on which links of ``tactic`` may first be seen."""
        bounds = [x.window(tactic) for x in self.sites]
        start = np.array(
            [max(sampling.day_number(a), START_DAY) for a, _ in bounds], dtype=np.int64
        )
        end = np.array([sampling.day_number(b) for _, b in bounds], dtype=np.int64)
        return start, np.maximum(end, start + 1)


Builder = Callable[[SiteTable, np.random.Generator, np.ndarray], pl.DataFrame]
