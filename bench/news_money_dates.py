"""Benchmark of the money and date finders (a script, not a test).

It reads every ``*.txt`` in a folder (the seed articles in ``../shared/fixtures/news`` by
default) and times, over the whole text of each article, ``find_money`` and
``find_dates`` with ``--published`` as the publication date. Dates are timed twice: with
dateparser's results cleared before each pass ("cold", what a new article costs) and
kept ("warm", what a second look at the same dates costs). dateparser's one-time start
(its language data, about 0.1 s) is paid before timing. Each figure is the best of
``--repeat`` passes of CPU time, in milliseconds per article. It ends with one JSON line.

Run from the project root::

    .venv/bin/python bench/news_money_dates.py
    .venv/bin/python bench/news_money_dates.py ../shared/fixtures/news --published 2025-07-10
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "news"


def best_ms_per_article(
    texts: list[str],
    work: Callable[[str], object],
    *,
    repeat: int,
    before: Callable[[], object] = lambda: None,
) -> float:
    best = float("inf")
    for _ in range(repeat):
        before()
        started = time.process_time()
        for text in texts:
            work(text)
        best = min(best, time.process_time() - started)
    return best * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--published", type=dt.date.fromisoformat, default=dt.date(2025, 7, 10))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    # The project's packages, not bench/'s scripts: bench/news.py would hide the news package.
    sys.path[:] = [str(HERE.parent), *(p for p in sys.path if p and Path(p).resolve() != HERE)]
    from news.extraction import dates
    from news.extraction.dates import find_dates
    from news.extraction.money import find_money

    paths = sorted(args.folder.glob("*.txt"))
    if not paths:
        sys.exit(f"no *.txt articles in {args.folder}")
    texts = [path.read_text(encoding="utf-8") for path in paths]
    find_dates("on Jan. 3", published_on=args.published)  # dateparser's one-time start

    def money(text: str) -> object:
        return find_money(text)

    def when(text: str) -> object:
        return find_dates(text, published_on=args.published)

    figures = {
        "articles": len(texts),
        "money_ms": round(best_ms_per_article(texts, money, repeat=args.repeat), 3),
        "dates_cold_ms": round(
            best_ms_per_article(texts, when, repeat=args.repeat, before=dates._parse.cache_clear), 3
        ),
        "dates_warm_ms": round(best_ms_per_article(texts, when, repeat=args.repeat), 3),
    }
    found = sum(len(find_money(text)) for text in texts), sum(len(when(text)) for text in texts)
    print(f"{len(texts)} articles from {args.folder}: {found[0]} amounts, {found[1]} dates")
    # Other work on this 2-core machine slows every figure.
    print("load average: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    print(f"find_money:          {figures['money_ms']:.3f} ms per article")
    print(f"find_dates (cold):   {figures['dates_cold_ms']:.3f} ms per article")
    print(f"find_dates (warm):   {figures['dates_warm_ms']:.3f} ms per article")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
