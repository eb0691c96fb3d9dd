//! The one rule for characters the desk accepts in a text: no bidirectional overrides or
//! isolates, no invisible zero-width characters, no control characters. Such characters let a
//! name display as something it is not ("局安应区" shown as "区应急局", an invisible
//! difference between two unit names) or break a printed page, so texts from plugins and
//! from users are refused when they hold one.
//!
//! Single-line texts (names, titles, labels) refuse every control character; multi-line texts
//! (a task's text, a remark) allow line feed `\n` and tab `\t` only.

/// Whether a text may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: no control character at all.
    Single,
    /// Several lines: `\n` and `\t` are allowed, every other control character is not.
    Multi,
}

/// The first forbidden character of a single-line text, as (position counted in characters
/// from 0, character); `None` when the text is acceptable. See [`forbidden_char_in`].
pub fn forbidden_char(s: &str) -> Option<(usize, char)> {
    forbidden_char_in(s, Lines::Single)
}

/// The first forbidden character of a multi-line text (`\n` and `\t` allowed).
pub fn forbidden_char_multiline(s: &str) -> Option<(usize, char)> {
    forbidden_char_in(s, Lines::Multi)
}

/// The first forbidden character of `s`, as (position counted in characters from 0,
/// character):
/// * bidirectional controls: U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates),
///   U+200E/U+200F (marks), U+061C (Arabic letter mark);
/// * zero-width characters: U+200B–U+200D, U+2060 (word joiner), U+FEFF (byte order mark);
/// * control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F), except
///   `\n` and `\t` in [`Lines::Multi`] texts.
pub fn forbidden_char_in(s: &str, lines: Lines) -> Option<(usize, char)> {
    s.chars().enumerate().find(|&(_, c)| is_forbidden(c, lines))
}

/// Whether `c` is refused in a text of kind `lines` (the rule of [`forbidden_char_in`]).
pub fn is_forbidden(c: char, lines: Lines) -> bool {
    match c {
        '\n' | '\t' => lines == Lines::Single,
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'
        | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

/// What a forbidden character is, in Chinese, with its code point: "U+202E（从右至左覆盖符）".
pub fn describe_char(c: char) -> String {
    let what = match c {
        '\n' => "换行符",
        '\t' => "制表符",
        '\r' => "回车符",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "文字方向控制符",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "文字方向标记",
        '\u{200B}'..='\u{200D}' | '\u{2060}' => "零宽字符",
        '\u{FEFF}' => "零宽不换行符（BOM）",
        _ => "控制字符",
    };
    format!("U+{:04X}（{what}）", u32::from(c))
}

/// A Chinese message for a text that fails the rule, naming `what` (the field) and the
/// character; `None` when the text is acceptable.
pub fn check_text(what: &str, s: &str, lines: Lines) -> Option<String> {
    forbidden_char_in(s, lines).map(|(at, c)| {
        format!(
            "{what}的第 {} 个字符是不可见或控制字符 {}，请删除后重试",
            at + 1,
            describe_char(c)
        )
    })
}

/// `s` without the characters [`forbidden_char_multiline`] refuses: bidirectional controls,
/// zero-width and control characters are removed, a carriage return (alone or before a line
/// feed) becomes one line feed. For texts people typed or pasted (a paste from a word
/// processor often carries invisible characters the user cannot see to delete) and as the
/// last guard before anything is printed. Borrowed when there is nothing to remove.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if !s
        .chars()
        .any(|c| c == '\r' || is_forbidden(c, Lines::Multi))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            c if is_forbidden(c, Lines::Multi) => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_what_the_rule_refuses_and_keeps_lines() {
        assert_eq!(clean("区\u{202E}应急\u{200B}局\u{FEFF}"), "区应急局");
        assert_eq!(
            clean("第一行\r\n第二行\r第三行\t末\u{7}"),
            "第一行\n第二行\n第三行\t末"
        );
        assert!(matches!(clean("区应急局"), std::borrow::Cow::Borrowed(_)));
        for s in ["a\u{202D}b\u{2066}c\u{0}d\u{85}e", "x\r\ny"] {
            assert_eq!(forbidden_char_multiline(&clean(s)), None, "{s:?}");
        }
    }

    #[test]
    fn bidi_zero_width_and_control_characters_are_found() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{200C}',
            '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{0}', '\u{7}', '\r', '\u{1B}', '\u{7F}',
            '\u{80}', '\u{85}', '\u{9F}',
        ] {
            let s = format!("区应{c}急局");
            assert_eq!(forbidden_char(&s), Some((2, c)), "{:04X}", u32::from(c));
            assert_eq!(forbidden_char_multiline(&s), Some((2, c)));
        }
    }

    #[test]
    fn line_feed_and_tab_only_in_multi_line_texts() {
        assert_eq!(forbidden_char("第一行\n第二行"), Some((3, '\n')));
        assert_eq!(forbidden_char("a\tb"), Some((1, '\t')));
        assert_eq!(forbidden_char_multiline("第一行\n第二行\t（续）"), None);
        assert_eq!(forbidden_char_multiline("a\r\nb"), Some((1, '\r')));
    }

    #[test]
    fn ordinary_chinese_text_passes() {
        for s in [
            "",
            "区应急管理局",
            "各县（区）政府、",
            "2020年8月底前",
            "“四化”建设 · 50%",
            "é ñ 한국어 العربية",
            "\u{3000}全角空格",
        ] {
            assert_eq!(forbidden_char(s), None, "{s}");
        }
    }

    #[test]
    fn messages_name_the_field_and_the_character() {
        let m = check_text("单位名称", "区\u{202E}局", Lines::Single).unwrap();
        assert!(m.contains("单位名称"), "{m}");
        assert!(m.contains("U+202E"), "{m}");
        assert!(m.contains("第 2 个字符"), "{m}");
        assert_eq!(check_text("单位名称", "区局", Lines::Single), None);
    }
}
