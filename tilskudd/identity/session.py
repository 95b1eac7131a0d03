"""What a login writes into the session, for the parts of the service that read it.

- ``login_method``: "idporten", "ansattporten" or "password";
- ``login_acr``: the assurance level of a login through the provider (absent for passwords),
  which exempts it from a second factor when substantial or high;
- ``acting_orgnr``: the organisation an Ansattporten login chose to act for (the role
  middleware picks that organisation among the person's own; it never grants a role);
- ``acting_place`` (the place chosen with the header's switcher) is dropped by an Ansattporten
  login that chose an organisation, so that organisation wins;
- ``provider_logout_url``: where logging out sends the browser so the provider's session
  ends too (read by ``accounts.views.LogoutView``).
"""

from tilskudd.accounts.roles import ACTING as ACTING_PLACE  # noqa: F401 (chosen with the header's switcher)
from tilskudd.accounts.roles import ACTING_ORGNR  # noqa: F401 (read by the role middleware)

LOGIN_METHOD = "login_method"
LOGIN_ACR = "login_acr"
PROVIDER_LOGOUT_URL = "provider_logout_url"

PASSWORD = "password"
