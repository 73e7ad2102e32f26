//! `baosong-portal`: the reference portal server and its administration.

use std::io::{BufRead, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use baosong_api::{AttachmentPolicy, ColumnKind, Role};
use baosong_portal::config::DEFAULT_LISTEN;
use baosong_portal::db::Db;
use baosong_portal::db::columns::{self, NewColumn};
use baosong_portal::db::keys;
use baosong_portal::db::users::{self, NewUser};
use baosong_portal::{Config, Error, PasswordParams, Rate, RunningServer, demo, secrets};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// 报送参考门户：信息报送接口的参考实现。
/// Baosong reference portal: the information-reporting API server.
#[derive(Parser)]
#[command(name = "baosong-portal", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 启动门户服务 / Run the portal.
    Serve {
        /// 数据库文件（不存在时创建）/ SQLite database file (created if missing).
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: PathBuf,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// 启动带演示数据的门户（单位、各角色用户、栏目），并打印登录密码。
    /// Run a ready demo portal (units, users for every role, columns) and print the passwords.
    Demo {
        /// 数据库文件；默认 ~/.local/share/baosong-portal/demo.sqlite3。
        /// Database file; default $XDG_DATA_HOME/baosong-portal/demo.sqlite3.
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: Option<PathBuf>,
        /// 所有演示用户使用此密码（默认每人随机）/ Give every demo user this password (default: random each).
        #[arg(long)]
        password: Option<String>,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// 管理单位 / Manage units.
    Unit {
        #[command(subcommand)]
        action: UnitAction,
    },
    /// 管理用户 / Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// 管理栏目 / Manage columns.
    Column {
        #[command(subcommand)]
        action: ColumnAction,
    },
    /// 管理签发密钥 / Manage unit heads' signing keys.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// 输出 OpenAPI 文档 / Print the OpenAPI document (docs/api/openapi.json).
    Openapi,
}

#[derive(Subcommand)]
enum KeyAction {
    /// 列出签发密钥 / List signing keys.
    List {
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: PathBuf,
        /// 只列此用户的密钥 / Only this user's keys.
        #[arg(long)]
        user: Option<String>,
    },
    /// 吊销签发密钥（此后用它的签名一律无效）/ Revoke a signing key (its signatures verify no more).
    Revoke {
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: PathBuf,
        /// 密钥编号 / The key id.
        key_id: String,
        /// 吊销原因 / Why.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Args)]
struct ServerArgs {
    /// 监听地址 / Address to listen on.
    #[arg(long, env = "BAOSONG_PORTAL_LISTEN", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// 关闭全部限流（仅用于测试与压测）/ Switch every rate limit off (tests, load tests).
    #[arg(long)]
    no_rate_limit: bool,
    /// 每个客户端 IP 每秒请求数（突发为两倍）/ Requests per second per client IP (burst: twice that).
    #[arg(long, default_value_t = 100.0)]
    rate_per_ip: f64,
    /// 每个用户每秒请求数（突发为三倍）/ Requests per second per user (burst: three times that).
    #[arg(long, default_value_t = 20.0)]
    rate_per_user: f64,
    /// 请求体上限（字节）/ Largest request body, in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    max_body_bytes: usize,
    /// 访问令牌有效期（秒）/ Access token lifetime, in seconds.
    #[arg(long, default_value_t = 900)]
    access_token_ttl: u64,
    /// 刷新令牌重试宽限期（秒）：应答丢失后客户端用旧刷新令牌重试，在此期限内仍可换得新令牌；0 表示不宽限。
    /// Refresh retry grace, in seconds: a client that lost the answer may present the old refresh token again within it; 0 for none.
    #[arg(long, default_value_t = 30)]
    refresh_reuse_grace: u64,
    /// 提交时不等待落盘（断电可能丢失最后几笔，但不会损坏）。
    /// Do not wait for the disk on commit (a power cut may lose the last commits, never corrupt).
    #[arg(long)]
    fast_commits: bool,
    /// 未完成的附件上传多久无进展即作废（秒，默认 24 小时）。
    /// Discard an attachment upload without progress after this many seconds (default 24 hours).
    #[arg(long, default_value_t = 24 * 3600)]
    upload_ttl: u64,
    /// 已验证的访问令牌在内存中记住多久（秒；0 表示每次查库）。本服务的注销立即生效；其他进程对用户的修改最迟在此期限后生效。
    /// Remember a verified access token this many seconds (0: look up every time). Logouts here take effect at once; user changes made by another process within this time.
    #[arg(long, default_value_t = 5)]
    token_cache_secs: u64,
    /// 变更流缓存大小（MiB，完整页与单条变更各占一半；0 表示不缓存）。
    /// Memory for cached change-feed JSON, in MiB: half full pages, half single changes (0: no cache).
    #[arg(long, default_value_t = 16)]
    feed_cache_mib: u64,
    /// 日志格式 / Log format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum UnitAction {
    /// 新增单位 / Add a unit.
    Add {
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: PathBuf,
        /// 编号，如 sjyj / Short id, e.g. sjyj.
        #[arg(long)]
        id: String,
        /// 全称，如 市教育局 / Full official name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// 新增用户；未给密码时生成随机密码并打印 / Add a user; prints a random password unless one is given.
    Add {
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: PathBuf,
        #[arg(long)]
        username: String,
        /// 姓名 / Display name.
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// 所属单位编号（信息员、单位负责人必填）/ Unit id (required for unit roles).
        #[arg(long)]
        unit: Option<String>,
        /// 密码（会出现在进程列表中，建议用 --password-stdin）/ Password (visible in the process list; prefer --password-stdin).
        #[arg(long, conflicts_with = "password_stdin")]
        password: Option<String>,
        /// 从标准输入读取密码 / Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum ColumnAction {
    /// 新增栏目 / Add a column.
    Add {
        #[arg(long, env = "BAOSONG_PORTAL_DB")]
        db: PathBuf,
        /// 编号，如 bmdt / Short id, e.g. bmdt.
        #[arg(long)]
        id: String,
        /// 名称，如 部门动态 / Name.
        #[arg(long)]
        name: String,
        /// 网站上的路径，如 /xxgk/bmdt/ / Path on the portal.
        #[arg(long)]
        path: String,
        #[arg(long, value_parser = parse_kind)]
        kind: ColumnKind,
        /// 更新周期（天）/ Required update cadence in days.
        #[arg(long)]
        cadence_days: Option<u32>,
        /// 负责单位编号，可重复 / Responsible unit id; repeat for several.
        #[arg(long = "unit")]
        units: Vec<String>,
        /// 允许的附件类型，可重复（默认：JPEG、PNG、WebP 图片，PDF，docx，xlsx）。
        /// Allowed attachment media type; repeat for several (default: JPEG, PNG, WebP, PDF, docx, xlsx).
        #[arg(long = "attachment-type")]
        attachment_types: Vec<String>,
        /// 附件大小上限（字节，默认 200 MiB）/ Largest attachment in bytes (default 200 MiB).
        #[arg(long)]
        attachment_max_bytes: Option<u64>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        format!("角色应为 / role must be one of: {}", all.join(", "))
    })
}

fn parse_kind(s: &str) -> Result<ColumnKind, String> {
    ColumnKind::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = ColumnKind::ALL.iter().map(|k| k.code()).collect();
        format!("栏目类型应为 / kind must be one of: {}", all.join(", "))
    })
}

fn main() -> ExitCode {
    tune_malloc();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::FAILURE
        }
    }
}

/// glibc gives every thread that allocates concurrently its own malloc arena
/// (up to 8 per core) and keeps their memory; with the blocking pool serving
/// many requests at once that alone pushed the server past 100 MB. Two arenas
/// keep it near half that at the same throughput (docs/benchmarks.md).
/// `MALLOC_ARENA_MAX` in the environment still wins.
///
/// Large buffers: each Argon2id hash (start-up of the demo, every sign-in)
/// takes a 19 MiB block. glibc serves the first from mmap, then raises its
/// mmap threshold to that size, so later ones come from the heap and stay
/// there after they are freed: the demo sat at 160 MB after start-up and
/// 238 MB after four sign-ins. A fixed 1 MiB threshold sends every large
/// buffer (password hashing, upload chunks) to mmap, returned to the system
/// on free; the cost, one mmap per large buffer, is nothing next to the
/// 50 ms of hashing. `MALLOC_MMAP_THRESHOLD_` in the environment still wins.
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: called first thing in `main`, before any other thread
        // exists; mallopt only adjusts the allocator's tuning.
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
            }
        }
    }
}

