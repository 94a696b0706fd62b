"""The news review resources of the API: reading articles and candidates, and deciding
candidates with editor keys under the Idempotency-Key rules of every other write."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.models import ApiKey
from ledger.models import Corroboration, LedgerEntry
from news.models import Candidate
from tests.news.review_factory import make_article, make_candidate, make_user

pytestmark = pytest.mark.django_db

PLEDGE = "The donors pledged $12 billion on Thursday to rebuild the country."
DEMAND = "Officials said more money must be found."
CANDIDATES = "/api/v1/news/candidates/"
ARTICLES = "/api/v1/news/articles/"


def with_key(role: str) -> APIClient:
    _, key = ApiKey.objects.create_key(name=f"{role} key", role=role)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def editor() -> APIClient:
    return with_key("editor")


@pytest.fixture
def article():
    return make_article(f"{PLEDGE} {DEMAND}", title="Donors meet", publisher="Example Wire")


@pytest.fixture
def pledge(article, united_states, ukraine):
    return make_candidate(
        article,
        PLEDGE,
        donor=united_states,
        recipient=ukraine,
        amount="12000000000",
        currency="USD",
        date=date(2025, 7, 10),
        confidence=0.9,
    )


@pytest.fixture
def demand(article):
    return make_candidate(article, DEMAND, kind="pledge", confidence=0.3)


def post(client: APIClient, path: str, body: dict[str, Any], key: str | None = "k-1") -> Any:
    if key is None:
        return client.post(path, body, format="json")
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_candidates_filter_by_kind_status_confidence_donor_publisher_and_article(
    pledge, demand, united_states, editor
):
    api = APIClient()
    assert ids(api.get(CANDIDATES)) == [pledge.pk, demand.pk]
    assert ids(api.get(CANDIDATES, {"kind": "pledge", "min_confidence": "0.5"})) == [pledge.pk]
    assert ids(api.get(CANDIDATES, {"max_confidence": "0.5"})) == [demand.pk]
    assert ids(api.get(CANDIDATES, {"donor": united_states.pk})) == [pledge.pk]
    assert ids(api.get(CANDIDATES, {"publisher": "example wire"})) == [pledge.pk, demand.pk]
    assert ids(api.get(CANDIDATES, {"publisher": "Nobody"})) == []
    assert ids(api.get(CANDIDATES, {"article": pledge.article_id})) == [pledge.pk, demand.pk]
    post(editor, f"{CANDIDATES}{demand.pk}/reject/", {"reason": "A demand, not a pledge."})
    assert ids(api.get(CANDIDATES, {"status": "pending"})) == [pledge.pk]
    assert ids(api.get(CANDIDATES, {"status": "rejected"})) == [demand.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"min_confidence": "high"}, "min_confidence"),
        ({"donor": "0"}, "donor"),
        ({"article": "1.5"}, "article"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_list_parameters_are_a_400_naming_them(pledge, params, field):
    response = APIClient().get(CANDIDATES, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_articles_list_with_their_pending_candidates_and_filters(pledge, demand, article):
    other = make_article("Nothing to see.", title="Weather", published_on=date(2025, 1, 2))
    api = APIClient()

    listed = api.get(ARTICLES).json()["results"]
    assert [(a["id"], a["candidates"], a["pending_candidates"]) for a in listed] == [
        (article.pk, 2, 2),
        (other.pk, 0, 0),
    ]
    assert "text" not in listed[0]
    assert ids(api.get(ARTICLES, {"has_pending": "true"})) == [article.pk]
    assert ids(api.get(ARTICLES, {"has_pending": "false"})) == [other.pk]
    assert ids(api.get(ARTICLES, {"q": "weath"})) == [other.pk]
    assert ids(api.get(ARTICLES, {"published_on__gte": "2025-07-01"})) == [article.pk]
    assert ids(api.get(ARTICLES, {"publisher": "EXAMPLE WIRE"})) == [article.pk, other.pk]
    assert api.get(ARTICLES, {"has_pending": "maybe"}).status_code == 400

    detail = api.get(f"{ARTICLES}{article.pk}/").json()
    assert detail["text"] == article.text
    assert [c["id"] for c in detail["candidate_list"]] == [pledge.pk, demand.pk]
    assert detail["candidate_list"][0]["evidence"] == PLEDGE


def test_accept_by_editor_key_records_the_fact_and_a_replay_answers_the_same(pledge, editor):
    path = f"{CANDIDATES}{pledge.pk}/accept/"
    body = {"details": {"title": "Reconstruction pledge"}}

    first = post(editor, path, body)
    again = post(editor, path, body)

    assert first.status_code == 200, first.json()
    assert again.json() == first.json()
    data = first.json()
    assert data["status"] == "accepted"
    assert data["decided_by"].startswith("api-key:")
    assert {r["kind"] for r in data["recorded"]} == {"commitment", "entry"}
    entry = LedgerEntry.objects.get()
    assert entry.commitment.title == "Reconstruction pledge"
    assert data["source"]["title"] == "Donors meet"


def test_a_write_without_an_idempotency_key_is_a_428(pledge, editor):
    response = post(editor, f"{CANDIDATES}{pledge.pk}/accept/", {}, key=None)
    assert response.status_code == 428
    assert (
        post(editor, f"{CANDIDATES}{pledge.pk}/reject/", {"reason": "x"}, key=None).status_code
        == 428
    )
    assert Candidate.objects.get().status == "pending"


def test_the_same_key_with_another_body_or_candidate_is_a_conflict(pledge, demand, editor):
    assert post(editor, f"{CANDIDATES}{pledge.pk}/accept/", {}).status_code == 200

    edited = post(editor, f"{CANDIDATES}{pledge.pk}/accept/", {"changes": {"amount": "5"}})
    other = post(editor, f"{CANDIDATES}{demand.pk}/reject/", {"reason": "No."})

    assert (edited.status_code, edited.json()["fields"].keys()) == (409, {"status"})
    assert (other.status_code, other.json()["fields"].keys()) == (409, {"idempotency_key"})
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"changes": {"currency": "dollars"}}, "currency"),
        ({"changes": {"amount": "-1"}}, "amount"),
        ({"changes": {"date": "2025-02-30"}}, "date"),
        ({"changes": {"donor": 999999}}, "donor"),
        ({"changes": {"date": None}}, "date"),
        ({"details": {"commitment": "x"}}, "commitment"),
        ({"link_to": {"kind": "entry", "id": 999999}}, "link_to"),
        ({"link_to": {"kind": "planet", "id": 1}}, "kind"),
    ],
)
def test_bad_accept_input_is_a_400_naming_the_field(pledge, editor, body, field):
    response = post(editor, f"{CANDIDATES}{pledge.pk}/accept/", body)

    assert response.status_code == 400, response.json()
    assert field in str(response.json()["fields"])
    assert (Candidate.objects.get(pk=pledge.pk).status, LedgerEntry.objects.count()) == (
        "pending",
        0,
    )


def test_reject_needs_a_reason(pledge, editor):
    response = post(editor, f"{CANDIDATES}{pledge.pk}/reject/", {})
    assert (response.status_code, list(response.json()["fields"])) == (400, ["reason"])


@pytest.mark.parametrize("who", ["anonymous", "viewer key", "viewer user"])
def test_only_editors_decide(pledge, who):
    if who == "anonymous":
        client = APIClient()
    elif who == "viewer key":
        client = with_key("viewer")
    else:
        client = logged_in(make_user("viewer"))
    accepted = post(client, f"{CANDIDATES}{pledge.pk}/accept/", {})
    rejected = post(client, f"{CANDIDATES}{pledge.pk}/reject/", {"reason": "No."})
    assert (accepted.status_code, rejected.status_code) in {(401, 401), (403, 403)}
    assert client.get(f"{CANDIDATES}{pledge.pk}/").status_code == 200
    assert Candidate.objects.get(pk=pledge.pk).status == "pending"


def logged_in(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_an_editor_user_decides_under_their_name(pledge):
    user = make_user("editor")
    response = post(logged_in(user), f"{CANDIDATES}{pledge.pk}/reject/", {"reason": "Dup."})
    assert (response.status_code, response.json()["decided_by"]) == (200, user.username)


def test_detail_shows_probable_duplicates_and_link_to_records_a_further_source(
    pledge, editor, united_states, ukraine
):
    post(editor, f"{CANDIDATES}{pledge.pk}/accept/", {}, key="first")
    text = "Donors promised $12 billion for reconstruction on Friday."
    other = make_candidate(
        make_article(text, publisher="Other Wire"),
        text,
        donor=united_states,
        recipient=ukraine,
        amount=Decimal("12000000000"),
        currency="USD",
        date=date(2025, 7, 11),
    )
    entry = LedgerEntry.objects.get()

    detail = APIClient().get(f"{CANDIDATES}{other.pk}/").json()
    assert [(d["kind"], d["id"]) for d in detail["probable_duplicates"]] == [("entry", entry.pk)]
    assert detail["probable_duplicates"][0]["url"].endswith(f"/api/v1/entries/{entry.pk}/")

    refused = post(editor, f"{CANDIDATES}{other.pk}/accept/", {}, key="second")
    assert (refused.status_code, list(refused.json()["fields"])) == (409, ["duplicates"])

    linked = post(
        editor,
        f"{CANDIDATES}{other.pk}/accept/",
        {"link_to": {"kind": "entry", "id": entry.pk}},
        key="third",
    )
    assert linked.status_code == 200, linked.json()
    assert linked.json()["status"] == "linked"
    assert linked.json()["recorded"][0]["id"] == entry.pk
    assert Corroboration.objects.get().entry == entry
    assert LedgerEntry.objects.count() == 1
    # The entry shows the second article beside its first source.
    shown = APIClient().get(f"/api/v1/entries/{entry.pk}/").json()
    assert [s["publisher"] for s in shown["further_sources"]] == ["Other Wire"]
    assert shown["source"]["publisher"] == "Example Wire"


def test_news_resources_are_in_the_root_and_the_schema(db):
    api = APIClient()
    resources = api.get("/api/v1/").json()["resources"]
    assert resources["news/articles"].endswith(ARTICLES)
    assert resources["news/candidates"].endswith(CANDIDATES)
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {
        "/api/v1/news/articles/",
        "/api/v1/news/candidates/{id}/",
        "/api/v1/news/candidates/{id}/accept/",
        "/api/v1/news/candidates/{id}/reject/",
    } <= set(paths)
