"""Word lists and host lists behind the lexical features, kept in one place so they can be audited.

Every list here is small, hand-curated and documented: a reviewer who disagrees with a flag can
find the word that raised it. Lists are tuples/frozensets (immutable module data, not state).
"""

from __future__ import annotations

from features.platforms import PATH_HOSTS, SUBDOMAIN_HOSTS

# --- Hosts ----------------------------------------------------------------------------------------

# URL shorteners: a backlink from (or through) one hides where the link really comes from.
SHORTENERS: frozenset[str] = frozenset(
    {
        "bit.ly", "t.co", "goo.gl", "tinyurl.com", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
        "cutt.ly", "shorturl.at", "tiny.cc", "bl.ink", "t.ly", "rb.gy", "s.id", "v.gd", "lnkd.in",
        "adf.ly", "shorte.st", "bc.vc", "soo.gd", "x.co", "mcaf.ee", "su.pr", "db.tt", "qr.ae",
        "po.st", "short.io", "tr.im", "clck.ru", "u.to", "amzn.to", "fb.me", "dlvr.it", "trib.al",
        "lnk.to", "shorturl.com", "2.gy", "ouo.io", "linktr.ee", "tinyurl.is", "bitly.com",
    }
)  # fmt: skip

# Free hosting / blog platforms where anyone gets a site in a minute: cheap to spin up, hence the
# classic home of throw-away link sites. The maintained, documented list is features/platforms.py;
# every user site on them is its own referring domain, as SEO tools count them.
FREE_HOSTS: frozenset[str] = SUBDOMAIN_HOSTS | PATH_HOSTS

# TLDs correlated with spam. Moz names .info, .cc and .pl among its Spam Score flags; the rest are
# the usual suspects of Spamhaus-style "most abused TLD" lists and of cheap-registration promotions.
SPAM_TLDS: frozenset[str] = frozenset(
    {
        "info", "cc", "pl", "xyz", "top", "click", "loan", "work", "site", "online", "icu", "buzz",
        "pw", "tk", "ml", "ga", "cf", "gq", "biz", "club", "space", "website", "fun", "monster",
        "rest", "bar", "cam", "uno", "win", "bid", "stream", "download", "racing", "review",
        "party", "trade", "date", "faith", "science", "accountant", "cricket", "men", "kim",
        "country", "gdn", "host", "press", "su", "ws", "link", "casa", "cyou", "sbs", "cfd",
        "quest",
        "lol", "mom", "autos", "beauty", "hair", "makeup", "skin", "boats", "yachts", "zip", "mov",
    }
)  # fmt: skip

# --- Spam verticals ("poison words") --------------------------------------------------------------

VERTICALS: tuple[str, ...] = ("pharma", "gambling", "adult", "loans", "seo")

# Whole-word patterns for free text (anchors, titles, URL words). Written as regex alternations.
SPAM_TEXT_PATTERNS: dict[str, str] = {
    "pharma": (
        r"viagra|cialis|levitra|kamagra|tramadol|xanax|valium|ambien|oxycodone|adderall|"
        r"phentermine|propecia|clomid|sildenafil|tadalafil|pharmacy|pharma|pills?|meds|"
        r"steroids|online\s+drugstore|drugstore|rx|cbd|cannabis|kratom|виагра|сиалис|аптека"
    ),
    "gambling": (
        r"casinos?|poker|slots?|gambling|betting|bets?|sportsbook|roulette|blackjack|jackpot|"
        r"baccarat|bookmakers?|togel|judi|gacor|lottery|bingo|1xbet|bet365|free\s+spins|"
        r"kasino|apuestas|wetten|scommesse|казино|ставки|букмекер\w*|слоты"
    ),
    "adult": (
        r"porn|porno|xxx|sex|sexy|escorts?|nude|nudes|camgirls?|webcams?|hentai|milf|hookups?|"
        r"adult\s+(?:videos?|dating|chat|site)|порно|секс|проститутки"
    ),
    "loans": (
        r"loans?|payday|lenders?|cash\s+advance|bad\s+credit|credit\s+repair|quick\s+cash|"
        r"fast\s+cash|debt\s+consolidation|mortgages?|refinanc\w*|title\s+loans?|займы?|микрозайм\w*"
    ),
    "seo": (
        r"seo|backlinks?|link\s+building|pbn|guest\s+posts?|dofollow|buy\s+links|"
        r"website\s+traffic|buy\s+traffic|serp|web\s+directory|article\s+directory|"
        r"submit\s+(?:your\s+)?(?:site|url|link)"
    ),
}

