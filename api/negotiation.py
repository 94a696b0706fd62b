from collections.abc import Iterable
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


class FormatFirstNegotiation(DefaultContentNegotiation):
    """``?format=csv`` asks for CSV whatever the Accept header says (a spreadsheet's
    download link, or curl sending ``Accept: application/json`` by habit). A ``?format=``
    the endpoint cannot give is a bad parameter, a 400 naming it: DRF's 404 would say the
    resource does not exist."""

    def select_renderer(
        self, request: Request, renderers: Iterable[Any], format_suffix: Any = None
    ) -> Any:
        name = self.settings.URL_FORMAT_OVERRIDE
        chosen = format_suffix or request.query_params.get(name)
        renderers = list(renderers)
        for renderer in renderers:
            if chosen and renderer.format == chosen:
                return renderer, renderer.media_type
        if chosen and not format_suffix:
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise ValidationError(
                {name: [f"{chosen} is not a format of this endpoint; use {formats}."]}
            )
        return super().select_renderer(request, renderers, format_suffix)
