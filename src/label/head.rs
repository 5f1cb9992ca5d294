//! A trained classification head: multinomial logistic regression on the encoder's
//! (L2-normalised) vectors, `softmax(W·x + b)`, optionally mixed with a [`Lexical`] classifier
//! of the text's characters: `softmax((1 - mix)·(W·x + b) + mix·lexical(text))`. A head
//! directory holds `head.safetensors` (`weight` `[labels, dim]`, `bias` `[labels]`, and where
//! there is a lexical part `lexical.idf` `[buckets]`, `lexical.weight` `[buckets, labels]` in
//! f16 and `lexical.bias`) and `head.json` ([`Manifest`]: the encoder it belongs to, its labels,
//! the data it was trained on and its held-out scores).
//!
//! A head is only valid for the encoder that made its training vectors: loading checks the
//! encoder id and dimension and refuses any other.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::lexical::{self, Lexical};
use super::{softmax, LabelError};
use crate::fit::dot;
use crate::model::Encoder;

pub const WEIGHTS_FILE: &str = "head.safetensors";
pub const MANIFEST_FILE: &str = "head.json";

/// The head for the default model and sections, built into the binary.
const BUILTIN_WEIGHTS: &[u8] = include_bytes!("../../models/e5-small/head.safetensors");
const BUILTIN_MANIFEST: &str = include_str!("../../models/e5-small/head.json");
const TUNED_WEIGHTS: &[u8] = include_bytes!("../../models/e5-small/tuned/head.safetensors");
const TUNED_MANIFEST: &str = include_str!("../../models/e5-small/tuned/head.json");

/// What a head is, where it came from and how well it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The encoder whose vectors the head reads (its model id, e.g. `e5-small`).
    pub encoder: String,
    pub dim: usize,
    /// The labels, in the order of the weight rows.
    pub labels: Vec<String>,
    /// How the classifier's input text is built and prompted.
    pub input: String,
    /// The lexical part, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexical: Option<LexicalSpec>,
    /// Training data, split, settings and held-out scores.
    #[serde(default)]
    pub training: serde_json::Value,
}

/// How a head's lexical part is built and weighed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LexicalSpec {
    /// Hash buckets of the character n-grams.
    pub buckets: usize,
    /// The longest n-gram (the shortest is 1).
    pub max_n: usize,
    /// The lexical logits' share: `(1 - mix)·encoder + mix·lexical`.
    pub mix: f32,
}

#[derive(Debug, Clone)]
pub struct Head {
    pub manifest: Manifest,
    /// `[labels × dim]`, row-major.
    weight: Vec<f32>,
    bias: Vec<f32>,
    lexical: Option<Lexical>,
}

impl Head {
    pub fn new(manifest: Manifest, weight: Vec<f32>, bias: Vec<f32>) -> Result<Head, LabelError> {
        let (k, d) = (manifest.labels.len(), manifest.dim);
        if k < 2 || d == 0 {
            return Err(LabelError::Other(format!("head: {k} labels × {d} dimensions; it needs two labels or more")));
        }
        if weight.len() != k * d || bias.len() != k {
            return Err(LabelError::Other(format!(
                "head: weight has {} values and bias {} for {k} labels × {d} dimensions",
                weight.len(),
                bias.len()
            )));
        }
        Ok(Head { manifest, weight, bias, lexical: None })
    }

    /// Adds a lexical part, its logits weighed by `mix`.
    pub fn with_lexical(mut self, lexical: Lexical, mix: f32) -> Result<Head, LabelError> {
        if lexical.labels() != self.labels().len() {
            return Err(LabelError::Other(format!(
                "lexical head: {} labels, the head {}",
                lexical.labels(),
                self.labels().len()
            )));
        }
        self.manifest.lexical = Some(LexicalSpec { buckets: lexical.buckets, max_n: lexical::MAX_N, mix });
        self.lexical = Some(lexical);
        Ok(self)
    }

    /// The same head with another mix of encoder and lexical logits.
    pub fn set_mix(&mut self, mix: f32) {
        if let Some(spec) = &mut self.manifest.lexical {
            spec.mix = mix;
        }
    }

    /// The labels, in the order of the weight rows.
    pub fn labels(&self) -> &[String] {
        &self.manifest.labels
    }

    /// The head for the default model (`e5-small`, without its tuned layers) and the default
    /// sections.
    pub fn builtin() -> Head {
        Head::parse(BUILTIN_WEIGHTS, BUILTIN_MANIFEST, Path::new("models/e5-small"))
            .expect("the built-in head is well-formed")
    }

    /// The built-in head for `encoder` (its id): the one trained on the default model with its
    /// built-in tuned layers where that is the encoder, else [`Head::builtin`].
    pub fn builtin_for(encoder: &str) -> Head {
        let tuned: Manifest = serde_json::from_str(TUNED_MANIFEST).expect("the built-in tuned head's manifest parses");
        if tuned.encoder != encoder {
            return Head::builtin();
        }
        Head::parse(TUNED_WEIGHTS, TUNED_MANIFEST, Path::new("models/e5-small/tuned"))
            .expect("the built-in tuned head is well-formed")
    }

