//! Vectors kept on disk between training runs: embedding a training set is most of the work of
//! training on it, and the same texts with the same encoder give the same vectors.

use std::path::Path;

use candle_core::{Device, Tensor};
use sha2::{Digest, Sha256};

use crate::model::{Encoder, Intent, ModelError, Phase};

/// Embeds `texts` with `intent`, reusing the vectors an earlier call stored in `dir` for the
/// same encoder, intent and texts (one safetensors file per list, named by their SHA-256), and
/// storing them there otherwise. `progress` hears of each chunk done.
pub fn embed(
    encoder: &dyn Encoder,
    texts: &[&str],
    intent: Intent,
    dir: Option<&Path>,
    progress: &dyn Fn(usize),
) -> Result<Vec<Vec<f32>>, ModelError> {
    let mut hasher = Sha256::new();
    hasher.update(encoder.id().as_bytes());
    hasher.update(match intent {
        Intent::Query => b"\0query\0".as_slice(),
        Intent::Passage => b"\0passage\0".as_slice(),
    });
    for t in texts {
        hasher.update(t.as_bytes());
        hasher.update(b"\n");
    }
    let file = dir.map(|dir| dir.join(format!("{:x}.safetensors", hasher.finalize())));
    let fail = |file: &Path, e: String| ModelError::new(Phase::Inference, format!("{}: {e}", file.display()));
    if let Some(file) = file.as_deref().filter(|f| f.exists()) {
        let tensors = candle_core::safetensors::load(file, &Device::Cpu)
            .map_err(|e| fail(file, format!("unreadable cache: {e}")))?;
        if let Some(v) = tensors.get("vectors").and_then(|t| t.to_vec2::<f32>().ok()) {
            if v.len() == texts.len() {
                progress(texts.len());
                return Ok(v);
            }
        }
    }
    let mut vectors = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(1024) {
        vectors.extend(encoder.embed(chunk, intent)?);
        progress(chunk.len());
    }
    if let Some(file) = file {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(&file, e.to_string()))?;
        }
        let flat: Vec<f32> = vectors.iter().flatten().copied().collect();
        Tensor::from_vec(flat, (texts.len(), encoder.dim()), &Device::Cpu)
            .and_then(|t| t.save_safetensors("vectors", &file))
            .map_err(|e| fail(&file, e.to_string()))?;
    }
    Ok(vectors)
}

/// An encoder whose every call goes through [`embed`]'s cache in `dir`: for training code that
/// embeds in batches of its own making (the same batches each run).
pub struct Cached<'e> {
    pub encoder: &'e dyn Encoder,
    pub dir: std::path::PathBuf,
}

impl Encoder for Cached<'_> {
    fn id(&self) -> &str {
        self.encoder.id()
    }

    fn dim(&self) -> usize {
        self.encoder.dim()
    }

    fn embed(&self, texts: &[&str], intent: Intent) -> Result<Vec<Vec<f32>>, ModelError> {
        embed(self.encoder, texts, intent, Some(&self.dir), &|_| {})
    }
}
