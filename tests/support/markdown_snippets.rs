//! The fenced code blocks of the workspace's Markdown (the README, `docs/`,
//! the crates' READMEs) and the HTML comment that marks each:
//!
//! - `<!-- snippet: PATH#NAME -->` before a `rust` block: the block is the
//!   region of PATH between `// ANCHOR: NAME` and `// ANCHOR_END: NAME`;
//! - `<!-- run: PATH -->` before a `sh` block: the test in PATH runs it;
//! - `<!-- file: NAME -->` before any block: the file NAME of the folder the
//!   `run` blocks of the same page run in.
//!
//! Shared by `tests/docs.rs` and the crates' tests that run the shell
//! blocks (included with `#[path]`), so that both read a page the same way.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// One fenced block.
#[derive(Debug, Clone)]
pub struct Block {
    /// The page, relative to the workspace root.
    pub page: String,
    /// The line of the opening fence, from 1.
    pub line: usize,
    /// What follows the opening backticks (`rust`, `sh`, ...).
    pub language: String,
    /// The marker comment right above the fence, if any: its kind
    /// (`snippet`, `run`, `file`) and value.
    pub marker: Option<(String, String)>,
    /// The lines between the fences.
    pub body: Vec<String>,
}

/// The workspace root.
pub fn root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("spec").join("openapi.yaml").is_file() {
        assert!(
            dir.pop(),
            "no workspace root above {}",
            env!("CARGO_MANIFEST_DIR")
        );
    }
    dir
}

/// Every Markdown page the docs are made of, relative to the root.
pub fn pages() -> Vec<String> {
    let root = root();
    let mut pages = vec!["README.md".to_string()];
    for dir in ["docs", "crates"] {
        let mut found: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter_map(|path| {
                let page = if path.is_dir() {
                    path.join("README.md")
                } else {
                    path
                };
                let is_page = page.extension().is_some_and(|e| e == "md") && page.is_file();
                is_page.then(|| {
                    page.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
            })
            .collect();
        found.sort();
        pages.extend(found);
    }
    pages
}

/// The fenced blocks of `page` (relative to the root).
pub fn blocks(page: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(root().join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(language) = lines[index].trim_start().strip_prefix("```") else {
            index += 1;
            continue;
        };
        let indent = lines[index].len() - lines[index].trim_start().len();
        let opened = index;
        let mut body = Vec::new();
        index += 1;
        while index < lines.len() && lines[index].trim() != "```" {
            body.push(
                lines[index]
                    .get(indent..)
                    .unwrap_or(lines[index].trim_start())
                    .to_string(),
            );
            index += 1;
        }
        assert!(
            index < lines.len(),
            "{page}:{}: a fence that is never closed",
            opened + 1
        );
        index += 1;
        blocks.push(Block {
            page: page.to_string(),
            line: opened + 1,
            language: language.trim().to_string(),
            marker: opened.checked_sub(1).and_then(|above| marker(lines[above])),
            body,
        });
    }
    blocks
}

/// `<!-- kind: value -->` as its kind and value.
fn marker(line: &str) -> Option<(String, String)> {
    let inner = line.trim().strip_prefix("<!--")?.strip_suffix("-->")?;
    let (kind, value) = inner.split_once(':')?;
    Some((kind.trim().to_string(), value.trim().to_string()))
}

/// Runs every `sh` block of `page` marked `<!-- run: {runner} -->`, each as
/// one `sh -e` script, in `dir`, after writing there the page's blocks
/// marked `<!-- file: NAME -->`; `prepare` sets the environment (`PATH`
/// with the binaries, the account). Panics with the page's line and the
/// output when a script fails. Returns how many blocks ran.
pub fn run_shell_blocks(
    page: &str,
    runner: &str,
    dir: &Path,
    prepare: impl Fn(&mut Command),
) -> usize {
    let blocks = blocks(page);
    for block in &blocks {
        if let Some((kind, name)) = &block.marker {
            if kind == "file" {
                let path = dir.join(name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).unwrap();
                }
                std::fs::write(&path, block.body.join("\n") + "\n").unwrap();
            }
        }
    }
    let mut ran = 0;
    for block in &blocks {
        if block.marker != Some(("run".to_string(), runner.to_string())) {
            continue;
        }
        assert_eq!(
            block.language, "sh",
            "{page}:{}: only sh blocks run",
            block.line
        );
        let mut command = Command::new("sh");
        command
            .arg("-ec")
            .arg(block.body.join("\n"))
            .current_dir(dir);
        prepare(&mut command);
        let output = command.output().unwrap_or_else(|e| panic!("sh: {e}"));
        assert!(
            output.status.success(),
            "{page}:{}: the block failed ({})\n--- stdout\n{}\n--- stderr\n{}",
            block.line,
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ran += 1;
    }
    ran
}

/// `PATH` with `binary`'s folder first.
pub fn path_with(binary: &str) -> std::ffi::OsString {
    let folder = Path::new(binary).parent().expect("a binary in a folder");
    let mut paths = vec![folder.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}
