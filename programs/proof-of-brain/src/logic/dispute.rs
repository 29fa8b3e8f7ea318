//! How a dispute vote decides.

/// Whether the dispute may be resolved before its vote deadline: one candidate holds more than
/// half of the member weight snapshotted when the dispute opened (no later vote can overturn it),
/// and the votes cast reach the snapshotted minimum. Snapshots, not live figures: members leaving
/// or governance changes during the vote cannot lower the bar.
pub fn can_resolve_early(
    candidate_weights: &[u64],
    weight_cast: u64,
    total_weight: u64,
    min_vote_weight: u64,
) -> bool {
    weight_cast >= min_vote_weight
        && candidate_weights.iter().any(|&weight| u128::from(weight) * 2 > u128::from(total_weight))
}

/// The winning candidate, if the vote decides anything: the votes cast reach `min_vote_weight`
/// and one candidate holds strictly more weight than every other. `None` = the original outcome
/// stands (too few votes, or a tie at the top).
pub fn winning_candidate(candidate_weights: &[u64], weight_cast: u64, min_vote_weight: u64) -> Option<usize> {
    if weight_cast < min_vote_weight || weight_cast == 0 {
        return None;
    }
    let top = *candidate_weights.iter().max()?;
    let mut leaders = candidate_weights.iter().enumerate().filter(|(_, &weight)| weight == top);
    let (index, _) = leaders.next()?;
    leaders.next().is_none().then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_leader_wins_once_enough_weight_voted() {
        assert_eq!(winning_candidate(&[1, 5, 2], 8, 8), Some(1));
        assert_eq!(winning_candidate(&[1, 5, 2], 8, 9), None, "below min_vote_weight");
        assert_eq!(winning_candidate(&[0, 0, 3], 3, 1), Some(2), "Void can win");
    }

    #[test]
    fn ties_and_empty_votes_decide_nothing() {
        assert_eq!(winning_candidate(&[4, 4, 1], 9, 1), None);
        assert_eq!(winning_candidate(&[0, 0], 0, 0), None);
        assert_eq!(winning_candidate(&[], 0, 0), None);
    }

    #[test]
    fn early_resolution_needs_a_majority_of_the_snapshot_and_the_minimum() {
        assert!(!can_resolve_early(&[5, 0], 5, 10, 1), "half is not a majority");
        assert!(can_resolve_early(&[6, 0], 6, 10, 1));
        assert!(!can_resolve_early(&[6, 0], 6, 10, 7), "below min_vote_weight");
        assert!(can_resolve_early(&[0, 1], 1, 1, 1));
        assert!(can_resolve_early(&[u64::MAX], u64::MAX, u64::MAX, u64::MAX));
    }
}
