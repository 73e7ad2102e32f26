//! The store against real SQLite files in a temporary directory.

mod common;

use std::time::Duration;

use baosong_core::model::ItemState;
use baosong_core::store::schema;
use baosong_core::view::DiffTag;
use baosong_core::{Action, ListQuery, Store, StoreError};
use common::{content, temp_store};

/// Takes a draft through sign-off to the portal (已报送).
fn submit(store: &Store, id: baosong_core::ItemId) {
    common::sign_off(store, id);
    common::deliver(store, id);
}

fn search(store: &Store, q: &str) -> Vec<String> {
    store
        .list_items(&ListQuery {
            search: Some(q.to_string()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect()
}

#[test]
fn items_survive_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = Store::open(dir.path()).unwrap();
        store
            .create_item(content(
                "关于做好秋季学期校园安全工作的通知",
                "各学校：\n\n请做好安全检查。",
            ))
            .unwrap()
            .id
    };
    let store = Store::open(dir.path()).unwrap();
    let item = store.get_item(id).unwrap();
    assert_eq!(item.content.title, "关于做好秋季学期校园安全工作的通知");
    assert_eq!(item.state, ItemState::Draft);
    assert_eq!(item.revision, 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn every_save_is_a_new_revision_and_unchanged_saves_are_free() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "第一稿")).unwrap();
    let r2 = store
        .save_content(item.id, content("标题", "第二稿"), Some(1))
        .unwrap();
    assert_eq!(r2.revision, 2);
    let same = store
        .save_content(item.id, content("标题", "第二稿"), Some(2))
        .unwrap();
    assert_eq!(
        same.revision, 2,
        "identical content must not make a revision"
    );
    let revs = store.list_revisions(item.id).unwrap();
    assert_eq!(
        revs.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(store.get_revision(item.id, 1).unwrap().body, "第一稿");
}

#[test]
fn stale_editor_gets_a_conflict_not_an_overwrite() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "原文")).unwrap();
    store
        .save_content(item.id, content("标题", "命令行改的"), Some(1))
        .unwrap();
    let err = store
        .save_content(item.id, content("标题", "窗口里改的"), Some(1))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(store.get_item(item.id).unwrap().content.body, "命令行改的");
}

#[test]
fn diff_and_restore_revisions() {
    let (_d, store) = temp_store();
    let item = store
        .create_item(content("旧标题", "第一段\n第二段\n"))
        .unwrap();
    store
        .save_content(item.id, content("新标题", "第一段\n改写的第二段\n"), None)
        .unwrap();
    let diff = store.diff_revisions(item.id, 1, 2).unwrap();
    assert!(
        diff.fields
            .iter()
            .any(|f| f.field == "title" && f.old == "旧标题" && f.new == "新标题")
    );
    assert!(
        diff.body
            .iter()
            .any(|l| l.tag == DiffTag::Delete && l.text == "第二段")
    );
    assert!(
        diff.body
            .iter()
            .any(|l| l.tag == DiffTag::Insert && l.text == "改写的第二段")
    );
    assert!(diff.body_unified.contains("-第二段"));

    let restored = store.restore_revision(item.id, 1).unwrap();
    assert_eq!(restored.revision, 3);
    assert_eq!(restored.content.title, "旧标题");
    let revs = store.list_revisions(item.id).unwrap();
    assert_eq!(revs[0].note.as_deref(), Some("restored from revision 1"));
    assert!(matches!(
        store.get_revision(item.id, 9),
        Err(StoreError::NoSuchRevision(9))
    ));
}

#[test]
fn editing_after_sign_off_needs_a_new_sign_off() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "正文")).unwrap();
    let signed = common::sign_off(&store, item.id);
    assert_eq!(signed.state, ItemState::SignedOff);
    let edited = store
        .save_content(item.id, content("标题", "签发后又改"), None)
        .unwrap();
    assert_eq!(edited.state, ItemState::Draft);
}

