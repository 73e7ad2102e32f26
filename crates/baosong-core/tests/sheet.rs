//! The registration record (登记) of an item taken through the whole
//! workflow on a real SQLite file, and its approval sheet PDF read back with
//! poppler's tools (pdftotext, pdffonts, pdftoppm; packaging/install-deps.sh
//! installs them with fonts-noto-cjk).

mod common;

use std::path::Path;
use std::process::Command;

use baosong_check::{DecisionKind, Severity};
use baosong_core::model::{
    CheckSummary, DecidedFinding, ItemContent, NewReview, NewSignoff, PortalChange, PortalSteps,
    RegistrationRecord, ReviewPayloads, SecrecyReview, StatusEvent,
};
use baosong_core::sheet::{FontSource, SHEET_TITLE, SheetError, render_pdf};
use baosong_core::{Action, ItemId, ItemState, Store};
use common::{content, link, new_entry, temp_store};

const TITLE: &str = "深入开展扫黑险恶专项斗争推进会召开";
const KEY_ID: &str = "3f2a9c017b44e1d08a55c3b2f19e6d70";

fn item(store: &Store) -> ItemId {
    let c = ItemContent {
        author: "张敏".into(),
        author_phone: "027-85551234".into(),
        source_unit: "武汉市教育局".into(),
        ..content(TITLE, "会议部署了相关工作。")
    };
    store.create_item(c).unwrap().id
}

/// The misstatement in the title is an error: confirmed with a reason.
fn waive_the_error(store: &Store, id: ItemId) {
    let check = store.check_item(id).unwrap();
    let finding = check
        .report
        .findings
        .iter()
        .find(|f| f.rule == "lexicon.misstatement")
        .expect("the misstatement in the title");
    store
        .decide(
            id,
            &finding.fingerprint,
            DecisionKind::Waived,
            Some("会议名称原文如此，已与主办处室核实".into()),
        )
        .unwrap();
}

fn send(store: &Store, id: ItemId) -> String {
    let review_id = uuid::Uuid::now_v7().to_string();
    store
        .send_for_review(
            id,
            NewReview {
                id: review_id.clone(),
                from_name: "张敏".into(),
                to_user: Some("jyj.fzr".into()),
                to_name: Some("李建国".into()),
                note: "请李主任审核".into(),
            },
            |_, _| Ok(ReviewPayloads::default()),
        )
        .unwrap();
    review_id
}

fn signoff(content_hash: &str) -> NewSignoff {
    NewSignoff {
        payload: r#"{"stand-in":true}"#.into(),
        content_hash: content_hash.into(),
        signer: "jyj.fzr".into(),
        signer_name: "李建国".into(),
        key_id: KEY_ID.into(),
        public_key: String::new(),
        signature: "ab".repeat(64),
        signed_at: chrono::Utc::now(),
        opinion: "同意报送，注意核实数据。".into(),
    }
}

fn event(cursor: &str, submission: &str, status: &str) -> StatusEvent {
    StatusEvent {
        cursor: cursor.into(),
        submission_id: submission.into(),
        portal_revision: 1,
        from_status: None,
        status: status.into(),
        by: "周静".into(),
        at: chrono::Utc::now(),
        comment: String::new(),
        reason: None,
        public_url: None,
    }
}

fn change(id: ItemId, event: StatusEvent, action: Option<Action>) -> PortalChange {
    PortalChange {
        client_item_id: id,
        event,
        action,
    }
}

