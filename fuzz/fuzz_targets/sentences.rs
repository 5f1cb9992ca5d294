//! Sentence and line splitting on arbitrary text: sentences are trimmed, non-empty pieces of
//! the paragraph, in order, without overlaps, that leave out nothing but space; line spans
//! partition the text.
#![no_main]

use jianbao::text::{self, char_len};
use libfuzzer_sys::fuzz_target;

fn visible(s: &str) -> String {
    s.chars().filter(|&c| !text::is_space(c)).collect()
}

fuzz_target!(|data: &[u8]| {
    let paragraph = String::from_utf8_lossy(data);
    let paragraph = paragraph.as_ref();

    let base = paragraph.as_ptr() as usize;
    let mut at = 0;
    for sentence in text::sentences(paragraph) {
        assert!(!sentence.is_empty(), "an empty sentence");
        assert_eq!(text::trim(sentence), sentence, "an untrimmed sentence");
        let start = (sentence.as_ptr() as usize).checked_sub(base).expect("a sentence outside the paragraph");
        assert!(start + sentence.len() <= paragraph.len(), "a sentence outside the paragraph");
        assert!(start >= at, "sentences overlap or go backwards");
        assert!(text::trim(&paragraph[at..start]).is_empty(), "text left out between sentences");
        at = start + sentence.len();
    }
    assert!(text::trim(&paragraph[at..]).is_empty(), "text left out at the end");
    assert_eq!(visible(&text::sentences(paragraph).concat()), visible(paragraph));

    let lines = text::lines(paragraph);
    let mut rebuilt = String::new();
    let mut next = 0;
    for (k, line) in lines.iter().enumerate() {
        assert_eq!(line.start, next, "line {k} does not start where the one before ends");
        assert_eq!(line.end - line.start, char_len(line.raw));
        assert!(!line.raw.contains(['\n', '\r']));
        assert!(line.next >= line.end && line.next - line.end <= 2);
        assert!(line.next > line.end || k + 1 == lines.len(), "only the last line may lack a break");
        rebuilt.push_str(line.raw);
        let chars: Vec<char> = paragraph.chars().skip(line.end).take(line.next - line.end).collect();
        assert!(matches!(chars.as_slice(), [] | ['\n'] | ['\r'] | ['\r', '\n']), "{chars:?}");
        rebuilt.extend(chars);
        next = line.next;
    }
    assert_eq!(next, char_len(paragraph), "lines do not reach the end of the text");
    assert_eq!(rebuilt, paragraph);
});
