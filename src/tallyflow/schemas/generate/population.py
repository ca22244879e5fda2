"""Who sends events: wikis and their hosts, browser and crawler user agents, page titles, and
when in the (UTC) day people browse. Plain data plus the wiki -> host rule.
"""

from __future__ import annotations

DEFAULT_WIKIS: dict[str, float] = {
    "enwiki": 40, "dewiki": 8, "jawiki": 6, "frwiki": 6, "eswiki": 6, "ruwiki": 5, "itwiki": 4,
    "zhwiki": 3, "commonswiki": 3, "wikidatawiki": 3, "plwiki": 2, "ptwiki": 2, "nlwiki": 1.5,
    "arwiki": 1.5, "fawiki": 1, "svwiki": 1, "ukwiki": 1, "hewiki": 1, "enwiktionary": 1,
    "mediawikiwiki": 0.5, "metawiki": 0.5,
}  # fmt: skip
"""Rough shares of Wikimedia traffic per wiki (`generate.wikis` replaces them)."""

_SPECIAL_HOSTS = {
    "commonswiki": "commons.wikimedia.org",
    "metawiki": "meta.wikimedia.org",
    "specieswiki": "species.wikimedia.org",
    "wikidatawiki": "www.wikidata.org",
    "mediawikiwiki": "www.mediawiki.org",
    "foundationwiki": "foundation.wikimedia.org",
    "testwiki": "test.wikipedia.org",
}
_FAMILIES = (
    ("wiktionary", "wiktionary.org"),
    ("wikibooks", "wikibooks.org"),
    ("wikinews", "wikinews.org"),
    ("wikiquote", "wikiquote.org"),
    ("wikisource", "wikisource.org"),
    ("wikiversity", "wikiversity.org"),
    ("wikivoyage", "wikivoyage.org"),
    ("wiki", "wikipedia.org"),
)


def web_host(wiki: str, mobile: bool = False) -> str:
    """The host name of a wiki database name: `enwiki` -> `en.wikipedia.org` (`en.m.` on phones).

    Names outside Wikimedia's scheme are used as they are, with `.example.org` appended.
    """
    host = _SPECIAL_HOSTS.get(wiki)
    if host is None:
        for suffix, domain in _FAMILIES:
            if wiki.endswith(suffix) and len(wiki) > len(suffix):
                host = f"{wiki[: -len(suffix)].replace('_', '-')}.{domain}"
                break
        else:
            host = f"{wiki}.example.org"
    if mobile:
        first, _, rest = host.partition(".")
        if first == "www":
            return f"m.{rest}"
        return f"{first}.m.{rest}"
    return host


DESKTOP_AGENTS: tuple[tuple[str, float], ...] = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        40,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        12,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", 10),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15",
        12,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        14,
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", 4),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36",
        3,
    ),
)
MOBILE_AGENTS: tuple[tuple[str, float], ...] = (
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        38,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36",
        45,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
        10,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.6 Mobile/15E148 Safari/604.1",
        7,
    ),
)
BOT_AGENTS: tuple[tuple[str, float], ...] = (
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 35),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 20),
    ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", 8),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        12,
    ),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 10),
    ("python-requests/2.32.3", 8),
    ("curl/8.5.0", 4),
    ("Wget/1.21.4", 3),
)
"""Crawlers and scripts (ua-parser marks the crawlers as device family `Spider`)."""

PAGE_TITLES = (
    "Main_Page", "Albert_Einstein", "Python_(programming_language)", "Wikipedia", "Moon",
    "World_War_II", "United_States", "Special:Search", "Taylor_Swift", "Climate_change",
    "COVID-19_pandemic", "Barack_Obama", "India", "Cleopatra", "Photosynthesis",
    "Help:Contents", "Wikipedia:Sandbox", "Template:Cite_web", "Category:Living_people",
    "Talk:Moon", "User:Example", "List_of_countries_by_population", "Mount_Everest", "Jazz",
)  # fmt: skip
NAMESPACES = ((0, 80.0), (1, 4.0), (2, 6.0), (4, 4.0), (10, 4.0), (14, 2.0))
"""Namespace ids of pages where events happen (article, talk, user, project, template,
category), with weights."""

HOURLY = (
    2.6, 2.2, 2.0, 2.0, 2.2, 2.6, 3.2, 3.8, 4.3, 4.6, 4.8, 4.9,
    5.0, 5.1, 5.2, 5.3, 5.4, 5.4, 5.3, 5.0, 4.6, 4.0, 3.4, 2.9,
)  # fmt: skip
"""Relative traffic per UTC hour (a global wiki's day: low around 02-04, high 15-18)."""