# Substrings for squashed domain names ("cheapviagrapills4u"), where word boundaries are gone. Short
# ambiguous words ("sex" in "essex", "bet" in "alphabet", "seo" in "seoul") are avoided or guarded.
SPAM_NAME_PATTERNS: dict[str, str] = {
    "pharma": r"viagra|cialis|levitra|kamagra|pharma|pills|tramadol|xanax|drugstore|sildenafil",
    "gambling": r"casino|poker|slots|gambl|betting|sportsbook|roulette|blackjack|jackpot|togel|"
    r"judi|gacor|bet365|1xbet",
    "adult": r"porn|xxx|sexy|escort|nude|hentai|camgirl|milf|sexcam|webcams",
    "loans": r"loan|payday|lender|cashadvance|badcredit|creditrepair|quickcash|fastcash|debt|"
    r"mortgage",
    "seo": r"seo(?:[^u]|$)|backlink|linkbuild|pbn|rankboost|traffic|serp|guestpost|directory|"
    r"submit|dofollow",
}

# --- Anchor vocabulary ----------------------------------------------------------------------------

# Commercial intent: the words SEOs put in anchors when they chase a keyword ranking.
COMMERCIAL_WORDS: frozenset[str] = frozenset(
    {
        "buy", "cheap", "cheapest", "best", "top", "price", "prices", "pricing", "discount",
        "discounts", "deal", "deals", "sale", "sales", "online", "shop", "shops", "store", "order",
        "hire", "review", "reviews", "affordable", "coupon", "coupons", "promo", "services",
        "service", "company", "companies", "agency", "agencies", "software", "tool", "tools",
        "vs", "compare", "comparison", "wholesale", "supplier", "suppliers", "professional",
        "quote", "quotes", "cost", "costs", "rent", "rental", "rentals", "booking", "book",
        "free", "trial", "download", "near", "expert", "experts", "provider", "providers",
        "solutions", "platform", "app", "apps", "course", "courses", "deliver", "delivery",
        "purchase", "outlet", "vendor", "vendors", "consultant", "consultants", "lawyer",
        "lawyers", "dentist", "plumber", "insurance", "hosting", "shipping", "kaufen", "comprar",
        "acheter", "günstig", "barato", "купить", "дешево",
    }
)  # fmt: skip

# Anchors that say nothing about the target ("click here"): natural, not manipulative.
GENERIC_ANCHORS: frozenset[str] = frozenset(
    {
        "click here", "here", "click", "website", "this website", "web site", "site", "this site",
        "the site", "read more", "more", "learn more", "visit", "visit website", "visit site",
        "visit the site", "link", "this link", "source", "homepage", "home page", "home", "go",
        "check it out", "more info", "more information", "details", "continue reading",
        "official site", "official website", "web", "page", "this page", "this", "view", "article",
        "this article", "see more", "find out more", "go to site", "www", "url", "via", "there",
        "click this", "see here", "look here", "read", "read here", "full story", "original",
        "original article", "blog", "post", "this post", "their website", "their site", "hier",
        "ici", "aquí", "здесь", "тут", "сайт", "[link]", "(link)", "download", "info",
    }
)  # fmt: skip

# Word-like phrasing that makes an anchor a sentence rather than a targeted keyword.
SENTENCE_WORDS: frozenset[str] = frozenset(
    {
        "the", "a", "an", "this", "that", "these", "those", "is", "are", "was", "were", "be",
        "been", "i", "you", "we", "they", "he", "she", "it", "my", "your", "our", "their", "his",
        "her", "its", "and", "or", "but", "if", "so", "because", "about", "from", "by", "with",
        "which", "who", "what", "when", "how", "why", "where", "there", "here", "have", "has",
        "had", "do", "does", "did", "can", "could", "should", "would", "will", "some", "any",
        "all", "just", "very", "really", "also", "not", "no", "at", "on", "as", "into", "after",
        "before", "than", "then", "like",
    }
)  # fmt: skip

