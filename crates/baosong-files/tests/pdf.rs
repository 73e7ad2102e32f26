//! PDF scanning on a real Chinese PDF made by LibreOffice at test time (from
//! tests/fixtures/pdf/src/notice.fodt), and on small hand-written PDFs for
//! what LibreOffice never writes: a Type0 font with the predefined GBK-EUC-H
//! CMap and no ToUnicode map (old 公文 PDFs), an Identity-H font without a
//! ToUnicode map, and a scanned page (an image, no text).

mod common;

use baosong_check::{DocumentScan, FactKind, PartKind};
use baosong_files::Limits;
use baosong_files::pdf::scan_pdf;

fn parts(scan: &DocumentScan, kind: PartKind) -> Vec<(&str, &str)> {
    scan.parts
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| (p.location.as_str(), p.text.as_str()))
        .collect()
}

fn not_extracted(scan: &DocumentScan) -> Vec<&str> {
    scan.facts
        .iter()
        .filter(|f| f.kind == FactKind::TextNotExtracted)
        .map(|f| f.label.as_str())
        .collect()
}

#[test]
fn libreoffice_pdf_text_per_page_and_properties() {
    let bytes = common::convert("pdf/src/notice.fodt", "pdf");
    let scan = scan_pdf(&bytes, &Limits::default()).unwrap();
    let visible = parts(&scan, PartKind::Visible);
    assert_eq!(visible.len(), 2, "{visible:?}");
    assert_eq!(visible[0].0, "第 1 页");
    assert!(
        visible[0].1.contains("关于开展安全检查的通知"),
        "{}",
        visible[0].1
    );
    assert!(visible[0].1.contains("13812345678"), "{}", visible[0].1);
    assert_eq!(visible[1].0, "第 2 页");
    assert!(visible[1].1.contains("区应急管理局"), "{}", visible[1].1);
    assert!(not_extracted(&scan).is_empty(), "{:?}", scan.facts);
    assert_eq!(
        parts(&scan, PartKind::PersonalProperty),
        vec![("作者", "张三")]
    );
    let props = parts(&scan, PartKind::DocumentProperty);
    assert!(
        props.contains(&("标题", "关于开展安全检查的通知")),
        "{props:?}"
    );

    // The check engine finds the phone number on page 1.
    let report = check(&scan);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "pii.mobile" && f.matched == "13812345678"),
        "{:#?}",
        report.findings
    );
}

#[test]
fn pdfa_xmp_metadata_is_read_too() {
    let bytes = common::convert(
        "pdf/src/notice.fodt",
        r#"pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}"#,
    );
    let scan = scan_pdf(&bytes, &Limits::default()).unwrap();
    // LibreOffice writes the author to both Info and XMP: reported once.
    assert_eq!(
        parts(&scan, PartKind::PersonalProperty),
        vec![("作者", "张三")]
    );
    assert_eq!(parts(&scan, PartKind::Visible).len(), 2);
}

#[test]
fn xmp_only_author_is_found() {
    let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>赵六</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let pdf = minimal_pdf_with(&["BT ET"], TYPE0_GBK, Some(xmp));
    let scan = scan_pdf(&pdf, &Limits::default()).unwrap();
    assert_eq!(
        parts(&scan, PartKind::PersonalProperty),
        vec![("作者", "赵六")]
    );
}

#[test]
fn password_protected_pdf_is_refused_as_encrypted() {
    let bytes = common::convert(
        "pdf/src/notice.fodt",
        r#"pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}"#,
    );
    assert_eq!(
        scan_pdf(&bytes, &Limits::default()).err().map(|e| e.code()),
        Some("encrypted")
    );
}

#[test]
fn gbk_font_without_unicode_map_is_decoded_with_the_standard_cmap() {
    // 内部资料 in GBK, and a phone number; the ToUnicode map is absent.
    let (gbk, _, _) = encoding_rs::GBK.encode("内部资料 联系电话13912345678");
    let content = format!("BT /F1 12 Tf 72 700 Td <{}> Tj ET", hex(&gbk));
    let pdf = minimal_pdf(&[&content], TYPE0_GBK);
    let scan = scan_pdf(&pdf, &Limits::default()).unwrap();
    assert_eq!(
        parts(&scan, PartKind::Visible),
        vec![("第 1 页", "内部资料 联系电话13912345678")]
    );
    assert!(not_extracted(&scan).is_empty());
    assert!(check(&scan).findings.iter().any(|f| f.rule == "pii.mobile"));
}

#[test]
fn text_inside_a_form_xobject_is_read() {
    let pdf = minimal_pdf(&["q /Fm1 Do Q"], TYPE0_GBK);
    let scan = scan_pdf(&pdf, &Limits::default()).unwrap();
    assert_eq!(
        parts(&scan, PartKind::Visible),
        vec![("第 1 页", "表单里的文字")]
    );
    assert!(scan.facts.is_empty(), "{:?}", scan.facts);
}

