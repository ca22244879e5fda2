"""The `useragent` struct Wikimedia's Refine derives from the user-agent header.

ua-parser (uap-core regexes) gives browser, OS and device; unknown values are `-` as in
refinery's UAParser. `is_bot` = device family `Spider`, or device family `Other` and the user
agent matches refinery's spider pattern (which also implements the Wikimedia User-Agent policy:
an e-mail address or a tool URL marks an automated client). `is_mediawiki` = the user agent
contains "mediawiki" (any case). Results are cached: real traffic repeats user agents a lot.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ua_parser import parse

UNKNOWN = "-"

_SPIDER = re.compile(
    r"(?i)^("
    r".*(bot|spider|WordPress|AppEngine|AppleDictionaryService|Python-urllib|python-requests"
    r"|Google-HTTP-Java-Client|[Ff]acebook|[Yy]ahoo|RockPeaks|PhantomJS|http).*"
    r"|(goo wikipedia|MediaWikiCrawler-Google|wikiwix-bot|Java/|curl|PHP/|Faraday|HTTPC|Ruby"
    r"|\.NET|Python|Apache|Scrapy|PycURL|libwww|Zend|wget|nodemw|WinHttpRaw|Twisted"
    r"|com\.eusoft|Lagotto|Peggo|Recuweb|check_http|Magnus|MLD|Jakarta|find-link|J\. River"
    r"|projectplan9|ADmantX|httpunit|LWP|iNaturalist|WikiDemo|FSResearchIt|livedoor"
    r"|Microsoft Monitoring|MediaWiki|User:|User_talk:|github|tools.wmflabs.org"
    r"|Blackboard Safeassign|Damn Small XSS|\S+@\S+\.[a-zA-Z]{2,3}).*"
    r")$"
)
_WMF_APP = re.compile(r"WikipediaApp/([^ ]+)")


def is_spider(user_agent: str) -> bool:
    """refinery's spider test: `-` or a match of the spider pattern."""
    return user_agent == "-" or _SPIDER.search(user_agent) is not None


@lru_cache(maxsize=20_000)
def parse_user_agent(user_agent: str) -> dict[str, Any]:
    """The `useragent` struct for one user-agent string."""
    result = parse(user_agent)
    browser, os, device = result.user_agent, result.os, result.device
    device_family = device.family if device else "Other"
    app = _WMF_APP.search(user_agent)
    return {
        "browser_family": browser.family if browser else "Other",
        "browser_major": (browser.major if browser else None) or UNKNOWN,
        "browser_minor": (browser.minor if browser else None) or UNKNOWN,
        "device_family": device_family,
        "is_bot": device_family == "Spider" or (device_family == "Other" and is_spider(user_agent)),
        "is_mediawiki": "mediawiki" in user_agent.lower(),
        "os_family": os.family if os else "Other",
        "os_major": (os.major if os else None) or UNKNOWN,
        "os_minor": (os.minor if os else None) or UNKNOWN,
        "wmf_app_version": app.group(1) if app else UNKNOWN,
    }
