//! int8 linear layers: weights quantised once per output channel (symmetric, −127..=127),
//! activations per row as they arrive (asymmetric, 0..=255 around a zero point), products
//! summed exactly in i32, and the result turned back into f32 — both scales, the zero point,
//! the bias and what follows the layer (GELU, or the residual) — in one pass over each row.
//!
//! The integer products run on the widest kernel the processor has, chosen at run time:
//!
//! - AVX-512 VNNI: `vpdpbusd`, 64 byte products summed into 16 lanes per instruction;
//! - AVX-VNNI: the same instruction on 256 bits;
//! - AVX2: `vpmaddwd` on 16-bit pairs, the weights widened to 16 bits at load;
//! - anywhere else, a portable loop.
//!
//! All of them compute the same integers, so every kernel gives the same vectors to the bit.
//! The weights are packed for the kernel in panels of 32 output columns, as the f32 kernel of
//! [`super::packed`] does, each column's next four (or two) input values side by side, which
//! is the order the dot-product instructions read.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, DType, Layout, Result, Shape, Tensor};

use super::ops::{dispatch, erf, f32_slice, grown, lanes, LayerNorm};

/// Output columns per panel.
const PANEL: usize = 32;
/// Rows per parallel task: enough to reuse each weight panel from cache.
const TASK_ROWS: usize = 64;

/// An integer kernel, by the instructions it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    Vnni512,
    AvxVnni,
    Avx2,
    Portable,
}

impl Kernel {
    /// The widest kernel this processor runs.
    pub fn detect() -> Kernel {
        Kernel::all().into_iter().find(|k| k.runs_here()).unwrap_or(Kernel::Portable)
    }

    /// Every kernel, widest first.
    pub fn all() -> [Kernel; 4] {
        [Kernel::Vnni512, Kernel::AvxVnni, Kernel::Avx2, Kernel::Portable]
    }

    /// Whether the processor has the instructions the kernel needs.
    pub fn runs_here(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            match self {
                Kernel::Vnni512 => {
                    is_x86_feature_detected!("avx512f")
                        && is_x86_feature_detected!("avx512bw")
                        && is_x86_feature_detected!("avx512vnni")
                }
                Kernel::AvxVnni => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("avxvnni"),
                Kernel::Avx2 => is_x86_feature_detected!("avx2"),
                Kernel::Portable => true,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self == Kernel::Portable
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Vnni512 => "avx512-vnni",
            Kernel::AvxVnni => "avx-vnni",
            Kernel::Avx2 => "avx2",
            Kernel::Portable => "portable",
        }
    }

    /// Input values per column side by side in a panel: four bytes for the dot-product
    /// instructions, two 16-bit values for `vpmaddwd`.
    fn group(self) -> usize {
        match self {
            Kernel::Avx2 => 2,
            _ => 4,
        }
    }
}

/// What the layer does after the product, in the same pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// `x·Wᵀ + b`.
    Bias,
    /// `gelu(x·Wᵀ + b)`, GELU in the exact (erf) form.
    BiasGelu,
    /// `x·Wᵀ + b + residual`.
    BiasResidual,
}

/// A weight `[out, in]` in int8, packed for one kernel.
pub struct Int8Weight {
    out: usize,
    inp: usize,
    /// `inp` rounded up to the kernel's group.
    depth: usize,
    kernel: Kernel,
    panels: Panels,
    /// Per output column: the step between integer levels, and the sum of its integers (for
    /// the activations' zero point). Zero for the padding columns.
    scales: Vec<f32>,
    sums: Vec<i32>,
    bias: Vec<f32>,
}

enum Panels {
    /// `[out / 32][depth / 4][32][4]`.
    Bytes(Vec<i8>),
    /// `[out / 32][depth / 2][32][2]`, for `vpmaddwd`.
    Pairs(Vec<i16>),
}

