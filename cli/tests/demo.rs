//! `pob demo` end to end: through the library, and as the built binary.
use std::process::Command;

use pob_cli::commands::demo;

#[tokio::test]
async fn the_demo_settles_by_quorum_to_the_base_unit() {
    let mut output = Vec::new();
    let summary = demo::run(&mut output).await.expect("demo runs");
    assert_eq!(summary.deposit, 256_250, "5 x 0.05 + 2.5%");
    let paid: Vec<u64> = summary.workers.iter().map(|(paid, _)| *paid).collect();
    let slashed: Vec<u64> = summary.workers.iter().map(|(_, slashed)| *slashed).collect();
    assert_eq!(paid, [50_000, 50_000, 50_000, 0, 0]);
    assert_eq!(slashed, [0, 0, 0, 0, 500_000], "only the silent worker");
    assert_eq!((summary.fee, summary.stake_slashed), (3_750, 500_000));
    assert_eq!(summary.refund, 256_250 - 150_000 - 3_750, "slashed stake does not go to the requester");
    assert_eq!(summary.withdrawn, [1_050_000, 1_050_000, 1_050_000, 1_000_000, 500_000]);
    assert_eq!(summary.disputed_paid, [0, 0, 0, 50_000, 50_000], "members overturned \"no\"");
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("| worker 5   | (hidden) | never revealed: slashed | 0.000000 | 0.500000 | -      |"),
        "{text}"
    );
    assert!(
        text.contains("| worker 2   | \" Cat\"   | agreed: paid            | 0.050000 | 0.000000 | passed |"),
        "{text}"
    );
    let results = text
        .split_once("task,item,label,votes,revealed,committed,agreement,state,dispute,gold,finalized_at\n");
    let (_, rows) = results.expect("the demo ends with the results file");
    assert!(rows.contains(",https://example.org/photos/4812.jpg,cat,3,4,5,3/4,closed,,cat,"), "{rows}");
    assert!(rows.contains(",yes,2,5,5,2/5,closed,overturned,,"), "the overturned label: {rows}");
}

#[test]
fn the_pob_binary_runs_the_demo() {
    let output = Command::new(env!("CARGO_BIN_EXE_pob")).arg("demo").output().expect("run pob");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "pob demo failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("quorum reached"), "{stdout}");
    assert!(!stdout.contains("Instruction:"), "program logs kept out of the story: {stdout}");
    assert!(stdout.contains("| protocol   |          | fee + slashed stake     | 0.503750 |"), "{stdout}");
}

#[tokio::test]
async fn the_demo_summary_as_json() {
    let text = pob_cli::app::run(["pob", "demo", "--output", "json"]).await.expect("demo runs");
    let summary: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
    assert_eq!(
        (&summary["deposit"]["amount"], &summary["fee"]["base_units"]),
        (&serde_json::json!("0.256250"), &serde_json::json!("3750"))
    );
    assert_eq!(summary["workers"][4]["stake_slashed"]["amount"], "0.500000", "the silent worker was slashed");
    assert_eq!(summary["workers"][3]["disputed_task_paid"]["amount"], "0.050000");
}
