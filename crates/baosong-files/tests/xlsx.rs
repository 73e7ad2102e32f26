//! Spreadsheet scanning and cleaning on a real .xlsx written by LibreOffice
//! from tests/fixtures/xlsx/src/hidden.fods (a hidden sheet with a phone
//! list, a hidden row, a hidden column, a comment, author properties), and
//! on a small hand-built package for what LibreOffice does not write
//! (inline strings, threaded comments, company and manager).

mod common;

use std::io::{Cursor, Read, Write};

use baosong_check::{DocumentScan, PartKind};
use baosong_files::Limits;
use baosong_files::xlsx::{clean_xlsx, scan_xlsx};
use zip::write::SimpleFileOptions;

fn parts(scan: &DocumentScan, kind: PartKind) -> Vec<(&str, &str)> {
    scan.parts
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| (p.location.as_str(), p.text.as_str()))
        .collect()
}

#[test]
fn libreoffice_workbook_hidden_content_is_found() {
    let bytes = common::convert("xlsx/src/hidden.fods", "xlsx");
    let scan = scan_xlsx(&bytes, &Limits::default()).unwrap();

    let visible = parts(&scan, PartKind::Visible);
    assert_eq!(visible.len(), 1, "{visible:?}");
    assert_eq!(visible[0].0, "公开数据");
    assert!(visible[0].1.contains("东城街道\t120"), "{}", visible[0].1);
    assert!(visible[0].1.contains("西城街道\t95"));
    // Hidden row and column content is not among the visible text.
    assert!(!visible[0].1.contains("13700003333"));
    assert!(!visible[0].1.contains("13600002222"));

    assert_eq!(
        parts(&scan, PartKind::HiddenSheet),
        vec![("通讯录", "吴九\t13800004444")]
    );
    let hidden = parts(&scan, PartKind::HiddenCells);
    assert!(
        hidden.contains(&("公开数据 第 3 行", "内部备注\t周八 13700003333")),
        "{hidden:?}"
    );
    assert!(
        hidden.contains(&("公开数据 C 列", "联系人\n孙七 13600002222")),
        "{hidden:?}"
    );

    let comments = parts(&scan, PartKind::Comment);
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert!(
        comments[0].0.starts_with("批注 公开数据!A2"),
        "{comments:?}"
    );
    assert!(comments[0].1.contains("数据待核实 13500001111"));

    let personal = parts(&scan, PartKind::PersonalProperty);
    assert!(personal.contains(&("作者", "张三")), "{personal:?}");
    assert!(personal.contains(&("最后修改者", "李四")), "{personal:?}");
    assert!(
        personal.contains(&("自定义属性“拟稿人”", "王五")),
        "{personal:?}"
    );
    assert!(parts(&scan, PartKind::DocumentProperty).contains(&("标题属性", "走访名单")));

    // The check engine reports the hidden sheet and finds its phone number.
    let report = check(&scan);
    let has = |rule: &str, text: &str| {
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && f.matched.contains(text))
    };
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "attachment.hidden_sheet")
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "attachment.comment")
    );
    assert!(has("pii.mobile", "13800004444"), "{:#?}", report.findings);
}

#[test]
fn libreoffice_workbook_cleaned_has_no_comments_or_personal_properties() {
    let bytes = common::convert("xlsx/src/hidden.fods", "xlsx");
    let cleaned = clean_xlsx(&bytes, &Limits::default()).unwrap();
    assert!(
        cleaned.removed.contains(&"批注 1 条".to_owned()),
        "{:?}",
        cleaned.removed
    );
    assert!(cleaned.removed.contains(&"作者".to_owned()));
    assert!(cleaned.removed.contains(&"自定义属性".to_owned()));

    let scan = scan_xlsx(&cleaned.bytes, &Limits::default()).unwrap();
    assert!(parts(&scan, PartKind::Comment).is_empty());
    assert!(
        parts(&scan, PartKind::PersonalProperty).is_empty(),
        "{scan:?}"
    );
    // The rest is untouched: hidden content stays for a person to decide.
    assert_eq!(parts(&scan, PartKind::HiddenSheet).len(), 1);
    assert_eq!(
        parts(&scan, PartKind::DocumentProperty),
        vec![("标题属性", "走访名单")]
    );

    let names = part_names(&cleaned.bytes);
    assert!(
        !names
            .iter()
            .any(|n| n.contains("comments") || n.ends_with(".vml")),
        "{names:?}"
    );
    assert!(!names.contains(&"docProps/custom.xml".to_owned()));
    let text = |name: &str| part_text(&cleaned.bytes, name);
    assert!(!text("[Content_Types].xml").contains("comments"));
    assert!(!text("[Content_Types].xml").contains("custom.xml"));
    assert!(!text("xl/worksheets/sheet1.xml").contains("legacyDrawing"));
    assert!(!text("xl/worksheets/_rels/sheet1.xml.rels").contains("comments"));
    assert!(!text("_rels/.rels").contains("custom"));
    // Unchanged parts are byte-identical.
    for name in [
        "xl/worksheets/sheet2.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
    ] {
        assert_eq!(part_text(&bytes, name), text(name), "{name}");
    }

    // LibreOffice opens the cleaned file and reads the same visible cells.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cleaned.xlsx");
    std::fs::write(&path, &cleaned.bytes).unwrap();
    let again = common::convert(path.to_str().unwrap(), "xlsx");
    let rescan = scan_xlsx(&again, &Limits::default()).unwrap();
    assert_eq!(
        parts(&rescan, PartKind::Visible),
        parts(&scan, PartKind::Visible)
    );
}

