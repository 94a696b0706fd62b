"""Reading a rendered page as text, for the timeline and coordination page tests."""

import html
import re

from django.test import Client


def page_text(client: Client, path: str, *, status: int = 200, **params: str) -> str:
    """The page's visible text, whitespace collapsed, entities decoded, followed by the
    SVG's ``aria-label``s (the chart's marks described, read by screen readers)."""
    response = client.get(path, params)
    assert response.status_code == status, response.content.decode()[:2000]
    body = response.content.decode()
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', body))
    # Inline elements join their neighbours' text; any other tag separates words.
    inline = re.sub(r"</?(?:a|strong|span|cite|em|time|code|abbr)\b[^>]*>", "", body)
    text = re.sub(r"<[^>]+>", " ", inline)
    return " ".join(html.unescape(f"{text} {labels}").split())
