"""The populations of the synthetic world: which made a link, and whether it is toxic.

A *tactic* names the population that produced a link (a news article, a private blog network...).
The world keeps it as the truth column ``tactic`` so that recall can be measured per tactic; the
``label`` column starts as ``tactic in TOXIC_TACTICS`` and is then flipped for a small share of
rows, because human reviewers disagree on borderline links.
"""

from __future__ import annotations

# Legitimate populations: links a careful human reviewer keeps.
NEWS = "news"
NICHE_BLOG = "niche_blog"
SMALL_BLOG = "small_blog"
FORUM_UGC = "forum_ugc"
WIKI_SOCIAL = "wiki_social"
PARTNER_SITEWIDE = "partner_sitewide"
RESOURCE_PAGE = "resource_page"
PRESS_SPONSORED = "press_sponsored"
SCRAPER = "scraper"

# Toxic tactics: links a careful human reviewer disavows or removes.
PBN = "pbn"
LINK_FARM = "link_farm"
DIRECTORY = "directory"
HACKED = "hacked"
COMMENT_SPAM = "comment_spam"
WEB20_WHEEL = "web20_wheel"
PAID_FOOTER = "paid_footer"
FOREIGN_IRRELEVANT = "foreign_irrelevant"
NEGATIVE_SEO = "negative_seo"

LEGIT_TACTICS: tuple[str, ...] = (
    NEWS,
    NICHE_BLOG,
    SMALL_BLOG,
    FORUM_UGC,
    WIKI_SOCIAL,
    PARTNER_SITEWIDE,
    RESOURCE_PAGE,
    PRESS_SPONSORED,
    SCRAPER,
)
TOXIC_TACTICS: tuple[str, ...] = (
    PBN,
    LINK_FARM,
    DIRECTORY,
    HACKED,
    COMMENT_SPAM,
    WEB20_WHEEL,
    PAID_FOOTER,
    FOREIGN_IRRELEVANT,
    NEGATIVE_SEO,
)
TACTICS: tuple[str, ...] = LEGIT_TACTICS + TOXIC_TACTICS

# Share of all labels flipped: reviewers disagree on a few percent of links (Web Spam Challenge
# judges split on "borderline" hosts). Exactly this share is flipped, so it never drifts.
NOISE_RATE = 0.04

# How likely a link of each population is to be one of the flipped labels, relative to others.
# Borderline populations (sponsored posts, aggressive-but-legit directories, scrapers, foreign
# pages) attract most of the disagreement; clear-cut ones (Wikipedia, hacked pharma pages) almost
# none.
FLIP_WEIGHT: dict[str, float] = {
    NEWS: 0.02,
    NICHE_BLOG: 0.08,
    SMALL_BLOG: 0.12,
    FORUM_UGC: 0.08,
    WIKI_SOCIAL: 0.01,
    PARTNER_SITEWIDE: 0.5,
    RESOURCE_PAGE: 0.05,
    PRESS_SPONSORED: 1.5,
    SCRAPER: 0.4,
    PBN: 0.8,
    LINK_FARM: 0.8,
    DIRECTORY: 2.5,
    HACKED: 0.2,
    COMMENT_SPAM: 1.5,
    WEB20_WHEEL: 0.8,
    PAID_FOOTER: 1.2,
    FOREIGN_IRRELEVANT: 2.2,
    NEGATIVE_SEO: 0.3,
}