#[test]
fn hand_built_inline_strings_threaded_comments_and_company() {
    let bytes = zip_of(&[
        (
            "xl/workbook.xml",
            r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<worksheet><cols><col min="2" max="3" hidden="1"/></cols><sheetData>
               <row r="1"><c r="A1" t="inlineStr"><is><t>甲 &amp; 乙</t></is></c><c r="B1" t="inlineStr"><is><r><t>隐</t></r><r><t>藏</t></r></is></c><c r="D1"><v>3.5</v></c></row>
               <row r="2" hidden="1"><c r="A2" t="str"><v>公式结果</v></c></row>
               </sheetData></worksheet>"#,
        ),
        (
            "xl/worksheets/_rels/sheet1.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="http://x/threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>"#,
        ),
        (
            "xl/threadedComments/threadedComment1.xml",
            r#"<ThreadedComments><threadedComment ref="A1" personId="{1}"><text>请核对 13912345678</text></threadedComment></ThreadedComments>"#,
        ),
        (
            "docProps/app.xml",
            "<Properties><Company>某某局办公室</Company><Manager>钱主任</Manager></Properties>",
        ),
        (
            "xl/pivotCache/pivotCacheDefinition1.xml",
            r#"<pivotCacheDefinition><cacheFields><cacheField name="姓名"><sharedItems><s v="郑十"/></sharedItems></cacheField><cacheField name="电话"><sharedItems><n v="13612345678"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>"#,
        ),
    ]);
    let scan = scan_xlsx(&bytes, &Limits::default()).unwrap();
    assert_eq!(parts(&scan, PartKind::Visible), vec![("S", "甲 & 乙\t3.5")]);
    let hidden = parts(&scan, PartKind::HiddenCells);
    assert_eq!(
        hidden,
        vec![
            ("S 第 2 行", "公式结果"),
            ("S B 列", "隐藏"),
            (
                "数据透视表缓存 pivotCacheDefinition1.xml",
                "郑十\n13612345678"
            ),
        ]
    );
    assert_eq!(
        parts(&scan, PartKind::Comment),
        vec![("批注 S!A1", "请核对 13912345678")]
    );
    assert_eq!(
        parts(&scan, PartKind::PersonalProperty),
        vec![("公司", "某某局办公室"), ("经理", "钱主任")]
    );

    let cleaned = clean_xlsx(&bytes, &Limits::default()).unwrap();
    let rescan = scan_xlsx(&cleaned.bytes, &Limits::default()).unwrap();
    assert!(parts(&rescan, PartKind::Comment).is_empty());
    assert!(parts(&rescan, PartKind::PersonalProperty).is_empty());
    assert_eq!(
        part_text(&cleaned.bytes, "docProps/app.xml"),
        "<Properties><Company></Company><Manager></Manager></Properties>"
    );
}

#[test]
fn bad_workbooks_are_refused_clearly() {
    let l = Limits::default();
    assert_eq!(
        scan_xlsx(b"not a zip", &l).err().map(|e| e.code()),
        Some("not_a_zip")
    );
    let no_workbook = zip_of(&[("docProps/app.xml", "<Properties/>")]);
    assert_eq!(
        scan_xlsx(&no_workbook, &l).err().map(|e| e.code()),
        Some("missing_part")
    );
    let deep = format!("<worksheet>{}</worksheet>", "<x>".repeat(300));
    let bytes = zip_of(&[
        (
            "xl/workbook.xml",
            r#"<workbook><sheets><sheet name="S" r:id="rId1" xmlns:r="r"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", &deep),
    ]);
    assert_eq!(
        scan_xlsx(&bytes, &l).err().map(|e| e.code()),
        Some("too_deep")
    );
}

fn check(scan: &DocumentScan) -> baosong_check::CheckReport {
    let input = baosong_check::CheckInput::body("", baosong_check::BodyFormat::Plain);
    let attachment = baosong_check::AttachmentInput {
        sha256: "00",
        name: "名单.xlsx",
        media_type: baosong_files::FileKind::Xlsx.media_type(),
        alt: "",
        scan,
    };
    baosong_check::Checker::new().check_with_attachments(&input, &[attachment])
}

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn part_names(bytes: &[u8]) -> Vec<String> {
    let z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    z.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn part_text(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}