/// An item taken through check → 送审 → 签发 → 报送 → 采用 → 发布.
fn published(store: &mut Store) -> ItemId {
    store.set_actor("zhang.min");
    let id = item(store);
    waive_the_error(store, id);
    let review_id = send(store, id);
    let revision = store.get_item(id).unwrap().revision;
    let (report, _) = store.stored_report(id, revision).unwrap().unwrap();
    store.set_actor("jyj.fzr");
    store
        .sign_review(&review_id, signoff(&report.content_hash), None)
        .unwrap();
    store.set_actor("zhang.min");
    let (_, entry) = store.enqueue_submission(id, revision, new_entry()).unwrap();
    store
        .mark_delivered(&entry.id, &link("sub-1", 1, "received"), false)
        .unwrap();
    let mut published = event("c4", "sub-1", "published");
    published.public_url = Some("https://www.example.gov.cn/xxgk/1.html".into());
    store
        .apply_portal_changes(
            &[
                change(id, event("c1", "sub-1", "received"), None),
                change(
                    id,
                    event("c2", "sub-1", "in_review"),
                    Some(Action::StartReview),
                ),
                change(id, event("c3", "sub-1", "adopted"), Some(Action::Adopt)),
                change(
                    id,
                    published,
                    Some(Action::Publish {
                        url: "https://www.example.gov.cn/xxgk/1.html".into(),
                    }),
                ),
                // Another submission's return: in the timeline, not this record.
                change(id, event("c0", "sub-old", "returned"), None),
            ],
            Some("c4"),
        )
        .unwrap();
    id
}

#[test]
fn a_fresh_draft_has_no_steps_yet() {
    let (_d, store) = temp_store();
    let id = item(&store);
    let r = store.registration_record(id).unwrap();
    assert_eq!(r.title, TITLE);
    assert_eq!(r.author, "张敏");
    assert_eq!(r.state, ItemState::Draft);
    assert_eq!(r.secrecy_review, None);
    assert_eq!(r.sent_for_review, None);
    assert_eq!(r.signoff, None);
    assert_eq!(r.submitted_at, None);
    assert_eq!(r.portal, PortalSteps::default());
}

#[test]
fn the_record_holds_each_step_from_the_stored_facts() {
    let (_d, mut store) = temp_store();
    let id = published(&mut store);
    let r = store.registration_record(id).unwrap();
    let item = store.get_item(id).unwrap();
    assert_eq!(r.item_id, id);
    assert_eq!(r.revision, item.revision);
    assert_eq!(r.state, ItemState::Published);
    assert_eq!((r.title.as_str(), r.column.as_str()), (TITLE, "部门动态"));
    assert_eq!(r.source_unit, "武汉市教育局");
    assert_eq!(
        (r.author.as_str(), r.author_phone.as_str()),
        ("张敏", "027-85551234")
    );

    // 保密审查: who ran the passing check, and what was decided.
    let s = r.secrecy_review.as_ref().expect("secrecy review");
    assert_eq!(s.by, "zhang.min");
    let (report, _) = store.stored_report(id, item.revision).unwrap().unwrap();
    assert_eq!(s.content_hash, report.content_hash);
    assert_eq!(s.summary.errors, 1);
    assert_eq!(s.summary.blockers, 0);
    let decided = &s.summary.decided;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0].rule, "lexicon.misstatement");
    assert_eq!(decided[0].decision, Some(DecisionKind::Waived));
    assert_eq!(
        decided[0].reason.as_deref(),
        Some("会议名称原文如此，已与主办处室核实")
    );
    assert_eq!(decided[0].decided_by.as_deref(), Some("zhang.min"));

    // 送审
    let sent = r.sent_for_review.as_ref().expect("sent for review");
    assert_eq!(
        (sent.by.as_str(), sent.by_name.as_str()),
        ("zhang.min", "张敏")
    );
    assert_eq!(sent.to_user.as_deref(), Some("jyj.fzr"));
    assert_eq!(sent.to_name.as_deref(), Some("李建国"));
    assert_eq!(sent.note, "请李主任审核");
    assert!(sent.at <= s.at + chrono::Duration::seconds(5));

    // 签发
    let so = r.signoff.as_ref().expect("signoff");
    assert_eq!(
        (so.signer_name.as_str(), so.signer.as_str()),
        ("李建国", "jyj.fzr")
    );
    assert_eq!(so.opinion, "同意报送，注意核实数据。");
    assert_eq!(so.key_id, KEY_ID);
    assert_eq!(
        so.key_fingerprint,
        "3F2A 9C01 7B44 E1D0 8A55 C3B2 F19E 6D70"
    );
    assert_eq!(so.content_hash, report.content_hash);
    assert!(so.signature_excerpt.starts_with("abab"));
    assert!(so.signature_excerpt.ends_with('…'));
    assert!(so.signature_excerpt.chars().count() < 128);
    assert_eq!(so.invalidated_at, None);

    // 报送 and the portal's steps; the other submission's return is not here.
    assert!(r.submitted_at.is_some());
    let p = &r.portal;
    for (name, step) in [
        ("received", &p.received),
        ("in_review", &p.in_review),
        ("adopted", &p.adopted),
        ("published", &p.published),
    ] {
        let step = step.as_ref().unwrap_or_else(|| panic!("{name} step"));
        assert_eq!(step.by, "周静");
    }
    assert_eq!(
        p.published.as_ref().and_then(|s| s.url.as_deref()),
        Some("https://www.example.gov.cn/xxgk/1.html")
    );
    assert_eq!(p.returned, None);
    assert_eq!(p.not_adopted, None);
    assert_eq!(p.withdrawn, None);
}

