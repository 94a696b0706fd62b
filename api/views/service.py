"""The service's own endpoints: what it is, and whether it is healthy."""

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.serializers.figures import FiguresSerializer
from ledger.models import Commitment, LedgerEntry, Organization, Pause
from ledger.selectors import totals


class RootSerializer(serializers.Serializer):
    service = serializers.CharField()
    health = serializers.URLField()
    admin = serializers.URLField()
    schema = serializers.URLField()
    docs = serializers.URLField()
    counts = serializers.DictField(child=serializers.IntegerField())
    totals_eur = FiguresSerializer()


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    database = serializers.CharField()
    tasks = serializers.CharField()


class ApiRootView(APIView):
    """What this service is, where to go next, and the ledger's totals in euros."""

    @extend_schema(responses=RootSerializer)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "service": "aidledger",
                "health": reverse("api:health", request=request),
                "admin": request.build_absolute_uri("/admin/"),
                "schema": request.build_absolute_uri("/api/schema/"),
                "docs": request.build_absolute_uri("/api/docs/"),
                "counts": {
                    "organizations": Organization.objects.count(),
                    "commitments": Commitment.objects.count(),
                    "entries": LedgerEntry.objects.count(),
                    "pauses": Pause.objects.count(),
                },
                "totals_eur": FiguresSerializer(totals()).data,
            }
        )


def task_queue() -> str:
    """Where queued tasks go: Redis, the embedded file queue, or nowhere (run at once)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    return "redis" if settings.REDIS_URL else "file-queue"


class HealthView(APIView):
    """Liveness and readiness: the database answers, and where tasks go."""

    @extend_schema(responses=HealthSerializer)
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response(
            {
                "status": "ok",
                "database": connection.vendor,
                "tasks": task_queue(),
            }
        )


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
@throttle_classes([])
def not_found(request: Request) -> Response:
    raise NotFound(f"No API resource at {request.path}.")
