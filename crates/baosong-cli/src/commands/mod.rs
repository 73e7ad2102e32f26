//! One module per group of commands; `run` dispatches.

mod attachments;
pub mod audit;
mod check;
mod export;
mod history;
mod items;
mod links;
mod render;
mod review;
mod sync;

use baosong_core::columns::default_columns;
use baosong_core::model::ColumnRef;
use baosong_core::store::resolve_data_dir;
use baosong_core::{Store, WebSize};

use crate::cli::{AttachmentCommand, Cli, Command, ExportCommand, KeysCommand, ReviewCommand};
use crate::error::CliError;
use crate::output::Out;

/// Runs a command; `Ok` carries the exit status (non-zero only for `check`
/// and `audit verify`).
pub fn run(cli: Cli, out: &mut Out) -> Result<u8, CliError> {
    let open = || -> Result<Store, CliError> {
        let dir = resolve_data_dir(cli.data_dir.as_deref())?;
        Ok(Store::open(&dir)?)
    };
    let done = |r: Result<(), CliError>| r.map(|()| 0);
    match cli.command {
        Command::New {
            title,
            column,
            body_file,
            summary,
            author,
        } => done(items::new(
            &open()?,
            out,
            title,
            &column,
            body_file,
            summary,
            author,
        )),
        Command::List {
            state,
            limit,
            offset,
        } => done(items::list(&open()?, out, state.as_deref(), limit, offset)),
        Command::Show { id } => done(items::show(&open()?, out, &id)),
        Command::Edit {
            id,
            title,
            column,
            body_file,
            summary,
            author,
        } => done(items::edit(
            &open()?,
            out,
            &id,
            items::Changes {
                title,
                column,
                body_file,
                summary,
                author,
            },
        )),
        Command::History { id, diff } => match diff.as_deref() {
            Some([from, to]) => done(history::diff(&open()?, out, &id, *from, *to)),
            _ => done(history::list(&open()?, out, &id)),
        },
        Command::Restore { id, revision } => done(history::restore(&open()?, out, &id, revision)),
        Command::Audit(command) => audit::run(&open()?, out, command),
        Command::Search { query, limit } => done(items::search(&open()?, out, &query, limit)),
        Command::Check {
            files,
            item,
            lexicon,
            online,
        } => check::check(
            open,
            out,
            cli.data_dir.as_deref(),
            &files,
            item.as_deref(),
            &lexicon,
            online,
        ),
        Command::Mask { file, output } => done(check::mask(out, &file, output.as_deref())),
        Command::Render { target } => done(render::render(open, out, &target)),
        Command::Login {
            portal,
            user,
            password_stdin,
            ca_cert,
            proxy,
        } => done(sync::login(
            open()?,
            out,
            sync::LoginArgs {
                portal,
                user,
                password_stdin,
                ca_cert,
                proxy,
            },
        )),
        Command::Logout => done(sync::logout(open()?, out)),
        Command::Submit { id, no_send } => sync::submit(open()?, out, &id, no_send),
        Command::Sync { once } => sync::sync(open()?, out, once),
        Command::Status { id } => done(sync::status(open()?, out, id.as_deref())),
        Command::Review(ReviewCommand::List { sent }) => done(review::list(&open()?, out, sent)),
        Command::Review(ReviewCommand::Send {
            id,
            to,
            note,
            local,
        }) => review::send(open()?, out, &id, to, &note, local),
        Command::Review(ReviewCommand::Return {
            id,
            comments,
            opinion,
        }) => review::return_for_revision(open()?, out, &id, &opinion, comments),
        Command::Sign { id, opinion } => review::sign(open()?, out, &id, &opinion),
        Command::Keys(KeysCommand::Show) => done(review::keys_show(open()?, out)),
        Command::Keys(KeysCommand::Rotate) => done(review::keys_rotate(open()?, out)),
        Command::Outbox { all, retry } => done(sync::outbox(&open()?, out, all, retry.as_deref())),
        Command::Record { id } => done(export::record(&open()?, out, &id)),
        Command::Export(ExportCommand::Sheet {
            id,
            out: file,
            font,
        }) => done(export::sheet(&open()?, out, &id, &file, font)),
        Command::Attachment(command) => done(attachment(&open()?, out, command)),
        Command::Import {
            file,
            column,
            without_original,
        } => done(attachments::import(
            &open()?,
            out,
            &file,
            &column,
            !without_original,
        )),
    }
}

fn attachment(store: &Store, out: &mut Out, command: AttachmentCommand) -> Result<(), CliError> {
    match command {
        AttachmentCommand::Add {
            id,
            files,
            keep_metadata,
            max_side,
            quality,
        } => {
            let web = max_side.map(|max_side| WebSize { max_side, quality });
            attachments::add(store, out, &id, &files, keep_metadata, web)
        }
        AttachmentCommand::Resize {
            id,
            attachment,
            max_side,
            quality,
        } => attachments::resize(store, out, &id, &attachment, WebSize { max_side, quality }),
        AttachmentCommand::List { id } => attachments::list(store, out, &id),
        AttachmentCommand::Clean { id, attachment } => {
            attachments::clean(store, out, &id, &attachment)
        }
        AttachmentCommand::Alt {
            id,
            attachment,
            text,
        } => attachments::alt(store, out, &id, &attachment, &text),
        AttachmentCommand::Remove { id, attachment } => {
            attachments::remove(store, out, &id, &attachment)
        }
        AttachmentCommand::Get {
            id,
            attachment,
            out: file,
        } => attachments::get(store, out, &id, &attachment, &file),
    }
}

/// A column given on the command line: the portal's column (cached at the
/// last sync) or a built-in one, by id or name; else a new one named as typed.
pub fn column_from_arg(store: &Store, arg: &str) -> ColumnRef {
    let arg = arg.trim();
    let portal: Vec<ColumnRef> = baosong_sync::directory::cached_columns(store)
        .ok()
        .flatten()
        .map(|list| {
            list.columns
                .into_iter()
                .map(|c| ColumnRef {
                    id: c.id,
                    name: c.name,
                })
                .collect()
        })
        .unwrap_or_default();
    portal
        .into_iter()
        .chain(default_columns())
        .find(|c| c.id == arg || c.name == arg)
        .unwrap_or_else(|| ColumnRef {
            id: arg.to_string(),
            name: arg.to_string(),
        })
}
