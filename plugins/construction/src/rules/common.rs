//! What the rules of every form share (`content/rules.md` §0): the plan's dates, the day a
//! target's value stands for, shares, the "动态更新" of the two lists in 集中攻坚, and a rule's
//! finding (one source for the issue `validate` shows and the result `classify` gives).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::{Classification, Fields, Issue, Severity, TargetValue};

/// A date in a `const`.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// L551 「从2020年6月至2022年12月」: the first day of 附件9's own phases (动员部署, 2020年6月).
pub(crate) const PLAN_START: Date = ymd(2020, 6, 1);
/// The end of 排查整治 (L557 「(二)排查整治(2020年7月至12月)」): the two lists are built by then.
pub(crate) const END_2020: Date = ymd(2020, 12, 31);
/// 集中攻坚 (L559 「(三)集中攻坚(2021年)」): the two lists are updated within it.
pub(crate) const ATTACK_START: Date = ymd(2021, 1, 1);
pub(crate) const ATTACK_END: Date = ymd(2021, 12, 31);
/// The end of 巩固提升 (L561 「(四)巩固提升(2022年)」) and of the plan.
pub(crate) const END_2022: Date = ymd(2022, 12, 31);

/// A computed target of `plan.json` and the day its last checkpoint falls due (its `due`,
/// else 31 December of its year); a unit test checks both against the plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TargetDay {
    pub id: &'static str,
    pub last_due: Date,
}

impl TargetDay {
    /// The day D the value stands for on `as_of` (rules.md §0): `as_of` until the last
    /// checkpoint falls due, that day after it (what is done later does not count for it).
    pub fn day(&self, as_of: Date) -> Date {
        as_of.min(self.last_due)
    }

    /// A district value.
    pub fn value(&self, v: f64) -> TargetValue {
        TargetValue::district(self.id, v)
    }

    /// A share's value, if its population is not empty (else none: the desk shows 无数据).
    pub fn share(&self, r: &Ratio) -> Option<TargetValue> {
        r.value().map(|v| self.value(v))
    }
}

// ---- Reading fields ----

/// A yes/no field that says yes.
pub(crate) fn yes(r: &impl Fields, name: &str) -> bool {
    r.flag(name) == Some(true)
}

/// A date filled in and on or before `d` (an empty date never is).
pub(crate) fn by(date: Option<Date>, d: Date) -> bool {
    date.is_some_and(|x| x <= d)
}

/// A select-many field holding anything but `none` (its "无" choice).
pub(crate) fn some_chosen(r: &impl Fields, name: &str) -> bool {
    r.choices(name)
        .iter()
        .any(|c| *c != "none" && !c.is_empty())
}

/// A text field that is filled in.
pub(crate) fn filled(r: &impl Fields, name: &str) -> bool {
    !r.is_blank(name)
}

// ---- 动态更新“两个清单” (L559) ----

/// Whether an entry of one of the two lists was updated in 集中攻坚 by `d` (rules.md §0):
/// `None` when the entry is not to be updated — `d` before 2021, or the entry listed after
/// `d`, or closed (整改销号 / 完成) before 2021; else whether it was listed in 2021, closed in
/// 2021 by `d`, or has a 2021 update dated by `d`. `d` is at most 2021-12-31 ([`TargetDay`]).
pub(crate) fn updated_in_attack(
    listed: Option<Date>,
    closed: Option<Date>,
    reviewed: Option<Date>,
    d: Date,
) -> Option<bool> {
    let listed = listed?;
    if d < ATTACK_START || listed > d || closed.is_some_and(|c| c < ATTACK_START) {
        return None;
    }
    let in_attack = |x: Option<Date>| x.is_some_and(|x| x >= ATTACK_START && x <= d);
    Some(listed >= ATTACK_START || in_attack(closed) || in_attack(reviewed))
}

// ---- Aggregations ----

/// A share: 100 × part ÷ whole, unrounded. The counts of two batches add up, so a share is
/// also a summary (API 1.1).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Ratio {
    part: u64,
    whole: u64,
}

impl Ratio {
    /// One member of the population, in the numerator when `counted`.
    pub fn add(&mut self, counted: bool) {
        self.whole += 1;
        self.part += u64::from(counted);
    }

    /// Adds the members counted in another batch.
    pub fn merge(&mut self, other: Ratio) {
        self.part += other.part;
        self.whole += other.whole;
    }

    /// The share; `None` for an empty population (the desk shows 无数据).
    pub fn value(&self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }
}

// ---- Record rules ----

/// A rule of rules.md: its id and the seed line and words it rests on.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: &'static str,
    pub line: u32,
    pub quote: &'static str,
}

