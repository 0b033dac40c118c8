"""Names of the key columns every feature family shares, and of the internal scratch columns.

Key columns are part of the output contract (reports and rollups group by them). Scratch columns
start with ``_lt_`` so they never collide with a vendor's own columns, and ``build_features`` drops
them before returning.
"""

from __future__ import annotations

# Output key columns (strings, for rollups and reports; never model inputs).
REF_DOMAIN = "ref_domain"  # registrable domain of source_url (or the IP / bare host)
TARGET_DOMAIN = "target_domain"  # registrable domain of target_url: the profile key
SOURCE_HOST = "source_host"  # lower-cased host of source_url, port and userinfo removed
ANCHOR_CLASS = "anchor_class"  # brand, compound, money_exact, money_partial, generic, url, ...
SOURCE_SUFFIX = "source_suffix"  # public suffix of the source host ("co.uk", "blogspot.com")
SOURCE_TLD = "source_tld"  # last label of the source host ("uk", "xyz")

KEY_COLUMNS: tuple[str, ...] = (
    REF_DOMAIN,
    TARGET_DOMAIN,
    SOURCE_HOST,
    ANCHOR_CLASS,
    SOURCE_SUFFIX,
    SOURCE_TLD,
)

PROFILE = TARGET_DOMAIN  # every profile-level feature is computed within this key

# Scratch columns shared between families (dropped by build_features).
SCRATCH_PREFIX = "_lt_"
SRC = "_lt_src"  # prefix of the parsed source URL parts
TGT = "_lt_tgt"  # prefix of the parsed target URL parts
ANCHOR_NORM = "_lt_anchor_norm"  # lower-cased, whitespace-collapsed anchor ("" when empty)
ANCHOR_MONEY = "_lt_anchor_money"  # anchor class is money_exact / money_partial / compound
BRAND = "_lt_brand"  # compact brand of the profile ("acmeanalytics")
SRC_NAME = "_lt_src_name"  # registrable domain minus its suffix ("cheap-seo4u")
TEXT_SCRIPT = "_lt_text_script"  # writing script of the page title (else the anchor)
FOLLOWED = "_lt_followed"  # no nofollow / ugc / sponsored flag
ROW = "_lt_row"  # input row number: the join key of per-link tables and the final order
