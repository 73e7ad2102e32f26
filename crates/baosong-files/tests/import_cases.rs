//! Import of hand-built .docx packages: the XML that Word and WPS write and
//! LibreOffice does not (WPS style names, bare outline levels, vertical
//! merges, tracked changes, hidden text, nested tables, reused images,
//! fields, text boxes), and the files that must be refused.

use std::io::{Cursor, Write};
use std::time::Duration;

use baosong_files::Limits;
use baosong_files::docx::import::{ImportedDocument, import_docx};
use zip::write::SimpleFileOptions;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// A package: `body` inside w:document/w:body, plus any other parts.
/// `rels` are Relationship elements for word/_rels/document.xml.rels.
fn docx(body: &str, rels: &str, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let doc_rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    let root_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let mut all: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", root_rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
    ];
    all.extend_from_slice(parts);
    zip_of(&all)
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn styles(inner: &str) -> String {
    format!(r#"<?xml version="1.0"?><w:styles {NS}>{inner}</w:styles>"#)
}

fn import(bytes: &[u8]) -> ImportedDocument {
    import_docx(bytes, &Limits::default()).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn styled(style: &str, text: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

#[test]
fn wps_and_word_heading_styles_and_outline_levels() {
    // WPS/Chinese Word: ids are numbers, names are "标题 1" / "heading 2";
    // a custom style based on a heading is a heading; a style with only an
    // outline level is one; a paragraph's own outline level is one.
    let styles = styles(
        r#"<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 1"/></w:style>
           <w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 2"/><w:basedOn w:val="2"/></w:style>
           <w:style w:type="paragraph" w:styleId="a7"><w:name w:val="公文小标题"/><w:basedOn w:val="3"/></w:style>
           <w:style w:type="paragraph" w:styleId="x1"><w:name w:val="章节"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
           <w:style w:type="paragraph" w:styleId="loop"><w:name w:val="循环"/><w:basedOn w:val="loop"/></w:style>"#,
    );
    let body = [
        styled("2", "一级标题"),
        styled("3", "二级标题"),
        styled("a7", "继承的二级标题"),
        styled("x1", "大纲四级"),
        "<w:p><w:pPr><w:outlineLvl w:val=\"2\"/></w:pPr><w:r><w:t>只有大纲级别</w:t></w:r></w:p>"
            .to_owned(),
        "<w:p><w:pPr><w:pStyle w:val=\"2\"/><w:outlineLvl w:val=\"9\"/></w:pPr><w:r><w:t>正文级别</w:t></w:r></w:p>"
            .to_owned(),
        styled("loop", "坏样式"),
    ]
    .concat();
    let doc = import(&docx(&body, "", &[("word/styles.xml", styles.as_bytes())]));
    assert_eq!(
        doc.markdown,
        "# 一级标题\n\n## 二级标题\n\n## 继承的二级标题\n\n#### 大纲四级\n\n### 只有大纲级别\n\n正文级别\n\n坏样式\n"
    );
    assert_eq!(doc.title, "一级标题", "no dc:title: the first heading");
}

#[test]
fn merged_cells_split_with_text_in_the_first() {
    let cell =
        |props: &str, text: &str| format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text));
    let body = format!(
        "<w:tbl><w:tblGrid/><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        cell("<w:gridSpan w:val=\"2\"/>", "跨两列"),
        cell("", "丙"),
        cell("<w:vMerge w:val=\"restart\"/>", "跨两行"),
        cell("", "乙"),
        cell("", "丙2"),
        cell("<w:vMerge/>", ""),
        cell("", "乙3"),
        cell("", "丙3"),
    );
    let doc = import(&docx(&body, "", &[]));
    assert_eq!(
        doc.markdown,
        "| 跨两列 |  | 丙 |\n| --- | --- | --- |\n| 跨两行 | 乙 | 丙2 |\n|  | 乙3 | 丙3 |\n"
    );
    assert_eq!(doc.notes.len(), 1);
    assert!(doc.notes[0].contains("合并单元格"));
}

