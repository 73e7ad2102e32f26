//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "baosong",
    version,
    about = "报送 Baosong — draft, check and submit items for the government portal",
    long_about = "报送 Baosong — 信息报送客户端的命令行程序。\n\
                  Draft items (稿件) offline, keep every revision, search them, render them.\n\
                  Data lives in the platform data directory (~/.local/share/baosong on Linux),\n\
                  or in --data-dir / BAOSONG_DATA_DIR."
)]
pub struct Cli {
    /// Data directory (default: BAOSONG_DATA_DIR, else ~/.local/share/baosong).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a draft; prints its id.
    New {
        #[arg(long)]
        title: String,
        /// Column (栏目): a known column's id or name, or any name.
        #[arg(long)]
        column: String,
        /// Markdown body from a file, or `-` for standard input.
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
        /// 内容概述.
        #[arg(long)]
        summary: Option<String>,
        /// 执笔人.
        #[arg(long)]
        author: Option<String>,
    },
    /// List items, newest change first.
    List {
        /// Only items in this state (draft, awaiting_signoff, … or 草稿, 待签发, …).
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show one item with its metadata and body.
    Show { id: String },
    /// Change an item; every change is kept as a new revision.
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        column: Option<String>,
        /// Markdown body from a file, or `-` for standard input.
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
        #[arg(long)]
        summary: Option<String>,
        #[arg(long)]
        author: Option<String>,
    },
    /// List an item's revisions, or compare two of them.
    History {
        id: String,
        /// Compare two revisions, e.g. `--diff 1 3`.
        #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
        diff: Option<Vec<u32>>,
    },
    /// Make an earlier revision current again (as a new revision).
    Restore { id: String, revision: u32 },
    /// The audit log (审计日志) and its hash chain: verify, log.
    #[command(subcommand)]
    Audit(crate::commands::audit::AuditCommand),
    /// Full-text search over titles, summaries and bodies (Chinese works).
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Check files or an item for markings, personal data and wrong wording.
    ///
    /// Exit status: 0 nothing at error level or above, 1 errors, 2 blockers,
    /// 3 usage or IO errors.
    #[command(
        after_help = "退出码 / exit status: 0 无错误, 1 有错误 (error), 2 有阻断 (blocker), 3 用法或读写错误"
    )]
    Check {
        /// Markdown or text files (`-` for standard input). `.txt` is read as plain text.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Check a stored item (id or unique prefix), with its decisions.
        #[arg(long, value_name = "ID", conflicts_with = "files")]
        item: Option<String>,
        /// Add a lexicon file (repeatable). One term per line is enough; see
        /// assets/lexicons/README.md for the full format.
        #[arg(long, value_name = "FILE")]
        lexicon: Vec<PathBuf>,
        /// Also verify external links over the network (HEAD/GET, 10 s each,
        /// four at a time).
        #[arg(long)]
        online: bool,
    },
    /// Write a file with its personal data masked (138****1234) to standard
    /// output or to --output.
    Mask {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Render an item (by id) or a Markdown file to sanitised HTML on stdout.
    Render {
        /// An item id (or unique prefix), or a path to a Markdown file.
        target: String,
    },
    /// Sign in to the portal; the sign-in is kept in the system keyring.
    Login {
        /// The portal's address, e.g. https://portal.example.gov.cn
        #[arg(long, value_name = "URL")]
        portal: String,
        #[arg(long, value_name = "NAME")]
        user: String,
        /// Read the password from standard input instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
        /// A PEM file with the CA certificate of an intranet portal.
        #[arg(long, value_name = "PEM")]
        ca_cert: Option<PathBuf>,
        /// A proxy for the portal (default: the system proxy variables).
        #[arg(long, value_name = "URL")]
        proxy: Option<String>,
    },
    /// Sign out: the portal ends the sign-in and the keyring forgets it.
    Logout,
    /// 报送: queue a signed-off item for the portal and try to deliver it.
    Submit {
        id: String,
        /// Only queue it; `baosong sync` delivers it later.
        #[arg(long)]
        no_send: bool,
    },
    /// Deliver the outbox and fetch status changes; keeps running (Ctrl+C
    /// stops) unless --once.
    Sync {
        /// One pass, then exit (status 1 if something could not be done).
        #[arg(long)]
        once: bool,
    },
    /// The sign-in and outbox at a glance, or one item's portal status and
    /// timeline.
    Status { id: Option<String> },
    /// 送审 and 审核: send for sign-off, list what waits, return for revision.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// 签发: sign off an item (or review) with this computer's signing key
    /// (unit heads; the key is made and registered at the first sign-off).
    Sign {
        /// Item id or review id (or a unique prefix).
        id: String,
        /// 签发意见 (default 同意报送).
        #[arg(long, default_value = "")]
        opinion: String,
    },
    /// The unit head's signing key (签发密钥).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// List the outbox (waiting and refused entries; --all includes
    /// delivered ones), or retry a refused entry.
    Outbox {
        #[arg(long)]
        all: bool,
        /// Put a refused entry (id or unique prefix) back in the queue.
        #[arg(long, value_name = "ENTRY")]
        retry: Option<String>,
    },
    /// The registration record (登记) of an item: author, secrecy review,
    /// 送审, 签发 and each step at the portal, with times.
    Record { id: String },
    /// Export documents about an item.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import a Word/WPS document (.docx) as a new draft: title, body,
    /// images (placed where they were, metadata removed) and, unless
    /// --without-original, the document itself as an attachment, so its
    /// comments, tracked changes and properties are checked. Prints the id.
    Import {
        file: PathBuf,
        /// Column (栏目): a known column's id or name, or any name.
        #[arg(long, default_value = "部门动态")]
        column: String,
        #[arg(long)]
        without_original: bool,
    },
    /// An item's attached files (附件): add, list with what the check found
    /// in them, clean with one click, describe, remove, save a copy.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
}

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Attach files. Photos lose their EXIF/XMP metadata (GPS, camera
    /// serial, author) unless --keep-metadata; the original stays on this
    /// computer only.
    Add {
        id: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        keep_metadata: bool,
        /// Pictures: also make the web copy, longest side at most N pixels
        /// (see `attachment resize`).
        #[arg(long, value_name = "N")]
        max_side: Option<u32>,
        /// JPEG quality of the web copy (30–100).
        #[arg(long, default_value_t = 85, requires = "max_side")]
        quality: u8,
    },
    /// 缩小用于网页: replace a picture with a smaller copy for the portal
    /// (longest side, quality). The full-size picture stays on this
    /// computer as the original; restoring an earlier revision brings it
    /// back.
    Resize {
        id: String,
        attachment: String,
        /// Longest side in pixels (320–8192).
        #[arg(long, default_value_t = 1920, value_name = "N")]
        max_side: u32,
        /// JPEG quality (30–100); PNG stays lossless.
        #[arg(long, default_value_t = 85)]
        quality: u8,
    },
    /// The item's files, each with the findings in it (批注, 修订, GPS …).
    List { id: String },
    /// 一键清理: replace a file with a copy without comments, tracked
    /// changes, hidden text and personal properties (images: metadata).
    Clean {
        id: String,
        /// The file's name or the start of its SHA-256.
        attachment: String,
    },
    /// Set an image's alternative text (图片说明).
    Alt {
        id: String,
        attachment: String,
        text: String,
    },
    /// Remove a file from the item (earlier revisions keep it).
    Remove { id: String, attachment: String },
    /// Save a copy of an attached file.
    Get {
        id: String,
        attachment: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The printable approval sheet (信息报送审批单（保密审查单）) as PDF.
    Sheet {
        id: String,
        /// Where to write the PDF.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// A CJK font file (.ttf/.otf/.ttc) instead of the system's
        /// (default: BAOSONG_CJK_FONT, else Noto CJK).
        #[arg(long, value_name = "FILE")]
        font: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// 待我签发 (or, with --sent, the reviews I sent).
    List {
        #[arg(long)]
        sent: bool,
    },
    /// 送审: send a checked draft to a unit head.
    Send {
        id: String,
        /// The head's portal username (default: any head of the unit).
        #[arg(long, value_name = "USER")]
        to: Option<String>,
        /// A note for the head.
        #[arg(long, default_value = "")]
        note: String,
        /// Only for a head signing on this computer (not through the portal).
        #[arg(long)]
        local: bool,
    },
    /// 退回修改: back to the author with comments (unit heads).
    Return {
        /// Item id or review id (or a unique prefix).
        id: String,
        /// A comment (批注); repeat for several.
        #[arg(long = "comment", value_name = "TEXT")]
        comments: Vec<String>,
        /// The overall opinion.
        #[arg(long, default_value = "")]
        opinion: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// This computer's key and the keys the portal has registered.
    Show,
    /// Make and register a new key; the old one stays valid for what it signed.
    Rotate,
}