# Function words dropped before topical comparison (plus URL furniture such as "html", "www").
STOP_WORDS: frozenset[str] = SENTENCE_WORDS | frozenset(
    {
        "for", "of", "to", "in", "me", "us", "our", "out", "up", "new", "more", "most", "one",
        "two", "get", "got", "use", "using", "make", "made", "www", "http", "https", "html", "htm",
        "php", "asp", "aspx", "jsp", "cgi", "index", "com", "net", "org", "page", "pages", "post",
        "posts", "tag", "tags", "category", "categories", "amp", "utm", "ref", "id", "default",
        "home", "homepage", "site", "website", "web", "blog", "click", "here", "read", "link",
        "links", "views", "view", "via", "and", "the", "you", "your", "are", "was", "not", "but",
        "der", "die", "das", "und", "les", "des", "una", "del", "los", "las", "por", "para",
        "mit", "sur", "pour", "con", "che", "per",
    }
)  # fmt: skip

# Words that say nothing about what a page is about: headline filler, commerce and web furniture
# found on every kind of page, spam included ("Best Price", "Buy Cheap ... Online"). Relevance
# ignores them, so they neither make a page look on-topic nor off-topic.
GENERIC_WORDS: frozenset[str] = frozenset(
    {
        "best", "top", "guide", "guides", "tips", "tricks", "review", "reviews", "news", "today",
        "latest", "ideas", "ways", "things", "great", "good", "better", "ultimate", "complete",
        "easy", "simple", "options", "year", "years", "week", "weeks", "day", "days", "time",
        "times", "first", "last", "next", "every", "ever", "world", "article", "articles", "story",
        "stories", "update", "updates", "official", "online", "free", "cheap", "buy", "sale",
        "deal", "deals", "price", "prices", "discount", "offer", "offers", "order", "hot",
        "instant", "fast", "quick", "list", "lists", "info", "information", "welcome", "contact",
        "search", "download", "downloads", "login", "account", "share", "comment", "comments",
        "reply", "archive", "archives", "author", "images", "image", "uploads", "content",
        "includes", "wp", "feed", "rss", "print", "full", "now", "without", "within", "near",
        "want", "need", "know", "look", "looking", "find", "see", "say", "says", "said", "thing",
        "many", "much", "other", "others", "own", "same", "way", "really", "still", "even",
    }
)  # fmt: skip

# --- Page position hints (from the text around the link) ------------------------------------------

# Literal, lower-case phrases searched in the left/right context of a link.
POSITION_HINTS: dict[str, tuple[str, ...]] = {
    "footer": (
        "©", "(c) 20", "copyright", "all rights reserved", "powered by", "partners", "sponsors",
        "sponsored by", "designed by", "theme by", "privacy policy", "terms of use",
    ),
    "sidebar": (
        "blogroll", "recommended sites", "widget", "links", "friends", "useful sites",
        "resources", "partner sites", "our partners", "related sites", "sidebar",
    ),
    "comment": (
        "says:", "reply", "posted by", "comment", "wrote:", "responded", "permalink",
        "log in to reply", "said:",
    ),
    "signature": (
        "--", "my site", "check out my", "signature", "my blog", "my website", "visit my",
        "regards", "cheers,", "sent from",
    ),
}  # fmt: skip

# Source pages that exist to carry links: link directories and paid/guest-post pages.
DIRECTORY_PATTERN = (
    r"(?:^|[^a-z])(?:links?|directory|directories|resources|partners|friends|blogroll|"
    r"link-?exchange|add-?url|submit-?(?:site|url|link)|web-?directory|link-?partners|"
    r"useful-?links|bookmarks?)(?:[^a-z]|$)"
)
GUEST_POST_PATTERN = (
    r"guest[\s_-]?post|write[\s_-]?for[\s_-]?us|sponsored[\s_-]?post|submit[\s_-]?(?:a[\s_-]?)?"
    r"(?:guest[\s_-]?)?(?:post|article)|contribute|paid[\s_-]?post|advertorial|press[\s_-]?release"
)

# --- A compact English dictionary -----------------------------------------------------------------

