"""Sentra's settings with the lists' results kept nowhere (bench/catalog_bench.py, the "cold" rows).

A page rendered afresh reads its results again only after a change of what it lists: a bench that
asks for a new address each time would otherwise read them once and keep them. With the "results"
cache a dummy, every cold request pays the whole render, as the first visitor after such a change.
"""

from sentra.settings import *  # noqa: F403
from sentra.settings import CACHES

CACHES = {**CACHES, "results": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