impl Int8Weight {
    /// Quantises `weight` (`[out, in]`, f32 on the CPU) for the widest kernel here.
    pub fn new(weight: &Tensor, bias: &Tensor) -> Result<Int8Weight> {
        Int8Weight::for_kernel(weight, bias, Kernel::detect())
    }

    /// Quantises `weight` for `kernel`, which must run here.
    pub fn for_kernel(weight: &Tensor, bias: &Tensor, kernel: Kernel) -> Result<Int8Weight> {
        if !kernel.runs_here() {
            candle_core::bail!("int8: the {} kernel does not run on this processor", kernel.name());
        }
        let (out, inp) = weight.dims2()?;
        let w = weight.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
        let bias = bias.to_dtype(DType::F32)?.to_vec1::<f32>()?;
        if bias.len() != out {
            candle_core::bail!("int8: a bias of {} values for {out} outputs", bias.len());
        }
        let group = kernel.group();
        let depth = inp.div_ceil(group) * group;
        let width = out.div_ceil(PANEL) * PANEL;
        let mut scales = vec![0f32; width];
        let mut sums = vec![0i32; width];
        let mut codes = vec![0i8; width * depth]; // column-major: one column's inputs in a row
        for (j, row) in w.chunks_exact(inp).enumerate() {
            let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
            if max == 0.0 || !max.is_finite() {
                continue;
            }
            let scale = max / 127.0;
            let column = &mut codes[j * depth..j * depth + inp];
            for (c, &v) in column.iter_mut().zip(row) {
                *c = (v / scale).round().clamp(-127.0, 127.0) as i8;
            }
            scales[j] = scale;
            sums[j] = column.iter().map(|&c| i32::from(c)).sum();
        }
        let panels = match kernel {
            Kernel::Avx2 => Panels::Pairs(pack(&codes, width, depth, group)),
            _ => Panels::Bytes(pack(&codes, width, depth, group)),
        };
        Ok(Int8Weight { out, inp, depth, kernel, panels, scales, sums, bias })
    }

    /// The layer on `x` (`[rows, in]`); `residual` (`[rows, out]`) with [`Then::BiasResidual`];
    /// then `norm`, where given, on each row of the result.
    pub fn forward(
        &self,
        x: &Tensor,
        then: Then,
        residual: Option<&Tensor>,
        norm: Option<&LayerNorm>,
    ) -> Result<Tensor> {
        self.check_norm(norm)?;
        let x = x.to_dtype(DType::F32)?.contiguous()?;
        match (then, residual) {
            (Then::BiasResidual, Some(residual)) => {
                let residual = residual.to_dtype(DType::F32)?.contiguous()?;
                x.apply_op2_no_bwd(&residual, &Int8Residual(self, norm))
            }
            (Then::BiasResidual, None) => candle_core::bail!("int8: a residual layer without its residual"),
            (then, _) => x.apply_op1_no_bwd(&Int8Matmul(self, then, norm)),
        }
    }

    /// The layer on the rows of `x` (`[rows, in]`), into `out` (`[rows, out]`), every value of
    /// which it writes: for callers that keep their activations in buffers of their own.
    /// `residual` (`[rows, out]`) with [`Then::BiasResidual`]; then `norm` on each row.
    pub fn forward_rows(
        &self,
        x: &[f32],
        then: Then,
        residual: Option<&[f32]>,
        norm: Option<&LayerNorm>,
        out: &mut [f32],
    ) -> Result<()> {
        let rows = x.len() / self.inp;
        if x.len() != rows * self.inp || out.len() != rows * self.out {
            candle_core::bail!(
                "int8 linear: {} inputs and {} outputs for {} × {}",
                x.len(),
                out.len(),
                self.out,
                self.inp
            );
        }
        self.check_norm(norm)?;
        let residual = match (then, residual) {
            (Then::BiasResidual, Some(r)) if r.len() == out.len() => Some(r),
            (Then::BiasResidual, _) => candle_core::bail!("int8: a residual layer without a residual of its size"),
            _ => None,
        };
        self.rows(x, After { then, residual, norm }, out);
        Ok(())
    }

