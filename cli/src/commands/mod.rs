//! One module per command group of `pob`; each turns parsed arguments into transactions or
//! reads, and returns a [`Report`](crate::output::Report).
pub mod dao;
pub mod demo;
pub mod dispute;
pub mod embedded;
pub mod funds;
pub mod mint;
pub mod protocol;
pub mod task;
pub mod wallet;
pub mod worker;

use std::path::Path;

use anyhow::{anyhow, Context, Result};

use crate::amount::parse_amount;
use crate::duration::parse_duration;

/// Reads an amount flag with the mint's decimals; the error names the flag.
pub(crate) fn amount_flag(flag: &str, text: &str, decimals: u8) -> Result<u64> {
    parse_amount(text, decimals).map_err(|err| anyhow!("{flag}: {err}"))
}

/// clap parser for durations (`90s`, `30m`, `1h`, `2d`).
pub(crate) fn duration_arg(text: &str) -> Result<i64, String> {
    let seconds = parse_duration(text).map_err(|err| err.to_string())?;
    if seconds <= 0 {
        return Err(format!("expected a positive duration, got {text:?}"));
    }
    Ok(seconds)
}

/// A window in seconds as the program stores it.
pub(crate) fn window_secs(flag: &str, seconds: i64) -> Result<u32> {
    u32::try_from(seconds).map_err(|_| anyhow!("{flag}: {seconds}s is too long"))
}

/// clap parser for a percentage (`50`, `12.5`, `50%`) as basis points.
pub(crate) fn percent_arg(text: &str) -> Result<u16, String> {
    let number = text.trim().trim_end_matches('%');
    let bps = parse_amount(number, 2)
        .map_err(|_| format!("expected a percentage like 50 or 12.5%, got {text:?}"))?;
    u16::try_from(bps)
        .ok()
        .filter(|bps| *bps <= 10_000)
        .ok_or_else(|| format!("expected at most 100%, got {text:?}"))
}

/// Basis points as a plain percentage number: 250 -> "2.5", 5000 -> "50".
pub(crate) fn bps_value(bps: u16) -> String {
    let text = crate::amount::format_amount(u64::from(bps), 2);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn read_file(flag: &str, path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{flag}: cannot read {}", path.display()))
}
