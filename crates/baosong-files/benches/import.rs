//! Issue 7: "Import of a 50-page .docx with 20 images: < 2 s."
//!
//! Builds, in memory, a 50-page document (about 25,000 characters of
//! Chinese prose under headings, with numbered and bulleted lists, tables
//! and 20 JPEG images of 200–500 KB each) and measures `import_docx` on it.
//! The images are a JPEG header and random bytes: the import never decodes
//! an image, it only hashes and copies it.
//!
//!     cargo bench -p baosong-files --bench import

use std::hint::black_box;
use std::io::{Cursor, Write};

use baosong_files::Limits;
use baosong_files::docx::import::import_docx;
use criterion::{Criterion, criterion_group, criterion_main};
use zip::write::SimpleFileOptions;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

const PROSE: &str = "为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政府信息公开质量和实效，现就做好本年度政务公开重点工作通知如下。各单位要结合实际，细化工作措施，明确责任分工，确保各项任务落到实处。";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn run(text: &str, props: &str) -> String {
    format!("<w:r><w:rPr>{props}</w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

fn paragraph(style: &str, num: Option<(u8, u8)>, runs: &str) -> String {
    let num = num.map_or(String::new(), |(id, level)| {
        format!("<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>")
    });
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{num}<w:jc w:val=\"both\"/></w:pPr>{runs}</w:p>"
    )
}

fn image(i: usize) -> String {
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5400000" cy="3600000"/><wp:docPr id="{i}" name="图片 {i}" descr="现场照片 {i}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="rIdImg{i}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

fn table(rows: usize) -> String {
    let cell = |t: &str| {
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr><w:p>{}</w:p></w:tc>",
            run(t, "")
        )
    };
    let mut out = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/></w:tblPr>");
    for r in 0..rows {
        out.push_str(&format!(
            "<w:tr>{}{}{}</w:tr>",
            cell(&format!("第{r}项任务")),
            cell("办公室"),
            cell("年底前完成")
        ));
    }
    out.push_str("</w:tbl>");
    out
}

/// The document body: 50 sections (a page each) of about 500 characters.
fn body() -> String {
    let mut body = String::new();
    let mut images = 0;
    for section in 0..50 {
        body.push_str(&paragraph(
            "1",
            None,
            &run(&format!("第{section}部分 工作要求"), ""),
        ));
        body.push_str(&paragraph("2", None, &run("（一）总体目标", "")));
        for k in 0..3 {
            let runs = format!(
                "{}{}{}",
                run(PROSE, ""),
                run("重点任务", "<w:b/>"),
                run(
                    &PROSE[..PROSE.len() / 2 - PROSE.len() / 2 % 3],
                    if k == 0 { "<w:i/>" } else { "" }
                )
            );
            body.push_str(&paragraph("a", None, &runs));
        }
        body.push_str(&paragraph("a", Some((1, 0)), &run("完善公开制度", "")));
        body.push_str(&paragraph("a", Some((2, 1)), &run("修订公开目录", "")));
        body.push_str(&paragraph("a", Some((1, 0)), &run("加强业务培训", "")));
        if section % 10 == 5 {
            body.push_str(&table(8));
        }
        if section % 5 != 4 && images < 20 {
            images += 1;
            body.push_str(&image(images));
        }
    }
    body
}

fn build() -> Vec<u8> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{}<w:sectPr/></w:body></w:document>"#,
        body()
    );
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {NS}><w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering {NS}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut media = Vec::new();
    for i in 1..=20 {
        rels.push_str(&format!(
            r#"<Relationship Id="rIdImg{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{i}.jpeg"/>"#
        ));
        let size = 200_000 + (rng.next() % 300_000) as usize;
        let mut jpeg = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
        ];
        while jpeg.len() < size {
            jpeg.extend_from_slice(&rng.next().to_le_bytes());
        }
        media.push((format!("word/media/image{i}.jpeg"), jpeg));
    }
    rels.push_str("</Relationships>");
    let root_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default();
    // Word stores JPEGs deflated too; random bytes do not shrink either way.
    let mut put = |name: &str, data: &[u8]| {
        w.start_file(name, deflated).expect("zip in memory");
        w.write_all(data).expect("zip in memory");
    };
    put("[Content_Types].xml", b"<Types/>");
    put("_rels/.rels", root_rels.as_bytes());
    put("word/document.xml", document.as_bytes());
    put("word/_rels/document.xml.rels", rels.as_bytes());
    put("word/styles.xml", styles.as_bytes());
    put("word/numbering.xml", numbering.as_bytes());
    for (name, data) in &media {
        put(name, data);
    }
    w.finish().expect("zip in memory").into_inner()
}

fn bench_import(c: &mut Criterion) {
    let bytes = build();
    let limits = Limits::default();
    let doc = import_docx(&bytes, &limits).expect("the bench document imports");
    let chars = doc.markdown.chars().filter(|c| !c.is_ascii()).count();
    eprintln!(
        "bench document: {:.1} MB, {} images, {} non-ASCII characters of Markdown",
        bytes.len() as f64 / 1e6,
        doc.images.len(),
        chars
    );
    assert_eq!(doc.images.len(), 20);
    let mut group = c.benchmark_group("docx_import");
    group.sample_size(10);
    group.bench_function("50_pages_20_images", |b| {
        b.iter(|| import_docx(black_box(&bytes), &limits))
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