    /// Refuses a layer norm of another width than the layer's outputs.
    fn check_norm(&self, norm: Option<&LayerNorm>) -> Result<()> {
        match norm {
            Some(norm) if norm.len() != self.out => {
                candle_core::bail!("int8: a layer norm of {} features after {} outputs", norm.len(), self.out)
            }
            _ => Ok(()),
        }
    }

    /// Output features.
    pub fn outputs(&self) -> usize {
        self.out
    }

    /// The layer on `rows` rows of `x`, into `out` (`[rows, out]`).
    fn rows(&self, x: &[f32], after: After<'_>, out: &mut [f32]) {
        use rayon::prelude::*;
        let rows = x.len() / self.inp;
        let tasks = out.par_chunks_mut(TASK_ROWS * self.out).zip(x.par_chunks(TASK_ROWS * self.inp)).enumerate();
        tasks.for_each(|(task, (dst, src))| {
            let at = task * TASK_ROWS;
            let residual = after.residual.map(|r| &r[at * self.out..(at + TASK_ROWS).min(rows) * self.out]);
            self.task(src, After { residual, ..after }, dst);
        });
    }

    /// One task's rows, on the calling thread.
    fn task(&self, x: &[f32], after: After<'_>, out: &mut [f32]) {
        SCRATCH.with_borrow_mut(|Scratch { codes, wide, sums }| {
            let rows = x.len() / self.inp;
            let width = self.scales.len();
            let codes = grown(codes, rows * self.depth);
            let mut levels = Vec::with_capacity(rows);
            for (row, dst) in x.chunks_exact(self.inp).zip(codes.chunks_exact_mut(self.depth)) {
                let (values, padding) = dst.split_at_mut(self.inp);
                levels.push(quantize_row(row, values));
                padding.fill(0);
            }
            // Every kernel stores each sum it computes, so what the buffer held does not matter.
            let sums = grown(sums, rows * width);
            match &self.panels {
                Panels::Bytes(panels) => product_bytes(self.kernel, codes, rows, self.depth, panels, width, sums),
                Panels::Pairs(panels) => {
                    let wide = grown(wide, codes.len());
                    for (w, &c) in wide.iter_mut().zip(codes.iter()) {
                        *w = i16::from(c);
                    }
                    product_pairs(wide, rows, self.depth, panels, width, sums);
                }
            }
            let columns = Columns { scales: &self.scales[..self.out], sums: &self.sums[..self.out], bias: &self.bias };
            for (r, (&row, dst)) in levels.iter().zip(out.chunks_exact_mut(self.out)).enumerate() {
                let acc = &sums[r * width..r * width + self.out];
                let residual = after.residual.map(|res| &res[r * self.out..(r + 1) * self.out]);
                finish_row(acc, row, &columns, after.then, residual, dst);
                if let Some(norm) = after.norm {
                    norm.rows_in_place(dst);
                }
            }
        });
    }
}

/// Buffers one thread reuses from task to task: the activations' codes (and their 16-bit
/// copies for the AVX2 kernel) and the integer sums. Allocating and zeroing them for each task
/// was about 1% of digest's time.
#[derive(Default)]
struct Scratch {
    codes: Vec<u8>,
    wide: Vec<i16>,
    sums: Vec<i32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// What follows the product, for a task's rows: `then`, with the rows' `residual`; then `norm`.
#[derive(Clone, Copy)]
struct After<'a> {
    then: Then,
    residual: Option<&'a [f32]>,
    norm: Option<&'a LayerNorm>,
}

