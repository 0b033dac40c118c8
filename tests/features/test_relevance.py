"""Topical and linguistic relevance learnt from the profile itself."""

from __future__ import annotations

import polars as pl

from features.build import build_features

TARGET = "https://www.acmegarden.com"


def gardening_profile() -> dict[str, list[object]]:
    """A garden shop's links: mostly on-topic blogs, one foreign casino page."""
    return {
        "source_url": [
            "https://rosetips.blog/2023/pruning-roses",
            "https://greenfingers.net/garden/compost-guide",
            "https://weekendgardener.org/roses/climbing",
            "https://kazino-bonus.xyz/ru/kazino",
            "https://smallblog.com/my-rose-garden",
        ],
        "target_url": [
            f"{TARGET}/roses/pruning-shears",
            f"{TARGET}/garden-tools",
            f"{TARGET}/roses",
            f"{TARGET}/",
            f"{TARGET}/compost",
        ],
        "source_title": [
            "How I prune my roses every spring",
            "Garden compost guide for beginners",
            "Climbing roses for a small garden",
            "Лучшие онлайн казино 2024 бонус",
            "Our little rose garden diary",
        ],
        "anchor": ["pruning shears", "garden tools", "Acme Garden", "казино", "compost"],
        "source_language": ["en", "en", "en", "ru", "en"],
        "source_country": ["GB", "GB", "US", "RU", "GB"],
    }


def test_relevant_blog_scores_high_and_foreign_casino_low() -> None:
    out = build_features(pl.LazyFrame(gardening_profile())).collect()
    score = out["rel_topic_score"].to_list()
    assert score[3] < 0.1
    assert min(score[0], score[1], score[2], score[4]) > 0.4
    assert out["rel_topic_terms"][3] == 0
    assert out["rel_topic_terms"][0] >= 2


def test_script_language_and_country_against_the_profile() -> None:
    out = build_features(pl.LazyFrame(gardening_profile())).collect()
    assert out["rel_script_mismatch"].to_list() == [False, False, False, True, False]
    assert out["rel_language_mismatch"].to_list() == [False, False, False, True, False]
    assert out["rel_country_share"].to_list() == [0.6, 0.6, 0.2, 0.2, 0.6]


def test_relevance_copes_with_urls_only() -> None:
    frame = pl.LazyFrame(
        {
            "source_url": ["https://a.com/roses-care", "https://b.com/"],
            "target_url": [f"{TARGET}/roses", f"{TARGET}/roses"],
        }
    )
    out = build_features(frame).collect()
    score = out["rel_topic_score"].to_list()
    assert score[0] > 0.5  # "roses" is the site's own word
    assert score[1] is None  # no words at all: unknown, not irrelevant
    assert out["rel_language_mismatch"].to_list() == [None, None]
    assert out["rel_script_mismatch"].to_list() == [None, None]


FOOD = "https://www.kitchenledger.com/"


def home_page_profile() -> dict[str, list[object]]:
    """A food publisher whose links all point at its home page: no target path words to seed from.

    Ten food blogs and news pages (the majority, as in any real profile) and a foreign casino page
    that links with the brand's URL.
    """
    pages = [
        ("https://breadwithpriya.net/home-cooking-tips", "Home Cooking Tips - Bread with Priya"),
        ("https://thesmartdish.co.uk/2019/02/easy-pasta", "Easy Pasta Recipes - The Smart Dish"),
        ("https://zestyeats.org/2024/06/weeknight-dinners", "Weeknight Dinners - Zesty Eats"),
        ("https://irisburke.blogspot.com/2023/02/sourdough", "My Sourdough Baking Diary - Iris"),
        ("https://cookinsider.co.uk/article/12/home-cooking", "Home Cooking on a Budget"),
        ("https://crownpost.com/food/baking-recipes", "Baking Recipes We Love | Crown Post"),
        ("https://dinnerdiaries.net/quick-dinner-recipes", "Quick Dinner Recipes - Dinner Diaries"),
        ("https://spoonandfork.com/blog/cooking-for-two", "Cooking for Two | Spoon and Fork"),
        ("https://pantrynotes.org/baking-bread-at-home", "Baking Bread at Home - Pantry Notes"),
        ("https://tinykitchen.blog/pasta-dinner-ideas", "Pasta Dinner Ideas - Tiny Kitchen"),
        ("https://kazino-bonus.xyz/ru/kazino", "Лучшие онлайн казино 2024 бонус"),
    ]
    n = len(pages)
    return {
        "source_url": [url for url, _ in pages],
        "target_url": [FOOD] * n,
        "source_title": [title for _, title in pages],
        "anchor": ["The Kitchen Ledger", "this recipe", "kitchenledger.com", "here", "a food site"]
        + ["The Kitchen Ledger"] * 5
        + ["kitchenledger.com"],
        "source_language": ["en"] * (n - 1) + ["ru"],
    }


