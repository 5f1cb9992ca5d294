//! Bytes → text: byte-order marks, binary sniffing and encoding detection.
//!
//! jianbao reads Chinese text, so detection accepts the encodings Chinese text comes in
//! (UTF-8, UTF-16 with a BOM, GB18030/GBK, Big5) and refuses the rest with a message that says
//! what the bytes looked like; `--encoding` forces any encoding `encoding_rs` knows.

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::InputErrorKind;

/// Text decoded from bytes, with the encoding it was decoded from.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Decodes `bytes`, detecting the encoding unless `forced` names one.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, InputErrorKind> {
    if bytes.is_empty() {
        return Err(InputErrorKind::Empty);
    }
    let decoded = match forced {
        Some(encoding) => strict(strip_bom(bytes, encoding), encoding)
            .ok_or_else(|| InputErrorKind::Undecodable(format!("bytes that are not valid {}", encoding.name())))?,
        None => detect(bytes)?,
    };
    if crate::text::trim(&decoded.text).is_empty() {
        return Err(InputErrorKind::Empty);
    }
    Ok(decoded)
}

fn detect(bytes: &[u8]) -> Result<Decoded, InputErrorKind> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let bytes = &bytes[bom_len..];
        return strict(bytes, encoding).or_else(|| mended(bytes, encoding)).ok_or_else(|| {
            InputErrorKind::Undecodable(format!(
                "starts with a {} byte-order mark but is not valid {0}",
                encoding.name()
            ))
        });
    }
    if let Some(kind) = sniff_binary(bytes) {
        return Err(InputErrorKind::Binary(kind));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_owned(), encoding: UTF_8 });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    // GBK and GB18030 share one decoder; report GB18030, the superset.
    let guess = if guess == GBK { GB18030 } else { guess };
    let candidates = [guess, GB18030, BIG5];
    candidates.into_iter().filter(|e| *e == GB18030 || *e == BIG5).find_map(|e| strict(bytes, e)).ok_or_else(|| {
        InputErrorKind::Undecodable(format!(
            "not valid UTF-8, GB18030 or Big5 (the bytes look most like {}); name the encoding with --encoding",
            guess.name()
        ))
    })
}

/// Drops a byte-order mark that agrees with the encoding the user named.
fn strip_bom<'a>(bytes: &'a [u8], encoding: &'static Encoding) -> &'a [u8] {
    match Encoding::for_bom(bytes) {
        Some((bom, len)) if bom == encoding => &bytes[len..],
        _ => bytes,
    }
}

/// Decodes with `encoding`, returning `None` if any byte sequence is malformed.
fn strict(bytes: &[u8], encoding: &'static Encoding) -> Option<Decoded> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        return None;
    }
    let text = text.into_owned();
    // A file that is not UTF-16 but decodes as such turns into a soup of unassigned or
    // control characters; NUL is the tell-tale one.
    if (encoding == UTF_16LE || encoding == UTF_16BE) && text.contains('\0') {
        return None;
    }
    Some(Decoded { text, encoding })
}

/// A text with a byte-order mark is in that encoding: a few malformed sequences in it (a lone
/// UTF-16 surrogate, a broken UTF-8 sequence) are damage, not a sign of another encoding. They
/// become U+FFFD where they are at most one character in [`MAX_DAMAGED`]; more is refused.
fn mended(bytes: &[u8], encoding: &'static Encoding) -> Option<Decoded> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let chars = text.chars().count();
    let damaged = text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
    if damaged * MAX_DAMAGED > chars || text.contains('\0') {
        return None;
    }
    Some(Decoded { text: text.into_owned(), encoding })
}

/// One malformed sequence in this many characters is the most a text with a byte-order mark may
/// have and still be read.
const MAX_DAMAGED: usize = 100;

/// Recognises common binary formats and anything with NUL bytes near its start.
fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "zip archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"\x7fELF", "executable"),
        (b"RIFF", "RIFF media"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(name);
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then_some("NUL bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "本报讯 青岛市成功创建全省首批“平安农机”示范市，全省仅有青岛和威海两市入选。";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(SAMPLE.as_bytes(), None).unwrap();
        assert_eq!(plain.text, SAMPLE);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let with_bom = decode(&bom, None).unwrap();
        assert_eq!(with_bom.text, SAMPLE, "the BOM must not reach the text");
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let got = decode(&bytes, None).unwrap();
        assert_eq!(got.encoding, GB18030);
        assert_eq!(got.text, SAMPLE);
    }

    #[test]
    fn a_few_lone_surrogates_after_a_bom_become_replacement_characters() {
        let text = SAMPLE.repeat(10);
        let mut units: Vec<u16> = text.encode_utf16().collect();
        units[5] = 0xD800; // a high surrogate without its low half
        units[200] = 0xDC00; // a low surrogate alone
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        let got = decode(&bytes, None).unwrap();
        assert_eq!(got.encoding, UTF_16LE);
        assert_eq!(got.text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count(), 2);
        assert_eq!(got.text.chars().count(), text.chars().count());
        // Damage everywhere is not a text in that encoding.
        let mut broken = vec![0xff, 0xfe];
        broken.extend(units.iter().enumerate().flat_map(|(i, &u)| if i % 10 == 0 { 0xD800 } else { u }.to_le_bytes()));
        assert!(matches!(decode(&broken, None), Err(InputErrorKind::Undecodable(_))));
    }

    #[test]
    fn png_is_binary() {
        let err = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None).unwrap_err();
        assert!(matches!(err, InputErrorKind::Binary("PNG image")));
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert!(matches!(decode("\u{3000}\n \n".as_bytes(), None), Err(InputErrorKind::Empty)));
    }

    #[test]
    fn forced_encoding_is_strict() {
        let err = decode(b"\xff\xfe\xfd", Some(UTF_8)).unwrap_err();
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    }
}
