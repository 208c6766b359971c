//! `synmap publish`: My Storage and Azure Blob hosting from the command line.
//!
//! Secrets come from the OS keyring, a prompt without echo, or an environment variable named
//! with an option (`--edit-key-env VAR`); never from an argument's value.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Subcommand};

use super::{EXIT_CONFLICT, EXIT_MAP_ERROR, EXIT_NETWORK, EXIT_USAGE};
use crate::fsutil::{is_read_only, write_atomic};
use crate::model::Map;
use crate::oneline::one_line;
use crate::storage::azure::{self, SasUrl};
use crate::storage::config::{Settings, StorageConfig};
use crate::storage::content::KeyCache;
use crate::storage::contract::{MapInfo, Region};
use crate::storage::credentials::{self, Account, KeyringError};
use crate::storage::mystorage::MyStorage;
use crate::storage::netlog::NetLog;
use crate::storage::publish::{FrontEnd, Publisher};
use crate::storage::setup::{self, ENVELOPE_WARNING};
use crate::storage::transport::{Progress, Transfer, Transport, TransportError, TransportOptions};
use crate::storage::{PublishError, Secret};
use crate::svg::{ExportOptions, import_file_with};

/// Options every publishing command takes.
#[derive(Debug, Args)]
pub struct Common {
    /// Send nothing (for this run), whatever the settings say.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Print the network log (one line per request, never a secret) when done.
    #[arg(long, global = true)]
    pub network_log: bool,
    /// Publish the map in its shortest form (the default), as `export` writes it.
    #[arg(long, global = true, overrides_with = "no_optimise")]
    pub optimise: bool,
    /// Publish every element and style as the map holds it.
    #[arg(long, global = true, overrides_with = "optimise")]
    pub no_optimise: bool,
}

impl Common {
    /// The export options maps are published with.
    fn export(&self) -> ExportOptions {
        ExportOptions { optimise: !self.no_optimise, ..ExportOptions::default() }
    }
}

/// `synmap publish …`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Options for every publishing command.
    #[command(flatten)]
    pub common: Common,
    /// Where to publish.
    #[command(subcommand)]
    pub target: Target,
}

/// A publishing destination, or the offline switch.
#[derive(Debug, Subcommand)]
pub enum Target {
    /// My Storage (the Synoptic Panel's own map storage).
    #[command(name = "mystorage")]
    MyStorage {
        /// The storage and its secrets.
        #[command(flatten)]
        storage: StorageArgs,
        /// What to do.
        #[command(subcommand)]
        command: StorageCommand,
    },
    /// Your own Azure Blob Storage container.
    Azure {
        /// What to do.
        #[command(subcommand)]
        command: AzureCommand,
    },
    /// Turn every network path off or on (kept in the settings).
    Offline {
        /// `on`, `off` or `status`.
        #[arg(value_parser = ["on", "off", "status"])]
        state: String,
    },
}

impl Target {
    /// True for a command that sends something over the network.
    fn sends(&self) -> bool {
        match self {
            Target::MyStorage { command, .. } => !matches!(command, StorageCommand::Forget),
            Target::Azure { command } => {
                matches!(command, AzureCommand::Upload { .. } | AzureCommand::Check { .. })
            }
            Target::Offline { .. } => false,
        }
    }
}

/// Which storage, and where its secrets come from.
#[derive(Debug, Args)]
pub struct StorageArgs {
    /// Storage id (needed when more than one is configured).
    #[arg(long, global = true)]
    pub storage: Option<String>,
    /// Read the Edit Key from this environment variable.
    #[arg(long, global = true, value_name = "VAR")]
    pub edit_key_env: Option<String>,
    /// Read the encryption passphrase from this environment variable.
    #[arg(long, global = true, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// Read a map's password from this environment variable.
    #[arg(long, global = true, value_name = "VAR")]
    pub map_password_env: Option<String>,
    /// Do not store secrets in the keyring (use them for this run only).
    #[arg(long, global = true)]
    pub no_remember: bool,
}

