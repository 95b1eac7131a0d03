"""Weighted criterion scores for innovation lines (the round's scale and weights)."""


def weighted_score(scores: dict[str, int], weights: dict[str, int], scale_max: int) -> float | None:
    """The weighted mean of the scored criteria, as a share of the top of the scale (0.0–1.0).

    None when nothing is scored. Criteria with weight 0 do not count; unscored criteria
    are left out rather than counted as zero, so a half-finished assessment is not
    punished for what is not yet read.
    """
    total_weight = 0
    total = 0
    for criterion, score in (scores or {}).items():
        weight = int(weights.get(criterion, 1))
        if score is None or weight == 0:
            continue
        if not 0 <= int(score) <= scale_max:
            raise ValueError(f"score {score} outside 0..{scale_max}")
        total += int(score) * weight
        total_weight += weight
    if total_weight == 0:
        return None
    return total / (total_weight * scale_max)