/// Lays out `codes` (column-major, `depth` values per column, `width` columns) in panels of
/// 32 columns: panel p, step s, column c, slot t holds column 32p + c's input group·s + t.
fn pack<T: From<i8> + Copy + Default>(codes: &[i8], width: usize, depth: usize, group: usize) -> Vec<T> {
    let steps = depth / group;
    let mut panels = vec![T::default(); width * depth];
    for p in 0..width / PANEL {
        for s in 0..steps {
            for c in 0..PANEL {
                for t in 0..group {
                    let from = (p * PANEL + c) * depth + s * group + t;
                    panels[((p * steps + s) * PANEL + c) * group + t] = T::from(codes[from]);
                }
            }
        }
    }
    panels
}

/// Quantises a row to 0..=255 around a zero point; returns (scale, zero point). The range
/// always holds 0, so that zero (padding, ReLU) is exact.
fn quantize_row(row: &[f32], codes: &mut [u8]) -> (f32, i32) {
    let (min, max) = range(row);
    let scale = (max - min) / 255.0;
    if scale == 0.0 || !scale.is_finite() {
        codes.fill(0);
        return (0.0, 0);
    }
    let zero = (-min / scale).round().clamp(0.0, 255.0);
    encode_row(row, 1.0 / scale, zero, codes);
    (scale, zero as i32)
}

// The smallest and largest value of a row, and 0. Comparisons rather than `f32::min`, whose
// NaN rules keep it from vectorising.
dispatch!(range, (row: &[f32]) -> (f32, f32), {
    (lanes(row, 0.0, |a, b| if a < b { a } else { b }), lanes(row, 0.0, |a, b| if a > b { a } else { b }))
});

dispatch!(encode_row, (row: &[f32], inv: f32, zero: f32, codes: &mut [u8]), {
    // 1.5 · 2^23: adding it to a value in 0..=255 rounds it to the nearest integer (ties to
    // even) and leaves that integer in the low mantissa bits, so the byte is a truncation of
    // the bits; a float-to-integer `as`, saturating, would not vectorise.
    const ROUND: f32 = 12_582_912.0;
    for (c, &v) in codes.iter_mut().zip(row) {
        *c = ((v * inv + zero).clamp(0.0, 255.0) + ROUND).to_bits() as u8;
    }
});

/// What each output column adds to the product: its weights' scale, the sum of its integers
/// (which the activations' zero point multiplies), its bias.
struct Columns<'a> {
    scales: &'a [f32],
    sums: &'a [i32],
    bias: &'a [f32],
}

/// One row of f32 results from its i32 sums `acc`, for activations quantised with `(scale,
/// zero)`: `(acc − zero·Σw)·scale·wscale + bias`, then GELU or the residual.
fn finish_row(
    acc: &[i32],
    row: (f32, i32),
    columns: &Columns<'_>,
    then: Then,
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    match (then, residual) {
        (Then::BiasResidual, Some(residual)) => finish_residual(acc, row, columns, residual, out),
        (Then::BiasGelu, _) => finish_gelu(acc, row, columns, out),
        _ => finish_bias(acc, row, columns, out),
    }
}

dispatch!(finish_bias, (acc: &[i32], row: (f32, i32), columns: &Columns<'_>, out: &mut [f32]), {
    let ((scale, zero), c) = (row, columns);
    for ((((d, &a), &ws), &s), &b) in out.iter_mut().zip(acc).zip(c.scales).zip(c.sums).zip(c.bias) {
        *d = (a - zero * s) as f32 * (scale * ws) + b;
    }
});

dispatch!(finish_gelu, (acc: &[i32], row: (f32, i32), columns: &Columns<'_>, out: &mut [f32]), {
    let ((scale, zero), c) = (row, columns);
    for ((((d, &a), &ws), &s), &b) in out.iter_mut().zip(acc).zip(c.scales).zip(c.sums).zip(c.bias) {
        let x = (a - zero * s) as f32 * (scale * ws) + b;
        *d = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
    }
});

