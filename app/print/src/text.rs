//! Line breaking: UAX #14 break opportunities (the `unicode-linebreak` crate) filtered by the
//! Chinese kinsoku rules (标点禁则) of 《标点符号用法》GB/T 15834 as typesetters apply them:
//! no line begins with a closing or pausing mark, none ends with an opening one.

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Characters that must not begin a line (行首禁则): pauses, stops, closing brackets and
/// quotes, and signs that belong to the number before them.
pub const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '》', '〉', '」', '』', '】', '〕', '〗', '〙',
    '］', '｝', '”', '’', '％', '%', '‰', '℃', '…', '‥', '·', '・', '～', '々', ',', '.', ';', ':',
    '?', '!', ')', ']', '}', '〃',
];

/// Characters that must not end a line (行尾禁则): opening brackets and quotes.
pub const NO_LINE_END: &[char] = &[
    '（', '《', '〈', '「', '『', '【', '〔', '〖', '〘', '［', '｛', '“', '‘', '(', '[', '{',
];

/// Whether a line may break at byte offset `at` of `text` (between two characters).
pub fn kinsoku_allows(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    match (before, after) {
        (Some(b), Some(a)) => !NO_LINE_START.contains(&a) && !NO_LINE_END.contains(&b),
        _ => true,
    }
}

/// Breaks `text` into lines no wider than `max_width`, measuring with `width_of` (any unit,
/// the same as `max_width`). Newlines are hard breaks. Break opportunities are those of
/// UAX #14 that the kinsoku rules allow; a piece with no opportunity that is wider than the
/// line is broken between characters, still honouring kinsoku: where no break is allowed
/// before the measure ends, closing marks hang past it (标点悬挂). Trailing spaces of a line
/// are dropped.
pub fn break_lines(text: &str, max_width: f32, width_of: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let para = para.trim_end_matches('\r');
        break_paragraph(para, max_width, width_of, &mut out);
    }
    out
}

fn break_paragraph(
    para: &str,
    max_width: f32,
    width_of: &dyn Fn(&str) -> f32,
    out: &mut Vec<String>,
) {
    if para.is_empty() {
        out.push(String::new());
        return;
    }
    let mut segments: Vec<&str> = Vec::new();
    let mut prev = 0;
    for (at, kind) in linebreaks(para) {
        let end_of_text = at >= para.len();
        if !end_of_text
            && (kind != BreakOpportunity::Allowed && kind != BreakOpportunity::Mandatory
                || !kinsoku_allows(para, at))
        {
            continue;
        }
        if at > prev {
            segments.push(&para[prev..at]);
            prev = at;
        }
    }
    if prev < para.len() {
        segments.push(&para[prev..]);
    }

    let mut line = String::new();
    let mut line_width = 0.0_f32;
    for seg in segments {
        let seg_width = width_of(seg.trim_end());
        if !line.is_empty() && line_width + seg_width <= max_width + 1e-4 {
            line.push_str(seg);
            line_width += width_of(seg);
            continue;
        }
        // The segment starts a new line (the first one, or the current one is full).
        if !line.is_empty() {
            out.push(line.trim_end().to_owned());
        }
        if seg_width <= max_width {
            line = seg.to_owned();
        } else {
            // Wider than a whole line: cut it, keeping the last piece to continue on.
            let mut pieces = split_long(seg, max_width, width_of);
            line = pieces.pop().unwrap_or_default();
            out.extend(pieces);
        }
        line_width = width_of(&line);
    }
    out.push(line.trim_end().to_owned());
}

