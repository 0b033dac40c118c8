"""Google Search Console link exports: "Latest links" and "Top linking sites".

Both list only where links come from, never the page linked to, so the property being analysed
comes from ``--site`` (``example.com``, ``sc-domain:example.com`` or a URL) and becomes every
row's target_url. Headers follow the interface language; the localizations below are known,
and beyond them an export is recognised by its shape (URLs and dates; or hosts and counts), its
columns then read by position. "Top linking sites" has one row per referring domain
(``level="domain"``). "Top linking sites" names hosts, not pages: each becomes its home
page URL as the source; its link counts (quoted with thousands separators, ``"1,240"``) stay in
the original table.
"""

from __future__ import annotations

import polars as pl

from features import schema
from pipeline.importers import values
from pipeline.importers.spec import Column, Fields, FormatSpec, LinkMapping

LINKS_NAME = "gsc_links"
SITES_NAME = "gsc_sites"

# Header words follow the Search Console interface language. Confirmed from real exports or
# Google's own pages: English, Italian ("Pagina con link", "Ultima scansione"), German
# ("Zuletzt gecrawlt"), Hebrew (from a public parser's fixtures). The other languages follow the
# interface's wording as far as it could be found; a header none of these lists knows is still
# read when the columns have the export's shape (URLs then dates; hosts then two counts).

# "Latest links": the linking page and when Google last crawled it.
LINKING_PAGE_ALIASES: tuple[str, ...] = (
    "Linking page",
    "Verweisende Seite", "Verlinkende Seite",  # de
    "Page de provenance", "Page d'origine", "Page associée", "Page contenant le lien",  # fr
    "Página de enlace", "Página que enlaza", "Página vinculada", "Página de origen",  # es
    "Pagina con link", "Pagina che rimanda", "Pagina di collegamento",  # it
    "Página com link", "Página de link", "Página que contém o link",  # pt
    "Linkende pagina", "Verwijzende pagina",  # nl
    "Strona z linkiem", "Strona linkująca",  # pl
    "Ссылающаяся страница", "Страница со ссылкой",  # ru
    "リンク元ページ", "链接网页", "引荐网页", "連結網頁", "링크 페이지", "연결 페이지",  # ja zh ko
    "Bağlantı veren sayfa", "Länkande sida", "Linkende side", "Lenkende side",  # tr sv da nb
    "Linkittävä sivu", "Odkazující stránka", "Hivatkozó oldal", "Pagina cu link",  # fi cs hu ro
    "דף מקשר", "الصفحة المرتبطة", "Halaman yang menautkan", "Trang liên kết",  # he ar id vi
)  # fmt: skip
LAST_CRAWLED_ALIASES: tuple[str, ...] = (
    "Last crawled", "Zuletzt gecrawlt",
    "Dernière exploration", "Dernière date d'exploration", "Date de la dernière exploration",
    "Último rastreo", "Ultima scansione", "Último rastreamento", "Laatst gecrawld",
    "Ostatnie skanowanie", "Ostatnie indeksowanie", "Последнее сканирование",
    "最終クロール", "前回のクロール", "上次抓取时间", "上次抓取日期", "上次檢索時間",
    "마지막 크롤링",
    "Son tarama", "Senast genomsökt", "Sidst gennemgået", "Sist gjennomsøkt",
    "Viimeksi indeksoitu", "Poslední procházení", "Utolsó feltérképezés", "Ultima accesare",
    "נסרק לאחרונה", "آخر زحف", "Terakhir di-crawl", "Lần thu thập dữ liệu gần đây nhất",
)  # fmt: skip

# "Top linking sites": a host, how many of its pages link, to how many of ours.
SITE_ALIASES: tuple[str, ...] = (
    "Site", "Linking site", "Website", "Verweisende Website", "Sitio", "Sito", "Sitio web",
    "Site de provenance", "Witryna", "Сайт", "サイト", "网站", "網站", "사이트", "אתר",
)  # fmt: skip
LINKING_PAGES_ALIASES: tuple[str, ...] = (
    "Linking pages", "Verweisende Seiten", "Pages de provenance", "Páginas de enlace",
    "Pagine che rimandano", "Pagine con link", "Páginas com link", "Linkende pagina's",
    "Strony z linkami", "Ссылающиеся страницы", "リンク元ページ", "链接网页", "링크 페이지",
    "דפים מקשרים",
)  # fmt: skip
TARGET_PAGES_ALIASES: tuple[str, ...] = (
    "Target pages", "Zielseiten", "Pages cibles", "Páginas de destino", "Pagine di destinazione",
    "Doelpagina's", "Strony docelowe", "Целевые страницы", "ターゲット ページ", "目标网页",
    "대상 페이지", "דפי יעד",
)  # fmt: skip

