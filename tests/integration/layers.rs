//! The library's layers, read from its source. Every `crate::…`, `super::…` and `self::…` path
//! in `src/`'s code (comments, literals and `#[cfg(test)]` modules left out), and every path
//! that starts with a module's own child, is an arrow from the file it is written in to the
//! module it names. Arrows between top-level modules must point down the layers that
//! `src/lib.rs` declares under "Layers"; arrows between the parts (files and folders) of one
//! module must not go round in a circle. A module's own `mod.rs` (`lib.rs` for the crate) is
//! its interface: its parts may use what it defines, and it may use them; the crate root's
//! own items (`split_document`) are the layer `crate`.
//!
//! [`KNOWN`] lists the arrows that still break these rules; it may only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The arrows that break the layers today, `(from, to)`: top-level modules, or two parts of one
/// module (`label::lexical`). Each goes when the code behind it moves; the test fails when one
/// is gone, so that it leaves this list too.
const KNOWN: &[(&str, &str)] = &[];

/// Where one arrow is written.
#[derive(Debug, Clone)]
struct Site {
    /// `src/…:LINE`.
    at: String,
    /// The path as written, group braces expanded.
    path: String,
}

/// The arrows of one level, `from → to` with where each is written.
type Arrows = BTreeMap<(String, String), Vec<Site>>;

#[test]
fn modules_use_only_the_layers_below_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = library_files(&root.join("src"));
    let known_modules: BTreeSet<Vec<String>> = files.iter().map(|(_, module)| module.clone()).collect();
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs is readable");
    let layers = declared_layers(&lib);
    assert!(!layers.is_empty(), "src/lib.rs declares no layers: its doc needs a `# Layers` list");

    // Top-level arrows, and the arrows inside each module keyed by that module.
    let mut top = Arrows::new();
    let mut inner: BTreeMap<String, Arrows> = BTreeMap::new();
    for (file, module) in &files {
        let text = std::fs::read_to_string(root.join(file)).expect("a source file is readable");
        for (line, written, target) in uses(&text, module, &known_modules) {
            let site = Site { at: format!("{file}:{line}"), path: written };
            let (from, to) = (top_node(module), top_node(&target));
            if from != to {
                top.entry((from, to)).or_default().push(site);
                continue;
            }
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common == module.len() || common == target.len() {
                continue; // A module and its own parts.
            }
            let parent = module[..common].join("::");
            let name = |m: &[String]| m[..=common].join("::");
            inner.entry(parent).or_default().entry((name(module), name(&target))).or_default().push(site);
        }
    }

    let mut problems = Vec::new();
    let all: Vec<&Arrows> = std::iter::once(&top).chain(inner.values()).collect();
    for &(from, to) in KNOWN {
        let key = (from.to_owned(), to.to_owned());
        if !all.iter().any(|arrows| arrows.contains_key(&key)) {
            problems.push(format!("KNOWN lists {from} → {to}, which the code no longer has: take it off the list"));
        }
    }

    let rank = |name: &str| layers.iter().position(|layer| layer.iter().any(|n| n == name));
    let modules: BTreeSet<String> = known_modules.iter().map(|m| top_node(m)).collect();
    for module in &modules {
        if rank(module).is_none() {
            problems.push(format!("`{module}` has no layer: add it to the list under `# Layers` in src/lib.rs's doc"));
        }
    }

    for (name, arrows) in std::iter::once(("the crate", &top)).chain(inner.iter().map(|(m, a)| (m.as_str(), a))) {
        problems.extend(circles(name, arrows));
    }

    for ((from, to), sites) in &top {
        let (Some(a), Some(b)) = (rank(from), rank(to)) else { continue };
        let known = KNOWN.contains(&(from.as_str(), to.as_str()));
        if b >= a && !known {
            let side = if a == b { "beside it" } else { "above it" };
            problems.push(format!(
                "{from} → {to} goes against the layers ({from} is on layer {}, {to} {side} on layer {}):\n{}",
                a + 1,
                b + 1,
                list(sites)
            ));
        } else if b < a && known {
            problems.push(format!("KNOWN lists {from} → {to}, which the layers allow: take it off the list"));
        }
    }

    for arrows in inner.values() {
        for ((from, to), _) in arrows.iter().filter(|((f, t), _)| KNOWN.contains(&(f.as_str(), t.as_str()))) {
            if !reaches(arrows, to, from, &[]) {
                problems
                    .push(format!("KNOWN lists {from} → {to}, which no longer closes a circle: take it off the list"));
            }
        }
    }

    assert!(problems.is_empty(), "the modules break their layers:\n\n{}\n", problems.join("\n\n"));
}

