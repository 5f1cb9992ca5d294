//! The best approximation of a matrix of at most a given rank (Eckart–Young: its largest
//! singular values and their vectors), as two factors: what cuts the change that tuning made
//! to a layer's weights down to a low-rank adapter a few megabytes long.

use nalgebra::DMatrix;

/// A matrix `[rows, cols]` approximated as `b · a`: `b` `[rows, rank]` and `a` `[rank, cols]`,
/// both row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Factors {
    pub rank: usize,
    pub b: Vec<f32>,
    pub a: Vec<f32>,
    /// The share of the matrix's squared (Frobenius) norm that `b · a` keeps.
    pub kept: f64,
}

/// The best approximation of rank at most `rank` of `m` (`[rows, cols]`, row-major), the
/// singular values folded into `b`.
pub fn factors(m: &[f32], rows: usize, cols: usize, rank: usize) -> Factors {
    debug_assert_eq!(m.len(), rows * cols);
    let matrix = DMatrix::from_row_iterator(rows, cols, m.iter().map(|&x| f64::from(x)));
    let svd = matrix.svd(true, true);
    let (Some(u), Some(v_t)) = (&svd.u, &svd.v_t) else {
        unreachable!("an SVD asked for both sets of singular vectors has them")
    };
    let values = &svd.singular_values;
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[j].total_cmp(&values[i]));
    order.truncate(rank);
    let total: f64 = values.iter().map(|s| s * s).sum();
    let kept: f64 = order.iter().map(|&k| values[k] * values[k]).sum();
    let rank = order.len();
    let mut b = vec![0f32; rows * rank];
    let mut a = vec![0f32; rank * cols];
    for (j, &k) in order.iter().enumerate() {
        for r in 0..rows {
            b[r * rank + j] = (u[(r, k)] * values[k]) as f32;
        }
        for c in 0..cols {
            a[j * cols + c] = v_t[(k, c)] as f32;
        }
    }
    Factors { rank, b, a, kept: if total > 0.0 { kept / total } else { 1.0 } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(f: &Factors, rows: usize, cols: usize) -> Vec<f32> {
        let mut out = vec![0f32; rows * cols];
        for r in 0..rows {
            for c in 0..cols {
                out[r * cols + c] = (0..f.rank).map(|j| f.b[r * f.rank + j] * f.a[j * cols + c]).sum();
            }
        }
        out
    }

    #[test]
    fn a_matrix_of_rank_two_is_rebuilt_from_two_factors_and_cut_to_its_larger_part() {
        // u1·v1ᵀ·3 + u2·v2ᵀ (orthogonal vectors): singular values 3 and 1.
        let (rows, cols) = (4, 5);
        let u = [[0.5f32, 0.5, 0.5, 0.5], [0.5, -0.5, 0.5, -0.5]];
        let v = [[0.6f32, 0.8, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.8, -0.6]];
        let m: Vec<f32> = (0..rows * cols)
            .map(|i| {
                let (r, c) = (i / cols, i % cols);
                3.0 * u[0][r] * v[0][c] + u[1][r] * v[1][c]
            })
            .collect();
        let two = factors(&m, rows, cols, 2);
        assert_eq!((two.rank, two.b.len(), two.a.len()), (2, 8, 10));
        let rebuilt = product(&two, rows, cols);
        assert!(m.iter().zip(&rebuilt).all(|(x, y)| (x - y).abs() < 1e-5), "{m:?} against {rebuilt:?}");
        assert!((two.kept - 1.0).abs() < 1e-9);

        // Cut to rank 1, what is left is the smaller part, and 9 of the norm's 10 are kept.
        let one = factors(&m, rows, cols, 1);
        let rest: Vec<f32> = m.iter().zip(product(&one, rows, cols)).map(|(x, y)| x - y).collect();
        let expected: Vec<f32> = (0..rows * cols).map(|i| u[1][i / cols] * v[1][i % cols]).collect();
        assert!(rest.iter().zip(&expected).all(|(x, y)| (x - y).abs() < 1e-5), "{rest:?}");
        assert!((one.kept - 0.9).abs() < 1e-6, "{}", one.kept);

        // A rank above the matrix's size gives all of it.
        assert_eq!(factors(&m, rows, cols, 9).rank, 4);
    }
}
