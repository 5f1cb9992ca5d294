//! Tuned layers for an encoder: a safetensors file of the transformer layers `jianbao train
//! --tune-layers` tuned (named as the weights file names them, `encoder.layer.{i}.…`, in f16),
//! with a JSON manifest beside it that names the encoder they were tuned from. A weight matrix
//! is held whole, or as the change tuning made to it in two thin factors, `NAME.lora_a`
//! `[rank, in]` and `NAME.lora_b` `[out, rank]` (the tuned weight is the file's plus `b · a`):
//! twelve tuned layers of e5-small take 42 MB whole and 8 MB at rank 48. Loading an encoder
//! with an adapter reads those tensors in place of the weights file's, merged, before the
//! layers are quantised: the tuned model costs nothing more to run ([`Overlay`]). The manifest's
//! `scale` merges a share of tuning's change only (the weights file's plus `scale` times the
//! change): an encoder between its own weights and the tuned ones, which keeps more of what it
//! knew outside the tuning data (weight-space ensembling).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::{safetensors::MmapedSafetensors, DType, Device, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{ModelError, Phase};

const BUILTIN_WEIGHTS: &[u8] = include_bytes!("../../../models/e5-small/tuned/adapter.safetensors");
const BUILTIN_MANIFEST: &str = include_str!("../../../models/e5-small/tuned/adapter.json");

/// What an adapter's manifest says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdapterManifest {
    /// The encoder the layers were tuned from (its model id, e.g. `e5-small`).
    pub encoder: String,
    /// The layers it replaces.
    pub layers: Vec<usize>,
    /// How it was trained and how it scored.
    #[serde(default)]
    pub training: serde_json::Value,
    /// The share of tuning's change that loading merges into the weights, in (0, 1].
    #[serde(default = "whole_change", skip_serializing_if = "is_whole_change")]
    pub scale: f64,
}

impl AdapterManifest {
    /// The manifest of layers tuned from `encoder`, merged whole.
    pub fn new(encoder: &str, layers: Vec<usize>, training: serde_json::Value) -> AdapterManifest {
        AdapterManifest { encoder: encoder.to_owned(), layers, training, scale: whole_change() }
    }
}

fn whole_change() -> f64 {
    1.0
}

fn is_whole_change(scale: &f64) -> bool {
    *scale == 1.0
}

/// Checks a share of tuning's change to merge: in (0, 1].
pub fn check_scale(scale: f64) -> Result<(), String> {
    if scale > 0.0 && scale <= 1.0 {
        Ok(())
    } else {
        Err(format!("a scale of tuning's change is in (0, 1], not {scale}"))
    }
}

/// Tuned layers, read and checked, ready to load in place of the weights file's.
#[derive(Debug, Clone)]
pub struct Adapter {
    pub manifest: AdapterManifest,
    /// The first 12 hex digits of the file's SHA-256: the tuned encoder's id names it.
    pub fingerprint: String,
    tensors: HashMap<String, Tensor>,
}

impl Adapter {
    /// The manifest beside an adapter file: `adapter.json` for `adapter.safetensors`.
    pub fn manifest_path(path: &Path) -> PathBuf {
        path.with_extension("json")
    }

    /// Reads an adapter file and its manifest.
    pub fn load(path: &Path) -> Result<Adapter, ModelError> {
        let fail = |m: String| ModelError::new(Phase::Weights, format!("{}: {m}", path.display()));
        let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let manifest_path = Adapter::manifest_path(path);
        let text = std::fs::read_to_string(&manifest_path)
            .map_err(|e| fail(format!("no manifest {} beside it: {e}", manifest_path.display())))?;
        let manifest: AdapterManifest = serde_json::from_str(&text)
            .map_err(|e| fail(format!("{}: not an adapter manifest: {e}", manifest_path.display())))?;
        check_scale(manifest.scale).map_err(|m| fail(format!("{}: {m}", manifest_path.display())))?;
        Adapter::parse(&bytes, manifest).map_err(fail)
    }

    /// The tuned layers built into jianbao for the default encoder (`models/e5-small/tuned/`),
    /// which the default model runs with unless told otherwise.
    pub fn builtin() -> Adapter {
        let manifest = serde_json::from_str(BUILTIN_MANIFEST).expect("the built-in adapter's manifest parses");
        Adapter::parse(BUILTIN_WEIGHTS, manifest).expect("the built-in adapter is well-formed")
    }

    fn parse(bytes: &[u8], manifest: AdapterManifest) -> Result<Adapter, String> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|e| format!("not a readable safetensors file: {e}"))?;
        if tensors.is_empty() || tensors.keys().any(|name| !name.starts_with("encoder.layer.")) {
            return Err("an adapter holds encoder layers (`encoder.layer.…`) only".into());
        }
        check_factors(&tensors)?;
        let fingerprint = format!("{:x}", Sha256::digest(bytes))[..12].to_owned();
        Ok(Adapter { manifest, fingerprint, tensors })
    }

    /// An adapter of `tensors` (named `encoder.layer.{i}.…`), for tests and for training.
    pub fn new(manifest: AdapterManifest, tensors: HashMap<String, Tensor>) -> Adapter {
        Adapter { manifest, fingerprint: String::from("unsaved"), tensors }
    }

    /// Refuses an adapter tuned from another encoder than `encoder`.
    pub fn check_encoder(&self, encoder: &str) -> Result<(), ModelError> {
        if self.manifest.encoder == encoder {
            return Ok(());
        }
        Err(ModelError::new(
            Phase::Weights,
            format!("the adapter was tuned from encoder `{}`, not `{encoder}`", self.manifest.encoder),
        ))
    }

    /// The id of `encoder` with this adapter: what heads and summary models trained on the
    /// tuned encoder's vectors record, so that they refuse the encoder without it. A share of
    /// the change follows it (`@0.5`).
    pub fn tuned_id(&self, encoder: &str) -> String {
        let scale = self.manifest.scale;
        if is_whole_change(&scale) {
            format!("{encoder}+adapter-{}", self.fingerprint)
        } else {
            format!("{encoder}+adapter-{}@{scale}", self.fingerprint)
        }
    }
}

