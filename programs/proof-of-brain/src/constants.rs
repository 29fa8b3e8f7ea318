//! Seeds and protocol-wide limits. Every PDA seed lives here so clients and the program agree.

use anchor_lang::prelude::{pubkey, Pubkey};

pub const PROTOCOL_SEED: &[u8] = b"protocol";
/// The Protocol PDA and its canonical bump, fixed by the program id (a unit test derives both):
/// creating the protocol needs no address search.
pub const PROTOCOL_ADDRESS: Pubkey = pubkey!("CPPGKjSAwWT2K37TF2SpUrMU5i4qdgcrZTPtM6HyeSmG");
pub const PROTOCOL_BUMP: u8 = 254;
pub const MINT_CONFIG_SEED: &[u8] = b"mint";
pub const VAULT_SEED: &[u8] = b"vault";
pub const FEE_BALANCE_SEED: &[u8] = b"fees";
pub const BALANCE_SEED: &[u8] = b"balance";
/// A wallet's Worker and Requester records live at `create_with_seed(wallet, seed, program)`:
/// one address per wallet, created by the wallet itself with the system program in the same
/// transaction, so the program neither searches for a bump nor makes a CPI to create them.
pub const WORKER_RECORD_SEED: &str = "pob-worker-v1";
pub const REQUESTER_RECORD_SEED: &str = "pob-requester-v1";

/// A member's Vote on a dispute lives at `create_with_seed(member, vote_seed(dispute), program)`,
/// created by the member in the voting transaction like the records above.
pub fn vote_seed(dispute: &Pubkey) -> [u8; 32] {
    // The first 16 bytes of the dispute address in hex: 32 characters, the longest seed allowed
    // (a 128-bit prefix: no other dispute can be made to share it).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut seed = [0u8; 32];
    for (i, byte) in dispute.as_ref()[..16].iter().enumerate() {
        seed[2 * i] = HEX[usize::from(byte >> 4)];
        seed[2 * i + 1] = HEX[usize::from(byte & 0x0f)];
    }
    seed
}

/// [`vote_seed`] as the `&str` that `create_with_seed` takes.
pub fn vote_seed_str(seed: &[u8; 32]) -> &str {
    core::str::from_utf8(seed).expect("hex digits")
}
pub const TASK_SEED: &[u8] = b"task";
pub const SUBMISSION_SEED: &[u8] = b"submission";
pub const MEMBER_SEED: &[u8] = b"member";
pub const DISPUTE_SEED: &[u8] = b"dispute";

/// Basis points in one whole.
pub const BPS_DENOMINATOR: u16 = 10_000;
/// Hard cap on the protocol fee: 10%. No governance action can exceed it.
pub const MAX_FEE_BPS: u16 = 1_000;
/// Most answers one task can ask for; bounds the on-chain tally.
pub const MAX_ANSWERS: u8 = 32;
/// Most candidates a dispute can have: every distinct revealed answer, plus Void.
pub const MAX_DISPUTE_CANDIDATES: usize = MAX_ANSWERS as usize + 1;
/// Longest spec URI stored on a task, in bytes.
pub const MAX_SPEC_URI_LEN: usize = 200;
/// Longest window the authority may set for disputes, votes and task phases (30 days): keeps
/// funds and stake from being parked for long.
pub const MAX_WINDOW_SECS: u32 = 30 * 24 * 60 * 60;
/// Shortest commit or reveal window governance may allow (1 minute): below that, honest workers
/// cannot reveal in time and would be slashed.
pub const MIN_TASK_WINDOW_FLOOR_SECS: u32 = 60;
/// Domain separator of answer commitments.
pub const COMMIT_DOMAIN: &[u8] = b"pob-commit-v1";
/// Domain separator of a requester's sealed gold answer.
pub const GOLD_DOMAIN: &[u8] = b"pob-gold-v1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_seed_is_the_dispute_prefix_in_hex() {
        let dispute = Pubkey::new_from_array([0xab; 32]);
        assert_eq!(vote_seed_str(&vote_seed(&dispute)), "ab".repeat(16));
        assert!(Pubkey::create_with_seed(&dispute, vote_seed_str(&vote_seed(&dispute)), &crate::ID).is_ok());
    }

    #[test]
    fn the_protocol_address_and_bump_are_the_canonical_pda() {
        assert_eq!(
            Pubkey::find_program_address(&[PROTOCOL_SEED], &crate::ID),
            (PROTOCOL_ADDRESS, PROTOCOL_BUMP)
        );
    }
}