fn report(e: &Error) {
    match e {
        Error::Problem(p) => eprintln!("错误：{}\nError: {}", p.detail, p.detail_en),
        other => eprintln!("错误 / Error: {other}"),
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Serve { db, server } => {
            init_logging(server.log_format);
            let config = config(db, &server);
            runtime()?.block_on(serve(config, None))
        }
        Command::Demo {
            db,
            password,
            server,
        } => {
            init_logging(server.log_format);
            let config = config(db.unwrap_or_else(demo::default_db_path), &server);
            let database = Db::open(&config.db_path, config.durable_commits)?;
            let users = demo::seed(&database, password.as_deref(), config.password)?;
            drop(database);
            runtime()?.block_on(serve(config, Some(users)))
        }
        Command::Unit {
            action: UnitAction::Add { db, id, name },
        } => {
            let (i, n) = (id.clone(), name.clone());
            Db::open(&db, true)?.write(move |w| users::add_unit(w, &i, &n))?;
            println!("已新增单位 {id}（{name}）。Unit added.");
            Ok(())
        }
        Command::User {
            action:
                UserAction::Add {
                    db,
                    username,
                    name,
                    role,
                    unit,
                    password,
                    password_stdin,
                },
        } => {
            let (password, generated) = match (password, password_stdin) {
                (Some(p), _) => (p, false),
                (None, true) => (read_password()?, false),
                (None, false) => (secrets::random_password()?, true),
            };
            if password.chars().count() < 8 {
                return Err(Error::invalid(
                    "password",
                    "密码至少 8 个字符。",
                    "The password needs at least 8 characters.",
                ));
            }
            let hash = secrets::hash_password(&password, PasswordParams::default())?;
            let user = username.clone();
            Db::open(&db, true)?.write(move |w| {
                users::add_user(
                    w,
                    &NewUser {
                        username: &user,
                        display_name: &name,
                        role,
                        unit_id: unit.as_deref(),
                        password_hash: &hash,
                    },
                )
            })?;
            println!("已新增用户 {username}（{}）。User added.", role.label_zh());
            if generated {
                println!("密码 / Password: {password}");
            }
            Ok(())
        }
        Command::Column {
            action:
                ColumnAction::Add {
                    db,
                    id,
                    name,
                    path,
                    kind,
                    cadence_days,
                    units,
                    attachment_types,
                    attachment_max_bytes,
                },
        } => {
            let (i, n) = (id.clone(), name.clone());
            let mut policy = AttachmentPolicy::default();
            if !attachment_types.is_empty() {
                policy.allowed_media_types = attachment_types;
            }
            if let Some(max) = attachment_max_bytes {
                policy.max_bytes = max;
            }
            Db::open(&db, true)?.write(move |w| {
                let units: Vec<&str> = units.iter().map(String::as_str).collect();
                columns::add_column(
                    w,
                    &NewColumn {
                        id: &i,
                        name: &n,
                        path: &path,
                        kind,
                        cadence_days,
                        units: &units,
                    },
                )?;
                columns::set_attachment_policy(w, &i, &policy)
            })?;
            println!("已新增栏目 {id}（{name}）。Column added.");
            Ok(())
        }
        Command::Key { action } => keys_command(action),
        Command::Openapi => {
            let mut out = std::io::stdout().lock();
            match out
                .write_all(baosong_api::openapi_json().as_bytes())
                .and_then(|()| out.flush())
            {
                // `baosong-portal openapi | head` is fine.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

fn keys_command(action: KeyAction) -> Result<(), Error> {
    match action {
        KeyAction::List { db, user } => {
            let keys = Db::open(&db, true)?.read(move |c| keys::list(c, user.as_deref()))?;
            let mut out = std::io::stdout().lock();
            for k in &keys {
                let state = match (&k.revoked_at, &k.superseded_at) {
                    (Some(at), _) => format!(
                        "已吊销 revoked {}（{}）",
                        at.to_rfc3339(),
                        k.revoked_reason.as_deref().unwrap_or("")
                    ),
                    (None, Some(at)) => format!("已更换 superseded {}", at.to_rfc3339()),
                    (None, None) => "当前 current".to_string(),
                };
                let _ = writeln!(
                    out,
                    "{}  {} ({})  {}  {}  登记 created {}  {}",
                    k.key_id,
                    k.owner.username,
                    k.owner.display_name,
                    k.unit_id,
                    k.fingerprint,
                    k.created_at.to_rfc3339(),
                    state
                );
            }
            if keys.is_empty() {
                let _ = writeln!(out, "没有签发密钥。No signing keys.");
            }
            Ok(())
        }
        KeyAction::Revoke { db, key_id, reason } => {
            let id = key_id.clone();
            let key = Db::open(&db, true)?.write(move |w| keys::revoke(w, None, &id, &reason))?;
            println!(
                "已吊销 {} 的签发密钥 {}。Key revoked.",
                key.owner.username, key.key_id
            );
            Ok(())
        }
    }
}

fn read_password() -> Result<String, Error> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn config(db: PathBuf, s: &ServerArgs) -> Config {
    let mut c = Config::new(db, s.listen);
    c.max_body_bytes = s.max_body_bytes;
    c.access_token_ttl = Duration::from_secs(s.access_token_ttl.max(1));
    c.refresh_reuse_grace = Duration::from_secs(s.refresh_reuse_grace);
    c.durable_commits = !s.fast_commits;
    c.upload_ttl = Duration::from_secs(s.upload_ttl.max(1));
    c.token_cache_ttl = Duration::from_secs(s.token_cache_secs);
    c.feed_cache_bytes = s.feed_cache_mib.saturating_mul(1024 * 1024);
    if s.no_rate_limit {
        c.rate_limits = baosong_portal::RateLimits::off();
    } else {
        c.rate_limits.per_ip = limit(s.rate_per_ip, 2.0);
        c.rate_limits.per_user = limit(s.rate_per_user, 3.0);
    }
    c
}

/// A rate of `per_second` with bursts of `burst_factor` seconds' worth; 0 or
/// less switches the limit off.
fn limit(per_second: f64, burst_factor: f64) -> Option<Rate> {
    (per_second > 0.0).then(|| Rate {
        per_second,
        burst: (per_second * burst_factor).ceil().clamp(1.0, 1e9) as u32,
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    // Blocking work is database reads, the portal's check and password
    // hashing, all short; tokio's default of 512 blocking threads would only
    // multiply per-thread memory (malloc arenas, SQLite reader connections)
    // under load without adding throughput on a small machine.
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(16)
        .build()?)
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("baosong_portal=info,warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn serve(config: Config, demo_users: Option<Vec<demo::DemoUser>>) -> Result<(), Error> {
    let db_path = config.db_path.clone();
    let server = RunningServer::start(config).await?;
    let base = server.base_url();
    print_banner(&base, &db_path, demo_users.as_deref());
    shutdown_signal().await;
    eprintln!("正在停止… Stopping…");
    server.shutdown().await
}

fn print_banner(base: &str, db: &Path, users: Option<&[demo::DemoUser]>) {
    let mut out = std::io::stdout().lock();
    let title = if users.is_some() {
        "报送参考门户（演示） Baosong reference portal (demo)"
    } else {
        "报送参考门户 Baosong reference portal"
    };
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "  接口 API:        {base}/api/v1/");
    let _ = writeln!(out, "  接口文档 OpenAPI: {base}/api/v1/openapi.json");
    let _ = writeln!(out, "  编辑工作台 Editor: {base}/editor/");
    let _ = writeln!(out, "  数据库 Database:  {}", db.display());
    if let Some(users) = users {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "  {:<10} {:<14} 角色 role / 单位 unit / 姓名 name",
            "用户 user", "密码 password"
        );
        for u in users {
            let _ = writeln!(
                out,
                "  {:<10} {:<14} {} / {} / {}",
                u.username,
                u.password,
                u.role.label_zh(),
                u.unit.as_deref().unwrap_or("—"),
                u.display_name
            );
        }
    }
    let _ = writeln!(out, "\n按 Ctrl+C 停止。Press Ctrl+C to stop.");
    let _ = out.flush();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
