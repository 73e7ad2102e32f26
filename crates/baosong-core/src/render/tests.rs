use super::render_markdown;

fn assert_clean(html: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<style",
        "srcdoc",
        "vbscript:",
        "data:text/html",
    ] {
        assert!(!lower.contains(bad), "found {bad:?} in {html}");
    }
}

#[test]
fn renders_gfm_extensions() {
    let md = "# 标题\n\n| 项目 | 数量 |\n|---|---|\n| 学校 | 12 |\n\n~~删除~~ 与 https://www.gov.cn\n\n- [x] 已完成\n- [ ] 未完成\n\n注释[^1]\n\n[^1]: 脚注内容\n";
    let html = render_markdown(md);
    assert!(html.contains("<h1>标题</h1>"), "{html}");
    assert!(
        html.contains("<table>") && html.contains("<td>学校</td>"),
        "{html}"
    );
    assert!(html.contains("<del>删除</del>"), "{html}");
    assert!(html.contains("href=\"https://www.gov.cn\""), "{html}");
    assert!(html.contains("type=\"checkbox\""), "{html}");
    assert!(html.contains("脚注内容"), "{html}");
}

#[test]
fn script_tags_are_removed() {
    let html = render_markdown("正文<script>alert(1)</script>结束\n\n<script src=x></script>");
    assert_clean(&html);
    assert!(html.contains("正文"));
}

#[test]
fn event_handlers_are_removed() {
    let html = render_markdown(
        "<img src=\"https://example.org/a.png\" onerror=\"alert(1)\">\n\n<p onclick=alert(1)>段落</p>\n\n<a href=\"https://gov.cn\" onmouseover=\"x()\">链接</a>",
    );
    assert_clean(&html);
    assert!(html.contains("段落") && html.contains("链接"));
    assert!(!html.to_lowercase().contains("onmouseover"));
}

#[test]
fn javascript_links_are_removed() {
    for md in [
        "[点我](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">点我</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">点我</a>",
        "<a href=\"&#106;avascript:alert(1)\">点我</a>",
        "[点我](vbscript:msgbox)",
        "[点我](data:text/html;base64,PHNjcmlwdD4=)",
    ] {
        let html = render_markdown(md);
        assert_clean(&html);
        assert!(html.contains("点我"), "{md} -> {html}");
    }
}

#[test]
fn svg_and_iframe_payloads_are_removed() {
    for md in [
        "<svg onload=alert(1)><circle r=10 /></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<style>body{display:none}</style>",
        "<form action=\"https://evil.example\"><input name=q></form>",
    ] {
        let html = render_markdown(md);
        assert_clean(&html);
        assert!(!html.contains("<form"), "{html}");
    }
}

#[test]
fn harmless_inline_html_survives() {
    let html = render_markdown("这是<u>下划线</u>和 m<sup>2</sup>");
    assert!(html.contains("<u>下划线</u>"), "{html}");
    assert!(html.contains("<sup>2</sup>"), "{html}");
}

#[test]
fn links_get_safe_rel() {
    let html = render_markdown("[政府网](https://www.gov.cn)");
    assert!(
        html.contains("rel=\"noopener noreferrer nofollow\""),
        "{html}"
    );
}

#[test]
fn attachment_images_are_placed_by_the_caller() {
    let sha = "ab".repeat(32);
    let html = render_markdown(&format!(
        "![会议现场](attachment:{sha})\n\n![x](attachment:{sha}\"onerror=alert(1))"
    ));
    assert!(
        html.contains(&format!("src=\"attachment:{sha}\"")),
        "{html}"
    );
    let placed = super::place_attachments(&html, |h| {
        (h == sha).then(|| "data:image/png;base64,AAAA".to_owned())
    });
    assert!(
        placed.contains("src=\"data:image/png;base64,AAAA\" alt=\"会议现场\""),
        "{placed}"
    );
    // The crafted one stays an encoded, unresolved URL: no new attribute.
    assert!(!placed.contains(" onerror="), "{placed}");
    assert!(placed.contains("src=\"attachment:"), "{placed}");
    // Unknown hashes stay as they were.
    let other = super::place_attachments(&html, |_| None);
    assert_eq!(other, html);
}
