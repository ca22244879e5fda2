import pytest

from tallyflow.store.useragent import is_spider, parse_user_agent

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)


def test_browser_user_agent() -> None:
    struct = parse_user_agent(CHROME)
    assert struct["browser_family"] == "Chrome"
    assert struct["browser_major"] == "120"
    assert struct["os_family"] == "Windows"
    assert struct["os_minor"] == "-"
    assert struct["is_bot"] is False and struct["is_mediawiki"] is False
    assert struct["wmf_app_version"] == "-"


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "MyTool/1.0 (https://example.org/tool; me@example.org) python-requests/2.31",
        "curl/8.5.0",
        "Wget/1.21",
    ],
)
def test_bots_by_device_family_or_spider_pattern(agent: str) -> None:
    assert parse_user_agent(agent)["is_bot"] is True


def test_dash_is_a_spider_and_mediawiki_is_flagged() -> None:
    assert is_spider("-")
    assert parse_user_agent("MediaWiki/1.42.0")["is_mediawiki"] is True


def test_wikipedia_app_version() -> None:
    struct = parse_user_agent("WikipediaApp/7.5.1.1234 (Android 13; Phone) Default Channel")
    assert struct["wmf_app_version"] == "7.5.1.1234"
    assert struct["is_bot"] is False
