//! Scaled dot-product attention on the CPU, `softmax(q·kᵀ · scale, masked) · v`, straight from
//! the fused query-key-value projection: each sequence is one task, its heads' two matrix
//! products run over its real tokens only (the AVX-512 kernel of `packed` where there
//! is one, else the `gemm` crate), and no `[batch, heads, len, len]` tensor or copy of the
//! queries, keys and values is made. Sequences come padded with a mask, or back to back
//! ([`Sequences`]). Elsewhere than f32 on the CPU, candle's own ops run it.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Result, Shape, Tensor};

use crate::model::kernels::ops::{dispatch, exp, f32_slice, fusable, grown, lanes};
use crate::model::kernels::packed;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::ops::tests::close;

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