/// `synmap publish mystorage …`.
#[derive(Debug, Subcommand)]
pub enum StorageCommand {
    /// Configure a storage: asks for the Edit Key, checks it and stores it in the keyring.
    Configure {
        /// Region of the licence.
        #[arg(long, conflicts_with = "base_url", required_unless_present = "base_url")]
        region: Option<Region>,
        /// A custom base URL instead of a region.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Set up client-side encryption (once per storage): asks for the passphrase twice.
    SetupEncryption,
    /// Storage name, quota and encryption state.
    Info,
    /// List the stored maps.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Upload a map (SVG, SVGZ or JSVG) as a new map.
    Upload {
        /// The map file.
        map: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: Box<super::ImportArgs>,
        /// Map name (default: the file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Replace a stored map's content.
    Replace {
        /// Map id.
        id: String,
        /// The map file.
        map: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: Box<super::ImportArgs>,
        /// Replace only if the map still has this ETag.
        #[arg(long, required_unless_present = "force", conflicts_with = "force")]
        if_match: Option<String>,
        /// Replace whatever the map now holds (after reloading its ETag).
        #[arg(long)]
        force: bool,
        /// Replace even when areas of the stored map would be removed or renamed.
        #[arg(long)]
        accept_removed: bool,
    },
    /// Rename a stored map.
    Rename {
        /// Map id.
        id: String,
        /// New name.
        name: String,
    },
    /// Protect a map with a password (asked twice, or --map-password-env).
    Protect {
        /// Map id.
        id: String,
    },
    /// Remove a map's password protection.
    Unprotect {
        /// Map id.
        id: String,
    },
    /// Delete a stored map.
    Delete {
        /// Map id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Download a map (decrypted) to a JSVG file, or its SVG when FILE ends in .svg.
    Download {
        /// Map id.
        id: String,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write the URL the visual loads each map from, as CSV.
    Urls {
        /// Output CSV.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Remove this storage's Edit Key and passphrase from the keyring.
    Forget,
}

/// `synmap publish azure …`.
#[derive(Debug, Subcommand)]
pub enum AzureCommand {
    /// Configure a target: asks for the container SAS URL and stores it in the keyring.
    Configure {
        /// Your name for the target.
        name: String,
        /// Read the SAS URL from this environment variable.
        #[arg(long, value_name = "VAR")]
        sas_url_env: Option<String>,
        /// Do not store the SAS URL in the keyring.
        #[arg(long)]
        no_remember: bool,
    },
    /// Upload a map's Synoptic-ready SVG; prints the public URL for the visual.
    Upload {
        /// The map file.
        map: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: Box<super::ImportArgs>,
        /// The configured target.
        #[arg(long)]
        target: String,
        /// Blob name (default: the file name with .svg).
        #[arg(long)]
        blob: Option<String>,
        /// Read the SAS URL from this environment variable instead of the keyring.
        #[arg(long, value_name = "VAR")]
        sas_url_env: Option<String>,
    },
    /// Check that a public map URL serves what the visual needs.
    Check {
        /// The public map URL.
        url: String,
    },
    /// Remove a target's SAS URL from the keyring and the target from the settings.
    Forget {
        /// The target.
        name: String,
    },
}

/// Runs `synmap publish`; returns the exit status.
pub fn run(args: PublishArgs) -> u8 {
    let log = NetLog::default();
    let result = run_inner(args.target, &args.common, &log);
    if args.common.network_log {
        for entry in log.entries() {
            eprintln!("network: {}", one_line(&entry.to_string()));
        }
    }
    match result {
        Ok(()) => 0,
        Err(e) => {
            match e {
                // The storage's words say what to do; the command line says how.
                PublishError::Conflict { .. } => print_error(&format!("{e} (--force overwrites it)")),
                PublishError::IdsWouldVanish(_) => {
                    print_error(&format!("{e} (--accept-removed replaces it anyway)"))
                }
                _ => print_error(&e),
            }
            exit_status(&e)
        }
    }
}

/// The exit status of a failed publishing command (the README's table).
pub fn exit_status(e: &PublishError) -> u8 {
    match e {
        PublishError::Conflict { .. } | PublishError::IdsWouldVanish(_) => EXIT_CONFLICT,
        PublishError::Api { code, .. } if code == "EtagMismatch" => EXIT_CONFLICT,
        PublishError::Write { source, .. } if is_read_only(source) => EXIT_CONFLICT,
        PublishError::Api { code, .. }
            if matches!(
                code.as_str(),
                "FileSizeExceeded" | "InvalidJsvg" | "QuotaExceeded" | "InvalidFileType"
            ) =>
        {
            EXIT_MAP_ERROR
        }
        PublishError::TooLarge { .. }
        | PublishError::Quota { .. }
        | PublishError::InvalidJsvg(_)
        | PublishError::HostingCheckFailed
        | PublishError::Local(_)
        | PublishError::Write { .. } => EXIT_MAP_ERROR,
        PublishError::Usage(_) => EXIT_USAGE,
        PublishError::Transport(_)
        | PublishError::Api { .. }
        | PublishError::Crypto(_)
        | PublishError::Keyring(_)
        | PublishError::BadAnswer(_) => EXIT_NETWORK,
    }
}

/// Prints an error on one line of standard error: server and system texts may hold line breaks.
fn print_error(e: &dyn std::fmt::Display) {
    eprintln!("synmap: {}", one_line(&e.to_string()));
}

fn run_inner(target: Target, common: &Common, log: &NetLog) -> Result<(), PublishError> {
    let mut settings = Settings::load()?;
    let offline = settings.offline || common.offline;
    // Before anything else, the keyring included: nothing is asked for that cannot be sent.
    if offline && target.sends() {
        return Err(TransportError::Offline.into());
    }
    let transport =
        || Transport::new(TransportOptions { offline, ..TransportOptions::default() }, log.clone());
    match target {
        Target::Offline { state } => {
            if state != "status" {
                settings.offline = state == "on";
                settings.save()?;
            }
            println!("offline mode is {}", if settings.offline { "on: nothing is sent" } else { "off" });
            Ok(())
        }
        Target::MyStorage { storage, command } => {
            let transport = transport();
            Session { settings, transport, args: storage, export: common.export() }.run(command)
        }
        Target::Azure { command } => {
            let transport = transport();
            run_azure(&mut settings, &transport, command, &common.export())
        }
    }
}

/// One My Storage command's state.
struct Session {
    settings: Settings,
    transport: Transport,
    args: StorageArgs,
    /// How maps are exported for publishing.
    export: ExportOptions,
}

impl Session {
    fn run(mut self, command: StorageCommand) -> Result<(), PublishError> {
        if let StorageCommand::Configure { region, base_url } = command {
            return self.configure(region, base_url);
        }
        let config = configured(&self.settings, self.args.storage.as_deref())?.clone();
        if let StorageCommand::Forget = command {
            for account in [Account::EditKey(config.id.clone()), Account::Passphrase(config.id.clone())] {
                keyring_ready()?;
                if credentials::forget(&account)? {
                    println!("removed the {} of {} from the keyring", account.describe(), config.id);
                }
            }
            return Ok(());
        }
        let edit_key = self.args.secret(
            &Account::EditKey(config.id.clone()),
            self.args.edit_key_env.as_deref(),
            false,
        )?;
        let mut publisher =
            Publisher::new(self.transport.clone(), config.clone(), edit_key, KeyCache::default())?;
        publisher.set_export(self.export.clone());
        let result = match command {
            StorageCommand::SetupEncryption => self.setup_encryption(publisher.client(), config.clone()),
            command => {
                let mut terminal = Terminal { args: &self.args, storage: &config.id };
                storage_command(&mut publisher, &mut terminal, command)
            }
        };
        // What the workflow learnt (key parameters pinned, the envelope notice shown) is kept even
        // when the command failed afterwards.
        let kept = if publisher.config() != &config {
            self.settings.upsert_storage(publisher.config().clone());
            self.settings.save()
        } else {
            Ok(())
        };
        result.and(kept)
    }

    fn configure(&mut self, region: Option<Region>, base_url: Option<String>) -> Result<(), PublishError> {
        let id =
            self.args.storage.clone().ok_or_else(|| {
                PublishError::Usage("--storage <id> is required to configure a storage".into())
            })?;
        let base_url = base_url.unwrap_or_else(|| region.unwrap_or(Region::Eu).base_url().to_string());
        let edit_key = match &self.args.edit_key_env {
            Some(var) => from_env(var, "Edit Key")?,
            None => prompt("Edit Key")?,
        };
        let info = setup::add_storage(&mut self.settings, &self.transport, &id, &base_url, edit_key.clone())?;
        self.settings.save()?;
        println!("storage {} \"{}\" configured", info.id, one_line(&info.name));
        self.args.remember(&Account::EditKey(id), &edit_key);
        Ok(())
    }

    fn setup_encryption(
        &mut self,
        client: &MyStorage,
        mut config: StorageConfig,
    ) -> Result<(), PublishError> {
        let passphrase = match &self.args.passphrase_env {
            Some(var) => from_env(var, "passphrase")?,
            None => prompt_twice("Encryption passphrase")?,
        };
        setup::setup_encryption(client, &mut config, &passphrase)?;
        self.settings.upsert_storage(config.clone());
        self.settings.save()?;
        println!("encryption is set up for storage {}", config.id);
        eprintln!("{ENVELOPE_WARNING}");
        self.args.remember(&Account::Passphrase(config.id), &passphrase);
        Ok(())
    }
}

/// Runs a command of the publishing workflow and says what it did.
fn storage_command(
    publisher: &mut Publisher,
    terminal: &mut Terminal,
    command: StorageCommand,
) -> Result<(), PublishError> {
    match command {
        StorageCommand::Configure { .. } | StorageCommand::Forget | StorageCommand::SetupEncryption => {
            unreachable!("handled by Session::run")
        }
        StorageCommand::Info => {
            let info = publisher.info()?;
            println!("storage {} \"{}\" (region {})", info.id, one_line(&info.name), info.region);
            println!(
                "quota: {} of {} bytes used, {} free",
                info.quota.used,
                info.quota.limit,
                info.quota.remaining()
            );
            println!(
                "encryption: {}",
                if info.encryption.is_some() { "on (synmap envelopes)" } else { "off" }
            );
        }
        StorageCommand::List { json } => {
            let maps = publisher.list()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&maps).expect("map list serialises"));
            } else {
                for m in &maps {
                    let flags = [(m.protected, "protected"), (m.encrypted, "encrypted")]
                        .iter()
                        .filter(|f| f.0)
                        .map(|f| f.1)
                        .collect::<Vec<_>>()
                        .join(", ");
                    println!(
                        "{}  {:>9} B  {}  {}  {}",
                        m.id,
                        m.size,
                        m.updated,
                        one_line(&m.etag),
                        one_line(&m.name)
                    );
                    if !flags.is_empty() {
                        println!("    ({flags})");
                    }
                }
            }
        }
        StorageCommand::Upload { map, import: how, name } => {
            let name = name.unwrap_or_else(|| file_stem(&map));
            let map = import(&map, &how)?;
            let uploaded = publisher.upload(terminal, &map, &name, &progress_transfer("uploading"))?;
            let created = &uploaded.map;
            println!(
                "created map {} \"{}\" {}",
                created.id,
                one_line(&created.name),
                one_line(&created.etag)
            );
            println!("{}", uploaded.url);
        }
        StorageCommand::Replace { id, map, import: how, if_match, force: _, accept_removed } => {
            let map = import(&map, &how)?;
            let transfer = progress_transfer("uploading");
            let (updated, changes) =
                publisher.replace(terminal, &id, if_match.as_deref(), &map, accept_removed, &transfer)?;
            // What changed against the stored map, said before the new ETag.
            print!("{}", crate::cli::human_diff(&changes));
            println!(
                "replaced map {} \"{}\" {}",
                updated.id,
                one_line(&updated.name),
                one_line(&updated.etag)
            );
        }
        StorageCommand::Rename { id, name } => {
            let current = publisher.find(&id)?;
            let updated = publisher.rename(terminal, &current, &name)?;
            println!(
                "renamed map {} to \"{}\" {}",
                updated.id,
                one_line(&updated.name),
                one_line(&updated.etag)
            );
        }
        StorageCommand::Protect { id } => {
            let current = publisher.find(&id)?;
            let updated = publisher.protect(terminal, &current)?;
            println!("protected map {} {}", updated.id, updated.etag);
        }
        StorageCommand::Unprotect { id } => {
            let current = publisher.find(&id)?;
            let updated = publisher.unprotect(terminal, &current)?;
            println!("unprotected map {} {}", updated.id, updated.etag);
        }
        StorageCommand::Delete { id, yes } => {
            let current = publisher.find(&id)?;
            if !yes
                && !confirm(&format!(
                    "Delete map \"{}\" ({})? This cannot be undone.",
                    current.name, current.id
                ))?
            {
                return Err(PublishError::Usage("not deleted".into()));
            }
            publisher.delete(terminal, &current)?;
            println!("deleted map {} \"{}\"", current.id, one_line(&current.name));
        }
        StorageCommand::Download { id, output } => {
            let downloaded = publisher.download(terminal, &id, &progress_transfer("downloading"))?;
            let bytes = if output.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
                downloaded.fields.map.as_bytes()
            } else {
                &downloaded.jsvg
            };
            write_atomic(&output, bytes).map_err(|e| PublishError::write(&output, e))?;
            // The decrypted map's own name makes a swapped envelope visible.
            println!(
                "downloaded \"{}\" to {} ({} bytes)",
                one_line(&downloaded.fields.name),
                output.display(),
                bytes.len()
            );
        }
        StorageCommand::Urls { output } => {
            let urls = publisher.urls()?;
            write_atomic(&output, urls.csv.as_bytes()).map_err(|e| PublishError::write(&output, e))?;
            println!("wrote {} map URL(s) to {}", urls.count, output.display());
        }
    }
    Ok(())
}

impl StorageArgs {
    /// A secret from the environment variable `env` names, the keyring, or a prompt (then
    /// offered to the keyring when `remember`).
    fn secret(&self, account: &Account, env: Option<&str>, remember: bool) -> Result<Secret, PublishError> {
        if let Some(var) = env {
            return from_env(var, account.describe());
        }
        match keyring_ready().and_then(|()| credentials::get(account)) {
            Ok(Some(s)) => return Ok(s),
            Ok(None) => {}
            Err(e) => print_error(&e),
        }
        let s = prompt(account.describe())?;
        if remember {
            self.remember(account, &s);
        }
        Ok(s)
    }

