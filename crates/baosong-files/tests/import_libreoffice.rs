//! Import fidelity on documents LibreOffice made: the sources in
//! `tests/fixtures/docx/src` (HTML and flat ODT) are converted to .docx by
//! `soffice --headless` once per test run, then imported and the Markdown
//! asserted exactly.
//!
//! LibreOffice (Debian `libreoffice-writer`) is required: without it these
//! tests fail and say so; they never skip.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use baosong_files::Limits;
use baosong_files::docx::import::{ImportedDocument, import_docx};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx/src")
}

/// The converted documents' folder, or why there is none.
fn converted() -> &'static Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(convert_all)
}

/// Converts every source in one soffice run (start-up is the slow part).
/// A private HOME and profile per run keep parallel runs and CI apart.
fn convert_all() -> Result<PathBuf, String> {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("docx-fixtures-{}", std::process::id()));
    let (input, output, home) = (work.join("in"), work.join("out"), work.join("home"));
    for dir in [&input, &output, &home] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let sources = prepare_sources(&input)?;
    let profile = format!("file://{}", home.join("profile").display());
    let run = Command::new("soffice")
        .env("HOME", &home)
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
        ])
        .arg("--outdir")
        .arg(&output)
        .args(&sources)
        .output()
        .map_err(|e| {
            format!(
                "LibreOffice (soffice) is needed to make the .docx fixtures and could not be \
                 started: {e}. Install it: apt-get install --no-install-recommends \
                 libreoffice-writer (packaging/install-deps.sh does)"
            )
        })?;
    // The profile and the copies are not needed once converted (best effort).
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_dir_all(&input);
    if !run.status.success() {
        return Err(format!(
            "soffice failed ({}): {}",
            run.status,
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    Ok(output)
}

/// Copies the sources to `into`. LibreOffice links (does not embed) an HTML
/// page's `<img src="file">`, so each image file the page names is inlined
/// as a data: URI, which it embeds byte for byte into word/media.
fn prepare_sources(into: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = fixtures();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let mut sources = Vec::new();
    for path in &entries {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default();
        let target = into.join(name);
        match ext {
            "fodt" => {
                std::fs::copy(path, &target).map_err(|e| e.to_string())?;
            }
            "html" => {
                let mut html = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
                for image in entries.iter().filter(|p| is_image(p)) {
                    let file = image.file_name().unwrap_or_default().to_string_lossy();
                    let bytes = std::fs::read(image).map_err(|e| e.to_string())?;
                    let media = if file.ends_with(".png") {
                        "image/png"
                    } else {
                        "image/jpeg"
                    };
                    let uri = format!("data:{media};base64,{}", base64(&bytes));
                    html = html.replace(&format!("src=\"{file}\""), &format!("src=\"{uri}\""));
                }
                std::fs::write(&target, html).map_err(|e| e.to_string())?;
            }
            _ => continue,
        }
        sources.push(target);
    }
    Ok(sources)
}

fn is_image(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("png" | "jpg" | "jpeg")
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn import(stem: &str) -> (ImportedDocument, Vec<u8>) {
    let dir = match converted() {
        Ok(dir) => dir,
        Err(why) => panic!("{why}"),
    };
    let path = dir.join(format!("{stem}.docx"));
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("soffice did not make {}: {e}", path.display()));
    let doc = import_docx(&bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("{stem}.docx did not import: {e}"));
    (doc, bytes)
}

/// Headings by style (LibreOffice's "Heading1"), bold and italic, an
/// external link, a numbered list with a nested bulleted one, a table with
/// a row-merged and a column-merged cell, an embedded image (the same bytes
/// as the fixture file), and literal Markdown characters escaped.
#[test]
fn notice_html_headings_lists_table_link_image() {
    let (doc, _) = import("notice");
    let seal = std::fs::read(fixtures().join("seal.png"))
        .unwrap_or_else(|e| panic!("fixture seal.png: {e}"));
    let sha = "b3c3ee8870495e3cf0866310c59175d3f9c414a27d8cb4920a6b9e01a83ad7bf";
    let expected = format!(
        "# 一、总体要求\n\
         \n\
         各单位要**高度重视**政务公开工作，*切实*抓好落实。\n\
         \n\
         ## （一）工作目标\n\
         \n\
         详见[中国政府网政策栏目](https://www.gov.cn/zhengce/)。\n\
         \n\
         1. 完善制度\n   \
         - 修订公开目录\n   \
         - 规范发布流程\n\
         2. 加强培训\n\
         \n\
         ## （二）责任分工\n\
         \n\
         | 事项 | 牵头单位 | 完成时限 |\n\
         | --- | --- | --- |\n\
         | 目录修订 | 办公室 | 3月底 |\n\
         | 流程规范 |  | 6月底 |\n\
         | 其他事项 |  | 年底 |\n\
         \n\
         ![](attachment:{sha})\n\
         \n\
         价格 5\\*2 = 10，备注\\_无\\_，文件 \\[2026\\] 1 号。\n"
    );
    assert_eq!(doc.markdown, expected);
    // The HTML <title> becomes dc:title.
    assert_eq!(doc.title, "关于做好2026年政务公开工作的通知");
    assert_eq!(doc.images.len(), 1);
    let image = &doc.images[0];
    assert_eq!(image.sha256, sha);
    assert_eq!(image.bytes, seal);
    assert_eq!(image.name, "image1.png");
    assert_eq!(image.media_type, "image/png");
    assert_eq!(
        doc.notes,
        ["表格中的合并单元格已拆开：内容保留在合并区域的第一个单元格，其余留空"]
    );
}

/// A heading by outline level only (LibreOffice writes `w:outlineLvl` on a
/// Normal paragraph), a footnote, bold, underline as plain text, a line
/// break and a tab; the title falls back to the first heading.
#[test]
fn footnote_fodt_outline_heading_footnote_break_tab() {
    let (doc, bytes) = import("footnote");
    assert!(bytes.starts_with(b"PK"), "soffice made a zip package");
    assert_eq!(
        doc.markdown,
        "# 关于报送信息的说明\n\
         \n\
         本市信息报送工作依据相关规定[^1]开展，**请各单位**按时报送。\n\
         \n\
         联系人：办公室\\\n\
         电话：\t010-12345678\n\
         \n\
         [^1]: 《政府信息公开条例》第十条。\n"
    );
    assert_eq!(doc.title, "关于报送信息的说明");
    assert!(doc.images.is_empty());
    assert!(doc.notes.is_empty(), "{:?}", doc.notes);
}

/// A tracked deletion and insertion, a comment and hidden text, as
/// LibreOffice writes them: the document reads as accepted, the comment and
/// the hidden text are not imported, and each is noted.
#[test]
fn revisions_fodt_changes_accepted_comment_and_hidden_text_left_out() {
    let (doc, _) = import("revisions");
    assert_eq!(
        doc.markdown,
        "会议改于四月召开，请准时参加。\n\n公开内容。\n"
    );
    assert_eq!(doc.title, "修订稿");
    assert_eq!(
        doc.notes,
        [
            "文档中的批注未导入",
            "文档含有修订记录：已按“接受全部修订”后的内容导入，被删除的文字未导入（修订本身见附件检查结果）",
            "文档中设置为隐藏的文字未导入",
        ]
    );
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The parts of a package, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("the fixture is a zip: {e}"));
    (0..archive.len())
        .map(|i| {
            let mut file = archive
                .by_index(i)
                .unwrap_or_else(|e| panic!("part {i}: {e}"));
            let mut data = Vec::new();
            file.read_to_end(&mut data)
                .unwrap_or_else(|e| panic!("part {i}: {e}"));
            let name = file
                .name()
                .unwrap_or_else(|e| panic!("part {i} name: {e}"))
                .into_owned();
            (name, data)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        w.write_all(data).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    w.finish()
        .unwrap_or_else(|e| panic!("zip: {e}"))
        .into_inner()
}

/// Damaged versions of a real document — the file cut short or with bytes
/// flipped, and its XML parts cut, pieces deleted or repeated — are either
/// imported or refused with an error; none panics or hangs.
#[test]
fn damaged_documents_never_panic() {
    let (_, bytes) = import("notice");
    let limits = Limits::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut refused) = (0, 0);
    let mut tally = |result: Result<ImportedDocument, baosong_files::FileError>| match result {
        Ok(_) => ok += 1,
        Err(_) => refused += 1,
    };
    // The file itself.
    for cut in (0..bytes.len()).step_by(61) {
        tally(import_docx(&bytes[..cut], &limits));
    }
    for _ in 0..300 {
        let mut damaged = bytes.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(damaged.len());
            damaged[at] ^= 1 << rng.below(8);
        }
        tally(import_docx(&damaged, &limits));
    }
    // Its XML parts, re-packed, so the damage reaches the parsers.
    let parts = unzip(&bytes);
    let xml_parts: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.ends_with(".xml") || parts[i].0.ends_with(".rels"))
        .collect();
    for round in 0..600 {
        let mut damaged = parts.clone();
        let target = xml_parts[rng.below(xml_parts.len())];
        let data = &mut damaged[target].1;
        let (a, b) = (rng.below(data.len()), rng.below(data.len()));
        let (from, to) = (a.min(b), a.max(b));
        match round % 3 {
            0 => data.truncate(from),
            1 => {
                data.drain(from..to);
            }
            _ => {
                let piece = data[from..to].to_vec();
                data.splice(from..from, piece);
            }
        }
        tally(import_docx(&rezip(&damaged), &limits));
    }
    assert!(ok > 0 && refused > 0, "ok {ok}, refused {refused}");
}
