//! Image metadata on real files made by exiftool (tests/fixtures/images/
//! make.sh): found, then gone after stripping, with the image data bytes
//! unchanged. The image data is located by the small walkers below, not by
//! the code under test.

use baosong_check::{FactKind, PartKind};
use baosong_files::image::{inspect, scan, strip};

const JPEG: &[u8] = include_bytes!("fixtures/images/gps-serial.jpg");
const PNG: &[u8] = include_bytes!("fixtures/images/gps-serial.png");
const WEBP: &[u8] = include_bytes!("fixtures/images/gps-serial.webp");
const CLEAN_JPEG: &[u8] = include_bytes!("fixtures/images/clean.jpg");

fn field<'a>(meta: &'a baosong_files::image::ImageMetadata, label: &str) -> Option<&'a str> {
    meta.fields
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.as_str())
}

#[test]
fn finds_gps_serial_owner_and_author_in_all_three_formats() {
    for (name, bytes) in [("jpeg", JPEG), ("png", PNG), ("webp", WEBP)] {
        let meta = inspect(bytes).unwrap();
        let gps = meta.gps.unwrap_or_else(|| panic!("{name}: no GPS"));
        assert_eq!(
            gps.to_zh(),
            "北纬 39.9042°, 东经 116.4074°, 海拔 50 米",
            "{name}"
        );
        assert_eq!(field(&meta, "相机序列号"), Some("SN-8848-TEST"), "{name}");
        assert_eq!(field(&meta, "机主"), Some("张三"), "{name}");
        assert_eq!(field(&meta, "相机型号"), Some("P40"), "{name}");
        assert_eq!(field(&meta, "用户注释"), Some("李四 13912345678"), "{name}");
        assert!(
            meta.blocks.iter().any(|b| b == "EXIF"),
            "{name}: {:?}",
            meta.blocks
        );
        assert!(
            meta.blocks.iter().any(|b| b == "XMP"),
            "{name}: {:?}",
            meta.blocks
        );
        // XMP dc:creator
        assert!(
            meta.fields
                .iter()
                .any(|f| f.label == "作者" && f.value.contains("王五")),
            "{name}: {:?}",
            meta.fields
        );
    }
    let jpeg = inspect(JPEG).unwrap();
    assert_eq!(jpeg.orientation, 6);
    assert!(
        jpeg.fields
            .iter()
            .any(|f| f.label == "作者" && f.value == "赵六"),
        "IPTC by-line"
    );
    assert_eq!(field(&jpeg, "注释"), Some("内部联系人 13600002222"));
    let png = inspect(PNG).unwrap();
    assert!(
        png.fields
            .iter()
            .any(|f| f.value == "内部联系人 13600002222"),
        "PNG comment"
    );
}

#[test]
fn scan_gives_the_check_engine_facts_and_text() {
    let s = scan(JPEG).unwrap();
    let fact = |k: FactKind| s.facts.iter().filter(move |f| f.kind == k);
    assert_eq!(
        fact(FactKind::GpsPosition).next().map(|f| f.value.as_str()),
        Some("北纬 39.9042°, 东经 116.4074°, 海拔 50 米")
    );
    assert!(fact(FactKind::DeviceInfo).any(|f| f.value == "SN-8848-TEST"));
    assert!(fact(FactKind::ImageMetadata).any(|f| f.label == "软件"));
    let has_part =
        |k: PartKind, text: &str| s.parts.iter().any(|p| p.kind == k && p.text.contains(text));
    assert!(has_part(PartKind::PersonalProperty, "张三"));
    assert!(has_part(PartKind::DocumentProperty, "13812345678"));
    assert!(has_part(PartKind::DocumentProperty, "13600002222"));

    // The check engine turns them into findings: GPS blocks, the phone
    // number in the description is found.
    let report = check(&s);
    let rule = |r: &str| report.findings.iter().any(|f| f.rule == r);
    assert!(rule("attachment.gps"));
    assert!(rule("attachment.device"));
    assert!(rule("attachment.personal_property"));
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "pii.mobile" && f.matched.contains("13812345678")),
        "{:#?}",
        report.findings
    );
}

fn check(scan: &baosong_check::DocumentScan) -> baosong_check::CheckReport {
    let input = baosong_check::CheckInput::body("", baosong_check::BodyFormat::Plain);
    let attachment = baosong_check::AttachmentInput {
        sha256: "00",
        name: "photo.jpg",
        media_type: "image/jpeg",
        alt: "会议现场",
        scan,
    };
    baosong_check::Checker::new().check_with_attachments(&input, &[attachment])
}