    /// Stores a secret in the keyring, unless `--no-remember`; says why when the keyring
    /// cannot take it.
    fn remember(&self, account: &Account, secret: &Secret) {
        if self.no_remember {
            return;
        }
        match keyring_ready().and_then(|()| credentials::set(account, secret)) {
            Ok(()) => println!("the {} is stored in the OS keyring", account.describe()),
            Err(e) => print_error(&e),
        }
    }
}

/// The command line as the workflow's front end: secrets from the environment variable an
/// option names, the keyring or a prompt; notices on standard error.
struct Terminal<'a> {
    args: &'a StorageArgs,
    storage: &'a str,
}

impl FrontEnd for Terminal<'_> {
    fn passphrase(&mut self) -> Result<Secret, PublishError> {
        let account = Account::Passphrase(self.storage.to_string());
        self.args.secret(&account, self.args.passphrase_env.as_deref(), true)
    }

    fn map_password(&mut self, map: &MapInfo) -> Result<Option<Secret>, PublishError> {
        Ok(Some(match &self.args.map_password_env {
            Some(var) => from_env(var, "map password")?,
            None => prompt(&format!("Password of map \"{}\"", map.name))?,
        }))
    }

    fn new_map_password(&mut self, _map: &MapInfo) -> Result<Secret, PublishError> {
        match &self.args.map_password_env {
            Some(var) => from_env(var, "map password"),
            None => prompt_twice("New map password"),
        }
    }

    fn envelope_notice(&mut self) {
        eprintln!("{ENVELOPE_WARNING}");
    }
}

