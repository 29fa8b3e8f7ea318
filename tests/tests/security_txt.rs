//! The program embeds a security.txt (solana-security-txt format) with the fields that
//! `query-security-txt` and explorers require.
#[test]
fn security_txt_has_the_required_fields() {
    let text = proof_of_brain::SECURITY_TXT;
    let body = text
        .strip_prefix("=======BEGIN SECURITY.TXT V1=======\0")
        .and_then(|rest| rest.strip_suffix("=======END SECURITY.TXT V1=======\0"))
        .expect("framed as security.txt v1");
    let parts: Vec<&str> = body.split_terminator('\0').collect();
    assert_eq!(parts.len() % 2, 0, "key/value pairs");
    let fields: std::collections::BTreeMap<&str, &str> = parts.chunks(2).map(|kv| (kv[0], kv[1])).collect();
    for required in ["name", "project_url", "contacts", "policy"] {
        assert!(fields.get(required).is_some_and(|v| !v.is_empty()), "missing {required}");
    }
    assert_eq!(fields["name"], "Proof of Brain");
    assert!(fields["contacts"].starts_with("email:"));
    assert!(fields["policy"].ends_with("SECURITY.md"));
}
