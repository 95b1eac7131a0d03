"""Shared reads of decisions."""

from django.db.models import Q

# A decision whose letter is not made yet, or made but not e-mailed yet (a filter on Decision).
LETTER_PENDING = Q(letter__isnull=True) | Q(letter__notified_at__isnull=True)