fn run_azure(
    settings: &mut Settings,
    transport: &Transport,
    command: AzureCommand,
    export: &ExportOptions,
) -> Result<(), PublishError> {
    match command {
        AzureCommand::Configure { name, sas_url_env, no_remember } => {
            let secret = match sas_url_env {
                Some(var) => from_env(&var, "SAS URL")?,
                None => prompt("Container SAS URL")?,
            };
            let target = setup::add_azure_target(settings, &name, &secret)?;
            settings.save()?;
            println!("target \"{}\" configured for {}", target.name, target.container_url);
            if !no_remember {
                match keyring_ready().and_then(|()| credentials::set(&Account::SasUrl(target.name), &secret))
                {
                    Ok(()) => println!("the SAS URL is stored in the OS keyring"),
                    Err(e) => print_error(&e),
                }
            }
            Ok(())
        }
        AzureCommand::Upload { map, import: how, target, blob, sas_url_env } => {
            if !settings.azure.iter().any(|t| t.name == target) && sas_url_env.is_none() {
                return Err(PublishError::Usage(format!(
                    "target \"{target}\" is not configured: run `synmap publish azure configure {target}`"
                )));
            }
            let secret = match sas_url_env {
                Some(var) => from_env(&var, "SAS URL")?,
                None => {
                    keyring_ready()?;
                    match credentials::get(&Account::SasUrl(target.clone()))? {
                        Some(s) => s,
                        None => prompt("Container SAS URL")?,
                    }
                }
            };
            let sas = SasUrl::parse(&secret)?;
            let blob = blob.unwrap_or_else(|| format!("{}.svg", file_stem(&map)));
            let map = import(&map, &how)?;
            let url =
                azure::upload_map(transport, &sas, &blob, &map, export, &progress_transfer("uploading"))?;
            println!("{url}");
            Ok(())
        }
        AzureCommand::Check { url } => {
            let report = azure::check_hosting(transport, &url)?;
            println!("{}", report.url);
            println!("  HTTPS: {}", if report.https { "yes" } else { "no" });
            println!("  status: {}", report.status.map_or("not fetched".into(), |s| s.to_string()));
            println!("  content type: {}", report.content_type.as_deref().unwrap_or("-"));
            println!("  CORS for {}: {}", azure::POWER_BI_ORIGIN, report.cors.as_deref().unwrap_or("none"));
            for p in &report.problems {
                println!("  problem: {p}");
            }
            if report.ok() {
                println!("  the visual can load this map");
                Ok(())
            } else {
                Err(PublishError::HostingCheckFailed)
            }
        }
        AzureCommand::Forget { name } => {
            keyring_ready()?;
            let had = credentials::forget(&Account::SasUrl(name.clone()))?;
            settings.azure.retain(|t| t.name != name);
            settings.save()?;
            println!(
                "target \"{name}\" forgotten{}",
                if had { " (SAS URL removed from the keyring)" } else { "" }
            );
            Ok(())
        }
    }
}

