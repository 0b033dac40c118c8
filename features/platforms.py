"""Hosting and blogging platforms: where a referring *site* is smaller than a registrable domain.

A disavow ``domain:`` line covers a registrable domain and every subdomain of it, so on a
platform that gives each user a subdomain (``spam.weebly.com``) or a path
(``sites.google.com/view/spam``) a domain line for the platform would disavow every site it
hosts. linktox therefore defines the referring site as:

1. the registrable domain under the Public Suffix List, *including its private section*
   (``blogspot.com``, ``github.io``, ``netlify.app`` ... are suffixes there already);
2. one label below a platform of :data:`SUBDOMAIN_PLATFORMS` (platforms the PSL does not list,
   or lists only partly), added to the suffix rules;
3. host plus a path prefix on a platform of :data:`PATH_PLATFORMS` (``sites.google.com/view/x``,
   ``medium.com/@user``): Google's disavow file has no path-prefix entry (``domain:`` takes no
   path), so such a site is disavowed by listing its URLs.

This list is maintained by hand. Each entry says what the platform is, so a reviewer can check
it; add a platform when an export shows spam on it (the structural guard of
``pipeline.outputs.rollup`` catches unknown ones in the meantime and logs them). An entry the PSL
already has is harmless. Last reviewed against the platforms seen in public spam reports and the
synthetic world's web 2.0 hosts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    """A platform whose users' sites are separate referring sites.

    Attributes:
        domain: The platform's host (``weebly.com``, ``sites.google.com``).
        what: One line for reviewers: what the platform hosts.
        site_path: For path-based platforms, the regex (matched at the start of the URL path)
            whose match is the user's site prefix; None for subdomain platforms.
    """

    domain: str
    what: str
    site_path: str | None = None


SUBDOMAIN_PLATFORMS: tuple[Platform, ...] = (
    Platform("blogspot.com", "Blogger blogs (also in the PSL)"),
    Platform("blogger.com", "Blogger (older blog addresses)"),
    Platform("wordpress.com", "WordPress.com hosted blogs"),
    Platform("weebly.com", "Weebly site builder"),
    Platform("weeblysite.com", "Weebly site builder (newer addresses)"),
    Platform("wixsite.com", "Wix site builder (also in the PSL)"),
    Platform("strikingly.com", "Strikingly site builder (older addresses)"),
    Platform("mystrikingly.com", "Strikingly site builder"),
    Platform("webflow.io", "Webflow staging sites (also in the PSL)"),
    Platform("netlify.app", "Netlify static hosting (also in the PSL)"),
    Platform("vercel.app", "Vercel hosting (also in the PSL)"),
    Platform("pages.dev", "Cloudflare Pages (also in the PSL)"),
    Platform("github.io", "GitHub Pages (also in the PSL)"),
    Platform("gitlab.io", "GitLab Pages (also in the PSL)"),
    Platform("herokuapp.com", "Heroku apps (also in the PSL)"),
    Platform("web.app", "Firebase hosting (also in the PSL)"),
    Platform("firebaseapp.com", "Firebase hosting (also in the PSL)"),
    Platform("glitch.me", "Glitch projects (also in the PSL)"),
    Platform("tumblr.com", "Tumblr blogs"),
    Platform("livejournal.com", "LiveJournal blogs"),
    Platform("jimdofree.com", "Jimdo site builder (free plan)"),
    Platform("jimdosite.com", "Jimdo site builder"),
    Platform("jimdo.com", "Jimdo site builder (older addresses)"),
    Platform("yolasite.com", "Yola site builder (also in the PSL)"),
    Platform("site123.me", "SITE123 site builder"),
    Platform("webnode.page", "Webnode site builder"),
    Platform("webnode.com", "Webnode site builder (older addresses)"),
    Platform("over-blog.com", "Overblog blogs"),
    Platform("hatenablog.com", "Hatena blogs"),
    Platform("substack.com", "Substack newsletters"),
    Platform("medium.com", "Medium custom subdomains (paths: see PATH_PLATFORMS)"),
    Platform("neocities.org", "Neocities static sites (also in the PSL)"),
    Platform("angelfire.com", "Angelfire personal pages"),
    Platform("tripod.com", "Tripod personal pages"),
    Platform("000webhostapp.com", "000webhost free hosting"),
    Platform("carrd.co", "Carrd one-page sites"),
    # Seen in real Semrush exports (bench/results/real.md), each user a subdomain:
    Platform("pixnet.net", "PIXNET blogs (Taiwan)"),
    Platform("squarespace.com", "Squarespace sites (older user addresses)"),
    Platform("xrea.com", "XREA free hosting (Japan): one site per server subdomain"),
    Platform("ovh.net", "OVH customer servers, named after their IP address"),
    Platform("home.blog", "WordPress.com blogs on the .blog addresses"),
    Platform("lnk.to", "ToneDen / Linkfire music link pages, one artist per subdomain"),
    Platform("gain.tw", "Gain free forum hosting (Taiwan)"),
    Platform("ning.com", "Ning communities"),
    Platform("typepad.com", "Typepad blogs"),
    Platform("bravesites.com", "BraveSites site builder"),
    Platform("bloggersdelight.dk", "Bloggers Delight blogs"),
    Platform("ucoz.net", "uCoz site builder"),
    Platform("ucoz.ru", "uCoz site builder"),
    Platform("narod.ru", "Narod personal pages"),
    Platform("fc2.com", "FC2 blogs"),
    Platform("free.fr", "Free.fr personal pages"),
    Platform("godaddysites.com", "GoDaddy site builder"),
    Platform("square.site", "Square Online shops"),
    Platform("mozello.com", "Mozello site builder"),
    Platform("tilda.ws", "Tilda site builder"),
    Platform("teachable.com", "Teachable course sites"),
    Platform("blog.jp", "livedoor blogs"),
    Platform("weblog.com", "Weblog hosted blogs"),
    Platform("simdif.com", "SimDif site builder"),
    Platform("onepage.website", "Onepage site builder"),
    Platform("wikidot.com", "Wikidot wikis"),
    Platform("fandom.com", "Fandom wikis"),
    Platform("webs.com", "Webs site builder"),
    Platform("zohosites.com", "Zoho Sites"),
    Platform("ghost.io", "Ghost(Pro) blogs"),
    Platform("hashnode.dev", "Hashnode blogs"),
    Platform("notion.site", "Notion public pages"),
    Platform("gitbook.io", "GitBook sites"),
    Platform("readthedocs.io", "Read the Docs documentation (also in the PSL)"),
    Platform("beehiiv.com", "beehiiv newsletters"),
    Platform("wixstudio.com", "Wix Studio sites"),
    Platform("myshopify.com", "Shopify shops (also in the PSL)"),
)

PATH_PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "sites.google.com",
        "Google Sites: /view/<site>, /site/<site> or /<workspace domain>/<site>",
        r"^/(?:view|site)/[^/?#]+|^/a/[^/?#]+/[^/?#]+|^/[^/?#]+\.[^/?#]+/[^/?#]+",
    ),
    Platform(
        "docs.google.com",
        "Google Docs, Sheets, Slides and Forms shared publicly: one document per site",
        r"^/(?:document|spreadsheets|presentation|forms|drawings)/(?:u/\d+/)?d/(?:e/)?[^/?#]+",
    ),
    Platform("drive.google.com", "Google Drive shared files", r"^/file/d/[^/?#]+"),
    Platform("medium.com", "Medium: /@<user> pages and /<publication>", r"^/@?[^/?#]+"),
    Platform("github.com", "GitHub: one site per user or organisation", r"^/[^/?#]+"),
    Platform("gist.github.com", "GitHub Gists: one site per user", r"^/[^/?#]+"),
    Platform("gitlab.com", "GitLab: one site per user or group", r"^/[^/?#]+"),
    Platform("linktr.ee", "Linktree link pages: one per user", r"^/[^/?#]+"),
    Platform("about.me", "about.me profile pages", r"^/[^/?#]+"),
    Platform("issuu.com", "Issuu publications: one site per publisher", r"^/[^/?#]+"),
    Platform("scribd.com", "Scribd uploads: one site per document", r"^/(?:doc|document)/\d+"),
    Platform("telegra.ph", "Telegraph pages: one site per page", r"^/[^/?#]+"),
    Platform("pastebin.com", "Pastebin pastes: one site per paste", r"^/[^/?#]+"),
    Platform("pastelink.net", "Pastelink pastes: one site per paste", r"^/[^/?#]+"),
    Platform("padlet.com", "Padlet boards: one site per user", r"^/[^/?#]+"),
    Platform("lnk.bio", "Lnk.Bio link pages: one per user", r"^/[^/?#]+"),
    Platform("geocities.ws", "GeoCities archive hosting: one site per user folder", r"^/[^/?#]+"),
)

SUBDOMAIN_HOSTS: frozenset[str] = frozenset(p.domain for p in SUBDOMAIN_PLATFORMS)
PATH_HOSTS: frozenset[str] = frozenset(p.domain for p in PATH_PLATFORMS)
PATH_PATTERNS: dict[str, str] = {
    p.domain: p.site_path for p in PATH_PLATFORMS if p.site_path is not None
}

# Search engines, by the first label of the registrable domain (google.com.pe, bing.net): their
# own pages (result pages, image search, the /url?q= redirector) link to a site because a crawler
# recorded a search or a redirect, never because someone placed a link, and no one can disavow
# them usefully. Maintained by hand; a user site on a search engine's platform (sites.google.com,
# docs.google.com) is a referring site of its own and not covered.
SEARCH_ENGINES: dict[str, str] = {
    "google": "Google Search (every country domain), its redirector and image search",
    "bing": "Microsoft Bing, bing.com and its image hosts on bing.net",
    "yahoo": "Yahoo Search",
    "yandex": "Yandex",
    "baidu": "Baidu",
    "duckduckgo": "DuckDuckGo",
    "naver": "Naver",
    "seznam": "Seznam",
    "ecosia": "Ecosia",
    "qwant": "Qwant",
    "startpage": "Startpage",
}