#[test]
fn ucs2_cmap_is_unicode() {
    let utf16: Vec<u8> = "秘密★1年"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let content = format!("BT /F1 12 Tf 72 700 Td <{}> Tj ET", hex(&utf16));
    let font = TYPE0_GBK.replace("GBK-EUC-H", "UniGB-UCS2-H");
    let scan = scan_pdf(&minimal_pdf(&[&content], &font), &Limits::default()).unwrap();
    assert_eq!(
        parts(&scan, PartKind::Visible),
        vec![("第 1 页", "秘密★1年")]
    );
}

#[test]
fn identity_font_without_unicode_map_and_scanned_page_need_a_person() {
    let glyphs = "BT /F1 12 Tf 72 700 Td <00120034005600780099> Tj ET";
    let font = TYPE0_GBK.replace("GBK-EUC-H", "Identity-H");
    let image_only = "q 100 0 0 100 72 600 cm /Im1 Do Q";
    // An inline 1×1 grey image with two data bytes where one belongs.
    let damaged = "BI /W 1 /H 1 /CS /G /BPC 8 ID \u{80} EI";
    let pdf = minimal_pdf(&[glyphs, image_only, "BT /F1 12 Tf ET", damaged], &font);
    let scan = scan_pdf(&pdf, &Limits::default()).unwrap();
    assert!(parts(&scan, PartKind::Visible).is_empty(), "{scan:?}");
    // Page 3 shows no text at all and draws nothing: nothing to report.
    assert_eq!(not_extracted(&scan), vec!["第 1 页", "第 2 页"]);
    // Page 4's content stream is damaged: said so, the rest still scanned.
    let unreadable: Vec<&str> = scan
        .facts
        .iter()
        .filter(|f| f.kind == FactKind::Unreadable)
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(unreadable, vec!["第 4 页"]);
    let report = check(&scan);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "attachment.text_not_extracted")
    );
}

#[test]
fn not_a_pdf_damaged_or_too_large() {
    let l = Limits::default();
    assert_eq!(
        scan_pdf(b"hello", &l).err().map(|e| e.code()),
        Some("unsupported")
    );
    assert_eq!(
        scan_pdf(b"%PDF-1.4\ngarbage", &l).err().map(|e| e.code()),
        Some("malformed")
    );
    let small = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let pdf = minimal_pdf(&["BT ET"], TYPE0_GBK);
    assert_eq!(
        scan_pdf(&pdf, &small).err().map(|e| e.code()),
        Some("too_large")
    );
}

/// A Type0 font with the predefined GBK-EUC-H CMap and no ToUnicode map,
/// as old Chinese office software wrote (fonts not embedded).
const TYPE0_GBK: &str = "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /GBK-EUC-H \
    /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /SimSun \
    /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
    /FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 6 \
    /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >> \
    /DW 1000 >>] >>";

/// A PDF with one page per content stream, all using `font` as /F1; the
/// cross-reference table is computed, so the file is valid.
fn minimal_pdf(contents: &[&str], font: &str) -> Vec<u8> {
    minimal_pdf_with(contents, font, None)
}

/// The same, with an XMP metadata stream (as the last object) if given.
fn minimal_pdf_with(contents: &[&str], font: &str, xmp: Option<&str>) -> Vec<u8> {
    let n = contents.len();
    // Objects: 1 catalog, 2 pages, 3 font, 4 a 1×1 grey image, 5 a form
    // XObject showing GBK text, then (page, content) pairs, then metadata.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let metadata_id = 6 + 2 * n;
    objects.push(match xmp {
        Some(_) => {
            format!("<< /Type /Catalog /Pages 2 0 R /Metadata {metadata_id} 0 R >>").into_bytes()
        }
        None => b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
    });
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(font.as_bytes().to_vec());
    objects.push(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray \
          /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
            .to_vec(),
    );
    let (gbk, _, _) = encoding_rs::GBK.encode("表单里的文字");
    let form = format!("BT /F1 12 Tf 72 700 Td <{}> Tj ET", hex(&gbk));
    objects.push(
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Length {} >>\nstream\n{form}\nendstream",
            form.len()
        )
        .into_bytes(),
    );
    for (i, content) in contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R /Fm1 5 0 R >> >> \
                 /Contents {} 0 R >>",
                7 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    if let Some(xmp) = xmp {
        objects.push(
            format!(
                "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream",
                xmp.len()
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn check(scan: &DocumentScan) -> baosong_check::CheckReport {
    let input = baosong_check::CheckInput::body("", baosong_check::BodyFormat::Plain);
    let attachment = baosong_check::AttachmentInput {
        sha256: "00",
        name: "通知.pdf",
        media_type: "application/pdf",
        alt: "",
        scan,
    };
    baosong_check::Checker::new().check_with_attachments(&input, &[attachment])
}
