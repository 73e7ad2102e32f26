//! One module per group of commands; `run` dispatches.

mod history;
mod items;
mod render;

use baosong_core::Store;
use baosong_core::columns::default_columns;
use baosong_core::model::ColumnRef;
use baosong_core::store::resolve_data_dir;

use crate::cli::{Cli, Command};
use crate::error::CliError;
use crate::output::Out;

pub fn run(cli: Cli, out: &mut Out) -> Result<(), CliError> {
    let open = || -> Result<Store, CliError> {
        let dir = resolve_data_dir(cli.data_dir.as_deref())?;
        Ok(Store::open(&dir)?)
    };
    match cli.command {
        Command::New {
            title,
            column,
            body_file,
            summary,
            author,
        } => items::new(&open()?, out, title, &column, body_file, summary, author),
        Command::List {
            state,
            limit,
            offset,
        } => items::list(&open()?, out, state.as_deref(), limit, offset),
        Command::Show { id } => items::show(&open()?, out, &id),
        Command::Edit {
            id,
            title,
            column,
            body_file,
            summary,
            author,
        } => items::edit(
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
        ),
        Command::History { id, diff } => match diff.as_deref() {
            Some([from, to]) => history::diff(&open()?, out, &id, *from, *to),
            _ => history::list(&open()?, out, &id),
        },
        Command::Restore { id, revision } => history::restore(&open()?, out, &id, revision),
        Command::Search { query, limit } => items::search(&open()?, out, &query, limit),
        Command::Render { target } => render::render(open, out, &target),
    }
}

/// A column given on the command line: a known column by id or name, else a
/// new one named as typed.
pub fn column_from_arg(arg: &str) -> ColumnRef {
    let arg = arg.trim();
    default_columns()
        .into_iter()
        .find(|c| c.id == arg || c.name == arg)
        .unwrap_or_else(|| ColumnRef {
            id: arg.to_string(),
            name: arg.to_string(),
        })
}