#[test]
fn items_at_the_portal_refuse_edits_and_stay_unchanged() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "正文")).unwrap();
    submit(&store, item.id);
    let err = store
        .save_content(item.id, content("标题", "偷改"), None)
        .unwrap_err();
    assert_eq!(err.code(), "workflow");
    assert!(err.message(baosong_core::Lang::Zh).contains("撤回"));
    let now = store.get_item(item.id).unwrap();
    assert_eq!(now.content.body, "正文");
    assert_eq!(now.state, ItemState::Submitted);
}

#[test]
fn returned_reason_is_kept_and_revision_starts_as_draft() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "正文")).unwrap();
    submit(&store, item.id);
    let returned = store
        .apply_action(
            item.id,
            Action::Return {
                reason: "请补充数据来源".into(),
            },
        )
        .unwrap();
    assert_eq!(returned.returned_reason.as_deref(), Some("请补充数据来源"));
    let revised = store
        .save_content(item.id, content("标题", "补充了来源"), None)
        .unwrap();
    assert_eq!(revised.state, ItemState::Draft);
    assert_eq!(revised.revision, 2);
    assert_eq!(revised.returned_reason.as_deref(), Some("请补充数据来源"));
}

#[test]
fn audit_log_records_every_change_and_refuses_rewrites() {
    let (dir, store) = temp_store();
    let item = store.create_item(content("标题", "正文")).unwrap();
    store
        .save_content(item.id, content("标题", "改"), None)
        .unwrap();
    store.apply_action(item.id, Action::SendForSignoff).unwrap();
    let log = store.audit_log(Some(item.id)).unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["create", "edit", "send_for_signoff"]);
    assert_eq!(log[1].revision, Some(2));

    let raw = rusqlite::Connection::open(dir.path().join("baosong.sqlite3")).unwrap();
    assert!(raw.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
    assert!(raw.execute("DELETE FROM audit_log", []).is_err());
    assert_eq!(store.audit_log(None).unwrap().len(), 3);
}

#[test]
fn a_failed_change_leaves_no_audit_entry() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "正文")).unwrap();
    assert!(store.apply_action(item.id, Action::Queue).is_err());
    assert_eq!(store.audit_log(Some(item.id)).unwrap().len(), 1);
}

#[test]
fn chinese_search_finds_two_character_words() {
    let (_d, store) = temp_store();
    store
        .create_item(content(
            "市教育局召开秋季学期安全工作会议",
            "会议部署了校园食品安全检查。",
        ))
        .unwrap();
    store
        .create_item(content("卫健委发布流感防控提示", "请市民注意个人防护。"))
        .unwrap();
    assert_eq!(
        search(&store, "安全"),
        vec!["市教育局召开秋季学期安全工作会议"]
    );
    assert_eq!(
        search(&store, "学期"),
        vec!["市教育局召开秋季学期安全工作会议"]
    );
    assert_eq!(search(&store, "防控提示"), vec!["卫健委发布流感防控提示"]);
    assert_eq!(
        search(&store, "食品安全检查"),
        vec!["市教育局召开秋季学期安全工作会议"]
    );
    assert!(search(&store, "疫苗").is_empty());
    // All terms must match.
    assert!(search(&store, "安全 流感").is_empty());
    assert_eq!(search(&store, "流感 市民").len(), 1);
}

#[test]
fn search_is_exact_about_adjacency() {
    let (_d, store) = temp_store();
    store.create_item(content("甲乙，乙丙", "")).unwrap();
    assert!(
        search(&store, "甲乙丙").is_empty(),
        "grams across punctuation must not join"
    );
    assert_eq!(search(&store, "乙丙").len(), 1);
    store.create_item(content("report AB,BC", "")).unwrap();
    assert!(search(&store, "ABC").is_empty());
}

