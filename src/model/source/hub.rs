//! Models from the Hugging Face Hub, through the `hf-hub` crate and the cache it shares with
//! Python tools (`$HF_HOME/hub`, else `~/.cache/huggingface/hub`). `HF_ENDPOINT` picks the
//! server; `HF_HUB_OFFLINE=1` or `--offline` keeps jianbao to what is cached.

use std::path::PathBuf;

use hf_hub::{Cache, Repo, RepoType};

use super::spec::ModelDir;
use crate::model::{ModelError, Phase};

const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

fn fail(message: impl Into<String>) -> ModelError {
    ModelError::new(Phase::Fetch, message)
}

fn offline_from_env() -> bool {
    std::env::var("HF_HUB_OFFLINE").is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "TRUE" | "yes" | "on"))
}

/// Finds `repo` at `revision` (default `main`) in the cache, downloading what is missing
/// unless offline.
pub fn resolve(repo: &str, revision: Option<&str>, offline: bool) -> Result<ModelDir, ModelError> {
    let revision = revision.unwrap_or("main");
    let hub_repo = Repo::with_revision(repo.to_owned(), RepoType::Model, revision.to_owned());
    let cache = Cache::from_env();
    let offline = offline || offline_from_env();
    let mut paths = Vec::new();
    for file in FILES {
        let cached = cached_file(&cache, &hub_repo, revision, file);
        let path = match cached {
            Some(path) => path,
            None if offline => {
                if file == "model.safetensors"
                    && cached_file(&cache, &hub_repo, revision, "pytorch_model.bin").is_some()
                {
                    return Err(fail(format!(
                        "hf:{repo}@{revision} has only pytorch_model.bin in the cache; jianbao reads safetensors only"
                    )));
                }
                return Err(fail(format!(
                    "hf:{repo}@{revision}: {file} is not in the Hugging Face cache ({}) and fetching is off (--offline or HF_HUB_OFFLINE)",
                    cache.path().display()
                )));
            }
            None => download(&hub_repo, file)?,
        };
        paths.push(path);
    }
    let id = format!("hf:{repo}@{revision}");
    // The e5 family (intfloat/e5-*, intfloat/multilingual-e5-*) is trained with prompts.
    let name = repo.rsplit('/').next().unwrap_or(repo);
    let e5_prompts = name.starts_with("e5-") || name.contains("-e5-");
    Ok(ModelDir { id, config: paths[0].clone(), tokenizer: paths[1].clone(), weights: paths[2].clone(), e5_prompts })
}

/// The cached file for a branch or tag (through `refs/`), or for a commit hash (directly in
/// `snapshots/`), as the Hub's cache lays them out.
fn cached_file(cache: &Cache, repo: &Repo, revision: &str, file: &str) -> Option<PathBuf> {
    if let Some(path) = cache.repo(repo.clone()).get(file) {
        return Some(path);
    }
    let is_commit = revision.len() == 40 && revision.chars().all(|c| c.is_ascii_hexdigit());
    let path = cache.path().join(repo.folder_name()).join("snapshots").join(revision).join(file);
    (is_commit && path.exists()).then_some(path)
}

fn download(repo: &Repo, file: &str) -> Result<PathBuf, ModelError> {
    let api = hf_hub::api::sync::ApiBuilder::from_env()
        .with_progress(true)
        .build()
        .map_err(|e| fail(format!("cannot reach the Hugging Face Hub: {e}")))?;
    api.repo(repo.clone()).get(file).map_err(|e| {
        fail(format!(
            "cannot download {file} of {} from the Hugging Face Hub ({e}); set HF_ENDPOINT to a mirror, or use --model DIR",
            repo.url()
        ))
    })
}
