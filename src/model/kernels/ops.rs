//! CPU kernels fused for this model's hot paths, where candle's generic ops make several passes
//! over large tensors or call scalar `expf`/`erff`: bias + GELU, bias + residual + layer norm
//! (attention is the network's `attention`'s). Each falls back to candle's own ops wherever it does
//! not apply (another device, dtype or layout).
//!
//! The loops are plain Rust; they are compiled again with AVX-512 and with AVX2 + FMA enabled
//! ([`dispatch`]), and the widest copy the processor runs is chosen at run time, so one binary
//! runs anywhere and vectorises where it can.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, CustomOp3, DType, Layout, Result, Shape, Tensor};

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

/// Whether the fused kernels apply to `tensors`: f32, contiguous, on the CPU.
pub fn fusable(tensors: &[&Tensor]) -> bool {
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
            $name::on($crate::model::kernels::ops::Isa::detect(), $($arg),*)
        }

        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::model::kernels::ops::Isa;

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

/// The first `len` values of `buffer`, grown with zeros if it is shorter; never shrunk, so
/// that one buffer serves many calls without being allocated and zeroed for each.
pub fn grown<T: Copy + Default>(buffer: &mut Vec<T>, len: usize) -> &mut [T] {
    if buffer.len() < len {
        buffer.resize(len, T::default());
    }
    &mut buffer[..len]
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
pub(in crate::model) mod tests {
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

    pub(in crate::model) fn close(a: &Tensor, b: &Tensor, tolerance: f32) {
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
}
