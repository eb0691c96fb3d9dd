//! Records of any form, made from the form's own fields (every choice, flag, number and
//! date in rotation; a repeat group's fields for two rows): the registers the benchmarks of
//! `anwei-plugin-host` (`sectors`) and `anwei-session` (`register`) compute over.

use std::collections::BTreeMap;

use anwei_core::Value;
use anwei_plugin_host::description::{FieldKind, Form};

/// Record `i` of a form: a value for every field, in rotation over its choices, numbers and
/// dates 2019–2023 (repeat groups get two rows).
pub fn values(form: &Form, i: usize) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    let mut group: Option<String> = None;
    for f in &form.fields {
        let value = match f.kind {
            FieldKind::BeginRepeat => {
                group = Some(f.name.clone());
                continue;
            }
            FieldKind::EndRepeat => {
                group = None;
                continue;
            }
            FieldKind::Note | FieldKind::Calculate => continue,
            FieldKind::SelectOne | FieldKind::SelectMany => {
                if f.choices.is_empty() {
                    continue;
                }
                let c = &f.choices[(i / 3 + f.name.len()) % f.choices.len()];
                Value::Choices(vec![c.name.clone()])
            }
            FieldKind::YesNo => Value::Flag(!(i + f.name.len()).is_multiple_of(3)),
            FieldKind::Integer => Value::Integer(((i * 7 + f.name.len()) % 40) as i64),
            FieldKind::Decimal => Value::Decimal(((i * 13) % 1000) as f64 / 10.0),
            FieldKind::Date => {
                let day = (i * 37 + f.name.len() * 11) % (5 * 365);
                let d = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
                    + chrono::Days::new(day as u64);
                Value::Date(d.to_string())
            }
            FieldKind::TownRef => Value::Text(["越州镇", "潇湘街道", "茨营镇"][i % 3].into()),
            _ => Value::Text(format!("{}{i}", f.label)),
        };
        match &group {
            Some(g) => {
                for row in 0..2 {
                    values.insert(format!("{g}[{row}]/{}", f.name), value.clone());
                }
            }
            None => {
                values.insert(f.name.clone(), value);
            }
        }
    }
    values
}