/// Breaks a piece that has no allowed break opportunity between characters, preferring
/// places kinsoku allows.
fn split_long(seg: &str, max_width: f32, width_of: &dyn Fn(&str) -> f32) -> Vec<String> {
    let chars: Vec<(usize, char)> = seg.char_indices().collect();
    let mut pieces = Vec::new();
    let mut start = 0; // index into chars
    while start < chars.len() {
        // Longest run of chars starting at `start` that fits.
        let mut end = start;
        let mut width = 0.0;
        while end < chars.len() {
            let (b, c) = chars[end];
            let w = width_of(&seg[b..b + c.len_utf8()]);
            if width + w > max_width + 1e-4 && end > start {
                break;
            }
            width += w;
            end += 1;
        }
        if end < chars.len() {
            // Move the break back until kinsoku allows it (not past the piece's start).
            let mut k = end;
            while k > start + 1 && !kinsoku_allows(seg, chars[k].0) {
                k -= 1;
            }
            if k > start + 1 || kinsoku_allows(seg, chars[k].0) {
                end = k;
            } else {
                // Nowhere to break before: let the closing marks hang past the measure
                // (标点悬挂) rather than start the next line with them.
                while end < chars.len() && !kinsoku_allows(seg, chars[end].0) {
                    end += 1;
                }
            }
        }
        let from = chars[start].0;
        let to = chars.get(end).map_or(seg.len(), |&(b, _)| b);
        pieces.push(seg[from..to].to_owned());
        start = end;
    }
    if pieces.is_empty() {
        pieces.push(String::new());
    }
    pieces
}

/// Words of official titles that a title's line never breaks inside (a title breaks
/// between words: 标题回行时要做到词意完整). The longest first.
pub const TITLE_WORDS: &[&str] = &[
    "习近平总书记",
    "任务分工方案",
    "安全生产委员会",
    "三年行动",
    "专项整治",
    "安全生产",
    "实施方案",
    "工作方案",
    "分工方案",
    "重要论述",
    "进展报告",
    "督办通知",
    "委员会",
    "办公室",
    "习近平",
    "总书记",
    "人民政府",
    "应急管理",
    "改革发展",
    "危险化学品",
    "烟花爆竹",
    "非煤矿山",
    "道路运输",
    "工业园区",
    "城市建设",
    "危险废物",
    "粉尘爆炸",
];