/// Checks that each low-rank factor has its pair, of the same rank.
fn check_factors(tensors: &HashMap<String, Tensor>) -> Result<(), String> {
    for name in tensors.keys() {
        let Some(weight) = name.strip_suffix(".lora_a").or_else(|| name.strip_suffix(".lora_b")) else { continue };
        let pair = (tensors.get(&format!("{weight}.lora_a")), tensors.get(&format!("{weight}.lora_b")));
        let (Some(a), Some(b)) = pair else {
            return Err(format!("`{name}` without its pair: a tuned weight needs both `.lora_a` and `.lora_b`"));
        };
        match (a.dims(), b.dims()) {
            ([rank, _], [_, r]) if rank == r => {}
            (a, b) => return Err(format!("`{weight}`: factors of shapes {a:?} and {b:?} do not multiply")),
        }
    }
    Ok(())
}

/// The weights file's tensors, with an adapter's in place of those it replaces. `prefix` is
/// where the file nests the encoder (`bert.` in a task model's checkpoint), empty for none.
pub struct Overlay {
    pub base: MmapedSafetensors,
    pub prefix: String,
    pub adapter: Adapter,
}

impl Overlay {
    /// The adapter's tensor `name` (as the weights file names it), in f32: the file's own plus
    /// the manifest's scale of the change, held whole or as the product of its two factors.
    /// `None` where the adapter leaves it.
    fn tuned(&self, name: &str) -> candle_core::Result<Option<Tensor>> {
        let own = name.strip_prefix(self.prefix.as_str()).unwrap_or(name);
        let tensors = &self.adapter.tensors;
        let scale = self.adapter.manifest.scale;
        let base = || SimpleBackend::get_unchecked(&self.base, name, DType::F32, &Device::Cpu);
        if let Some(t) = tensors.get(own) {
            let t = t.to_dtype(DType::F32)?;
            if is_whole_change(&scale) {
                return Ok(Some(t));
            }
            let base = base()?;
            return Ok(Some((((t - &base)? * scale)? + base)?));
        }
        let (Some(a), Some(b)) = (tensors.get(&format!("{own}.lora_a")), tensors.get(&format!("{own}.lora_b"))) else {
            return Ok(None);
        };
        let base = base()?;
        let change = (b.to_dtype(DType::F32)?.matmul(&a.to_dtype(DType::F32)?)? * scale)?;
        if change.shape() != base.shape() {
            candle_core::bail!(
                "adapter factors of `{own}` make {:?}, the weight is {:?}",
                change.shape(),
                base.shape()
            );
        }
        Ok(Some((base + change)?))
    }
}

impl SimpleBackend for Overlay {
    fn get(&self, s: Shape, name: &str, h: candle_nn::Init, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        match self.tuned(name)? {
            Some(t) => {
                if t.shape() != &s {
                    candle_core::bail!("adapter tensor `{name}` has shape {:?}, the model wants {s:?}", t.shape());
                }
                t.to_dtype(dtype)?.to_device(dev)
            }
            None => SimpleBackend::get(&self.base, s, name, h, dtype, dev),
        }
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        match self.tuned(name)? {
            Some(t) => t.to_dtype(dtype)?.to_device(dev),
            None => SimpleBackend::get_unchecked(&self.base, name, dtype, dev),
        }
    }

    fn contains_tensor(&self, name: &str) -> bool {
        SimpleBackend::contains_tensor(&self.base, name)
            || self.adapter.tensors.contains_key(name.strip_prefix(self.prefix.as_str()).unwrap_or(name))
    }
}

/// Writes `tensors` (f32, named `encoder.layer.{i}.…`, weights whole or as factors) as an
/// adapter file in f16, with its manifest beside it.
pub fn save(path: &Path, manifest: &AdapterManifest, tensors: &HashMap<String, Tensor>) -> Result<(), ModelError> {
    let fail = |m: String| ModelError::new(Phase::Weights, format!("{}: {m}", path.display()));
    let half: HashMap<String, Tensor> = tensors
        .iter()
        .map(|(name, t)| Ok((name.clone(), t.to_dtype(DType::F16)?)))
        .collect::<candle_core::Result<_>>()
        .map_err(|e| fail(e.to_string()))?;
    candle_core::safetensors::save(&half, path).map_err(|e| fail(e.to_string()))?;
    let json = serde_json::to_string_pretty(manifest).map_err(|e| fail(e.to_string()))?;
    std::fs::write(Adapter::manifest_path(path), json + "\n").map_err(|e| fail(e.to_string()))
}
