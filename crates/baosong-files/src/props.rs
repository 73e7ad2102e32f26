//! Document properties of an OOXML package (docx, xlsx): who wrote it, for
//! which company, and what it is about. Word, Excel and WPS keep them in
//! `docProps/core.xml` (Dublin Core), `docProps/app.xml` (Company, Manager)
//! and `docProps/custom.xml` (anything a template adds). Shared by the
//! docx and xlsx scanners and cleaners.

use baosong_check::{PartKind, TextPart};
use quick_xml::events::Event;

use crate::FileError;
use crate::package::Package;
use crate::xmlfilter::{Action, filter_xml};
use crate::xmlread::{XmlReader, attr, event_text, local_name};

pub const CORE: &str = "docProps/core.xml";
pub const APP: &str = "docProps/app.xml";
pub const CUSTOM: &str = "docProps/custom.xml";

/// The property elements read, by part and local name, with their kind and
/// Chinese label.
pub(crate) const PROPERTIES: &[(&str, &str, PartKind, &str)] = &[
    (CORE, "creator", PartKind::PersonalProperty, "作者"),
    (
        CORE,
        "lastModifiedBy",
        PartKind::PersonalProperty,
        "最后修改者",
    ),
    (APP, "Company", PartKind::PersonalProperty, "公司"),
    (APP, "Manager", PartKind::PersonalProperty, "经理"),
    (CORE, "title", PartKind::DocumentProperty, "标题"),
    (CORE, "subject", PartKind::DocumentProperty, "主题"),
    (CORE, "keywords", PartKind::DocumentProperty, "关键词"),
    (CORE, "description", PartKind::DocumentProperty, "备注"),
    (CORE, "category", PartKind::DocumentProperty, "类别"),
];

/// The relationship type (last segment) of `docProps/custom.xml` in the
/// package's root rels: a cleaner drops the part and this relationship.
pub const CUSTOM_REL_TYPE: &str = "custom-properties";

/// Whether an element of `part` is a personal property the cleaner empties.
fn is_personal(part: &str, local: &str) -> bool {
    PROPERTIES
        .iter()
        .any(|(p, l, k, _)| *p == part && *l == local && *k == PartKind::PersonalProperty)
}

/// For cleaners: `core.xml` or `app.xml` rewritten with the personal
/// properties (author, last modified by, company, manager) emptied and
/// everything else as it was; `None` for any other part, or when the
/// package has no such part. Custom properties are removed whole (drop
/// [`CUSTOM`] and its [`CUSTOM_REL_TYPE`] relationship).
pub fn without_personal(pkg: &mut Package, part: &str) -> Result<Option<Vec<u8>>, FileError> {
    if part != CORE && part != APP {
        return Ok(None);
    }
    let Some(xml) = pkg.read_text(part)? else {
        return Ok(None);
    };
    let depth = pkg.limits().max_xml_depth;
    let out = filter_xml(&xml, part, depth, pkg.deadline, |e| {
        if is_personal(part, &local_name(e)) {
            Action::Empty
        } else {
            Action::Keep
        }
    })?;
    Ok(Some(out))
}

/// The non-empty document properties of any OOXML package, as text parts
/// (location = the Chinese label: `作者`, `公司`, `自定义属性 部门` …).
pub fn scan_properties(pkg: &mut Package) -> Result<Vec<TextPart>, FileError> {
    let mut out = Vec::new();
    for part in [CORE, APP] {
        if let Some(xml) = pkg.read_text(part)? {
            out.extend(read_simple(&xml, part, pkg)?);
        }
    }
    if let Some(xml) = pkg.read_text(CUSTOM)? {
        out.extend(read_custom(&xml, pkg)?);
    }
    Ok(out)
}

/// core.xml and app.xml: flat elements with text.
fn read_simple(xml: &str, part: &str, pkg: &Package) -> Result<Vec<TextPart>, FileError> {
    let mut reader = XmlReader::new(xml, part, pkg.limits().max_xml_depth, Some(pkg.deadline));
    let mut current: Option<(PartKind, &str)> = None;
    let mut out: Vec<TextPart> = Vec::new();
    loop {
        let event = reader.next()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = local_name(e);
                current = PROPERTIES
                    .iter()
                    .find(|(p, l, _, _)| *p == part && *l == name)
                    .map(|(_, _, k, label)| (*k, *label));
            }
            Event::End(_) => current = None,
            _ => {
                if let (Some((kind, label)), Some(text)) = (current, event_text(&event)) {
                    push(&mut out, kind, label, &text);
                }
            }
        }
    }
    out.retain(|p| !p.text.trim().is_empty());
    Ok(out)
}

