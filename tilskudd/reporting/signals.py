"""What the reporting stage tells later stages, without importing them.

``report_approved`` is sent inside ``approve_report``'s transaction with ``obligation`` and
``by``: a receiver that fails undoes the approval (the settlement stage books the report's
money on the award's ledger from it).
"""

from django.dispatch import Signal

report_approved = Signal()
