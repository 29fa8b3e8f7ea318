//! Answers a client cannot recover from the chain and the wallet alone. Salts are derived from
//! the wallet (see `salt.rs`) and a `choice` answer is found again by trying each label against
//! the commitment, so neither needs keeping. A free-text or number answer cannot be guessed
//! back: it is written here before its commitment is sent (atomically, mode 0600), keyed by
//! cluster, task and wallet, and forgotten once revealed. A requester's gold answer to a text or
//! number task is kept the same way.
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// An answer kept until it is revealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealSecret {
    /// The canonical answer, exactly as hashed.
    pub answer: String,
}

impl RevealSecret {
    pub fn new(answer: &str) -> Self {
        Self { answer: answer.to_string() }
    }
}

/// A JSON file of secrets keyed by `cluster/task/worker`.
pub struct SecretStore {
    path: PathBuf,
}

impl SecretStore {
    pub fn open(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `$XDG_CONFIG_HOME/pob/secrets.json`, else `~/.config/pob/secrets.json`.
    pub fn default_path() -> Option<PathBuf> {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
        Some(config.join("pob").join("secrets.json"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn key(cluster: &str, task: &Pubkey, worker: &Pubkey) -> String {
        format!("{cluster}/{task}/{worker}")
    }

    fn read_all(&self) -> Result<BTreeMap<String, RevealSecret>> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("{} is not a valid secrets file", self.path.display())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", self.path.display())),
        }
    }

    /// Writes all secrets to a temporary file (mode 0600) next to the store, then renames it
    /// over the store: a crash leaves either the old file or the new one, never half of one.
    fn write_all(&self, secrets: &BTreeMap<String, RevealSecret>) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let temporary = self.path.with_extension("json.tmp");
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file =
            options.open(&temporary).with_context(|| format!("cannot write {}", temporary.display()))?;
        file.write_all(&serde_json::to_vec_pretty(secrets)?)?;
        file.sync_all()?;
        fs::rename(&temporary, &self.path).with_context(|| format!("cannot replace {}", self.path.display()))
    }

    pub fn save(&self, cluster: &str, task: &Pubkey, worker: &Pubkey, secret: &RevealSecret) -> Result<()> {
        let mut secrets = self.read_all()?;
        secrets.insert(Self::key(cluster, task, worker), secret.clone());
        self.write_all(&secrets)
    }

    pub fn load(&self, cluster: &str, task: &Pubkey, worker: &Pubkey) -> Result<Option<RevealSecret>> {
        Ok(self.read_all()?.remove(&Self::key(cluster, task, worker)))
    }

    /// Every task `worker` holds a secret for on `cluster`.
    pub fn tasks(&self, cluster: &str, worker: &Pubkey) -> Result<Vec<Pubkey>> {
        let (prefix, suffix) = (format!("{cluster}/"), format!("/{worker}"));
        Ok(self
            .read_all()?
            .keys()
            .filter_map(|key| key.strip_prefix(&prefix)?.strip_suffix(&suffix)?.parse().ok())
            .collect())
    }

    /// Forgets a secret once its answer is revealed (or its task is gone).
    pub fn remove(&self, cluster: &str, task: &Pubkey, worker: &Pubkey) -> Result<()> {
        let mut secrets = self.read_all()?;
        if secrets.remove(&Self::key(cluster, task, worker)).is_some() {
            self.write_all(&secrets)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_round_trip_per_cluster_task_and_worker() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::open(dir.path().join("nested").join("secrets.json"));
        let (task, worker, other) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let secret = RevealSecret::new("un chat noir");
        assert_eq!(store.load("devnet", &task, &worker).unwrap(), None);
        store.save("devnet", &task, &worker, &secret).unwrap();
        store.save("devnet", &task, &other, &RevealSecret::new("dog")).unwrap();

        let loaded = store.load("devnet", &task, &worker).unwrap().unwrap();
        assert_eq!(loaded.answer, "un chat noir");
        assert_eq!(store.load("mainnet-beta", &task, &worker).unwrap(), None, "keyed by cluster");

        store.remove("devnet", &task, &worker).unwrap();
        assert_eq!(store.load("devnet", &task, &worker).unwrap(), None);
        assert!(store.load("devnet", &task, &other).unwrap().is_some(), "others kept");
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::open(dir.path().join("secrets.json"));
        store
            .save("localhost", &Pubkey::new_unique(), &Pubkey::new_unique(), &RevealSecret::new("yes"))
            .unwrap();
        let mode = fs::metadata(store.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_corrupt_file_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        fs::write(&path, b"{not json").unwrap();
        let store = SecretStore::open(&path);
        let err = store.save("devnet", &Pubkey::new_unique(), &Pubkey::new_unique(), &RevealSecret::new("a"));
        assert!(err.unwrap_err().to_string().contains("is not a valid secrets file"));
        assert_eq!(fs::read(&path).unwrap(), b"{not json", "the user's file is left for them to recover");
    }
}
