from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from api.views import news, reports, resources, service

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organizations", resources.OrganizationViewSet)
router.register("commitments", resources.CommitmentViewSet)
router.register("entries", resources.LedgerEntryViewSet)
router.register("pauses", resources.PauseViewSet)
router.register("coordination-bodies", resources.CoordinationBodyViewSet)
router.register("mandates", resources.MandateViewSet)
router.register("sources", resources.SourceViewSet)
router.register("fx-rates", resources.FxRateViewSet)
router.register("events", resources.EventViewSet)
router.register("reported-totals", resources.ReportedTotalViewSet)
router.register("news/articles", news.ArticleViewSet, basename="article")
router.register("news/candidates", news.CandidateViewSet, basename="candidate")

# What the root lists, by name: every resource's list and every report, so a client (and
# the browsable API) can go everywhere from /api/v1/.
RESOURCES = {prefix: f"api:{basename}-list" for prefix, _, basename in router.registry}
REPORTS = {"summary": "api:summary", "timeline": "api:timeline"}

urlpatterns = [
    path("", service.ApiRootView.as_view(resources=RESOURCES, reports=REPORTS), name="root"),
    path("health/", service.HealthView.as_view(), name="health"),
    path("summary/", reports.SummaryView.as_view(), name="summary"),
    path("timeline/", reports.TimelineView.as_view(), name="timeline"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ (an id that is not a number, a path that does not
    # exist) is a 404 in the error shape, not Django's HTML page. Only paths ending in a
    # slash: without one, CommonMiddleware still redirects "entries" to "entries/".
    re_path(r"^.*/$", service.not_found, name="not-found"),
]
