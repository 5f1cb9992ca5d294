//! Arbitrary bytes as a file of each kind of name (`.zip`, `.tar`, `.tar.gz`, ...), read through
//! the same code as a file on disk. The first byte picks the name and the size limit.
//!
//! Properties: no panic; every file yields at least one document or error; a document has
//! visible text; an entry's name, as a path under an output directory, stays inside it; every
//! message is one line.
#![no_main]

use std::ops::ControlFlow;
use std::path::{Component, Path};

use jianbao::input::{read_in_memory, InputOptions};
use jianbao::output::sink::page_path;
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["pages.zip", "pages.tar", "pages.tar.gz", "pages.tgz", "page.txt.gz", "rows.jsonl.gz", "page"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let name = NAMES[usize::from(first & 0x0f) % NAMES.len()];
    let mut opts = InputOptions::default();
    if first & 0x10 != 0 {
        // Small enough that entries and rows run into it.
        opts.max_bytes = 64;
    }
    let root = Path::new("out");
    let mut items = 0;
    read_in_memory(name, bytes, &opts, &mut |item| {
        items += 1;
        let origin = match item {
            Ok(doc) => {
                assert_eq!(doc.origin.path, name);
                assert!(!jianbao::text::trim(&doc.text).is_empty(), "blank document from {}", doc.origin);
                assert!(doc.text.len() as u64 <= 3 * opts.max_bytes);
                doc.origin.to_string()
            }
            Err(err) => {
                let message = err.kind.to_string();
                assert!(!message.contains(['\n', '\r']), "message of more than one line: {message:?}");
                assert!(err.origin.starts_with(name), "{}", err.origin);
                err.origin
            }
        };
        // Entry names are kept as given (`../x` included); where they become paths they must
        // stay under the output directory.
        if let Some(path) = page_path(root, &origin, "json") {
            let rest = path.strip_prefix(root).expect("a page's file outside the output directory");
            assert!(rest.components().all(|c| matches!(c, Component::Normal(_))), "{}", path.display());
        }
        ControlFlow::Continue(())
    });
    assert!(items > 0, "a file that yields nothing, not even an error");
});