dispatch!(finish_residual, (acc: &[i32], row: (f32, i32), columns: &Columns<'_>, residual: &[f32], out: &mut [f32]), {
    let ((scale, zero), c) = (row, columns);
    for (((((d, &a), &ws), &s), &b), &r) in out.iter_mut().zip(acc).zip(c.scales).zip(c.sums).zip(c.bias).zip(residual) {
        *d = (a - zero * s) as f32 * (scale * ws) + b + r;
    }
});

/// Rows per register tile of the 512-bit kernel, and of the narrower ones.
const TILE_512: usize = 8;
const TILE_256: usize = 4;

/// `c = a · B` in i32 for `a`: `rows` rows of `depth` bytes and `B` packed in panels of 32
/// columns × groups of four bytes; `c`: `[rows, width]`.
fn product_bytes(kernel: Kernel, a: &[u8], rows: usize, depth: usize, panels: &[i8], width: usize, c: &mut [i32]) {
    assert!(kernel.runs_here() && a.len() >= rows * depth && panels.len() >= width * depth && c.len() >= rows * width);
    let steps = depth / 4;
    let tile = if kernel == Kernel::Vnni512 { TILE_512 } else { TILE_256 };
    for p in 0..width / PANEL {
        let panel = &panels[p * depth * PANEL..(p + 1) * depth * PANEL];
        let mut r = 0;
        while r < rows {
            let n = tile.min(rows - r);
            let (a, c) = (&a[r * depth..], &mut c[r * width + p * PANEL..]);
            match kernel {
                #[cfg(target_arch = "x86_64")]
                // Safety: `runs_here` was asserted, and each kernel reads `n` rows of `a` at
                // stride `depth`, `steps` groups of the panel, and writes `n` rows of 32
                // columns of `c` at stride `width`, all within the bounds asserted above.
                Kernel::Vnni512 => unsafe { x86::vnni512_tile(a, depth, steps, panel, c, width, n) },
                #[cfg(target_arch = "x86_64")]
                // Safety: as above.
                Kernel::AvxVnni => unsafe { x86::avx_vnni_tile(a, depth, steps, panel, c, width, n) },
                _ => portable_tile(a, depth, steps, panel, c, width, n),
            }
            r += n;
        }
    }
}

/// `c = a · B` in i32 for `a`: `rows` rows of `depth` 16-bit values and `B` packed in panels
/// of 32 columns × pairs; `c`: `[rows, width]`.
fn product_pairs(a: &[i16], rows: usize, depth: usize, panels: &[i16], width: usize, c: &mut [i32]) {
    assert!(Kernel::Avx2.runs_here() && a.len() >= rows * depth && panels.len() >= width * depth);
    assert!(c.len() >= rows * width);
    for p in 0..width / PANEL {
        let panel = &panels[p * depth * PANEL..(p + 1) * depth * PANEL];
        let mut r = 0;
        while r < rows {
            let n = TILE_256.min(rows - r);
            #[cfg(target_arch = "x86_64")]
            // Safety: AVX2 was asserted; the kernel stays within the bounds asserted above.
            unsafe {
                x86::avx2_tile(&a[r * depth..], depth, depth / 2, panel, &mut c[r * width + p * PANEL..], width, n);
            }
            r += n;
        }
    }
}

