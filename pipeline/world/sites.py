"""The target sites of the synthetic world: whose backlink profiles are being audited.

Each site has a brand, a registrable domain, a topic vocabulary and a history. The history decides
its mix of populations (``mix``: relative weights per tactic) and when its bought or attacking
links appeared, so profiles range from a clean SaaS (under 3% toxic) to an e-commerce store under a
negative-SEO attack (over 30% toxic), as real audits do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pipeline.world.tactics import (
    COMMENT_SPAM,
    DIRECTORY,
    FOREIGN_IRRELEVANT,
    FORUM_UGC,
    HACKED,
    LINK_FARM,
    NEGATIVE_SEO,
    NEWS,
    NICHE_BLOG,
    PAID_FOOTER,
    PARTNER_SITEWIDE,
    PBN,
    PRESS_SPONSORED,
    RESOURCE_PAGE,
    SCRAPER,
    SMALL_BLOG,
    WEB20_WHEEL,
    WIKI_SOCIAL,
)

# The day the world's exports were "taken": last_seen never passes it, "new" and "lost" links are
# measured from it. A constant, so that the world does not change with the calendar.
EXPORT_DATE = date(2026, 11, 1)
# Backlink history starts here for every site (older links have long been recrawled or lost).
HISTORY_START = date(2019, 1, 1)


def _slug(text: str) -> str:
    """A URL slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Site:
    """One target site and the story of its backlink profile."""

    slug: str
    brand: str
    domain: str  # registrable domain, e.g. "acmeanalytics.com"
    kind: str  # "B2B SaaS", "local business", ...
    topic: str  # lower-case topic phrase, e.g. "product analytics"
    topic_title: str  # the same in title case, for headlines
    history: str  # one paragraph, for the docs and the summary
    launched: date
    weight: float  # relative share of the world's links
    mix: Mapping[str, float]  # relative weight of each tactic in this profile
    name_words: tuple[str, ...]  # words relevant blogs and forums put in their domain names
    topic_nouns: tuple[str, ...]  # words for slugs and anchors
    money_anchors: tuple[str, ...]  # exact-match commercial keywords
    partial_anchors: tuple[str, ...]  # natural topical anchors
    articles: tuple[str, ...]  # titles of the site's own content pages (scrapers copy them)
    money_pages: tuple[str, ...]  # commercial inner paths
    foreign_topic: Mapping[str, str]  # the topic in other languages (relevant foreign coverage)
    foreign_legit_share: float  # share of relevant blog/news domains writing in another language
    events: tuple[date, ...] = ()  # launches and press moments: legitimate bursts of links
    campaigns: Mapping[str, tuple[date, date]] = field(default_factory=dict)  # bought links
    attacks: tuple[date, ...] = ()  # first days of negative-SEO waves

    @property
    def brand_anchors(self) -> tuple[str, ...]:
        """The ways people write the brand in a link."""
        stem = self.domain.split(".")[0]
        words = self.brand.removeprefix("The ").split(" ")
        return (self.brand, self.brand, self.brand, words[0], stem, f"{self.brand} website")

    @property
    def url_anchors(self) -> tuple[str, ...]:
        """Naked-URL anchors."""
        d = self.domain
        return (d, f"www.{d}", f"https://www.{d}/", f"https://{d}", f"http://www.{d}", d.upper())

    @property
    def content_pages(self) -> tuple[str, ...]:
        """Paths of the site's content pages, one per article."""
        return tuple(f"/blog/{_slug(a)}/" for a in self.articles)

    def window(self, tactic: str) -> tuple[date, date]:
        """When links of a tactic could first be seen: a campaign window, or the site's life."""
        start = max(self.launched, HISTORY_START)
        return self.campaigns.get(tactic, (start, EXPORT_DATE))


_COMMON_FOREIGN = 0.05