/// One rule's result for one record: the classification `classify` gives and, when the rule
/// asks something of the record, the issue `validate` shows.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub rule: &'static Rule,
    /// Short result (“逾期未整改”).
    pub value: String,
    /// The sentence that explains it (the issue's message when there is one).
    pub message: String,
    /// The field and severity of the issue; `None`: a result only.
    pub issue: Option<(&'static str, Severity)>,
}

impl Finding {
    /// A result without an issue.
    pub fn ok(rule: &'static Rule, value: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            rule,
            value: value.into(),
            message: message.into(),
            issue: None,
        }
    }

    /// A warning on `field`: the record stays valid and counted (an error would keep it a
    /// draft, which no target counts).
    pub fn warning(
        rule: &'static Rule,
        field: &'static str,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            issue: Some((field, Severity::Warning)),
            ..Finding::ok(rule, value, message)
        }
    }

    /// A hint on `field` (提示).
    pub fn info(
        rule: &'static Rule,
        field: &'static str,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            issue: Some((field, Severity::Info)),
            ..Finding::ok(rule, value, message)
        }
    }

    pub fn issue(&self) -> Option<Issue> {
        self.issue.map(|(field, severity)| match severity {
            Severity::Error => Issue::error(field, self.message.clone()),
            Severity::Warning => Issue::warning(field, self.message.clone()),
            Severity::Info => Issue::info(field, self.message.clone()),
        })
    }

    pub fn classification(&self) -> Classification {
        Classification {
            record_id: String::new(),
            rule: self.rule.id.to_owned(),
            value: self.value.clone(),
            reason: format!(
                "{}（方案原文第{}行：「{}」）",
                self.message, self.rule.line, self.rule.quote
            ),
        }
    }
}

