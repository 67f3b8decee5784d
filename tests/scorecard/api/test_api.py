"""The read-only JSON API: authentication, shape, errors and codes by framework."""

import pytest
from django.test import Client

from councils.models import ApiToken
from tests.worked_example import EXAMPLE_COUNCILS, build_example

BIRMINGHAM = EXAMPLE_COUNCILS["A"]
SCORECARD_URL = f"/api/councils/{BIRMINGHAM}/scorecard/"


@pytest.fixture
def token(no_role_user):
    _, raw_key = ApiToken.issue(user=no_role_user, name="Test integration")
    return raw_key


@pytest.fixture
def api(client_for, example):
    return client_for("dass")


def by_code(payload: dict) -> dict:
    return {m["code"]: m for m in payload["measures"]}


# --- Authentication ---------------------------------------------------------------------------------


def test_anonymous_gets_401_json(example):
    response = Client().get(SCORECARD_URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Bearer not-a-real-key", "Token "])
def test_bad_token_gets_401_json(example, token, header):
    response = Client().get(SCORECARD_URL, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or revoked API token."


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_token_authenticates(example, token, scheme, no_role_user):
    response = Client().get(SCORECARD_URL, headers={"Authorization": f"{scheme} {token}"})
    assert response.status_code == 200
    assert response.json()["council"]["gss_code"] == BIRMINGHAM
    stored = ApiToken.objects.get(user=no_role_user)
    assert stored.last_used_at is not None
    assert token not in stored.key_hash  # only the hash is stored
    assert stored.key_hash == ApiToken.hash_key(token)


def test_revoked_token_and_inactive_user_get_401(example, token, no_role_user):
    ApiToken.objects.update(revoked=True)
    response = Client().get(SCORECARD_URL, headers={"Authorization": f"Token {token}"})
    assert response.status_code == 401
    ApiToken.objects.update(revoked=False)
    no_role_user.is_active = False
    no_role_user.save()
    response = Client().get(SCORECARD_URL, headers={"Authorization": f"Token {token}"})
    assert response.status_code == 401


def test_session_authenticates(api):
    response = api.get(SCORECARD_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_get_only(api):
    assert api.post(SCORECARD_URL).status_code == 405
    assert api.delete("/api/measures/").status_code == 405


# --- Scorecard --------------------------------------------------------------------------------------


def test_scorecard_shape(api):
    payload = api.get(SCORECARD_URL).json()
    assert payload["council"] == {
        "name": "Birmingham",
        "gss_code": BIRMINGHAM,
        "cassr_code": 406,
        "type": "metropolitan_district",
        "region": {"gss_code": "E12000005", "name": "West Midlands"},
    }
    assert payload["period"] == "2023-24"  # latest by default
    assert payload["periods"] == ["2022-23", "2023-24"]
    assert payload["data_is_demo"] is False
    row = by_code(payload)["2C"]
    assert row == row | {
        "key": "ascof-2023-2c",
        "series": "admissions-65-plus",
        "domain": "performance-and-outcomes",
        "unit": "rate_100k",
        "polarity": "lower",
        "value": 512.0,
        "status": "ok",
        "rank": 2,
        "rank_of": 7,
        "quartile_england": 1,
        "quartile_region": 1,
        "rag": "green",
        "direction": "improving",
    }
    assert row["comparators"] == {
        "region": {"value": 600.0, "published": True},
        "england": {"value": 598.3, "published": False},
        "council_type": {"value": 598.3, "published": False},
        "nearest_neighbours_median": {"value": 619.4, "published": False},
    }
    missing = by_code(payload)["1A"]
    assert missing["value"] is None
    assert missing["rank"] is None
    assert missing["direction"] == "not_comparable"


def test_code_follows_framework_of_period(api):
    old = by_code(api.get(SCORECARD_URL, {"period": "2022-23"}).json())
    assert "2A2" in old and "2C" not in old
    assert old["2A2"]["value"] == 530.0
    assert old["2A2"]["key"] == "ascof-2014-2a2"
    new = by_code(api.get(SCORECARD_URL, {"period": "2023/24"}).json())
    assert "2C" in new and "2A2" not in new


def test_demo_data_is_flagged(client_for, db):
    build_example(is_demo=True)
    assert client_for("dass").get(SCORECARD_URL).json()["data_is_demo"] is True


def test_unknown_council_is_404_json(api):
    response = api.get("/api/councils/E99999999/scorecard/")
    assert response.status_code == 404
    assert "E99999999" in response.json()["detail"]


@pytest.mark.parametrize("period", ["nonsense", "2023-25", "2030-31", "<script>"])
def test_bad_period_is_400_json(api, period):
    response = api.get(SCORECARD_URL, {"period": period})
    assert response.status_code == 400
    assert response.json()["detail"]


# --- Measures ---------------------------------------------------------------------------------------


def test_measure_catalogue(api):
    payload = api.get("/api/measures/").json()
    measures = {m["key"]: m for m in payload["measures"]}
    assert measures["ascof-2023-2c"] == {
        "key": "ascof-2023-2c",
        "code": "2C",
        "framework": "ascof_2023",
        "title": measures["ascof-2023-2c"]["title"],
        "unit": "rate_100k",
        "scale_max": None,
        "decimal_places": 1,
        "polarity": "lower",
        "rank_by_size": False,
        "source": "SALT+ONS",
        "domain": "performance-and-outcomes",
        "series": "admissions-65-plus",
        "replaces": "ascof-2014-2a2",
        "owner_region": None,
    }
    assert measures["ascof-2014-1a"]["scale_max"] == 24.0


def test_measure_values(api):
    payload = api.get("/api/measures/ascof-2014-2a2/values/", {"period": "2023-24"}).json()
    assert payload["measure"]["code"] == "2C"  # the series' measure published in 2023-24
    assert payload["requested_measure"] == "ascof-2014-2a2"
    assert payload["period"] == "2023-24"
    first = payload["values"][0]
    assert (first["name"], first["value"], first["rank"], first["rank_of"], first["rag"]) == (
        "Walsall",
        455.1,
        1,
        7,
        "green",
    )
    assert payload["england"] == {"value": 598.3, "published": False}
    assert payload["comparators"] == [
        {
            "key": "E12000005",
            "kind": "region",
            "name": "West Midlands",
            "value": 600.0,
            "status": "ok",
            "is_demo": False,
        }
    ]


def test_measure_values_errors(api):
    assert api.get("/api/measures/no-such-measure/values/").status_code == 404
    assert api.get("/api/measures/ascof-2023-2c/values/", {"period": "x"}).status_code == 400


def test_measure_values_with_token(example, token):
    response = Client().get(
        "/api/measures/ascof-2023-2c/values/", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    values = response.json()["values"]
    assert len(values) == 153  # every current English council (former ones only where they have figures)
    assert {v["region"] for v in values if v["value"] is not None} == {"E12000005"}  # the example figures


def test_demo_users_token_only_works_in_demo_mode(example, token, no_role_user, settings):
    no_role_user.is_demo = True
    no_role_user.save()
    settings.DEMO_MODE = False
    response = Client().get(SCORECARD_URL, headers={"Authorization": f"Token {token}"})
    assert response.status_code == 401
    settings.DEMO_MODE = True
    response = Client().get(SCORECARD_URL, headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200


def test_create_api_token_command_issues_a_working_token(client, dass):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("create_api_token", dass.username, name="dashboard", stdout=out)
    key = out.getvalue().splitlines()[1]
    response = client.get("/api/measures/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody")
