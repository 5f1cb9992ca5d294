//! f32 matrix products on processors with AVX-512: the right-hand matrix packed into panels of
//! 32 output columns, and a register-tiled kernel (8 rows × 32 columns of accumulators, one
//! broadcast and two fused multiply-adds per step). The `gemm` crate that candle uses runs
//! AVX2 kernels on stable Rust; this doubles the vector width.
//!
//! The linear layers pack their weights once at load time ([`PackedWeight`]); attention packs
//! each head's keys and values as it goes, and multiplies with [`product`].
//! [`PackedWeight::new`] returns `None` where the kernel does not apply (no AVX-512, or a
//! width that is not a multiple of 32), and the caller keeps candle's matmul.

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Result, Shape, Tensor};

/// Output columns per panel: two 16-lane registers.
pub const PANEL: usize = 32;
/// Rows per register tile.
const TILE: usize = 8;
/// Rows per parallel task: enough tiles to reuse each weight panel from cache.
const TASK_ROWS: usize = 64;

/// A weight `[out, in]`, packed as `[out / 32][in][32]`.
pub struct PackedWeight {
    out: usize,
    inp: usize,
    panels: Vec<f32>,
}

impl PackedWeight {
    /// Packs `weight` (`[out, in]`, f32) where the AVX-512 kernel applies.
    pub fn new(weight: &Tensor) -> Result<Option<PackedWeight>> {
        if !available() || weight.dtype() != DType::F32 || !weight.device().is_cpu() {
            return Ok(None);
        }
        let (out, inp) = weight.dims2()?;
        if out % PANEL != 0 {
            return Ok(None);
        }
        let w = weight.flatten_all()?.to_vec1::<f32>()?;
        Ok(Some(PackedWeight { out, inp, panels: pack_rows(&w, out, inp) }))
    }

    /// `x · Wᵀ` for `x`: `[rows, in]`.
    pub fn matmul(&self, x: &Tensor) -> Result<Tensor> {
        let x = if x.is_contiguous() { x.clone() } else { x.contiguous()? };
        x.apply_op1_no_bwd(&PackedMatmul(self))
    }
}

/// Packs `b`, `[n, k]` row-major, for products with `bᵀ`: panel `p` holds rows `32p..32p+32`
/// of `b` interleaved, `[k][32]`; `n` is zero-padded to a multiple of 32.
pub fn pack_rows(b: &[f32], n: usize, k: usize) -> Vec<f32> {
    let mut panels = vec![0f32; n.div_ceil(PANEL) * PANEL * k];
    for (j, row) in b.chunks_exact(k).take(n).enumerate() {
        let (p, c) = (j / PANEL, j % PANEL);
        for (kk, &value) in row.iter().enumerate() {
            panels[(p * k + kk) * PANEL + c] = value;
        }
    }
    panels
}

/// `c = a · B` on the calling thread, for `a`: `rows` rows of `k` values at row stride `lda`,
/// and `B` packed into `panels` as [`pack_rows`] packs (`k` deep, `n` a multiple of 32 wide);
/// `c`: `[rows, n]` at row stride `ldc`. Call only where [`available`] is true.
#[allow(clippy::too_many_arguments)]
pub fn product(a: &[f32], lda: usize, rows: usize, k: usize, panels: &[f32], n: usize, c: &mut [f32], ldc: usize) {
    assert!(available() && n.is_multiple_of(PANEL) && panels.len() >= n * k && ldc >= n);
    for p in 0..n / PANEL {
        let panel = &panels[p * k * PANEL..(p + 1) * k * PANEL];
        let mut r = 0;
        while r < rows {
            let tile_rows = TILE.min(rows - r);
            tile(&a[r * lda..], lda, k, panel, &mut c[r * ldc + p * PANEL..], ldc, tile_rows);
            r += tile_rows;
        }
    }
}

/// Whether the processor has AVX-512F, which every kernel here needs.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

struct PackedMatmul<'a>(&'a PackedWeight);

