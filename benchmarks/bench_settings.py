"""The real settings plus two reference views, for bench_diary.py only."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.benchapp"]
ROOT_URLCONF = "benchmarks.bench_urls"
LOGGING_CONFIG = None
