//! Settlement amounts. All intermediates are u128; every rounding is stated:
//! - the task deposit and the protocol fee round UP (the requester covers the last base unit, so
//!   the vault can never be short);
//! - a NoQuorum payment rounds DOWN (never more than the reward that was funded).
//!
//! Invariant (property-tested below): for any outcome, `rewards paid + fee + refund == deposit`
//! with every term non-negative; slashed stake and forfeited bonds go to the fee balance whole.
use anchor_lang::prelude::*;

use crate::constants::BPS_DENOMINATOR;

/// How one submission settles. Carried by the `SubmissionSettled` event.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Revealed the quorum answer: paid the reward, stake unlocked.
    Agreed,
    /// Revealed another answer: stake unlocked, no reward (an honest minority is never slashed).
    Disagreed,
    /// Revealed, but no answer reached quorum: paid `no_quorum_bps` of the reward, stake unlocked.
    NoQuorum,
    /// Never revealed: stake slashed, to the fee balance at close (never to the requester, who
    /// must not profit from workers failing to reveal).
    Unrevealed,
}

/// What moves when one submission settles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payout {
    /// Credited from the task's escrow to the worker's free balance.
    pub reward: u64,
    /// Taken from the worker's locked stake (the rest of it goes back to free).
    pub slashed: u64,
}

/// Classifies a submission given the task's quorum answer (`None` = no quorum) and the answer the
/// worker revealed (`None` = never revealed).
pub fn classify(quorum_answer: Option<&[u8; 32]>, revealed: Option<&[u8; 32]>) -> Settlement {
    match (quorum_answer, revealed) {
        (_, None) => Settlement::Unrevealed,
        (None, Some(_)) => Settlement::NoQuorum,
        (Some(winner), Some(answer)) if winner == answer => Settlement::Agreed,
        (Some(_), Some(_)) => Settlement::Disagreed,
    }
}

pub fn payout(
    settlement: Settlement,
    reward_per_answer: u64,
    stake_per_answer: u64,
    no_quorum_bps: u16,
) -> Payout {
    match settlement {
        Settlement::Agreed => Payout { reward: reward_per_answer, slashed: 0 },
        Settlement::Disagreed => Payout { reward: 0, slashed: 0 },
        Settlement::NoQuorum => Payout { reward: bps_of_floor(reward_per_answer, no_quorum_bps), slashed: 0 },
        Settlement::Unrevealed => Payout { reward: 0, slashed: stake_per_answer },
    }
}

/// `ceil(n * reward * (10_000 + fee_bps) / 10_000)`: what the requester locks at creation.
pub fn task_deposit(answers_required: u8, reward_per_answer: u64, fee_bps: u16) -> Option<u64> {
    let rewards = u128::from(answers_required) * u128::from(reward_per_answer);
    let gross = rewards * u128::from(BPS_DENOMINATOR + fee_bps);
    u64::try_from(gross.div_ceil(u128::from(BPS_DENOMINATOR))).ok()
}

/// `ceil(paid * fee_bps / 10_000)`: the protocol's fee on the rewards actually paid. Rounding up
/// makes a fully paid task leave exactly zero behind: the fee part of the deposit.
pub fn protocol_fee(rewards_paid: u64, fee_bps: u16) -> Option<u64> {
    let fee = (u128::from(rewards_paid) * u128::from(fee_bps)).div_ceil(u128::from(BPS_DENOMINATOR));
    u64::try_from(fee).ok()
}

/// Splits what is left of a task's escrow at close into (fee, refund to the requester).
/// `None` only if the escrow cannot cover the fee, which the deposit rule makes impossible.
pub fn close_split(deposit: u64, rewards_paid: u64, fee_bps: u16) -> Option<(u64, u64)> {
    let fee = protocol_fee(rewards_paid, fee_bps)?;
    Some((fee, deposit.checked_sub(rewards_paid)?.checked_sub(fee)?))
}

