"""Tiny scored frames shared by the outputs tests."""

from __future__ import annotations

import polars as pl
import pytest


@pytest.fixture
def scored() -> pl.DataFrame:
    """Three referring domains: a spam domain, a mixed one and a clean one."""
    return pl.DataFrame(
        {
            "source_url": [
                "http://spam.xyz/a",
                "http://spam.xyz/b",
                "http://www.spam.xyz/c",
                "https://mixed.org/1",
                "https://mixed.org/2",
                "https://mixed.org/3",
                "https://news.com/story",
            ],
            "ref_domain": [
                "spam.xyz",
                "spam.xyz",
                "spam.xyz",
                "mixed.org",
                "mixed.org",
                "mixed.org",
                "news.com",
            ],
            "anchor_class": [
                "money_exact",
                "money_exact",
                "spam_vertical",
                "generic",
                "brand",
                "brand",
                "brand",
            ],
            "toxicity_score": [97.5, 91.0, 60.0, 88.0, 10.0, 5.0, 1.0],
            "label": ["toxic", "toxic", "review", "toxic", "whitelist", "whitelist", "whitelist"],
            "reasons": [
                "exact-match money anchor; spam TLD .xyz",
                "spam TLD .xyz",
                "spam TLD .xyz; sitewide link",
                "exact-match money anchor",
                "",
                "",
                "",
            ],
        }
    )
