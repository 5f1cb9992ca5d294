//! The learning maths: the linear models that training fits and inference reads, and the two
//! small operations both sides share.
//!
//! [`ridge`] fits a linear model over named features by weighted ridge least squares
//! ([`ridge::Linear`], the form the summariser's scorers are stored in); [`logistic`] fits a
//! class-weighted multinomial logistic regression on vectors with candle (the labeller's head
//! and the summariser's commentary classifier); [`rank`] fits a linear model that orders the
//! items of a group (the summariser's compressor); [`adamw`] is the optimiser that tunes the
//! encoder's layers, its state saved and restored; [`low_rank`] cuts what tuning changed in a
//! layer's weights to two thin factors. None knows what its features mean. [`split`]
//! puts each labelled text in a training, validation or test part, for the trainers and for
//! `eval`'s test parts.

pub mod adamw;
pub mod logistic;
pub mod low_rank;
pub mod rank;
pub mod ridge;
pub mod split;

/// The dot product of two vectors (over the shorter one's length).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The next state of a xorshift generator (never 0 from a state that is not): the trainers'
/// seeded randomness, the same on every machine.
pub fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The index of the largest value (the last of equals), `None` for an empty slice.
pub fn argmax(values: &[f32]) -> Option<usize> {
    (0..values.len()).max_by(|&a, &b| values[a].total_cmp(&values[b]))
}

/// The index of the largest value (the first of equals), `None` for an empty slice: for picks
/// whose fitted models and measured figures were made with this tie rule.
pub fn first_argmax(values: &[f32]) -> Option<usize> {
    (0..values.len()).max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_takes_the_last_of_equals_and_first_argmax_the_first() {
        assert_eq!(argmax(&[0.1, 0.5, 0.2]), Some(1));
        assert_eq!(argmax(&[0.5, 0.5, 0.2]), Some(1));
        assert_eq!(argmax(&[]), None);
        assert_eq!(first_argmax(&[0.2, 0.5, 0.5]), Some(1));
        assert_eq!(first_argmax(&[]), None);
        assert_eq!(dot(&[1.0, 2.0], &[3.0, 4.0, 5.0]), 11.0);
    }
}