# A data table: one line per few values reads better than one value per line.
# fmt: off
SITES: tuple[Site, ...] = (
    Site(
        slug="clean-saas",
        brand="Acme Analytics",
        domain="acmeanalytics.com",
        kind="B2B SaaS",
        topic="product analytics",
        topic_title="Product Analytics",
        history=(
            "Product-analytics SaaS launched in 2019; grew through content marketing, integrations "
            "and press coverage, never bought a link. Its only toxic links are stray spam."
        ),
        launched=date(2019, 3, 4),
        weight=14,
        mix={
            NEWS: 7, NICHE_BLOG: 24, SMALL_BLOG: 16, FORUM_UGC: 13, WIKI_SOCIAL: 14,
            PARTNER_SITEWIDE: 4, RESOURCE_PAGE: 6, PRESS_SPONSORED: 2, SCRAPER: 6,
            COMMENT_SPAM: 0.25, DIRECTORY: 0.1, FOREIGN_IRRELEVANT: 0.15, LINK_FARM: 0.1,
            HACKED: 0.1,
        },
        name_words=(
            "data", "metrics", "growth", "product", "saas", "startup", "analytics", "pm", "insight",
            "funnel", "churn", "dashboard", "stack", "devops", "kpi",
        ),
        topic_nouns=("analytics", "dashboards", "metrics", "funnels", "retention", "cohorts"),
        money_anchors=(
            "product analytics software", "best product analytics tool", "mixpanel alternative",
            "analytics platform for saas", "user behavior analytics", "funnel analysis tool",
            "buy analytics software",
        ),
        partial_anchors=(
            "product analytics", "this analytics platform", "tracking retention cohorts",
            "a funnel analysis tool", "event analytics", "their retention report",
        ),
        articles=(
            "How to Measure Retention Cohorts", "The Product Metrics Handbook",
            "Funnel Analysis for Beginners", "North Star Metrics Explained",
            "State of Product Analytics 2024", "Event Tracking Best Practices",
        ),
        money_pages=("/pricing", "/features/funnels", "/product/retention", "/signup", "/demo"),
        foreign_topic={
            "de": "Produktanalyse-Tools", "es": "herramientas de analítica",
            "fr": "outils d'analyse",
            "pl": "narzędzia analityczne", "ru": "инструменты аналитики", "zh": "产品分析工具",
            "id": "alat analitik",
        },
        foreign_legit_share=_COMMON_FOREIGN,
        events=(date(2019, 3, 4), date(2021, 6, 15), date(2023, 9, 20), date(2025, 4, 8)),
    ),
    Site(
        slug="local-plumber",
        brand="Hartley & Sons Plumbing",
        domain="hartleyplumbing.co.uk",
        kind="local business",
        topic="emergency plumbing",
        topic_title="Emergency Plumbing",
        history=(
            "Family plumbing firm in the English Midlands. A cheap SEO package in 2019 submitted "
            "it to hundreds of directories and link pages; otherwise local press, trade bodies "
            "and neighbourhood blogs."
        ),
        launched=date(2012, 5, 1),
        weight=5,
        mix={
            NEWS: 5, NICHE_BLOG: 8, SMALL_BLOG: 20, FORUM_UGC: 8, WIKI_SOCIAL: 14,
            PARTNER_SITEWIDE: 4, RESOURCE_PAGE: 15, PRESS_SPONSORED: 2, SCRAPER: 6,
            DIRECTORY: 6, LINK_FARM: 1.5, COMMENT_SPAM: 1, FOREIGN_IRRELEVANT: 0.5,
        },
        name_words=(
            "plumbing", "diy", "home", "boiler", "heating", "renovation", "fixit", "handyman",
            "bathroom", "kitchen", "house", "repair", "pipes", "tradesman",
        ),
        topic_nouns=("plumbing", "boilers", "leaks", "heating", "drains", "bathrooms"),
        money_anchors=(
            "emergency plumber", "plumber near me", "24 hour plumber", "boiler repair",
            "cheap plumber", "blocked drain repair", "emergency plumber birmingham",
        ),
        partial_anchors=(
            "a local plumber", "plumbing firm", "fix a leaking pipe", "boiler servicing",
            "emergency call-out", "these plumbers",
        ),
        articles=(
            "How to Bleed a Radiator", "What to Do When a Pipe Bursts", "Combi Boiler Buying Guide",
            "Why Is My Drain Slow?", "Winter Plumbing Checklist",
        ),
        money_pages=("/emergency-plumber", "/boiler-repair", "/contact", "/areas/birmingham"),
        foreign_topic={
            "de": "Sanitärinstallation", "es": "fontanería", "fr": "plomberie", "pl": "hydraulik",
            "ru": "сантехника", "zh": "水管维修", "id": "tukang ledeng",
        },
        foreign_legit_share=0.01,
        events=(date(2022, 2, 10),),
        campaigns={
            DIRECTORY: (date(2019, 4, 1), date(2019, 9, 30)),
            LINK_FARM: (date(2019, 4, 1), date(2019, 12, 31)),
        },
    ),
    Site(
        slug="shop-under-attack",
        brand="Stride & Pace",
        domain="strideandpace.com",
        kind="e-commerce store",
        topic="running shoes",
        topic_title="Running Shoes",
        history=(
            "Online running-shoe shop with an ordinary, healthy profile until September 2026, when "
            "a competitor fired a negative-SEO attack: thousands of links within days from spam "
            "TLDs, hacked pages and foreign sites, with adult, gambling and pharma anchors."
        ),
        launched=date(2017, 8, 1),
        weight=16,
        mix={
            NEWS: 3, NICHE_BLOG: 15, SMALL_BLOG: 14, FORUM_UGC: 8, WIKI_SOCIAL: 10,
            PARTNER_SITEWIDE: 3, RESOURCE_PAGE: 2, PRESS_SPONSORED: 4, SCRAPER: 5,
            NEGATIVE_SEO: 28, HACKED: 3, COMMENT_SPAM: 2, LINK_FARM: 2,
            FOREIGN_IRRELEVANT: 2, WEB20_WHEEL: 1,
        },
        name_words=(
            "run", "runner", "miles", "trail", "marathon", "pace", "jog", "sole", "stride",
            "sprint", "parkrun", "ultra", "fitness", "kicks", "track",
        ),
        topic_nouns=("running", "shoes", "trainers", "marathon", "trail", "cushioning"),
        money_anchors=(
            "buy running shoes online", "best running shoes", "cheap running shoes",
            "running shoes sale", "trail running shoes", "marathon shoes", "womens running shoes",
        ),
        partial_anchors=(
            "running shoes", "this running shop", "a good pair of trainers", "trail shoes",
            "their shoe finder", "gait analysis",
        ),
        articles=(
            "How to Choose Running Shoes", "Best Marathon Shoes of 2025", "Trail vs Road Shoes",
            "When to Replace Your Running Shoes", "Running Shoe Size Guide",
        ),
        money_pages=(
            "/collections/running-shoes", "/collections/trail", "/sale", "/mens", "/womens",
        ),
        foreign_topic={
            "de": "Laufschuhe", "es": "zapatillas de running", "fr": "chaussures de course",
            "pl": "buty do biegania", "ru": "беговые кроссовки", "zh": "跑鞋", "id": "sepatu lari",
        },
        foreign_legit_share=_COMMON_FOREIGN,
        events=(date(2023, 4, 20), date(2025, 10, 1)),
        attacks=(date(2026, 9, 14), date(2026, 10, 19)),
    ),
    Site(
        slug="bought-links-2019",
        brand="Wanderlane Travel",
        domain="wanderlane.com",
        kind="travel agency",
        topic="holiday deals",
        topic_title="Holiday Deals",
        history=(
            "Online travel agency whose former agency bought private-blog-network posts, paid "
            "footer links and web 2.0 wheels in 2019-2020. The links were never cleaned up; many "
            "have since died with their networks."
        ),
        launched=date(2014, 2, 1),
        weight=12,
        mix={
            NEWS: 4, NICHE_BLOG: 20, SMALL_BLOG: 16, FORUM_UGC: 8, WIKI_SOCIAL: 10,
            PARTNER_SITEWIDE: 3, RESOURCE_PAGE: 3, PRESS_SPONSORED: 5, SCRAPER: 8,
            PBN: 10, PAID_FOOTER: 6, WEB20_WHEEL: 3.5, DIRECTORY: 2, COMMENT_SPAM: 1.5,
            LINK_FARM: 0.5, FOREIGN_IRRELEVANT: 0.5,
        },
        name_words=(
            "travel", "wander", "trip", "nomad", "journey", "passport", "voyage", "holiday", "roam",
            "getaway", "backpack", "globe", "explore", "beach", "island",
        ),
        topic_nouns=("travel", "holidays", "flights", "hotels", "beaches", "cruises"),
        money_anchors=(
            "cheap holiday deals", "last minute holidays", "all inclusive holidays",
            "cheap flights and hotels", "best travel deals", "package holidays",
            "book cheap holidays online",
        ),
        partial_anchors=(
            "holiday deals", "this travel agency", "a package trip", "last-minute breaks",
            "their travel guides", "beach holidays",
        ),
        articles=(
            "10 Hidden Beaches in Portugal", "How to Travel Europe on a Budget",
            "Best Time to Visit Croatia", "Family Holiday Packing List",
            "Greek Island Hopping Guide",
        ),
        money_pages=("/deals", "/all-inclusive", "/last-minute", "/flights-and-hotels"),
        foreign_topic={
            "de": "Reiseangebote", "es": "ofertas de viaje", "fr": "offres de voyage",
            "pl": "oferty wakacyjne", "ru": "туры", "zh": "旅游优惠", "id": "paket liburan",
        },
        foreign_legit_share=0.08,
        events=(date(2022, 5, 12), date(2024, 3, 1)),
        campaigns={
            PBN: (date(2019, 2, 1), date(2020, 10, 31)),
            PAID_FOOTER: (date(2019, 1, 15), date(2020, 6, 30)),
            WEB20_WHEEL: (date(2019, 3, 1), date(2020, 3, 1)),
            DIRECTORY: (date(2019, 1, 10), date(2019, 6, 30)),
        },
    ),
    Site(
        slug="food-media",
        brand="The Kitchen Ledger",
        domain="kitchenledger.com",
        kind="content and media site",
        topic="home cooking recipes",
        topic_title="Home Cooking",
        history=(
            "Recipe and food-culture publication. Heavily scraped and syndicated, linked by food "
            "bloggers and forums, with the comment-spam and stray foreign spam any popular "
            "publisher attracts, plus one small negative-SEO wave in 2023."
        ),
        launched=date(2016, 9, 1),
        weight=20,
        mix={
            NEWS: 7, NICHE_BLOG: 20, SMALL_BLOG: 18, FORUM_UGC: 9, WIKI_SOCIAL: 11,
            PARTNER_SITEWIDE: 2, RESOURCE_PAGE: 3, PRESS_SPONSORED: 3, SCRAPER: 19,
            COMMENT_SPAM: 2.5, HACKED: 1.2, FOREIGN_IRRELEVANT: 2, LINK_FARM: 1,
            DIRECTORY: 0.5, NEGATIVE_SEO: 0.8,
        },
        name_words=(
            "food", "kitchen", "recipe", "cook", "bake", "chef", "eats", "dinner", "spoon",
            "pantry", "supper", "bread", "flavour", "feast", "dish",
        ),
        topic_nouns=("recipes", "baking", "cooking", "dinner", "bread", "pasta"),
        money_anchors=(
            "easy dinner recipes", "best recipes online", "quick healthy recipes",
            "cheap meal ideas", "vegan recipes", "recipe of the day",
        ),
        partial_anchors=(
            "this recipe", "a great sourdough guide", "their pasta recipe", "weeknight dinners",
            "a food magazine", "baking tips",
        ),
        articles=(
            "The Only Sourdough Guide You Need", "15-Minute Weeknight Pasta",
            "How to Season a Cast Iron Pan", "Best Banana Bread Recipe", "Meal Prep for Beginners",
        ),
        money_pages=("/subscribe", "/recipes", "/cookbook", "/newsletter"),
        foreign_topic={
            "de": "Rezepte", "es": "recetas caseras", "fr": "recettes maison",
            "pl": "przepisy kulinarne", "ru": "рецепты", "zh": "家常菜谱", "id": "resep masakan",
        },
        foreign_legit_share=0.06,
        events=(date(2020, 4, 1), date(2022, 11, 20), date(2024, 12, 10)),
        attacks=(date(2023, 6, 5),),
    ),
    Site(
        slug="loan-broker",
        brand="LoanLantern",
        domain="loanlantern.com",
        kind="personal-finance comparison",
        topic="personal loans",
        topic_title="Personal Loans",
        history=(
            "Loan comparison site in a cut-throat niche. A 2024-2025 growth push bought PBN posts, "
            "web 2.0 wheels, comment links and paid footers; a rival answered with a small "
            "negative-SEO wave in 2025."
        ),
        launched=date(2018, 1, 15),
        weight=13,
        mix={
            NEWS: 4, NICHE_BLOG: 16, SMALL_BLOG: 12, FORUM_UGC: 9, WIKI_SOCIAL: 9,
            PARTNER_SITEWIDE: 3, RESOURCE_PAGE: 3, PRESS_SPONSORED: 6, SCRAPER: 8,
            PBN: 7, WEB20_WHEEL: 5, COMMENT_SPAM: 4, PAID_FOOTER: 3, HACKED: 1.5,
            LINK_FARM: 1.5, NEGATIVE_SEO: 3, FOREIGN_IRRELEVANT: 1, DIRECTORY: 1,
        },
        name_words=(
            "money", "finance", "budget", "credit", "debt", "saver", "cash", "wealth", "penny",
            "frugal", "income", "pocket", "invest", "thrift", "pound",
        ),
        topic_nouns=("loans", "credit", "rates", "borrowing", "finance", "debt"),
        money_anchors=(
            "personal loans", "bad credit loans", "compare loans online", "low interest loans",
            "best personal loan rates", "debt consolidation loans", "fast loans online",
        ),
        partial_anchors=(
            "a loan comparison site", "compare rates", "this loan calculator", "borrowing costs",
            "their APR guide", "loan options",
        ),
        articles=(
            "How APR Really Works", "Debt Consolidation Explained",
            "Can You Get a Loan With Bad Credit?", "Fixed vs Variable Rates",
            "How Credit Scores Are Calculated",
        ),
        money_pages=("/personal-loans", "/bad-credit-loans", "/compare", "/debt-consolidation"),
        foreign_topic={
            "de": "Privatkredite", "es": "préstamos personales", "fr": "prêts personnels",
            "pl": "kredyty gotówkowe", "ru": "потребительские кредиты", "zh": "个人贷款",
            "id": "pinjaman pribadi",
        },
        foreign_legit_share=0.03,
        events=(date(2020, 3, 20), date(2023, 1, 10)),
        campaigns={
            PBN: (date(2024, 3, 1), date(2025, 8, 31)),
            WEB20_WHEEL: (date(2024, 5, 1), date(2025, 6, 30)),
            COMMENT_SPAM: (date(2024, 3, 1), date(2025, 9, 30)),
            PAID_FOOTER: (date(2024, 6, 1), date(2025, 8, 31)),
        },
        attacks=(date(2025, 11, 3),),
    ),
    Site(
        slug="trail-charity",
        brand="Open Trails Trust",
        domain="opentrailstrust.org",
        kind="non-profit",
        topic="hiking trail conservation",
        topic_title="Trail Conservation",
        history=(
            "Conservation charity maintaining long-distance footpaths. Linked by councils, "
            "libraries, walking clubs, news and Wikipedia; a nearly spotless profile."
        ),
        launched=date(2009, 4, 1),
        weight=7,
        mix={
            NEWS: 8, NICHE_BLOG: 14, SMALL_BLOG: 18, FORUM_UGC: 8, WIKI_SOCIAL: 14,
            PARTNER_SITEWIDE: 4, RESOURCE_PAGE: 20, PRESS_SPONSORED: 2, SCRAPER: 6,
            FOREIGN_IRRELEVANT: 0.3, COMMENT_SPAM: 0.3, DIRECTORY: 0.2,
        },
        name_words=(
            "hiking", "trail", "walks", "outdoors", "ramblers", "hills", "footpath", "peak", "fell",
            "moor", "summit", "trek", "wander", "ridge", "valley",
        ),
        topic_nouns=("trails", "hiking", "footpaths", "walks", "volunteering", "conservation"),
        money_anchors=(
            "donate to trail conservation", "hiking trail maps", "volunteer trail work",
            "best hiking trails uk", "long distance walks",
        ),
        partial_anchors=(
            "the trails charity", "footpath volunteers", "walking routes", "trail maps",
            "conservation work", "this charity",
        ),
        articles=(
            "Volunteer Trail Days 2025", "Our Long-Distance Path Map", "Leave No Trace Guide",
            "Annual Impact Report", "Walking Safely in Winter",
        ),
        money_pages=("/donate", "/volunteer", "/membership", "/shop"),
        foreign_topic={
            "de": "Wanderwege", "es": "senderos", "fr": "sentiers de randonnée", "pl": "szlaki",
            "ru": "туристические тропы", "zh": "徒步路线", "id": "jalur pendakian",
        },
        foreign_legit_share=0.04,
        events=(date(2021, 7, 1), date(2024, 5, 18)),
    ),
    Site(
        slug="industrial-pumps",
        brand="Keller Pump Systems",
        domain="kellerpumps.com",
        kind="B2B manufacturer",
        topic="industrial pumps",
        topic_title="Industrial Pumps",
        history=(
            "Pump manufacturer with distributors across Europe. Its old marketing team joined "
            "link exchanges and paid directories around 2019-2021; foreign distributors and trade "
            "press link legitimately in their own languages."
        ),
        launched=date(2005, 1, 1),
        weight=8,
        mix={
            NEWS: 6, NICHE_BLOG: 18, SMALL_BLOG: 8, FORUM_UGC: 6, WIKI_SOCIAL: 8,
            PARTNER_SITEWIDE: 8, RESOURCE_PAGE: 6, PRESS_SPONSORED: 5, SCRAPER: 5,
            DIRECTORY: 7, LINK_FARM: 3, FOREIGN_IRRELEVANT: 3, PAID_FOOTER: 1,
        },
        name_words=(
            "pump", "fluid", "industrial", "engineering", "hydraulic", "process", "flow", "valve",
            "plant", "maintenance", "machinery", "factory", "mech", "water", "pressure",
        ),
        topic_nouns=("pumps", "valves", "hydraulics", "fluids", "engineering", "maintenance"),
        money_anchors=(
            "industrial pumps", "centrifugal pump supplier", "buy industrial pumps",
            "pump manufacturer", "submersible pumps for sale", "hydraulic pump price",
        ),
        partial_anchors=(
            "a pump manufacturer", "centrifugal pumps", "their pump selector", "process pumps",
            "pump maintenance", "this supplier",
        ),
        articles=(
            "Centrifugal vs Positive Displacement Pumps", "Pump Cavitation Explained",
            "How to Size a Pump", "Seal Maintenance Checklist", "Energy-Efficient Pumping",
        ),
        money_pages=("/products/centrifugal", "/products/submersible", "/quote", "/distributors"),
        foreign_topic={
            "de": "Industriepumpen", "es": "bombas industriales", "fr": "pompes industrielles",
            "pl": "pompy przemysłowe", "ru": "промышленные насосы", "zh": "工业泵",
            "id": "pompa industri",
        },
        foreign_legit_share=0.25,
        events=(date(2022, 9, 5), date(2025, 3, 12)),
        campaigns={
            DIRECTORY: (date(2019, 1, 10), date(2021, 6, 30)),
            LINK_FARM: (date(2019, 1, 10), date(2021, 6, 30)),
            PAID_FOOTER: (date(2019, 6, 1), date(2021, 3, 31)),
        },
    ),
)
# fmt: on

SITES_BY_SLUG: dict[str, Site] = {site.slug: site for site in SITES}
