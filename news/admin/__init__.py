"""The editors' review of the news: articles with their candidates' evidence marked, and
the queue of candidates to accept, edit, link or reject (see ``candidates.py``)."""

from news.admin import articles, candidates

__all__ = ["articles", "candidates"]
