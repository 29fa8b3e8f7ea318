//! Where clients find a task's spec: a local content-addressed store (`specs/<sha256>.json` in
//! the data directory), filled when a task is created from a spec and whenever a spec is
//! fetched from its task's URI (`https://`, `http://`, `file://` or a local path). Every spec
//! read is checked against the task's `spec_hash`, so a URI can move but never lie.
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};

use crate::hex;
use crate::spec::{spec_hash, TaskSpec};

pub struct SpecStore {
    dir: PathBuf,
}

/// A spec and the bytes it was read from.
#[derive(Clone, Debug)]
pub struct LoadedSpec {
    pub spec: TaskSpec,
    pub bytes: Vec<u8>,
}

impl SpecStore {
    pub fn open(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn path_of(&self, hash: &[u8; 32]) -> PathBuf {
        self.dir.join(format!("{}.json", hex::encode(hash)))
    }

    /// Keeps `bytes` under their hash.
    pub fn put(&self, bytes: &[u8]) -> Result<[u8; 32]> {
        let hash = spec_hash(bytes);
        let path = self.path_of(&hash);
        if !path.exists() {
            std::fs::create_dir_all(&self.dir)
                .with_context(|| format!("cannot create {}", self.dir.display()))?;
            let temporary = path.with_extension("tmp");
            std::fs::write(&temporary, bytes)
                .with_context(|| format!("cannot write {}", temporary.display()))?;
            std::fs::rename(&temporary, &path).with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(hash)
    }

    /// The spec with `hash`: from the store, else fetched from `uri` (and then stored).
    pub async fn get(&self, hash: &[u8; 32], uri: &str) -> Result<LoadedSpec> {
        let path = self.path_of(hash);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(_) if uri.is_empty() => {
                bail!("the task publishes no spec URI and this machine has no copy of its spec")
            }
            Err(_) => {
                let bytes = fetch(uri).await?;
                if spec_hash(&bytes) != *hash {
                    bail!("the spec at {uri} does not match the task's spec hash (it changed since the task was posted)");
                }
                self.put(&bytes)?;
                bytes
            }
        };
        let spec = TaskSpec::parse(&bytes).map_err(|err| anyhow!("the task's spec is not valid: {err}"))?;
        Ok(LoadedSpec { spec, bytes })
    }
}

/// The bytes at `uri`.
async fn fetch(uri: &str) -> Result<Vec<u8>> {
    if uri.starts_with("https://") || uri.starts_with("http://") {
        let response =
            reqwest::get(uri).await.with_context(|| format!("cannot fetch the spec from {uri}"))?;
        let response =
            response.error_for_status().with_context(|| format!("cannot fetch the spec from {uri}"))?;
        return Ok(response
            .bytes()
            .await
            .with_context(|| format!("cannot fetch the spec from {uri}"))?
            .to_vec());
    }
    let path = uri.strip_prefix("file://").unwrap_or(uri);
    if uri.contains("://") && !uri.starts_with("file://") {
        bail!("cannot fetch the spec from {uri}: only http(s) and file URIs are supported");
    }
    std::fs::read(path).with_context(|| format!("cannot read the spec at {uri}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"{"version": 1, "prompt": "Cat?", "item": {"text": "meow"}, "answer": {"kind": "choice", "labels": ["yes", "no"]}}"#;

    #[tokio::test]
    async fn specs_come_from_the_store_or_a_uri_and_must_match_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = SpecStore::open(dir.path().join("specs"));
        let published = dir.path().join("published.json");
        std::fs::write(&published, SPEC).unwrap();
        let hash = spec_hash(SPEC.as_bytes());
        let uri = format!("file://{}", published.display());

        let loaded = store.get(&hash, &uri).await.unwrap();
        assert_eq!(loaded.spec.labels(), ["yes", "no"]);
        assert!(store.path_of(&hash).exists(), "fetched specs are kept");
        std::fs::remove_file(&published).unwrap();
        assert_eq!(store.get(&hash, &uri).await.unwrap().bytes, SPEC.as_bytes());

        let other = SpecStore::open(dir.path().join("other"));
        std::fs::write(&published, SPEC.replace("meow", "woof")).unwrap();
        let err = other.get(&hash, &uri).await.unwrap_err().to_string();
        assert!(err.contains("does not match the task's spec hash"), "{err}");
        let err = other.get(&hash, "").await.unwrap_err().to_string();
        assert!(err.contains("no copy of its spec"), "{err}");
        let err = other.get(&hash, "ipfs://bafy").await.unwrap_err().to_string();
        assert!(err.contains("only http(s) and file URIs"), "{err}");
    }
}
