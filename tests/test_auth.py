"""Login, logout and throttling."""

import pytest
from django.urls import reverse

PASSWORD = "correct horse battery staple"


def test_a_person_logs_in_and_lands_on_their_start_page(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "signer_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home:home")
    assert response.wsgi_request.user == cast.signer_a
    assert cast.kommune_a.display_name in response.content.decode()  # named as letters name it


def test_a_wrong_password_gives_a_message_and_keeps_the_username(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "signer_a", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="signer_a"' in body
    assert 'class="ds-error-summary"' in body
    assert not response.wsgi_request.user.is_authenticated


def test_login_is_throttled_after_five_failures(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "signer_a", "password": "wrong"})
    # even the right password is refused while locked out
    response = client.post(reverse("accounts:login"), {"username": "signer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_logout_is_a_post_and_a_get_asks_to_confirm(client, cast):
    client.force_login(cast.signer_a)
    page = client.get(reverse("accounts:logout"))  # a bookmark or a reload: never the browser's 405
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "role_user", ["applicant_a", "signer_a", "officer_t", "approver_t", "national", "admin"]
)
def test_every_role_can_log_in(client, cast, role_user):
    response = client.post(reverse("accounts:login"), {"username": role_user, "password": PASSWORD})
    assert response.status_code == 302
