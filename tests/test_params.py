"""Whole numbers from query strings and posts are read one way (ui.params.small_number): digits Python's int
refuses ("²") or numbers too long for the database are nothing, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import make_round
from tilskudd.ui.params import small_number


def test_only_plain_digits_that_fit_the_database_are_numbers():
    assert small_number("42") == 42 and small_number(" 7 ") == 7
    assert [small_number(v) for v in ("²", "١٢", "-1", "1.0", "", None, "9" * 19)] == [None] * 7
    assert small_number("9" * 18) == int("9" * 18)


@pytest.mark.django_db
def test_an_office_post_with_an_odd_digit_is_refused_not_a_server_error(client_for, cast):
    round = make_round(cast.office_t)
    client = client_for(cast.officer_t)
    response = client.post(reverse("decisions:decisions_prepare", args=[round.pk]), {"scenario": "²"})
    assert response.status_code == 404
