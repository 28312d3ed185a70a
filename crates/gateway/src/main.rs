//! `chairside-gateway`: serve (the office server), demo (the sandbox behind a gateway, for
//! trying Chairside on one machine), user (staff accounts), audit (who looked at what).

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use chairside_gateway::accounts::Accounts;
use chairside_gateway::audit::{self, AuditFilter};
use chairside_gateway::config::{EndpointConfig, EndpointKind};
use chairside_gateway::db::Db;
use chairside_gateway::{Config, Gateway, Keys, Options};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "chairside-gateway",
    version,
    about = "Keeps Open Dental's keys on the office server: serves Chairside, signs staff in, forwards the API"
)]
struct Cli {
    /// The configuration file (see gateway.example.toml).
    #[arg(long, global = true, env = "CHAIRSIDE_GATEWAY_CONFIG")]
    config: Option<PathBuf>,
    /// The data folder (staff accounts, audit log), instead of the configuration's data_dir.
    #[arg(long, global = true, env = "CHAIRSIDE_GATEWAY_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Chairside and the API as the configuration says.
    Serve,
    /// The demo practice: the sandbox as Open Dental, behind a gateway, with a demo account.
    Demo(DemoArgs),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Read the audit log, newest last.
    Audit {
        /// Only this user's requests.
        #[arg(long)]
        user: Option<String>,
        /// Only requests about this patient (PatNum).
        #[arg(long)]
        patient: Option<i64>,
        /// Only requests since this UTC date or time ("2026-11-22" or "2026-11-22 08:00:00").
        #[arg(long)]
        since: Option<String>,
        /// At most this many rows (the newest).
        #[arg(long, default_value_t = 200)]
        limit: u32,
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account (asks for the password twice).
    Add {
        name: String,
        /// Read the password from standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (signs the user out everywhere on the next start).
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove an account.
    Remove { name: String },
    /// List the accounts.
    List,
}

#[derive(clap::Args)]
struct DemoArgs {
    /// The sandbox's settings; its port and address are where Chairside is served, its data
    /// folder holds sandbox/, gateway/ and sftp/.
    #[command(flatten)]
    sandbox: chairside_sandbox::Config,
    /// Throttle the sandbox like Remote (one request per interval, shared fairly), to see the
    /// queue at work.
    #[arg(long)]
    remote_throttle_ms: Option<u64>,
    /// Minutes without activity before staff are signed out.
    #[arg(long, default_value_t = 15)]
    idle_minutes: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve => serve(cli.config).await,
        Command::Demo(args) => demo(args).await,
        Command::User(command) => data_dir(&cli.config, &cli.data_dir).and_then(|dir| user(&dir, command)),
        Command::Audit {
            user,
            patient,
            since,
            limit,
            json,
        } => data_dir(&cli.config, &cli.data_dir).and_then(|dir| {
            let filter = AuditFilter {
                user,
                pat_num: patient,
                since,
                limit: Some(limit),
            };
            print_audit(&dir, &filter, json)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chairside-gateway: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(path: &Option<PathBuf>) -> Result<Config, String> {
    let path = path
        .clone()
        .ok_or("give the configuration file with --config (see gateway.example.toml)")?;
    Config::load(&path)
}

fn data_dir(config: &Option<PathBuf>, data_dir: &Option<PathBuf>) -> Result<PathBuf, String> {
    match data_dir {
        Some(dir) => Ok(dir.clone()),
        None => load_config(config).map(|c| c.data_dir),
    }
}

fn keys_for(config: &Config) -> Result<Keys, String> {
    match &config.key_file {
        Some(file) => Keys::from_file(file),
        None => Keys::from_env().unwrap_or_else(|| {
            Err(
                "no Open Dental keys: set key_file in the configuration, or CHAIRSIDE_DEVELOPER_KEY and \
                 CHAIRSIDE_CUSTOMER_KEY"
                    .into(),
            )
        }),
    }
}

async fn serve(config_path: Option<PathBuf>) -> Result<(), String> {
    let config = load_config(&config_path)?;
    let keys = keys_for(&config)?;
    let gateway = Gateway::start(
        config,
        keys,
        Options {
            in_memory: false,
            capture_log: false,
        },
    )
    .await?;
    if gateway.state.accounts.is_empty()? {
        eprintln!("chairside-gateway: there are no staff accounts yet: create one with `chairside-gateway user add <name> --config <file>`");
    }
    println!("Chairside gateway: {}/", gateway.url());
    chairside_sandbox::stop_signal().await;
    gateway.shutdown().await;
    Ok(())
}

async fn demo(args: DemoArgs) -> Result<(), String> {
    let DemoArgs {
        sandbox: outer,
        remote_throttle_ms,
        idle_minutes,
    } = args;
    let root = outer.data_dir.clone();
    let mut upstream = outer.clone();
    upstream.port = 0;
    upstream.bind = [127, 0, 0, 1].into();
    upstream.app_dir = None;
    upstream.data_dir = root.join("sandbox");
    let sandbox = chairside_sandbox::Sandbox::start(upstream)
        .await
        .map_err(|e| format!("the sandbox did not start: {e}"))?;
    let sftp_root = if outer.memory {
        std::env::temp_dir().join(format!("chairside-demo-sftp-{}", std::process::id()))
    } else {
        root.join("sftp")
    };
    let (_sftp, sftp_line) = chairside_sandbox::demo_sftp::start(&sftp_root)
        .await
        .map_err(|e| format!("the demo SFTP site did not start: {e}"))?;

    let mut config = Config::from_toml(&format!(
        "[[endpoints]]\nkind = \"sandbox\"\nurl = \"{}\"\nlabel = \"Sandbox (demo practice)\"\n",
        sandbox.api_url()
    ))?;
    config.listen = (outer.bind, outer.port).into();
    config.data_dir = root.join("gateway");
    config.app_dir = outer.app_dir.clone().unwrap_or_else(|| PathBuf::from("dist"));
    config.sessions.idle_minutes = idle_minutes;
    // The gateway's own SFTP site on loopback, where the sandbox writes files for staff to see.
    config.sftp = Some(chairside_gateway::files_site::SftpSiteConfig {
        listen: "127.0.0.1:0".parse().expect("an address"),
        address: None,
    });
    if let Some(ms) = remote_throttle_ms {
        config.throttle.interval_ms = ms;
        config.endpoints = vec![EndpointConfig {
            kind: EndpointKind::Sandbox,
            url: sandbox.api_url(),
            label: Some("Sandbox (demo practice, throttled like Remote)".into()),
            throttled: Some(true),
        }];
    }
    let keys = Keys::new(&outer.developer_key, &outer.customer_key)?;
    let gateway = Gateway::start(
        config,
        keys,
        Options {
            in_memory: outer.memory,
            capture_log: false,
        },
    )
    .await?;
    // A fresh demo password on every start: nobody's old copy of it keeps working.
    let password = chairside_sftp_server::random_password().map_err(|e| e.to_string())?;
    let accounts = &gateway.state.accounts;
    accounts
        .set_password("demo", &password)
        .or_else(|_| accounts.add("demo", &password))?;
    println!(
        "Chairside: {}/ (sign in as demo, password {password}). Open Dental is the sandbox at {} behind the gateway; \
         the keys stay in the gateway.",
        gateway.url(),
        sandbox.api_url()
    );
    println!("{sftp_line}");
    chairside_sandbox::stop_signal().await;
    gateway.shutdown().await;
    sandbox.shutdown().await;
    Ok(())
}

fn read_password(from_stdin: bool) -> Result<String, String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("Password: ").map_err(|e| format!("cannot read the password: {e}"))?;
    let again = rpassword::prompt_password("Again: ").map_err(|e| format!("cannot read the password: {e}"))?;
    if first != again {
        return Err("the two passwords differ; nothing was changed".into());
    }
    Ok(first)
}

fn user(dir: &std::path::Path, command: UserCommand) -> Result<(), String> {
    let accounts = Accounts::new(Db::open(dir)?);
    match command {
        UserCommand::Add { name, password_stdin } => {
            let password = read_password(password_stdin)?;
            accounts.add(&name, &password)?;
            println!("Added {name}.");
        }
        UserCommand::Passwd { name, password_stdin } => {
            let password = read_password(password_stdin)?;
            accounts.set_password(&name, &password)?;
            println!("Changed the password of {name}.");
        }
        UserCommand::Remove { name } => {
            accounts.remove(&name)?;
            println!("Removed {name}.");
        }
        UserCommand::List => {
            for (name, created) in accounts.list()? {
                println!("{name}\t(added {created} UTC)");
            }
        }
    }
    Ok(())
}

fn print_audit(dir: &std::path::Path, filter: &AuditFilter, json: bool) -> Result<(), String> {
    let rows = audit::query(&Db::open(dir)?, filter)?;
    for r in rows {
        if json {
            println!("{}", serde_json::to_string(&r).map_err(|e| e.to_string())?);
        } else {
            println!(
                "{}  {:<16} {:<6} {:<40} patient {:<8} {} {:>5} ms  {}",
                r.time,
                r.actor,
                r.method,
                r.path,
                r.pat_num.map_or("-".to_owned(), |n| n.to_string()),
                r.status,
                r.duration_ms,
                r.endpoint
            );
        }
    }
    Ok(())
}
