//! Typed access to a [`FormRecord`]'s values.

use crate::date::Date;
use crate::{FieldValue, FormRecord, Value};

impl FormRecord {
    /// The raw value of field `name` (`None` when absent).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }

    /// True when the field is absent, `none` or an empty text.
    pub fn is_blank(&self, name: &str) -> bool {
        match self.get(name) {
            None | Some(Value::None) => true,
            Some(Value::Text(t)) | Some(Value::Date(t)) => t.trim().is_empty(),
            Some(Value::Choices(c)) => c.is_empty(),
            _ => false,
        }
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Value::Text(t) | Value::Date(t) => Some(t.as_str()),
            Value::Choices(c) if c.len() == 1 => Some(c[0].as_str()),
            _ => None,
        }
    }

    /// A select-one value (text or single choice).
    pub fn choice(&self, name: &str) -> Option<&str> {
        self.text(name)
    }

    pub fn choices(&self, name: &str) -> Vec<&str> {
        match self.get(name) {
            Some(Value::Choices(c)) => c.iter().map(String::as_str).collect(),
            Some(Value::Text(t)) => t.split_whitespace().collect(),
            _ => Vec::new(),
        }
    }

    /// A number from an integer, decimal or numeric text value.
    pub fn number(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            Value::Integer(i) => Some(*i as f64),
            Value::Decimal(d) if d.is_finite() => Some(*d),
            Value::Text(t) => t.trim().parse().ok().filter(|v: &f64| v.is_finite()),
            _ => None,
        }
    }

    pub fn date(&self, name: &str) -> Option<Date> {
        match self.get(name)? {
            Value::Date(t) | Value::Text(t) => Date::parse(t),
            _ => None,
        }
    }

    /// A yes/no value (`flag`, or the texts "yes"/"no"/"是"/"否").
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Flag(b) => Some(*b),
            Value::Integer(i) => Some(*i != 0),
            Value::Text(t) => match t.trim() {
                "yes" | "true" | "是" | "1" => Some(true),
                "no" | "false" | "否" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Builds records in tests and fixtures.
#[derive(Debug, Default, Clone)]
pub struct RecordBuilder {
    record: Option<FormRecord>,
}

impl RecordBuilder {
    pub fn new(id: &str) -> RecordBuilder {
        RecordBuilder {
            record: Some(FormRecord {
                id: id.to_owned(),
                fields: Vec::new(),
            }),
        }
    }
    fn push(mut self, name: &str, value: Value) -> Self {
        if let Some(r) = self.record.as_mut() {
            r.fields.push(FieldValue {
                name: name.to_owned(),
                value,
            });
        }
        self
    }
    pub fn text(self, name: &str, v: &str) -> Self {
        self.push(name, Value::Text(v.to_owned()))
    }
    pub fn decimal(self, name: &str, v: f64) -> Self {
        self.push(name, Value::Decimal(v))
    }
    pub fn integer(self, name: &str, v: i64) -> Self {
        self.push(name, Value::Integer(v))
    }
    pub fn date(self, name: &str, v: &str) -> Self {
        self.push(name, Value::Date(v.to_owned()))
    }
    pub fn flag(self, name: &str, v: bool) -> Self {
        self.push(name, Value::Flag(v))
    }
    pub fn build(self) -> FormRecord {
        self.record.unwrap_or(FormRecord {
            id: String::new(),
            fields: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_getters() {
        let r = RecordBuilder::new("r1")
            .text("name", "甲矿")
            .decimal("capacity", 45.0)
            .integer("depth", 600)
            .date("d", "2020-01-31")
            .flag("f", true)
            .text("t", "是")
            .build();
        assert_eq!(r.text("name"), Some("甲矿"));
        assert_eq!(r.number("capacity"), Some(45.0));
        assert_eq!(r.number("depth"), Some(600.0));
        assert_eq!(r.date("d").unwrap().month, 1);
        assert_eq!(r.flag("f"), Some(true));
        assert_eq!(r.flag("t"), Some(true));
        assert!(r.is_blank("missing"));
        assert!(!r.is_blank("name"));
    }
}
