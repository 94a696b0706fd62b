from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


class FormatFirstNegotiation(DefaultContentNegotiation):
    """``?format=csv`` asks for CSV whatever the Accept header says (a spreadsheet's
    download link, or curl sending ``Accept: application/json`` by habit)."""

    def select_renderer(
        self, request: Request, renderers: Iterable[Any], format_suffix: Any = None
    ) -> Any:
        chosen = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        renderers = list(renderers)
        for renderer in renderers:
            if chosen and renderer.format == chosen:
                return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
