//! The model layer on a tiny random BERT the test writes: the same loading and embedding code
//! as for the real model, checked against candle-transformers' own BERT; the Hugging Face
//! cache path, offline; and every kind of broken model file.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use jianbao::model::{CandleEncoder, Encoder, Intent, LoadOptions, ModelDir, WeightFormat};

use crate::harness::Dir;
use crate::tiny;

fn load(dir: &Path, weights: WeightFormat) -> CandleEncoder {
    let model = ModelDir::in_directory(dir.display().to_string(), dir).expect("a complete model directory");
    CandleEncoder::load(&model, &LoadOptions { weights, ..Default::default() }).expect("the tiny model loads")
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    dot / (a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|x| x * x).sum::<f32>().sqrt())
}

/// Pooled vectors from candle-transformers' stock BertModel on the same weights and ids.
fn stock_vectors(dir: &Path, ids: &[Vec<u32>]) -> Vec<Vec<f32>> {
    let config: candle_transformers::models::bert::Config =
        serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
    let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[dir.join("model.safetensors")], DType::F32, &Device::Cpu) }
        .unwrap();
    let model = candle_transformers::models::bert::BertModel::load(vb, &config).unwrap();
    ids.iter()
        .map(|ids| {
            let input = Tensor::new(ids.as_slice(), &Device::Cpu).unwrap().unsqueeze(0).unwrap();
            let hidden = model.forward(&input, &input.zeros_like().unwrap(), None).unwrap();
            let mean = hidden.mean(1).unwrap().squeeze(0).unwrap().to_vec1::<f32>().unwrap();
            let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt();
            mean.iter().map(|v| v / norm).collect()
        })
        .collect()
}

const TEXTS: [&str; 4] =
    ["青岛首单创新创业公司债券发行", "今天天气很好", "市北以强作风促落实", "他说：“我们要坚持开放交流。”"];

#[test]
fn tiny_model_matches_candle_transformers_bert_in_every_weight_format() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    for (weights, min) in [
        (WeightFormat::F32, 0.99999),
        (WeightFormat::Int8, 0.995),
        (WeightFormat::Q8_0, 0.999),
        (WeightFormat::Q4_0, 0.98),
    ] {
        let encoder = load(&model, weights);
        assert_eq!(encoder.dim(), tiny::HIDDEN);
        let ours = encoder.embed(&TEXTS, Intent::Passage).unwrap();
        let ids: Vec<Vec<u32>> = TEXTS.iter().map(|t| encoder.token_ids(t, Intent::Passage).unwrap()).collect();
        assert_eq!(
            ids[1],
            vec![
                2,
                4 + tiny::vocab()[4..].iter().position(|c| c == "今").unwrap() as u32,
                ids[1][2],
                ids[1][3],
                ids[1][4],
                ids[1][5],
                ids[1][6],
                3
            ]
        );
        let stock = stock_vectors(&model, &ids);
        for ((text, a), b) in TEXTS.iter().zip(&ours).zip(&stock) {
            let norm: f32 = a.iter().map(|v| v * v).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "{text}: not normalised ({norm})");
            let cos = cosine(a, b);
            assert!(cos > min, "{weights:?} {text}: cosine {cos} against candle-transformers");
        }
        // Different texts, different vectors; batching does not change a text's vector.
        assert!(cosine(&ours[0], &ours[1]) < 0.999);
        let alone = encoder.embed(&TEXTS[1..2], Intent::Passage).unwrap();
        assert!(cosine(&alone[0], &ours[1]) > 0.99999, "{weights:?}: batching changed the result");
    }
}

#[test]
fn long_texts_are_windowed_not_cut() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let encoder = load(&model, WeightFormat::F32);
    let head = "青岛首单创新创业公司债券发行".repeat(8); // 112 tokens: fits in 126
    let tail = "今天天气很好".repeat(30);
    let long = format!("{head}{tail}");
    assert!(encoder.token_count(&long, Intent::Passage).unwrap() > tiny::MAX_POSITIONS);
    let v = encoder.embed(&[&long, &head], Intent::Passage).unwrap();
    let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5);
    assert!(cosine(&v[0], &v[1]) < 0.999, "the tail beyond the first window must count");
    assert_eq!(encoder.embed(&[&long], Intent::Passage).unwrap()[0], v[0], "deterministic");
}

/// Lays the tiny model out as the Hugging Face cache does: blobs, a snapshot of links, a ref.
fn hub_cache(home: &Path, repo: &str, commit: &str) -> PathBuf {
    let source = home.join("source");
    tiny::write_model(&source);
    let repo_dir = home.join("hub").join(format!("models--{}", repo.replace('/', "--")));
    let snapshot = repo_dir.join("snapshots").join(commit);
    std::fs::create_dir_all(repo_dir.join("blobs")).unwrap();
    std::fs::create_dir_all(&snapshot).unwrap();
    std::fs::create_dir_all(repo_dir.join("refs")).unwrap();
    std::fs::write(repo_dir.join("refs/main"), commit).unwrap();
    for (i, file) in ["config.json", "tokenizer.json", "model.safetensors"].iter().enumerate() {
        let blob = repo_dir.join("blobs").join(format!("{i:040x}"));
        std::fs::copy(source.join(file), &blob).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&blob, snapshot.join(file)).unwrap();
        #[cfg(not(unix))]
        std::fs::copy(&blob, snapshot.join(file)).unwrap();
    }
    snapshot
}

