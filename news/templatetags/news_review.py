"""The review queue's group headings: the article a run of candidates comes from, as a
row of its own above them (a column of it would take the width the evidence needs)."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from news.admin.display import dated

register = template.Library()


@register.simple_tag
def article_heading(changelist: Any, index: int, columns: int) -> SafeString:
    """A heading row for the article whose candidates start at row ``index`` of the
    page (see ``news.admin.candidates.QueueChangeList``); nothing for other rows."""
    candidate = changelist.result_list[index]
    if not getattr(candidate, "starts_group", False):
        return SafeString("")
    article = candidate.article
    published = dated(article.published_on, "day") if article.published_on else "no date given"
    return format_html(
        '<tr class="article-group"><th colspan="{}"><a href="{}">{}</a>'
        '<span class="article-meta">{}</span></th></tr>',
        columns,
        reverse("admin:news_article_change", args=[article.pk]),
        article.title or "(no title)",
        " · ".join(filter(None, [article.publisher, published])),
    )