/// The portable kernel: `n` rows × 32 columns.
fn portable_tile(a: &[u8], lda: usize, steps: usize, panel: &[i8], c: &mut [i32], ldc: usize, n: usize) {
    for r in 0..n {
        let mut acc = [0i32; PANEL];
        let row = &a[r * lda..r * lda + steps * 4];
        for (quad, group) in row.chunks_exact(4).zip(panel.chunks_exact(PANEL * 4)) {
            for (sum, w) in acc.iter_mut().zip(group.chunks_exact(4)) {
                *sum += quad.iter().zip(w).map(|(&x, &w)| i32::from(x) * i32::from(w)).sum::<i32>();
            }
        }
        c[r * ldc..r * ldc + PANEL].copy_from_slice(&acc);
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    //! The x86 kernels. Each computes an `n`-row × 32-column tile, `n` at most its tile height,
    //! and takes slices so that the callers' bounds checks cover every access.

    use std::arch::x86_64::*;

    use super::PANEL;

    /// Four bytes of `a` from `at`, as one 32-bit lane.
    #[inline(always)]
    unsafe fn quad(a: *const u8, at: usize) -> i32 {
        (a.add(at) as *const i32).read_unaligned()
    }

    /// Calls the kernel instantiated for tile height `n`, one of `heights`.
    macro_rules! by_height {
        ($kernel:ident, $n:expr, [$($h:literal),*], $args:tt) => {
            match $n {
                $($h => $kernel::<$h> $args,)*
                _ => unreachable!("a tile of {} rows", $n),
            }
        };
    }

    /// # Safety
    /// AVX-512F, BW and VNNI present; `n` ≤ 8; `a` holds `n` rows of `4·steps` bytes at stride
    /// `lda`, `panel` `steps` groups of 128 bytes, `c` `n` rows of 32 at stride `ldc`.
    pub unsafe fn vnni512_tile(a: &[u8], lda: usize, steps: usize, panel: &[i8], c: &mut [i32], ldc: usize, n: usize) {
        by_height!(vnni512, n, [8, 7, 6, 5, 4, 3, 2, 1], (a.as_ptr(), lda, steps, panel.as_ptr(), c.as_mut_ptr(), ldc))
    }

    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn vnni512<const R: usize>(
        a: *const u8,
        lda: usize,
        steps: usize,
        panel: *const i8,
        c: *mut i32,
        ldc: usize,
    ) {
        let mut low = [_mm512_setzero_si512(); R];
        let mut high = [_mm512_setzero_si512(); R];
        for s in 0..steps {
            let b0 = _mm512_loadu_si512(panel.add(s * PANEL * 4) as *const _);
            let b1 = _mm512_loadu_si512(panel.add(s * PANEL * 4 + 64) as *const _);
            for r in 0..R {
                let x = _mm512_set1_epi32(quad(a, r * lda + s * 4));
                low[r] = _mm512_dpbusd_epi32(low[r], x, b0);
                high[r] = _mm512_dpbusd_epi32(high[r], x, b1);
            }
        }
        for r in 0..R {
            _mm512_storeu_si512(c.add(r * ldc) as *mut _, low[r]);
            _mm512_storeu_si512(c.add(r * ldc + 16) as *mut _, high[r]);
        }
    }

    /// # Safety
    /// AVX2 and AVX-VNNI present; `n` ≤ 4; bounds as for [`vnni512_tile`].
    pub unsafe fn avx_vnni_tile(a: &[u8], lda: usize, steps: usize, panel: &[i8], c: &mut [i32], ldc: usize, n: usize) {
        by_height!(avx_vnni, n, [4, 3, 2, 1], (a.as_ptr(), lda, steps, panel.as_ptr(), c.as_mut_ptr(), ldc))
    }

    /// # Safety
    /// AVX2 present; `n` ≤ 4; `a` holds `n` rows of `2·steps` values at stride `lda`, `panel`
    /// `steps` groups of 64 values, `c` `n` rows of 32 at stride `ldc`.
    pub unsafe fn avx2_tile(a: &[i16], lda: usize, steps: usize, panel: &[i16], c: &mut [i32], ldc: usize, n: usize) {
        by_height!(avx2, n, [4, 3, 2, 1], (a.as_ptr(), lda, steps, panel.as_ptr(), c.as_mut_ptr(), ldc))
    }

    /// A 256-bit kernel: the 32 columns in two halves of 2 × 8 lanes, `R` ≤ 4 rows each (16
    /// registers), `$group` values of `$t` per lane and step, summed into it by `$madd`.
    macro_rules! kernel_256 {
        ($name:ident, $features:literal, $t:ty, $w:ty, $group:expr, $madd:expr) => {
            #[target_feature(enable = $features)]
            unsafe fn $name<const R: usize>(
                a: *const $t,
                lda: usize,
                steps: usize,
                panel: *const $w,
                c: *mut i32,
                ldc: usize,
            ) {
                for half in 0..2 {
                    let mut low = [_mm256_setzero_si256(); R];
                    let mut high = [_mm256_setzero_si256(); R];
                    for s in 0..steps {
                        let b = panel.add((s * PANEL + half * 16) * $group);
                        let b0 = _mm256_loadu_si256(b as *const _);
                        let b1 = _mm256_loadu_si256(b.add(8 * $group) as *const _);
                        for r in 0..R {
                            let x = _mm256_set1_epi32((a.add(r * lda + s * $group) as *const i32).read_unaligned());
                            low[r] = $madd(low[r], x, b0);
                            high[r] = $madd(high[r], x, b1);
                        }
                    }
                    for r in 0..R {
                        _mm256_storeu_si256(c.add(r * ldc + half * 16) as *mut _, low[r]);
                        _mm256_storeu_si256(c.add(r * ldc + half * 16 + 8) as *mut _, high[r]);
                    }
                }
            }
        };
    }

    kernel_256!(avx_vnni, "avx2,avxvnni", u8, i8, 4, |acc, x, b| _mm256_dpbusd_avx_epi32(acc, x, b));
    kernel_256!(avx2, "avx2", i16, i16, 2, |acc, x, b| _mm256_add_epi32(acc, _mm256_madd_epi16(x, b)));
}

impl Int8Weight {
    fn check_input(&self, layout: &Layout) -> Result<usize> {
        let (rows, inp) = layout.shape().dims2()?;
        if inp != self.inp {
            candle_core::bail!("int8 linear: input has {inp} features, the weight {}", self.inp);
        }
        Ok(rows)
    }
}

struct Int8Matmul<'a>(&'a Int8Weight, Then, Option<&'a LayerNorm>);

impl CustomOp1 for Int8Matmul<'_> {
    fn name(&self) -> &'static str {
        "int8-linear"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let w = self.0;
        let rows = w.check_input(layout)?;
        let x = f32_slice(storage, layout, self.name())?;
        let mut out = vec![0f32; rows * w.out];
        w.rows(x, After { then: self.1, residual: None, norm: self.2 }, &mut out);
        Ok((CpuStorage::F32(out), Shape::from((rows, w.out))))
    }
}

