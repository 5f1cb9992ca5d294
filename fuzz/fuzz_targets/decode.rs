//! Bytes → text, detected or with a named encoding: never a panic, and what comes out is text
//! with something visible in it, no longer than any of the encodings can make it.
#![no_main]

use encoding_rs::Encoding;
use jianbao::input::decode::decode;
use libfuzzer_sys::fuzz_target;

/// What `--encoding` may name: the ones detection knows, and a spread of the others.
const FORCED: &[&Encoding] = &[
    encoding_rs::UTF_8,
    encoding_rs::UTF_16LE,
    encoding_rs::UTF_16BE,
    encoding_rs::GB18030,
    encoding_rs::GBK,
    encoding_rs::BIG5,
    encoding_rs::EUC_JP,
    encoding_rs::ISO_2022_JP,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::WINDOWS_1252,
    encoding_rs::ISO_8859_5,
    encoding_rs::KOI8_R,
    encoding_rs::X_USER_DEFINED,
    encoding_rs::REPLACEMENT,
];

/// Detection only ever reports these.
const DETECTED: &[&str] = &["UTF-8", "UTF-16LE", "UTF-16BE", "gb18030", "Big5"];

fn check(bytes: &[u8], forced: Option<&'static Encoding>) {
    let Ok(decoded) = decode(bytes, forced) else { return };
    assert!(!bytes.is_empty(), "empty input decoded");
    assert!(!jianbao::text::trim(&decoded.text).is_empty(), "blank text decoded: {:?}", decoded.text);
    // No encoding turns one byte into more than three bytes of UTF-8.
    assert!(decoded.text.len() <= 3 * bytes.len(), "{} bytes from {}", decoded.text.len(), bytes.len());
    match forced {
        Some(encoding) => assert_eq!(decoded.encoding, encoding),
        None => {
            assert!(DETECTED.contains(&decoded.encoding.name()), "detected {}", decoded.encoding.name());
            if std::str::from_utf8(bytes).is_ok() && Encoding::for_bom(bytes).is_none() {
                assert_eq!(decoded.text.as_bytes(), bytes, "UTF-8 must come through as it is");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data, None);
    if let Some((&first, rest)) = data.split_first() {
        check(rest, Some(FORCED[usize::from(first) % FORCED.len()]));
    }
});
