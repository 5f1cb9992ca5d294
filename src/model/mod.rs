//! The model layer: from "which model" to a matrix of sentence embeddings, in four parts,
//! each using only those listed after it:
//!
//! - [`source`] turns a `--model` value into a model directory on disk, fetching or importing
//!   it where needed ([`source::fetch`] for the default e5-small, [`source::hub`] for the
//!   Hugging Face Hub);
//! - [`service`] turns texts into token windows, batches and pooled, normalised vectors
//!   ([`service::embed`]), on the device [`service::device`] picks, and remembers vectors
//!   ([`service::memo`], [`service::cache`]);
//! - [`network`] is the transformer, run by candle;
//! - `kernels` are the CPU kernels the transformer's hot paths run on.
//!
//! This file holds what they share: the [`Encoder`] trait, [`Intent`], [`ModelError`] and its
//! [`Phase`], and loading a model directory into a [`CandleEncoder`]. Everything above this
//! module sees only the [`Encoder`] trait.

mod kernels;
pub mod network;
pub mod service;
pub mod source;

use std::fmt;
use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;

pub use self::network::bert::WeightFormat;
use self::network::bert::{Bert, Config};
use self::service::embed::{self, Prompts, Tokens, Work};
pub use self::source::{ModelDir, ModelSpec};

/// What a text is for; e5 models encode the two differently (`query: ` / `passage: `).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intent {
    /// A short text looking for matches: a label description, a search query.
    Query,
    /// A text to be found or compared: a sentence, an article.
    Passage,
}

/// Texts in, one L2-normalised vector per text out. Implemented by the candle model and by
/// test doubles, so that everything built on embeddings can be tested without weights.
pub trait Encoder: Send + Sync {
    /// A stable name for the model, recorded by anything trained on its vectors.
    fn id(&self) -> &str;
    /// Length of every vector.
    fn dim(&self) -> usize;
    fn embed(&self, texts: &[&str], intent: Intent) -> Result<Vec<Vec<f32>>, ModelError>;
}

/// The stage at which working with a model failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Finding, fetching or importing the model files.
    Fetch,
    Config,
    Weights,
    Tokenizer,
    Device,
    Inference,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Fetch => "fetching the model",
            Phase::Config => "reading the model config",
            Phase::Weights => "loading the weights",
            Phase::Tokenizer => "loading the tokenizer",
            Phase::Device => "choosing the device",
            Phase::Inference => "running the model",
        })
    }
}

/// A model error, tagged with the phase it comes from.
#[derive(Debug, thiserror::Error)]
#[error("{phase}: {message}")]
pub struct ModelError {
    pub phase: Phase,
    pub message: String,
}

impl ModelError {
    pub fn new(phase: Phase, message: impl Into<String>) -> ModelError {
        ModelError { phase, message: message.into() }
    }

    /// A candle error as one line: candle appends a backtrace to some of its messages.
    pub fn candle(phase: Phase, context: impl fmt::Display, err: &candle_core::Error) -> ModelError {
        let text = err.to_string();
        let first = text.lines().next().unwrap_or_default().trim();
        ModelError::new(phase, format!("{context}{first}"))
    }
}

/// How to load a model.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub weights: WeightFormat,
    pub device: service::device::DeviceSpec,
    /// Tuned layers to load in place of the weights file's.
    pub adapter: Option<source::adapter::Adapter>,
}

impl LoadOptions {
    /// How `--tuned` runs the default model: with the tuned layers built in for it
    /// ([`source::adapter::Adapter::builtin`]). Without it, the default model runs as it is
    /// ([`LoadOptions::default`]).
    pub fn tuned_model() -> LoadOptions {
        LoadOptions { adapter: Some(source::adapter::Adapter::builtin()), ..LoadOptions::default() }
    }
}

/// A BERT-family encoder run by candle.
pub struct CandleEncoder {
    id: String,
    bert: Bert,
    config: Config,
    /// The weights file it was loaded from.
    weights_file: std::path::PathBuf,
    tokens: Tokens,
    /// How the linear layers are kept: as asked, except int8 on a GPU, which keeps f32.
    weights: WeightFormat,
    work: Work,
}

impl CandleEncoder {
    /// Loads a model directory: `config.json`, `model.safetensors`, `tokenizer.json`.
    pub fn load(dir: &ModelDir, opts: &LoadOptions) -> Result<CandleEncoder, ModelError> {
        let config = read_config(&dir.config)?;
        let device = opts.device.resolve()?;
        let tokenizer = tokenizers::Tokenizer::from_file(&dir.tokenizer)
            .map_err(|e| ModelError::new(Phase::Tokenizer, format!("{}: {e}", dir.tokenizer.display())))?;
        let prompts = if dir.e5_prompts { Prompts::e5() } else { Prompts::none() };
        let tokens = Tokens::new(tokenizer, config.max_tokens(), prompts)?;
        if tokens.vocab_size() > config.vocab_size {
            return Err(ModelError::new(
                Phase::Tokenizer,
                format!(
                    "{} has {} tokens but the model's vocabulary holds {}: tokenizer and weights do not belong together",
                    dir.tokenizer.display(),
                    tokens.vocab_size(),
                    config.vocab_size
                ),
            ));
        }
        let weights = opts.weights.on(&device);
        if let Some(adapter) = &opts.adapter {
            adapter.check_encoder(&dir.id)?;
        }
        let bert = load_weights(&dir.weights, &config, weights, &device, opts.adapter.clone())?;
        Ok(CandleEncoder {
            id: opts.adapter.as_ref().map_or_else(|| dir.id.clone(), |a| a.tuned_id(&dir.id)),
            bert,
            config,
            weights_file: dir.weights.clone(),
            tokens,
            weights,
            work: Work::default(),
        })
    }

