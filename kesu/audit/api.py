"""Thin django-ninja endpoints for this app."""

from ninja import Router

router = Router()
