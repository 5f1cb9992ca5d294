//! CPU kernels fused for this model's hot paths, where candle's generic ops make several passes
//! over large tensors or call scalar `expf`/`erff`: bias + GELU, bias + residual + layer norm,
//! and the attention softmax with its scale and padding mask. Each falls back to candle's own
//! ops wherever it does not apply (another device, dtype or layout).
//!
//! The loops are plain Rust; they are compiled again with AVX-512 and with AVX2 + FMA enabled,
//! and the widest copy the processor runs is chosen at run time, so one binary runs anywhere
//! and vectorises where it can. Attention's two matrix products use the AVX-512 kernel of
//! [`super::packed`] where there is one, else the `gemm` crate.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, CustomOp3, DType, Layout, Result, Shape, Tensor};

use super::packed;

/// The values of a contiguous f32 tensor on the CPU, or an error naming `op`.
pub fn f32_slice<'a>(storage: &'a CpuStorage, layout: &Layout, op: &str) -> Result<&'a [f32]> {
    let CpuStorage::F32(values) = storage else {
        candle_core::bail!("{op}: f32 only");
    };
    let Some((start, end)) = layout.contiguous_offsets() else {
        candle_core::bail!("{op}: contiguous input only");
    };
    Ok(&values[start..end])
}

/// Rows per parallel task in the element-wise kernels.
const ROWS_PER_TASK: usize = 64;

fn fusable(tensors: &[&Tensor]) -> bool {
    tensors.iter().all(|t| t.device().is_cpu() && t.dtype() == DType::F32 && t.is_contiguous())
}

/// The instruction sets the loops of [`dispatch`] are compiled for, widest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    Avx512,
    Avx2Fma,
    Portable,
}

impl Isa {
    /// Every instruction set, widest first.
    pub fn all() -> [Isa; 3] {
        [Isa::Avx512, Isa::Avx2Fma, Isa::Portable]
    }

    /// The widest this processor runs.
    #[inline]
    pub fn detect() -> Isa {
        Isa::all().into_iter().find(|isa| isa.runs_here()).unwrap_or(Isa::Portable)
    }

    #[inline]
    pub fn runs_here(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            match self {
                Isa::Avx512 => is_x86_feature_detected!("avx512f"),
                Isa::Avx2Fma => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
                Isa::Portable => true,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self == Isa::Portable
        }
    }
}

/// Defines `name(args)`, which runs `body` compiled with AVX-512, or with AVX2 and FMA, where
/// the processor has them, and `name::on(isa, args)`, which runs the copy for `isa` (the
/// portable one where `isa` does not run here), so that tests can compare every copy.
macro_rules! dispatch {
    ($name:ident, ($($arg:ident: $ty:ty),*) $(-> $ret:ty)?, $body:block) => {
        fn $name($($arg: $ty),*) $(-> $ret)? {
            $name::on($crate::model::ops::Isa::detect(), $($arg),*)
        }

        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::model::ops::Isa;

            #[inline(always)]
            pub(super) fn on(isa: Isa, $($arg: $ty),*) $(-> $ret)? {
                #[cfg(target_arch = "x86_64")]
                {
                    #[target_feature(enable = "avx512f,avx2,fma")]
                    unsafe fn widest($($arg: $ty),*) $(-> $ret)? $body
                    #[target_feature(enable = "avx2,fma")]
                    unsafe fn fast($($arg: $ty),*) $(-> $ret)? $body
                    if isa == Isa::Avx512 && isa.runs_here() {
                        // Safety: the features `widest` was compiled for are present.
                        return unsafe { widest($($arg),*) };
                    }
                    if isa != Isa::Portable && Isa::Avx2Fma.runs_here() {
                        // Safety: the features `fast` was compiled for are present.
                        return unsafe { fast($($arg),*) };
                    }
                }
                let _ = isa;
                $body
            }
        }
    };
}
pub(crate) use dispatch;

/// `gelu(y + bias)`, GELU in the exact (erf) form BERT was trained with. `y`: `[rows, n]`,
/// `bias`: `[n]`.
pub fn bias_gelu(y: &Tensor, bias: &Tensor) -> Result<Tensor> {
    if fusable(&[y, bias]) && y.rank() == 2 && bias.dims1()? == y.dim(1)? {
        y.apply_op2_no_bwd(bias, &BiasGelu)
    } else {
        y.broadcast_add(bias)?.gelu_erf()
    }
}

struct BiasGelu;

dispatch!(bias_gelu_rows, (y: &[f32], bias: &[f32], out: &mut [f32]), {
    for (row, dst) in y.chunks_exact(bias.len()).zip(out.chunks_exact_mut(bias.len())) {
        for ((d, &v), &b) in dst.iter_mut().zip(row).zip(bias) {
            let x = v + b;
            *d = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
        }
    }
});

