//! Summaries of an arbitrary article under arbitrary budgets and rankings: no panic, every
//! summary within its character budget and made of the article's own characters (and the `……`
//! that marks a cut); every run of clauses a summary may keep is the sentence's own.
#![no_main]

use std::collections::HashSet;

use jianbao::segment::{self, Article};
use jianbao::sentences::{self, Sentence};
use jianbao::summarize::{self, clauses, Budget, Method, Summarizer, Summary};
use jianbao::text::char_len;
use libfuzzer_sys::fuzz_target;

/// The input is a few bytes of settings and then the text, so that a page is a seed as it is:
/// `[max_chars, sentences (0: none, n: n - 1), title (0: none, 1: empty, 2: the first line,
/// else the second line), ranking length n, ranking (n bytes), text...]`.
struct Input {
    text: String,
    title: Option<String>,
    max_chars: u8,
    sentences: Option<u8>,
    ranking: Vec<u8>,
}

impl Input {
    fn parse(data: &[u8]) -> Option<Input> {
        let (&[max_chars, sentences, title, n], rest) = data.split_first_chunk::<4>()?;
        let ranking = rest.get(..usize::from(n))?.to_vec();
        let text = String::from_utf8_lossy(&rest[usize::from(n)..]).into_owned();
        let title = match title {
            0 => None,
            1 => Some(String::new()),
            2 => text.lines().next().map(str::to_owned),
            _ => text.lines().nth(1).map(str::to_owned),
        };
        Some(Input { text, title, max_chars, sentences: sentences.checked_sub(1), ranking })
    }
}

/// Every character of the article: its paragraphs and its heading.
fn own_chars(article: &Article) -> HashSet<char> {
    article.paragraphs.iter().flat_map(|p| p.chars()).chain(article.heading().chars()).collect()
}

fn check(summary: &Summary, what: &str, candidates: &[Sentence], budget: Budget, own: &HashSet<char>) {
    let chars = char_len(&summary.text);
    assert!(
        chars <= budget.max_chars,
        "{what}: {chars} characters over a budget of {}: {:?}",
        budget.max_chars,
        summary.text
    );
    if let Some(c) = summary.text.chars().find(|c| *c != '…' && !own.contains(c)) {
        panic!("{what}: {c:?} is not the article's: {:?}", summary.text);
    }
    assert!(summary.sentences.windows(2).all(|w| w[0] < w[1]), "{what}: sentences out of order");
    assert!(summary.sentences.iter().all(|&i| i < candidates.len()), "{what}: no such sentence");
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else { return };
    let Some(article) = segment::single(&input.text, input.title.as_deref()) else { return };
    let budget = Budget { max_chars: usize::from(input.max_chars), sentences: input.sentences.map(usize::from) };
    let own = own_chars(&article);

    let candidates = sentences::candidates(&article);
    for c in &candidates {
        assert!(!c.text.is_empty());
        assert_eq!(c.chars, char_len(&c.text));
        assert!(article.paragraphs[c.paragraph].contains(&c.text), "{:?} is not in its paragraph", c.text);
        assert!(c.text.ends_with(summarize::drop_vague_opening(&c.text)));
        for run in clauses::runs(&c.text, budget.max_chars, 1, usize::MAX) {
            assert!(char_len(&run.text) <= budget.max_chars, "run {:?} over {}", run.text, budget.max_chars);
            // The run as it is, or followed by the full stop that ends it as a sentence.
            let shown = match run.text.strip_suffix(clauses::RUN_END) {
                Some(shown) if char_len(shown) == run.chars => shown,
                _ => run.text.as_str(),
            };
            assert_eq!(char_len(shown), run.chars, "{:?}", run.text);
            assert!(c.text.contains(shown), "run {shown:?} is not in {:?}", c.text);
        }
    }

    // A ranking from the input: each candidate at most once.
    let mut ranking = Vec::new();
    if !candidates.is_empty() {
        for r in &input.ranking {
            let i = usize::from(*r) % candidates.len();
            if !ranking.contains(&i) {
                ranking.push(i);
            }
        }
    }
    let summary = summarize::fill(&candidates, &ranking, budget);
    check(&summary, "fill", &candidates, budget, &own);
    if let Some(n) = budget.sentences {
        assert!(summary.sentences.len() <= n.max(1));
    }
    let shown = summarize::without_vague_openings(&candidates);
    check(&summarize::fill(&shown, &ranking, budget), "fill without vague openings", &shown, budget, &own);

    for method in [Method::Lead, Method::Textrank] {
        let summaries = Summarizer::new(method, budget).summarize(None, &[&article]).expect("no encoder needed");
        assert_eq!(summaries.len(), 1);
        check(&summaries[0], method.as_str(), &candidates, budget, &own);
    }
});