/// Joins the characters of every [`TITLE_WORDS`] word in `text` with WORD JOINER (U+2060),
/// where no line may break; [`unglue`] takes them out again.
pub fn glue_title_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for w in TITLE_WORDS {
            if let Some(tail) = rest.strip_prefix(w) {
                let mut chars = w.chars();
                if let Some(first) = chars.next() {
                    out.push(first);
                }
                for c in chars {
                    out.push('\u{2060}');
                    out.push(c);
                }
                rest = tail;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// `text` without the word joiners of [`glue_title_words`].
pub fn unglue(text: &str) -> String {
    text.replace('\u{2060}', "")
}

/// Whether `c` is a Chinese character or full-width punctuation (what makes a half-width
/// mark next to it read as Chinese punctuation).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{20000}'..='\u{2FA1F}'
        | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// Half-width punctuation of Chinese text made full-width, as printed Chinese documents set
/// it (the data keeps what was written): "," ";" ":" "?" "!" next to a Chinese character
/// become "，" "；" "：" "？" "！", and "(…)" holding or following Chinese text "（…）".
/// Numbers, times, decimals and Latin text keep their marks ("10:30", "3.5", "(1)" after
/// Latin text, "GB/T 9704-2012").
pub fn full_width_punctuation(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if !text.contains([',', ';', ':', '?', '!', '(', ')']) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let near = |i: usize, back: bool| -> Option<char> {
        let mut j = i;
        loop {
            if back {
                j = j.checked_sub(1)?;
            } else {
                j += 1;
            }
            let c = *chars.get(j)?;
            if c != ' ' {
                return Some(c);
            }
        }
    };
    let mut out = chars.clone();
    for (i, &c) in chars.iter().enumerate() {
        let chinese = |c: Option<char>| c.is_some_and(is_cjk);
        match c {
            ',' | ';' | ':' | '?' | '!' => {
                let (before, after) = (near(i, true), near(i, false));
                // "10:30", "1,000": between digits it stays.
                let digits = before.is_some_and(|b| b.is_ascii_digit())
                    && after.is_some_and(|a| a.is_ascii_digit());
                if !digits && (chinese(before) || chinese(after)) {
                    out[i] = match c {
                        ',' => '，',
                        ';' => '；',
                        ':' => '：',
                        '?' => '？',
                        _ => '！',
                    };
                }
            }
            '(' => {
                // Its closing bracket, not past another opening one.
                let close = chars[i + 1..]
                    .iter()
                    .position(|&x| x == ')' || x == '(')
                    .map(|p| i + 1 + p)
                    .filter(|&j| chars[j] == ')');
                if let Some(j) = close
                    && (chars[i + 1..j].iter().any(|&x| is_cjk(x))
                        || chinese(near(i, true))
                        || chinese(near(j, false)))
                {
                    out[i] = '（';
                    out[j] = '）';
                }
            }
            _ => {}
        }
    }
    if out == chars {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out.into_iter().collect())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cjk_width(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum()
    }

    /// Character offsets in `text` where `lines` break it.
    fn break_offsets(lines: &[String]) -> Vec<usize> {
        let mut at = 0;
        let mut out = Vec::new();
        for l in &lines[..lines.len().saturating_sub(1)] {
            at += l.chars().count();
            out.push(at);
        }
        out
    }

    /// Whether offset `at` falls strictly inside an occurrence of a title word in `text`.
    fn inside_a_word(text: &str, at: usize) -> bool {
        let chars: Vec<char> = text.chars().collect();
        TITLE_WORDS.iter().any(|w| {
            let n = w.chars().count();
            (0..chars.len().saturating_sub(n - 1)).any(|start| {
                chars[start..start + n].iter().copied().eq(w.chars())
                    && start < at
                    && at < start + n
            })
        })
    }

    #[test]
    fn a_title_breaks_between_words() {
        let title = "煤矿安全专项整治三年行动实施方案";
        let glued = glue_title_words(title);
        assert_eq!(unglue(&glued), title);
        let mut split_plain = false;
        // From the longest word's width up (a narrower measure must split it).
        for width in 4..16 {
            let plain = break_lines(title, width as f32, &cjk_width);
            split_plain |= break_offsets(&plain)
                .iter()
                .any(|&at| inside_a_word(title, at));
            let lines: Vec<String> =
                break_lines(&glued, width as f32, &|s: &str| cjk_width(&unglue(s)))
                    .iter()
                    .map(|l| unglue(l))
                    .collect();
            assert_eq!(lines.concat(), title);
            for at in break_offsets(&lines) {
                assert!(!inside_a_word(title, at), "width {width}: {lines:?}");
            }
        }
        assert!(split_plain, "without the glue some width splits a word");
    }

    #[test]
    fn half_width_marks_of_chinese_text_print_full_width() {
        for (given, printed) in [
            ("(一)加强组织领导,明确责任", "（一）加强组织领导，明确责任"),
            ("各县(区)政府;市应急局", "各县（区）政府；市应急局"),
            ("时间:2020年", "时间：2020年"),
            ("是否完成?", "是否完成？"),
            ("完成率(%)", "完成率（%）"),
        ] {
            assert_eq!(full_width_punctuation(given), printed, "{given}");
        }
        for kept in [
            "10:30",
            "1,000 吨",
            "GB/T 9704-2012",
            "3.5",
            "see (1) above",
            "f(x)",
            "已完成。",
        ] {
            assert!(
                matches!(full_width_punctuation(kept), std::borrow::Cow::Borrowed(_)),
                "{kept} → {}",
                full_width_punctuation(kept)
            );
        }
    }

    #[test]
    fn no_line_starts_with_a_closing_mark() {
        let text = "完成率达到30%。下一步，加强“三项机制”建设（试行）。";
        for width in 2..20 {
            let lines = break_lines(text, width as f32, &cjk_width);
            assert_eq!(lines.concat(), text, "width {width}");
            for (i, l) in lines.iter().enumerate() {
                let first = l.chars().next();
                if i > 0 {
                    assert!(
                        !first.is_some_and(|c| NO_LINE_START.contains(&c)),
                        "{width}: {lines:?}"
                    );
                }
                if i + 1 < lines.len() {
                    assert!(
                        !l.chars().last().is_some_and(|c| NO_LINE_END.contains(&c)),
                        "{width}: {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn percent_stays_with_its_number() {
        let lines = break_lines("甲乙丙丁戊30%", 6.0, &cjk_width);
        assert_eq!(lines, ["甲乙丙丁戊", "30%"]);
    }

    #[test]
    fn hard_breaks_and_empty_text() {
        assert_eq!(break_lines("甲\n乙", 10.0, &cjk_width), ["甲", "乙"]);
        assert_eq!(break_lines("", 10.0, &cjk_width), [""]);
    }
}
