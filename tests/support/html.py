"""Links in a page: every URL it references, and the ones that would reach another host."""

from html.parser import HTMLParser
from urllib.parse import urlsplit


class _LinkCollector(HTMLParser):
    ATTRS = {"src", "href", "action", "srcset", "data", "poster", "formaction"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.urls.append((tag, name, value))


def urls_in(html: str) -> list[tuple[str, str, str]]:
    """Every (tag, attribute, URL) on the page."""
    parser = _LinkCollector()
    parser.feed(html)
    return parser.urls


def foreign_urls(html: str) -> list[str]:
    """Every src/href/action on the page that would make the browser contact another host.

    tel:, sms: and mailto: links open the phone's own apps and contact no server.
    """
    found = []
    for _tag, _name, value in urls_in(html):
        parts = urlsplit(value.strip())
        if parts.scheme in ("tel", "sms", "mailto"):
            continue
        if parts.scheme or parts.netloc or value.strip().startswith("//"):
            found.append(value)
    return found