struct Int8Residual<'a>(&'a Int8Weight, Option<&'a LayerNorm>);

impl CustomOp2 for Int8Residual<'_> {
    fn name(&self) -> &'static str {
        "int8-linear-residual"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> Result<(CpuStorage, Shape)> {
        let w = self.0;
        let rows = w.check_input(l1)?;
        if l2.shape().dims2()? != (rows, w.out) {
            candle_core::bail!("int8 linear: residual {:?} for {rows} × {} outputs", l2.shape(), w.out);
        }
        let (x, residual) = (f32_slice(s1, l1, self.name())?, f32_slice(s2, l2, self.name())?);
        let mut out = vec![0f32; rows * w.out];
        w.rows(x, After { then: Then::BiasResidual, residual: Some(residual), norm: self.1 }, &mut out);
        Ok((CpuStorage::F32(out), Shape::from((rows, w.out))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    fn wave(n: usize, step: f64, shift: f64) -> Tensor {
        let t = Tensor::arange(0f32, n as f32, &Device::Cpu).unwrap();
        ((t * step).unwrap() + shift).unwrap().sin().unwrap()
    }

    fn values(t: &Tensor) -> Vec<f32> {
        t.flatten_all().unwrap().to_vec1::<f32>().unwrap()
    }

    /// Every kernel this processor runs gives the same integers, so the same floats to the
    /// bit; and those are close to the f32 layer.
    #[test]
    fn every_kernel_here_matches_f32_and_the_others() {
        // 70 rows: a full task, a partial one and a partial tile; 40 outputs: a padded panel;
        // 54 inputs: not a multiple of the byte groups.
        let (rows, inp, out) = (70, 54, 40);
        let x = wave(rows * inp, 0.37, 0.0).reshape((rows, inp)).unwrap();
        let x = (x * 3.0).unwrap();
        let w = (wave(out * inp, 0.11, 1.0) * 0.2).unwrap().reshape((out, inp)).unwrap();
        let b = (wave(out, 0.5, 2.0) * 0.1).unwrap();
        let residual = wave(rows * out, 0.05, 0.3).reshape((rows, out)).unwrap();
        let exact = x.matmul(&w.t().unwrap()).unwrap().broadcast_add(&b).unwrap();
        let wants = [
            (Then::Bias, exact.clone()),
            (Then::BiasGelu, exact.gelu_erf().unwrap()),
            (Then::BiasResidual, (&exact + &residual).unwrap()),
        ];
        let norm = LayerNorm::new(wave(out, 0.3, 0.1), wave(out, 0.2, 0.5), 1e-12).unwrap();
        let mut first: Option<Vec<Vec<f32>>> = None;
        let mut ran = 0;
        for kernel in Kernel::all().into_iter().filter(|k| k.runs_here()) {
            ran += 1;
            let layer = Int8Weight::for_kernel(&w, &b, kernel).unwrap();
            let mut outputs = Vec::new();
            for (then, want) in &wants {
                let got = values(&layer.forward(&x, *then, Some(&residual), None).unwrap());
                for (g, e) in got.iter().zip(values(want)) {
                    // Weights to 1/254 of their largest, inputs to 1/255 of their range.
                    assert!((g - e).abs() < 0.06, "{}: {then:?}: {g} vs {e}", kernel.name());
                }
                outputs.push(got);
            }
            // The norm fused into the residual layer is the norm after it, to the bit.
            let fused = layer.forward(&x, Then::BiasResidual, Some(&residual), Some(&norm)).unwrap();
            let after = norm.forward(&layer.forward(&x, Then::BiasResidual, Some(&residual), None).unwrap()).unwrap();
            assert!(values(&fused) == values(&after), "{}: the fused norm differs", kernel.name());
            match &first {
                None => first = Some(outputs),
                Some(first) => assert!(first == &outputs, "{} differs from the widest kernel", kernel.name()),
            }
        }
        assert!(ran >= 1);
    }

    #[test]
    fn zero_rows_and_zero_weights_come_out_as_the_bias() {
        let (inp, out) = (8, 32);
        let x = Tensor::zeros((3, inp), DType::F32, &Device::Cpu).unwrap();
        let w = Tensor::zeros((out, inp), DType::F32, &Device::Cpu).unwrap();
        let b = wave(out, 0.3, 0.0);
        let layer = Int8Weight::new(&w, &b).unwrap();
        let got = values(&layer.forward(&x, Then::Bias, None, None).unwrap());
        let bias = values(&b);
        for row in got.chunks_exact(out) {
            assert_eq!(row, &bias[..]);
        }
    }

    #[test]
    fn a_residual_layer_needs_its_residual() {
        let w = wave(32 * 4, 0.3, 0.0).reshape((32, 4)).unwrap();
        let layer = Int8Weight::new(&w, &wave(32, 0.1, 0.0)).unwrap();
        let x = wave(8, 0.2, 0.0).reshape((2, 4)).unwrap();
        assert!(layer.forward(&x, Then::BiasResidual, None, None).is_err());
        let wrong = wave(4, 0.2, 0.0).reshape((2, 2)).unwrap();
        assert!(layer.forward(&x, Then::BiasResidual, Some(&wrong), None).is_err());
    }
}
