//! `jianbao brief`: pages digested as `digest` does (into a JSON Lines file the run can resume),
//! or a digest read back, laid out as briefings ([`crate::brief`]) and written as Markdown and
//! HTML.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use super::args::{BatchArgs, BriefArgs, BriefFormat, DigestArgs, LogFormat, OutputArgs};
use super::{open_output, Outcome};
use crate::brief::html::{self, Around, Entry};
use crate::brief::{self, markdown, Briefing, Digest, Period};
use crate::label::Taxonomy;
use crate::output::Format;

/// The digest a briefing of pages reads: in --out-dir, kept (and resumable); else a file of
/// this run's own, removed at the end.
const DIGEST_FILE: &str = "digest.jsonl";

pub fn brief(args: BriefArgs) -> anyhow::Result<Outcome> {
    let date = match &args.date {
        Some(text) => {
            Some(brief::place::parse_date(text).with_context(|| format!("--date {text}: not a date (YYYY-MM-DD)"))?)
        }
        None => None,
    };
    let sections = match &args.label.labels {
        Some(path) => Taxonomy::load(path)?.names(),
        None => Taxonomy::default_sections().names(),
    };
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    }
    let (digest, source, mut outcome) = match &args.from_digest {
        Some(path) => (read(path)?, path.clone(), Outcome::Done),
        None => {
            let (path, kept) = match &args.out_dir {
                Some(dir) => (dir.join(DIGEST_FILE), true),
                None => (std::env::temp_dir().join(format!("jianbao-brief-{}.jsonl", std::process::id())), false),
            };
            let outcome = digest_pages(&args, &path);
            // An interrupted or wholly failed digest is not briefed.
            let digest = matches!(outcome, Ok(Outcome::Done | Outcome::Partial)).then(|| read(&path));
            if !kept {
                let _ = std::fs::remove_file(&path);
            }
            let outcome = outcome?;
            match digest {
                Some(digest) => (digest?, path, outcome),
                None => return Ok(outcome),
            }
        }
    };
    if !digest.bad.is_empty() {
        outcome = Outcome::Partial;
        if !args.quiet {
            for bad in &digest.bad {
                eprintln!("jianbao: {}:{}: {}", source.display(), bad.line, bad.message);
            }
        }
    }
    let period = args.by.unwrap_or(if args.out_dir.is_some() { Period::Day } else { Period::None });
    let briefings = brief::gather(digest.stories, period, &sections, date);
    match &args.out_dir {
        Some(dir) => write_dir(dir, &briefings, &sections)?,
        None => write_one(&args, &briefings)?,
    }
    Ok(outcome)
}

fn read(path: &Path) -> anyhow::Result<Digest> {
    brief::read_digest_file(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// Digests the pages of `args` into JSON Lines at `path`, as `digest -f jsonl -o PATH` would.
fn digest_pages(args: &BriefArgs, path: &Path) -> anyhow::Result<Outcome> {
    let digest = DigestArgs {
        input: args.input.clone(),
        text: Vec::new(),
        summary: args.summary.clone(),
        label: args.label.clone(),
        model: args.model.clone(),
        output: OutputArgs { format: Format::Jsonl, out: Some(path.to_owned()), quiet: args.quiet },
        batch: BatchArgs {
            out_dir: None,
            resume: args.resume && path.exists(),
            shard: None,
            fail_fast: false,
            article_timeout: args.article_timeout,
            log_format: LogFormat::Text,
        },
    };
    super::digest::digest(digest)
}

/// Every briefing into `dir` as NAME.html and NAME.md, and an index.html of them.
fn write_dir(dir: &Path, briefings: &[Briefing], sections: &[String]) -> anyhow::Result<()> {
    let href = |source: &str| brief::source_href(source, Some(dir));
    let mut entries = Vec::new();
    for (i, briefing) in briefings.iter().enumerate() {
        let name = &briefing.name.file;
        let link = |b: &Briefing| (format!("{}.html", b.name.file), b.name.title.clone());
        let around = Around {
            index: Some("index.html".into()),
            previous: i.checked_sub(1).map(|j| link(&briefings[j])),
            next: briefings.get(i + 1).map(link),
        };
        write(&dir.join(format!("{name}.html")), &html::render(briefing, &around, &href))?;
        write(&dir.join(format!("{name}.md")), &markdown::render(briefing, &href))?;
        entries.push(Entry::of(briefing, format!("{name}.html")));
    }
    write(&dir.join("index.html"), &html::index(&entries, sections))
}

/// All briefings into one document on standard output or --out.
fn write_one(args: &BriefArgs, briefings: &[Briefing]) -> anyhow::Result<()> {
    let base: Option<PathBuf> = args.out.as_ref().map(|p| p.parent().unwrap_or(Path::new(".")).to_owned());
    let base = base.filter(|b| !b.as_os_str().is_empty());
    let href = |source: &str| brief::source_href(source, base.as_deref());
    let text = match args.format {
        BriefFormat::Md => briefings.iter().map(|b| markdown::render(b, &href)).collect::<Vec<_>>().join("\n"),
        BriefFormat::Html => {
            if briefings.len() > 1 {
                bail!("-f html writes one briefing: use --by none, or --out-dir for a page per briefing");
            }
            briefings.iter().map(|b| html::render(b, &Around::default(), &href)).collect()
        }
    };
    let (mut out, name) = open_output(args.out.as_deref())?;
    out.write_all(text.as_bytes()).with_context(|| format!("{name}: cannot write"))?;
    out.flush().with_context(|| format!("{name}: cannot write"))
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))
}
