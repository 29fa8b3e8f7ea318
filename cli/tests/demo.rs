//! `pob demo` end to end: through the library, and as the built binary.
use std::process::Command;

use pob_cli::commands::demo;

#[tokio::test]
async fn the_demo_settles_by_quorum_to_the_base_unit() {
    let mut output = Vec::new();
    let summary = demo::run(&mut output).await.expect("demo runs");
    assert_eq!(summary.deposit, 256_250);
    let stake_left: Vec<u64> = summary.workers.iter().map(|(_, stake)| *stake).collect();
    let paid: Vec<u64> = summary.workers.iter().map(|(paid, _)| *paid).collect();
    assert_eq!(paid, [50_000, 50_000, 50_000, 0, 0]);
    assert_eq!(stake_left, [1_000_000, 1_000_000, 1_000_000, 1_000_000, 500_000]);
    assert_eq!(summary.fee, 3_750);
    assert_eq!(summary.refund, 256_250 - 150_000 - 3_750 + 500_000);
    assert_eq!(summary.disputed_paid, [0, 0, 0, 50_000, 50_000], "members overturned \"no\"");
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("| worker 5   | (hidden) | never revealed: slashed | 0.000000 | 0.500000    |"),
        "{text}"
    );
}

#[test]
fn the_pob_binary_runs_the_demo() {
    let output = Command::new(env!("CARGO_BIN_EXE_pob")).arg("demo").output().expect("run pob");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "pob demo failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("quorum reached"), "{stdout}");
    assert!(!stdout.contains("Instruction:"), "program logs kept out of the story: {stdout}");
    assert!(stdout.contains("| treasury   |          | protocol fee            | 0.003750 |"), "{stdout}");
}

#[tokio::test]
async fn the_demo_summary_as_json() {
    let text = pob_cli::app::run(["pob", "demo", "--output", "json"]).await.expect("demo runs");
    let summary: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
    assert_eq!(
        (&summary["deposit"], &summary["fee"]),
        (&serde_json::json!("0.256250"), &serde_json::json!("0.003750"))
    );
    assert_eq!(summary["workers"][4]["stake_left"], "0.500000", "the silent worker was slashed");
    assert_eq!(summary["workers"][3]["disputed_task_paid"], "0.050000");
}
