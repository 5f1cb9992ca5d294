//! Tuned layers for an encoder: a safetensors file of the transformer layers `jianbao train
//! --tune-layers` tuned (named as the weights file names them, `encoder.layer.{i}.…`, in f16),
//! with a JSON manifest beside it that names the encoder they were tuned from. A weight matrix
//! is held whole, or as the change tuning made to it in two thin factors, `NAME.lora_a`
//! `[rank, in]` and `NAME.lora_b` `[out, rank]` (the tuned weight is the file's plus `b · a`),
//! each saved as 8-bit codes with a scale per row (`encode_factor`): twelve tuned layers of
//! e5-small take 42 MB whole in f16, 8 MB at rank 48 in f16 and 4.3 MB in 8 bits. Loading an encoder
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
    /// which the default model runs with when told to (`--tuned`).
    pub fn builtin() -> Adapter {
        let manifest = serde_json::from_str(BUILTIN_MANIFEST).expect("the built-in adapter's manifest parses");
        Adapter::parse(BUILTIN_WEIGHTS, manifest).expect("the built-in adapter is well-formed")
    }

    fn parse(bytes: &[u8], manifest: AdapterManifest) -> Result<Adapter, String> {
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|e| format!("not a readable safetensors file: {e}"))?;
        let tensors = decode_factors(tensors)?;
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
/// adapter file, factors in 8 bits and the rest in f16, with its manifest beside it.
pub fn save(path: &Path, manifest: &AdapterManifest, tensors: &HashMap<String, Tensor>) -> Result<(), ModelError> {
    let fail = |m: String| ModelError::new(Phase::Weights, format!("{}: {m}", path.display()));
    let mut saved = HashMap::new();
    for (name, t) in tensors {
        if is_factor(name) && t.rank() == 2 {
            let (codes, scales) = encode_factor(t).map_err(|e| fail(e.to_string()))?;
            saved.insert(format!("{name}{SCALE}"), scales);
            saved.insert(name.clone(), codes);
        } else {
            saved.insert(name.clone(), t.to_dtype(DType::F16).map_err(|e| fail(e.to_string()))?);
        }
    }
    candle_core::safetensors::save(&saved, path).map_err(|e| fail(e.to_string()))?;
    let json = serde_json::to_string_pretty(manifest).map_err(|e| fail(e.to_string()))?;
    std::fs::write(Adapter::manifest_path(path), json + "\n").map_err(|e| fail(e.to_string()))
}

/// What names a factor's row scales: `NAME.lora_a.scale` beside the codes `NAME.lora_a`.
const SCALE: &str = ".scale";
/// The code of zero: codes are unsigned bytes, a value's code 128 plus its multiple of the scale.
const ZERO: f32 = 128.0;

fn is_factor(name: &str) -> bool {
    name.ends_with(".lora_a") || name.ends_with(".lora_b")
}

/// A factor `[rows, cols]` in 8 bits: codes `[rows, cols]` (u8, zero at 128) and each row's
/// scale `[rows]` (f32, its largest magnitude over 127), so that a value is its code less 128
/// times its row's scale. A low-rank factor's rows are smooth (a row of `a` is a direction of
/// the change, one of `b` an output's share of each direction): within a row, 8 bits keep
/// each value to within half a percent of the row's largest.
fn encode_factor(t: &Tensor) -> candle_core::Result<(Tensor, Tensor)> {
    let rows = t.to_dtype(DType::F32)?.to_vec2::<f32>()?;
    let cols = t.dim(1)?;
    let mut codes = Vec::with_capacity(rows.len() * cols);
    let mut scales = Vec::with_capacity(rows.len());
    for row in &rows {
        let largest = row.iter().fold(0f32, |m, v| m.max(v.abs()));
        let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        codes.extend(row.iter().map(|v| ((v / scale).round().clamp(-127.0, 127.0) + ZERO) as u8));
        scales.push(scale);
    }
    let n = scales.len();
    Ok((Tensor::from_vec(codes, (n, cols), &Device::Cpu)?, Tensor::from_vec(scales, n, &Device::Cpu)?))
}

/// The file's tensors with each factor saved in 8 bits (`u8` codes and their `.scale`) read
/// back to f32; a file saved in f16 throughout passes as it is.
fn decode_factors(mut tensors: HashMap<String, Tensor>) -> Result<HashMap<String, Tensor>, String> {
    let coded: Vec<String> = tensors.iter().filter(|(_, t)| t.dtype() == DType::U8).map(|(n, _)| n.clone()).collect();
    for name in coded {
        let Some(scales) = tensors.remove(&format!("{name}{SCALE}")) else {
            return Err(format!("`{name}` holds 8-bit codes without their `{name}{SCALE}`"));
        };
        let codes = &tensors[&name];
        let (&[rows, _], &[n]) = (codes.dims(), scales.dims()) else {
            return Err(format!(
                "`{name}`: codes of shape {:?} with scales of shape {:?}",
                codes.dims(),
                scales.dims()
            ));
        };
        if rows != n {
            return Err(format!("`{name}`: {rows} rows of codes with {n} scales"));
        }
        let decode = || -> candle_core::Result<Tensor> {
            let values = (codes.to_dtype(DType::F32)? - f64::from(ZERO))?;
            values.broadcast_mul(&scales.to_dtype(DType::F32)?.unsqueeze(1)?)
        };
        let values = decode().map_err(|e| format!("`{name}`: {e}"))?;
        tensors.insert(name, values);
    }
    if let Some(name) = tensors.keys().find(|name| name.ends_with(SCALE)) {
        return Err(format!("`{name}` scales no 8-bit codes"));
    }
    Ok(tensors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_factor_in_eight_bits_keeps_each_value_within_half_a_step_of_its_row() {
        let rows = [vec![0.5f32, -0.25, 0.0031, -0.5], vec![0.0; 4], vec![1e-3, 2e-3, -4e-3, 3e-4]];
        let t = Tensor::from_vec(rows.concat(), (3, 4), &Device::Cpu).expect("tensor");
        let (codes, scales) = encode_factor(&t).expect("encoded");
        let name = "encoder.layer.0.output.dense.weight.lora_a".to_owned();
        let tensors = HashMap::from([(format!("{name}{SCALE}"), scales), (name.clone(), codes)]);
        let back = decode_factors(tensors).expect("decoded")[&name].to_vec2::<f32>().expect("values");
        for (row, got) in rows.iter().zip(&back) {
            let step = row.iter().fold(0f32, |m, v| m.max(v.abs())) / 127.0;
            for (v, g) in row.iter().zip(got) {
                assert!((v - g).abs() <= step / 2.0 + 1e-9, "{v} read back as {g}");
            }
        }
        // The largest of each row is exact, and a row of zeros stays zeros.
        assert_eq!((back[0][0], back[0][3]), (0.5, -0.5));
        assert_eq!(back[1], [0.0; 4]);
    }
}
