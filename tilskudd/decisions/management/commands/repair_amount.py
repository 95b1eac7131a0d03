"""Correct a line's amount that cannot be right, also on a submitted application, with the reason logged.

    manage.py repair_amount --line 123 --amount "40 000" --by admin --reason "Typing error: 8 persons, not 8 000 000"

For a BPA line the amount is the line's total; give --persons if the recorded number of persons
is wrong too (the amount per person becomes amount ÷ persons). The case log of the application
gets a "corrected" entry with the old and new values and the reason (SPEC "Record keeping").
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from tilskudd.accounts.models import User
from tilskudd.applications.models import Line
from tilskudd.decisions.repair import correct_line_amount
from tilskudd.domain.money import AmountError, parse_kroner


class Command(BaseCommand):
    help = "Correct the amount of one application line (also a submitted one), recorded in the case log."

    def add_arguments(self, parser):
        parser.add_argument("--line", type=int, required=True, help="the line's id")
        parser.add_argument("--amount", required=True, help="the correct amount applied for, in whole kroner")
        parser.add_argument("--reason", required=True, help="why, as it will stand in the case log")
        parser.add_argument("--by", required=True, help="username of the administrator making the correction")
        parser.add_argument("--persons", type=int, help="BPA: the correct number of persons")
        parser.add_argument("--employees", type=int, help="competence: the correct number of employees")

    def handle(self, *args, line: int, amount: str, reason: str, by: str, persons, employees, **options):
        try:
            kroner = parse_kroner(amount)
        except AmountError as error:
            raise CommandError(f"--amount {amount!r} is not a whole number of kroner") from error
        try:
            admin = User.objects.get(username=by)
        except User.DoesNotExist as error:
            raise CommandError(f"no user called {by!r}") from error
        try:
            target = Line.objects.get(pk=line)
        except Line.DoesNotExist as error:
            raise CommandError(f"no line with id {line}") from error
        try:
            corrected = correct_line_amount(
                line=target, by=admin, amount=kroner, reason=reason, persons=persons, employees=employees
            )
        except PermissionDenied as error:
            raise CommandError(f"{by} is not an administrator") from error
        except ValidationError as error:
            raise CommandError(
                " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            ) from error
        self.stdout.write(
            f"Line {corrected.pk} of application {corrected.application.case_number} now asks for "
            f"{corrected.amount} kr; recorded in the case log."
        )
