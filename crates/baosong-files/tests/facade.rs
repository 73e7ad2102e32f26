//! The attachment store's entry points (`baosong_files::scan`, `clean`)
//! route images, spreadsheets and PDFs to their scanners and cleaners.

use std::io::{Cursor, Write};

use baosong_check::{FactKind, PartKind};
use baosong_files::{FileKind, Limits, can_clean, clean, scan};
use zip::write::SimpleFileOptions;

const JPEG: &[u8] = include_bytes!("fixtures/images/gps-serial.jpg");

#[test]
fn images_are_scanned_and_stripped() {
    let l = Limits::default();
    let s = scan(FileKind::Jpeg, JPEG, &l).unwrap();
    assert!(s.facts.iter().any(|f| f.kind == FactKind::GpsPosition));
    assert!(can_clean(FileKind::Jpeg) && can_clean(FileKind::Png) && can_clean(FileKind::Webp));
    let cleaned = clean(FileKind::Jpeg, JPEG, &l).unwrap().unwrap();
    assert!(cleaned.removed.iter().any(|r| r == "GPS 位置"));
    assert!(
        scan(FileKind::Jpeg, &cleaned.bytes, &l)
            .unwrap()
            .facts
            .is_empty()
    );
    let small = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        scan(FileKind::Jpeg, JPEG, &small).err().map(|e| e.code()),
        Some("too_large")
    );
}

#[test]
fn spreadsheets_are_scanned_and_cleaned() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in [
        (
            "xl/workbook.xml",
            r#"<workbook xmlns:r="r"><sheets><sheet name="S" state="hidden" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>13812345678</t></is></c></row></sheetData></worksheet>"#,
        ),
        (
            "docProps/core.xml",
            r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>张三</dc:creator></cp:coreProperties>"#,
        ),
    ] {
        w.start_file(name, SimpleFileOptions::default()).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let l = Limits::default();
    let s = scan(FileKind::Xlsx, &bytes, &l).unwrap();
    assert!(s.parts.iter().any(|p| p.kind == PartKind::HiddenSheet));
    let cleaned = clean(FileKind::Xlsx, &bytes, &l).unwrap().unwrap();
    assert_eq!(cleaned.removed, vec!["作者".to_owned()]);
    let again = scan(FileKind::Xlsx, &cleaned.bytes, &l).unwrap();
    assert!(
        !again
            .parts
            .iter()
            .any(|p| p.kind == PartKind::PersonalProperty)
    );
}

#[test]
fn pdfs_are_scanned_not_cleaned() {
    let l = Limits::default();
    assert_eq!(
        scan(FileKind::Pdf, b"%PDF-1.4\ngarbage", &l)
            .err()
            .map(|e| e.code()),
        Some("malformed")
    );
    assert!(!can_clean(FileKind::Pdf));
    assert!(clean(FileKind::Pdf, b"%PDF-1.4", &l).unwrap().is_none());
}