fn bps_of_floor(amount: u64, bps: u16) -> u64 {
    // amount * bps / 10_000 <= amount because bps <= 10_000 (checked at task creation)
    (u128::from(amount) * u128::from(bps) / u128::from(BPS_DENOMINATOR)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::tally;
    use proptest::prelude::*;

    #[test]
    fn deposit_rounds_up_to_the_base_unit() {
        // 5 answers of 50_000 at 2.5%: 250_000 + 6_250
        assert_eq!(task_deposit(5, 50_000, 250), Some(256_250));
        // 1 answer of 1 unit at 1 bps: 1.0001 rounds up to 2
        assert_eq!(task_deposit(1, 1, 1), Some(2));
        assert_eq!(task_deposit(1, 1, 0), Some(1));
        assert_eq!(task_deposit(32, u64::MAX, 0), None, "overflow is refused, not wrapped");
        assert_eq!(task_deposit(1, u64::MAX, 0), Some(u64::MAX));
        assert_eq!(task_deposit(1, u64::MAX, 1), None);
    }

    #[test]
    fn fee_rounds_up_and_full_payout_leaves_nothing() {
        assert_eq!(protocol_fee(0, 1_000), Some(0));
        assert_eq!(protocol_fee(1, 1), Some(1));
        assert_eq!(protocol_fee(150_000, 250), Some(3_750));
        let deposit = task_deposit(5, 50_000, 250).unwrap();
        assert_eq!(close_split(deposit, 250_000, 250), Some((6_250, 0)));
        assert_eq!(close_split(deposit, 100_000, 250), Some((2_500, 153_750)));
        assert_eq!(close_split(deposit, 0, 250), Some((0, deposit)));
    }

    #[test]
    fn no_quorum_pay_rounds_down() {
        assert_eq!(payout(Settlement::NoQuorum, 3, 0, 5_000).reward, 1);
        assert_eq!(payout(Settlement::NoQuorum, 50_000, 0, 5_000).reward, 25_000);
        assert_eq!(payout(Settlement::NoQuorum, u64::MAX, 0, 10_000).reward, u64::MAX);
        assert_eq!(payout(Settlement::NoQuorum, 9_999, 0, 1).reward, 0);
    }

    #[test]
    fn classification_covers_every_case() {
        let (a, b) = ([1; 32], [2; 32]);
        assert_eq!(classify(Some(&a), Some(&a)), Settlement::Agreed);
        assert_eq!(classify(Some(&a), Some(&b)), Settlement::Disagreed);
        assert_eq!(classify(None, Some(&b)), Settlement::NoQuorum);
        assert_eq!(classify(Some(&a), None), Settlement::Unrevealed);
        assert_eq!(classify(None, None), Settlement::Unrevealed);
        assert_eq!(payout(Settlement::Unrevealed, 10, 7, 5_000), Payout { reward: 0, slashed: 7 });
        assert_eq!(payout(Settlement::Disagreed, 10, 7, 5_000), Payout { reward: 0, slashed: 0 });
    }

    /// A random task: n, a valid quorum, amounts, and per committed worker an answer in 0..3 or
    /// `None` (never revealed).
    fn task_strategy() -> impl Strategy<Value = (u8, u8, u64, u64, u16, u16, Vec<Option<u8>>)> {
        (1u8..=32).prop_flat_map(|n| {
            (
                Just(n),
                (n / 2 + 1)..=n,
                1u64..=1_000_000_000_000,
                0u64..=1_000_000_000_000,
                0u16..=1_000,
                0u16..=10_000,
                proptest::collection::vec(proptest::option::weighted(0.8, 0u8..3), 0..=n as usize),
            )
        })
    }

    proptest! {
        #[test]
        fn payouts_fee_and_refund_add_up_to_the_deposit(
            (n, quorum, reward, stake, fee_bps, no_quorum_bps, answers) in task_strategy()
        ) {
            let deposit = task_deposit(n, reward, fee_bps).unwrap();
            let mut slots = vec![tally::TallyEntry { answer_hash: [0; 32], count: 0 }; usize::from(n)];
            let mut used = 0;
            for answer in answers.iter().flatten() {
                tally::record(&mut slots, &mut used, &[*answer; 32]).unwrap();
            }
            let winner = tally::quorum_answer(&slots[..usize::from(used)], quorum);

            let (mut paid, mut slashed) = (0u64, 0u64);
            for answer in &answers {
                let revealed = answer.map(|a| [a; 32]);
                let settled = payout(classify(winner.as_ref(), revealed.as_ref()), reward, stake, no_quorum_bps);
                prop_assert!(settled.reward <= reward);
                prop_assert!(settled.slashed == 0 || settled.slashed == stake);
                paid += settled.reward;
                slashed += settled.slashed;
            }
            prop_assert!(slashed <= stake * answers.len() as u64);
            let (fee, refund) = close_split(deposit, paid, fee_bps).expect("the escrow always covers the fee");
            prop_assert_eq!(u128::from(paid) + u128::from(fee) + u128::from(refund), u128::from(deposit));
            // The fee never exceeds the fee part of the deposit.
            prop_assert!(fee <= deposit - u64::from(n) * reward);
            if answers.len() == usize::from(n) && answers.iter().all(|a| *a == Some(0)) {
                prop_assert_eq!(refund, 0, "a fully paid task returns nothing");
            }
        }
    }
}
