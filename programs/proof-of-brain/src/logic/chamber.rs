//! Worker-chamber vote weight: proportional to locked stake.

/// Vote weight of `locked` base units of chamber stake at `stake_per_weight` base units per unit
/// of weight, rounded down. Because of the rounding, splitting one stake over several wallets
/// never gives more total weight than keeping it in one: floor(a/p) + floor(b/p) <= floor((a+b)/p).
pub fn weight(locked: u64, stake_per_weight: u64) -> u64 {
    locked.checked_div(stake_per_weight).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weight_rounds_down() {
        assert_eq!(weight(2_999_999, 1_000_000), 2);
        assert_eq!(weight(3_000_000, 1_000_000), 3);
        assert_eq!(weight(999_999, 1_000_000), 0);
        assert_eq!(weight(5, 0), 0, "no price, no weight");
    }

    proptest! {
        #[test]
        fn splitting_a_stake_never_adds_weight(parts in proptest::collection::vec(0u64..=1_000_000_000_000, 1..20),
                                               price in 1u64..=10_000_000) {
            let split: u64 = parts.iter().map(|&part| weight(part, price)).sum();
            let whole = weight(parts.iter().sum(), price);
            prop_assert!(split <= whole);
        }
    }
}
