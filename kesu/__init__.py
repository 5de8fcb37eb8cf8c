# Load the Celery app with Django so that @shared_task binds to it (the
# standard Celery/Django layout); in the embedded default it runs eagerly.
from .celery import app as celery_app

__all__ = ["celery_app"]
