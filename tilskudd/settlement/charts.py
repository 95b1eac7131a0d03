"""The round's settlement as tables of figures, each with its chart (``ui.charts``)."""

from django.utils.translation import gettext as _

from tilskudd.domain.ledger import Account
from tilskudd.settlement.models import AccountChoices
from tilskudd.ui.charts import Column, Table


def overview_tables(overview) -> list[Table]:
    labels = dict(AccountChoices.choices)
    totals = overview.totals
    money = Column(_("Kroner"), money=True, charted=True)
    summary = Table(
        _("The round's awards: where the money is"),
        [money],
        [
            (_("Granted"), overview.granted),
            (_("Paid out"), overview.paid),
            *(
                (str(labels[a.value]).capitalize(), totals[a])
                for a in (
                    Account.USED,
                    Account.CARRIED,
                    Account.OWED,
                    Account.REPAID,
                    Account.WRITTEN_OFF,
                    Account.UNSETTLED,
                )
            ),
        ],
    )
    return [summary]
