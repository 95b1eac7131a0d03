"""The Django admin's pages that staff use, in a real browser: axe (WCAG 2.1 A/AA and best practice)
at 1280 and 390 px, no CSP violations, no rule switched off.

What axe found in Django's own admin markup is fixed by our overrides (templates/admin/base_site.html
adds static/css/admin.css and static/js/admin.js): links in sentences are underlined, select2's
autocomplete boxes are named by their field's label, the two-list selector's filter icons are images
with their label; the login dates are read-only (Django's split date/time inputs have no labels);
the admin's login page gets its title as a level-one heading (templates/admin/login.html).
"""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_index_a_changelist_and_change_forms(page, cast):
    page.goto(page.base_url + reverse("admin:index"))  # no login of its own: the service's, then back
    page.wait_for_url("**/logg-inn/?next=/admin/")
    login(page, "admin")
    page.goto(page.base_url + reverse("admin:index"))
    assert page.locator("#content h1").is_visible()
    check_accessibility(page, "admin_index")
    page.goto(page.base_url + reverse("admin:organisations_organisation_changelist") + "?q=a")
    assert page.locator("#result_list tbody tr").count() > 0
    check_accessibility(page, "admin_changelist")
    page.goto(page.base_url + reverse("admin:organisations_organisation_change", args=[cast.kommune_a.pk]))
    assert page.locator("#organisation_form").is_visible()
    check_accessibility(page, "admin_change_form")
    page.goto(page.base_url + reverse("admin:accounts_user_change", args=[cast.signer_a.pk]))
    assert page.locator("#user_form").is_visible()
    check_accessibility(page, "admin_user_form")
    page.goto(page.base_url + reverse("admin:accounts_user_changelist"))
    check_accessibility(page, "admin_user_changelist")
