import datetime as dt
from typing import Any

import pytest

from fibrotrack.lib.dates import diary_day


@pytest.fixture
def today(owner: Any) -> dt.date:
    return diary_day(owner)
