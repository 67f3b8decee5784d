import pytest


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Uploaded files kept in the test's own folder."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR
