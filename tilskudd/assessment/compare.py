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
    """Two summaries (assessment.summary) of the same round, per applicant of the first."""
    names = {row.applicant_id: row.applicant for row in first.rows}
    a, b = first.per_applicant, second.per_applicant
    rows = [ApplicantDifference(names[k], a.get(k, 0), b.get(k, 0)) for k in names]
    return sorted(rows, key=lambda r: (r.difference, r.name))
