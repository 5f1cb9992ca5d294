//! Tuned layers on the tiny model: the encoder loaded with an adapter, whole or cut to low-rank
//! factors, gives the vectors that training computes with the layers on the fly, and an
//! adapter tuned from another encoder is refused with one line.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;

use candle_core::Tensor;
use jianbao::fit::split::Part;
use jianbao::model::source::adapter::{self, Adapter, AdapterManifest};
use jianbao::model::{CandleEncoder, Encoder, Intent, LoadOptions, ModelDir, WeightFormat};
use jianbao::train::adapter::{checkpoint_path, low_rank, lower_states, tune, Event, Salient, Settings, Tuned};
use jianbao::train::head::Example;
use jianbao::train::TrainError;

use crate::harness::Dir;
use crate::tiny;

const TEXTS: [&str; 3] = ["青岛首单创新创业公司债券发行", "今天气很好", "市北以强作风促落实，干求效"];

fn load(dir: &Path, adapter: Option<Adapter>) -> Result<CandleEncoder, String> {
    let model = ModelDir::in_directory("tiny".into(), dir).expect("a complete model directory");
    CandleEncoder::load(&model, &LoadOptions { weights: WeightFormat::F32, adapter, ..Default::default() })
        .map_err(|e| e.to_string())
}

/// The top layer of the tiny model, tuned: its weights moved by a deterministic wave.
fn tuned(encoder: &CandleEncoder) -> Tuned {
    let mut tuned = Tuned::new(encoder, 3, &Settings { layers: 1, ..Settings::default() }).expect("tunable");
    for (name, t) in tuned.layer_tensors().expect("tensors") {
        let n = t.elem_count();
        let wave = Tensor::arange(0f32, n as f32, t.device())
            .and_then(|w| (w * 0.7)?.sin()? * 0.05)
            .and_then(|w| w.reshape(t.shape()))
            .expect("a wave");
        tuned.vars.set_one(&name, (t + wave).expect("moved")).expect("set");
    }
    tuned
}

/// The tiny model written into a directory of its own, its path, and it loaded without an
/// adapter.
fn tiny_model() -> (Dir, std::path::PathBuf, CandleEncoder) {
    let dir = Dir::new();
    let model = dir.path("tiny");
    tiny::write_model(&model);
    let plain = load(&model, None).expect("loads");
    (dir, model, plain)
}

/// The manifest of an adapter of the tiny model's top layer, tuned from `encoder`.
fn manifest(encoder: &str) -> AdapterManifest {
    AdapterManifest::new(encoder, vec![1], serde_json::Value::Null)
}