/// `src/lib.rs` and every module file under it, with the module each file is (`[]` for the
/// crate root). `main.rs` is the binary, not the library.
fn library_files(src: &Path) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let mut files: Vec<(String, Vec<String>)> = found
        .into_iter()
        .filter_map(|path: PathBuf| {
            let rel = path.strip_prefix(src).expect("under src/");
            let mut module: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            let last = module.pop().expect("a file name");
            match last.as_str() {
                "main.rs" if module.is_empty() => return None,
                "lib.rs" if module.is_empty() => {}
                "mod.rs" => {}
                _ => module.push(last.trim_end_matches(".rs").to_owned()),
            }
            Some((format!("src/{}", rel.to_string_lossy().replace('\\', "/")), module))
        })
        .collect();
    files.sort();
    files
}

/// The layers under `# Layers` in the crate's doc, lowest first: `N. names: what they do`, each
/// name in backticks (linked or not: a module still to come has no link).
fn declared_layers(lib: &str) -> Vec<Vec<String>> {
    let doc = lib.lines().map_while(|l| l.strip_prefix("//!")).map(str::trim);
    let section = doc.skip_while(|l| *l != "# Layers").skip(1).take_while(|l| !l.starts_with('#'));
    section
        .filter_map(|line| {
            let (number, rest) = line.split_once(". ")?;
            number.parse::<usize>().ok()?;
            let names = rest.split_once(':').map_or(rest, |(names, _)| names);
            Some(names.split('`').skip(1).step_by(2).map(str::to_owned).collect())
        })
        .collect()
}

/// The top-level node a module belongs to: its first name, or `crate` for the root's own items.
fn top_node(module: &[String]) -> String {
    module.first().cloned().unwrap_or_else(|| "crate".to_owned())
}

/// One line per place, with the paths written there.
fn list(sites: &[Site]) -> String {
    let mut lines: Vec<(&str, Vec<&str>)> = Vec::new();
    for site in sites {
        match lines.last_mut() {
            Some((at, paths)) if *at == site.at => paths.push(&site.path),
            _ => lines.push((&site.at, vec![&site.path])),
        }
    }
    lines.iter().map(|(at, paths)| format!("    {at}  {}", paths.join(", "))).collect::<Vec<_>>().join("\n")
}

/// The circles among `arrows` once [`KNOWN`] is left out: for each set of parts that reach one
/// another, its shortest circle with the places that make each of its arrows.
fn circles(level: &str, arrows: &Arrows) -> Vec<String> {
    let nodes: BTreeSet<&String> = arrows.keys().flat_map(|(a, b)| [a, b]).collect();
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for node in &nodes {
        if seen.contains(*node) {
            continue;
        }
        let members: BTreeSet<&String> = nodes
            .iter()
            .copied()
            .filter(|m| reaches(arrows, node, m, KNOWN) && reaches(arrows, m, node, KNOWN))
            .collect();
        seen.extend(members.iter().copied().cloned());
        if members.len() < 2 {
            continue;
        }
        let circle = members.iter().filter_map(|m| shortest_circle(arrows, m)).min_by_key(Vec::len).unwrap_or_default();
        let steps = circle
            .windows(2)
            .map(|pair| {
                let key = (pair[0].clone(), pair[1].clone());
                format!("  {} → {}:\n{}", pair[0], pair[1], arrows.get(&key).map_or_else(String::new, |s| list(s)))
            })
            .collect::<Vec<_>>()
            .join("\n");
        let also = if members.len() + 1 > circle.len() {
            let names: Vec<&str> = members.iter().map(|m| m.as_str()).collect();
            format!(" (one of several among {})", names.join(", "))
        } else {
            String::new()
        };
        found.push(format!("a circle in {level}: {}{also}\n{steps}", circle.join(" → ")));
    }
    found
}

