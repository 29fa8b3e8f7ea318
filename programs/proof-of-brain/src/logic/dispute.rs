//! How a dispute vote decides.

/// Whether one candidate holds more than half of all member weight: no later vote can overturn
/// it, so the dispute may be resolved before its deadline.
pub fn has_absolute_majority(candidate_weights: &[u64], total_member_weight: u64) -> bool {
    candidate_weights.iter().any(|&weight| u128::from(weight) * 2 > u128::from(total_member_weight))
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
    fn majority_is_strictly_more_than_half_of_all_weight() {
        assert!(!has_absolute_majority(&[5, 0], 10));
        assert!(has_absolute_majority(&[6, 0], 10));
        assert!(has_absolute_majority(&[0, 1], 1));
        assert!(has_absolute_majority(&[u64::MAX], u64::MAX));
    }
}
