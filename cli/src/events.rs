//! The program's events, read back from transaction logs (what an indexer does).
//!
//! On SBF, Anchor's `emit!` writes `Program data: <base64>`. The host build of the program (the
//! native embedded ledger) cannot reach that syscall, so it logs the same line through `msg!`,
//! which the runtime prefixes with `Program log: `. Lines count only while the program itself is
//! executing (tracked from the runtime's `invoke` / `success` / `failed` lines), so another
//! program's logs can never pass for its events.
use anchor_lang::prelude::Pubkey;
use anchor_lang::Event;
use base64::Engine;

/// The raw events (discriminator + borsh) that `program` emitted in `logs`, in order.
pub fn program_events(logs: &[String], program: &Pubkey) -> Vec<Vec<u8>> {
    let program = program.to_string();
    let mut stack: Vec<&str> = Vec::new();
    let mut events = Vec::new();
    for line in logs {
        if let Some(rest) = line.strip_prefix("Program ") {
            let mut words = rest.split_whitespace();
            match (words.next(), words.next()) {
                (Some(id), Some("invoke")) => {
                    stack.push(id);
                    continue;
                }
                (Some(id), Some("success" | "failed:")) if stack.last() == Some(&id) => {
                    stack.pop();
                    continue;
                }
                _ => {}
            }
        }
        if stack.last() != Some(&program.as_str()) {
            continue;
        }
        let data =
            line.strip_prefix("Program data: ").or_else(|| line.strip_prefix("Program log: Program data: "));
        if let Some(bytes) =
            data.and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
        {
            events.push(bytes);
        }
    }
    events
}

/// The compute units each top-level invocation of `program` consumed, in order (SBF runs only:
/// the host build reports none).
pub fn top_level_compute_units(logs: &[String], program: &Pubkey) -> Vec<u64> {
    let prefix = format!("Program {program} consumed ");
    let mut depth = 0usize;
    let mut units = Vec::new();
    for line in logs {
        if line.ends_with(" invoke [1]") {
            depth = 1;
        } else if let Some(rest) = line.strip_prefix(&prefix).filter(|_| depth == 1) {
            if let Some(consumed) = rest.split_whitespace().next().and_then(|n| n.parse().ok()) {
                units.push(consumed);
            }
        } else if line.contains(" invoke [") {
            depth = 2;
        } else if line.starts_with("Program ") && (line.ends_with(" success") || line.contains(" failed: ")) {
            depth = depth.saturating_sub(1);
        }
    }
    units
}

/// The events of type `E` among `raw` events.
pub fn decode_all<E: Event>(raw: &[Vec<u8>]) -> Vec<E> {
    raw.iter().filter_map(|data| decode(data)).collect()
}

/// `data` as an event of type `E`, if it is one.
pub fn decode<E: Event>(data: &[u8]) -> Option<E> {
    let mut body = data.strip_prefix(E::DISCRIMINATOR)?;
    E::deserialize(&mut body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_programs_own_frames_count() {
        let program = Pubkey::new_unique();
        let other = Pubkey::new_unique();
        let logs: Vec<String> = [
            format!("Program {program} invoke [1]"),
            "Program data: AQI=".to_string(),
            format!("Program {other} invoke [2]"),
            "Program data: BAU=".to_string(),
            format!("Program {other} success"),
            "Program log: Program data: Bgc=".to_string(),
            format!("Program {program} success"),
            "Program data: CAk=".to_string(),
        ]
        .into();
        assert_eq!(program_events(&logs, &program), vec![vec![1, 2], vec![6, 7]]);
    }
}
