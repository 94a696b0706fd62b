"""The service's own endpoints: what it is, and whether it is healthy."""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
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
from rest_framework.status import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from rest_framework.views import APIView

from api.serializers.figures import FiguresSerializer
from ledger.models import Commitment, LedgerEntry, Organization, Pause
from ledger.selectors import totals

logger = logging.getLogger(__name__)
# Seconds a health probe waits for Redis: a probe must answer before its own timeout.
REDIS_PROBE_SECONDS = 2


class RootSerializer(serializers.Serializer):
    service = serializers.CharField()
    resources = serializers.DictField(
        child=serializers.URLField(), help_text="Each resource's list, by name."
    )
    reports = serializers.DictField(
        child=serializers.URLField(), help_text="The summary and the timeline."
    )
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
    components = serializers.DictField(
        child=serializers.ChoiceField(choices=["up", "down"]),
        help_text="Each component the service needs (database, redis) and whether it answers.",
    )


class ApiRootView(APIView):
    """What this service is, where to go next (every resource and report, by absolute
    URL), and the ledger's totals in euros."""

    # Name to URL name, given by api/urls.py, which knows the routes.
    resources: dict[str, str] = {}
    reports: dict[str, str] = {}

    @extend_schema(responses=RootSerializer)
    def get(self, request: Request) -> Response:
        def urls(names: dict[str, str]) -> dict[str, str]:
            return {name: reverse(route, request=request) for name, route in names.items()}

        return Response(
            {
                "service": "aidledger",
                "resources": urls(self.resources),
                "reports": urls(self.reports),
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


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health: the database does not answer: %s", error)
        return False
    return True


def redis_answers() -> bool:
    """Redis holds the task queue and the throttle's counts."""
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_PROBE_SECONDS,
        socket_timeout=REDIS_PROBE_SECONDS,
    )
    try:
        with client:
            client.ping()
    except redis.RedisError as error:
        logger.warning("Health: Redis does not answer: %s", error)
        return False
    return True


def components() -> dict[str, str]:
    answers = {"database": database_answers()}
    if settings.REDIS_URL:
        answers["redis"] = redis_answers()
    return {name: "up" if up else "down" for name, up in answers.items()}


class HealthView(APIView):
    """Liveness and readiness: the database (and Redis, when configured) answer, and where
    tasks go. A component that does not answer makes it a 503 naming it."""

    # Probes (compose, load balancers) poll it: counting them would throttle the probe, or
    # the clients behind the probe's address, and it must answer while Redis is down.
    throttle_classes: list = []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request: Request) -> Response:
        status = components()
        healthy = all(state == "up" for state in status.values())
        return Response(
            {
                "status": "ok" if healthy else "unavailable",
                "database": connection.vendor,
                "tasks": task_queue(),
                "components": status,
            },
            status=HTTP_200_OK if healthy else HTTP_503_SERVICE_UNAVAILABLE,
        )


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
@throttle_classes([])
def not_found(request: Request) -> Response:
    raise NotFound(f"No API resource at {request.path}.")