# Common words (3+ letters) seen in real domain names: used to measure how much of a domain name
# is made of words ("bestgardentools" is all words, "xkq7zt" none). Deliberately small: it only
# needs to tell wordy names from random strings.
COMMON_WORDS: frozenset[str] = frozenset(
    """
    able about above access account acme act action active actual add address admin advance
    advice after again age agency agent air all alpha also always amazing america american among
    analytics and angel animal answer any app apple apps area arm around art article artist arts
    asia ask auto autos award away baby back bad bag bake baker bakery ball band bank bar base
    basic bay beach bear beauty bed bee before begin being bell best better big bike bill bird
    birth bit black blog blogger blue board boat body book books boost born boss both bottle box
    boy brain brand bread break bridge bright bring broad brother brown budget build builder
    building bus business busy buy buyer cafe cake call camp campus can car card care career cars
    case cash cat catch cause cell center central chain chair change channel chart cheap check
    chef chicken child children china choice church city class classic clean clear click client
    climb clinic clock close cloud club coach coast code coffee cold college color come comfort
    common community company compare complete computer consult control cook cool copy core corner
    cost country county couple course court cover craft crazy create creative credit crew cross
    crowd culture cup custom customer cut cyber daily dance dark data date day dead deal dear
    decor deep deli delta dental design desk detail develop device diet digital dinner direct
    discount doctor dog dollar door double down dream dress drink drive driver drop dry duck
    each earth east easy eat eco edge edit education effect egg eight electric elite email end
    energy engine english enjoy enter entry equal estate euro even event ever every exact exam
    example expert express extra eye face fact factory fair faith fall family famous fan far farm
    fashion fast father feed feel fest field file film final finance find fine fire firm first
    fish fit fitness five fix flag flash fleet flight floor flow flower fly focus folk food foot
    force forest forever form forum forward four frame free fresh friend friends front fruit fuel
    full fun fund funny future gadget gallery game games garage garden gas gate gear general
    gift girl give glass global gold golf good grace grand graph great green grid ground group
    grow growth guard guest guide guitar guru hair half hall hand happy harbor hard head health
    heart heat help hero high hill hire history hobby hold holiday home honey hope horse host
    hot hotel hour house hub human hunt idea image impact inc index info inn inside insight
    insure iron island item jack jet job jobs join journal journey joy juice jump just keep key
    kid kids kind king kit kitchen know lab labs lady lake land language large last law lawn
    lead leader learn legal lemon less level life light like lime line link links lion list
    little live living loan local lock logic long look loop lord lost lot love low luck lucky
    machine made magic mail main maker mall man map market marketing master match matrix max
    media medical meet member men menu metal metro micro middle mile milk mind mini mint mirror
    mobile mode model modern money monkey month moon more morning mother motor mountain mouse
    move movie much music my name nation native natural nature near need net network new news
    next nice night nine noble north note nova now number nurse oak ocean office oil old one
    online only open option orange order organic origin other out outdoor owl own pack page
    paint palm pan paper park part partner party pass past path pay peace peak pen people pepper
    perfect pet phone photo photos piano pick picture piece pilot pine pink pixel pizza place
    plan planet plant play player plaza plus pocket point polar pop port post power press price
    prime print pro product profit project proof property prop pure purple quality quest quick
    quiet race radio rain rank rapid rate raw ready real record red rent repair report research
    rest review rich ride right ring rise river road rock roof room root rose round route royal
    rule run rush safe sail sale salt same sand save say scene school science score sea search
    season seat second secret secure see seed sell send senior sense service set seven shade
    shape share sharp shell shield shine ship shirt shoe shoes shop shopping short show side sign
    signal silver simple single site six size skill skin sky sleep slim small smart smile smith
    snow soft solar solid solution son song soul sound source south space spark speed spirit
    sport sports spot spring square staff stage star start state station stay steel step stock
    stone stop store storm story street strong studio study style success sugar summer sun super
    supply support sure surf sweet swift system table tag tail take talent talk tall task taste
    tax tea teach team tech techno ten tennis test text thank theme thing think three tiger time
    tiny tip tips today tool tools top total touch tour tower town toy track trade trail train
    travel tree trend trip true trust truth turn twin two type ultra union unit united universe
    up urban use user valley value van vast vegan venture very video view village vintage vision
    visit vita voice vote wall war warm watch water wave way wealth wear web week weight well
    west wheel white whole wide wild win wind window wine wing winter wire wise wolf woman women
    wood word work works world worth write writer yard year yellow yes yoga young your youth zen
    zero zone bestsellers organic wellness review reviews coupon coupons deals outlet store
    stores shopping fitness holiday vacation rental rentals insurance hosting software academy
    consulting solutions services systems digital marketing creative design studio media group
    clinic dental legal realty homes home estate properties capital finance invest money wealth
    crypto coin trade trading market shop boutique fashion beauty style health care medical
    pharmacy casino poker slots bet betting loan loans payday credit cash seo backlink backlinks
    traffic rank ranking directory submit guest porn sexy escort dating adult pills
    """.split()  # noqa: SIM905 - a block of words reads better than a 900-item list
)
