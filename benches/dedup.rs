//! Near-duplicate detection at scale: 100,000 article-like records, a quarter of them copies of
//! a recent one (cut, re-paragraphed, retitled, under another dateline, with 1% of the characters
//! changed, or all at once, by the eval's own edits), read one by one by one
//! [`jianbao::dedup::Detector`] with its default settings. Prints records per second, the wall
//! time, the copies found (right, and wrongly), the stories held, the memory each takes and the
//! peak resident memory; exits non-zero past 60 s of detection or 1 GB.
//!
//! cargo bench --bench dedup
//!
//! Records are made of the sentences of the shared People's Daily pages, shuffled
//! (`../shared/data/pages/peopledaily`, or `$JIANBAO_DATA/pages/peopledaily`), or, without them,
//! of made-up sentences; each record is rebuilt from its seed when a copy needs it, so that the
//! texts are never all held at once.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jianbao::dedup::{Detector, Settings};
use jianbao::eval::edits::{self, Edit};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RECORDS: usize = 100_000;
/// The share of records that copy an earlier story.
const COPIES: f64 = 0.25;
/// A copy copies one of the last this many stories.
const RECENT: usize = 10_000;
const SEED: u64 = 2024;
const MAX_SECONDS: f64 = 60.0;
const MAX_PEAK_MB: f64 = 1024.0;

fn data_dir() -> PathBuf {
    std::env::var_os("JIANBAO_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The sentences of every gold article of the shared pages, or `None` without them.
fn page_sentences() -> Option<Vec<String>> {
    let dir = data_dir().join("pages/peopledaily");
    let articles = jianbao::annotated::article_texts(&dir.join("gold.jsonl"), &dir, |_, _| true).ok()?;
    let mut out = Vec::new();
    for (_, span) in articles {
        for paragraph in span.lines().skip(1) {
            let sentences = jianbao::text::sentences(jianbao::text::trim(paragraph));
            out.extend(sentences.into_iter().filter(|s| s.chars().count() >= 8).map(str::to_owned));
        }
    }
    Some(out)
}

/// Made-up sentences of common characters, where the pages are missing.
fn made_up_sentences() -> Vec<String> {
    let chars: Vec<char> = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
        .chars()
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    (0..200_000)
        .map(|_| {
            let n = rng.random_range(12..48);
            let mut s: String = (0..n).map(|_| chars[rng.random_range(0..chars.len())]).collect();
            s.push('。');
            s
        })
        .collect()
}

/// Story `i`: a headline and 4–9 paragraphs of 2–4 sentences drawn from `sentences`.
fn story(sentences: &[String], i: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let headline: String = headline(sentences, &mut rng);
    let mut text = format!("{headline}\n\n");
    for _ in 0..rng.random_range(4..10) {
        text.push_str("\u{3000}\u{3000}");
        for _ in 0..rng.random_range(2..5) {
            text.push_str(sentences.choose(&mut rng).map(String::as_str).unwrap_or_default());
        }
        text.push('\n');
    }
    text
}

fn headline(sentences: &[String], rng: &mut ChaCha8Rng) -> String {
    let sentence = sentences.choose(rng).map(String::as_str).unwrap_or_default();
    sentence.chars().filter(|c| c.is_alphanumeric()).take(18).collect()
}

/// The edits that make a copy: one kind, or all at once.
fn copy_edits(sentences: &[String], rng: &mut ChaCha8Rng) -> Vec<Edit> {
    let seed = rng.random();
    let retitle = Edit::Retitle { headline: headline(sentences, rng) };
    match rng.random_range(0..6) {
        0 => vec![Edit::Cut { keep: [0.7, 0.8, 0.9][rng.random_range(0..3)] }],
        1 => vec![Edit::Reparagraph { seed }],
        2 => vec![retitle],
        3 => vec![Edit::Dateline { text: "新华社北京2月1日电　".into() }],
        4 => vec![Edit::Noise { rate: 0.01, seed }],
        _ => vec![Edit::Reparagraph { seed }, retitle, Edit::Cut { keep: 0.8 }, Edit::Noise { rate: 0.01, seed }],
    }
}

/// A field of /proc/self/status (`VmHWM`, `VmRSS`), in MB.
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let started = Instant::now();
    let (sentences, source) = match page_sentences() {
        Some(s) if !s.is_empty() => (s, "People's Daily sentences"),
        _ => (made_up_sentences(), "made-up sentences"),
    };
    let rss_before = status_mb("VmRSS");
    let mut detector = Detector::new(Settings::default());
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    // The record index of each story's first occurrence.
    let mut stories: Vec<usize> = Vec::new();
    let (mut copies, mut found, mut right, mut wrong, mut chars) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut detecting = Duration::ZERO;
    for record in 0..RECORDS {
        let copy_of = (!stories.is_empty() && rng.random_bool(COPIES))
            .then(|| stories.len() - 1 - rng.random_range(0..stories.len().min(RECENT)));
        let text = match copy_of {
            Some(s) => edits::apply(&story(&sentences, s), &copy_edits(&sentences, &mut rng)),
            None => story(&sentences, stories.len()),
        };
        chars += text.chars().count();
        let checked = Instant::now();
        let result = detector.check(&format!("r{record}"), &text, None);
        detecting += checked.elapsed();
        match (copy_of, result) {
            (Some(s), Some(d)) => {
                copies += 1;
                found += 1;
                if d.of == format!("r{}", stories[s]) {
                    right += 1;
                } else {
                    wrong += 1;
                }
            }
            (Some(_), None) => copies += 1,
            (None, Some(_)) => {
                found += 1;
                wrong += 1;
            }
            (None, None) => {}
        }
        if copy_of.is_none() {
            stories.push(record);
        }
    }
    let held_mb = status_mb("VmRSS") - rss_before;
    let seconds = detecting.as_secs_f64();
    let peak = status_mb("VmHWM");
    println!("dedup: {RECORDS} records from {source} ({} on average), {copies} copies", chars / RECORDS);
    println!(
        "  detection {seconds:.2} s ({:.0} records/s), wall {:.2} s with making the records",
        RECORDS as f64 / seconds,
        started.elapsed().as_secs_f64()
    );
    println!(
        "  found {found}: {right} copies of the right story ({:.4} of the copies), {wrong} wrongly",
        right as f64 / copies.max(1) as f64
    );
    println!(
        "  stories held {}, memory grown by {held_mb:.0} MB ({:.0} bytes a story), peak RSS {peak:.0} MB",
        detector.stories(),
        held_mb * 1024.0 * 1024.0 / detector.stories().max(1) as f64
    );
    if seconds > MAX_SECONDS || peak > MAX_PEAK_MB {
        eprintln!("dedup too slow or too large: {seconds:.1} s (max {MAX_SECONDS}), {peak:.0} MB (max {MAX_PEAK_MB})");
        std::process::exit(1);
    }
}