    /// Reads a head directory.
    pub fn load(dir: &Path) -> Result<Head, LabelError> {
        let weights = dir.join(WEIGHTS_FILE);
        let manifest = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&weights).map_err(|e| LabelError::file(&weights, e.to_string()))?;
        let text = std::fs::read_to_string(&manifest).map_err(|e| LabelError::file(&manifest, e.to_string()))?;
        Head::parse(&bytes, &text, dir)
    }

    fn parse(weights: &[u8], manifest: &str, dir: &Path) -> Result<Head, LabelError> {
        let manifest: Manifest = serde_json::from_str(manifest)
            .map_err(|e| LabelError::file(&dir.join(MANIFEST_FILE), format!("not a head manifest: {e}")))?;
        let path = dir.join(WEIGHTS_FILE);
        let tensors = candle_core::safetensors::load_buffer(weights, &Device::Cpu)
            .map_err(|e| LabelError::file(&path, format!("not a readable safetensors file: {e}")))?;
        let read = |name: &str| -> Result<Vec<f32>, LabelError> {
            let t = tensors.get(name).ok_or_else(|| LabelError::file(&path, format!("no tensor `{name}`")))?;
            t.flatten_all()
                .and_then(|t| t.to_dtype(candle_core::DType::F32))
                .and_then(|t| t.to_vec1::<f32>())
                .map_err(|e| LabelError::file(&path, format!("tensor `{name}`: {e}")))
        };
        let spec = manifest.lexical;
        let head =
            Head::new(manifest, read("weight")?, read("bias")?).map_err(|e| LabelError::file(&path, e.to_string()))?;
        let Some(spec) = spec else {
            return Ok(head);
        };
        if spec.max_n != lexical::MAX_N {
            return Err(LabelError::file(
                &path,
                format!("lexical n-grams up to {}, this build reads up to {}", spec.max_n, lexical::MAX_N),
            ));
        }
        Lexical::new(spec.buckets, read("lexical.idf")?, read("lexical.weight")?, read("lexical.bias")?)
            .and_then(|l| head.with_lexical(l, spec.mix))
            .map_err(|e| LabelError::file(&path, e.to_string()))
    }

    /// Writes `head.safetensors` and `head.json` into `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), LabelError> {
        std::fs::create_dir_all(dir).map_err(|e| LabelError::file(dir, e.to_string()))?;
        let (k, d) = (self.labels().len(), self.manifest.dim);
        let path = dir.join(WEIGHTS_FILE);
        let fail = |e: candle_core::Error| LabelError::file(&path, e.to_string());
        let mut tensors = HashMap::from([
            ("weight".to_owned(), Tensor::from_vec(self.weight.clone(), (k, d), &Device::Cpu).map_err(fail)?),
            ("bias".to_owned(), Tensor::from_vec(self.bias.clone(), k, &Device::Cpu).map_err(fail)?),
        ]);
        if let Some(lex) = &self.lexical {
            // Half precision halves the file; `jianbao train` scores the head after the same
            // rounding (`Lexical::rounded_to_f16`), so its manifest's scores are the file's.
            let half = |v: &[f32], shape: &[usize]| {
                Tensor::from_vec(v.to_vec(), shape, &Device::Cpu).and_then(|t| t.to_dtype(candle_core::DType::F16))
            };
            tensors.insert("lexical.idf".to_owned(), half(&lex.idf, &[lex.buckets]).map_err(fail)?);
            tensors.insert("lexical.weight".to_owned(), half(&lex.weight, &[lex.buckets, k]).map_err(fail)?);
            tensors
                .insert("lexical.bias".to_owned(), Tensor::from_vec(lex.bias.clone(), k, &Device::Cpu).map_err(fail)?);
        }
        candle_core::safetensors::save(&tensors, &path).map_err(fail)?;
        let manifest = dir.join(MANIFEST_FILE);
        let json = serde_json::to_string_pretty(&self.manifest).map_err(|e| LabelError::Other(e.to_string()))?;
        std::fs::write(&manifest, json + "\n").map_err(|e| LabelError::file(&manifest, e.to_string()))
    }

    /// Refuses a head trained on another encoder's vectors.
    pub fn check_encoder(&self, encoder: &dyn Encoder) -> Result<(), LabelError> {
        if self.manifest.encoder != encoder.id() || self.manifest.dim != encoder.dim() {
            return Err(LabelError::Other(format!(
                "the label head was trained for encoder `{}` ({} dimensions), not `{}` ({} dimensions); \
                 train one for this model with `jianbao train`, or use --zero-shot",
                self.manifest.encoder,
                self.manifest.dim,
                encoder.id(),
                encoder.dim()
            )));
        }
        Ok(())
    }

    /// The logits of the encoder's part alone.
    pub fn encoder_logits(&self, vector: &[f32]) -> Vec<f32> {
        let d = self.manifest.dim;
        self.weight.chunks_exact(d).zip(&self.bias).map(|(row, b)| dot(row, vector) + b).collect()
    }

    /// The lexical part, where there is one.
    pub fn lexical(&self) -> Option<&Lexical> {
        self.lexical.as_ref()
    }

    /// The logits of the lexical part alone, where there is one.
    pub fn lexical_logits(&self, text: &str) -> Option<Vec<f32>> {
        self.lexical.as_ref().map(|l| l.logits(text))
    }

    /// The logits for a text and its vector.
    pub fn logits(&self, vector: &[f32], text: &str) -> Vec<f32> {
        let encoder = self.encoder_logits(vector);
        match (self.lexical_logits(text), self.manifest.lexical) {
            (Some(lexical), Some(spec)) => mix(&encoder, &lexical, spec.mix),
            _ => encoder,
        }
    }

    pub fn probabilities(&self, vector: &[f32], text: &str) -> Vec<f32> {
        softmax(&self.logits(vector, text))
    }
}

/// `(1 - mix)·encoder + mix·lexical`.
pub fn mix(encoder: &[f32], lexical: &[f32], mix: f32) -> Vec<f32> {
    encoder.iter().zip(lexical).map(|(e, l)| (1.0 - mix) * e + mix * l).collect()
}