def test_relevance_holds_when_every_link_targets_the_home_page() -> None:
    out = build_features(pl.LazyFrame(home_page_profile())).collect()
    score = out["rel_topic_score"].to_list()
    # The site's vocabulary (cooking, baking, recipes, dinner ...) is learnt from the blogs.
    assert min(score[:-1]) > 0.45, score
    # A small blog with no brand word in its page: "My Sourdough Baking Diary - Iris".
    assert score[3] > 0.6
    assert out["rel_topic_terms"][3] >= 2
    assert score[-1] < 0.2  # the foreign casino page, linked with the brand's URL


def spam_heavy_profile() -> dict[str, list[object]]:
    """A running-shoe shop under a negative-SEO attack: 40% of the referring domains are an
    English-language casino/pharma burst sharing the same title words ("lucky", "jackpot", "wins").
    """
    shop = "https://www.strideandpace.com/"
    legit = [
        ("https://jadeholmes.wordpress.com/running-shoes-guide", "Running Shoes Explained - Jade"),
        ("https://james-scott.com/marathon-training-shoes", "Marathon Training Shoes I Tried"),
        ("https://trailweekly.org/features/trail-running", "Trail Running Shoes | Trail Weekly"),
        ("https://quinnrussell.blogspot.com/running-diary", "My Running Diary - Quinn Russell"),
        ("https://parkrunfans.net/forum/best-trainers", "Which trainers for parkrun? | Forum"),
        ("https://milesandmiles.co.uk/marathon-shoes", "Marathon Shoes Compared - Miles"),
    ]
    spam = [
        (f"https://lucky-wins{i}.top/casino-bonus", "Lucky Wins Casino Jackpot Bonus")
        for i in range(3)
    ] + [(f"https://lucky-meds{i}.top/cheap-viagra", "Lucky Wins Viagra Pills") for i in range(1)]
    pages = legit + spam
    return {
        "source_url": [url for url, _ in pages],
        "target_url": [shop] * len(pages),
        "source_title": [title for _, title in pages],
        "anchor": ["Stride & Pace"] * len(legit) + ["running shoes"] * len(spam),
        "source_language": ["en"] * len(pages),
    }


def test_spam_burst_does_not_become_the_sites_topic() -> None:
    out = build_features(pl.LazyFrame(spam_heavy_profile())).collect()
    score = out["rel_topic_score"].to_list()
    assert min(score[:6]) > 0.55, score
    # The casino pages share "lucky", "wins", "jackpot" across 4 of 10 domains, yet stay
    # off-topic; only the money anchor ("running shoes") is on topic.
    assert max(score[6:]) < 0.35, score


def test_a_sites_own_vertical_is_its_topic_not_spam() -> None:
    # A loan broker: loan words are spam vocabulary elsewhere, but the site's own topic here.
    titles = [
        "Personal Loans Explained",
        "How Personal Loans Work - Money Blog",
        "Comparing Loans and Credit Cards",
        "Loans for Home Improvement",
    ]
    frame = pl.LazyFrame(
        {
            "source_url": [f"https://blog{i}.com/personal-loans" for i in range(4)],
            "target_url": ["https://loanlantern.com/"] * 4,
            "source_title": titles,
            "anchor": ["LoanLantern"] * 4,
        }
    )
    score = build_features(frame).collect()["rel_topic_score"].to_list()
    assert min(score) > 0.6, score


def test_a_foreign_page_naming_the_brand_is_not_off_topic() -> None:
    """Brand-aware relevance: a German page linking with the brand is judged by its anchor; the
    same page with a generic anchor, and a foreign spam page with the URL, are not spared."""
    profile = home_page_profile()
    extra = [
        ("https://kochwelt.de/rezepte/brot", "Brot backen mit Sauerteig", "The Kitchen Ledger"),
        ("https://kochwelt.de/rezepte/nudeln", "Schnelle Nudelgerichte", "hier"),
    ]  # fmt: skip
    for url, title, anchor in extra:
        profile["source_url"].append(url)
        profile["target_url"].append(FOOD)
        profile["source_title"].append(title)
        profile["anchor"].append(anchor)
        profile["source_language"].append("de")
    out = build_features(pl.LazyFrame(profile)).collect()
    score = out["rel_topic_score"].to_list()
    assert score[-2] >= 0.5  # brand anchor on a foreign page: on topic
    assert score[-1] is None or score[-1] < 0.5  # a generic anchor gives no such pass
    assert score[-3] < 0.2  # the foreign casino page with the URL stays off-topic
