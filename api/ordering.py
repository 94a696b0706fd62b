"""``?ordering=`` read strictly: DRF's OrderingFilter drops the fields it does not offer
and answers in its default order, so a typo looks like a sorted list. Here a field the
list does not offer is a 400 naming ``ordering`` and listing the fields it does."""

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request


class StrictOrderingFilter(OrderingFilter):
    def offered(self, queryset: QuerySet, view: Any, request: Request | None = None) -> list[str]:
        return [name for name, _ in self.get_valid_fields(queryset, view, {"request": request})]

    def remove_invalid_fields(
        self, queryset: QuerySet, fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        """The terms asked for (blank ones, as in ``id,``, aside), or a 400 naming those
        the list does not offer."""
        offered = self.offered(queryset, view, request)
        terms = [term for term in fields if term]
        unknown = [term for term in terms if term.removeprefix("-") not in offered]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(unknown)}; use {', '.join(offered)}, "
                        "comma-separated, each with - before it for descending order."
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        (parameter,) = super().get_schema_operation_parameters(view)
        offered = self.offered(view.get_queryset(), view)
        term = f"-?(?:{'|'.join(map(re.escape, offered))})"
        parameter["description"] = (
            f"Comma-separated fields to order by ({', '.join(offered)}); - before a field "
            "orders it descending."
        )
        parameter["schema"] = {"type": "string", "pattern": f"^{term}(?:,{term})*$"}
        return [parameter]