impl CustomOp1 for PackedMatmul<'_> {
    fn name(&self) -> &'static str {
        "packed-matmul"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        use rayon::prelude::*;
        let w = self.0;
        let CpuStorage::F32(values) = storage else {
            candle_core::bail!("packed-matmul: f32 only");
        };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("packed-matmul: contiguous input only");
        };
        let (rows, inp) = layout.shape().dims2()?;
        if inp != w.inp {
            candle_core::bail!("packed-matmul: input has {inp} features, the weight {}", w.inp);
        }
        let x = &values[start..end];
        let mut out = vec![0f32; rows * w.out];
        out.par_chunks_mut(TASK_ROWS * w.out).zip(x.par_chunks(TASK_ROWS * inp)).for_each(|(dst, src)| {
            product(src, inp, src.len() / inp, inp, &w.panels, w.out, dst, w.out);
        });
        Ok((CpuStorage::F32(out), Shape::from((rows, w.out))))
    }
}

/// One tile: `n` ≤ 8 rows of `a` (`k` values each, row stride `lda`) times one panel
/// (`[k][32]`), into `c` (row stride `ldc`).
fn tile(a: &[f32], lda: usize, k: usize, panel: &[f32], c: &mut [f32], ldc: usize, n: usize) {
    assert!(a.len() >= (n - 1) * lda + k && panel.len() >= k * PANEL && c.len() >= (n - 1) * ldc + PANEL);
    #[cfg(target_arch = "x86_64")]
    // Safety: `product`, the only caller, asserted AVX-512F, and the assert above bounds every
    // read and write the kernels make.
    unsafe {
        match n {
            8 => kernel::<8>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            7 => kernel::<7>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            6 => kernel::<6>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            5 => kernel::<5>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            4 => kernel::<4>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            3 => kernel::<3>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            2 => kernel::<2>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
            _ => kernel::<1>(a.as_ptr(), lda, k, panel.as_ptr(), c.as_mut_ptr(), ldc),
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn kernel<const R: usize>(a: *const f32, lda: usize, k: usize, panel: *const f32, c: *mut f32, ldc: usize) {
    use std::arch::x86_64::*;
    let mut low = [_mm512_setzero_ps(); R];
    let mut high = [_mm512_setzero_ps(); R];
    for kk in 0..k {
        let b0 = _mm512_loadu_ps(panel.add(kk * PANEL));
        let b1 = _mm512_loadu_ps(panel.add(kk * PANEL + 16));
        for r in 0..R {
            let av = _mm512_set1_ps(*a.add(r * lda + kk));
            low[r] = _mm512_fmadd_ps(av, b0, low[r]);
            high[r] = _mm512_fmadd_ps(av, b1, high[r]);
        }
    }
    for r in 0..R {
        _mm512_storeu_ps(c.add(r * ldc), low[r]);
        _mm512_storeu_ps(c.add(r * ldc + 16), high[r]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_matmul_matches_candle() {
        let dev = candle_core::Device::Cpu;
        for (rows, inp, out) in [(13, 64, 96), (130, 384, 1152), (1, 40, 32)] {
            let x = (Tensor::arange(0f32, (rows * inp) as f32, &dev).unwrap() * 0.013)
                .unwrap()
                .sin()
                .unwrap()
                .reshape((rows, inp))
                .unwrap();
            let w = (Tensor::arange(0f32, (out * inp) as f32, &dev).unwrap() * 0.007)
                .unwrap()
                .cos()
                .unwrap()
                .reshape((out, inp))
                .unwrap();
            let Some(packed) = PackedWeight::new(&w).unwrap() else {
                return; // no AVX-512 here: candle's matmul is used instead
            };
            let ours = packed.matmul(&x).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
            let theirs = x.matmul(&w.t().unwrap()).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
            for (a, b) in ours.iter().zip(&theirs) {
                assert!((a - b).abs() < 1e-3 * (1.0 + b.abs()), "{rows}x{inp}x{out}: {a} vs {b}");
            }
        }
    }
}
