"""Open domain knowledge as features: public category lists, popularity and the name model.

The knowledge itself is three small tables built offline from public sources by
``linktox knowledge build`` (see ``data/knowledge/README.md``) and handed in as a :class:`Knowledge`
value, so this module stays pure: no files, no network, only joins.

- **domains**: one row per registrable domain found on a public list, with one Boolean column per
  category group (:data:`SPAM_GROUPS`, :data:`LEGIT_GROUPS`).
- **popularity**: registrable domain -> Majestic Million rank.
- **name weights**: the domain-name model (:mod:`features.names`).

Lookups run on the registrable domain (``ref_domain``), never on the host: a list entry on a
subdomain says nothing about the other sites of a shared platform, and the build only keeps
entries that are a registrable domain themselves (or its ``www.`` form).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from features.lookups import Lookup, join_lookups
from features.names import KIND, NAME_KEYS, TOKEN, WEIGHT, logit_table, name_keys, sigmoid

# --- The tables' columns --------------------------------------------------------------------------

DOMAIN = "domain"  # registrable domain, lower-case ASCII (punycode): the key of every table
RANK = "rank"  # Majestic Million global rank (Int32, 1 = most linked-to)

# Category groups, each a Boolean column of the domains table. Spam side: the domain is on a
# public blocklist of that kind. Legitimate side: a curated category of ordinary sites.
SPAM_GROUPS: tuple[str, ...] = (
    "gambling",
    "adult_dating",
    "drugs",
    "piracy",
    "malicious",
    "redirector",
    "referrer_spam",
    "crypto",
)
LEGIT_GROUPS: tuple[str, ...] = (
    "press",
    "bank",
    "education",
    "blog",
    "forums",
    "shopping",
    "sports",
)
GROUPS: tuple[str, ...] = SPAM_GROUPS + LEGIT_GROUPS

DOMAINS_SCHEMA: dict[str, pl.DataType] = {DOMAIN: pl.String(), **{g: pl.Boolean() for g in GROUPS}}
POPULARITY_SCHEMA: dict[str, pl.DataType] = {DOMAIN: pl.String(), RANK: pl.Int32()}

# --- The feature columns --------------------------------------------------------------------------

KN_GROUP: dict[str, str] = {group: f"kn_{group}" for group in GROUPS}
KN_SPAM_LIST = "kn_spam_list"  # on at least one spam-side list
KN_SPAM_GROUPS = "kn_spam_groups"  # how many spam groups list it (Int8)
KN_LEGIT_LIST = "kn_legit_list"  # in at least one legitimate category
KN_POPULARITY_RANK = "kn_popularity_rank"  # Majestic rank; UNRANKED when not in the top list
KN_NAME_SPAM = "kn_name_spam"  # name model probability-like score in [0, 1]
# The rank of a domain the popularity table does not hold: past the end of the Majestic Million,
# so that "less popular" is always "a larger number" and a monotone constraint can hold for every
# domain (a null would let LightGBM send unranked domains either way).
UNRANKED = 1_000_001

KNOWLEDGE_FEATURES: tuple[str, ...] = (
    *KN_GROUP.values(),
    KN_SPAM_LIST,
    KN_SPAM_GROUPS,
    KN_LEGIT_LIST,
    KN_POPULARITY_RANK,
    KN_NAME_SPAM,
)

_KEY = "_lt_kn_key"


@dataclass(frozen=True)
class Knowledge:
    """The three knowledge tables as LazyFrames (see the module docstring for their columns)."""

    domains: pl.LazyFrame
    popularity: pl.LazyFrame
    name_weights: pl.LazyFrame

    @classmethod
    def empty(cls) -> Knowledge:
        """No knowledge at all: every flag False, no rank, no name score (for ablations)."""
        return cls(
            domains=pl.LazyFrame(schema=DOMAINS_SCHEMA),
            popularity=pl.LazyFrame(schema=POPULARITY_SCHEMA),
            name_weights=pl.LazyFrame(
                schema={KIND: pl.String(), TOKEN: pl.String(), WEIGHT: pl.Float64()}
            ),
        )

    def unlisting(self, share: float, seed: int) -> Knowledge:
        """The same knowledge with ``share`` of its domains left out of the lookups (category
        lists and popularity), chosen by a seeded hash of the name; the name model is kept.

        Real lists never hold every spam or popular domain a profile links from. The world takes
        its real names from these very lists, so without this every real name there would be
        listed, and a model trained on it would learn the list flags as exact and never read the
        name itself, which is all it has for a domain no list knows.
        """
        if not 0 <= share < 1:
            raise ValueError(f"the unlisted share must be in [0, 1), got {share}")
        buckets = 1_000_000
        kept = pl.col(DOMAIN).hash(seed) % buckets >= round(share * buckets)
        return Knowledge(
            domains=self.domains.filter(kept),
            popularity=self.popularity.filter(kept),
            name_weights=self.name_weights,
        )


def knowledge_features(
    lf: pl.LazyFrame,
    knowledge: Knowledge,
    domain_col: str,
    name_col: str,
    suffix_col: str,
    domains_of: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """Add :data:`KNOWLEDGE_FEATURES`, keeping every input column, the row order and the height.

    ``domain_col`` is the registrable domain (``ref_domain``), ``name_col`` that domain without its
    public suffix and ``suffix_col`` the suffix. A row without a domain (an IP host, a bare
    suffix) gets nulls; a domain that no table knows gets False flags and the rank UNRANKED.

    ``domains_of`` is a cheaper frame with the same ``domain_col`` values as ``lf`` (or more),
    say the prepared links ``lf`` was computed from: the tables are cut to its domains (default:
    ``lf``'s own).

    The three steps (:func:`knowledge_keys`, :func:`knowledge_lookups`, :func:`knowledge_values`)
    are also called apart, so that ``build`` joins these tables with the other families' at once.
    """
    keyed = knowledge_keys(lf, domain_col, name_col, suffix_col)
    lookups = knowledge_lookups(keyed, knowledge, domain_col, domains_of)
    out = knowledge_values(join_lookups(keyed, lookups))
    return out.select(*lf.collect_schema().names(), *KNOWLEDGE_FEATURES)


def knowledge_keys(
    lf: pl.LazyFrame, domain_col: str, name_col: str, suffix_col: str
) -> pl.LazyFrame:
    """Add the scratch keys the knowledge tables are looked up by (see
    :func:`knowledge_features`): the lower-case domain, and the name and suffix of rows with a
    domain (the name model only speaks for those, like the lookups)."""
    has_domain = pl.col(_KEY).is_not_null()
    return lf.with_columns(pl.col(domain_col).str.to_lowercase().alias(_KEY)).with_columns(
        *name_keys(
            pl.when(has_domain).then(pl.col(name_col)),
            pl.when(has_domain).then(pl.col(suffix_col)),
        )
    )


def knowledge_lookups(
    keyed: pl.LazyFrame,
    knowledge: Knowledge,
    domain_col: str,
    domains_of: pl.LazyFrame | None = None,
    name_scores: pl.LazyFrame | None = None,
) -> list[Lookup]:
    """The category flags and the rank by lower-case domain, and the name model's decision
    value by name and suffix, for links with the keys of :func:`knowledge_keys`.

    ``name_scores``: :func:`name_scores` of a frame holding (at least) these links' names, looked
    up instead of scoring the names again (a name's value depends on the name alone).
    """
    # The shipped tables hold hundreds of thousands of domains, a batch a few thousand: each table
    # is cut to the batch's domains before its duplicates are dropped (deduplicating a whole
    # table took 0.4 s and 200 MiB per batch). The rows kept stay in table order, so the entry
    # kept for a domain is the same first one.
    key = pl.col(domain_col).str.to_lowercase()
    present = (domains_of if domains_of is not None else keyed).select(key.alias(_KEY)).unique()
    domains = (
        knowledge.domains.select(
            pl.col(DOMAIN).alias(_KEY), *(pl.col(g).alias(KN_GROUP[g]) for g in GROUPS)
        )
        .join(present, on=_KEY, how="semi", maintain_order="left")
        .unique(_KEY, keep="first")
    )
    popularity = (
        knowledge.popularity.select(
            pl.col(DOMAIN).alias(_KEY), pl.col(RANK).cast(pl.Int32).alias(KN_POPULARITY_RANK)
        )
        .join(present, on=_KEY, how="semi", maintain_order="left")
        .unique(_KEY, keep="first")
    )
    return [
        Lookup(domains, (_KEY,), nulls_equal=False),
        Lookup(popularity, (_KEY,), nulls_equal=False),
        Lookup(
            name_scores
            if name_scores is not None
            else logit_table(keyed, knowledge.name_weights, KN_NAME_SPAM),
            NAME_KEYS,
        ),
    ]


def name_scores(
    lf: pl.LazyFrame, knowledge: Knowledge, domain_col: str, name_col: str, suffix_col: str
) -> pl.LazyFrame:
    """The name model's decision value of every distinct name and suffix of ``lf`` (columns as
    in :func:`knowledge_features`), as :func:`knowledge_lookups` looks it up.

    Computed once for a whole export, it spares each batch scoring the same names again: a
    profile's batches share most of their referring domains.
    """
    keyed = knowledge_keys(lf.select(domain_col, name_col, suffix_col), domain_col, name_col,
                           suffix_col)  # fmt: skip
    return logit_table(keyed, knowledge.name_weights, KN_NAME_SPAM)


def knowledge_values(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add :data:`KNOWLEDGE_FEATURES` to links with the keys of :func:`knowledge_keys` and the
    columns of :func:`knowledge_lookups`."""
    has_domain = pl.col(_KEY).is_not_null()
    return (
        lf.with_columns(
            *(
                pl.when(has_domain).then(pl.col(KN_GROUP[g]).fill_null(False)).alias(KN_GROUP[g])
                for g in GROUPS
            ),
            pl.when(has_domain)
            .then(pl.col(KN_POPULARITY_RANK).fill_null(UNRANKED))
            .cast(pl.Int32)
            .alias(KN_POPULARITY_RANK),
            sigmoid(pl.col(KN_NAME_SPAM)).alias(KN_NAME_SPAM),
        )
        .with_columns(
            pl.when(has_domain)
            .then(pl.sum_horizontal(pl.col(KN_GROUP[g]) for g in SPAM_GROUPS).cast(pl.Int8))
            .alias(KN_SPAM_GROUPS),
            pl.any_horizontal(pl.col(KN_GROUP[g]) for g in LEGIT_GROUPS).alias(KN_LEGIT_LIST),
        )
        .with_columns((pl.col(KN_SPAM_GROUPS) > 0).alias(KN_SPAM_LIST))
        .drop(_KEY, *NAME_KEYS)
    )


# --- Reason wording (to merge into features.registry.FEATURES) ------------------------------------

Reason = Callable[[pl.Expr], pl.Expr]

# Where each spam group comes from, as users know the lists.
_SPAM_WORDING: dict[str, tuple[str, str]] = {
    "gambling": ("gambling", "UT1"),
    "adult_dating": ("adult / dating", "UT1"),
    "drugs": ("drugs", "UT1, Block List Project"),
    "piracy": ("piracy / warez", "UT1, Block List Project"),
    "malicious": ("phishing / malware / scam", "UT1, Block List Project"),
    "redirector": ("redirector / URL shortener", "UT1, Block List Project"),
    "referrer_spam": ("referrer spam", "Matomo, referrer-spam-blocker"),
    "crypto": ("crypto-mining / crypto scam", "UT1, Block List Project"),
}
# A name score is worth naming from here up: on the held-out domains 71% of listed spam names
# and 3.6% of legitimate or popular names score at least 0.8 (data/knowledge/README.md).
NAME_SPAM_REASON = 0.8


def _flag(words: str) -> Reason:
    return lambda value: pl.when(value).then(pl.lit(words, dtype=pl.String))


def _never(value: pl.Expr) -> pl.Expr:
    return pl.repeat(None, pl.len(), dtype=pl.String)


@dataclass(frozen=True)
class KnowledgeFeature:
    """Same fields as ``features.registry.Feature``, so the integrator can merge them 1:1."""

    name: str
    title: str
    description: str
    reason: Reason


def _name_reason(value: pl.Expr) -> pl.Expr:
    shown = value.cast(pl.Float64).round(2).cast(pl.String)
    return pl.when(value >= NAME_SPAM_REASON).then(
        pl.format("domain name looks like those on public spam lists (name model {})", shown)
    )


def _registry() -> dict[str, KnowledgeFeature]:
    table: dict[str, KnowledgeFeature] = {}
    for group, (what, lists) in _SPAM_WORDING.items():
        name = KN_GROUP[group]
        table[name] = KnowledgeFeature(
            name,
            f"On a public {what} list",
            f"The referring domain is on a public {what} blocklist ({lists}).",
            _flag(f"domain is on a public {what} blocklist ({lists})"),
        )
    for group in LEGIT_GROUPS:
        name = KN_GROUP[group]
        table[name] = KnowledgeFeature(
            name,
            f"In the UT1 {group} category",
            f"The referring domain is in UT1's curated {group} category (a legitimate site).",
            _never,  # a legitimate category is never a warning sign
        )
    table[KN_SPAM_LIST] = KnowledgeFeature(
        KN_SPAM_LIST,
        "On a public blocklist",
        "The referring domain is on at least one public spam-side list.",
        _flag("domain is on a public blocklist"),
    )
    table[KN_SPAM_GROUPS] = KnowledgeFeature(
        KN_SPAM_GROUPS,
        "Blocklist categories",
        "How many spam-side category groups list the referring domain.",
        lambda value: pl.when(value >= 2).then(
            pl.format("domain is on {} kinds of public blocklist", value.cast(pl.String))
        ),
    )
    table[KN_LEGIT_LIST] = KnowledgeFeature(
        KN_LEGIT_LIST,
        "In a legitimate category",
        "The referring domain is in a curated legitimate category (press, bank, education ...).",
        _never,
    )
    table[KN_POPULARITY_RANK] = KnowledgeFeature(
        KN_POPULARITY_RANK,
        "Majestic Million rank",
        "Rank among the most linked-to domains (Majestic Million top list); 1,000,001 when absent.",
        _never,  # popularity is like authority: its absence is no reason by itself
    )
    table[KN_NAME_SPAM] = KnowledgeFeature(
        KN_NAME_SPAM,
        "Name model score",
        "How much the domain name looks like names on public spam lists (0-1, character model).",
        _name_reason,
    )
    return table


KNOWLEDGE_REGISTRY: dict[str, KnowledgeFeature] = _registry()
