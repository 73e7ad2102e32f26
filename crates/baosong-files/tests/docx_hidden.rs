//! Hidden content in .docx files: found by the scan, removed by the clean,
//! and nothing else changed. The packages here are written by the test, so
//! each XML case is exact; tests/docx_libreoffice.rs does the same on
//! documents LibreOffice wrote.

use std::io::{Cursor, Read, Write};

use baosong_check::{PartKind, TextPart};
use baosong_files::Limits;
use baosong_files::docx::clean::clean_docx;
use baosong_files::docx::scan::scan_docx;
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(document_body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    let mut parts: Vec<(String, String)> = vec![
        (
            "[Content_Types].xml".into(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#.into(),
        ),
        (
            "word/_rels/document.xml.rels".into(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.into(),
        ),
        (
            "word/document.xml".into(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{document_body}</w:body></w:document>"#),
        ),
        ("word/styles.xml".into(), format!("<w:styles {W}/>")),
    ];
    parts.extend(extra.iter().map(|(n, x)| (n.to_string(), x.to_string())));
    for (name, xml) in parts {
        w.start_file(name, opts).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

fn kinds(parts: &[TextPart]) -> Vec<PartKind> {
    parts.iter().map(|p| p.kind).collect()
}

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>秋季安全工作会议</dc:title><dc:creator>张三</dc:creator><cp:lastModifiedBy>李四 13812345678</cp:lastModifiedBy></cp:coreProperties>"#;

fn comments() -> String {
    format!(
        r#"<w:comments {W}><w:comment w:id="0" w:author="王科长"><w:p><w:r><w:t>这段涉及内部资料，发布前删掉</w:t></w:r></w:p></w:comment></w:comments>"#
    )
}

const BODY: &str = r#"<w:p><w:r><w:t>会议部署了</w:t></w:r><w:del w:id="1" w:author="王科长"><w:r><w:delText>机密★1年 的</w:delText></w:r></w:del><w:ins w:id="2" w:author="王科长"><w:r><w:t>秋季</w:t></w:r></w:ins><w:r><w:t>安全工作。</w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:t>请各校落实。</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>联系人身份证 11010519491231002X</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>特此通知</w:t></w:r></w:p>"#;

#[test]
fn scan_finds_each_kind_of_hidden_content() {
    let c = comments();
    let bytes = docx(
        BODY,
        &[("word/comments.xml", &c), ("docProps/core.xml", CORE)],
    );
    let scan = scan_docx(&bytes, &Limits::default()).unwrap();
    let k = kinds(&scan.parts);
    for want in [
        PartKind::Visible,
        PartKind::TrackedInsertion,
        PartKind::TrackedDeletion,
        PartKind::HiddenText,
        PartKind::Comment,
        PartKind::PersonalProperty,
        PartKind::DocumentProperty,
    ] {
        assert!(k.contains(&want), "{want:?} missing from {k:?}");
    }
    let text = |kind: PartKind| -> String {
        scan.parts
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    // What a reader sees: insertions in, deletions and hidden text out.
    assert_eq!(
        text(PartKind::Visible),
        "会议部署了秋季安全工作。请各校落实。\n特此通知\n"
    );
    assert_eq!(text(PartKind::TrackedDeletion), "机密★1年 的\n");
    assert_eq!(text(PartKind::TrackedInsertion), "秋季\n");
    assert_eq!(
        text(PartKind::HiddenText),
        "联系人身份证 11010519491231002X\n"
    );
    assert_eq!(text(PartKind::Comment), "这段涉及内部资料，发布前删掉\n");
    assert_eq!(text(PartKind::PersonalProperty), "张三|李四 13812345678");
    assert_eq!(text(PartKind::DocumentProperty), "秋季安全工作会议");
    let loc = |kind: PartKind| {
        scan.parts
            .iter()
            .find(|p| p.kind == kind)
            .unwrap()
            .location
            .clone()
    };
    assert!(
        loc(PartKind::Comment).contains("王科长"),
        "{}",
        loc(PartKind::Comment)
    );
    assert!(loc(PartKind::TrackedDeletion).contains("1 处"));
}

#[test]
fn the_check_engine_blocks_on_what_the_scan_found() {
    let c = comments();
    let bytes = docx(
        BODY,
        &[("word/comments.xml", &c), ("docProps/core.xml", CORE)],
    );
    let scan = scan_docx(&bytes, &Limits::default()).unwrap();
    let checker = baosong_check::Checker::new();
    let att = baosong_check::AttachmentInput {
        sha256: &"a".repeat(64),
        name: "通知.docx",
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        alt: "",
        scan: &scan,
    };
    let report = checker.check_with_attachments(
        &baosong_check::CheckInput::body("", baosong_check::BodyFormat::Plain),
        &[att],
    );
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    for want in [
        "attachment.comment",
        "attachment.tracked_deletion",
        "attachment.hidden_text",
        "attachment.personal_property",
        // The detectors read hidden text too: the marking in the deletion,
        // the ID number in the hidden run, the phone in a property.
        "marking.level",
        "pii.resident_id",
        "pii.mobile",
    ] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    assert!(!baosong_check::gate(&report, &[]).ready);
}

#[test]
fn clean_removes_hidden_content_and_keeps_the_rest() {
    let c = comments();
    let custom = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"><property name="拟稿人" fmtid="x" pid="2"><vt:lpwstr xmlns:vt="v">赵六</vt:lpwstr></property></Properties>"#;
    let bytes = docx(
        BODY,
        &[
            ("word/comments.xml", &c),
            ("docProps/core.xml", CORE),
            ("docProps/custom.xml", custom),
            ("word/media/image1.png", "not really a png, copied as is"),
        ],
    );
    let cleaned = clean_docx(&bytes, &Limits::default()).unwrap();
    let said = cleaned.removed.join("；");
    for want in [
        "批注 1 条",
        "修订 2 处",
        "隐藏文字 1 处",
        "作者",
        "最后修改者",
        "自定义属性",
    ] {
        assert!(said.contains(want), "{want} missing from {said}");
    }
    // Rescanning finds only what a reader sees and the title.
    let scan = scan_docx(&cleaned.bytes, &Limits::default()).unwrap();
    assert_eq!(
        kinds(&scan.parts),
        vec![PartKind::Visible, PartKind::DocumentProperty],
        "{:?}",
        scan.parts
    );
    assert_eq!(
        scan.parts[0].text,
        "会议部署了秋季安全工作。请各校落实。\n特此通知\n"
    );
    let doc = part(&cleaned.bytes, "word/document.xml").unwrap();
    assert!(!doc.contains("w:del") && !doc.contains("w:ins") && !doc.contains("comment"));
    assert!(doc.contains("<w:b/>"), "formatting kept: {doc}");
    // Dropped parts are gone, and so are the references to them.
    assert!(part(&cleaned.bytes, "word/comments.xml").is_none());
    assert!(part(&cleaned.bytes, "docProps/custom.xml").is_none());
    let rels = part(&cleaned.bytes, "word/_rels/document.xml.rels").unwrap();
    assert!(
        !rels.contains("comments.xml") && rels.contains("styles.xml"),
        "{rels}"
    );
    let types = part(&cleaned.bytes, "[Content_Types].xml").unwrap();
    assert!(!types.contains("/word/comments.xml") && types.contains("/word/document.xml"));
    // Untouched parts are byte-identical.
    assert_eq!(
        part(&cleaned.bytes, "word/media/image1.png").as_deref(),
        Some("not really a png, copied as is")
    );
    let core = part(&cleaned.bytes, "docProps/core.xml").unwrap();
    assert!(!core.contains("张三") && !core.contains("李四") && core.contains("秋季安全工作会议"));
    // Cleaning a clean file changes nothing more.
    let again = clean_docx(&cleaned.bytes, &Limits::default()).unwrap();
    assert!(again.removed.is_empty(), "{:?}", again.removed);
}

#[test]
fn broken_documents_get_a_clear_error() {
    let l = Limits::default();
    let code = |b: &[u8]| scan_docx(b, &l).err().map(|e| e.code());
    assert_eq!(code(b"not a zip"), Some("not_a_zip"));
    let no_doc = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("hello.txt", SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"hi").unwrap();
        w.finish().unwrap().into_inner()
    };
    assert_eq!(code(&no_doc), Some("missing_part"));
    assert_eq!(
        code(&docx("<w:p><w:r><w:t>unclosed</w:r></w:p>", &[])),
        Some("malformed")
    );
    let deep = "<w:p>".repeat(400) + &"</w:p>".repeat(400);
    assert_eq!(code(&docx(&deep, &[])), Some("too_deep"));
    assert_eq!(
        clean_docx(&docx(&deep, &[]), &l).err().map(|e| e.code()),
        Some("too_deep")
    );
}
