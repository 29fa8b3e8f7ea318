//! Salts nobody can lose: derived from the wallet, not stored.
//!
//! The salt of a worker's answer to a task is `sha256("pob-salt-v1" || signature)`, where
//! `signature` is the wallet's Ed25519 signature of [`answer_salt_message`]. Ed25519 signatures
//! are deterministic (RFC 8032), so the same keypair gives the same salt on any machine, in the
//! CLI and in a browser wallet's `signMessage` alike, and nobody without the key can compute it.
//! A requester's gold salt is derived the same way from [`gold_salt_message`]. The message is
//! plain text, so a wallet that shows it before signing shows what it is for.
use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

pub const SALT_DOMAIN: &[u8] = b"pob-salt-v1";

/// What a worker's wallet signs to get its salt for `task`.
pub fn answer_salt_message(task: &Pubkey) -> String {
    format!("Proof of Brain answer salt v1\ntask: {task}\nSigning this moves no funds.")
}

/// What a requester's wallet signs to get the salt of its gold answer for `task`.
pub fn gold_salt_message(task: &Pubkey) -> String {
    format!("Proof of Brain gold salt v1\ntask: {task}\nSigning this moves no funds.")
}

/// The salt from a signature of one of the messages above.
pub fn salt_from_signature(signature: &[u8; 64]) -> [u8; 32] {
    solana_sha256_hasher::hashv(&[SALT_DOMAIN, signature]).to_bytes()
}

pub fn answer_salt(wallet: &Keypair, task: &Pubkey) -> [u8; 32] {
    let signature = wallet.sign_message(answer_salt_message(task).as_bytes());
    salt_from_signature(signature.as_array())
}

pub fn gold_salt(wallet: &Keypair, task: &Pubkey) -> [u8; 32] {
    let signature = wallet.sign_message(gold_salt_message(task).as_bytes());
    salt_from_signature(signature.as_array())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_are_deterministic_per_wallet_and_task_and_differ_by_purpose() {
        let wallet = Keypair::new_from_array([7; 32]);
        let (task, other_task) = (Pubkey::new_from_array([1; 32]), Pubkey::new_from_array([2; 32]));
        let again = Keypair::new_from_array([7; 32]);
        assert_eq!(answer_salt(&wallet, &task), answer_salt(&again, &task));
        assert_ne!(answer_salt(&wallet, &task), answer_salt(&wallet, &other_task));
        assert_ne!(answer_salt(&wallet, &task), gold_salt(&wallet, &task));
        assert_ne!(answer_salt(&wallet, &task), answer_salt(&Keypair::new_from_array([8; 32]), &task));
    }

    /// The vector the web app's test checks byte for byte (docs/schemas/salt-vector.json).
    #[test]
    fn salt_vector_matches_the_shared_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/schemas/salt-vector.json");
        let vector: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let secret: [u8; 32] =
            crate::hex::decode(vector["secret_key_seed_hex"].as_str().unwrap()).unwrap().try_into().unwrap();
        let wallet = Keypair::new_from_array(secret);
        assert_eq!(vector["wallet"].as_str().unwrap(), wallet.pubkey().to_string());
        let task: Pubkey = vector["task"].as_str().unwrap().parse().unwrap();
        assert_eq!(vector["message"].as_str().unwrap(), answer_salt_message(&task));
        assert_eq!(vector["salt_hex"].as_str().unwrap(), crate::hex::encode(&answer_salt(&wallet, &task)));
        assert_eq!(vector["gold_message"].as_str().unwrap(), gold_salt_message(&task));
        assert_eq!(vector["gold_salt_hex"].as_str().unwrap(), crate::hex::encode(&gold_salt(&wallet, &task)));
    }
}