/// custom.xml: `<property name="…"><vt:lpwstr>value</vt:lpwstr></property>`.
/// Every custom property counts as personal: templates use them for the
/// drafter, department and phone.
fn read_custom(xml: &str, pkg: &Package) -> Result<Vec<TextPart>, FileError> {
    let mut reader = XmlReader::new(xml, CUSTOM, pkg.limits().max_xml_depth, Some(pkg.deadline));
    let mut current: Option<String> = None;
    let mut out: Vec<TextPart> = Vec::new();
    loop {
        let event = reader.next()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) if local_name(e) == "property" => {
                current = Some(format!(
                    "自定义属性 {}",
                    attr(e, "name").unwrap_or_default()
                ));
            }
            Event::End(e) if e.local_name().as_ref() == "property" => current = None,
            _ => {
                if let (Some(label), Some(text)) = (&current, event_text(&event)) {
                    push(&mut out, PartKind::PersonalProperty, label, &text);
                }
            }
        }
    }
    out.retain(|p| !p.text.trim().is_empty());
    Ok(out)
}

/// Appends text to the property's part (an entity splits text in events).
fn push(out: &mut Vec<TextPart>, kind: PartKind, label: &str, text: &str) {
    match out.last_mut() {
        Some(last) if last.location == label && last.kind == kind => last.text.push_str(text),
        _ => out.push(TextPart {
            kind,
            location: label.to_owned(),
            text: text.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    use super::*;
    use crate::Limits;

    pub(crate) fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_core_app_and_custom() {
        let bytes = zip_of(&[
            (
                CORE,
                r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>张三</dc:creator>
                <cp:lastModifiedBy>李&amp;四</cp:lastModifiedBy><dc:title>通知</dc:title>
                <cp:keywords></cp:keywords></cp:coreProperties>"#,
            ),
            (
                APP,
                "<Properties><Company>某某局</Company><Manager/></Properties>",
            ),
            (
                CUSTOM,
                r#"<Properties xmlns:vt="v"><property name="拟稿人"><vt:lpwstr>王五 13812345678</vt:lpwstr></property></Properties>"#,
            ),
        ]);
        let mut pkg = Package::open(&bytes, "docx", &Limits::default()).unwrap();
        let parts = scan_properties(&mut pkg).unwrap();
        let got: Vec<(PartKind, &str, &str)> = parts
            .iter()
            .map(|p| (p.kind, p.location.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (PartKind::PersonalProperty, "作者", "张三"),
                (PartKind::PersonalProperty, "最后修改者", "李&四"),
                (PartKind::DocumentProperty, "标题", "通知"),
                (PartKind::PersonalProperty, "公司", "某某局"),
                (
                    PartKind::PersonalProperty,
                    "自定义属性 拟稿人",
                    "王五 13812345678"
                ),
            ]
        );
    }

    #[test]
    fn cleaning_empties_only_personal_properties() {
        let bytes = zip_of(&[(
            CORE,
            r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>张三</dc:creator><dc:title>通知</dc:title><cp:lastModifiedBy>李四</cp:lastModifiedBy></cp:coreProperties>"#,
        )]);
        let mut pkg = Package::open(&bytes, "docx", &Limits::default()).unwrap();
        let core = without_personal(&mut pkg, CORE).unwrap().unwrap();
        assert_eq!(
            String::from_utf8(core).unwrap(),
            r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator></dc:creator><dc:title>通知</dc:title><cp:lastModifiedBy></cp:lastModifiedBy></cp:coreProperties>"#
        );
        assert!(without_personal(&mut pkg, APP).unwrap().is_none());
        assert!(
            without_personal(&mut pkg, "word/document.xml")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_package_without_properties_has_none() {
        let bytes = zip_of(&[("xl/workbook.xml", "<workbook/>")]);
        let mut pkg = Package::open(&bytes, "xlsx", &Limits::default()).unwrap();
        assert!(scan_properties(&mut pkg).unwrap().is_empty());
    }
}
