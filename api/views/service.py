"""Small service endpoints; the resources arrive with the REST API issue."""

from django.conf import settings
from django.db import connection
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.serializers.figures import FiguresSerializer
from ledger.models import Commitment, LedgerEntry, Organization, Pause
from ledger.selectors import totals


class ApiRootView(APIView):
    """What this service is, where to go next, and the ledger's totals in euros."""

    def get(self, request: Request) -> Response:
        return Response(
            {
                "service": "aidledger",
                "health": reverse("api:health", request=request),
                "admin": request.build_absolute_uri("/admin/"),
                "counts": {
                    "organizations": Organization.objects.count(),
                    "commitments": Commitment.objects.count(),
                    "entries": LedgerEntry.objects.count(),
                    "pauses": Pause.objects.count(),
                },
                "totals_eur": FiguresSerializer(totals()).data,
            }
        )


class HealthView(APIView):
    """Liveness and readiness: the database answers, and where tasks run."""

    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response(
            {
                "status": "ok",
                "database": connection.vendor,
                "tasks": "redis" if settings.REDIS_URL else "in-process",
            }
        )