#[test]
fn an_edit_after_sign_off_starts_a_new_record() {
    let (_d, mut store) = temp_store();
    store.set_actor("zhang.min");
    let id = item(&store);
    waive_the_error(&store, id);
    let review_id = send(&store, id);
    store
        .sign_review(&review_id, signoff(&"0".repeat(64)), None)
        .unwrap();
    let item = store.get_item(id).unwrap();
    let mut edited = item.content.clone();
    edited.body.push_str("补充一句。");
    store.save_content(id, edited, Some(item.revision)).unwrap();
    let r = store.registration_record(id).unwrap();
    assert_eq!(r.revision, item.revision + 1);
    // The old revision's check, review and signature are not this one's.
    assert_eq!(r.secrecy_review, None);
    assert_eq!(r.sent_for_review, None);
    assert_eq!(r.signoff, None);
}

fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils, see packaging/install-deps.sh): {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn write_pdf(dir: &Path, name: &str, bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn text_of(pdf: &str) -> String {
    String::from_utf8(tool("pdftotext", &["-layout", "-enc", "UTF-8", pdf, "-"])).unwrap()
}

fn pages_of(pdf: &str) -> usize {
    let info = String::from_utf8(tool("pdfinfo", &[pdf])).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

#[test]
fn the_sheet_shows_the_record_in_an_embedded_cjk_font() {
    let (dir, mut store) = temp_store();
    let id = published(&mut store);
    let record = store.registration_record(id).unwrap();
    let pdf = render_pdf(&record, &FontSource::System).unwrap();
    let path = write_pdf(dir.path(), "sheet.pdf", &pdf);

    let text = text_of(&path);
    let hash = &record.signoff.as_ref().unwrap().content_hash;
    for needle in [
        SHEET_TITLE,
        TITLE,
        "李建国",
        "同意报送，注意核实数据。",
        "会议名称原文如此，已与主办处室核实",
        "3F2A 9C01 7B44 E1D0 8A55 C3B2 F19E 6D70",
        "https://www.example.gov.cn/xxgk/1.html",
        hash.as_str(),
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    assert_eq!(pages_of(&path), 1, "a short record fits one page");

    // The font is embedded (a subset), and it is the CJK one.
    let fonts = String::from_utf8(tool("pdffonts", &[&path])).unwrap();
    let cjk = fonts
        .lines()
        .find(|l| l.contains("NotoSansCJK") || l.contains("NotoSerifCJK"))
        .unwrap_or_else(|| panic!("no CJK font in:\n{fonts}"));
    assert!(cjk.contains(" yes yes "), "embedded subset: {cjk}");

    // Rendered, the table area is drawn and the margin left blank.
    let prefix = dir.path().join("page");
    let prefix = prefix.display().to_string();
    tool(
        "pdftoppm",
        &["-png", "-r", "40", "-f", "1", "-l", "1", &path, &prefix],
    );
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("a rendered page");
    let (w, h, gray) = decode_gray(&png);
    let dark = |x0: f32, y0: f32, x1: f32, y1: f32| {
        let mut n = 0;
        for y in (y0 * h as f32) as usize..(y1 * h as f32) as usize {
            for x in (x0 * w as f32) as usize..(x1 * w as f32) as usize {
                if gray[y * w + x] < 128 {
                    n += 1;
                }
            }
        }
        n
    };
    assert!(dark(0.1, 0.15, 0.9, 0.6) > 500, "the table is drawn");
    assert_eq!(dark(0.0, 0.0, 0.05, 1.0), 0, "the left margin is blank");
}

/// The page as 8-bit gray, row-major.
fn decode_gray(path: &Path) -> (usize, usize, Vec<u8>) {
    let mut decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let gray = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|px| {
            let rgb = &px[..channels.min(3)];
            (rgb.iter().map(|&v| u32::from(v)).sum::<u32>() / rgb.len() as u32) as u8
        })
        .collect();
    (w, h, gray)
}

fn long_record() -> RegistrationRecord {
    let title: String = "关于进一步做好全市中小学校园安全隐患排查整治工作的通知"
        .chars()
        .cycle()
        .take(300)
        .collect();
    let decided = (1..=200)
        .map(|i| DecidedFinding {
            rule: "lexicon.misstatement".into(),
            severity: Severity::Error,
            field: "body".into(),
            matched: format!("扫黑险恶{i}"),
            message: "疑似严重表述错误：应为“扫黑除恶”".into(),
            decision: Some(DecisionKind::Waived),
            reason: Some(format!(
                "第{i}处为引用原文，已核实 https://www.example.gov.cn/a/very/long/path/{i}"
            )),
            decided_by: Some("zhang.min".into()),
            decided_at: Some("2026-12-03T08:00:00Z".into()),
        })
        .collect();
    RegistrationRecord {
        item_id: ItemId::new(),
        revision: 3,
        state: ItemState::AwaitingSignoff,
        title,
        column: "通知公告".into(),
        source_unit: "武汉市教育局".into(),
        author: "张敏".into(),
        author_phone: "027-85551234".into(),
        secrecy_review: Some(SecrecyReview {
            by: "zhang.min".into(),
            at: chrono::Utc::now(),
            content_hash: "e".repeat(64),
            engine_version: "test".into(),
            summary: CheckSummary {
                blockers: 0,
                errors: 200,
                warnings: 0,
                infos: 0,
                decided,
            },
        }),
        sent_for_review: None,
        signoff: None,
        submitted_at: None,
        portal: PortalSteps::default(),
    }
}

#[test]
fn a_long_title_and_200_findings_continue_over_pages_inside_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let record = long_record();
    let pdf = render_pdf(&record, &FontSource::System).unwrap();
    let path = write_pdf(dir.path(), "long.pdf", &pdf);
    let pages = pages_of(&path);
    assert!(pages >= 3, "200 findings take several pages, got {pages}");

    // Every character is there: the title wrapped, not cut, and the last
    // finding reached (whitespace differs with line breaks).
    let flat: String = text_of(&path)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(flat.contains(&record.title), "the whole title");
    assert!(flat.contains("问题200（错误）"));
    assert!(flat.contains("第200处为引用原文"));
    assert!(flat.contains(&format!("第{pages}页/共{pages}页")));

    // No word runs past the right margin or into the page's bottom edge.
    let bbox = String::from_utf8(tool("pdftotext", &["-bbox", &path, "-"])).unwrap();
    let mut words = 0;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let end = start + line[start..].find('"').unwrap();
            line[start..end].parse().unwrap()
        };
        assert!(attr("xMax") <= 595.28 - 40.0, "past the margin: {line}");
        assert!(attr("xMin") >= 40.0, "into the left margin: {line}");
        assert!(attr("yMax") <= 841.89 - 20.0, "off the page: {line}");
        words += 1;
    }
    assert!(words > 200);
}

#[test]
fn a_font_without_chinese_or_no_font_is_a_clear_error() {
    let err = render_pdf(
        &long_record(),
        &FontSource::File("/nonexistent/font.ttc".into()),
    )
    .unwrap_err();
    assert!(matches!(err, SheetError::FontUnreadable { .. }), "{err:?}");
    assert!(err.to_string().contains("无法读取字体文件"));

    let err = render_pdf(&long_record(), &FontSource::Bytes(b"not a font".to_vec())).unwrap_err();
    assert_eq!(err.code(), "font_not_cjk");

    let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if latin.is_file() {
        let err = render_pdf(&long_record(), &FontSource::File(latin.into())).unwrap_err();
        assert_eq!(err.code(), "font_not_cjk");
        assert!(err.to_string().contains("不含中文字形"), "{err}");
    }
}
