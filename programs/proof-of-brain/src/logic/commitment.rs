//! Commit-reveal hashing. Clients compute the same values (the CLI links this module).
use solana_sha256_hasher::hashv;

use crate::constants::{COMMIT_DOMAIN, GOLD_DOMAIN};

/// The hash a worker answers with: sha256 of the answer's bytes (text, label, JSON...).
pub fn answer_hash(answer: &[u8]) -> [u8; 32] {
    hashv(&[answer]).to_bytes()
}

/// `sha256("pob-commit-v1" || task || worker || answer_hash || salt)`.
///
/// Binding the task and the worker stops a commitment being copied to another task or by another
/// worker; the salt stops anyone guessing a low-entropy answer ("yes"/"no") from the commitment.
pub fn answer_commitment(
    task: &[u8; 32],
    worker: &[u8; 32],
    answer_hash: &[u8; 32],
    salt: &[u8; 32],
) -> [u8; 32] {
    hashv(&[COMMIT_DOMAIN, task, worker, answer_hash, salt]).to_bytes()
}

/// `sha256("pob-gold-v1" || task || answer_hash || salt)`: a requester's gold answer, sealed at
/// task creation and revealed after finalize. The task address binds it to one task.
pub fn gold_seal(task: &[u8; 32], answer_hash: &[u8; 32], salt: &[u8; 32]) -> [u8; 32] {
    hashv(&[GOLD_DOMAIN, task, answer_hash, salt]).to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_matches_plain_sha256_of_the_concatenation() {
        let (task, worker, answer, salt) = ([1u8; 32], [2u8; 32], [3u8; 32], [4u8; 32]);
        let mut preimage = COMMIT_DOMAIN.to_vec();
        for part in [&task, &worker, &answer, &salt] {
            preimage.extend_from_slice(part);
        }
        assert_eq!(answer_commitment(&task, &worker, &answer, &salt), hashv(&[&preimage]).to_bytes());
    }

    #[test]
    fn every_input_changes_the_commitment() {
        let base = answer_commitment(&[1; 32], &[2; 32], &[3; 32], &[4; 32]);
        assert_ne!(base, answer_commitment(&[9; 32], &[2; 32], &[3; 32], &[4; 32]));
        assert_ne!(base, answer_commitment(&[1; 32], &[9; 32], &[3; 32], &[4; 32]));
        assert_ne!(base, answer_commitment(&[1; 32], &[2; 32], &[9; 32], &[4; 32]));
        assert_ne!(base, answer_commitment(&[1; 32], &[2; 32], &[3; 32], &[9; 32]));
    }

    #[test]
    fn gold_seal_is_domain_separated_from_commitments() {
        let (task, answer, salt) = ([1u8; 32], [3u8; 32], [4u8; 32]);
        let mut preimage = GOLD_DOMAIN.to_vec();
        for part in [&task, &answer, &salt] {
            preimage.extend_from_slice(part);
        }
        assert_eq!(gold_seal(&task, &answer, &salt), hashv(&[&preimage]).to_bytes());
        assert_ne!(gold_seal(&task, &answer, &salt), answer_commitment(&task, &[0; 32], &answer, &salt));
    }

    #[test]
    fn answer_hash_is_sha256() {
        // sha256("cat")
        let expected = "77af778b51abd4a3c51c5ddd97204a9c3ae614ebccb75a606c3b6865aed6744e";
        let hex: String = answer_hash(b"cat").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected);
    }
}
