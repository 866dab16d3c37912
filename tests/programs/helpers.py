"""Small helpers shared by the programme tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client, url) -> int:
    """How many queries a GET of `url` needs (and that it answers 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
