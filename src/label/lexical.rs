//! The lexical half of a trained head: multinomial logistic regression on hashed character
//! n-grams of the text itself.
//!
//! The encoder's vector says what a headline is about in general; the characters say which
//! words it uses, and a newspaper section is much a matter of vocabulary (`固投`, `市委`,
//! `港股`). Each text becomes the character 1- to 3-grams hashed (FNV-1a) into
//! [`Lexical::buckets`] buckets, weighted by `(1 + ln tf) · idf` and L2-normalised; the head adds
//! `mix` times these logits to `1 - mix` times the encoder head's. Each alone scores about the
//! same on the default head's data; together they score two to three points of accuracy above
//! either (see `models/e5-small/head.json`).
//!
//! The weights are trained by [`crate::train::lexical`].

use super::LabelError;

/// Buckets of the default lexical head: 2^17, which keeps the built-in head file under 5 MB
/// (4.5 MB in f16). Against 2^18 the mixed head's test accuracy is 0.2 to 0.5 points lower
/// (THUCNews closed 0.8752 against 0.8772, all rows 0.7847 against 0.7897); with 2^16 the
/// lexical part alone lost two points of THUCNews accuracy to collisions (0.835 against 0.853).
pub const DEFAULT_BUCKETS: usize = 1 << 17;

/// The longest n-gram, in characters.
pub const MAX_N: usize = 3;

/// A fitted lexical classifier.
#[derive(Debug, Clone)]
pub struct Lexical {
    pub buckets: usize,
    /// Inverse document frequency per bucket, from the training texts.
    pub idf: Vec<f32>,
    /// `[buckets × labels]`, row-major: a bucket's weights for every label side by side.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

fn fnv1a(chars: &[char]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that n-grams of different lengths never share a byte string.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The bucket counts of `text`'s character n-grams, sorted by bucket. Whitespace is dropped and
/// ASCII letters are lower-cased, so that `GDP` and `gdp` are one word.
pub fn counts(text: &str, buckets: usize) -> Vec<(usize, f32)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect();
    let mut hashed: Vec<usize> = Vec::with_capacity(chars.len() * MAX_N);
    for n in 1..=MAX_N {
        for gram in chars.windows(n) {
            hashed.push((fnv1a(gram) % buckets as u64) as usize);
        }
    }
    hashed.sort_unstable();
    let mut out: Vec<(usize, f32)> = Vec::new();
    for b in hashed {
        match out.last_mut() {
            Some((last, count)) if *last == b => *count += 1.0,
            _ => out.push((b, 1.0)),
        }
    }
    out
}

impl Lexical {
    pub fn labels(&self) -> usize {
        self.bias.len()
    }

    pub fn new(buckets: usize, idf: Vec<f32>, weight: Vec<f32>, bias: Vec<f32>) -> Result<Lexical, LabelError> {
        if buckets == 0 || idf.len() != buckets || weight.len() != buckets * bias.len() {
            return Err(LabelError::Other(format!(
                "lexical head: {} idf values and {} weights for {buckets} buckets × {} labels",
                idf.len(),
                weight.len(),
                bias.len()
            )));
        }
        Ok(Lexical { buckets, idf, weight, bias })
    }

    /// The same classifier with its idf and weights rounded to half precision, as a head file
    /// keeps them, so that the scores measured at training are those of the head as shipped.
    pub fn rounded_to_f16(mut self) -> Result<Lexical, LabelError> {
        let round = |v: &mut Vec<f32>| -> candle_core::Result<()> {
            let t = candle_core::Tensor::from_slice(v.as_slice(), v.len(), &candle_core::Device::Cpu)?;
            *v = t.to_dtype(candle_core::DType::F16)?.to_dtype(candle_core::DType::F32)?.to_vec1()?;
            Ok(())
        };
        round(&mut self.idf)
            .and_then(|()| round(&mut self.weight))
            .map_err(|e| LabelError::Other(format!("lexical head: {e}")))?;
        Ok(self)
    }

    /// The text's tf-idf vector, L2-normalised, as (bucket, value) pairs.
    pub fn features(&self, text: &str) -> Vec<(usize, f32)> {
        features(text, &self.idf)
    }

    pub fn logits(&self, text: &str) -> Vec<f32> {
        let mut out = vec![0.0; self.labels()];
        self.logits_into(&self.features(text), &mut out);
        out
    }

    /// The logits of a feature vector, written into `out` (one per label).
    pub fn logits_into(&self, features: &[(usize, f32)], out: &mut [f32]) {
        let k = self.labels();
        out.copy_from_slice(&self.bias);
        for &(j, x) in features {
            out.iter_mut().zip(&self.weight[j * k..(j + 1) * k]).for_each(|(o, w)| *o += x * w);
        }
    }
}

fn features(text: &str, idf: &[f32]) -> Vec<(usize, f32)> {
    let mut v = counts(text, idf.len());
    v.iter_mut().for_each(|(j, x)| *x = (1.0 + x.ln()) * idf[*j]);
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngrams_are_counted_in_stable_buckets() {
        let a = counts("港股 上涨", 1 << 18);
        // 4 characters: 4 unigrams + 3 bigrams + 2 trigrams.
        assert_eq!(a.iter().map(|(_, c)| c).sum::<f32>(), 9.0);
        assert_eq!(a, counts("港股上涨", 1 << 18));
        assert_eq!(counts("GDP", 64), counts("gdp", 64));
        // A repeated character is one bucket counted twice.
        let b = counts("涨涨", 1 << 18);
        assert!(b.iter().any(|&(_, c)| c == 2.0));
    }
}
