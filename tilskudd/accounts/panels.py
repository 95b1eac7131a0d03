"""Slots other stages fill on the accounts app's pages (``tilskudd.ui.panels``)."""

from tilskudd.ui.panels import Slot

# The login page, above the password form: other ways to log in (the identity provider's
# button). Providers get the (safe) ``next`` URL as their subject.
LOGIN = Slot("login")