    /// Tokens a text makes (prompt included, special tokens not).
    pub fn token_count(&self, text: &str, intent: Intent) -> Result<usize, ModelError> {
        self.tokens.count(text, intent)
    }

    /// How the linear layers are kept.
    pub fn weights(&self) -> WeightFormat {
        self.weights
    }

    /// The tokens and rows embedded so far, for measuring what a job costs.
    pub fn work(&self) -> &Work {
        &self.work
    }

    /// The model's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The f32 weights of the layers from `first` up, as the weights file holds them, under
    /// their names there (`encoder.layer.{i}.…`): what training starts the tuned layers from.
    pub fn layer_weights(&self, first: usize) -> Result<Vec<(String, Tensor)>, ModelError> {
        let vb = encoder_weights(&self.weights_file, &Device::Cpu, None)?;
        let fail = |e: candle_core::Error| {
            ModelError::candle(Phase::Weights, format_args!("{}: ", self.weights_file.display()), &e)
        };
        let (h, ff) = (self.config.hidden_size, self.config.intermediate_size);
        let mut out = Vec::new();
        for i in first..self.config.num_hidden_layers {
            for (name, shape) in network::bert::layer_tensors(h, ff) {
                let name = format!("encoder.layer.{i}.{name}");
                out.push((name.clone(), vb.get(shape.as_slice(), &name).map_err(fail)?));
            }
        }
        Ok(out)
    }

    /// Hidden states `[tokens, hidden]` after the first `layers` layers, for token ids `ids`
    /// of sequences back to back (`starts` as [`Bert::forward_packed`]).
    pub fn lower_states(&self, ids: &[u32], starts: &[usize], layers: usize) -> Result<Tensor, ModelError> {
        self.bert
            .forward_packed_to(ids, starts, layers)
            .map_err(|e| ModelError::candle(Phase::Inference, "the encoder's lower layers: ", &e))
    }

    /// The ids the model sees for a text that fits in one window, special tokens included.
    pub fn token_ids(&self, text: &str, intent: Intent) -> Result<Vec<u32>, ModelError> {
        self.tokens.framed_ids(text, intent)
    }
}

impl Encoder for CandleEncoder {
    fn id(&self) -> &str {
        &self.id
    }

    fn dim(&self) -> usize {
        self.config.hidden_size
    }

    fn embed(&self, texts: &[&str], intent: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        embed::embed(&self.bert, &self.tokens, self.config.hidden_size, texts, intent, &self.work)
    }
}

fn read_config(path: &Path) -> Result<Config, ModelError> {
    let fail = |m: String| ModelError::new(Phase::Config, format!("{}: {m}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let config: Config = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
    config.validate().map_err(fail)?;
    Ok(config)
}

fn load_weights(
    path: &Path,
    config: &Config,
    format: WeightFormat,
    device: &Device,
    adapter: Option<source::adapter::Adapter>,
) -> Result<Bert, ModelError> {
    let vb = encoder_weights(path, device, adapter)?;
    Bert::load(vb, config, format)
        .map_err(|e| ModelError::candle(Phase::Weights, format_args!("{}: ", path.display()), &e))
}

/// The encoder's tensors in the weights file at `path`, memory-mapped, named as a bare encoder
/// names them (`embeddings.…`, `encoder.layer.{i}.…`); with `adapter`, its tuned layers in place
/// of the file's.
fn encoder_weights(
    path: &Path,
    device: &Device,
    adapter: Option<source::adapter::Adapter>,
) -> Result<VarBuilder<'static>, ModelError> {
    let fail = |m: String| ModelError::new(Phase::Weights, format!("{}: {m}", path.display()));
    // Safety: the file is memory-mapped read-only; jianbao never writes a model file in place
    // (imports write a new directory and rename it).
    let base = unsafe { candle_core::safetensors::MmapedSafetensors::new(path) }.map_err(|e| {
        ModelError::candle(Phase::Weights, format_args!("{}: not a readable safetensors file: ", path.display()), &e)
    })?;
    // Checkpoints saved from a task model nest the encoder under its type's name.
    let prefix = ["", "bert.", "roberta.", "xlm-roberta.", "model."]
        .into_iter()
        .find(|p| base.get(&format!("{p}embeddings.word_embeddings.weight")).is_ok())
        .ok_or_else(|| fail("no tensor `embeddings.word_embeddings.weight`: not a BERT-family encoder".into()))?;
    let vb = match adapter {
        Some(adapter) => {
            let overlay = source::adapter::Overlay { base, prefix: prefix.to_owned(), adapter };
            VarBuilder::from_backend(Box::new(overlay), DType::F32, device.clone())
        }
        None => VarBuilder::from_backend(Box::new(base), DType::F32, device.clone()),
    };
    Ok(match prefix.strip_suffix('.') {
        Some(name) => vb.pp(name),
        None => vb,
    })
}
