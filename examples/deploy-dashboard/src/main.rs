//! Deploys the project's Grafana dashboard to an existing Grafana through
//! its HTTP API, as the rollout plan's deployment step does: connectivity
//! confirmed, dashboard deployed, dashboard verified, URL printed.
//!
//! Run with
//! ```not_rust
//! scripts/deploy-dashboard.sh staging [--folder-uid UID] [--dry-run]
//! cargo run --release -p time-crunch-deploy-dashboard -- [ENV] [--dashboard FILE] [--folder-uid UID]
//!     [--message TEXT] [--no-overwrite] [--timeout SECONDS] [--dry-run]
//! ```
//! The Grafana URL and API key come from the environment, per profile
//! (`GRAFANA_URL_STAGING`, then `GRAFANA_URL`; see `profile.rs`), so the key
//! stays out of the process list. Exit status: 0 deployed and verified (or
//! the dry run printed), 2 bad command line, environment or dashboard file,
//! 3 Grafana unreachable (refused, timed out), 4 Grafana refused (401, 403,
//! unknown folder, 412, 5xx, redirect, database failing), 5 an answer that
//! is not Grafana's documented JSON, 6 the dashboard read back differs.

mod dashboard;
mod error;
mod grafana;
mod profile;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::dashboard::Dashboard;
use crate::error::DeployError;
use crate::grafana::{Grafana, BY_UID_PATH, HEALTH_PATH, SAVE_PATH};

/// The dashboard of the checkout this program was built from.
const DEFAULT_DASHBOARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../dashboards/time-crunch.json");

/// Deploy dashboards/time-crunch.json to Grafana through its HTTP API, verify it, print its URL.
#[derive(Parser, Debug)]
#[command(name = "deploy-dashboard", version)]
struct Args {
    /// The environment's profile: `staging` reads GRAFANA_URL_STAGING, GRAFANA_API_KEY_STAGING and
    /// GRAFANA_FOLDER_UID_STAGING, each falling back to the name without the suffix.
    env: Option<String>,
    /// The dashboard file to deploy.
    #[arg(long, default_value = DEFAULT_DASHBOARD)]
    dashboard: PathBuf,
    /// The uid of the Grafana folder to deploy into (else GRAFANA_FOLDER_UID[_ENV], else the General folder).
    #[arg(long)]
    folder_uid: Option<String>,
    /// The version-history message Grafana records with this save.
    #[arg(long, default_value = "Deployed by time-crunch deploy-dashboard")]
    message: String,
    /// Refuse to replace a dashboard someone changed in Grafana since (Grafana answers 412).
    #[arg(long)]
    no_overwrite: bool,
    /// Seconds each request may take, connecting included.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    timeout: u64,
    /// Print the requests that would be sent and send nothing.
    #[arg(long)]
    dry_run: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("deploy-dashboard: {error}");
            ExitCode::from(error.exit_status())
        }
    }
}

fn run(args: &Args) -> Result<(), DeployError> {
    let profile = profile::resolve(args.env.as_deref(), args.folder_uid.as_deref(), |name| std::env::var(name).ok())?;
    let dashboard = Dashboard::read(&args.dashboard)?;
    let folder_uid = profile.folder_uid.clone();
    let body = dashboard.save_request(folder_uid.as_deref(), !args.no_overwrite, &args.message);
    // TLS to an operator's HTTPS Grafana: rustls with ring, installed once for the process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (key_var, key_len) = (profile.api_key_var.clone(), profile.api_key.chars().count());
    let grafana = Grafana::new(profile, Duration::from_secs(args.timeout))?;

    if args.dry_run {
        println!("dry run: nothing is sent; these are the requests a deployment makes, in order");
        println!("GET {}", grafana.endpoint(HEALTH_PATH));
        println!("POST {}", grafana.endpoint(SAVE_PATH));
        println!("Authorization: Bearer <{key_var}, {key_len} characters>");
        println!("Content-Type: application/json");
        println!("{}", serde_json::to_string_pretty(&body).expect("a JSON value serializes"));
        println!(
            "GET {}{} (then its {} panels compared with the file's)",
            grafana.endpoint(BY_UID_PATH),
            dashboard.uid,
            dashboard.panels().len()
        );
        return Ok(());
    }

    let health = grafana.health()?;
    println!(
        "connectivity confirmed: Grafana {} at {} (database {})",
        health.version,
        grafana.endpoint(""),
        health.database
    );
    let saved = grafana.save(&body)?;
    let folder = folder_uid.as_deref().map_or("the General folder".to_string(), |uid| format!("folder {uid}"));
    println!("dashboard deployed: {:?} (uid {}) version {} in {folder}", dashboard.title, saved.uid, saved.version);
    let stored = grafana.read(&saved.uid)?;
    let compared = verify::verify(&dashboard, folder_uid.as_deref(), &saved, &stored)?;
    println!("dashboard verified: {compared} panels came back with the same ids, titles, types and queries");
    println!("dashboard URL: {}", grafana.page(&saved.url)?);
    Ok(())
}