#[test]
fn search_folds_width_and_case_and_handles_one_character() {
    let (_d, store) = temp_store();
    store
        .create_item(content("ＧＤＰ增长６．５％", ""))
        .unwrap();
    store.create_item(content("无关", "")).unwrap();
    assert_eq!(search(&store, "gdp").len(), 1);
    assert_eq!(search(&store, "增").len(), 1);
    assert_eq!(search(&store, "6.5%").len(), 1);
}

#[test]
fn search_sees_saved_changes() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "旧的内容")).unwrap();
    store
        .save_content(item.id, content("标题", "新的文字"), None)
        .unwrap();
    assert!(search(&store, "旧的").is_empty());
    assert_eq!(search(&store, "新的").len(), 1);
}

#[test]
fn list_filters_by_state_and_pages() {
    let (_d, store) = temp_store();
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            store
                .create_item(content(&format!("稿件{i}"), ""))
                .unwrap()
                .id,
        );
    }
    store.apply_action(ids[2], Action::SendForSignoff).unwrap();
    let waiting = store
        .list_items(&ListQuery {
            state: Some(ItemState::AwaitingSignoff),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].id, ids[2]);
    let page = |offset| {
        store
            .list_items(&ListQuery {
                state: Some(ItemState::Draft),
                offset,
                limit: 4,
                search: None,
            })
            .unwrap()
    };
    let (first, second) = (page(0), page(4));
    assert_eq!(first.len(), 4);
    assert_eq!(second.len(), 2);
    // Newest first, no overlap.
    assert_eq!(first[0].title, "稿件6");
    assert!(first.iter().all(|a| second.iter().all(|b| a.id != b.id)));
}

#[test]
fn ids_resolve_from_unique_prefixes() {
    let (_d, store) = temp_store();
    let a = store.create_item(content("一", "")).unwrap().id;
    let full = a.to_string();
    assert_eq!(store.resolve_id(&full[..13].to_uppercase()).unwrap(), a);
    assert!(matches!(
        store.resolve_id("zz"),
        Err(StoreError::InvalidId(_))
    ));
    assert!(matches!(
        store.resolve_id("fffff"),
        Err(StoreError::NotFound(_))
    ));
    store.create_item(content("二", "")).unwrap();
    // Both UUIDv7 ids start with the same timestamp digits.
    assert!(matches!(
        store.resolve_id(&full[..4]),
        Err(StoreError::Ambiguous { count: 2, .. })
    ));
}

#[test]
fn oversized_input_is_refused_cleanly() {
    let (_d, store) = temp_store();
    let err = store
        .create_item(content(&"长".repeat(600), ""))
        .unwrap_err();
    assert!(matches!(err, StoreError::TooLong { field: "title", .. }));
    assert!(err.message(baosong_core::Lang::Zh).contains("标题过长"));
    assert!(store.list_items(&ListQuery::default()).unwrap().is_empty());
}

