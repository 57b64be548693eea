//! The docs cannot drift from the code: every Rust snippet of the README,
//! the guides in `docs/` and the crates' READMEs is, line for line, a region
//! of a test that runs against the fake; every shell block marked to run
//! names a test that reads this page; every relative link leads to a file;
//! and the README stays a short map.

#[path = "support/markdown_snippets.rs"]
mod markdown_snippets;

use std::collections::BTreeSet;

use markdown_snippets::{blocks, pages, root, Block};

/// The region of `path` between `// ANCHOR: name` and `// ANCHOR_END:
/// name`, without their common indentation, and the line it starts at.
fn region(path: &str, name: &str) -> Result<(Vec<String>, usize), String> {
    let text = std::fs::read_to_string(root().join(path)).map_err(|e| format!("{path}: {e}"))?;
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("// ANCHOR: {name}"))
        .ok_or_else(|| format!("{path} has no `// ANCHOR: {name}`"))?;
    let end = lines[start..]
        .iter()
        .position(|l| l.trim() == format!("// ANCHOR_END: {name}"))
        .map(|n| start + n)
        .ok_or_else(|| format!("{path}:{}: `// ANCHOR: {name}` is never ended", start + 1))?;
    let body = &lines[start + 1..end];
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body = body
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end().to_string())
        .collect();
    Ok((body, start + 2))
}

/// What is wrong with a `rust` block, if anything.
fn check_rust_block(block: &Block) -> Option<String> {
    let at = format!("{}:{}", block.page, block.line);
    let Some(("snippet", target)) = block.marker.as_ref().map(|(k, v)| (k.as_str(), v.as_str()))
    else {
        return Some(format!(
            "{at}: a rust block without `<!-- snippet: PATH#NAME -->` above it; keep the code in a test that runs and name its region"
        ));
    };
    let Some((path, name)) = target.split_once('#') else {
        return Some(format!("{at}: `{target}` is not PATH#NAME"));
    };
    let (expected, first_line) = match region(path, name) {
        Ok(found) => found,
        Err(error) => return Some(format!("{at}: {error}")),
    };
    let shown: Vec<String> = block
        .body
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect();
    if shown == expected {
        return None;
    }
    let differs = shown
        .iter()
        .zip(&expected)
        .position(|(a, b)| a != b)
        .unwrap_or(shown.len().min(expected.len()));
    Some(format!(
        "{at}: the snippet differs from {path}:{} (its region `{name}`) at its line {}:\n  page: {}\n  code: {}",
        first_line + differs,
        differs + 1,
        shown.get(differs).map_or("(nothing)", String::as_str),
        expected.get(differs).map_or("(nothing)", String::as_str),
    ))
}

#[test]
fn every_rust_snippet_is_a_region_of_a_test_that_runs() {
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    let mut snippets = 0;
    for page in pages() {
        for block in blocks(&page).iter().filter(|b| b.language == "rust") {
            snippets += 1;
            if let Some((_, target)) = &block.marker {
                used.insert(target.clone());
            }
            problems.extend(check_rust_block(block));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        snippets >= 10,
        "only {snippets} rust snippets found: is the page list right?"
    );

    // Every region of the guides' tests is shown somewhere: a region no page
    // shows is code that documents nothing.
    let guides = root().join("crates/zendesk-fake/tests/guides");
    let mut unused = Vec::new();
    for entry in std::fs::read_dir(&guides).unwrap() {
        let path = entry.unwrap().path();
        let relative = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some(name) = line.trim().strip_prefix("// ANCHOR: ") {
                if !used.contains(&format!("{relative}#{name}")) {
                    unused.push(format!("{relative}#{name}"));
                }
            }
        }
    }
    assert!(unused.is_empty(), "regions no page shows: {unused:?}");
}

#[test]
fn a_broken_snippet_is_reported_with_its_page_line_and_the_code_s_line() {
    let block = Block {
        page: "docs/example.md".into(),
        line: 7,
        language: "rust".into(),
        marker: Some((
            "snippet".into(),
            "crates/zendesk-fake/tests/guides/readme.rs#taste".into(),
        )),
        body: vec!["let fake = something_else();".into()],
    };
    let problem = check_rust_block(&block).expect("a difference");
    assert!(problem.starts_with("docs/example.md:7: the snippet differs from crates/zendesk-fake/tests/guides/readme.rs:"), "{problem}");
    assert!(
        problem.contains("page: let fake = something_else();"),
        "{problem}"
    );

    let unmarked = Block {
        marker: None,
        ..block.clone()
    };
    assert!(check_rust_block(&unmarked)
        .unwrap()
        .contains("without `<!-- snippet: PATH#NAME -->`"));
    let missing = Block {
        marker: Some((
            "snippet".into(),
            "crates/zendesk-fake/tests/guides/readme.rs#no-such".into(),
        )),
        ..block
    };
    assert!(check_rust_block(&missing)
        .unwrap()
        .contains("has no `// ANCHOR: no-such`"));
}

#[test]
fn every_shell_block_marked_to_run_names_a_test_that_runs_it() {
    let mut problems = Vec::new();
    let mut runs = 0;
    for page in pages() {
        for block in blocks(&page) {
            let Some((kind, runner)) = &block.marker else {
                continue;
            };
            if kind != "run" {
                continue;
            }
            runs += 1;
            match std::fs::read_to_string(root().join(runner)) {
                Ok(test) if test.contains(&format!("\"{page}\"")) => {}
                Ok(_) => problems.push(format!(
                    "{page}:{}: {runner} does not run this page's blocks",
                    block.line
                )),
                Err(e) => problems.push(format!("{page}:{}: {runner}: {e}", block.line)),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(runs >= 3, "only {runs} shell blocks run");
}

#[test]
fn every_relative_link_leads_to_a_file() {
    let mut problems = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(root().join(&page)).unwrap();
        let folder = std::path::Path::new(&page).parent().unwrap().to_path_buf();
        for (number, line) in text.lines().enumerate() {
            for target in markdown_links(line) {
                if target.starts_with("http")
                    || target.starts_with('#')
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                let file = target.split('#').next().unwrap();
                if !root().join(&folder).join(file).exists() {
                    problems.push(format!("{page}:{}: `{target}` leads nowhere", number + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The targets of the Markdown links `[text](target)` on a line.
fn markdown_links(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                targets.push(after[..end].to_string());
                rest = &after[end..];
            }
            None => break,
        }
    }
    targets
}

#[test]
fn the_readme_is_a_short_map_with_both_set_up_commands_first() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    assert!(
        lines.len() <= 200,
        "the README has {} lines; move detail into a guide",
        lines.len()
    );
    let first = lines[..lines.len().min(40)].join("\n");
    for command in ["cargo run --example tour", "cargo test --workspace"] {
        assert!(
            first.contains(command),
            "`{command}` is not in the README's first 40 lines"
        );
    }
    for guide in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = guide.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("(docs/{name})")),
            "the README's guide table lacks docs/{name}"
        );
    }
}