impl CustomOp2 for BiasGelu {
    fn name(&self) -> &'static str {
        "bias-gelu"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> Result<(CpuStorage, Shape)> {
        use rayon::prelude::*;
        let (y, bias) = (f32_slice(s1, l1, self.name())?, f32_slice(s2, l2, self.name())?);
        let mut out = vec![0f32; y.len()];
        let chunk = ROWS_PER_TASK * bias.len();
        out.par_chunks_mut(chunk).zip(y.par_chunks(chunk)).for_each(|(dst, src)| bias_gelu_rows(src, bias, dst));
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// `y + bias + residual`, then `norm` where given, in one pass. `y`, `residual`: `[rows, n]`;
/// `bias`: `[n]`.
pub fn bias_residual(y: &Tensor, bias: &Tensor, residual: &Tensor, norm: Option<&LayerNorm>) -> Result<Tensor> {
    let fits = norm.is_none_or(|norm| norm.len() == bias.elem_count());
    if fusable(&[y, bias, residual])
        && y.rank() == 2
        && y.shape() == residual.shape()
        && bias.dims1()? == y.dim(1)?
        && fits
    {
        return y.apply_op3_no_bwd(bias, residual, &BiasResidual(norm));
    }
    let sum = (y.broadcast_add(bias)? + residual)?;
    match norm {
        Some(norm) => norm.forward(&sum),
        None => Ok(sum),
    }
}

struct BiasResidual<'a>(Option<&'a LayerNorm>);

dispatch!(bias_residual_rows, (y: &[f32], bias: &[f32], residual: &[f32], out: &mut [f32]), {
    let n = bias.len();
    for ((row, res), dst) in y.chunks_exact(n).zip(residual.chunks_exact(n)).zip(out.chunks_exact_mut(n)) {
        for (((d, &v), &b), &r) in dst.iter_mut().zip(row).zip(bias).zip(res) {
            *d = v + b + r;
        }
    }
});

impl CustomOp3 for BiasResidual<'_> {
    fn name(&self) -> &'static str {
        "bias-residual"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let name = self.name();
        let (y, bias, residual) = (f32_slice(s1, l1, name)?, f32_slice(s2, l2, name)?, f32_slice(s3, l3, name)?);
        use rayon::prelude::*;
        let mut out = vec![0f32; y.len()];
        let chunk = ROWS_PER_TASK * bias.len();
        out.par_chunks_mut(chunk).zip(y.par_chunks(chunk).zip(residual.par_chunks(chunk))).for_each(
            |(dst, (src, res))| {
                bias_residual_rows(src, bias, res, dst);
                if let Some(norm) = self.0 {
                    norm.rows_in_place(dst);
                }
            },
        );
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// A layer norm over the last axis, `(x − mean) / √(var + eps) · weight + bias`, with its
/// parameters also kept as plain values for the CPU kernels, which normalise rows in place:
/// here, or in the finishing pass of an int8 residual layer, while the row is in cache.
pub struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    gamma: Vec<f32>,
    beta: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    pub fn new(weight: Tensor, bias: Tensor, eps: f64) -> Result<LayerNorm> {
        let gamma = weight.to_dtype(DType::F32)?.to_vec1::<f32>()?;
        let beta = bias.to_dtype(DType::F32)?.to_vec1::<f32>()?;
        if gamma.len() != beta.len() {
            candle_core::bail!("layer norm: a weight of {} values and a bias of {}", gamma.len(), beta.len());
        }
        Ok(LayerNorm { weight, bias, gamma, beta, eps: eps as f32 })
    }

    /// Features per row.
    pub fn len(&self) -> usize {
        self.gamma.len()
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        if fusable(&[x]) && x.dim(candle_core::D::Minus1)? == self.len() {
            x.apply_op1_no_bwd(self)
        } else {
            candle_nn::ops::layer_norm(x, &self.weight, &self.bias, self.eps)
        }
    }

    /// Normalises each row of `rows` (`[n, len]`) in place.
    pub fn rows_in_place(&self, rows: &mut [f32]) {
        for row in rows.chunks_exact_mut(self.len()) {
            norm_row(row, &self.gamma, &self.beta, self.eps);
        }
    }
}

// Mean and variance in one pass, as sums of the values and of their squares in sixteen lanes
// (as candle does, serially), then the affine map. Rows here are a few hundred values, in cache.
dispatch!(norm_row, (row: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32), {
    let (mut sums, mut squares) = ([0f32; 16], [0f32; 16]);
    let chunks = row.chunks_exact(16);
    let (mut sum, mut square) = chunks.remainder().iter().fold((0.0, 0.0), |(s, q), &v| (s + v, q + v * v));
    for chunk in chunks {
        for ((s, q), &v) in sums.iter_mut().zip(&mut squares).zip(chunk) {
            *s += v;
            *q += v * v;
        }
    }
    for (s, q) in sums.iter().zip(&squares) {
        sum += s;
        square += q;
    }
    let n = row.len() as f32;
    let mean = sum / n;
    let var = (square / n - mean * mean).max(0.0);
    let inv = 1.0 / (var + eps).sqrt();
    for ((v, &g), &b) in row.iter_mut().zip(gamma).zip(beta) {
        *v = (*v - mean) * inv * g + b;
    }
});

