"""bench/load.py's data (DESIGN P5): signers of their own organisations with drafts that submit as they are."""

import pytest

from tilskudd.accounts.models import Role, User
from tilskudd.applications import services
from tilskudd.applications.models import Application, Status
from tilskudd.demo.load import PASSWORD, prepare
from tilskudd.rounds.models import Round

pytestmark = pytest.mark.django_db


def test_prepare_makes_a_signer_per_organisation_with_a_draft_per_session_ready_to_submit():
    made = prepare(users=4, sessions=2, out=lambda line: None)

    assert sorted(made["drafts"]) == ["last-001", "last-002", "last-003", "last-004"]
    users = list(User.objects.filter(username__in=made["drafts"]).select_related("organisation__fylke"))
    assert {u.role for u in users} == {Role.SIGNER}
    assert len({u.organisation_id for u in users}) == 4  # one organisation each
    assert len({u.organisation.fylke.office_id for u in users}) == 4  # spread over the offices
    assert User.objects.get(username="last-003").check_password(PASSWORD)
    for user in users:
        drafts = list(
            Application.objects.filter(pk__in=made["drafts"][user.username]).order_by("round__year")
        )
        assert [a.status for a in drafts] == [Status.DRAFT, Status.DRAFT]
        assert {a.organisation_id for a in drafts} == {user.organisation_id}
        assert all(a.lines.exists() for a in drafts)
        # the start page shows one open round's draft, as on deadline day; the next is opened by its address
        assert [a.round.is_published for a in drafts] == [True, False]
        for application in drafts:
            assert services.submission_problems(application) == []
    later = Application.objects.get(pk=made["drafts"]["last-001"][1])
    submitted, now = services.submit(application=later, by=User.objects.get(username="last-001"))
    assert now and submitted.status == Status.SUBMITTED
    assert Round.objects.filter(published_at__isnull=True).count() == Round.objects.count() // 2


def test_prepare_refuses_a_database_that_has_the_users_already():
    prepare(users=1, sessions=1, out=lambda line: None)
    with pytest.raises(RuntimeError):
        prepare(users=1, sessions=1, out=lambda line: None)
