"""Who gains and who loses between two scenarios, per applicant."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ApplicantDifference:
    name: str
    first: int
    second: int

    @property
    def difference(self) -> int:
        return self.second - self.first


def compare(first, second) -> list[ApplicantDifference]:
    names = {i.line.application.organisation_id: i.line.application.organisation.name for i in first.lines}
    a, b = first.allocation.per_applicant, second.allocation.per_applicant
    rows = [ApplicantDifference(names[k], a.get(k, 0), b.get(k, 0)) for k in names]
    return sorted(rows, key=lambda r: (r.difference, r.name))
