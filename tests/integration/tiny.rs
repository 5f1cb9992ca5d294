//! A tiny random BERT written by the test itself: config.json, model.safetensors and a
//! character-level tokenizer.json, small enough to load and run in milliseconds.

use std::path::Path;

use serde_json::json;

/// Characters the tiny tokenizer knows, one token each.
pub const CHARS: &str = "青岛首单创新创业公司债券发行今天气很好市北以强作风促落实干求效他说我们要坚持开放交流的是一不了人在有这个中来上大为和国地到时";

pub const HIDDEN: usize = 32;
pub const MAX_POSITIONS: usize = 128;

/// Deterministic pseudo-random numbers in [-scale, scale).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, scale: f32) -> f32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
    }

    fn values(&mut self, n: usize, scale: f32) -> Vec<f32> {
        (0..n).map(|_| self.next(scale)).collect()
    }
}

pub fn vocab() -> Vec<String> {
    let mut v: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].iter().map(|s| s.to_string()).collect();
    let mut seen = std::collections::BTreeSet::new();
    for c in CHARS.chars().chain("abcdefghijklmnopqrstuvwxyz0123456789，。：“”".chars()) {
        if seen.insert(c) {
            v.push(c.to_string());
        }
    }
    v
}

pub fn config(vocab_size: usize) -> serde_json::Value {
    json!({
        "model_type": "bert", "vocab_size": vocab_size, "hidden_size": HIDDEN, "num_hidden_layers": 2,
        "num_attention_heads": 4, "intermediate_size": 64, "hidden_act": "gelu", "hidden_dropout_prob": 0.0,
        "max_position_embeddings": MAX_POSITIONS, "type_vocab_size": 2, "initializer_range": 0.02,
        "layer_norm_eps": 1e-12, "pad_token_id": 0
    })
}

pub fn tokenizer(vocab: &[String]) -> serde_json::Value {
    let ids: serde_json::Map<String, serde_json::Value> =
        vocab.iter().enumerate().map(|(i, t)| (t.clone(), json!(i))).collect();
    let special = |content: &str, id: usize| json!({"id": id, "content": content, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true});
    json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [special("[PAD]", 0), special("[UNK]", 1), special("[CLS]", 2), special("[SEP]", 3)],
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
            }
        },
        "decoder": null,
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": ids}
    })
}

/// Every tensor of the tiny model, Hugging Face BERT names.
pub fn tensors(vocab_size: usize, seed: u64) -> Vec<(String, Vec<usize>, Vec<f32>)> {
    let mut rng = Lcg(seed);
    let (h, ff) = (HIDDEN, 64);
    let mut out = Vec::new();
    let mut add = |name: &str, shape: Vec<usize>, rng: &mut Lcg, scale: f32| {
        let n = shape.iter().product();
        out.push((name.to_owned(), shape, rng.values(n, scale)));
    };
    add("embeddings.word_embeddings.weight", vec![vocab_size, h], &mut rng, 1.0);
    add("embeddings.position_embeddings.weight", vec![MAX_POSITIONS, h], &mut rng, 0.3);
    add("embeddings.token_type_embeddings.weight", vec![2, h], &mut rng, 0.3);
    for l in 0..2 {
        let p = format!("encoder.layer.{l}");
        for (name, shape) in [
            ("attention.self.query", vec![h, h]),
            ("attention.self.key", vec![h, h]),
            ("attention.self.value", vec![h, h]),
            ("attention.output.dense", vec![h, h]),
            ("intermediate.dense", vec![ff, h]),
            ("output.dense", vec![h, ff]),
        ] {
            let rows = shape[0];
            add(&format!("{p}.{name}.weight"), shape, &mut rng, 0.3);
            add(&format!("{p}.{name}.bias"), vec![rows], &mut rng, 0.1);
        }
    }
    let mut norms: Vec<String> = vec!["embeddings.LayerNorm".into()];
    for l in 0..2 {
        norms.push(format!("encoder.layer.{l}.attention.output.LayerNorm"));
        norms.push(format!("encoder.layer.{l}.output.LayerNorm"));
    }
    for norm in norms {
        let weight: Vec<f32> = rng.values(h, 0.1).iter().map(|v| 1.0 + v).collect();
        out.push((format!("{norm}.weight"), vec![h], weight));
        out.push((format!("{norm}.bias"), vec![h], rng.values(h, 0.1)));
    }
    out
}

/// Writes the tiny model into `dir`.
pub fn write_model(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let vocab = vocab();
    std::fs::write(dir.join("config.json"), config(vocab.len()).to_string()).unwrap();
    std::fs::write(dir.join("tokenizer.json"), tokenizer(&vocab).to_string()).unwrap();
    jianbao::model::source::fetch::write_safetensors(&dir.join("model.safetensors"), tensors(vocab.len(), 7)).unwrap();
}
