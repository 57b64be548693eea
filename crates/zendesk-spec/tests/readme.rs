//! The crate README's snippet, as written there (`tests/docs.rs` of the
//! workspace checks it is this region), run from the workspace root.

#[test]
fn the_readme_snippet_runs() -> Result<(), Box<dyn std::error::Error>> {
    std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))?;
    // ANCHOR: readme
    use zendesk_spec::SpecDocument;

    let spec = SpecDocument::load("spec/openapi.yaml")?;
    let bundle = spec.json_schema_bundle()?; // every component schema, self-contained
    for operation in spec.operations()? {
        println!("{} {} {}", operation.method, operation.path, operation.id);
    }
    // ANCHOR_END: readme
    assert!(
        bundle["definitions"]["SideConversation"].is_object(),
        "{bundle:#}"
    );
    assert!(spec.operations()?.iter().any(|o| o.id == "CreateTicket"));
    Ok(())
}
