//! Where `pob` sends transactions and who signs them, following the solana CLI's conventions:
//! flags first, then `~/.config/solana/cli/config.yml`, then the embedded ledger (so a fresh
//! machine never reaches a real cluster by accident).
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use solana_sdk::signature::{read_keypair_file, Keypair};

/// A cluster to talk to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cluster {
    /// The in-process bank, persisted in a ledger file.
    Embedded,
    /// A JSON-RPC endpoint.
    Rpc { url: String },
}

impl Cluster {
    /// A short stable name: the moniker of a well-known cluster, else its URL. Keys the local
    /// secrets store, so salts of devnet and mainnet never mix.
    pub fn name(&self) -> String {
        match self {
            Cluster::Embedded => "embedded".into(),
            Cluster::Rpc { url } => MONIKERS
                .iter()
                .find(|(_, _, known)| known == url)
                .map_or_else(|| url.clone(), |(moniker, _, _)| (*moniker).into()),
        }
    }
}

/// (moniker, short form, URL), as the solana CLI knows them.
const MONIKERS: [(&str, &str, &str); 4] = [
    ("localhost", "l", "http://localhost:8899"),
    ("devnet", "d", "https://api.devnet.solana.com"),
    ("testnet", "t", "https://api.testnet.solana.com"),
    ("mainnet-beta", "m", "https://api.mainnet-beta.solana.com"),
];

/// Reads `-u/--url`: a moniker (`localhost`, `devnet`, `testnet`, `mainnet-beta`, their one-letter
/// forms, or `embedded`) or an http(s) URL.
pub fn parse_cluster(text: &str) -> Result<Cluster> {
    let text = text.trim();
    if text == "embedded" {
        return Ok(Cluster::Embedded);
    }
    if let Some((_, _, url)) = MONIKERS.iter().find(|(moniker, short, _)| text == *moniker || text == *short)
    {
        return Ok(Cluster::Rpc { url: (*url).into() });
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        return Ok(Cluster::Rpc { url: text.into() });
    }
    bail!(
        "--url: expected embedded, localhost, devnet, testnet, mainnet-beta or an http(s) URL, got {text:?}"
    )
}

/// What the command line and the solana CLI config say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub cluster: Cluster,
    pub keypair_path: Option<PathBuf>,
    pub commitment: String,
}

/// Resolves the cluster and keypair: flags, else the solana CLI config file (`config_file`, or
/// the default location), else the embedded ledger and no keypair.
pub fn resolve(
    url_flag: Option<&str>,
    keypair_flag: Option<&Path>,
    config_file: Option<&Path>,
) -> Result<Settings> {
    let default_file = solana_cli_config::CONFIG_FILE.as_ref().map(PathBuf::from);
    let file = config_file.map(Path::to_path_buf).or(default_file).filter(|path| path.exists());
    let config = match &file {
        Some(path) => Some(
            solana_cli_config::Config::load(&path.to_string_lossy())
                .map_err(|err| anyhow!("cannot read the solana config {}: {err}", path.display()))?,
        ),
        None => None,
    };
    let cluster = match (url_flag, &config) {
        (Some(flag), _) => parse_cluster(flag)?,
        (None, Some(config)) => parse_cluster(&config.json_rpc_url)?,
        (None, None) => Cluster::Embedded,
    };
    let keypair_path = keypair_flag
        .map(Path::to_path_buf)
        .or_else(|| config.as_ref().map(|c| PathBuf::from(&c.keypair_path)));
    let commitment = config.as_ref().map_or_else(|| "confirmed".into(), |c| c.commitment.clone());
    Ok(Settings { cluster, keypair_path, commitment })
}

/// Reads a keypair file (the solana CLI's JSON array of 64 bytes) with a readable error.
pub fn read_keypair(path: &Path) -> Result<Keypair> {
    if !path.exists() {
        bail!("keypair file {} not found (create one with `solana-keygen new`, or pass -k)", path.display());
    }
    read_keypair_file(path)
        .map_err(|err| anyhow!("{err}"))
        .with_context(|| format!("{} is not a readable keypair file", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::signature::{write_keypair_file, Signer};

    #[test]
    fn monikers_short_forms_and_urls() {
        assert_eq!(parse_cluster("embedded").unwrap(), Cluster::Embedded);
        let devnet = Cluster::Rpc { url: "https://api.devnet.solana.com".into() };
        assert_eq!(parse_cluster("devnet").unwrap(), devnet);
        assert_eq!(parse_cluster("d").unwrap(), devnet);
        assert_eq!(devnet.name(), "devnet");
        let custom = parse_cluster("https://rpc.example.org/abc").unwrap();
        assert_eq!(custom.name(), "https://rpc.example.org/abc");
        let err = parse_cluster("mainnet").unwrap_err().to_string();
        assert!(err.starts_with("--url: expected embedded, localhost"), "{err}");
    }

    #[test]
    fn flags_win_then_the_config_file_then_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            "json_rpc_url: \"https://api.devnet.solana.com\"\nwebsocket_url: \"\"\nkeypair_path: /tmp/id.json\naddress_labels: {}\ncommitment: finalized\n",
        )
        .unwrap();
        let from_file = resolve(None, None, Some(&config)).unwrap();
        assert_eq!(from_file.cluster.name(), "devnet");
        assert_eq!(from_file.keypair_path.as_deref(), Some(Path::new("/tmp/id.json")));
        assert_eq!(from_file.commitment, "finalized");

        let flags = resolve(Some("embedded"), Some(Path::new("/k.json")), Some(&config)).unwrap();
        assert_eq!(
            (flags.cluster, flags.keypair_path.as_deref()),
            (Cluster::Embedded, Some(Path::new("/k.json")))
        );

        let none = resolve(None, None, Some(&dir.path().join("absent.yml"))).unwrap();
        assert_eq!(none.cluster, Cluster::Embedded);
    }

    #[test]
    fn keypair_files_read_or_explain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.json");
        let keypair = Keypair::new();
        write_keypair_file(&keypair, &path).unwrap();
        assert_eq!(read_keypair(&path).unwrap().pubkey(), keypair.pubkey());

        let missing = read_keypair(&dir.path().join("nope.json")).unwrap_err().to_string();
        assert!(missing.contains("not found"), "{missing}");
        let garbage = dir.path().join("garbage.json");
        std::fs::write(&garbage, "hello").unwrap();
        let err = read_keypair(&garbage).unwrap_err().to_string();
        assert!(err.ends_with("is not a readable keypair file"), "{err}");
    }
}
