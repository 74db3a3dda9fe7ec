//! Documentation text: Tencent's HTML to Markdown, and Markdown to rustdoc-safe lines.

/// Converts the HTML fragments in Tencent's descriptions to Markdown text.
/// Text without tags passes through (entities are still decoded).
pub fn html_to_markdown(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut lists: Vec<Option<u32>> = Vec::new(); // None: bullet, Some(n): next number
    let mut link: Option<String> = None;
    let mut pre = false;
    let mut rest = input;
    while let Some(pos) = rest.find('<') {
        push_text(&mut out, &rest[..pos]);
        let after = &rest[pos..];
        let Some(end) = after.find('>') else {
            push_text(&mut out, after);
            rest = "";
            break;
        };
        let tag = &after[1..end];
        if !looks_like_tag(tag) {
            push_text(&mut out, "<");
            rest = &after[1..];
            continue;
        }
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div", false) | ("p" | "div", true) => out.push_str("\n\n"),
            ("br", _) => out.push('\n'),
            ("ul", false) => lists.push(None),
            ("ol", false) => {
                let start = attr(tag, "start").and_then(|s| s.parse().ok()).unwrap_or(1);
                lists.push(Some(start));
            }
            ("ul" | "ol", true) => {
                lists.pop();
                out.push('\n');
            }
            ("li", false) => {
                out.push('\n');
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            ("a", false) => {
                link = attr(tag, "href");
                if link.is_some() {
                    out.push('[');
                }
            }
            ("a", true) => {
                if let Some(href) = link.take() {
                    out.push_str(&format!("]({href})"));
                }
            }
            ("pre", false) => {
                pre = true;
                out.push_str("\n```text\n");
            }
            ("pre", true) => {
                pre = false;
                out.push_str("\n```\n");
            }
            ("code", _) if !pre => out.push('`'),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            _ => {}
        }
    }
    push_text(&mut out, rest);
    normalize(&out)
}

fn looks_like_tag(tag: &str) -> bool {
    let t = tag.trim_start_matches('/');
    t.starts_with(|c: char| c.is_ascii_alphabetic())
        && t.chars()
            .take_while(|c| !c.is_whitespace())
            .all(|c| c.is_ascii_alphanumeric() || c == '/')
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=");
    let i = tag.find(&key)? + key.len();
    let rest = &tag[i..];
    let value = if let Some(r) = rest.strip_prefix('"') {
        &r[..r.find('"')?]
    } else if let Some(r) = rest.strip_prefix('\'') {
        &r[..r.find('\'')?]
    } else {
        rest.split_whitespace().next()?
    };
    Some(decode_entities(value))
}

fn push_text(out: &mut String, text: &str) {
    out.push_str(&decode_entities(text));
}