/// The configured storage with this id, or the only one when `id` is `None`.
fn configured<'a>(settings: &'a Settings, id: Option<&str>) -> Result<&'a StorageConfig, PublishError> {
    match id {
        Some(id) => settings.storages.iter().find(|s| s.id == id).ok_or_else(|| {
            PublishError::Usage(format!("storage {id} is not configured: run `synmap publish mystorage configure`"))
        }),
        None => match settings.storages.as_slice() {
            [only] => Ok(only),
            [] => Err(PublishError::Usage(
                "no storage is configured: run `synmap publish mystorage configure --region eu --storage <id>`"
                    .into(),
            )),
            _ => Err(PublishError::Usage("several storages are configured: choose one with --storage".into())),
        },
    }
}

fn keyring_ready() -> Result<(), KeyringError> {
    credentials::use_platform_store()
}

/// The map in a file (SVG, SVGZ, JSVG, or converted from DXF, GeoJSON or TopoJSON).
fn import(path: &Path, how: &super::ImportArgs) -> Result<Map, PublishError> {
    import_file_with(path, &how.read_only_options())
        .map(|i| i.map)
        .map_err(|e| PublishError::Local(format!("{}: {e}", path.display())))
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "map".into(), |s| s.to_string_lossy().into_owned())
}

fn from_env(var: &str, what: &str) -> Result<Secret, PublishError> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
        _ => Err(PublishError::Usage(format!("the environment variable {var} (for the {what}) is not set"))),
    }
}