# A sampled column has the export's shape when at least this share of its non-empty cells
# looks right: a majority, so that a few odd cells (a 1970-01-01 date, a note) never defeat it.
_SHAPE_SHARE = 0.5
_SHAPE_SAMPLE = 1_000


def site_url(site: str) -> str | None:
    """The target URL for ``--site``: a home page URL, or None when ``site`` is not a site.

    Accepts ``example.com``, ``sc-domain:example.com`` (a Search Console domain property) and
    ``https://example.com/shop/`` (a URL-prefix property, kept as given).
    """
    value = site.strip()
    if value.lower().startswith("sc-domain:"):
        value = value[len("sc-domain:") :].strip()
    if "://" not in value:
        value = f"https://{value.strip('/')}/"
    checked = pl.select(values.is_http_url(pl.lit(value))).item()
    return value if checked else None


def _share(frame: pl.DataFrame, test: pl.Expr) -> float:
    """The share of non-empty cells in the sample for which ``test`` holds."""
    sample = frame.head(_SHAPE_SAMPLE)
    result = sample.select(test.alias("ok")).drop_nulls()
    return 0.0 if result.is_empty() else float(result["ok"].cast(pl.Float64).to_numpy().mean())


def fits_links_shape(frame: pl.DataFrame) -> bool:
    """Two columns: linking page URLs, then crawl dates."""
    if frame.width != 2:
        return False
    first, second = (pl.col(name).cast(pl.String) for name in frame.columns)
    urls = _share(frame, pl.when(values.text(first).is_not_null()).then(values.is_http_url(first)))
    dates = _share(
        frame, pl.when(values.text(second).is_not_null()).then(values.to_date(second).is_not_null())
    )
    return urls >= _SHAPE_SHARE and dates >= _SHAPE_SHARE


def fits_sites_shape(frame: pl.DataFrame) -> bool:
    """Three columns: linking hosts, then two counts."""
    if frame.width != 3:
        return False
    host, *counts = (pl.col(name).cast(pl.String) for name in frame.columns)
    hosts = _share(
        frame, pl.when(values.text(host).is_not_null()).then(host.str.contains(values.BARE_HOST))
    )
    numeric = min(
        _share(frame, pl.when(values.text(c).is_not_null()).then(values.to_int(c).is_not_null()))
        for c in counts
    )
    return hosts >= _SHAPE_SHARE and numeric >= _SHAPE_SHARE


def _positional(fields: Fields, aliases: tuple[str, ...], index: int, width: int) -> str | None:
    """A column by alias, else by position when the table has this export's shape."""
    found = fields.find(*aliases)
    if found is None and len(fields.names) == width:
        return fields.names[index]
    return found


def _target(site: str | None) -> pl.Expr:
    if site is None:  # read_export checks --site before mapping; keep the mapping total anyway
        raise ValueError("a Search Console export needs the site's URL")
    return pl.lit(site, dtype=pl.String)


def latest_links(fields: Fields, site: str | None) -> LinkMapping:
    """Map a "Latest links" export: source from the linking page, target from ``--site``."""
    page = _positional(fields, LINKING_PAGE_ALIASES, 0, 2)
    crawled = _positional(fields, LAST_CRAWLED_ALIASES, 1, 2)
    return {
        schema.SOURCE_URL: (
            Column(page) if page else fields.require(schema.SOURCE_URL, *LINKING_PAGE_ALIASES)
        ),
        schema.TARGET_URL: _target(site),
        schema.LAST_SEEN: Column(crawled) if crawled else None,
    }


def top_sites(fields: Fields, site: str | None) -> LinkMapping:
    """Map a "Top linking sites" export: each host's home page links to ``--site``."""
    host = _positional(fields, SITE_ALIASES, 0, 3)
    return {
        schema.SOURCE_URL: (
            Column(host, transform=values.host_to_url)
            if host
            else fields.require(schema.SOURCE_URL, *SITE_ALIASES)
        ),
        schema.TARGET_URL: _target(site),
    }


LINKS_SPEC = FormatSpec(
    LINKS_NAME,
    'Google Search Console "Latest links"',
    (*LINKING_PAGE_ALIASES, *LAST_CRAWLED_ALIASES),
    latest_links,
    needs_site=True,
    fits_shape=fits_links_shape,
)
SITES_SPEC = FormatSpec(
    SITES_NAME,
    'Google Search Console "Top linking sites"',
    (*SITE_ALIASES, *LINKING_PAGES_ALIASES, *TARGET_PAGES_ALIASES),
    top_sites,
    needs_site=True,
    fits_shape=fits_sites_shape,
    level="domain",
)
