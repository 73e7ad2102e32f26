//! The editor pages' HTML. Everything from the database or a request is
//! escaped with [`esc`]; the item's own HTML goes through
//! [`sanitize_item_html`] (ammonia), never as received.

use std::fmt::Write as _;

use baosong_api::{FindingDecisionKind, Severity, Submission, SubmissionStatus, Transition};

use super::Inbox;
use crate::checks::ServerFinding;
use crate::db::users::Principal;

pub const STYLESHEET: &str = include_str!("editor.css");

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The item's HTML as the editor sees it: ammonia's safe subset (no script,
/// style, event handlers or forms), no relative links, and every link
/// `rel="noopener noreferrer nofollow"`. Images show only when they are the
/// submission's own attachments: the client writes them as
/// `attachment:<sha256>`, which becomes this site's download address; any
/// other image source is dropped (remote content, which the page's CSP
/// blocks anyway).
pub fn sanitize_item_html(html: &str) -> String {
    sanitize_item_html_with(html, &[])
}

/// As [`sanitize_item_html`], placing the attachments named by `attachments`
/// (their SHA-256s).
pub fn sanitize_item_html_with(html: &str, attachments: &[String]) -> String {
    let known = attachments.to_vec();
    let mut b = ammonia::Builder::default();
    // Relative addresses are refused, except the ones written just below.
    b.add_url_schemes(["attachment"])
        .url_relative(ammonia::UrlRelative::Custom(Box::new(own_attachment_url)))
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(move |element, attribute, value| {
            let is_url = matches!((element, attribute), ("img", "src") | ("a", "href"));
            match value.strip_prefix("attachment:") {
                Some(sha) if is_url && known.iter().any(|k| k == sha) => {
                    Some(format!("/editor/attachments/{sha}").into())
                }
                Some(_) => None,
                None if element == "img" && attribute == "src" => None,
                None => Some(value.into()),
            }
        });
    b.clean(html).to_string()
}

/// The one kind of relative address the item's HTML may keep.
fn own_attachment_url(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    url.starts_with("/editor/attachments/")
        .then_some(std::borrow::Cow::Borrowed(url))
}

fn layout(title: &str, who: Option<(&Principal, &str)>, main: &str) -> String {
    let mut nav = String::new();
    if let Some((p, csrf)) = who {
        let _ = write!(
            nav,
            r#"<nav><a href="/editor/inbox">稿件收件箱</a><span class="who">{} （{}）</span><form method="post" action="/editor/logout" class="inline"><input type="hidden" name="csrf" value="{}"><button type="submit">退出登录</button></form></nav>"#,
            esc(&p.display_name),
            esc(&p.username),
            esc(csrf)
        );
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · 宝送参考门户 · 编辑工作台</title>
<link rel="stylesheet" href="/editor/static/editor.css">
<link rel="icon" href="/editor/static/favicon.ico">
</head>
<body>
<header><strong>宝送参考门户 · 编辑工作台</strong>{nav}</header>
<main>
{main}
</main>
</body>
</html>
"#,
        title = esc(title),
    )
}

pub fn error_page(status: u16, msg: &str) -> String {
    let lines: String = msg.lines().map(|l| format!("<p>{}</p>", esc(l))).collect();
    layout(
        "出错了",
        None,
        &format!(
            r#"<h1>出错了（{status}）</h1><div class="error" role="alert">{lines}</div><p><a href="/editor/inbox">返回收件箱</a> · <a href="/editor/login">登录</a></p>"#
        ),
    )
}

pub fn login(csrf: &str, error: Option<&str>, username: &str) -> String {
    let err = error
        .map(|e| format!(r#"<div class="error" role="alert">{}</div>"#, esc(e)))
        .unwrap_or_default();
    layout(
        "登录",
        None,
        &format!(
            r#"<h1>编辑登录</h1>
{err}
<form method="post" action="/editor/login" class="login">
<input type="hidden" name="csrf" value="{csrf}">
<label>用户名 <input name="username" id="username" autocomplete="username" required value="{username}"></label>
<label>密码 <input name="password" id="password" type="password" autocomplete="current-password" required></label>
<button type="submit" id="login">登录</button>
</form>
<p class="hint">仅限门户网站编辑登录。</p>"#,
            csrf = esc(csrf),
            username = esc(username),
        ),
    )
}

fn status_badge(s: SubmissionStatus) -> String {
    format!(
        r#"<span class="status status-{}" data-status="{}">{}</span>"#,
        s.code(),
        s.code(),
        s.label_zh()
    )
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "阻断",
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

fn field_zh(f: &str) -> &str {
    match f {
        "title" => "标题",
        "summary" => "内容概述",
        "keywords" => "主题词",
        "body" => "正文",
        "" => "—",
        other => other,
    }
}

pub fn inbox(who: &Principal, csrf: &str, data: &Inbox) -> String {
    let mut m = String::from("<h1>稿件收件箱</h1>");
    // Filters: a GET form, no script.
    m.push_str(r#"<form method="get" action="/editor/inbox" class="filters"><label>栏目 <select name="column"><option value="">全部栏目</option>"#);
    for (id, name) in &data.columns {
        let sel = if *id == data.column { " selected" } else { "" };
        let _ = write!(
            m,
            r#"<option value="{}"{sel}>{}</option>"#,
            esc(id),
            esc(name)
        );
    }
    m.push_str(
        r#"</select></label> <label>状态 <select name="status"><option value="">全部状态</option>"#,
    );
    for st in SubmissionStatus::ALL {
        let sel = if data.status == Some(st) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            m,
            r#"<option value="{}"{sel}>{}</option>"#,
            st.code(),
            st.label_zh()
        );
    }
    m.push_str(r#"</select></label> <button type="submit">筛选</button></form>"#);
    // Counts by status, each a link.
    m.push_str(r#"<p class="counts">"#);
    for (st, n) in &data.counts {
        let _ = write!(
            m,
            r#"<a href="/editor/inbox?column={}&amp;status={}">{} {}</a> "#,
            esc(&data.column),
            st.code(),
            st.label_zh(),
            n
        );
    }
    m.push_str("</p>");
    if data.rows.is_empty() {
        m.push_str(r#"<p class="empty">没有符合条件的稿件。</p>"#);
    } else {
        m.push_str(r#"<table class="inbox"><thead><tr><th>标题</th><th>报送单位</th><th>栏目</th><th>状态</th><th>版本</th><th>门户检查</th><th>更新时间</th></tr></thead><tbody>"#);
        for r in &data.rows {
            let _ = write!(
                m,
                r#"<tr data-id="{id}"><td><a href="/editor/submissions/{id}">{title}</a></td><td>{unit}</td><td>{column}</td><td>{status}</td><td>{rev}</td><td>{findings}</td><td>{at}</td></tr>"#,
                id = esc(&r.id),
                title = esc(&r.title),
                unit = esc(&r.unit),
                column = esc(&r.column),
                status = status_badge(r.status),
                rev = r.revision,
                findings = if r.server_findings == 0 {
                    "—".to_string()
                } else {
                    format!(r#"<span class="warn">{} 项</span>"#, r.server_findings)
                },
                at = esc(&r
                    .updated_at
                    .chars()
                    .take(19)
                    .collect::<String>()
                    .replace('T', " ")),
            );
        }
        m.push_str("</tbody></table>");
        if data.rows.len() as i64 >= super::INBOX_LIMIT {
            let _ = write!(
                m,
                r#"<p class="hint">只显示最近更新的 {} 条，请用筛选缩小范围。</p>"#,
                super::INBOX_LIMIT
            );
        }
    }
    layout("稿件收件箱", Some((who, csrf)), &m)
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

pub fn submission(
    who: &Principal,
    csrf: &str,
    sub: &Submission,
    findings: &[ServerFinding],
    column_name: Option<&str>,
) -> String {
    let item = &sub.item;
    let mut m = String::new();
    let _ = write!(
        m,
        r#"<p><a href="/editor/inbox">← 返回收件箱</a></p><h1 id="title">{}</h1>
<p>状态：<span id="status">{}</span>{}</p>"#,
        esc(&item.title),
        status_badge(sub.status),
        sub.returned_reason
            .as_deref()
            .map(|r| format!(
                r#" · 退回理由：<span id="returned-reason">{}</span>"#,
                esc(r)
            ))
            .unwrap_or_default()
    );
    if let Some(url) = &sub.public_url {
        let _ = write!(
            m,
            r#"<p>发布地址：<a href="{u}" rel="noopener noreferrer nofollow">{u}</a></p>"#,
            u = esc(url)
        );
    }
    // Metadata.
    let _ = write!(
        m,
        r#"<table class="meta"><tbody>
<tr><th>报送单位</th><td>{unit}</td><th>报送人</th><td>{by}（{by_user}）</td></tr>
<tr><th>栏目</th><td>{column}</td><th>版本</th><td>第 {rev} 版</td></tr>
<tr><th>执笔人</th><td>{author}</td><th>联系电话</th><td>{phone}</td></tr>
<tr><th>来源单位</th><td>{source}</td><th>紧急程度</th><td>{urgency}</td></tr>
<tr><th>主题词</th><td colspan="3">{keywords}</td></tr>
<tr><th>内容概述</th><td colspan="3">{summary}</td></tr>
<tr><th>公开属性</th><td>{disclosure}</td><th>文号</th><td>{doc}</td></tr>
<tr><th>报送时间</th><td>{created}</td><th>更新时间</th><td>{updated}</td></tr>
<tr><th>内容摘要值</th><td colspan="3"><code>{hash}</code></td></tr>
</tbody></table>"#,
        unit = esc(&sub.unit.name),
        by = esc(&sub.submitted_by.display_name),
        by_user = esc(&sub.submitted_by.username),
        column = esc(column_name.unwrap_or(&item.column_id)),
        rev = sub.revision,
        author = esc(&item.author),
        phone = esc(&item.author_phone),
        source = esc(&item.source_unit),
        urgency = match item.urgency {
            baosong_api::Urgency::Normal => "普通",
            baosong_api::Urgency::Urgent => "紧急",
        },
        keywords = esc(&item.keywords.join("；")),
        summary = esc(&item.summary),
        disclosure = match item.disclosure.kind {
            baosong_api::DisclosureKind::Proactive => "主动公开".to_string(),
            baosong_api::DisclosureKind::OnRequest => "依申请公开".to_string(),
            baosong_api::DisclosureKind::Withheld =>
                format!("不予公开（{}）", esc(&item.disclosure.withheld_reason)),
        },
        doc = esc(&item.disclosure.doc_number),
        created = time(sub.created_at),
        updated = time(sub.updated_at),
        hash = esc(&sub.content_hash),
    );

    // The item itself.
    let _ = write!(
        m,
        r#"<h2>正文</h2><article class="item-body" id="item-body">{}</article>
<details><summary>Markdown 原文</summary><pre>{}</pre></details>"#,
        sanitize_item_html_with(
            &sub.body_html,
            &sub.attachments
                .iter()
                .map(|a| a.sha256.clone())
                .collect::<Vec<_>>()
        ),
        esc(&sub.body_markdown)
    );

    // The client's self-check.
    let c = &sub.check;
    let _ = write!(
        m,
        r#"<h2>客户端自查</h2><p id="client-check">阻断 {} · 错误 {} · 警告 {} · 提示 {}{}</p>"#,
        c.summary.blockers,
        c.summary.errors,
        c.summary.warnings,
        c.summary.infos,
        if c.engine.is_empty() {
            String::new()
        } else {
            format!(
                "（{}{}）",
                esc(&c.engine),
                c.checked_at
                    .map(|t| format!("，{}", time(t)))
                    .unwrap_or_default()
            )
        }
    );
    if !c.findings.is_empty() {
        m.push_str(r#"<table class="findings"><thead><tr><th>级别</th><th>规则</th><th>位置</th><th>内容</th><th>处理</th></tr></thead><tbody>"#);
        for f in &c.findings {
            let decision = match &f.decision {
                None => "未处理".to_string(),
                Some(d) => format!(
                    "{}{} — {}，{}",
                    match d.kind {
                        FindingDecisionKind::Fixed => "已修改",
                        FindingDecisionKind::Waived => "保留",
                    },
                    if d.reason.is_empty() {
                        String::new()
                    } else {
                        format!("（理由：{}）", esc(&d.reason))
                    },
                    esc(&d.by),
                    time(d.at)
                ),
            };
            let _ = write!(
                m,
                r#"<tr><td class="sev-{}">{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                f.severity.code(),
                severity_zh(f.severity),
                esc(&f.rule_id),
                esc(field_zh(&f.field)),
                esc(&f.excerpt),
                decision
            );
        }
        m.push_str("</tbody></table>");
    }

    // The portal's own check.
    m.push_str(r#"<h2>门户复查</h2><div id="server-findings">"#);
    if findings.is_empty() {
        m.push_str("<p>门户检查未发现问题。</p>");
    } else {
        let missed = findings.iter().filter(|f| !f.reported_by_client).count();
        let _ = write!(
            m,
            r#"<p>门户检查发现 {} 项（其中 {} 项客户端自查未列出）。仅作记录，不影响接收。</p><table class="findings"><thead><tr><th>级别</th><th>规则</th><th>位置</th><th>内容</th><th>说明</th><th>客户端已列出</th></tr></thead><tbody>"#,
            findings.len(),
            missed
        );
        for f in findings {
            let _ = write!(
                m,
                r#"<tr data-rule="{rule}"><td class="sev-{sev}">{sevzh}</td><td><code>{rule}</code></td><td>{field}{line}</td><td>{excerpt}</td><td>{msg}</td><td>{reported}</td></tr>"#,
                rule = esc(&f.rule_id),
                sev = f.severity.code(),
                sevzh = severity_zh(f.severity),
                field = esc(field_zh(&f.field)),
                line = if f.line > 0 {
                    format!(" 第 {} 行", f.line)
                } else {
                    String::new()
                },
                excerpt = esc(&f.excerpt),
                msg = esc(&f.message),
                reported = if f.reported_by_client { "是" } else { "否" },
            );
        }
        m.push_str("</tbody></table>");
    }
    m.push_str("</div>");

    attachments(&mut m, &sub.attachments);

    // Sign-off.
    m.push_str(r#"<h2>签发</h2><div id="signoff">"#);
    match (&sub.signoff, &sub.signed_by) {
        // The portal stores a submission only once its signature verified;
        // `signed_by` is set exactly then.
        (Some(s), Some(by)) => {
            let _ = write!(
                m,
                r#"<p><span class="status verified" id="signoff-verified">签名已验证</span></p><table class="meta"><tbody><tr><th>签发人</th><td>{name}（{user}）</td></tr><tr><th>签发时间</th><td>{at}</td></tr><tr><th>签发意见</th><td>{opinion}</td></tr><tr><th>密钥指纹</th><td><code class="fingerprint">{fp}</code></td></tr><tr><th>签名</th><td><code class="sig">{sig}</code></td></tr></tbody></table>"#,
                name = esc(&by.display_name),
                user = esc(&by.username),
                at = time(s.signed_at),
                opinion = esc(&s.opinion),
                fp = esc(&baosong_api::signing::fingerprint(&s.key_id)),
                sig = esc(&s.signature)
            );
        }
        // Received before the portal verified sign-offs (schema version 2).
        (Some(s), None) => {
            let _ = write!(
                m,
                r#"<table class="meta"><tbody><tr><th>签发人</th><td>{}</td></tr><tr><th>签发时间</th><td>{}</td></tr><tr><th>密钥指纹</th><td><code class="fingerprint">{}</code></td></tr></tbody></table><p class="hint">此稿件在门户验证签名之前收到，签名未经验证。</p>"#,
                esc(&s.signer),
                time(s.signed_at),
                esc(&baosong_api::signing::fingerprint(&s.key_id)),
            );
        }
        (None, _) => m.push_str("<p>未签发（在门户验证签名之前收到）</p>"),
    }
    m.push_str("</div>");

    // Decisions that are possible from the current status.
    m.push_str(r#"<h2>处理</h2>"#);
    let can = |t: Transition| sub.status.after(t).is_ok();
    let action_url = format!("/editor/submissions/{}/decision", sub.id);
    let hidden = format!(r#"<input type="hidden" name="csrf" value="{}">"#, esc(csrf));
    let comment =
        r#"<label>备注 <textarea name="comment" rows="2" maxlength="2000"></textarea></label>"#;
    let mut any = false;
    let mut form = |id: &str, action: &str, fields: &str, button: &str| {
        any = true;
        format!(
            r#"<form method="post" action="{action_url}" class="decision" id="form-{id}">{hidden}<input type="hidden" name="action" value="{action}">{fields}{comment}<button type="submit" id="do-{id}">{button}</button></form>"#
        )
    };
    let mut forms = String::new();
    if can(Transition::StartReview) {
        forms.push_str(&form("start-review", "start_review", "", "开始审核"));
    }
    if can(Transition::Adopt) {
        forms.push_str(&form("adopt", "adopt", "", "采用"));
    }
    if can(Transition::Return) {
        forms.push_str(&form(
            "return",
            "return",
            r#"<label>退回理由（必填） <textarea name="reason" id="return-reason" rows="3" maxlength="2000" required></textarea></label>"#,
            "退回",
        ));
    }
    if can(Transition::Decline) {
        forms.push_str(&form("decline", "decline", "", "不予采用"));
    }
    if can(Transition::Publish) {
        forms.push_str(&form(
            "publish",
            "publish",
            r#"<label>发布网址（必填） <input name="public_url" id="public-url" type="url" maxlength="2000" required placeholder="https://"></label>"#,
            "发布",
        ));
    }
    if any {
        m.push_str(&forms);
    } else {
        let _ = write!(
            m,
            r#"<p>稿件当前状态为“{}”，无需处理。</p>"#,
            sub.status.label_zh()
        );
    }

    // History.
    m.push_str(r#"<h2>处理记录</h2><ol class="history" id="history">"#);
    for h in &sub.history {
        let _ = write!(
            m,
            r#"<li>{} · {}（{}）· {}{}{}{}</li>"#,
            time(h.at),
            esc(&h.by.display_name),
            esc(h.by.role.label_zh()),
            h.status.label_zh(),
            h.reason
                .as_deref()
                .map(|r| format!(" · 理由：{}", esc(r)))
                .unwrap_or_default(),
            h.public_url
                .as_deref()
                .map(|u| format!(" · 网址：{}", esc(u)))
                .unwrap_or_default(),
            if h.comment.is_empty() {
                String::new()
            } else {
                format!(" · 备注：{}", esc(&h.comment))
            },
        );
    }
    m.push_str("</ol>");
    layout(&item.title, Some((who, csrf)), &m)
}

/// Whether the editor page shows the attachment inline (as a picture).
fn is_inline_image(media_type: &str) -> bool {
    matches!(
        baosong_api::uploads::media_essence(media_type).as_str(),
        "image/jpeg" | "image/png" | "image/webp"
    )
}

/// A size for people: 字节 / KB / MB.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} 字节"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// The attachments: name (a download link through the editor's session),
/// size, type, the start of the hash; pictures shown below the table.
fn attachments(m: &mut String, list: &[baosong_api::AttachmentRef]) {
    m.push_str(r#"<h2>附件</h2><div id="attachments">"#);
    if list.is_empty() {
        m.push_str("<p>无附件</p></div>");
        return;
    }
    m.push_str(
        r#"<table class="findings"><thead><tr><th>文件名</th><th>大小</th><th>类型</th><th>SHA-256</th></tr></thead><tbody>"#,
    );
    for a in list {
        // The hash was validated on receipt (lowercase hex), so it is safe
        // in a path; everything else is escaped.
        let _ = write!(
            m,
            r#"<tr class="attachment"><td><a href="/editor/attachments/{sha}" download="{name}">{name}</a></td><td>{size}</td><td>{kind}</td><td><code title="{sha}">{short}…</code></td></tr>"#,
            sha = esc(&a.sha256),
            name = esc(&a.name),
            size = human_size(a.size),
            kind = esc(&a.media_type),
            short = esc(a.sha256.get(..12).unwrap_or(&a.sha256)),
        );
    }
    m.push_str("</tbody></table>");
    for a in list.iter().filter(|a| is_inline_image(&a.media_type)) {
        let _ = write!(
            m,
            r#"<figure class="attachment-image"><img src="/editor/attachments/{sha}" alt="{name}" loading="lazy"><figcaption>{name}</figcaption></figure>"#,
            sha = esc(&a.sha256),
            name = esc(&a.name),
        );
    }
    m.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn item_html_is_sanitised() {
        let dirty = r#"<p onclick="alert(1)">正文<script>alert(2)</script><img src="https://evil.example/x.png"><a href="javascript:alert(3)">链接</a><a href="https://www.gov.cn/">国务院</a><style>p{}</style><iframe src="https://evil.example"></iframe></p>"#;
        let clean = sanitize_item_html(dirty);
        for bad in [
            "onclick",
            "<script",
            "alert(2)",
            "evil.example",
            "javascript:",
            "<style",
            "<iframe",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("正文"));
        assert!(
            !clean.contains("src="),
            "a remote picture keeps no source: {clean}"
        );
        assert!(clean.contains(r#"href="https://www.gov.cn/""#), "{clean}");
        assert!(clean.contains("noopener"), "{clean}");
    }

    #[test]
    fn only_the_submissions_own_pictures_show() {
        let mine = "ab".repeat(32);
        let other = "cd".repeat(32);
        let html = format!(
            r#"<p><img src="attachment:{mine}" alt="会议现场"><img src="attachment:{other}"><img src="/editor/logout"><a href="attachment:{mine}">附件</a></p>"#
        );
        let clean = sanitize_item_html_with(&html, std::slice::from_ref(&mine));
        assert!(
            clean.contains(&format!(
                r#"<img src="/editor/attachments/{mine}" alt="会议现场">"#
            )),
            "{clean}"
        );
        assert!(
            clean.contains(&format!(r#"href="/editor/attachments/{mine}""#)),
            "{clean}"
        );
        assert!(!clean.contains(&other), "{clean}");
        assert!(!clean.contains("logout"), "{clean}");
    }
}
