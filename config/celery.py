"""The Celery application shared by the web process, the workers and beat.

Without ``REDIS_URL`` the settings queue tasks in files under ``var/celery/`` (kombu's
filesystem transport), so the embedded default needs no broker server.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# DjangoTask adds delay_on_commit(): queue a task only once the transaction commits.
app = Celery("aidledger", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