/// The shortest way from `start` back to itself along `arrows`, [`KNOWN`] left out: `start`,
/// the parts on the way, `start` again.
fn shortest_circle(arrows: &Arrows, start: &str) -> Option<Vec<String>> {
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.to_owned()]);
    while let Some(node) = queue.pop_front() {
        let next = arrows.keys().filter(|(a, b)| *a == node && !KNOWN.contains(&(a.as_str(), b.as_str())));
        for (_, to) in next {
            if to == start {
                let mut way = vec![start.to_owned()];
                let mut at = node.clone();
                while at != start {
                    way.push(at.clone());
                    at = came_from[&at].clone();
                }
                way.push(start.to_owned());
                way.reverse();
                return Some(way);
            }
            if !came_from.contains_key(to) {
                came_from.insert(to.clone(), node.clone());
                queue.push_back(to.clone());
            }
        }
    }
    None
}

/// Whether `to` can be reached from `from` (or is `from`) along `arrows`, leaving out `skip`.
fn reaches(arrows: &Arrows, from: &str, to: &str, skip: &[(&str, &str)]) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if !seen.insert(node.clone()) {
            continue;
        }
        for (a, b) in arrows.keys() {
            if *a == node && !skip.contains(&(a.as_str(), b.as_str())) {
                stack.push(b.clone());
            }
        }
    }
    false
}

/// A token of code: a name, `::`, or any other single character.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Path,
    Char(char),
}

/// The module paths `text` (the file of `module`) uses: `(line, path as written, the module it
/// names)`. A path naming an item resolves to the module that holds it.
fn uses(text: &str, module: &[String], known: &BTreeSet<Vec<String>>) -> Vec<(usize, String, Vec<String>)> {
    let tokens = tokens(&without_tests(&code(text)));
    let children: BTreeSet<&str> = known
        .iter()
        .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
        .map(|m| m[module.len()].as_str())
        .collect();
    let name_at = |i: usize| match tokens.get(i) {
        Some((Token::Name(n), _)) => Some(n.as_str()),
        _ => None,
    };
    let mut found = Vec::new();
    // Inline modules (`mod x86 { … }`) and the brace depth inside each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        match token {
            Token::Char('{') => depth += 1,
            Token::Char('}') => {
                depth = depth.saturating_sub(1);
                inline.retain(|(_, d)| *d <= depth);
            }
            Token::Name(n) if n == "mod" => {
                if let (Some(name), Some((Token::Char('{'), _))) = (name_at(i + 1), tokens.get(i + 2)) {
                    inline.push((name.to_owned(), depth + 1));
                }
            }
            Token::Name(n) => {
                let starts = matches!(n.as_str(), "crate" | "$crate" | "super" | "self")
                    || (inline.is_empty() && children.contains(n.as_str()));
                let after_path = i > 0 && matches!(tokens[i - 1].0, Token::Path | Token::Char('.'));
                if starts && !after_path && tokens.get(i + 1).map(|t| &t.0) == Some(&Token::Path) {
                    let (paths, next) = tree(&tokens, i, Vec::new());
                    let here: Vec<String> =
                        module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect();
                    for path in paths {
                        let target = resolve(&path, &here, known);
                        let written: Vec<&str> = path.iter().map(String::as_str).filter(|n| *n != "self").collect();
                        found.push((*line, written.join("::"), target));
                    }
                    i = next;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The paths of a use tree (or of one path in an expression) from token `i`, each prefixed
/// with `prefix`, and the token after it.
fn tree(tokens: &[(Token, usize)], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut path = prefix;
    loop {
        match tokens.get(i).map(|t| &t.0) {
            Some(Token::Name(n)) => {
                path.push(n.clone());
                i += 1;
            }
            Some(Token::Char('{')) => {
                i += 1;
                let mut paths = Vec::new();
                while let Some((token, _)) = tokens.get(i) {
                    match token {
                        Token::Char('}') => {
                            i += 1;
                            break;
                        }
                        Token::Char(',') => i += 1,
                        _ => {
                            let (inner, next) = tree(tokens, i, path.clone());
                            paths.extend(inner);
                            i = next.max(i + 1);
                        }
                    }
                }
                return (paths, i);
            }
            Some(Token::Char('*')) => return (vec![path], i + 1),
            _ => return (vec![path], i),
        }
        if tokens.get(i).map(|t| &t.0) == Some(&Token::Name("as".to_owned())) {
            return (vec![path], i + 2);
        }
        if tokens.get(i).map(|t| &t.0) != Some(&Token::Path) {
            return (vec![path], i);
        }
        i += 1;
    }
}

/// The module a path written in module `here` names: the longest of `known` that it starts with.
fn resolve(path: &[String], here: &[String], known: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut names = path.iter().peekable();
    let mut absolute: Vec<String> = match names.peek().map(|n| n.as_str()) {
        Some("crate" | "$crate") => {
            names.next();
            Vec::new()
        }
        _ => here.to_vec(),
    };
    while names.peek().is_some_and(|n| *n == "super") {
        names.next();
        absolute.pop();
    }
    absolute.extend(names.filter(|n| *n != "self").cloned());
    (0..=absolute.len()).rev().map(|n| absolute[..n].to_vec()).find(|m| known.contains(m)).unwrap_or_default()
}

/// `text` with comments, string and character literals blanked out, lines kept.
fn code(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, from: usize, to: usize| {
        out.extend(chars[from..to.min(chars.len())].iter().map(|&c| if c == '\n' { '\n' } else { ' ' }))
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut nested = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    nested += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    nested -= 1;
                    i += 2;
                    if nested == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r')) && (i == 0 || !word(at(i - 1))) && {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while at(j) == '#' {
                j += 1;
            }
            at(j) == '"'
        } {
            i += if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while at(i) == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            while i < chars.len() && !(chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#')) {
                i += 1;
            }
            i += 1 + hashes;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            i += if at(i + 1) == '\\' { 3 } else { 2 };
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
            continue;
        }
        blank(&mut out, start, i);
    }
    out
}

/// `code` with every `#[cfg(test)] mod … { … }` blanked out, lines kept.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(found) = rest.find("#[cfg(test)]") {
        let after = &rest[found + "#[cfg(test)]".len()..];
        let is_mod = after.trim_start().starts_with("mod ") || after.trim_start().starts_with("pub mod ");
        let (Some(open), true) = (after.find('{'), is_mod) else {
            out.push_str(&rest[..found + 1]);
            rest = &rest[found + 1..];
            continue;
        };
        out.push_str(&rest[..found]);
        let mut depth = 0;
        let mut end = after.len();
        for (k, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = open + k + 1;
                break;
            }
        }
        let skipped = &rest[found..found + "#[cfg(test)]".len() + end];
        out.extend(skipped.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = &rest[found + skipped.len()..];
    }
    out.push_str(rest);
    out
}