impl CustomOp1 for LayerNorm {
    fn name(&self) -> &'static str {
        "layer-norm"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        use rayon::prelude::*;
        let mut out = f32_slice(storage, layout, self.name())?.to_vec();
        out.par_chunks_mut(ROWS_PER_TASK * self.len()).for_each(|rows| self.rows_in_place(rows));
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Attention weights: `softmax(scores · scale)` over the last axis, attending only to keys
/// whose `mask` is 1. `scores`: `[batch, heads, len, len]`; `mask`: `[batch, len]` of 1/0,
/// right-padded. Rows of padded queries come out as zeros: nothing downstream reads them.
pub fn masked_softmax(scores: &Tensor, mask: &Tensor, scale: f64) -> Result<Tensor> {
    if fusable(&[scores, mask]) && scores.rank() == 4 && mask.rank() == 2 {
        return scores.apply_op2_no_bwd(mask, &MaskedSoftmax { scale: scale as f32 });
    }
    let (batch, len) = mask.dims2()?;
    let bias = ((mask.to_dtype(scores.dtype())? - 1.0)? * 1e9)?.reshape((batch, 1, 1, len))?;
    candle_nn::ops::softmax_last_dim(&(scores * scale)?.broadcast_add(&bias)?)
}

struct MaskedSoftmax {
    scale: f32,
}

/// Scales each real query row of one head into `out` and softmaxes it over the real keys.
fn softmax_rows(scores: &[f32], mask: &[f32], scale: f32, valid: usize, out: &mut [f32]) {
    let len = mask.len();
    let dst = &mut out[..valid * len];
    dst.copy_from_slice(&scores[..valid * len]);
    let mut sums = vec![0f32; valid];
    exp_rows(dst, len, &mask[..valid], scale, &mut sums);
    for (row, sum) in dst.chunks_exact_mut(len).zip(sums) {
        let inv = 1.0 / sum;
        for d in &mut row[..valid] {
            *d *= inv;
        }
        row[valid..].fill(0.0);
    }
}

/// Folds `values` with `op` in sixteen independent lanes, then across them: the shape that
/// lets a compiler keep a float reduction in vector registers without reassociating it itself.
#[inline(always)]
pub fn lanes(values: &[f32], init: f32, op: impl Fn(f32, f32) -> f32) -> f32 {
    let mut acc = [init; 16];
    let chunks = values.chunks_exact(16);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a = op(*a, v);
        }
    }
    let mut total = rest.iter().fold(init, |a, &v| op(a, v));
    for a in acc {
        total = op(total, a);
    }
    total
}

