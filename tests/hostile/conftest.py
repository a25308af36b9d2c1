"""Hostile-input tests: Hypothesis profiles, and seed documents to mutate.

The default profile keeps this folder to seconds; `--hypothesis-profile=hostile-long` (or
AKHBAR_HYPOTHESIS_PROFILE=hostile-long) runs many more examples for a fuzzing session.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from tests.store.conftest import postgres_user  # noqa: F401  (a fixture: skips when PostgreSQL is absent)

# No per-example deadline: a slow example on a shared 2-core machine is not a failure. Time per
# document is bounded instead by tests that time out generously (see `bounded` in tests/hostile/seeds.py).
settings.register_profile(
    "hostile",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)
settings.register_profile(
    "hostile-long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("AKHBAR_HYPOTHESIS_PROFILE", "hostile"))
