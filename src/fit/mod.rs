//! The learning maths: the linear models that training fits and inference reads, and what both
//! sides share.
//!
//! [`ridge`] fits a linear model over named features by weighted ridge least squares
//! ([`ridge::Linear`], the form the summariser's scorers are stored in). It does not know what
//! its features mean.

pub mod ridge;

/// The dot product of two vectors (over the shorter one's length).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_reads_the_shorter_length() {
        assert_eq!(dot(&[1.0, 2.0], &[3.0, 4.0, 5.0]), 11.0);
    }
}
