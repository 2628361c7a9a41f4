//! `flui-sandbox`: run the local Flui API (and optionally serve the dashboard).

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use flui_sandbox::{ApiGeneration, AuthMethod, AuthMode, SandboxOptions, demo};

#[derive(Parser)]
#[command(about = "A local Flui API with the same contract as Flui, persistent in SQLite")]
struct Args {
    /// Port to listen on (127.0.0.1).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// SQLite database; the encryption key is kept beside it.
    #[arg(long, default_value = ".sandbox/flui-sandbox.db")]
    db: PathBuf,
    /// Do not seed demo users and the demo GitHub integration.
    #[arg(long)]
    no_demo: bool,
    /// How the demo instance connects GitHub: a GitHub App, or each user's personal
    /// access token.
    #[arg(long, value_enum, default_value_t = Method::GithubApp)]
    auth_method: Method,
    /// Serve the built dashboard from this folder too (SPA fallback).
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Behave as the older API generation (no `imageRegistry` / `needed`).
    #[arg(long)]
    older_api: bool,
    /// The instance keeps images in its own registry (GHCR token not needed).
    #[arg(long)]
    own_registry: bool,
    /// Port of the simulated GitHub.
    #[arg(long, default_value_t = 8788)]
    github_port: u16,
    /// Repositories seeded per GitHub account (for scale tests).
    #[arg(long, default_value_t = 4)]
    repos: usize,
    /// List every repository an installation reaches, not Flui's first 100 (scale).
    #[arg(long)]
    every_repository: bool,
    /// Sign users in with this OpenID Provider (AUTH_MODE=oidc), e.g. the one
    /// `sandbox/oidc/provider.mjs` runs.
    #[arg(long)]
    oidc_issuer: Option<String>,
    /// Send installation ids as JSON numbers rather than strings.
    #[arg(long)]
    numeric_installation_ids: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Method {
    GithubApp,
    Pat,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let options = SandboxOptions {
        port: args.port,
        db_path: args.db,
        demo: !args.no_demo,
        auth_method: match args.auth_method {
            Method::GithubApp => AuthMethod::GithubApp,
            Method::Pat => AuthMethod::Pat,
        },
        dist: args.dist.clone(),
        generation: if args.older_api {
            ApiGeneration::Older
        } else {
            ApiGeneration::Newer
        },
        image_registry: if args.own_registry {
            "flui".into()
        } else {
            "ghcr".into()
        },
        github_port: args.github_port,
        repos_per_account: args.repos,
        every_repository: args.every_repository,
        numeric_installation_ids: args.numeric_installation_ids,
        auth_mode: if args.oidc_issuer.is_some() {
            AuthMode::Oidc
        } else {
            AuthMode::Local
        },
        oidc_issuer: args.oidc_issuer.clone(),
        ..SandboxOptions::default()
    };
    let sandbox = flui_sandbox::start(options).await?;
    println!("Flui sandbox API: {}/api/v1", sandbox.url());
    println!("Simulated GitHub: {}/", sandbox.github_url());
    if args.dist.is_some() {
        println!("Dashboard:        {}/", sandbox.url());
    }
    if !args.no_demo {
        println!("Demo sign-ins:");
        for a in [demo::ADMIN, demo::USER] {
            println!(
                "  {:<6} {}  /  {}",
                if a.role == "admin" { "admin" } else { "user" },
                a.email,
                a.password
            );
        }
    }
    tokio::signal::ctrl_c().await?;
    println!("Stopping the sandbox.");
    sandbox.stop().await;
    Ok(())
}