#[test]
fn tracked_changes_read_as_accepted() {
    let body = r#"<w:p><w:r><w:t>原文</w:t></w:r><w:del w:id="1" w:author="张三"><w:r><w:delText>删掉的话</w:delText></w:r></w:del><w:ins w:id="2" w:author="张三"><w:r><w:t>新增的话</w:t></w:r></w:ins></w:p>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>保留行</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:del w:id="3" w:author="张三"/></w:trPr><w:tc><w:p><w:r><w:t>删除的行</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let doc = import(&docx(body, "", &[]));
    assert_eq!(doc.markdown, "原文新增的话\n\n| 保留行 |\n| --- |\n");
    assert!(!doc.markdown.contains("删"));
    assert!(
        doc.notes.iter().any(|n| n.contains("修订")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn hidden_text_comments_and_field_codes_are_left_out() {
    let body = r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>看得见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>看不见</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>
        <w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>，关掉的隐藏</w:t></w:r>
        <w:r><w:t>，第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r></w:p>"#;
    let doc = import(&docx(body, "", &[]));
    assert_eq!(doc.markdown, "看得见，关掉的隐藏，第3页\n");
    assert!(
        doc.notes.iter().any(|n| n.contains("批注")),
        "{:?}",
        doc.notes
    );
    assert!(
        doc.notes.iter().any(|n| n.contains("隐藏")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn nested_tables_flatten_into_their_cell() {
    let inner = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        p("内甲"),
        p("内乙")
    );
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}{inner}</w:tc></w:tr></w:tbl>",
        p("外"),
        p("含表格：")
    );
    let doc = import(&docx(&body, "", &[]));
    assert_eq!(doc.markdown, "| 外 | 含表格： 内甲 内乙 |\n| --- | --- |\n");
    assert!(
        doc.notes.iter().any(|n| n.contains("嵌套")),
        "{:?}",
        doc.notes
    );
}

fn picture(rid: &str, descr: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="{descr}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    )
}

#[test]
fn an_image_used_twice_is_one_image() {
    let jpeg: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00fake jpeg body";
    let rels = r#"<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.jpeg"/>
        <Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.jpeg"/>
        <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="file:///C:/photo.jpg" TargetMode="External"/>"#;
    let body = format!(
        "<w:p><w:r><w:t>前</w:t></w:r>{}<w:r><w:t>后</w:t></w:r></w:p><w:p>{}</w:p><w:p>{}</w:p>",
        picture("rId5", "会议现场"),
        picture("rId5", ""),
        picture("rId6", "另一份同样的图"),
    );
    let linked = r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="4" name="x"/><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:link="rId7"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#;
    let bytes = docx(
        &format!("{body}{linked}"),
        rels,
        &[
            ("word/media/image1.jpeg", jpeg),
            ("word/media/image2.jpeg", jpeg),
        ],
    );
    let doc = import(&bytes);
    assert_eq!(doc.images.len(), 1, "{:?}", doc.images);
    let image = &doc.images[0];
    assert_eq!(image.name, "image1.jpeg");
    assert_eq!(image.media_type, "image/jpeg");
    assert_eq!(image.alt, "会议现场");
    assert_eq!(image.bytes, jpeg);
    let sha = &image.sha256;
    assert_eq!(sha.len(), 64);
    assert!(
        sha.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(
        doc.markdown,
        format!(
            "前![会议现场](attachment:{sha})后\n\n![](attachment:{sha})\n\n![另一份同样的图](attachment:{sha})\n"
        )
    );
    assert!(
        doc.notes.iter().any(|n| n.contains("链接到外部文件的图片")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn text_boxes_follow_their_paragraph_once() {
    // Word writes a text box twice: DrawingML for new readers, VML in
    // mc:Fallback for old ones. Only one copy may arrive.
    let body = r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="2" name="文本框 2"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
    let doc = import(&docx(body, "", &[]));
    assert_eq!(doc.markdown, "正文\n\n框内文字\n");
    assert!(
        doc.notes.iter().any(|n| n.contains("文本框")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn lists_numbered_bulleted_nested_and_continued() {
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering {NS}>
        <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
        <w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let item = |level: u8, text: &str| {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    };
    let body = [
        item(0, "第一项"),
        item(1, "要点"),
        item(2, "细目一"),
        item(2, "细目二"),
        item(0, "第二项"),
        p("插入的说明"),
        item(0, "第三项"),
    ]
    .concat();
    let doc = import(&docx(
        &body,
        "",
        &[("word/numbering.xml", numbering.as_bytes())],
    ));
    assert_eq!(
        doc.markdown,
        "1. 第一项\n   - 要点\n     1. 细目一\n     2. 细目二\n2. 第二项\n\n插入的说明\n\n3. 第三项\n"
    );
    // chineseCounting (一、二、) has no Markdown form: said so.
    assert_eq!(doc.notes.len(), 1, "{:?}", doc.notes);
    assert!(doc.notes[0].contains("一、"));
}

#[test]
fn markdown_characters_stay_characters_and_emphasis_survives_chinese_punctuation() {
    let body = [
        p("# 不是标题"),
        p("1. 不是列表，*星号* 与 _下划线_ 和 [方括号] 及 `反引号`"),
        "<w:p><w:r><w:t>请</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>务必注意。</w:t></w:r><w:r><w:t>然后</w:t></w:r><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>“加粗斜体”</w:t></w:r><w:r><w:rPr><w:u w:val=\"single\"/></w:rPr><w:t>下划线</w:t></w:r></w:p>".to_owned(),
        "<w:p><w:r><w:t>换行前</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>- 换行后</w:t></w:r><w:r><w:br w:type=\"page\"/></w:r></w:p>".to_owned(),
    ]
    .concat();
    let doc = import(&docx(&body, "", &[]));
    assert_eq!(
        doc.markdown,
        "\\# 不是标题\n\n\
         1\\. 不是列表，\\*星号\\* 与 \\_下划线\\_ 和 \\[方括号\\] 及 \\`反引号\\`\n\n\
         请**务必注意**。然后“***加粗斜体***”下划线\n\n\
         换行前\\\n\\- 换行后\n"
    );
    assert_eq!(
        doc.title, "# 不是标题",
        "the title is plain text, unescaped"
    );
}

#[test]
fn links_footnotes_and_endnotes() {
    let rels = r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.gov.cn/a (1).html" TargetMode="External"/>
        <Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="file:///D:/内部/名单.xlsx" TargetMode="External"/>"#;
    let footnotes = format!(
        r#"<?xml version="1.0"?><w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 脚注正文</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let endnotes = format!(
        r#"<?xml version="1.0"?><w:endnotes {NS}><w:endnote w:id="1"><w:p><w:r><w:t>尾注正文</w:t></w:r></w:p></w:endnote></w:endnotes>"#
    );
    let body = r#"<w:p><w:hyperlink r:id="rId9"><w:r><w:t>政策</w:t></w:r></w:hyperlink><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>，</w:t></w:r><w:hyperlink w:anchor="_Toc1"><w:r><w:t>目录项</w:t></w:r></w:hyperlink><w:r><w:t>，</w:t></w:r><w:hyperlink r:id="rId10"><w:r><w:t>本机文件</w:t></w:r></w:hyperlink><w:r><w:endnoteReference w:id="1"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:footnoteReference w:id="77"/></w:r></w:p>"#;
    let doc = import(&docx(
        body,
        rels,
        &[
            ("word/footnotes.xml", footnotes.as_bytes()),
            ("word/endnotes.xml", endnotes.as_bytes()),
        ],
    ));
    assert_eq!(
        doc.markdown,
        "[政策](https://www.gov.cn/a%20%281%29.html)[^1]，目录项，本机文件[^2][^1]\n\n[^1]: 脚注正文\n[^2]: 尾注正文\n"
    );
    assert!(
        doc.notes.iter().any(|n| n.contains("本机文件")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn dc_title_wins_over_headings() {
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title> 文档标题 </dc:title></cp:coreProperties>"#;
    let doc = import(&docx(
        &p("正文第一段"),
        "",
        &[("docProps/core.xml", core.as_bytes())],
    ));
    assert_eq!(doc.title, "文档标题");
    let long = "很".repeat(100);
    let doc = import(&docx(&format!("{}{}", p(""), p(&long)), "", &[]));
    assert_eq!(doc.title, "很".repeat(80), "first paragraph, 80 characters");
}

#[test]
fn bad_files_are_refused_with_their_reason() {
    let code = |bytes: &[u8], limits: &Limits| import_docx(bytes, limits).err().map(|e| e.code());
    let l = Limits::default();
    assert_eq!(code(b"just text", &l), Some("not_a_zip"));
    // A zip without the main document.
    let no_doc = zip_of(&[("word/styles.xml", b"<w:styles/>")]);
    let err = import_docx(&no_doc, &l).err();
    assert_eq!(err.as_ref().map(|e| e.code()), Some("missing_part"));
    assert!(err.is_some_and(|e| e.message_zh().contains("word/document.xml")));
    // Malformed XML names the part.
    let bad = docx("<w:p><w:r><w:t>未闭合</w:r></w:p>", "", &[]);
    match import_docx(&bad, &l) {
        Err(baosong_files::FileError::Malformed { part, .. }) => {
            assert_eq!(part, "word/document.xml")
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    let entity = docx("<w:p><w:r><w:t>&bogus;</w:t></w:r></w:p>", "", &[]);
    assert_eq!(code(&entity, &l), Some("malformed"));
    // Deep nesting is stopped at the limit, not by the stack.
    let deep = format!("{}{}", "<w:sdt>".repeat(5000), "</w:sdt>".repeat(5000));
    assert_eq!(code(&docx(&deep, "", &[]), &l), Some("too_deep"));
    // The time limit.
    let many = p("文字").repeat(20_000);
    let no_time = Limits {
        max_time: Duration::ZERO,
        ..Limits::default()
    };
    assert_eq!(code(&docx(&many, "", &[]), &no_time), Some("timed_out"));
    // An encrypted document is an OLE file with an EncryptionInfo stream.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(
        "EncryptionInfo"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    assert_eq!(code(&ole, &l), Some("encrypted"));
}

#[test]
fn deep_but_allowed_nesting_does_not_exhaust_the_stack() {
    // Each nesting level here is a recursive call in the parser; the depth
    // limit (256 elements) bounds the recursion well inside a thread stack.
    let links = format!(
        "<w:p>{}<w:r><w:t>深</w:t></w:r>{}</w:p>",
        "<w:hyperlink>".repeat(240),
        "</w:hyperlink>".repeat(240)
    );
    let tables = format!(
        "{}{}{}",
        "<w:tbl><w:tr><w:tc>".repeat(80),
        p("格"),
        "</w:tc></w:tr></w:tbl>".repeat(80)
    );
    let boxes = format!(
        "{}{}",
        "<w:p><w:r><w:drawing><w:txbxContent>".repeat(60),
        "</w:txbxContent></w:drawing></w:r></w:p>".repeat(60)
    );
    let run = move || {
        let doc = import(&docx(&links, "", &[]));
        assert_eq!(doc.markdown, "深\n");
        let doc = import(&docx(&tables, "", &[]));
        assert_eq!(doc.markdown, "| 格 |\n| --- |\n");
        let doc = import(&docx(&boxes, "", &[]));
        assert_eq!(doc.markdown, "");
    };
    // A thread with a small stack, as a worker thread might have.
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn hyperlink_fields_become_links_and_other_fields_show_their_result() {
    let field = |code: &str, result: &str| {
        format!(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
        )
    };
    let body = format!(
        "<w:p><w:r><w:t>见</w:t></w:r>{}<w:r><w:t>和</w:t></w:r>{}<w:r><w:t>及</w:t></w:r>{}</w:p>",
        field(
            r#" HYPERLINK "https://www.gov.cn/zhengce/" \o "政策" "#,
            "政策文件"
        ),
        field(r#" HYPERLINK \l "_Toc1" "#, "本文第二节"),
        field(" DATE \\@ \"yyyy年M月d日\" ", "2026年12月3日"),
    );
    let doc = import(&docx(&body, "", &[]));
    assert_eq!(
        doc.markdown,
        "见[**政策文件**](https://www.gov.cn/zhengce/)和**本文第二节**及**2026年12月3日**\n"
    );
}
