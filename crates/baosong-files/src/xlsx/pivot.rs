//! Pivot caches: a pivot table keeps a full copy of its source data in the
//! file (`xl/pivotCache/`), even when the source sheet was deleted or sits
//! in another workbook. Anyone can get it back with "show details", so its
//! text is hidden content.

use baosong_check::{PartKind, TextPart};
use quick_xml::events::Event;

use crate::FileError;
use crate::package::Package;
use crate::xmlread::{XmlReader, attr, local_name};

/// The cached values (`<s v="…"/>` text, `<n v="…"/>` numbers: a phone
/// list is often typed as numbers) of every pivot cache part, one part per
/// cache file.
pub(crate) fn read(pkg: &mut Package) -> Result<Vec<TextPart>, FileError> {
    let names: Vec<String> = pkg
        .names()
        .into_iter()
        .filter(|n| n.starts_with("xl/pivotCache/") && n.ends_with(".xml"))
        .collect();
    let mut out = Vec::new();
    for name in names {
        let Some(xml) = pkg.read_text(&name)? else {
            continue;
        };
        let mut reader =
            XmlReader::new(&xml, &name, pkg.limits().max_xml_depth, Some(pkg.deadline));
        let mut values: Vec<String> = Vec::new();
        loop {
            match reader.next()? {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e)
                    if matches!(local_name(&e).as_str(), "s" | "n") =>
                {
                    if let Some(v) = attr(&e, "v").filter(|v| !v.trim().is_empty()) {
                        values.push(v);
                    }
                }
                _ => {}
            }
        }
        if !values.is_empty() {
            let file = name.rsplit('/').next().unwrap_or(&name).to_owned();
            out.push(TextPart {
                kind: PartKind::HiddenCells,
                location: format!("数据透视表缓存 {file}"),
                text: values.join("\n"),
            });
        }
    }
    Ok(out)
}
