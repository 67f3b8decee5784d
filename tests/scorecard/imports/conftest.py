import pytest


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Uploaded files kept in the test's own folder."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def database_tasks(settings, tmp_path, transactional_db):
    """Tasks queued in the database for a real worker (``WorkerThread``); uploads in the test's own folder. The
    shipped mappings come with the migrated database a transactional test starts from."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_QUEUE = "default"