fn max_difference(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    a.iter().flatten().zip(b.iter().flatten()).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn an_adapter_loaded_into_the_weights_gives_the_tuned_layers_vectors() {
    let (dir, model, plain) = tiny_model();
    let tuned = tuned(&plain);
    let states = lower_states(&plain, &TEXTS, 1, 128, &|_| {}).expect("lower states");
    let on_the_fly = tuned.vectors(&states).expect("vectors");

    let manifest = manifest("tiny");
    let tensors: HashMap<String, Tensor> = tuned.layer_tensors().expect("tensors");
    let merged = load(&model, Some(Adapter::new(manifest.clone(), tensors.clone()))).expect("loads with the adapter");
    let vectors = merged.embed(&TEXTS, Intent::Query).expect("embeds");
    assert!(max_difference(&vectors, &on_the_fly) < 1e-4, "{vectors:?} against {on_the_fly:?}");
    // The tuned layer changed the vectors, and the encoder says it is another one.
    let before = plain.embed(&TEXTS, Intent::Query).expect("embeds");
    assert!(max_difference(&vectors, &before) > 1e-2);
    assert_ne!(merged.id(), plain.id());

    // Saved (in f16) and read back, it gives the same vectors within the rounding.
    let file = dir.path("adapter.safetensors");
    adapter::save(&file, &manifest, &tensors).expect("saved");
    let read = Adapter::load(&file).expect("reads");
    let reloaded = load(&model, Some(read)).expect("loads");
    let again = reloaded.embed(&TEXTS, Intent::Query).expect("embeds");
    assert!(max_difference(&again, &on_the_fly) < 1e-2);
}

/// The top layer of the tiny model, each weight matrix moved by a change of rank 2 (two outer
/// products of waves), its biases and norms by a wave.
fn tuned_by_rank_two(encoder: &CandleEncoder) -> Tuned {
    let mut tuned = Tuned::new(encoder, 3, &Settings { layers: 1, ..Settings::default() }).expect("tunable");
    let wave = |n: usize, f: f32| {
        Tensor::arange(0f32, n as f32, &candle_core::Device::Cpu)
            .and_then(|w| (w * f64::from(f))?.sin())
            .expect("a wave")
    };
    for (name, t) in tuned.layer_tensors().expect("tensors") {
        let change = match *t.dims() {
            [rows, cols] => {
                let outer = |f: f32, g: f32| wave(rows, f).unsqueeze(1)?.matmul(&wave(cols, g).unsqueeze(0)?);
                ((outer(0.7, 1.3).expect("outer") * 0.05).expect("scaled") + outer(2.1, 0.4).expect("outer") * 0.03)
                    .expect("a change of rank 2")
            }
            _ => (wave(t.elem_count(), 0.9) * 0.05).and_then(|w| w.reshape(t.shape())).expect("a wave"),
        };
        tuned.vars.set_one(&name, (t + change).expect("moved")).expect("set");
    }
    tuned
}

#[test]
fn a_low_rank_adapter_merged_at_load_gives_the_tuned_layers_vectors() {
    let (dir, model, plain) = tiny_model();
    let tuned = tuned_by_rank_two(&plain);
    let states = lower_states(&plain, &TEXTS, 1, 128, &|_| {}).expect("lower states");
    let on_the_fly = tuned.vectors(&states).expect("vectors");
    let whole = tuned.layer_tensors().expect("tensors");
    let manifest = manifest("tiny");
    let size = |t: &HashMap<String, Tensor>| t.values().map(Tensor::elem_count).sum::<usize>();
    let vectors_at = |rank: usize| {
        let (cut, kept) = low_rank(&plain, whole.clone(), rank).expect("cut");
        let encoder = load(&model, Some(Adapter::new(manifest.clone(), cut.clone()))).expect("loads");
        (encoder.embed(&TEXTS, Intent::Query).expect("embeds"), cut, kept)
    };

    // Rank 2 holds every change: the merged encoder gives the tuned layer's vectors, from a
    // quarter of the tensors.
    let (vectors, cut, kept) = vectors_at(2);
    assert!(max_difference(&vectors, &on_the_fly) < 1e-4, "{vectors:?} against {on_the_fly:?}");
    assert!(kept > 0.999_99, "{kept}");
    assert!(cut.keys().any(|name| name.ends_with("intermediate.dense.weight.lora_a")));
    assert!(!cut.contains_key("encoder.layer.1.intermediate.dense.weight"));
    assert!(size(&cut) * 4 < size(&whole), "{} of {}", size(&cut), size(&whole));
    // Rank 1 drops part of each change: the vectors move away from the tuned layer's.
    let (coarse, _, kept) = vectors_at(1);
    assert!(kept < 0.95, "{kept}");
    assert!(max_difference(&coarse, &on_the_fly) > 1e-3);

    // Saved (factors in 8 bits, the rest in f16) and read back, it gives the same vectors
    // within the rounding, from about half the bytes of factors in f16.
    let file = dir.path("adapter.safetensors");
    adapter::save(&file, &manifest, &cut).expect("saved");
    let reloaded = load(&model, Some(Adapter::load(&file).expect("reads"))).expect("loads");
    let again = reloaded.embed(&TEXTS, Intent::Query).expect("embeds");
    assert!(max_difference(&again, &on_the_fly) < 1e-2);
    let stored = candle_core::safetensors::load(&file, &candle_core::Device::Cpu).expect("reads");
    let codes = &stored["encoder.layer.1.intermediate.dense.weight.lora_a"];
    assert_eq!(codes.dtype(), candle_core::DType::U8);
    assert_eq!(stored["encoder.layer.1.intermediate.dense.weight.lora_a.scale"].dims(), [codes.dim(0).expect("rows")]);
    assert_eq!(stored["encoder.layer.1.output.LayerNorm.weight"].dtype(), candle_core::DType::F16);
    // A file of factors in f16, as adapters were first saved, reads the same.
    let half: HashMap<String, Tensor> =
        cut.iter().map(|(n, t)| (n.clone(), t.to_dtype(candle_core::DType::F16).expect("f16"))).collect();
    candle_core::safetensors::save(&half, &file).expect("saved");
    let reloaded = load(&model, Some(Adapter::load(&file).expect("reads"))).expect("loads");
    assert!(max_difference(&reloaded.embed(&TEXTS, Intent::Query).expect("embeds"), &on_the_fly) < 1e-2);
    // Codes without their scales are refused, named.
    let mut unscaled = stored.clone();
    unscaled.remove("encoder.layer.1.intermediate.dense.weight.lora_a.scale");
    candle_core::safetensors::save(&unscaled, &file).expect("saved");
    let err = Adapter::load(&file).expect_err("refused").to_string();
    assert!(err.contains("intermediate.dense.weight.lora_a` holds 8-bit codes without"), "{err}");

    // A run that diverged is not cut, but named.
    let mut diverged = whole.clone();
    let name = "encoder.layer.1.output.dense.weight";
    diverged.insert(name.into(), (&whole[name] * f64::NAN).expect("NaN"));
    let Err(err) = low_rank(&plain, diverged, 2) else { panic!("NaN weights were cut") };
    assert!(err.to_string().contains("output.dense.weight` is not finite"), "{err}");

    // A factor without its pair is refused, named.
    let mut lone = cut.clone();
    lone.remove("encoder.layer.1.output.dense.weight.lora_b");
    adapter::save(&file, &manifest, &lone).expect("saved");
    let err = Adapter::load(&file).expect_err("refused").to_string();
    assert!(
        err.contains("adapter.safetensors") && err.contains("output.dense.weight.lora_a` without its pair"),
        "{err}"
    );
}

#[test]
fn an_adapter_merges_the_share_of_the_change_its_manifest_scales() {
    let (dir, model, plain) = tiny_model();
    let tuned = tuned_by_rank_two(&plain);
    let whole = tuned.layer_tensors().expect("tensors");
    let (cut, _) = low_rank(&plain, whole.clone(), 2).expect("cut");
    // The top layer moved half as far, computed on the fly.
    let mut half = Tuned::new(&plain, 3, &Settings { layers: 1, ..Settings::default() }).expect("tunable");
    for (name, own) in half.layer_tensors().expect("tensors") {
        let moved = ((&whole[&name] - &own).expect("change") * 0.5).and_then(|c| c + &own).expect("half");
        half.vars.set_one(&name, moved).expect("set");
    }
    let states = lower_states(&plain, &TEXTS, 1, 128, &|_| {}).expect("lower states");
    let on_the_fly = half.vectors(&states).expect("vectors");

    // Whole tensors and low-rank factors, each merged at half their change, give those vectors.
    let scaled = AdapterManifest { scale: 0.5, ..manifest("tiny") };
    for tensors in [&whole, &cut] {
        let encoder = load(&model, Some(Adapter::new(scaled.clone(), tensors.clone()))).expect("loads");
        let vectors = encoder.embed(&TEXTS, Intent::Query).expect("embeds");
        assert!(max_difference(&vectors, &on_the_fly) < 1e-4, "{vectors:?} against {on_the_fly:?}");
    }
    let full = load(&model, Some(Adapter::new(manifest("tiny"), cut.clone()))).expect("loads");
    assert!(max_difference(&full.embed(&TEXTS, Intent::Query).expect("embeds"), &on_the_fly) > 1e-3);

    // Saved, the scale goes with the manifest and into the encoder's id.
    let file = dir.path("adapter.safetensors");
    adapter::save(&file, &scaled, &cut).expect("saved");
    let read = Adapter::load(&file).expect("reads");
    assert_eq!(read.manifest.scale, 0.5);
    let id = load(&model, Some(read.clone())).expect("loads").id().to_owned();
    assert_eq!(id, format!("tiny+adapter-{}@0.5", read.fingerprint));

    // A scale out of (0, 1] is refused, naming the manifest.
    let manifest_path = Adapter::manifest_path(&file);
    std::fs::write(&manifest_path, r#"{"encoder": "tiny", "layers": [1], "scale": 1.5}"#).expect("written");
    let err = Adapter::load(&file).expect_err("refused").to_string();
    assert!(err.contains("adapter.json") && err.contains("in (0, 1], not 1.5"), "{err}");
}

#[test]
fn an_adapter_tuned_from_another_encoder_is_refused() {
    let (dir, model, plain) = tiny_model();
    let tensors = tuned(&plain).layer_tensors().expect("tensors");
    let Err(err) = load(&model, Some(Adapter::new(manifest("e5-small"), tensors))) else {
        panic!("a foreign adapter loaded")
    };
    assert!(err.contains("tuned from encoder `e5-small`, not `tiny`"), "{err}");
    assert!(!err.contains('\n'));
    // A file that is not an adapter is named in its error.
    let bogus = dir.path("adapter.safetensors");
    std::fs::write(&bogus, b"not safetensors").expect("written");
    std::fs::write(Adapter::manifest_path(&bogus), r#"{"encoder": "tiny", "layers": [1]}"#).expect("written");
    let err = Adapter::load(&bogus).expect_err("refused").to_string();
    assert!(err.contains("adapter.safetensors") && err.contains("not a readable safetensors file"), "{err}");
}

/// Two sections the tiny vocabulary can tell apart: texts about bonds and the city, and texts
/// about the weather and people.
fn examples() -> Vec<Example> {
    let bonds = ["青岛首单创新创业公司债券发行", "首单公司债券发行", "青岛创新创业债券", "市北公司债券创新"];
    let weather = ["今天气很好", "他说今天天气好", "我们今天很好", "天气好，他说很好"];
    let mut out = Vec::new();
    for (label, texts) in [(0, bonds), (1, weather)] {
        for (i, text) in texts.iter().enumerate() {
            for repeat in 0..3 {
                let text = format!("{}{}", text, "。".repeat(repeat));
                let part = if i == 0 { Part::Val } else { Part::Train };
                out.push(Example { text, label, scheme: "tiny".into(), part, weight: 1, piece: false });
            }
        }
    }
    out
}

#[test]
fn tuning_learns_the_sections_and_resumes_where_it_stopped() {
    let (dir, _, plain) = tiny_model();
    let settings = Settings { layers: 1, epochs: 6, batch: 4, learning_rate: 3e-3, ..Settings::default() };
    let epochs = std::cell::RefCell::new(Vec::new());
    let (whole, report) = tune(&plain, &examples(), &[], 2, &settings, None, &|event| {
        if let Event::Epoch { epoch, .. } = event {
            epochs.borrow_mut().push(epoch);
        }
        ControlFlow::Continue(())
    })
    .expect("tunes");
    assert_eq!(*epochs.borrow(), [1, 2, 3, 4, 5, 6]);
    assert_eq!(report.layers, [1]);
    assert_eq!(report.validation_accuracy.len(), 6);
    // The last epoch labels the validation texts as well as any: it is kept, so that the
    // comparison below is of the layers after every step.
    assert_eq!(report.best_epoch, 6, "{report:?}");
    assert_eq!(report.validation_accuracy[5], 1.0, "{report:?}");

    // Stopped twice, mid-epoch, and resumed from the checkpoint each time: the same layers,
    // to the bit, as the run that never stopped.
    let checkpoint = dir.path("run");
    for stop_at in [7, 18] {
        let stopped = tune(&plain, &examples(), &[], 2, &settings, Some(&checkpoint), &|event| match event {
            Event::Step { done, .. } if done == stop_at => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        });
        assert!(matches!(stopped, Err(TrainError::Interrupted)), "stopped at step {stop_at}");
        assert!(checkpoint_path(&checkpoint).exists());
    }
    let first_step = std::cell::Cell::new(None);
    let (resumed, again) = tune(&plain, &examples(), &[], 2, &settings, Some(&checkpoint), &|event| {
        if let Event::Step { done, .. } = event {
            first_step.set(first_step.get().or(Some(done)));
        }
        ControlFlow::Continue(())
    })
    .expect("resumes");
    assert_eq!(first_step.get(), Some(19), "the last run resumes after the 18th step");
    assert_eq!(again.validation_accuracy, report.validation_accuracy);
    let (a, b) = (whole.layer_tensors().expect("tensors"), resumed.layer_tensors().expect("tensors"));
    for (name, t) in &a {
        let diff = (t - &b[name]).and_then(|d| d.abs()?.max_all()?.to_scalar::<f32>()).expect("compared");
        assert_eq!(diff, 0.0, "{name} differs between the whole run and the resumed one");
    }
    // A checkpoint of other settings is refused, with its path.
    let other = Settings { learning_rate: 1e-3, ..settings };
    let Err(err) = tune(&plain, &examples(), &[], 2, &other, Some(&checkpoint), &|_| ControlFlow::Continue(())) else {
        panic!("a checkpoint of another run was resumed");
    };
    let err = err.to_string();
    assert!(err.contains("tuning.checkpoint.safetensors") && err.contains("another run"), "{err}");
}

/// Articles of three sentences from the tiny vocabulary, each summarised best by its sentence
/// about bonds.
fn salient() -> Vec<Salient> {
    let articles = [
        ["今天气很好", "青岛首单创新创业公司债券发行", "他说今天天气好"],
        ["我们今天很好", "天气好，他说很好", "首单公司债券发行"],
        ["青岛创新创业债券", "今天气很好", "他说今天天气好"],
        ["天气好，他说很好", "市北公司债券创新", "我们今天很好"],
    ];
    let targets = |s: &str| if s.contains("债券") { 0.6 } else { 0.2 };
    articles
        .iter()
        .map(|a| Salient {
            sentences: a.iter().map(|s| s.to_string()).collect(),
            targets: a.iter().map(|s| targets(s)).collect(),
        })
        .collect()
}

/// How far, on average, each article's best sentence lies closer to the centroid of its
/// sentences' vectors than its other sentences do, as the tuned layers embed them.
fn salience_margin(plain: &CandleEncoder, tuned: &Tuned, articles: &[Salient]) -> f32 {
    let mut margin = 0.0;
    for a in articles {
        let texts: Vec<&str> = a.sentences.iter().map(String::as_str).collect();
        let vectors = tuned.vectors(&lower_states(plain, &texts, 1, 128, &|_| {}).expect("states")).expect("vectors");
        let mut centroid = vec![0f32; vectors[0].len()];
        for v in &vectors {
            centroid.iter_mut().zip(v).for_each(|(c, x)| *c += x);
        }
        let cosines: Vec<f32> = vectors.iter().map(|v| v.iter().zip(&centroid).map(|(x, c)| x * c).sum()).collect();
        let norm = centroid.iter().map(|c| c * c).sum::<f32>().sqrt();
        let best = (0..cosines.len()).max_by(|&i, &j| a.targets[i].total_cmp(&a.targets[j])).expect("sentences");
        let others = cosines.iter().enumerate().filter(|(i, _)| *i != best).map(|(_, c)| c).sum::<f32>();
        margin += (cosines[best] - others / (cosines.len() - 1) as f32) / norm;
    }
    margin / articles.len() as f32
}

#[test]
fn the_salience_objective_pulls_the_sentences_that_summarise_best_towards_the_centroid() {
    let (dir, _, plain) = tiny_model();
    let articles = salient();
    let sections = Settings { layers: 1, epochs: 6, batch: 4, learning_rate: 3e-3, ..Settings::default() };
    let both = Settings { salience: 1.0, ..sections };
    let run = |settings: &Settings, checkpoint: Option<&Path>| {
        tune(&plain, &examples(), &articles, 2, settings, checkpoint, &|_| ControlFlow::Continue(())).expect("tunes")
    };
    let (alone, report) = run(&sections, None);
    assert_eq!(report.salient_articles, 0, "without its weight the objective reads nothing");
    let (tuned, report) = run(&both, None);
    assert_eq!(report.salient_articles, articles.len());
    let (before, after) = (salience_margin(&plain, &alone, &articles), salience_margin(&plain, &tuned, &articles));
    assert!(after > before + 0.05, "margin {before} tuned for the sections alone, {after} for salience too");

    // A run stopped mid-epoch resumes to the same layers, and a checkpoint is not resumed
    // for other salient articles.
    let checkpoint = dir.path("salient");
    let stopped = tune(&plain, &examples(), &articles, 2, &both, Some(&checkpoint), &|event| match event {
        Event::Step { done: 8, .. } => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    });
    assert!(matches!(stopped, Err(TrainError::Interrupted)));
    let fewer = &articles[..3];
    let other = tune(&plain, &examples(), fewer, 2, &both, Some(&checkpoint), &|_| ControlFlow::Continue(()));
    assert!(other.is_err_and(|e| e.to_string().contains("another run")));
    let (resumed, _) = run(&both, Some(&checkpoint));
    let (a, b) = (tuned.layer_tensors().expect("tensors"), resumed.layer_tensors().expect("tensors"));
    for (name, t) in &a {
        let diff = (t - &b[name]).and_then(|d| d.abs()?.max_all()?.to_scalar::<f32>()).expect("compared");
        assert_eq!(diff, 0.0, "{name} differs between the whole run and the resumed one");
    }
}
