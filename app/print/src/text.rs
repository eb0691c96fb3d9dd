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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cjk_width(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum()
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
