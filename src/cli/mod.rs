//! The command-line edge: parse arguments once, run one function per subcommand, turn the
//! outcome into an exit code. Errors become one line on stderr each; a closed pipe is not one.

mod args;
mod batch;
mod brief;
mod digest;
mod eval;
mod model;
mod train;

use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use clap::{CommandFactory, Parser};

pub use self::args::{Cli, Command, EmbedArgs, InputArgs, MergeArgs, ModelArgs, ModelCommand, SplitArgs};
use crate::input::{self, FileFilter, InputOptions};
use crate::output::sink::create_locked;
use crate::output::{self, Page};

/// How a run ended, decided by what failed along the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was processed.
    Done,
    /// Some inputs failed; the rest were processed. Also: an evaluation threshold failed.
    Partial,
    /// Every input failed.
    Failed,
    /// Stopped by Ctrl-C after writing what was done.
    Interrupted,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Partial => ExitCode::from(1),
            Outcome::Failed => ExitCode::from(2),
            Outcome::Interrupted => ExitCode::from(130),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(outcome) => outcome.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("jianbao: {err:#}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    if let Some(threads) = cli.threads {
        set_threads(threads)?;
    }
    match cli.command {
        Command::Split(args) => split(args),
        // A first-run fetch reports on stderr, as the command does, unless it is asked to be quiet.
        Command::Digest(mut args) => {
            args.model.quiet = args.output.quiet;
            digest::digest(args)
        }
        Command::Brief(mut args) => {
            args.model.quiet = args.quiet;
            brief::brief(args)
        }
        Command::Summarize(mut args) => {
            args.model.quiet = args.output.quiet;
            digest::summarize(args)
        }
        Command::Label(mut args) => {
            args.model.quiet = args.output.quiet;
            digest::label(args)
        }
        Command::Train(args) => train::train(args),
        Command::TrainSummarizer(args) => train::train_summarizer(args),
        Command::Eval(mut args) => {
            args.model.quiet = args.quiet;
            eval::eval(args)
        }
        Command::Merge(args) => merge(args),
        Command::Embed(args) => model::embed(args),
        Command::Model(command) => model::model(command),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "jianbao", &mut io::stdout());
            Ok(Outcome::Done)
        }
    }
}

/// Makes every parallel part use `threads` workers: rayon's global pool, and candle's matrix
/// kernels, which read `RAYON_NUM_THREADS`.
fn set_threads(threads: usize) -> anyhow::Result<()> {
    if threads == 0 {
        anyhow::bail!("--threads must be at least 1");
    }
    // Set before any thread pool exists, while the program is still single-threaded.
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().context("--threads")?;
    Ok(())
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

impl InputArgs {
    /// The PATHs to read; standard input where none is given.
    pub fn sources(&self) -> Vec<std::path::PathBuf> {
        if self.paths.is_empty() {
            vec!["-".into()]
        } else {
            self.paths.clone()
        }
    }

    /// Validates the input flags into [`InputOptions`].
    pub fn options(&self) -> anyhow::Result<InputOptions> {
        let encoding = match &self.encoding {
            Some(label) => Some(encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                anyhow!("--encoding: unknown encoding `{label}` (try utf-8, gb18030, gbk, big5, utf-16le)")
            })?),
            None => None,
        };
        let filter = FileFilter::new(&self.globs).context("--glob")?;
        Ok(InputOptions { max_bytes: self.max_bytes, encoding, filter })
    }
}

/// Checks that a flag's value is a share, from 0 to 1.
fn check_share(flag: &str, value: f32) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&value) {
        anyhow::bail!("{flag} must be between 0 and 1");
    }
    Ok(())
}

/// Opens `--out FILE` (locked against another run writing it, and emptied once the lock is
/// held), or standard output; with the name that write errors give it.
fn open_output(path: Option<&std::path::Path>) -> anyhow::Result<(Box<dyn Write>, String)> {
    Ok(match path {
        Some(path) => (Box::new(BufWriter::new(create_locked(path)?)), path.display().to_string()),
        None => (Box::new(BufWriter::new(io::stdout().lock())), "standard output".to_owned()),
    })
}

fn merge(args: MergeArgs) -> anyhow::Result<Outcome> {
    let inputs: Vec<&std::path::Path> = args.inputs.iter().map(|p| p.as_path()).collect();
    let (mut out, _) = open_output(args.out.as_deref())?;
    let merged = crate::batch::merge(&inputs, &mut out)?;
    if !args.quiet {
        eprintln!(
            "merged {} article records and {} error records; {} duplicates dropped, {} partial lines left out",
            merged.records, merged.errors, merged.duplicates, merged.partial
        );
        for (source, missing) in &merged.incomplete {
            let missing: Vec<String> = missing.iter().map(ToString::to_string).collect();
            eprintln!("jianbao: {source}: articles {} missing", missing.join(", "));
        }
    }
    Ok(if merged.incomplete.is_empty() && merged.partial == 0 { Outcome::Done } else { Outcome::Partial })
}

fn split(args: SplitArgs) -> anyhow::Result<Outcome> {
    let opts = args.input.options()?;
    let (out, name) = open_output(args.output.out.as_deref())?;
    let mut writer = output::writer(args.output.format, out);
    let mut failed = 0usize;
    let mut write_error = None;
    input::read_sources(&args.input.sources(), &opts, &mut |item| {
        let result = item.and_then(|doc| crate::split_document(&doc).map(|articles| (doc, articles)));
        match result {
            Ok((doc, articles)) => {
                let source = doc.origin.to_string();
                let record = doc.record.as_ref();
                let page = Page {
                    source: &source,
                    id: record.and_then(|r| r.id.as_deref()),
                    date: record.and_then(|r| r.date.as_deref()),
                    page_number: record.and_then(|r| r.page.as_deref()),
                    encoding: doc.encoding,
                    articles: &articles,
                };
                if let Err(err) = writer.page(&page) {
                    // Nothing more can be written: stop reading.
                    write_error = Some(err);
                    return ControlFlow::Break(());
                }
            }
            Err(err) => {
                failed += 1;
                if !args.output.quiet {
                    eprintln!("jianbao: {err}");
                }
            }
        }
        ControlFlow::Continue(())
    });
    if let Some(err) = write_error {
        return Err(err).with_context(|| format!("{name}: cannot write"));
    }
    writer.finish().with_context(|| format!("{name}: cannot write"))?;
    Ok(if failed > 0 { Outcome::Partial } else { Outcome::Done })
}
