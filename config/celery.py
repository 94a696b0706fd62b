"""The Celery application shared by the web process, the workers and beat.

Without ``REDIS_URL`` the settings make tasks run eagerly in the calling process,
so the embedded default needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("aidledger")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
