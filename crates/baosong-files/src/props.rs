//! OOXML document properties (docProps/core.xml, app.xml, custom.xml):
//! who wrote the file, for which company, and what it is about.

use baosong_check::{PartKind, TextPart};
use quick_xml::events::Event;

use crate::FileError;
use crate::package::Package;
use crate::xml::{PartReader, attr, reference_text};

pub const CORE: &str = "docProps/core.xml";
pub const APP: &str = "docProps/app.xml";
pub const CUSTOM: &str = "docProps/custom.xml";

/// Properties that name people or organisations, with their labels: the
/// cleaner empties exactly these.
pub const PERSONAL: [(&str, &str); 5] = [
    ("dc:creator", "作者"),
    ("cp:lastModifiedBy", "最后修改者"),
    ("Company", "公司"),
    ("Manager", "经理"),
    ("cp:contentStatus", "内容状态"),
];

/// Descriptive properties: checked for what they say.
pub const DESCRIPTIVE: [(&str, &str); 5] = [
    ("dc:title", "标题属性"),
    ("dc:subject", "主题属性"),
    ("cp:keywords", "关键词属性"),
    ("dc:description", "备注属性"),
    ("cp:category", "类别属性"),
];

/// Every non-empty property as a text part: personal ones as
/// [`PartKind::PersonalProperty`], descriptive ones as
/// [`PartKind::DocumentProperty`]; custom properties are personal (they are
/// where templates put 拟稿人, 电话 …).
pub fn scan_properties(pkg: &mut Package) -> Result<Vec<TextPart>, FileError> {
    let depth = pkg.limits().max_xml_depth;
    let mut out = Vec::new();
    for part in [CORE, APP] {
        let Some(xml) = pkg.read(part)? else { continue };
        for (name, value) in simple_elements(part, &xml, depth)? {
            let personal = PERSONAL.iter().find(|(n, _)| *n == name);
            let descriptive = DESCRIPTIVE.iter().find(|(n, _)| *n == name);
            let (kind, label) = match (personal, descriptive) {
                (Some((_, l)), _) => (PartKind::PersonalProperty, *l),
                (_, Some((_, l))) => (PartKind::DocumentProperty, *l),
                _ => continue,
            };
            if !value.trim().is_empty() {
                out.push(TextPart {
                    kind,
                    location: label.to_owned(),
                    text: value,
                });
            }
        }
    }
    if let Some(xml) = pkg.read(CUSTOM)? {
        for (name, value) in custom_properties(&xml, depth)? {
            if !value.trim().is_empty() {
                out.push(TextPart {
                    kind: PartKind::PersonalProperty,
                    location: format!("自定义属性“{name}”"),
                    text: value,
                });
            }
        }
    }
    Ok(out)
}

/// (element name, text) for each element with text directly under the root.
fn simple_elements(
    part: &str,
    xml: &[u8],
    depth: usize,
) -> Result<Vec<(String, String)>, FileError> {
    let mut r = PartReader::new(part, xml, depth)?;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match r.next_event()? {
            Event::Eof => break,
            Event::Start(e) if r.depth() == 2 => {
                current = Some(e.name().as_ref().to_owned());
                out.push((current.clone().unwrap_or_default(), String::new()));
            }
            Event::End(_) if r.depth() < 2 => current = None,
            Event::Text(t) if current.is_some() => {
                if let Some(last) = out.last_mut() {
                    last.1.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) if current.is_some() => {
                if let (Some(last), Some(s)) = (out.last_mut(), reference_text(&g)) {
                    last.1.push_str(&s);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// (name, value) of each custom property.
fn custom_properties(xml: &[u8], depth: usize) -> Result<Vec<(String, String)>, FileError> {
    let mut r = PartReader::new(CUSTOM, xml, depth)?;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_prop = false;
    loop {
        match r.next_event()? {
            Event::Eof => break,
            Event::Start(e) if e.local_name().as_ref() == "property" => {
                in_prop = true;
                let name = attr(&e, "name").unwrap_or_default().into_owned();
                out.push((name, String::new()));
            }
            Event::End(e) if e.local_name().as_ref() == "property" => in_prop = false,
            Event::Text(t) if in_prop => {
                if let Some(last) = out.last_mut() {
                    last.1.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) if in_prop => {
                if let (Some(last), Some(s)) = (out.last_mut(), reference_text(&g)) {
                    last.1.push_str(&s);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
