"""The peer: a practitioner's backlink-audit script, pandas plus a per-row ``tldextract`` call.

What an SEO engineer writes when asked to triage a Semrush Backlinks export: read the CSV with
pandas, find each link's referring domain with ``tldextract`` (row by row, with ``.apply``), count
links per referring domain and per anchor, apply a handful of rules (spam TLD, money or spam
anchor, sitewide or footer-like links, a domain sending very many links, low authority with
links to many sites, nofollow spares), add up a score, label the links and write the scored CSV
and a disavow list of domains. It keeps no model and no reasons beyond the rule names. The
tldextract snapshot is the offline one bundled with the package (no network).

Usage: ``python bench/peers/pandas_tldextract.py EXPORT.csv OUT.csv DISAVOW.txt``
"""

from __future__ import annotations

import sys

import pandas as pd
import tldextract

SPAM_TLDS = {"xyz", "top", "tk", "ml", "ga", "cf", "gq", "icu", "buzz", "click", "loan", "work"}
MONEY_WORDS = ("buy", "cheap", "best", "price", "discount", "casino", "loans", "viagra", "seo")
SPAM_WORDS = ("casino", "viagra", "payday", "porn", "loans", "bet", "crypto")

extract = tldextract.TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


def registered(url: str) -> str:
    parts = extract(url)
    return parts.top_domain_under_public_suffix or parts.domain


def rules(row: pd.Series) -> tuple[int, str]:
    """Score one link from its rules; the reasons are the names of the rules that fired."""
    score, fired = 0, []
    if row["tld"] in SPAM_TLDS:
        score += 30
        fired.append("spam TLD")
    if row["money_anchor"]:
        score += 20
        fired.append("money anchor")
    if row["spam_anchor"]:
        score += 30
        fired.append("spam anchor")
    if row["Sitewide"]:
        score += 10
        fired.append("sitewide")
    if row["links_from_domain"] > 50:
        score += 15
        fired.append("many links from one domain")
    if row["Page ascore"] < 10 and row["External links"] > 100:
        score += 15
        fired.append("low authority, many outbound links")
    if row["Nofollow"]:
        score = max(0, score - 20)
    return min(score, 100), "; ".join(fired)


def main() -> None:
    export, out, disavow = sys.argv[1:4]
    df = pd.read_csv(export)
    df["ref_domain"] = df["Source url"].apply(registered)
    df["target_domain"] = df["Target url"].apply(registered)
    df["tld"] = df["Source url"].apply(lambda u: extract(u).suffix.split(".")[-1])
    anchor = df["Anchor"].fillna("").str.lower()
    df["money_anchor"] = anchor.apply(lambda a: any(w in a.split() for w in MONEY_WORDS))
    df["spam_anchor"] = anchor.str.contains("|".join(SPAM_WORDS), regex=True)
    df["links_from_domain"] = df.groupby("ref_domain")["Source url"].transform("count")
    df[["score", "reasons"]] = df.apply(rules, axis=1, result_type="expand")
    df["label"] = pd.cut(df["score"], [-1, 44, 59, 100], labels=["whitelist", "review", "toxic"])
    df.to_csv(out, index=False)
    toxic = df[df["label"] == "toxic"].groupby("ref_domain").size()
    own = set(df["target_domain"])
    with open(disavow, "w", encoding="utf-8") as handle:
        for domain in sorted(set(toxic.index) - own):
            handle.write(f"domain:{domain}\n")


if __name__ == "__main__":
    main()