/// Decodes the HTML entities Tencent uses (and numeric ones).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" | "#39" => '\'',
                "nbsp" | "emsp" | "ensp" | "thinsp" => ' ',
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Trims trailing spaces, collapses runs of blank lines, trims the ends.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Turns Markdown into doc-comment lines rustdoc renders without warnings and
/// without running anything: code fences become `text`, indentation that would
/// make a code block (and a doctest) is removed, bare URLs become autolinks, and
/// brackets and angle brackets that are not links are escaped.
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            if in_code {
                out.push("```".to_owned());
            } else {
                out.push("```text".to_owned());
            }
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(raw.trim_end().to_owned());
        } else {
            out.push(escape_line(trimmed));
        }
    }
    if in_code {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut link_closers: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(8).collect();
        if c == '`' {
            if let Some(len) = chars[i + 1..].iter().position(|&x| x == '`') {
                let end = i + 1 + len;
                out.extend(&chars[i..=end]);
                i = end + 1;
                continue;
            }
            out.push_str("\\`");
            i += 1;
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let mut end = i;
            while end < chars.len()
                && !chars[end].is_whitespace()
                && !matches!(
                    chars[end],
                    '<' | '>' | '"' | '\'' | '`' | ')' | ']' | '，' | '。'
                )
            {
                end += 1;
            }
            while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
                end -= 1;
            }
            let url: String = chars[i..end].iter().collect();
            let in_link_target = i >= 2 && chars[i - 1] == '(' && chars[i - 2] == ']';
            if in_link_target {
                out.push_str(&url);
            } else {
                out.push('<');
                out.push_str(&url);
                out.push('>');
            }
            i = end;
            continue;
        }
        match c {
            '[' => {
                // A Markdown link `[text](target)` stays a link; anything else is escaped.
                match matching_bracket(&chars, i) {
                    Some(close) if chars.get(close + 1) == Some(&'(') => {
                        link_closers.push(close);
                        out.push('[');
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' => {
                if let Some(pos) = link_closers.iter().position(|&p| p == i) {
                    link_closers.remove(pos);
                    out.push(']');
                } else {
                    out.push_str("\\]");
                }
            }
            '<' => out.push_str("&lt;"),
            '>' if i > 0 => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn matching_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_paragraphs_lists_links_and_entities() {
        let html = r#"<p>The <a href="https://x.com/a?b=1#sdkappid">SdkAppId</a> of TRTC.</p><ol><li>V2 version</li></ol><p>Engine:</p><ul><li>"16k_zh": Chinese&emsp;model</li><li>second</li></ul><p>Note:<br>contact us.</p>"#;
        let md = html_to_markdown(html);
        assert_eq!(
            md,
            "The [SdkAppId](https://x.com/a?b=1#sdkappid) of TRTC.\n\n1. V2 version\n\nEngine:\n\n- \"16k_zh\": Chinese model\n- second\n\nNote:\ncontact us."
        );
    }

    #[test]
    fn ordered_list_start_attribute() {
        let md = html_to_markdown(r#"<ol start="2"><li>a</li><li>b</li></ol>"#);
        assert_eq!(md, "2. a\n3. b");
    }

    #[test]
    fn pre_becomes_a_text_fence() {
        let md = html_to_markdown("<p>Example:</p><pre>{\"a\": 1}</pre>");
        assert!(md.contains("```text\n{\"a\": 1}\n```"), "{md}");
    }

    #[test]
    fn plain_text_and_comparisons_pass_through() {
        assert_eq!(html_to_markdown("a < b and c > d"), "a < b and c > d");
        assert_eq!(
            html_to_markdown("x &lt; y &#x4e2d; &bogus;"),
            "x < y 中 &bogus;"
        );
    }

    #[test]
    fn rustdoc_lines_are_safe() {
        let lines = rustdoc_lines(
            "See https://intl.cloud.tencent.com/document/647.\n    indented code\n```json\n{\"a\": [1]}\n```\n[\"vi\", \"ja\"] and [link](https://a.b) and [UserId]\nA <b> tag, a\\b",
        );
        assert_eq!(
            lines[0],
            "See <https://intl.cloud.tencent.com/document/647>."
        );
        assert_eq!(lines[1], "indented code");
        assert_eq!(lines[2], "```text");
        assert_eq!(lines[3], "{\"a\": [1]}");
        assert_eq!(lines[4], "```");
        assert_eq!(
            lines[5],
            "\\[\"vi\", \"ja\"\\] and [link](https://a.b) and \\[UserId\\]"
        );
        assert_eq!(lines[6], "A &lt;b&gt; tag, a\\\\b");
    }

    #[test]
    fn unterminated_fence_is_closed() {
        let lines = rustdoc_lines("```\ncode");
        assert_eq!(lines, vec!["```text", "code", "```"]);
    }

    #[test]
    fn code_spans_are_kept() {
        assert_eq!(
            rustdoc_lines("use `[\"1.*$\"]` here")[0],
            "use `[\"1.*$\"]` here"
        );
        assert_eq!(rustdoc_lines("> Note: x")[0], "> Note: x");
    }
}
