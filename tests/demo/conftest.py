import pytest

from sentra.demo.services import demo_areas, home_regency


@pytest.fixture
def areas(db):
    """Kabupaten Bekasi's kecamatan and desa as the demo reads them from the Region table."""
    return demo_areas(home_regency())