/// The tokens of `code` that paths are made of, each with its line.
fn tokens(code: &str) -> Vec<(Token, usize)> {
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut name = c.to_string();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphanumeric() || **d == '_') {
                name.push(d);
                chars.next();
            }
            tokens.push((Token::Name(name), line));
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            tokens.push((Token::Path, line));
        } else if !c.is_whitespace() {
            tokens.push((Token::Char(c), line));
        }
    }
    tokens
}

#[test]
fn paths_are_read_from_code_only() {
    let known: BTreeSet<Vec<String>> =
        [vec![], vec!["a".into()], vec!["b".into()], vec!["b".into(), "c".into()], vec!["d".into()]]
            .into_iter()
            .collect();
    let text = r##"
//! Uses [`crate::d`] in a doc comment only.
use crate::{a::Thing as Other, b::{self, c::*}};
use super::d; // crate::d again, in a comment
fn f<'a>(x: &'a str) -> char { let _ = "crate::d::in_a_string"; let _ = r#"crate::d"#; '"' }
mod inner { use super::c::More; }
#[cfg(test)]
mod tests { use crate::d::Test; }
"##;
    let found: Vec<(usize, String, Vec<String>)> = uses(text, &["b".to_owned()], &known);
    let seen: Vec<(usize, &str, String)> = found.iter().map(|(l, p, m)| (*l, p.as_str(), m.join("::"))).collect();
    assert_eq!(
        seen,
        [
            (3, "crate::a::Thing", "a".to_owned()),
            (3, "crate::b", "b".to_owned()),
            (3, "crate::b::c", "b::c".to_owned()),
            (4, "super::d", "d".to_owned()),
            (6, "super::c::More", "b::c".to_owned()),
        ]
    );
}