impl CustomOp2 for MaskedSoftmax {
    fn name(&self) -> &'static str {
        "masked-softmax"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> Result<(CpuStorage, Shape)> {
        let (scores, mask) = (f32_slice(s1, l1, self.name())?, f32_slice(s2, l2, self.name())?);
        let (batch, heads, len, keys) = l1.shape().dims4()?;
        if l2.shape().dims2()? != (batch, keys) || len != keys {
            candle_core::bail!("masked-softmax: scores {:?} and mask {:?} do not agree", l1.shape(), l2.shape());
        }
        let mut out = vec![0f32; scores.len()];
        let per_sequence = heads * len * len;
        for (b, (src, dst)) in scores.chunks_exact(per_sequence).zip(out.chunks_exact_mut(per_sequence)).enumerate() {
            let mask = &mask[b * len..(b + 1) * len];
            let valid = mask.iter().rposition(|&m| m > 0.0).map_or(0, |i| i + 1);
            for (head_src, head_dst) in src.chunks_exact(len * len).zip(dst.chunks_exact_mut(len * len)) {
                softmax_rows(head_src, mask, self.scale, valid, head_dst);
            }
        }
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// Which tokens of a batch attend to which, as the layers' rows lay them out.
#[derive(Clone, Copy)]
pub enum Sequences<'a> {
    /// `[batch · len]` rows, sequence `b` in rows `b · len..(b + 1) · len`; `mask`:
    /// `[batch, len]` of 1/0, right-padded.
    Padded(&'a Tensor),
    /// Sequences back to back, no padding: sequence `i` is rows `starts[i]..starts[i + 1]`
    /// (`starts` opens with 0 and closes with the number of rows).
    Packed(&'a [usize]),
}

/// Scaled dot-product attention for one layer, `softmax(q·kᵀ · scale, masked) · v`, with the
/// result laid out one row per row of `qkv`, `heads · head_dim` wide, ready for the output
/// projection. `qkv`: each token's query, key and value side by side, `3 · hidden` wide, as the
/// fused projection makes them, in rows as `sequences` says.
///
/// On the CPU each sequence is one task on rayon's pool: per head, two single-threaded matrix
/// products over the sequence's real tokens only, read where the projection wrote them and
/// written where the output projection reads them, with the softmax in between; no
/// `[batch, heads, len, len]` tensor is made, nor copies of the queries, keys and values.
/// Packed sequences run on the CPU only.
pub fn attention(qkv: &Tensor, sequences: Sequences<'_>, heads: usize, scale: f64) -> Result<Tensor> {
    let (rows, width) = qkv.dims2()?;
    if heads == 0 || !width.is_multiple_of(3 * heads) {
        candle_core::bail!("attention: projections {width} wide for {heads} heads");
    }
    let scale = scale as f32;
    let mask = match sequences {
        Sequences::Packed(starts) => {
            check_starts(starts, rows)?;
            if !fusable(&[qkv]) {
                candle_core::bail!("attention: packed sequences need f32 on the CPU");
            }
            return qkv.apply_op1_no_bwd(&Attention::packed(starts, heads, scale));
        }
        Sequences::Padded(mask) => mask,
    };
    let (batch, len) = mask.dims2()?;
    if rows != batch * len {
        candle_core::bail!("attention: {rows} projections for {batch} × {len} tokens");
    }
    let (hidden, head_dim) = (width / 3, width / 3 / heads);
    if fusable(&[qkv, mask]) {
        let mask = mask.flatten_all()?.to_vec1::<f32>()?;
        // Each sequence up to its last real token; the padding after it stays zero.
        let spans = (0..batch)
            .map(|b| {
                let valid = mask[b * len..(b + 1) * len].iter().rposition(|&m| m > 0.0).map_or(0, |i| i + 1);
                b * len..b * len + valid
            })
            .collect();
        return qkv.apply_op1_no_bwd(&Attention { mask, spans, heads, scale });
    }
    let qkv = qkv.reshape((batch, len, 3, heads, head_dim))?.permute((2, 0, 3, 1, 4))?;
    let (q, k, v) = (qkv.get(0)?.contiguous()?, qkv.get(1)?.contiguous()?, qkv.get(2)?.contiguous()?);
    let probs = masked_softmax(&q.matmul(&k.t()?)?, mask, f64::from(scale))?;
    probs.matmul(&v)?.transpose(1, 2)?.reshape((rows, hidden))
}

struct Attention {
    /// One value per row: 1 for a token, 0 for padding.
    mask: Vec<f32>,
    /// The rows of each sequence, in order and disjoint; rows outside them come out zero.
    spans: Vec<std::ops::Range<usize>>,
    heads: usize,
    scale: f32,
}

/// Buffers one thread reuses from sequence to sequence: allocating and zeroing them for each
/// head was about 1.5% of digest's time.
#[derive(Default)]
struct Scratch {
    /// The sequence's mask, zero-padded to whole panels.
    mask: Vec<f32>,
    queries: Vec<f32>,
    keys: Vec<f32>,
    values: Vec<f32>,
    scores: Vec<f32>,
    sums: Vec<f32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

// The softmax of each row of `scores · scale` over `mask.len()` keys (the rest of each row, up
// to the stride `ld`, is left alone), short of the division: each row gets e^(scale·(x - max))
// and its sum goes to `sums`, so that the caller can divide wherever there are fewer values.
dispatch!(exp_rows, (scores: &mut [f32], ld: usize, mask: &[f32], scale: f32, sums: &mut [f32]), {
    let keys = mask.len();
    let masked = mask.contains(&0.0);
    for (row, sum) in scores.chunks_mut(ld).zip(sums.iter_mut()) {
        let row = &mut row[..keys];
        if masked {
            for (d, &m) in row.iter_mut().zip(mask) {
                *d += (m - 1.0) * 1e9;
            }
        }
        let max = lanes(row, f32::NEG_INFINITY, |a, b| if a > b { a } else { b });
        let mut acc = [0f32; 16];
        let mut chunks = row.chunks_exact_mut(16);
        for chunk in &mut chunks {
            for (a, d) in acc.iter_mut().zip(chunk) {
                *d = exp((*d - max) * scale);
                *a += *d;
            }
        }
        let mut total = 0.0;
        for d in chunks.into_remainder() {
            *d = exp((*d - max) * scale);
            total += *d;
        }
        *sum = acc.iter().fold(total, |t, &a| t + a);
    }
});

impl Attention {
    /// Copies the first `valid` tokens of a sequence's `qkv` (stride `3 · hidden`) into
    /// `scratch`, head by head, ready for [`packed::product`]: queries `[valid, head_dim]`, keys
    /// packed as rows (panels of 32 tokens, zero-padded), values packed as columns. One pass in
    /// token order: reading each head's columns in place instead, rows apart, missed the cache
    /// on every row and took three times as long as the copies it saved.
    fn split(&self, qkv: &[f32], mask: &[f32], hidden: usize, scratch: &mut Scratch) {
        let (valid, head_dim) = (mask.len(), hidden / self.heads);
        let ld = valid.div_ceil(packed::PANEL) * packed::PANEL;
        let padded = grown(&mut scratch.mask, ld);
        padded[..valid].copy_from_slice(mask);
        padded[valid..].fill(0.0);
        let queries = grown(&mut scratch.queries, self.heads * valid * head_dim);
        let keys = grown(&mut scratch.keys, self.heads * ld * head_dim);
        let values = grown(&mut scratch.values, self.heads * valid * head_dim);
        for (j, row) in qkv.chunks_exact(3 * hidden).take(valid).enumerate() {
            let (q, rest) = row.split_at(hidden);
            let (k, v) = rest.split_at(hidden);
            let (p, c) = (j / packed::PANEL, j % packed::PANEL);
            for h in 0..self.heads {
                let span = h * head_dim..(h + 1) * head_dim;
                queries[(h * valid + j) * head_dim..][..head_dim].copy_from_slice(&q[span.clone()]);
                let panel = &mut keys[(h * ld + p * packed::PANEL) * head_dim..][..head_dim * packed::PANEL];
                for (step, &value) in panel.chunks_exact_mut(packed::PANEL).zip(&k[span.clone()]) {
                    step[c] = value;
                }
                let head_values = &mut values[h * valid * head_dim..][..valid * head_dim];
                for (block, cols) in v[span].chunks_exact(packed::PANEL).enumerate() {
                    head_values[(block * valid + j) * packed::PANEL..][..packed::PANEL].copy_from_slice(cols);
                }
            }
        }
        if valid < ld {
            for panel in keys.chunks_exact_mut(ld * head_dim) {
                for step in panel[(ld - packed::PANEL) * head_dim..].chunks_exact_mut(packed::PANEL) {
                    step[valid % packed::PANEL..].fill(0.0);
                }
            }
        }
    }

    /// Head `h` of one sequence: context vectors for its `mask.len()` real tokens, into the rows
    /// of `out` (stride `hidden`) from column `h · head_dim`. `qkv` holds the sequence's tokens
    /// at stride `3 · hidden`; on the AVX-512 path [`Attention::split`] has copied them to
    /// `scratch`.
    fn head(&self, h: usize, qkv: &[f32], mask: &[f32], out: &mut [f32], hidden: usize, scratch: &mut Scratch) {
        let valid = mask.len();
        let (width, head_dim) = (3 * hidden, hidden / self.heads);
        let at = h * head_dim;
        let Scratch { mask: padded, queries, keys, values, scores, sums } = scratch;
        let sums = grown(sums, valid);
        if packed::available() && head_dim.is_multiple_of(packed::PANEL) {
            // Score rows padded to whole panels. The padding columns, masked, go through the
            // softmax's vector loop with the rest (a scalar loop for the last `valid % 16` was a
            // fifth of the softmax's time) and come out as e^-87; the second product stops at
            // `valid`.
            let ld = valid.div_ceil(packed::PANEL) * packed::PANEL;
            let q = &queries[h * valid * head_dim..][..valid * head_dim];
            let k = &keys[h * ld * head_dim..][..ld * head_dim];
            let scores = grown(scores, valid * ld);
            packed::product(q, head_dim, valid, head_dim, k, ld, scores, ld);
            exp_rows(scores, ld, &padded[..ld], self.scale, sums);
            let v = &values[h * valid * head_dim..][..valid * head_dim];
            packed::product(scores, ld, valid, valid, v, head_dim, &mut out[at..], hidden);
        } else {
            let (q, k, v) = (&qkv[at..], &qkv[hidden + at..], &qkv[2 * hidden + at..]);
            let scores = grown(scores, valid * valid);
            let (q, k) = (View { values: q, strides: (width, 1) }, View { values: k, strides: (1, width) });
            gemm_rows((valid, valid, head_dim), q, k, scores, valid);
            exp_rows(scores, valid, mask, self.scale, sums);
            let (p, v) = (View { values: scores, strides: (valid, 1) }, View { values: v, strides: (width, 1) });
            gemm_rows((valid, head_dim, valid), p, v, &mut out[at..], hidden);
        }
        for (row, sum) in out.chunks_mut(hidden).zip(sums.iter()) {
            let inv = 1.0 / sum;
            for c in &mut row[at..at + head_dim] {
                *c *= inv;
            }
        }
    }
}

/// The first `len` values of `buffer`, grown with zeros if it is shorter; never shrunk, so
/// that one buffer serves many calls without being allocated and zeroed for each.
pub fn grown<T: Copy + Default>(buffer: &mut Vec<T>, len: usize) -> &mut [T] {
    if buffer.len() < len {
        buffer.resize(len, T::default());
    }
    &mut buffer[..len]
}

/// A matrix read from a slice at strides (row, column).
#[derive(Clone, Copy)]
struct View<'a> {
    values: &'a [f32],
    strides: (usize, usize),
}

/// `c = a · b` on the calling thread with the `gemm` crate, for `a`: `m × k`, `b`: `k × n`,
/// `c`: `m × n` at row stride `ldc`.
fn gemm_rows((m, n, k): (usize, usize, usize), a: View<'_>, b: View<'_>, c: &mut [f32], ldc: usize) {
    let reach = |v: View<'_>, rows: usize, columns: usize| (rows - 1) * v.strides.0 + (columns - 1) * v.strides.1;
    assert!(m > 0 && n > 0 && k > 0 && ldc >= n);
    assert!(a.values.len() > reach(a, m, k) && b.values.len() > reach(b, k, n) && c.len() >= (m - 1) * ldc + n);
    // Safety: the asserts above bound every element the strides and sizes address.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            ldc as isize,
            false,
            a.values.as_ptr(),
            a.strides.1 as isize,
            a.strides.0 as isize,
            b.values.as_ptr(),
            b.strides.1 as isize,
            b.strides.0 as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

impl CustomOp1 for Attention {
    fn name(&self) -> &'static str {
        "attention"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let qkv = f32_slice(storage, layout, self.name())?;
        let (rows, width) = layout.shape().dims2()?;
        // Rows outside the sequences (padding) stay zero.
        let mut out = vec![0f32; rows * (width / 3)];
        self.rows(qkv, width, &mut out)?;
        Ok((CpuStorage::F32(out), Shape::from((rows, width / 3))))
    }
}

/// Attention over sequences back to back (as [`Sequences::Packed`]) on the CPU, from `qkv`
/// (`[rows, 3 · hidden]`) into `out` (`[rows, hidden]`), every value of which it writes: for
/// callers that keep their activations in buffers of their own.
pub fn attention_rows(qkv: &[f32], starts: &[usize], heads: usize, scale: f64, out: &mut [f32]) -> Result<()> {
    let rows = starts.last().copied().unwrap_or(0);
    check_starts(starts, rows)?;
    if heads == 0 || rows == 0 {
        candle_core::bail!("attention: {rows} tokens for {heads} heads");
    }
    let width = qkv.len() / rows;
    if qkv.len() != rows * width || !width.is_multiple_of(3 * heads) || out.len() != rows * (width / 3) {
        candle_core::bail!("attention: {} projections and {} outputs for {rows} tokens", qkv.len(), out.len());
    }
    Attention::packed(starts, heads, scale as f32).rows(qkv, width, out)
}

/// Checks that `starts` lays `rows` rows out as sequences back to back, as
/// [`Sequences::Packed`] says: it opens with 0, closes with `rows`, and never goes back.
pub fn check_starts(starts: &[usize], rows: usize) -> Result<()> {
    if starts.first() != Some(&0) || starts.last() != Some(&rows) || !starts.is_sorted() {
        candle_core::bail!("sequences starting at {starts:?} for {rows} rows");
    }
    Ok(())
}

impl Attention {
    /// Attention within each of the sequences back to back that `starts` lays out, every row
    /// a token.
    fn packed(starts: &[usize], heads: usize, scale: f32) -> Attention {
        let rows = starts.last().copied().unwrap_or(0);
        let spans = starts.windows(2).map(|w| w[0]..w[1]).collect();
        Attention { mask: vec![1.0; rows], spans, heads, scale }
    }

    /// Every sequence of `qkv` (rows `width` wide) into its rows of `out`, which it leaves
    /// alone elsewhere.
    fn rows(&self, qkv: &[f32], width: usize, out: &mut [f32]) -> Result<()> {
        use rayon::prelude::*;
        if width == 0 {
            candle_core::bail!("attention: projections of no width");
        }
        let (rows, hidden) = (qkv.len() / width, width / 3);
        let in_order = self.spans.windows(2).all(|w| w[0].end <= w[1].start);
        let end = self.spans.last().map_or(0, |s| s.end);
        if self.mask.len() != rows || out.len() != rows * hidden || end > rows || !in_order {
            candle_core::bail!(
                "attention: a mask of {} values and sequences to row {end} for {rows} tokens",
                self.mask.len()
            );
        }
        // Each sequence's rows of the output, cut off in order.
        let mut parts = Vec::with_capacity(self.spans.len());
        let (mut rest, mut at) = (out, 0);
        for span in &self.spans {
            let (_, tail) = std::mem::take(&mut rest).split_at_mut((span.start - at) * hidden);
            let (part, tail) = tail.split_at_mut(span.len() * hidden);
            parts.push((part, span.clone()));
            (rest, at) = (tail, span.end);
        }
        parts.into_par_iter().for_each(|(out, span)| {
            let (qkv, mask) = (&qkv[span.start * width..span.end * width], &self.mask[span]);
            let valid = mask.iter().rposition(|&m| m > 0.0).map_or(0, |i| i + 1);
            if valid == 0 {
                return;
            }
            SCRATCH.with_borrow_mut(|scratch| {
                if packed::available() && (hidden / self.heads).is_multiple_of(packed::PANEL) {
                    self.split(qkv, &mask[..valid], hidden, scratch);
                }
                for h in 0..self.heads {
                    self.head(h, qkv, &mask[..valid], out, hidden, scratch);
                }
            });
        });
        Ok(())
    }
}

/// e^x from 2^(x·log₂e): the integer part goes into the exponent bits, the fraction through a
/// degree-6 polynomial; relative error about 1e-7, no libm call, so the loops vectorise.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const ROUND: f32 = 12_582_912.0; // 1.5 · 2^23: adding and subtracting it rounds to an integer
    let t = x.clamp(-87.0, 88.0) * std::f32::consts::LOG2_E;
    let rounded = t + ROUND; // its low mantissa bits now hold round(t), offset by ROUND's bits
    let n = rounded - ROUND;
    let f = t - n;
    let p = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_129 + f * (0.001_333_355 + f * 0.000_154_035_3)))));
    // The exponent bits of 2^n, from integer arithmetic on `rounded`: no float-to-int
    // conversion, whose saturating Rust semantics would not vectorise.
    let exponent = rounded.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127) << 23;
    f32::from_bits(exponent) * p
}

