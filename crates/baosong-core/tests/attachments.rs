//! Attachments in the store: added, scanned, checked with the item, cleaned
//! with one click, kept per revision; a missing or damaged file is never
//! silently passed.

mod common;

use std::io::{Cursor, Write};

use baosong_core::{Action, StoreError};
use common::{content, temp_store};
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A .docx whose body has a tracked deletion and a comment, and whose
/// author property names a person.
fn leaky_docx() -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/comments.xml" ContentType="c"/></Types>"#.to_owned()),
        ("word/_rels/document.xml.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t" Target="comments.xml"/></Relationships>"#.to_owned()),
        ("word/document.xml", format!(r#"<w:document {W}><w:body><w:p><w:r><w:t>会议部署了工作。</w:t></w:r><w:del w:id="1" w:author="王科长"><w:r><w:delText>原稿含手机号13812345678</w:delText></w:r></w:del><w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>"#)),
        ("word/comments.xml", format!(r#"<w:comments {W}><w:comment w:id="0" w:author="王科长"><w:p><w:r><w:t>请再核实</w:t></w:r></w:p></w:comment></w:comments>"#)),
        ("docProps/core.xml", r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>张三</dc:creator></cp:coreProperties>"#.to_owned()),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        w.start_file(name, SimpleFileOptions::default()).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn rules(check: &baosong_core::view::ItemCheck) -> Vec<String> {
    check
        .report
        .findings
        .iter()
        .map(|f| f.rule.clone())
        .collect()
}

#[test]
fn a_leaky_attachment_blocks_until_cleaned() {
    let (_dir, store) = temp_store();
    let item = store
        .create_item(content("市教育局召开安全工作会议", "会议部署了工作。"))
        .unwrap();
    let before = store.check_item(item.id).unwrap();
    assert!(before.gate.ready);

    let added = store
        .add_attachment_bytes(item.id, "../../会议通知.docx", &leaky_docx(), false)
        .unwrap();
    assert!(added.added);
    assert_eq!(
        added.entry.name, "会议通知.docx",
        "folders are dropped from names"
    );
    assert_eq!(added.item.revision, item.revision + 1);
    assert_eq!(added.item.content.attachments, vec![added.entry.clone()]);

    let check = store.check_item(item.id).unwrap();
    let r = rules(&check);
    for want in [
        "attachment.comment",
        "attachment.tracked_deletion",
        "attachment.personal_property",
        "pii.mobile",
    ] {
        assert!(r.contains(&want.to_owned()), "{want} missing from {r:?}");
    }
    assert!(!check.gate.ready);
    assert_ne!(check.report.content_hash, before.report.content_hash);
    let refused = store.apply_action(item.id, Action::SendForSignoff);
    assert!(
        matches!(refused, Err(StoreError::NotReady { .. })),
        "{refused:?}"
    );

    // 一键清理: a new file replaces the old one, the old one stays local.
    let cleaned = store
        .clean_attachment(item.id, &added.entry.sha256[..10])
        .unwrap();
    let said = cleaned.removed.join("、");
    assert!(
        said.contains("批注 1 条") && said.contains("修订") && said.contains("作者"),
        "{said}"
    );
    assert_ne!(cleaned.entry.sha256, added.entry.sha256);
    assert_eq!(
        cleaned.entry.original_sha256.as_deref(),
        Some(added.entry.sha256.as_str())
    );
    assert!(store.blobs().contains(&added.entry.sha256));

    let after = store.check_item(item.id).unwrap();
    let r = rules(&after);
    assert!(!r.iter().any(|r| r.starts_with("attachment.")), "{r:?}");
    assert!(after.gate.ready, "{r:?}");

    // Each step is a revision with its note.
    let notes: Vec<String> = store
        .list_revisions(item.id)
        .unwrap()
        .into_iter()
        .filter_map(|r| r.note)
        .collect();
    assert!(notes.iter().any(|n| n.starts_with("添加附件")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("清理附件")), "{notes:?}");
    // The revision before cleaning still lists the leaky file.
    let old = store.get_revision(item.id, added.item.revision).unwrap();
    assert_eq!(old.attachments[0].sha256, added.entry.sha256);
}

#[test]
fn a_missing_or_damaged_file_is_an_error_to_look_at() {
    let (_dir, store) = temp_store();
    let item = store.create_item(content("标题", "正文。")).unwrap();
    let added = store
        .add_attachment_bytes(item.id, "说明.txt", "一段说明".as_bytes(), false)
        .unwrap();
    // Adding the same file again changes nothing.
    let again = store
        .add_attachment_bytes(item.id, "说明2.txt", "一段说明".as_bytes(), false)
        .unwrap();
    assert!(!again.added);
    assert_eq!(again.item.revision, added.item.revision);

    // Content that refers to a file the store does not have is refused.
    let mut bogus = added.item.content.clone();
    bogus.attachments[0].sha256 = "0".repeat(64);
    let err = store.save_content(item.id, bogus, None).unwrap_err();
    assert_eq!(err.code(), "attachment_store", "{err}");

    // A file changed on disk (same size) cannot be sent for sign-off.
    let path = store.blobs().path(&added.entry.sha256).unwrap();
    std::fs::write(&path, "一段说吗".as_bytes()).unwrap();
    let err = store
        .apply_action(item.id, Action::SendForSignoff)
        .unwrap_err();
    assert_eq!(err.code(), "attachment_store", "{err}");
    // A damaged file is not passed: its scan says it could not be read.
    std::fs::write(&path, "被改动的内容").unwrap();
    let check = store.check_item(item.id).unwrap();
    assert!(
        rules(&check).contains(&"attachment.unreadable".to_owned()),
        "{:?}",
        rules(&check)
    );
    assert!(!check.gate.ready);
}

#[test]
fn attachments_can_be_described_and_removed() {
    let (_dir, store) = temp_store();
    let item = store.create_item(content("标题", "正文。")).unwrap();
    let added = store
        .add_attachment_bytes(item.id, "统计表.csv", b"a,b\n1,2\n", false)
        .unwrap();
    let item2 = store
        .set_attachment_alt(item.id, &added.entry.sha256, " 统计表 ")
        .unwrap();
    assert_eq!(item2.content.attachments[0].alt, "统计表");
    let item3 = store.remove_attachment(item.id, "统计表.csv").unwrap();
    assert!(item3.content.attachments.is_empty());
    assert_eq!(
        store
            .remove_attachment(item.id, "统计表.csv")
            .unwrap_err()
            .code(),
        "no_such_attachment"
    );
}

/// A phone photo with GPS, camera serial and owner (made by exiftool; see
/// baosong-files' fixtures).
fn gps_photo() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../baosong-files/tests/fixtures/images/gps-serial.jpg"
    );
    std::fs::read(path).unwrap()
}

#[test]
fn a_photo_loses_its_metadata_on_the_way_in_unless_kept() {
    let (_dir, store) = temp_store();
    let item = store.create_item(content("标题", "正文。")).unwrap();
    let photo = gps_photo();
    let added = store
        .add_attachment_bytes(item.id, "会议现场.jpg", &photo, false)
        .unwrap();
    let said = added.removed.join("、");
    assert!(said.contains("GPS"), "{said}");
    assert!(added.entry.note.contains("GPS"), "{}", added.entry.note);
    assert_eq!(added.entry.media_type, "image/jpeg");
    // The original stays on this computer; what is attached is clean.
    let original = added.entry.original_sha256.clone().unwrap();
    assert_eq!(store.blobs().read(&original).unwrap(), photo);
    let attached = store.blobs().read(&added.entry.sha256).unwrap();
    assert!(!String::from_utf8_lossy(&attached).contains("SN-8848-TEST"));
    let check = store.check_item(item.id).unwrap();
    assert_eq!(rules(&check), vec!["attachment.alt_missing".to_owned()]);
    // Described: nothing left to say.
    store
        .set_attachment_alt(item.id, &added.entry.sha256, "市教育局安全工作会议现场")
        .unwrap();
    assert!(
        store
            .check_item(item.id)
            .unwrap()
            .report
            .findings
            .is_empty()
    );

    // Kept on purpose: the GPS position blocks until it is cleaned.
    let item2 = store.create_item(content("标题二", "正文。")).unwrap();
    let kept = store
        .add_attachment_bytes(item2.id, "原图.jpg", &photo, true)
        .unwrap();
    assert!(kept.removed.is_empty());
    let check = store.check_item(item2.id).unwrap();
    let r = rules(&check);
    assert!(r.contains(&"attachment.gps".to_owned()), "{r:?}");
    assert!(!check.gate.ready);
    let cleaned = store
        .clean_attachment(item2.id, &kept.entry.sha256)
        .unwrap();
    assert!(
        cleaned.removed.join("、").contains("GPS"),
        "{:?}",
        cleaned.removed
    );
    let r = rules(&store.check_item(item2.id).unwrap());
    assert!(!r.contains(&"attachment.gps".to_owned()), "{r:?}");
}

/// A 2400×1600 photo-like JPEG (gradients and noise).
fn large_photo() -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9;
    let img = image::RgbImage::from_fn(2400, 1600, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x % 32) as u8;
        image::Rgb([(i / 10) as u8 ^ n, (j / 7) as u8, 128u8.wrapping_add(n)])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .unwrap();
    out
}

#[test]
fn a_picture_gets_a_web_copy_and_the_original_stays_local() {
    use baosong_files::image::WebSize;
    let (_dir, store) = temp_store();
    let item = store.create_item(content("标题", "正文。")).unwrap();
    let photo = large_photo();
    let added = store
        .add_attachment_bytes(item.id, "会议现场.jpg", &photo, false)
        .unwrap();
    let full = added.entry.clone();
    let mut c = added.item.content.clone();
    c.body = format!("正文。\n\n![会议现场]({})\n", full.body_ref());
    let placed = store
        .save_content(item.id, c, Some(added.item.revision))
        .unwrap();
    store
        .set_attachment_alt(item.id, &full.sha256, "会议现场")
        .unwrap();

    let size = WebSize {
        max_side: 1200,
        quality: 80,
    };
    let web = store
        .downscale_attachment(item.id, &full.sha256, size)
        .unwrap();
    assert_eq!((web.from, web.to), ((2400, 1600), (1200, 800)));
    let entry = &web.entry;
    assert!(
        entry.size < full.size / 2,
        "{} vs {}",
        entry.size,
        full.size
    );
    assert_eq!(entry.name, "会议现场.jpg");
    assert_eq!(entry.media_type, "image/jpeg");
    assert_eq!(entry.alt, "会议现场", "the description stays");
    assert!(
        entry.note.contains("已缩小：2400×1600 → 1200×800"),
        "{}",
        entry.note
    );
    // The full-size file is kept locally, as the original.
    assert_eq!(entry.original_sha256.as_deref(), Some(full.sha256.as_str()));
    assert_eq!(store.blobs().read(&full.sha256).unwrap(), photo);
    // What is attached (and sent) is the small one; the body follows it.
    let item_now = &web.item;
    assert_eq!(item_now.revision, placed.revision + 2);
    assert_eq!(item_now.content.attachments, vec![entry.clone()]);
    assert!(item_now.content.body.contains(&entry.body_ref()));
    assert!(!item_now.content.body.contains(&full.body_ref()));
    assert!(
        store
            .check_item(item.id)
            .unwrap()
            .report
            .findings
            .is_empty()
    );

    // Already small enough: nothing changes, no new revision.
    let again = store
        .downscale_attachment(item.id, &entry.sha256, size)
        .unwrap();
    assert_eq!((again.from, again.to), ((1200, 800), (1200, 800)));
    assert_eq!(again.item.revision, item_now.revision);

    // Only pictures.
    let doc = store
        .add_attachment_bytes(item.id, "统计表.csv", b"a,b\n1,2\n", false)
        .unwrap();
    let err = store
        .downscale_attachment(item.id, &doc.entry.sha256, size)
        .unwrap_err();
    assert_eq!(err.code(), "bad_attachment");
}
