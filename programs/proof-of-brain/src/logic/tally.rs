//! The running count of revealed answers on a task, and the quorum rule.
use anchor_lang::prelude::*;

/// How many workers revealed one answer hash. Plain `repr(C)` + Pod rather than `#[zero_copy]`:
/// it is also borsh (in events), and both derives would implement `IdlBuild` under `idl-build`.
#[derive(
    Clone, Copy, bytemuck::Pod, bytemuck::Zeroable, AnchorSerialize, AnchorDeserialize, Debug, PartialEq, Eq,
)]
#[repr(C)]
pub struct TallyEntry {
    pub answer_hash: [u8; 32],
    pub count: u8,
}

/// Adds one revealed answer to a tally whose first `*used` slots are in use, and returns its new
/// count. Every reveal either bumps an entry or takes the next slot, so with one slot per answer
/// a tally never runs out of slots; `None` only if it did.
pub fn record(slots: &mut [TallyEntry], used: &mut u8, answer_hash: &[u8; 32]) -> Option<u8> {
    let in_use = usize::from(*used);
    if let Some(entry) = slots[..in_use].iter_mut().find(|entry| &entry.answer_hash == answer_hash) {
        entry.count += 1;
        return Some(entry.count);
    }
    let slot = slots.get_mut(in_use)?;
    *slot = TallyEntry { answer_hash: *answer_hash, count: 1 };
    *used += 1;
    Some(1)
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
        let mut slots = [TallyEntry { answer_hash: [0; 32], count: 0 }; 3];
        let mut used = 0;
        assert_eq!(record(&mut slots, &mut used, &[1; 32]), Some(1));
        assert_eq!(record(&mut slots, &mut used, &[2; 32]), Some(1));
        assert_eq!(record(&mut slots, &mut used, &[1; 32]), Some(2));
        assert_eq!(used, 2);
        assert_eq!(record(&mut slots, &mut used, &[3; 32]), Some(1));
        assert_eq!(record(&mut slots, &mut used, &[4; 32]), None, "no slot left");
        assert_eq!(used, 3);
    }

    #[test]
    fn quorum_needs_at_least_k_matching_reveals() {
        let mut slots = [TallyEntry { answer_hash: [0; 32], count: 0 }; 6];
        let mut used = 0;
        for answer in [[1; 32], [1; 32], [2; 32], [2; 32], [3; 32]] {
            record(&mut slots, &mut used, &answer);
        }
        assert_eq!(quorum_answer(&slots[..usize::from(used)], 3), None, "2-2-1 has no quorum of 3");
        record(&mut slots, &mut used, &[2; 32]);
        assert_eq!(quorum_answer(&slots[..usize::from(used)], 3), Some([2; 32]));
        assert_eq!(quorum_answer(&[], 1), None);
    }
}
