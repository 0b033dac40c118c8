"""Word lists the synthetic world draws names, titles, paths, anchors and contexts from.

Realism lives here: a classifier trained on ``spam123.com`` learns nothing about the web. Every
list is small, hand-written and deterministic (no Faker, so that a dependency upgrade can never
change the world). Site-specific vocabularies (topic words, money anchors) live in ``sites.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, TypeVar

from pipeline.world.dists import Categorical

T = TypeVar("T")


class Platform(NamedTuple):
    """A fixed platform domain (reddit.com...): the same in every profile."""

    authority: float  # domain authority
    traffic: float  # monthly organic visits
    ip: str
    country: str


# Data tables: one line per row reads better than the formatter's one-item-per-line layout.
# fmt: off

# --- People and places -----------------------------------------------------------------------

FIRST_NAMES: tuple[str, ...] = (
    "sarah", "james", "emma", "oliver", "sophie", "jack", "chloe", "harry", "megan", "tom",
    "lucy", "daniel", "amy", "ryan", "hannah", "matt", "laura", "chris", "kate", "ben",
    "jess", "alex", "rachel", "mike", "anna", "david", "ellie", "sam", "grace", "luke",
    "nina", "paul", "zoe", "mark", "holly", "adam", "claire", "josh", "beth", "dan",
    "priya", "raj", "mei", "kenji", "carlos", "maria", "olu", "fatima", "liam", "noah",
    "ava", "mia", "isla", "freya", "ruby", "leo", "oscar", "archie", "alfie", "henry",
    "george", "arthur", "ivy", "rosie", "poppy", "evie", "millie", "jacob", "ethan", "mason",
    "logan", "lily", "ella", "amelia", "harper", "abby", "becky", "carla", "dina", "erin",
    "fiona", "gina", "heidi", "iris", "jade", "kira", "lena", "mona", "nora", "olga",
    "pete", "quinn", "rob", "steve", "tara", "umar", "vic", "will", "xena", "yusuf",
    "zach", "aaron", "bella", "cody", "derek", "eva", "frank", "gary", "hugo", "ian",
)
LAST_NAMES: tuple[str, ...] = (
    "smith", "jones", "taylor", "brown", "wilson", "evans", "thomas", "johnson", "roberts",
    "walker", "wright", "robinson", "thompson", "white", "hughes", "edwards", "green", "hall",
    "wood", "harris", "martin", "jackson", "clarke", "turner", "hill", "cooper", "ward", "morris",
    "moore", "king", "baker", "parker", "bennett", "fisher", "hayes", "murphy", "kelly", "reid",
    "patel", "nguyen", "garcia", "kowalski", "schmidt", "okafor", "lewis", "young", "allen",
    "scott", "adams", "campbell", "mitchell", "carter", "phillips", "collins", "stewart",
    "morgan", "bell", "murray", "graham", "kennedy", "wallace", "gordon", "russell", "palmer",
    "mills", "holmes", "rogers", "stevens", "foster", "marshall", "owen", "knight", "lloyd",
    "gibson", "ellis", "webb", "price", "barnes", "shaw", "cole", "hunt", "fox", "grant",
    "dixon", "hart", "burke", "walsh", "byrne", "ryan", "doyle", "lynch", "nolan", "quinn",
)
TOWNS: tuple[str, ...] = (
    "springfield", "riverside", "fairview", "oakdale", "millbrook", "ashford", "kingsbridge",
    "greenville", "cedarville", "westbury", "northfield", "lakewood", "bridgeton", "hillcrest",
    "maplewood", "stonebridge", "clearwater", "elmwood", "harborview", "pinehurst", "brookfield",
    "fremont", "salem", "hudson", "georgetown", "bristol", "chester", "dover", "lancaster",
    "windsor", "redding", "ashland", "marlow", "hexham", "ripon", "ludlow", "whitby", "tenby",
    "arlington", "burlington", "clayton", "dayton", "easton", "franklin", "glendale", "hampton",
    "jackson", "kingston", "lexington", "madison", "newport", "oxford", "plymouth", "quincy",
    "richmond", "stratford", "trenton", "union", "vernon", "warwick", "york", "ayr", "bangor",
    "carlisle", "derby", "ely", "frome", "grantham", "harrogate", "ilkley", "kendal", "leek",
    "malton", "newark", "oakham", "penrith", "ross", "settle", "thirsk", "ulverston", "wells",
    "alton", "bakewell", "corby", "dorking", "epsom", "fakenham", "glossop", "hitchin",
)

# --- English blog, media and company names ----------------------------------------------------

ADJECTIVES: tuple[str, ...] = (
    "frugal", "happy", "curious", "modern", "little", "urban", "savvy", "honest", "daily", "lazy",
    "busy", "simple", "smart", "wild", "quiet", "green", "bold", "clever", "humble", "hungry",
    "mindful", "rusty", "sunny", "weekend", "slow", "nerdy", "tiny", "brave", "cosy", "restless",
    "crafty", "gentle", "golden", "handy", "jolly", "keen", "lucky", "merry", "nimble", "plucky",
    "quirky", "rosy", "sleepy", "thrifty", "upbeat", "vintage", "witty", "zesty", "bright",
    "calm", "daring", "eager", "fresh", "grumpy", "hidden", "lost", "noisy", "odd", "proper",
)
BLOG_WORDS: tuple[str, ...] = (
    "blog", "diary", "notes", "journal", "life", "stories", "hq", "lab", "corner", "musings",
    "talk", "guide", "world", "hub", "place", "insider", "weekly", "log", "mag", "tales",
    "chronicles", "adventures", "bits", "thoughts", "ramblings", "pages", "space", "den",
    "nook", "files",
)
NEWS_PREFIX: tuple[str, ...] = (
    "metro", "national", "global", "morning", "evening", "harbor", "capital", "pacific",
    "northern", "central", "atlantic", "western", "city", "county", "valley", "coastal",
    "federal", "union", "summit", "crown", "liberty", "empire", "midland", "southern",
)
NEWS_SUFFIX: tuple[str, ...] = (
    "ledger", "dispatch", "courier", "register", "review", "wire", "journal", "bulletin",
    "report", "sentinel", "standard", "monitor", "tribune", "chronicle", "gazette", "post",
    "times", "observer", "herald", "record", "express", "inquirer", "telegraph", "mercury",
)
MEDIA_SUFFIX: tuple[str, ...] = (
    "weekly", "today", "insider", "news", "world", "magazine", "digest", "daily", "focus",
    "matters", "report", "pulse", "trends", "voice", "zone",
)
NEWS_SECTIONS: tuple[str, ...] = (
    "business", "tech", "technology", "lifestyle", "money", "local", "news", "sport", "health",
    "food", "features", "culture", "consumer", "markets", "opinion",
)
COMPANY_WORDS: tuple[str, ...] = (
    "bright", "north", "blue", "summit", "apex", "clear", "true", "vivid", "prime", "keystone",
    "harbor", "silver", "oak", "cedar", "pioneer", "beacon", "crest", "maple", "river", "lumen",
)
COMPANY_SUFFIX: tuple[str, ...] = (
    "labs", "works", "group", "partners", "digital", "studio", "systems", "media", "co",
    "solutions", "collective", "agency", "hq", "ventures",
)
# Pages of ordinary websites that have nothing to do with any target (hosts of paid footers,
# comment sections, link farms).
UNRELATED_TITLES: tuple[str, ...] = (
    "Wedding Photography Tips", "Used Car Reviews", "Home Decor Ideas", "Fly Fishing Basics",
    "Vegetable Gardening for Beginners", "Caring for an Older Dog", "Learn Guitar Chords",
    "Budget Travel in Europe", "Parenting Toddlers", "First-Time Home Buyers", "Autumn Fashion",
    "Video Game Reviews", "DIY Craft Projects", "Home Workout Plans", "Camping Checklist",
    "Woodworking Projects", "Celebrity Gossip", "Movie Reviews",
)
UNRELATED_WORDS: tuple[str, ...] = (
    "wedding", "autos", "decor", "fishing", "garden", "petcare", "guitar", "travel", "parenting",
    "homes", "fashion", "gaming", "crafts", "fitness", "camping", "woodwork", "celeb", "movies",
)

# --- TLDs -------------------------------------------------------------------------------------

LEGIT_TLDS: Categorical[str] = Categorical({
    "com": 0.52, "net": 0.07, "org": 0.07, "co.uk": 0.08, "com.au": 0.03, "ca": 0.03, "io": 0.03,
    "co": 0.02, "blog": 0.01, "us": 0.01, "ie": 0.01, "info": 0.02, "me": 0.02, "uk": 0.02,
    "nz": 0.01, "in": 0.02, "org.uk": 0.02,
})
SPAM_TLDS: tuple[str, ...] = (
    "xyz", "top", "click", "info", "biz", "loan", "work", "site", "online", "icu", "buzz", "cc",
    "pw", "tk", "ml", "ga", "cf", "gq",
)
TLD_COUNTRY: dict[str, str] = {
    "co.uk": "GB", "uk": "GB", "org.uk": "GB", "com.au": "AU", "ca": "CA", "ie": "IE",
    "nz": "NZ", "in": "IN", "us": "US",
}
ENGLISH_COUNTRIES: Categorical[str] = Categorical({
    "US": 0.55, "GB": 0.2, "CA": 0.08, "AU": 0.07, "IE": 0.03, "IN": 0.05, "NZ": 0.02,
})

# Free hosts for web 2.0 properties; each with a shared platform IP (their blogs share it too).
FREE_HOSTS: tuple[str, ...] = (
    "blogspot.com", "wordpress.com", "weebly.com", "pages.dev", "wixsite.com", "tumblr.com",
    "livejournal.com", "over-blog.com", "jimdofree.com", "netlify.app", "github.io",
    "webflow.io", "site123.me", "strikingly.com", "yolasite.com",
)
FREE_HOST_IPS: tuple[str, ...] = (
    "142.250.80.65", "192.0.78.13", "74.115.51.9", "172.66.44.105", "185.230.63.107",
    "74.114.154.22", "81.19.74.3", "195.154.169.100", "104.26.3.52", "75.2.60.5",
    "185.199.108.153", "198.202.211.1", "52.57.184.20", "3.33.152.147", "209.17.116.163",
)
# The share of legitimate small blogs that live on a free host.
SMALL_BLOG_FREE_HOSTS: tuple[str, ...] = (
    "blogspot.com", "wordpress.com", "substack.com", "medium.com", "wixsite.com", "weebly.com",
)

# --- Platforms (fixed, shared by every profile) ------------------------------------------------
PLATFORMS: dict[str, Platform] = {
    "en.wikipedia.org": Platform(97.0, 2.1e9, "208.80.154.224", "US"),
    "twitter.com": Platform(94.0, 4.5e8, "104.244.42.1", "US"),
    "x.com": Platform(93.0, 3.9e8, "104.244.42.65", "US"),
    "reddit.com": Platform(92.0, 1.3e9, "151.101.1.140", "US"),
    "linkedin.com": Platform(98.0, 6.2e8, "13.107.42.14", "US"),
    "medium.com": Platform(95.0, 1.1e8, "162.159.152.4", "US"),
    "facebook.com": Platform(96.0, 9.0e8, "157.240.1.35", "US"),
    "pinterest.com": Platform(94.0, 4.0e8, "151.101.0.84", "US"),
    "youtube.com": Platform(98.0, 3.0e9, "142.250.72.14", "US"),
    "quora.com": Platform(91.0, 2.8e8, "162.159.153.247", "US"),
}
# The platform of each wiki/social link, by weight.
SOCIAL_PLATFORMS: Categorical[str] = Categorical({
    "en.wikipedia.org": 0.08, "twitter.com": 0.14, "x.com": 0.1, "reddit.com": 0.12,
    "linkedin.com": 0.16, "medium.com": 0.1, "facebook.com": 0.14, "pinterest.com": 0.08,
    "youtube.com": 0.08,
})
# The platform of each forum/UGC link that is on one (the rest are on invented forums).
UGC_PLATFORMS: Categorical[str] = Categorical({"reddit.com": 0.7, "quora.com": 0.3})
SUBREDDITS: tuple[str, ...] = (
    "AskReddit", "smallbusiness", "Entrepreneur", "startups", "personalfinance", "running",
    "HomeImprovement", "Cooking", "hiking", "SaaS", "marketing", "BuyItForLife",
    "UKPersonalFinance", "DIY", "recipes", "EngineeringStudents",
)

# --- Forums -----------------------------------------------------------------------------------

FORUM_SUFFIX: tuple[str, ...] = (
    "talk", "forums", "forum", "community", "board", "chat", "boards", "exchange", "hub",
)
FORUM_QUESTIONS: tuple[str, ...] = (
    "Anyone tried {topic}?", "Recommendations for {topic}", "{Topic} - worth it?",
    "Best place for {topic}?", "Help choosing {topic}", "{Topic} experiences thread",
    "Problems with {topic}", "Is {topic} overrated?", "Beginner question about {topic}",
)
FORUM_PATHS: tuple[str, ...] = (
    "/threads/{slug}.{id}/", "/t/{slug}/{id}", "/showthread.php?t={id}",
    "/viewtopic.php?f={n}&t={id}", "/forum/{section}/{id}-{slug}", "/topic/{id}-{slug}/",
)
PROFILE_PATHS: tuple[str, ...] = (
    "/member.php?u={id}", "/profile/{user}", "/users/{id}/{user}", "/members/{user}.{id}/",
    "/user/{user}/", "/index.php?action=profile;u={id}",
)

# --- Anchors ----------------------------------------------------------------------------------

GENERIC_ANCHORS: tuple[str, ...] = (
    "click here", "this article", "website", "here", "read more", "source", "this post",
    "learn more", "link", "visit site", "this guide", "their site", "this page", "more info",
    "official site", "this", "homepage", "check it out",
)
PHARMA_ANCHORS: tuple[str, ...] = (
    "cheap viagra", "buy cialis online", "viagra without prescription", "generic levitra",
    "order tramadol", "buy xanax online", "cheap phentermine", "kamagra oral jelly",
    "online pharmacy no prescription", "buy ambien overnight",
)
CASINO_ANCHORS: tuple[str, ...] = (
    "online casino bonus", "best online casino", "free slots", "casino real money",
    "poker online", "sports betting tips", "no deposit bonus", "online pokies",
    "roulette strategy", "bitcoin casino", "slot gacor", "judi online",
)
ADULT_ANCHORS: tuple[str, ...] = (
    "xxx videos", "adult webcams", "free porn", "sex dating", "escort service", "hot singles",
    "live sex cams", "adult chat",
)
LOAN_ANCHORS: tuple[str, ...] = (
    "payday loans", "fast cash loans", "bad credit loans", "instant payday loans online",
    "cash advance", "no credit check loans", "title loans", "quick loans same day",
)
POISON_ANCHORS: tuple[str, ...] = PHARMA_ANCHORS + CASINO_ANCHORS + ADULT_ANCHORS + LOAN_ANCHORS
# Slugs for injected pages and spam subdomains.
POISON_SLUGS: tuple[str, ...] = (
    "cheap-viagra", "buy-cialis", "online-casino", "free-slots", "payday-loans", "porn-videos",
    "sex-dating", "casino-bonus", "tramadol", "kamagra", "pokies", "bitcoin-casino", "slot-gacor",
    "loans-online", "adult-cams",
)

# --- Machine-made spam names -------------------------------------------------------------------

SPAM_NAME_WORDS: tuple[str, ...] = (
    "best", "top", "seo", "links", "link", "web", "dir", "directory", "submit", "free", "pro",
    "hub", "list", "rank", "boost", "click", "site", "net", "sites", "biz", "info", "add",
    "url", "index", "page", "traffic", "backlink", "promo", "world", "mega", "super", "easy",
)
SPAM_NAME_TAILS: tuple[str, ...] = (
    "4u", "24", "365", "99", "2k", "360", "1", "7", "pro", "x", "hq",
)
DIRECTORY_TITLES: tuple[str, ...] = (
    "Web Directory - Submit Your Site", "{Name} Business Directory | Free Listing",
    "Link Exchange Directory", "Add URL - {Name}", "{Category} Websites - Page {n}",
    "{Name} - Human Edited Web Directory", "Free Directory Submission | {Name}",
    "{Category} Listings - {Name}",
    # SEO-statistics, site-info and "similar sites" pages: one per target on thousands of
    # machine-made domains, the same title on each, naming the site's own host (what real
    # disavow files are full of).
    "Backlinks for {target_host}", "{target_host} - Website Worth and Traffic Estimate",
    "{Brand} SEO Report | {Name}", "{target_host} whois and site info", "{brand} Site Overview",
    "Sites like {target_host}", "{target_host} | {Name} Site Analysis",
)
DIRECTORY_CATEGORIES: tuple[str, ...] = (
    "business", "health", "shopping", "sports", "travel", "finance", "home-garden", "computers",
    "recreation", "society", "arts", "services", "industry", "local",
)
DIRECTORY_PATHS: tuple[str, ...] = (
    "/category/{category}/page-{n}", "/listing/{brand}-{id}.html", "/details.php?id={id}",
    "/{category}/{brand}/", "/site/{id}/{brand}", "/directory/{category}/{n}.html",
    "/site/{brand}", "/{brand}",
    # Report pages whose path is the site's host: real SEO-statistics and scraper sites
    # (/site/example.com, /backlinks/www.example.com, /similar/example.com/).
    "/site/{target_host}", "/domain/{target_host}", "/{target_host}", "/backlinks/{target_host}",
    "/similar/{target_host}/", "/website/{target_host}", "/analysis/{target_host}",
)
FARM_TITLES: tuple[str, ...] = (
    "Links Page {n}", "Resources - Partner Links", "Useful Links {n}", "Top Sites List",
    "Link Exchange", "Partners {n} | {Name}", "Friends and Partners", "{Name} - Links",
)
FARM_PATHS: tuple[str, ...] = (
    "/links/page-{n}.html", "/partners{n}.html", "/resources/links{n}.htm", "/link-exchange/{n}/",
    "/links.php?page={n}", "/friends/{n}",
)

# --- Hacked hosts ------------------------------------------------------------------------------

HACKED_TITLES: tuple[str, ...] = (
    "Home | {Name}", "Menu - {Name}", "Service Times | {Name}", "About Us - {Name}",
    "Events Calendar | {Name}", "Contact - {Name}", "News and Updates | {Name}",
)
INJECTED_TITLES: tuple[str, ...] = (
    "Buy Cheap Viagra Online No Prescription", "Best Online Casino Bonus {year}",
    "Payday Loans Online - Instant Approval", "Free Slots No Download", "Cialis 20mg Best Price",
    "Situs Slot Gacor Hari Ini", "Hot Singles in Your Area",
)
HACKED_PATHS: tuple[str, ...] = (
    "/wp-content/uploads/{year}/{rand}/{spam}.html", "/?p={id}",
    "/images/{rand}/index.php?{spam}={id}", "/{spam}/", "/wp-includes/{rand}.php?id={id}",
    "/components/{rand}/{spam}-{id}.html", "/old/{rand}/{spam}.htm",
)
UNIVERSITY_DEPTS: tuple[str, ...] = (
    "physics", "alumni", "library", "chem", "arts", "events", "sports", "research", "cs", "music",
)

# --- Expired-looking names for private blog networks -------------------------------------------

EXPIRED_EVENTS: tuple[str, ...] = (
    "jazzfestival", "filmfest", "marathon", "beerfest", "artwalk", "bookfair", "conference",
    "summit", "expo", "carnival",
)
EXPIRED_TRADES: tuple[str, ...] = (
    "photography", "consulting", "studio", "design", "events", "media", "productions",
    "magazine", "creative", "weddings", "interiors", "catering",
)
EXPIRED_WORDS: tuple[str, ...] = (
    "valley", "river", "garden", "harbor", "meadow", "lantern", "compass", "orchard", "canvas",
    "anchor", "summit", "willow", "ember", "atlas", "beacon",
)
PBN_TITLES: tuple[str, ...] = (
    "Best {Topic} Tips for {year} | {Name} Blog", "{Name} - Your Guide to {Topic}",
    "Top {n} {Topic} Ideas - {Name}", "{Topic} Reviews & Guides | {Name}",
    "The Ultimate {Topic} Guide ({year}) - {Name}", "{Name} | News, Tips and {Topic}",
)
PBN_PATHS: tuple[str, ...] = (
    "/{year}/{mm}/best-{kw}-guide/", "/{kw}-tips-{year}/", "/top-{n}-{kw}/", "/blog/{kw}-review/",
    "/{year}/{mm}/{kw}/", "/ultimate-{kw}-guide/",
)

# --- Web 2.0 wheels ----------------------------------------------------------------------------

WHEEL_TITLES: tuple[str, ...] = (
    "{Money} - {Name}", "Why {Money} Matters", "{Money}: Tips and Tricks",
    "Everything About {Money}", "{Name} | {Money}",
)
WHEEL_PATHS: tuple[str, ...] = (
    "/{year}/{mm}/{kw}.html", "/{kw}/", "/post/{kw}-{id}", "/{year}/{mm}/{dd}/{kw}/", "/blog/{kw}",
)

# --- Titles and paths of legitimate pages ------------------------------------------------------

HEADLINES: tuple[str, ...] = (
    "{Topic}: What Changed in {year}", "A Beginner's Guide to {Topic}",
    "{n} Things I Learned About {Topic}", "Why {Topic} Matters More Than Ever",
    "Our Favourite {Topic} Resources", "{Brand} Review: Is It Worth It?",
    "{Topic} Tips From the Experts", "What Nobody Tells You About {Topic}",
    "Inside the Booming Market for {Topic}", "How {Brand} Is Changing {Topic}",
    "The {n} Best Options for {Topic} in {year}", "{Topic} on a Budget",
)
# Headlines of legitimate pages that say nothing of the site's topic: a newsletter roundup, a
# tag page, a post about something else that mentions the site in passing. Real profiles are full
# of them (a crossword blog of a newspaper, a planet aggregator), so topic match alone is weak.
OFF_TOPIC_HEADLINES: tuple[str, ...] = (
    *UNRELATED_TITLES,
    "Weekly Links Roundup", "The Week in Review", "Reader Mailbag", "Open Thread", "Miscellany",
    "Links I Liked This Week", "Quick Takes", "Notes and Queries", "Friday Reading List",
    "Archives", "Monthly Newsletter", "What We Are Reading", "Odds and Ends", "Sunday Digest",
    "Around the Web", "Recommended Reading", "Staff Picks", "Year in Review", "Daily Puzzle",
    "Crossword Answers", "Community Announcements", "Event Calendar", "Local News Briefs",
    "Book Club Picks", "Podcast Episode Notes", "Course Syllabus", "Lecture Notes",
    "Meeting Minutes", "Alumni Newsletter", "Research Group Links",
)
# Endings that make those headlines as long as real ones (real titles: median 7 words).
OFF_TOPIC_TAILS: tuple[str, ...] = (
    "", "", ": What We Read This Week", " and Other Stories", " - Part Two",
    ": Notes From Our Members", " for the New Season", ", Updated and Expanded",
    ": Links, Photos and Comments", " (Archive Edition)",
)
BLOG_PATHS: tuple[str, ...] = (
    "/{year}/{mm}/{slug}/", "/blog/{slug}", "/{slug}/", "/posts/{slug}", "/{year}/{mm}/{dd}/{slug}",
    "/?p={id}",
)
NEWS_PATHS: tuple[str, ...] = (
    "/{section}/{year}/{mm}/{dd}/{slug}", "/news/{slug}-{id}", "/{section}/{slug}-{id}.html",
    "/article/{id}/{slug}",
)
RESOURCE_TITLES: tuple[str, ...] = (
    "Useful Links | {Name}", "Resources - {Name}", "Recommended {Topic} Resources",
    "Helpful Websites | {Name}", "Links and Further Reading - {Name}",
)
RESOURCE_PATHS: tuple[str, ...] = (
    "/resources/", "/useful-links/", "/links.html", "/community/resources/{slug}",
    "/help/external-links", "/resources/{slug}/", "/links/", "/partners/", "/further-reading/",
    "/{slug}/resources", "/info/links.html", "/about/links/",
    # A review or archive page about the site: legitimate pages also name a site in the path
    # (one path in thirteen; real legitimate pages name another site about 1% of the time).
    "/reviews/{target_host}",
)
PRESS_HOSTS: tuple[str, ...] = (
    "openpresswire", "newsreleasepoint", "prdistribute", "pressrelay", "newsfilecast",
    "mediaoutreachwire", "releasehub", "prnewsline",
)
PRESS_TITLES: tuple[str, ...] = (
    "{Brand} Announces New {Topic} Offering", "{Brand} Expands {Topic} Services",
    "Sponsored: {Topic} Made Simple With {Brand}", "{Topic} Guide (Sponsored)",
    "{Brand} Launches {Topic} Programme", "Partner Content: The State of {Topic} in {year}",
)
PRESS_PATHS: tuple[str, ...] = (
    "/news/{brand}-announces-{slug}-{id}", "/sponsored/{slug}/", "/partner-content/{slug}",
    "/press-release/{id}/{brand}", "/{year}/{mm}/{slug}-sponsored/",
)
SCRAPER_WORDS: tuple[str, ...] = (
    "news", "feed", "aggregator", "daily", "trend", "buzz", "digest", "headlines", "reader",
    "stream", "wire", "updates",
)
SCRAPER_PATHS: tuple[str, ...] = (
    "/{year}/{mm}/{dd}/{slug}/", "/feed-item/{id}", "/{slug}-{id}.html", "/news/{slug}/",
    "/post/{id}",
)
# Inner pages of sitewide linkers (their home page "/" is added once per domain).
PARTNER_PATHS: tuple[str, ...] = (
    "/{year}/{mm}/{slug}/", "/blog/{slug}-{id}", "/services/{section}-{id}", "/news/{id}/{slug}",
    "/case-studies/{slug}-{n}", "/resources/{id}",
)
FOOTER_PATHS: tuple[str, ...] = (
    "/{year}/{mm}/{slug}/", "/category/{section}/page/{id}/", "/{slug}-{id}/", "/?p={id}",
    "/{year}/{mm}/{dd}/{slug}/", "/tag/{section}/{id}/",
)
WIKI_SUBJECTS: tuple[str, ...] = (
    "{Topic}", "{Noun}", "{Town}", "List of {noun} organisations", "{Brand}", "{Town} {Noun}",
    "History of {noun}", "{Noun} in the United Kingdom",
)

# --- Contexts (text beside the link) -----------------------------------------------------------

EDITORIAL_LEFT: tuple[str, ...] = (
    "According to", "As reported by", "Tools like", "We tested", "Data from", "A spokesperson for",
    "Readers can find more at", "The team at", "For a deeper dive, see", "I've been using",
    "A good option is", "as explained in", "One company doing this well is", "We spoke to",
)
EDITORIAL_RIGHT: tuple[str, ...] = (
    "said in a statement.", "has published a detailed guide.", "offers a free trial.",
    "is worth a look.", "which we covered last year.", "for more details.",
    "- highly recommended.", "has more on this.", "told us.", "and similar services.",
)
FOOTER_LEFT: tuple[str, ...] = (
    "© 2024 All rights reserved. Partners:", "Copyright © 2023 · Powered by", "Our partners:",
    "Sponsors:", "All rights reserved | Friends:", "© 2022 · Theme by", "Partners:",
    "Copyright 2021. Supported by", "© 2025 · Sponsors:",
)
FOOTER_RIGHT: tuple[str, ...] = (
    "| Privacy Policy | Terms", "· Sitemap", "| Contact us", "All rights reserved.",
    "| Cookie settings", "| About",
)
SIDEBAR_LEFT: tuple[str, ...] = (
    "Blogroll", "Recommended sites", "Links", "Friends of the blog", "Useful links",
    "widget: Blogroll", "Sites I love",
)
SIDEBAR_RIGHT: tuple[str, ...] = ("Archives", "Categories", "Recent Posts", "Tags", "Meta")
COMMENT_LEFT: tuple[str, ...] = (
    "Reply", "Posted by", "Comment by", "Leave a comment", "12 comments", "Reply ↓",
)
COMMENT_RIGHT: tuple[str, ...] = (
    "says: Great post, thanks for sharing!", "says: Very informative article, bookmarked.",
    "says: I totally agree with you. Reply", "says: Nice blog, keep it up! Reply",
    "says: Thanks, this helped me a lot.", "on March 3, 2021 at 4:12 pm Reply",
)
SIGNATURE_LEFT: tuple[str, ...] = (
    "--", "My site:", "Check out my", "Signature:", "__________________", "Visit my website:",
)
SIGNATURE_RIGHT: tuple[str, ...] = ("| Visit my blog", "- best regards", "(my site)", "", "Cheers")
FORUM_LEFT: tuple[str, ...] = (
    "Posted by", "Quote", "I'd recommend", "Have a look at", "Reply #3", "We switched to",
    "Personally I use",
)
FORUM_RIGHT: tuple[str, ...] = (
    "worked for me.", "- hope this helps!", "Reply", "Edited", "no affiliation, just a happy user.",
    "Upvote",
)
DIRECTORY_LEFT: tuple[str, ...] = ("Website:", "Listing:", "Title:", "URL:", "Visit:")
DIRECTORY_RIGHT: tuple[str, ...] = (
    "Description: Quality products and services.", "Category: Business", "Hits: 12",
    "Added: 2019-04-02", "Rating: 0 votes", "Featured listing",
)
PRESS_LEFT: tuple[str, ...] = (
    "About", "Media contact:", "For more information, visit", "This post is sponsored by",
    "Sponsored by", "In partnership with",
)
PRESS_RIGHT: tuple[str, ...] = (
    "is a leading provider of", "Sponsored", "(sponsored)", "Paid partnership", "# # #",
)
WIKI_LEFT: tuple[str, ...] = ("Official website", "External links", "References", "Retrieved from")
WIKI_RIGHT: tuple[str, ...] = (
    "Retrieved 2023-03-12.", "Archived from the original on", "(in English)", "Official site",
)
SOCIAL_LEFT: tuple[str, ...] = ("Check out", "Loving", "New post:", "via", "Just tried", "Thread:")
SOCIAL_RIGHT: tuple[str, ...] = ("Highly recommend!", "thoughts?", "(link in bio)", "", "👏")
RESOURCE_LEFT: tuple[str, ...] = (
    "Useful resources:", "Recommended:", "External links", "Further reading:", "Local services:",
)
RESOURCE_RIGHT: tuple[str, ...] = (
    "- a helpful guide.", "(external site)", "opens in new window", "", "(free)",
)
SCRAPER_LEFT: tuple[str, ...] = ("Source:", "Read more at", "Originally published at", "via")
SCRAPER_RIGHT: tuple[str, ...] = ("Read more", "...", "[…]", "Continue reading")
FARM_RIGHT: tuple[str, ...] = ("|", "| More links", "»", "| Next page", "-")

# --- Foreign languages -------------------------------------------------------------------------
# The target sites are English; foreign sources are either legitimately relevant (a German review
# of an English product, a Polish distributor) or irrelevant spam.

LANGUAGES: tuple[str, ...] = ("ru", "zh", "pl", "id", "de", "es", "fr")
LANG_COUNTRIES: dict[str, tuple[str, ...]] = {
    "ru": ("RU", "RU", "RU", "UA", "KZ", "BY"),
    "zh": ("CN", "CN", "CN", "HK", "TW", "SG"),
    "pl": ("PL",),
    "id": ("ID",),
    "de": ("DE", "DE", "AT", "CH"),
    "es": ("ES", "MX", "AR", "CO", "CL"),
    "fr": ("FR", "FR", "BE", "CA", "CH"),
}
LANG_TLDS: dict[str, tuple[str, ...]] = {
    "ru": ("ru", "ru", "com", "net", "su", "xn--p1ai", "org", "info"),
    "zh": ("cn", "com.cn", "com", "net", "top", "xyz", "cc"),
    "pl": ("pl", "pl", "com.pl", "com", "net", "eu"),
    "id": ("id", "co.id", "com", "net", "xyz", "web.id"),
    "de": ("de", "de", "com", "net", "at", "ch", "info"),
    "es": ("es", "com", "com.mx", "net", "org", "com.ar"),
    "fr": ("fr", "fr", "com", "net", "be"),
}
LANG_NAME_WORDS: dict[str, tuple[str, ...]] = {
    "ru": (
        "avto", "zapchasti", "kino", "igry", "skachat", "besplatno", "novosti", "moskva", "remont",
        "kvartira", "stroy", "market", "zdorovie", "dom", "sad", "rybalka", "muzyka", "piter",
    ),
    "zh": (
        "shouji", "youxi", "dianying", "xiazai", "wang", "tianxia", "jiaoyu", "zixun", "keji",
        "huaxia", "meishi", "lvyou", "gouwu", "qiche", "fangchan", "tiyu", "8888", "520",
    ),
    "pl": (
        "tanie", "kredyty", "forum", "auto", "dom", "ogrod", "zdrowie", "wiadomosci", "sklep",
        "przepisy", "budowa", "moto", "poradnik", "gry", "praca", "ogloszenia", "portal",
    ),
    "id": (
        "berita", "resep", "slot", "gacor", "toko", "murah", "info", "kabar", "wisata", "bola",
        "terkini", "rumah", "obat", "sehat", "cerita", "mahjong", "88", "jitu",
    ),
    "de": (
        "auto", "versicherung", "vergleich", "ratgeber", "haus", "garten", "gesund", "reisen",
        "kochen", "technik", "welt", "markt", "portal", "handwerk", "tipps", "magazin",
    ),
    "es": (
        "noticias", "recetas", "coches", "salud", "viajes", "casa", "juegos", "dinero",
        "prestamos", "futbol", "musica", "hogar", "tienda", "guia", "mundo", "diario",
    ),
    "fr": (
        "actu", "recettes", "voiture", "sante", "voyage", "maison", "jeux", "argent", "bricolage",
        "mode", "blog", "info", "conseils", "monde", "journal",
    ),
}
# Titles of foreign pages whose topic has nothing to do with any target site.
LANG_IRRELEVANT_TITLES: dict[str, tuple[str, ...]] = {
    "ru": (
        "Купить автозапчасти недорого в Москве", "Скачать игры бесплатно без регистрации",
        "Смотреть фильмы онлайн в хорошем качестве", "Ремонт квартир под ключ",
        "Новости дня — главные события", "Рыбалка и охота: форум", "Займы онлайн на карту",
    ),
    "zh": (
        "最新电影在线观看", "手机游戏下载排行榜", "汽车报价大全", "房产资讯 - 新房二手房",
        "美食菜谱大全", "旅游攻略与景点推荐", "体育新闻直播",
    ),
    "pl": (
        "Tanie kredyty bez BIK", "Najlepsze przepisy na obiad", "Ogłoszenia motoryzacyjne",
        "Forum budowlane - budowa domu", "Wiadomości z kraju i ze świata", "Praca za granicą",
    ),
    "id": (
        "Situs Slot Gacor Hari Ini", "Resep Masakan Sederhana", "Berita Terkini Hari Ini",
        "Prediksi Bola Malam Ini", "Tempat Wisata Terbaik di Bali", "Obat Herbal Alami",
    ),
    "de": (
        "Günstige Autoversicherung vergleichen", "Rezepte für jeden Tag",
        "Gartentipps für Anfänger", "Reiseberichte aus Europa", "Handwerker in Ihrer Nähe",
        "Kredit ohne Schufa",
    ),
    "es": (
        "Recetas fáciles para cenar", "Noticias de fútbol hoy", "Préstamos rápidos online",
        "Viajes baratos por Europa", "Trucos para el hogar", "Juegos gratis online",
    ),
    "fr": (
        "Recettes faciles pour le soir", "Actualités du jour", "Voyages pas chers",
        "Conseils bricolage maison", "Jeux gratuits en ligne", "Crédit rapide en ligne",
    ),
}
# Title templates of relevant foreign pages: {topic} is the site's topic in that language.
LANG_RELEVANT_TITLES: dict[str, tuple[str, ...]] = {
    "ru": ("Лучшие {topic} в {year} году", "Обзор {brand}: {topic}", "{topic}: полное руководство"),
    "zh": ("{year}年最佳{topic}", "{brand}评测：{topic}", "{topic}完全指南"),
    "pl": ("Najlepsze {topic} w {year}", "Recenzja {brand} - {topic}", "Poradnik: {topic}"),
    "id": ("{topic} Terbaik {year}", "Review {brand}: {topic}", "Panduan {topic}"),
    "de": ("Die besten {topic} im Test {year}", "{brand} im Überblick", "Ratgeber: {topic}"),
    "es": ("Las mejores {topic} de {year}", "Análisis de {brand}", "Guía de {topic}"),
    "fr": ("Les meilleurs {topic} en {year}", "Avis sur {brand}", "Guide : {topic}"),
}
LANG_GENERIC_ANCHORS: dict[str, tuple[str, ...]] = {
    "ru": ("здесь", "ссылка", "подробнее", "сайт", "источник", "тут"),
    "zh": ("这里", "点击这里", "官网", "链接", "网站", "来源"),
    "pl": ("tutaj", "link", "strona", "źródło", "więcej", "kliknij tutaj"),
    "id": ("di sini", "klik di sini", "sumber", "situs", "selengkapnya", "tautan"),
    "de": ("hier", "Link", "Webseite", "Quelle", "mehr erfahren", "hier klicken"),
    "es": ("aquí", "enlace", "sitio web", "fuente", "más información", "haz clic aquí"),
    "fr": ("ici", "lien", "site", "source", "en savoir plus", "cliquez ici"),
}
LANG_SPAM_ANCHORS: dict[str, tuple[str, ...]] = {
    "ru": (
        "казино онлайн", "купить виагру", "порно видео", "займ без отказа", "ставки на спорт",
        "интим знакомства",
    ),
    "zh": ("网上赌场", "六合彩", "成人视频", "网赌平台", "澳门赌场", "彩票平台"),
    "pl": ("kasyno online", "chwilówki bez BIK", "tanie leki bez recepty", "zakłady bukmacherskie"),
    "id": ("slot gacor", "judi online", "situs togel", "slot88", "bandar bola", "agen slot"),
    "de": ("Online Casino Bonus", "Viagra kaufen", "Kredit ohne Schufa", "Sportwetten Bonus"),
    "es": ("casino en línea", "comprar viagra", "préstamos rápidos", "apuestas deportivas"),
    "fr": ("casino en ligne", "acheter viagra", "crédit rapide", "paris sportifs"),
}
LANG_LEFT: dict[str, tuple[str, ...]] = {
    "ru": ("Подробнее на сайте", "Источник:", "Смотрите также", "Ссылки:"),
    "zh": ("更多信息请访问", "来源：", "相关链接：", "友情链接："),
    "pl": ("Więcej na stronie", "Źródło:", "Zobacz także", "Linki:"),
    "id": ("Baca selengkapnya di", "Sumber:", "Lihat juga", "Tautan:"),
    "de": ("Mehr dazu bei", "Quelle:", "Siehe auch", "Links:"),
    "es": ("Más información en", "Fuente:", "Ver también", "Enlaces:"),
    "fr": ("Plus d'infos sur", "Source :", "Voir aussi", "Liens :"),
}
LANG_RIGHT: dict[str, tuple[str, ...]] = {
    "ru": ("— отличный ресурс.", "читать далее", "", "Ответить"),
    "zh": ("。", "阅读更多", "", "回复"),
    "pl": ("- polecam.", "czytaj dalej", "", "Odpowiedz"),
    "id": ("- sangat membantu.", "baca juga", "", "Balas"),
    "de": ("- sehr empfehlenswert.", "weiterlesen", "", "Antworten"),
    "es": ("- muy recomendable.", "leer más", "", "Responder"),
    "fr": ("- à recommander.", "lire la suite", "", "Répondre"),
}
# Affixes that turn a taken domain name into a free one, the way people do ("the", "blog"...).
NAME_PREFIXES: tuple[str, ...] = ("the", "my", "get", "go", "our", "hey")
NAME_SUFFIXES: tuple[str, ...] = (
    "blog", "online", "hq", "hub", "now", "central", "site", "home", "co", "world", "web", "life",
)
# fmt: on


def by_language(table: Mapping[str, T]) -> list[T]:
    """A per-language table (``LANG_*``) as a list in :data:`LANGUAGES` order.

    Row ``i`` is language ``i``, so the list can be indexed by a domain's language index (the
    groups :func:`pipeline.world.sampling.pick_by` draws from).
    """
    return [table[code] for code in LANGUAGES]