/// The finding of the 动态更新 rule of one entry of the two lists on `today` (R-H4, R-M3):
/// nothing before 2021 or for an entry not to be updated; during 2021 a hint while the entry
/// has not been updated; from 2022 a warning if it was not.
pub(crate) fn attack_update_finding(
    rule: &'static Rule,
    what: &str,
    listed: Option<Date>,
    closed: Option<Date>,
    reviewed: Option<Date>,
    today: Option<Date>,
) -> Option<Finding> {
    let today = today?;
    let d = today.min(ATTACK_END);
    let updated = updated_in_attack(listed, closed, reviewed, d)?;
    Some(if updated {
        Finding::ok(
            rule,
            "2021年已动态更新",
            format!("集中攻坚阶段（2021年）须动态更新“两个清单”：本条{what}已于2021年内更新。"),
        )
    } else if today <= ATTACK_END {
        Finding::info(
            rule,
            "reviewed_2021",
            "2021年待动态更新",
            format!(
                "集中攻坚阶段（2021年）须动态更新“两个清单”：本条{what}2021年内尚未更新，请核对后登记更新日期。"
            ),
        )
    } else {
        Finding::warning(
            rule,
            "reviewed_2021",
            "2021年未动态更新",
            format!("集中攻坚阶段（2021年）须动态更新“两个清单”：本条{what}2021年内未更新。"),
        )
    })
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Fixtures and assertions shared by the forms' tests.

    use std::collections::BTreeMap;

    use anwei_plugin_sdk::date::Date;
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{FormRecord, RecordBatch, TargetValue};

    pub fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// `b` with field `name` set from `v`: "yes"/"no" as flags, dates as dates, whole
    /// numbers as integers, "[a b]" as a select-many list, "=x" as a one-choice list (how the
    /// desk may store a select-one), anything else as text.
    pub fn set(b: RecordBuilder, name: &str, v: &str) -> RecordBuilder {
        if let Some(list) = v.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let items: Vec<&str> = list.split_whitespace().collect();
            return b.choices(name, &items);
        }
        if let Some(one) = v.strip_prefix('=') {
            return b.choices(name, &[one]);
        }
        match v {
            "yes" => b.flag(name, true),
            "no" => b.flag(name, false),
            _ if Date::parse(v).is_some() => b.date(name, v),
            _ => match v.parse::<i64>() {
                Ok(i) => b.integer(name, i),
                Err(_) => b.text(name, v),
            },
        }
    }

    /// A record from `(field, value)` pairs ([`set`]); an empty value leaves the field out.
    pub fn record(id: &str, fields: &[(&str, &str)]) -> FormRecord {
        fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .fold(RecordBuilder::new(id), |b, (k, v)| set(b, k, v))
            .build()
    }

    /// Records from a header and rows of values (an empty cell leaves the field out).
    pub fn table(header: &[&str], rows: &[&[&str]]) -> Vec<FormRecord> {
        rows.iter()
            .enumerate()
            .map(|(i, row)| {
                assert_eq!(row.len(), header.len(), "row {i}");
                let pairs: Vec<(&str, &str)> =
                    header.iter().copied().zip(row.iter().copied()).collect();
                record(&format!("r{i}"), &pairs)
            })
            .collect()
    }

    /// Every field name the records hold: the "full records" batch.
    pub fn all_names(records: &[FormRecord]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for r in records {
            for f in &r.fields {
                if !names.contains(&f.name) {
                    names.push(f.name.clone());
                }
            }
        }
        names
    }

    pub fn full_batch(records: &[FormRecord]) -> RecordBatch {
        let names = all_names(records);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    /// The values keyed by target id, each once.
    pub fn keyed(values: &[TargetValue]) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for v in values {
            assert!(v.town.is_none(), "{}: no per-town targets", v.target_id);
            assert!(
                out.insert(v.target_id.clone(), v.value).is_none(),
                "{} given twice",
                v.target_id
            );
        }
        out
    }

    /// `values` are exactly `expected`: `Some(v)` given as v, `None` not given, no other.
    pub fn assert_values(values: &[TargetValue], expected: &[(&str, Option<f64>)], what: &str) {
        let got = keyed(values);
        for (id, want) in expected {
            match (want, got.get(*id)) {
                (Some(w), Some(g)) => {
                    assert!((w - g).abs() < 1e-9, "{what}: {id} = {g}, expected {w}")
                }
                (None, None) => {}
                (w, g) => panic!("{what}: {id} = {g:?}, expected {w:?}"),
            }
        }
        for id in got.keys() {
            assert!(
                expected.iter().any(|(e, _)| e == id),
                "{what}: unexpected value of {id}"
            );
        }
    }

    /// 100·a/b, the exact share the plugin must give.
    pub fn pct(a: u32, b: u32) -> f64 {
        f64::from(a) * 100.0 / f64::from(b)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::day;
    use super::*;

    #[test]
    fn the_value_day_is_as_of_until_the_last_due_day() {
        let t = TargetDay {
            id: "x",
            last_due: END_2020,
        };
        assert_eq!(t.day(day("2020-12-30")), day("2020-12-30"));
        assert_eq!(t.day(day("2020-12-31")), day("2020-12-31"));
        assert_eq!(t.day(day("2021-01-01")), day("2020-12-31"));
    }

    #[test]
    fn an_entry_open_in_2021_is_updated_in_2021() {
        let d = |s: &str| Some(day(s));
        // Before 2021 there is nothing to update.
        assert_eq!(
            updated_in_attack(d("2020-08-01"), None, None, day("2020-12-31")),
            None
        );
        // Open on 1 January 2021: to be updated.
        assert_eq!(
            updated_in_attack(d("2020-08-01"), None, None, day("2021-01-01")),
            Some(false)
        );
        // Closed on 31 December 2020: nothing to update; closed on 1 January 2021: the
        // closure is the update.
        assert_eq!(
            updated_in_attack(d("2020-08-01"), d("2020-12-31"), None, day("2021-12-31")),
            None
        );
        assert_eq!(
            updated_in_attack(d("2020-08-01"), d("2021-01-01"), None, day("2021-12-31")),
            Some(true)
        );
        // Listed in 2021: the listing is the update; listed after D: not yet on the list.
        assert_eq!(
            updated_in_attack(d("2021-01-01"), None, None, day("2021-06-30")),
            Some(true)
        );
        assert_eq!(
            updated_in_attack(d("2021-07-01"), None, None, day("2021-06-30")),
            None
        );
        // A review counts from its own day.
        let r = d("2021-06-30");
        assert_eq!(
            updated_in_attack(d("2020-08-01"), None, r, day("2021-06-29")),
            Some(false)
        );
        assert_eq!(
            updated_in_attack(d("2020-08-01"), None, r, day("2021-06-30")),
            Some(true)
        );
        // A review dated before 2021 does not count; no listing date, no entry.
        assert_eq!(
            updated_in_attack(d("2020-08-01"), None, d("2020-12-31"), day("2021-12-31")),
            Some(false)
        );
        assert_eq!(updated_in_attack(None, None, None, day("2021-12-31")), None);
    }

    #[test]
    fn shares_of_nothing_have_no_value() {
        let mut r = Ratio::default();
        assert_eq!(r.value(), None);
        r.add(true);
        r.add(false);
        r.add(false);
        assert!((r.value().unwrap() - 100.0 / 3.0).abs() < 1e-12);
        let mut s = Ratio::default();
        s.add(true);
        r.merge(s);
        assert_eq!(r.value(), Some(50.0));
    }
}