fn prompt(what: &str) -> Result<Secret, PublishError> {
    if !std::io::stdin().is_terminal() {
        return Err(PublishError::Usage(format!(
            "the {what} is needed and there is no terminal to ask on: store it with `configure`, or name an \
             environment variable with the matching --…-env option"
        )));
    }
    let value = rpassword::prompt_password(format!("{what}: "))
        .map_err(|e| PublishError::Local(format!("cannot read the {what}: {e}")))?;
    Ok(Secret::new(value))
}

fn prompt_twice(what: &str) -> Result<Secret, PublishError> {
    let first = prompt(what)?;
    setup::confirmed(first, &prompt(&format!("{what} (again)"))?)
}

fn confirm(question: &str) -> Result<bool, PublishError> {
    if !std::io::stdin().is_terminal() {
        return Err(PublishError::Usage("confirmation needed: run it in a terminal or add --yes".into()));
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(|e| PublishError::Local(e.to_string()))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// A transfer that shows a percentage on a terminal.
fn progress_transfer(verb: &'static str) -> Transfer {
    let progress: Option<Progress> = std::io::stderr().is_terminal().then(|| {
        let p: Progress = Arc::new(move |done, total| {
            if let Some(percent) = (done * 100).checked_div(total) {
                eprint!("\r{verb} {percent}%");
                if done >= total {
                    eprintln!();
                }
            }
        });
        p
    });
    Transfer { progress, ..Transfer::default() }
}
