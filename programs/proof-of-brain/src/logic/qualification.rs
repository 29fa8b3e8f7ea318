//! Who may answer a task: the requester's qualification against the worker's record.
use crate::constants::BPS_DENOMINATOR;

/// Why a worker may not commit to a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortfall {
    AgreedAnswers,
    AgreementRate,
    GoldAccuracy,
}

/// A worker's track record, as the qualification reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub agreed: u32,
    pub disagreed: u32,
    pub gold_passed: u32,
    pub gold_failed: u32,
}

/// Checks `record` against the minimums (0 = no requirement). A rate with no history behind it
/// (no revealed answers, or no gold) counts as 0, so it meets only a zero minimum.
pub fn check(
    record: Record,
    min_agreed_answers: u32,
    min_agreement_bps: u16,
    min_gold_accuracy_bps: u16,
) -> Result<(), Shortfall> {
    if record.agreed < min_agreed_answers {
        return Err(Shortfall::AgreedAnswers);
    }
    if !rate_at_least(record.agreed, record.disagreed, min_agreement_bps) {
        return Err(Shortfall::AgreementRate);
    }
    if !rate_at_least(record.gold_passed, record.gold_failed, min_gold_accuracy_bps) {
        return Err(Shortfall::GoldAccuracy);
    }
    Ok(())
}

/// `hits / (hits + misses) >= min_bps / 10_000`, exactly (u64 cross-multiplication).
fn rate_at_least(hits: u32, misses: u32, min_bps: u16) -> bool {
    if min_bps == 0 {
        return true;
    }
    let total = u64::from(hits) + u64::from(misses);
    u64::from(hits) * u64::from(BPS_DENOMINATOR) >= u64::from(min_bps) * total && total > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(agreed: u32, disagreed: u32, gold_passed: u32, gold_failed: u32) -> Record {
        Record { agreed, disagreed, gold_passed, gold_failed }
    }

    #[test]
    fn no_requirement_admits_a_newcomer() {
        assert_eq!(check(Record::default(), 0, 0, 0), Ok(()));
    }

    #[test]
    fn each_minimum_is_checked_exactly_at_its_edge() {
        assert_eq!(check(record(9, 0, 0, 0), 10, 0, 0), Err(Shortfall::AgreedAnswers));
        assert_eq!(check(record(10, 0, 0, 0), 10, 0, 0), Ok(()));
        // 8 of 10 = 8,000 bps
        assert_eq!(check(record(8, 2, 0, 0), 0, 8_000, 0), Ok(()));
        assert_eq!(check(record(8, 2, 0, 0), 0, 8_001, 0), Err(Shortfall::AgreementRate));
        assert_eq!(check(record(3, 0, 2, 1), 0, 0, 6_666), Ok(()));
        assert_eq!(check(record(3, 0, 2, 1), 0, 0, 6_667), Err(Shortfall::GoldAccuracy));
    }

    #[test]
    fn a_rate_without_history_meets_no_positive_minimum() {
        assert_eq!(check(record(0, 0, 0, 0), 0, 1, 0), Err(Shortfall::AgreementRate));
        assert_eq!(check(record(5, 0, 0, 0), 0, 0, 1), Err(Shortfall::GoldAccuracy));
        assert_eq!(check(record(u32::MAX, u32::MAX, u32::MAX, 0), 0, 5_000, 10_000), Ok(()));
    }
}
