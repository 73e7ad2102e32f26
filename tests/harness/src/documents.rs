//! Test documents built in code, with known hidden content.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A .docx as Word leaves it after a review round: a tracked deletion
/// still holding the original wording (with a mobile number), a comment by
/// 王科长, and 张三 as the author property. Visible text: 会议部署了工作。
pub fn leaky_docx() -> Vec<u8> {
    let parts = [
        (
            "[Content_Types].xml",
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#.to_owned(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<w:document {W}><w:body><w:p><w:r><w:t>会议部署了工作。</w:t></w:r><w:del w:id="1" w:author="王科长"><w:r><w:delText>原稿含手机号13812345678</w:delText></w:r></w:del><w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>"#
            ),
        ),
        (
            "word/comments.xml",
            format!(
                r#"<w:comments {W}><w:comment w:id="0" w:author="王科长"><w:p><w:r><w:t>请再核实</w:t></w:r></w:p></w:comment></w:comments>"#
            ),
        ),
        (
            "docProps/core.xml",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>张三</dc:creator></cp:coreProperties>"#.to_owned(),
        ),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        // Test data written to memory: these cannot fail.
        let _ = w.start_file(name, SimpleFileOptions::default());
        let _ = w.write_all(xml.as_bytes());
    }
    w.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// A photo-like JPEG of `width`×`height` (gradients with noise, so it
/// compresses like a photo, not like a flat colour), quality 92.
pub fn photo_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9;
    let img = image::RgbImage::from_fn(width, height, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x % 32) as u8;
        image::Rgb([(i / 10) as u8 ^ n, (j / 7) as u8, 128u8.wrapping_add(n)])
    });
    let mut out = Vec::new();
    // Encoding into memory fails only on a programming error.
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .expect("encode a test photo");
    out
}
