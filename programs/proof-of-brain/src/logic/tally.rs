//! The running count of revealed answers on a task, and the quorum rule.
use anchor_lang::prelude::*;

/// How many workers revealed one answer hash.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct TallyEntry {
    pub answer_hash: [u8; 32],
    pub count: u8,
}

/// Adds one revealed answer and returns its new count. The tally never holds more entries than
/// reveals, so it stays within the task's `answers_required` (<= 32) entries.
pub fn record(tally: &mut Vec<TallyEntry>, answer_hash: &[u8; 32]) -> u8 {
    match tally.iter_mut().find(|entry| &entry.answer_hash == answer_hash) {
        Some(entry) => {
            entry.count += 1;
            entry.count
        }
        None => {
            tally.push(TallyEntry { answer_hash: *answer_hash, count: 1 });
            1
        }
    }
}

/// The answer revealed by at least `quorum` workers, if any. Because `2 * quorum > n`, at most one
/// answer can qualify.
pub fn quorum_answer(tally: &[TallyEntry], quorum: u8) -> Option<[u8; 32]> {
    tally.iter().find(|entry| entry.count >= quorum).map(|entry| entry.answer_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_answer_once_per_reveal() {
        let mut tally = Vec::new();
        assert_eq!(record(&mut tally, &[1; 32]), 1);
        assert_eq!(record(&mut tally, &[2; 32]), 1);
        assert_eq!(record(&mut tally, &[1; 32]), 2);
        assert_eq!(tally.len(), 2);
    }

    #[test]
    fn quorum_needs_at_least_k_matching_reveals() {
        let mut tally = Vec::new();
        for answer in [[1; 32], [1; 32], [2; 32], [2; 32], [3; 32]] {
            record(&mut tally, &answer);
        }
        assert_eq!(quorum_answer(&tally, 3), None, "2-2-1 has no quorum of 3");
        record(&mut tally, &[2; 32]);
        assert_eq!(quorum_answer(&tally, 3), Some([2; 32]));
        assert_eq!(quorum_answer(&[], 1), None);
    }
}