#[test]
fn hugging_face_cache_offline() {
    let dir = Dir::new();
    let hf_home = dir.path("hf");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    hub_cache(&hf_home, "org/tiny-bert", commit);
    for model in ["hf:org/tiny-bert", &format!("hf:org/tiny-bert@{commit}")] {
        let out = dir
            .jianbao()
            .env("HF_HOME", &hf_home)
            .args(["embed", "--offline", "--model", model, "今天天气很好"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{model}: {}", String::from_utf8_lossy(&out.stderr));
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(line["vector"].as_array().unwrap().len(), tiny::HIDDEN);
    }
    // HF_HUB_OFFLINE keeps jianbao from the network as --offline does.
    let out = dir
        .jianbao()
        .env("HF_HOME", &hf_home)
        .env("HF_HUB_OFFLINE", "1")
        .args(["embed", "--model", "hf:org/absent", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not in the Hugging Face cache") && stderr.contains("hf:org/absent"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

/// Breaks a copy of the tiny model with `damage` and checks the one-line error.
fn assert_broken(name: &str, damage: impl FnOnce(&Path), expect: &[&str]) {
    let dir = Dir::new();
    let model = dir.path(name);
    tiny::write_model(&model);
    damage(&model);
    let out = dir.jianbao().args(["embed", "--model"]).arg(&model).arg("今天天气很好").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{name}: one line, got {stderr}");
    for needle in expect {
        assert!(stderr.contains(needle), "{name}: want `{needle}` in {stderr}");
    }
}

#[test]
fn broken_model_files_get_clear_errors() {
    assert_broken(
        "truncated",
        |m| {
            let bytes = std::fs::read(m.join("model.safetensors")).unwrap();
            std::fs::write(m.join("model.safetensors"), &bytes[..bytes.len() / 2]).unwrap();
        },
        &["model.safetensors", "loading the weights"],
    );
    assert_broken(
        "missing-tensor",
        |m| {
            let tensors: Vec<_> = tiny::tensors(tiny::vocab().len(), 7)
                .into_iter()
                .filter(|t| !t.0.contains("layer.1.output.dense.weight"))
                .collect();
            jianbao::model::source::fetch::write_safetensors(&m.join("model.safetensors"), tensors).unwrap();
        },
        &["model.safetensors", "encoder.layer.1.output.dense.weight"],
    );
    assert_broken(
        "wrong-shape",
        |m| {
            let mut config = tiny::config(tiny::vocab().len());
            config["intermediate_size"] = 48.into();
            std::fs::write(m.join("config.json"), config.to_string()).unwrap();
        },
        &["model.safetensors", "shape"],
    );
    assert_broken(
        "vocab-too-small",
        |m| {
            let n = tiny::vocab().len();
            std::fs::write(m.join("config.json"), tiny::config(n - 10).to_string()).unwrap();
        },
        &["tokenizer.json", "vocabulary holds"],
    );
    assert_broken(
        "pickle-only",
        |m| {
            std::fs::rename(m.join("model.safetensors"), m.join("pytorch_model.bin")).unwrap();
        },
        &["pytorch_model.bin", "safetensors"],
    );
    assert_broken("bad-config", |m| std::fs::write(m.join("config.json"), "{ not json").unwrap(), &["config.json"]);
    assert_broken(
        "no-tokenizer",
        |m| std::fs::remove_file(m.join("tokenizer.json")).unwrap(),
        &["tokenizer.json is missing"],
    );
    assert_broken(
        "bad-tokenizer",
        |m| std::fs::write(m.join("tokenizer.json"), "{}").unwrap(),
        &["tokenizer.json", "loading the tokenizer"],
    );
}

#[test]
fn the_configured_model_is_the_default_and_the_cache_commands_work() {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let home = dir.path("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("config.toml"), format!("model = {:?}\n", model.display().to_string())).unwrap();
    let out = dir
        .jianbao()
        .env("JIANBAO_HOME", &home)
        .env_remove("JIANBAO_MODEL")
        .args(["embed", "今天天气很好"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["vector"].as_array().unwrap().len(), tiny::HIDDEN, "config.toml's model is used");

    let list = dir.jianbao().env("JIANBAO_HOME", &home).args(["model", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("e5-small     not fetched"));
    let info = dir.jianbao().env("JIANBAO_HOME", &home).args(["model", "info"]).arg(&model).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("hidden_size 32") && info.contains("model.safetensors"), "{info}");
    let rm = dir.jianbao().env("JIANBAO_HOME", &home).args(["model", "rm", "e5-small"]).output().unwrap();
    assert_eq!(rm.status.code(), Some(2), "nothing to remove");
    let offline = dir
        .jianbao()
        .env("JIANBAO_HOME", &home)
        .args(["embed", "--offline", "--model", "e5-small", "x"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&offline.stderr);
    assert!(stderr.contains("not in the cache") && stderr.contains("jianbao model fetch"), "{stderr}");
}
