//! The program's interface as clients consume it: `idl/proof_of_brain.json` is the Anchor IDL
//! generated from the program (its `idl-build` feature, no SBF build needed). This test builds it
//! again and fails when the committed file is stale; `POB_WRITE_IDL=1` rewrites it:
//!
//!     POB_WRITE_IDL=1 cargo test -p proof-of-brain-tests --test idl
use std::path::Path;

#[test]
fn the_committed_idl_is_the_programs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let program = root.join("programs/proof-of-brain");
    // The builder runs `cargo test` on the program with the `idl-build` feature. Under rustup,
    // RUSTUP_TOOLCHAIN is set for this process and anchor-lang-idl 0.1.4 would pass it on as a
    // malformed `+toolchain` argument; the nested build gets its own target directory so it never
    // waits for this one's lock.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let target = root.join("target/idl");
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(program)
        .cargo_args(vec!["--target-dir".into(), target.display().to_string(), "--locked".into()])
        .build()
        .expect("the IDL builds from the program");
    let built = serde_json::to_string_pretty(&idl).expect("IDL JSON") + "\n";
    let path = root.join("idl/proof_of_brain.json");
    if std::env::var_os("POB_WRITE_IDL").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &built).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == built,
        "idl/proof_of_brain.json is stale: run `POB_WRITE_IDL=1 cargo test -p proof-of-brain-tests --test idl` \
         and commit the result"
    );
    for name in pob_cli::ix::INSTRUCTION_NAMES {
        assert!(idl.instructions.iter().any(|ix| ix.name == *name), "the IDL has {name}");
    }
}