/// erf(x) as x·P(x²)/Q(x²) on [-4, 4] (where erf is ±1 to f32 precision), the rational
/// approximation of Eigen's `generic_fast_erf_float`; absolute error below 1e-6.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    const ALPHA: [f32; 7] = [
        -2.726_142_3e-10,
        2.770_681_4e-8,
        -2.101_024e-6,
        -5.692_506_4e-5,
        -7.349_906_3e-4,
        -2.9546e-3,
        -1.609_603_3e-2,
    ];
    const BETA: [f32; 5] = [-1.456_607_2e-5, -2.133_740_6e-4, -1.682_827e-3, -7.373_329_3e-3, -1.426_474e-2];
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = ALPHA[0];
    for a in &ALPHA[1..] {
        p = p * x2 + a;
    }
    let mut q = BETA[0];
    for b in &BETA[1..] {
        q = q * x2 + b;
    }
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_the_exact_function() {
        // Reference values of erf from tables.
        for (x, want) in [
            (0.0f32, 0.0f32),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (2.0, 0.995_322_3),
            (-1.5, -0.966_105_1),
            (5.0, 1.0),
        ] {
            assert!((erf(x) - want).abs() < 1e-6, "erf({x}) = {} not {want}", erf(x));
        }
    }

    fn close(a: &Tensor, b: &Tensor, tolerance: f32) {
        let (a, b) =
            (a.flatten_all().unwrap().to_vec1::<f32>().unwrap(), b.flatten_all().unwrap().to_vec1::<f32>().unwrap());
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= tolerance, "{x} vs {y}");
        }
    }

    #[test]
    fn exp_is_accurate() {
        for x in [-80.0f32, -10.0, -1.0, -0.3, 0.0, 0.5, 1.0, 10.0, 80.0] {
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-6, "exp({x}): relative error {rel}");
        }
    }

    #[test]
    fn fused_ops_match_candle() {
        let dev = candle_core::Device::Cpu;
        let y = Tensor::new(&[[-3.0f32, -1.0, -0.1, 0.0], [0.3, 1.0, 2.5, 7.0]], &dev).unwrap();
        let bias = Tensor::new(&[0.1f32, -0.2, 0.3, 0.0], &dev).unwrap();
        close(&bias_gelu(&y, &bias).unwrap(), &y.broadcast_add(&bias).unwrap().gelu_erf().unwrap(), 1e-5);
        let res = Tensor::new(&[[1.0f32, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], &dev).unwrap();
        close(&bias_residual(&y, &bias, &res, None).unwrap(), &(y.broadcast_add(&bias).unwrap() + &res).unwrap(), 1e-6);
    }

    /// A row of `n` values around `offset`, with a few large ones as hidden states have.
    fn hidden_row(n: usize, offset: f32) -> Vec<f32> {
        (0..n).map(|i| offset + (i as f32 * 0.37).sin() * if i % 50 == 7 { 12.0 } else { 1.0 }).collect()
    }

    #[test]
    fn every_layer_norm_kernel_here_matches_f64_and_the_others() {
        // 45 values: two full chunks of sixteen and a remainder.
        for (n, offset) in [(384, 0.0f32), (45, 3.0), (1, -2.0)] {
            let x = hidden_row(n, offset);
            let gamma: Vec<f32> = (0..n).map(|i| 1.0 + 0.01 * i as f32).collect();
            let beta: Vec<f32> = (0..n).map(|i| (i as f32 * 0.1).cos() * 0.1).collect();
            let eps = 1e-12;
            let mean = x.iter().map(|&v| f64::from(v)).sum::<f64>() / n as f64;
            let var = x.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n as f64;
            let want: Vec<f64> = (0..n)
                .map(|i| (f64::from(x[i]) - mean) / (var + eps).sqrt() * f64::from(gamma[i]) + f64::from(beta[i]))
                .collect();
            let mut portable = x.clone();
            norm_row::on(Isa::Portable, &mut portable, &gamma, &beta, eps as f32);
            for isa in Isa::all().into_iter().filter(|isa| isa.runs_here()) {
                let mut got = x.clone();
                norm_row::on(isa, &mut got, &gamma, &beta, eps as f32);
                for ((g, p), w) in got.iter().zip(&portable).zip(&want) {
                    assert!((f64::from(*g) - w).abs() < 2e-5 * (1.0 + w.abs()), "{isa:?}, {n}: {g} vs {w}");
                    assert!((g - p).abs() <= 1e-5 * (1.0 + p.abs()), "{isa:?}, {n}: {g} vs portable {p}");
                }
            }
        }
    }

    #[test]
    fn layer_norm_matches_candle_alone_and_after_a_residual() {
        let dev = candle_core::Device::Cpu;
        let (rows, n) = (70, 48);
        let values: Vec<f32> = (0..rows).flat_map(|r| hidden_row(n, r as f32 * 0.1)).collect();
        let x = Tensor::from_vec(values, (rows, n), &dev).unwrap();
        let weight = (Tensor::arange(0f32, n as f32, &dev).unwrap() * 0.02).unwrap().cos().unwrap();
        let bias = (Tensor::arange(0f32, n as f32, &dev).unwrap() * 0.05).unwrap().sin().unwrap();
        let norm = LayerNorm::new(weight.clone(), bias.clone(), 1e-12).unwrap();
        let theirs = |t: &Tensor| candle_nn::ops::layer_norm(t, &weight, &bias, 1e-12).unwrap();
        // Values up to about 6: both sum in f32, in different orders.
        close(&norm.forward(&x).unwrap(), &theirs(&x), 5e-5);
        let y = (&x * 0.5).unwrap().cos().unwrap();
        let fused = bias_residual(&y, &bias, &x, Some(&norm)).unwrap();
        close(&fused, &theirs(&(y.broadcast_add(&bias).unwrap() + &x).unwrap()), 5e-5);
    }

    /// Queries, keys and values `[batch, heads, len, head_dim]` side by side per token, as
    /// the fused projection lays them out: `[batch · len, 3 · heads · head_dim]`.
    fn side_by_side(q: &Tensor, k: &Tensor, v: &Tensor) -> Tensor {
        let (batch, heads, len, head_dim) = q.dims4().unwrap();
        let tokens = |t: &Tensor| t.transpose(1, 2).unwrap().reshape((batch * len, heads * head_dim)).unwrap();
        Tensor::cat(&[tokens(q), tokens(k), tokens(v)], 1).unwrap()
    }

    #[test]
    fn fused_attention_matches_the_unfused_one() {
        let dev = candle_core::Device::Cpu;
        let make = |offset: f32| {
            let t = Tensor::arange(0f32, 2.0 * 3.0 * 5.0 * 4.0, &dev).unwrap();
            ((t + offset as f64).unwrap() * 0.37).unwrap().sin().unwrap().reshape((2, 3, 5, 4)).unwrap()
        };
        let (q, k, v) = (make(0.0), make(1.0), make(2.0));
        let mask = Tensor::new(&[[1f32, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.0, 0.0]], &dev).unwrap();
        let fused = attention(&side_by_side(&q, &k, &v), Sequences::Padded(&mask), 3, 0.5)
            .unwrap()
            .reshape((2, 5, 12))
            .unwrap();
        let probs = masked_softmax(&q.matmul(&k.t().unwrap()).unwrap(), &mask, 0.5).unwrap();
        let plain = probs.matmul(&v).unwrap().transpose(1, 2).unwrap().reshape((2, 5, 12)).unwrap();
        close(&fused.get(0).unwrap(), &plain.get(0).unwrap(), 1e-5);
        close(&fused.get(1).unwrap().narrow(0, 0, 3).unwrap(), &plain.get(1).unwrap().narrow(0, 0, 3).unwrap(), 1e-5);
    }

    #[test]
    fn wide_heads_match_the_unfused_attention() {
        // Heads of 32 dimensions take the AVX-512 path where the processor has it; 37 tokens
        // leave a partial panel of keys, and the second sequence is padded after 20.
        let dev = candle_core::Device::Cpu;
        let (len, head_dim) = (37, 32);
        let make = |offset: f64| {
            let t = Tensor::arange(0f32, (2 * 2 * len * head_dim) as f32, &dev).unwrap();
            ((t + offset).unwrap() * 0.037).unwrap().sin().unwrap().reshape((2, 2, len, head_dim)).unwrap()
        };
        let (q, k, v) = (make(0.0), make(1.0), make(2.0));
        let mask: Vec<f32> = (0..2 * len).map(|i| if i < len + 20 { 1.0 } else { 0.0 }).collect();
        let mask = Tensor::from_vec(mask, (2, len), &dev).unwrap();
        let fused = attention(&side_by_side(&q, &k, &v), Sequences::Padded(&mask), 2, 0.7)
            .unwrap()
            .reshape((2, len, 2 * head_dim))
            .unwrap();
        let probs = masked_softmax(&q.matmul(&k.t().unwrap()).unwrap(), &mask, 0.7).unwrap();
        let plain = probs.matmul(&v).unwrap().transpose(1, 2).unwrap().reshape((2, len, 2 * head_dim)).unwrap();
        close(&fused.get(0).unwrap(), &plain.get(0).unwrap(), 1e-5);
        close(&fused.get(1).unwrap().narrow(0, 0, 20).unwrap(), &plain.get(1).unwrap().narrow(0, 0, 20).unwrap(), 1e-5);
        // The same sequences back to back, the padding left out, give the same rows.
        let qkv = side_by_side(&q, &k, &v);
        let packed_qkv = Tensor::cat(&[qkv.narrow(0, 0, len).unwrap(), qkv.narrow(0, len, 20).unwrap()], 0).unwrap();
        let packed = attention(&packed_qkv, Sequences::Packed(&[0, len, len + 20]), 2, 0.7).unwrap();
        close(&packed.narrow(0, 0, len).unwrap(), &fused.get(0).unwrap(), 0.0);
        close(&packed.narrow(0, len, 20).unwrap(), &fused.get(1).unwrap().narrow(0, 0, 20).unwrap(), 0.0);
        assert!(attention(&packed_qkv, Sequences::Packed(&[0, len]), 2, 0.7).is_err());
    }

    #[test]
    fn masked_softmax_matches_candle_on_real_rows() {
        let dev = candle_core::Device::Cpu;
        let scores = Tensor::arange(0f32, 2.0 * 2.0 * 3.0 * 3.0, &dev).unwrap().reshape((2, 2, 3, 3)).unwrap();
        let scores = (scores.sin().unwrap() * 3.0).unwrap();
        let mask = Tensor::new(&[[1f32, 1.0, 1.0], [1.0, 1.0, 0.0]], &dev).unwrap();
        let ours = masked_softmax(&scores, &mask, 0.5).unwrap();
        let bias = ((&mask - 1.0).unwrap() * 1e9).unwrap().reshape((2, 1, 1, 3)).unwrap();
        let theirs = candle_nn::ops::softmax_last_dim(&(&scores * 0.5).unwrap().broadcast_add(&bias).unwrap()).unwrap();
        close(&ours.get(0).unwrap(), &theirs.get(0).unwrap(), 1e-6);
        // The padded sequence: its two real query rows agree, its padded row is zero.
        close(&ours.get(1).unwrap().narrow(1, 0, 2).unwrap(), &theirs.get(1).unwrap().narrow(1, 0, 2).unwrap(), 1e-6);
        assert_eq!(ours.get(1).unwrap().narrow(1, 2, 1).unwrap().sum_all().unwrap().to_scalar::<f32>().unwrap(), 0.0);
    }
}