#[test]
fn opens_databases_created_by_every_earlier_schema() {
    let latest = schema::latest_version();
    for version in 1..=latest {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baosong.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let old = rusqlite_migration::Migrations::new(schema::all());
            old.to_version(&mut conn, version as usize).unwrap();
            let fixture = format!(
                "{}/tests/fixtures/schema-v{version}.sql",
                env!("CARGO_MANIFEST_DIR")
            );
            let sql = std::fs::read_to_string(&fixture)
                .unwrap_or_else(|_| panic!("every schema version needs a fixture: {fixture}"));
            conn.execute_batch(&sql).unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest);
        let items = store.list_items(&ListQuery::default()).unwrap();
        assert_eq!(items.len(), 1, "schema v{version}");
        let item = store.get_item(items[0].id).unwrap();
        assert_eq!(item.content.title, "市教育局召开安全工作会议");
        assert_eq!(item.returned_reason.as_deref(), Some("请补充参会人员"));
        assert_eq!(search(&store, "安全").len(), 1);
        assert_eq!(store.list_revisions(item.id).unwrap().len(), 2);
        if version >= 4 {
            let link = store.portal_link(item.id).unwrap().unwrap();
            assert_eq!(link.portal_status, "returned");
            let timeline = store.status_timeline(item.id).unwrap();
            assert_eq!(timeline.len(), 2);
            assert_eq!(timeline[1].reason.as_deref(), Some("请补充参会人员"));
            assert_eq!(
                store
                    .setting(baosong_core::store::CHANGES_CURSOR)
                    .unwrap()
                    .as_deref(),
                Some("c2")
            );
            assert_eq!(store.list_outbox(true, 10).unwrap().len(), 1);
        }
        if version >= 3 {
            let check = store.check_item(item.id).unwrap();
            assert_eq!(check.decisions.len(), 1, "decisions survive the upgrade");
            assert!(store.stored_report(item.id, 1).unwrap().is_some());
        }
        // And it keeps working: a revision on top of the old ones.
        let next = store
            .save_content(item.id, content("新标题", "新正文"), Some(2))
            .unwrap();
        assert_eq!(next.revision, 3);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        // The old audit entries were chained at open; new ones follow.
        let log = store.audit_log(None).unwrap();
        assert!(log.iter().all(|e| e.hash.is_some()), "schema v{version}");
        let report = store.verify_audit().unwrap();
        assert!(
            report.is_clean(),
            "schema v{version}: {:?}",
            report.problems
        );
    }
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("baosong.sqlite3")).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let err = Store::open(dir.path()).err().unwrap();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.message(baosong_core::Lang::Zh).contains("升级"));
}

#[test]
fn a_damaged_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baosong.sqlite3");
    let junk = "这不是数据库文件".repeat(1000);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(dir.path()).err().unwrap();
    assert_eq!(err.code(), "corrupt_database", "{err:?}");
    assert!(err.to_string().contains("baosong.sqlite3"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        junk,
        "file must be untouched"
    );
}

#[test]
fn a_writer_holding_the_lock_gives_busy_not_a_hang_or_loss() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_timeout(dir.path(), Duration::from_millis(200)).unwrap();
    let item = store.create_item(content("标题", "原文")).unwrap();
    let other = rusqlite::Connection::open(dir.path().join("baosong.sqlite3")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = store
        .save_content(item.id, content("标题", "新文"), None)
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    assert!(err.message(baosong_core::Lang::Zh).contains("正忙"));
    other.execute_batch("ROLLBACK").unwrap();
    // Reads were never blocked (WAL), and the retry goes through.
    assert_eq!(store.get_item(item.id).unwrap().content.body, "原文");
    store
        .save_content(item.id, content("标题", "新文"), None)
        .unwrap();
}

#[test]
fn data_directory_is_private() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("nested/data");
    Store::open(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "data dir must not be readable by others");
    }
    let file_in_the_way = parent.path().join("file");
    std::fs::write(&file_in_the_way, "x").unwrap();
    assert_eq!(
        Store::open(&file_in_the_way).err().unwrap().code(),
        "data_dir"
    );
}

#[test]
fn queued_index_updates_are_applied_before_searching() {
    let (_d, store) = temp_store();
    let item = store.create_item(content("标题", "甲乙丙")).unwrap();
    store
        .save_content(item.id, content("标题", "丁戊己"), None)
        .unwrap();
    store
        .save_content(item.id, content("标题", "庚辛壬"), None)
        .unwrap();
    // Two saves, one queued re-index.
    assert_eq!(store.flush_index().unwrap(), 1);
    assert_eq!(store.flush_index().unwrap(), 0);
    store
        .save_content(item.id, content("标题", "癸子丑"), None)
        .unwrap();
    assert_eq!(
        search(&store, "子丑").len(),
        1,
        "search must flush the queue itself"
    );
    assert!(search(&store, "辛壬").is_empty());
}