#[test]
fn strip_removes_everything_and_keeps_image_data() {
    for (name, bytes, data) in [
        ("jpeg", JPEG, jpeg_scan_data as fn(&[u8]) -> Vec<u8>),
        ("png", PNG, png_idat),
        ("webp", WEBP, webp_bitstream),
    ] {
        let out = strip(bytes).unwrap();
        assert!(
            out.removed.iter().any(|r| r == "GPS 位置"),
            "{name}: {:?}",
            out.removed
        );
        assert!(out.removed.iter().any(|r| r == "相机序列号"), "{name}");
        assert!(out.bytes.len() < bytes.len(), "{name}");
        let after = inspect(&out.bytes).unwrap();
        assert!(after.gps.is_none(), "{name}: {after:?}");
        assert!(after.fields.is_empty(), "{name}: {after:?}");
        assert!(!after.has_metadata(), "{name}: {:?}", after.blocks);
        let rescan = scan(&out.bytes).unwrap();
        assert!(
            rescan.facts.is_empty() && rescan.parts.is_empty(),
            "{name}: {rescan:?}"
        );
        assert_eq!(data(bytes), data(&out.bytes), "{name}: image data changed");
        assert!(!data(bytes).is_empty(), "{name}");
        // Stripping twice changes nothing more.
        let again = strip(&out.bytes).unwrap();
        assert_eq!(again.bytes, out.bytes, "{name}");
        assert!(again.removed.is_empty(), "{name}: {:?}", again.removed);
    }
}

#[test]
fn a_portrait_photo_keeps_its_orientation_and_nothing_else() {
    let out = strip(JPEG).unwrap();
    let after = inspect(&out.bytes).unwrap();
    assert_eq!(after.orientation, 6);
    // Independent check with kamadak-exif: one field, Orientation.
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&out.bytes))
        .unwrap();
    let tags: Vec<_> = exif.fields().map(|f| f.tag).collect();
    assert_eq!(tags, vec![exif::Tag::Orientation]);
    // An upright photo gets no EXIF at all.
    let png = strip(PNG).unwrap();
    assert!(!png.bytes.windows(4).any(|w| w == b"eXIf"));
}

#[test]
fn stripped_webp_has_a_consistent_riff_header() {
    let out = strip(WEBP).unwrap().bytes;
    // RIFF size = file size - 8.
    let riff = u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff + 8, out.len());
    assert!(!out.windows(4).any(|w| w == b"XMP " || w == b"EXIF"));
    // If an extended header is kept, it no longer announces EXIF or XMP.
    if &out[12..16] == b"VP8X" {
        assert_eq!(out[20] & 0x0C, 0, "VP8X flags {:#04x}", out[20]);
    }
}

#[test]
fn metadata_of_an_image_appended_after_the_end_is_found_and_removed() {
    // A clean photo with a metadata-laden one appended after its end, as
    // phones append depth and gain maps (MPF).
    let mut bytes = CLEAN_JPEG.to_vec();
    bytes.extend_from_slice(JPEG);
    let meta = inspect(&bytes).unwrap();
    assert!(meta.gps.is_some(), "{meta:?}");
    assert!(
        meta.blocks.iter().any(|b| b == "附加图像"),
        "{:?}",
        meta.blocks
    );
    assert_eq!(field(&meta, "相机序列号"), Some("SN-8848-TEST"));

    let out = strip(&bytes).unwrap();
    assert!(
        out.removed.iter().any(|r| r == "附加图像"),
        "{:?}",
        out.removed
    );
    // What is left is exactly the clean photo.
    assert_eq!(out.bytes, CLEAN_JPEG);
}

#[test]
fn a_clean_photo_has_nothing_to_report() {
    let meta = inspect(CLEAN_JPEG).unwrap();
    assert!(!meta.has_metadata(), "{:?}", meta.blocks);
    let s = scan(CLEAN_JPEG).unwrap();
    assert!(s.facts.is_empty() && s.parts.is_empty());
    assert_eq!(strip(CLEAN_JPEG).unwrap().bytes, CLEAN_JPEG);
}

#[test]
fn not_an_image_or_damaged() {
    assert_eq!(
        inspect(b"%PDF-1.7").err().map(|e| e.code()),
        Some("unsupported")
    );
    let truncated = &JPEG[..40];
    assert_eq!(strip(truncated).err().map(|e| e.code()), Some("malformed"));
}

/// JPEG: everything from the first SOS marker to the end of the file.
fn jpeg_scan_data(b: &[u8]) -> Vec<u8> {
    let mut i = 2;
    while i + 4 <= b.len() {
        assert_eq!(b[i], 0xFF);
        let marker = b[i + 1];
        if marker == 0xDA {
            return b[i..].to_vec();
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        i += 2 + len;
    }
    panic!("no SOS");
}

/// PNG: the IDAT chunks, whole (length, type, data, CRC).
fn png_idat(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 8;
    while i + 12 <= b.len() {
        let len = u32::from_be_bytes(b[i..i + 4].try_into().unwrap()) as usize;
        if &b[i + 4..i + 8] == b"IDAT" {
            out.extend_from_slice(&b[i..i + 12 + len]);
        }
        i += 12 + len;
    }
    out
}

/// WebP: the VP8 or VP8L chunk, whole.
fn webp_bitstream(b: &[u8]) -> Vec<u8> {
    let mut i = 12;
    while i + 8 <= b.len() {
        let len = u32::from_le_bytes(b[i + 4..i + 8].try_into().unwrap()) as usize;
        let id = &b[i..i + 4];
        if id == b"VP8 " || id == b"VP8L" {
            return b[i..i + 8 + len].to_vec();
        }
        i += 8 + len + (len & 1);
    }
    panic!("no VP8 chunk");
}
