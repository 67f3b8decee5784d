import pytest

from tests.worked_example import build_example


@pytest.fixture
def example(db):
    """The worked example of docs/SCORING.md in the database (2023-24 and 2022-23, Birmingham's neighbours)."""
    return build_example()
