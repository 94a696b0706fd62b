"""The pages' base view: parse the query string, answer from the cache while the ledger's
revision stands still, otherwise compute and render (then cache) the page.

A page is a subclass that names its template and builds its context from the validated
``PageQuery`` in ``page_context`` (raising ``Http404`` for an unknown id).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from ledger.selectors.revision import LedgerRevision, ledger_revision
from pages.caching import cached_page, normalised_params, page_key, store_page
from pages.forms import PARAMS, PageForm, PageQuery


class PageView(View):
    template_name = ""
    title = ""
    # The nav entry the page belongs to (overview, timeline, coordination).
    section = ""
    # Parameters of this page alone that change what it shows (the overview's ``by``).
    page_params: tuple[str, ...] = ()
    http_method_names = ["get", "head"]

    # The query string's parameters that the page reads, normalised (see pages.caching).
    params: dict[str, str]

    def page_context(self, query: PageQuery) -> dict[str, Any]:
        """What the template shows; ``self.kwargs`` holds the URL's arguments and
        ``self.params`` the page's own parameters (``page_params``)."""
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        revision = ledger_revision()
        given = normalised_params(request.GET, (*PARAMS, *self.page_params))
        # The page reads the parameters as its cache key has them, so two requests that
        # share a key (``currency=usd``, ``currency=USD``) show the same page.
        self.params = dict(given)
        key = page_key(path=request.path, params=given, revision=revision.key)
        cached = cached_page(key)
        if cached is not None:
            return HttpResponse(cached)
        form = PageForm(self.params)
        if not form.is_valid():
            # The page cannot be computed; the form shows what to correct.
            context = self.base_context(revision, form) | {"title": self.title}
            return render(request, "pages/invalid.html", context, status=400)
        context = self.base_context(revision, form) | self.page_context(form.query())
        response = render(request, self.template_name, context)
        store_page(key, response.content)
        return response

    def base_context(self, revision: LedgerRevision, form: PageForm) -> dict[str, Any]:
        return {
            "title": self.title,
            "section": self.section,
            "form": form,
            "revision": revision,
            # The page's own parameters ride along when the form is sent.
            "kept_params": [
                (name, self.params[name]) for name in self.page_params if name in self.params
            ],
        }
