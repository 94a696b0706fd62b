"""The public pages. The route names are what templates and the other pages link by."""

from django.urls import path

from pages.views.commitments import CommitmentView
from pages.views.coordination import CoordinationView
from pages.views.donors import DonorView
from pages.views.overview import OverviewView
from pages.views.timeline import TimelineView

app_name = "pages"

urlpatterns = [
    path("", OverviewView.as_view(), name="overview"),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("coordination/", CoordinationView.as_view(), name="coordination"),
    path("donors/<int:pk>/", DonorView.as_view(), name="donor"),
    path("commitments/<int:pk>/", CommitmentView.as_view(), name="commitment"),
]
