//! Ledger records (台账记录): one filled form. The form definitions come from sector plugins
//! (see [`crate::form`]); a record names its form (`SECTOR/FORM`) and the plugin version whose
//! form it was filled against, so an upgrade never reinterprets old records silently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A field's value. Mirrors the plugin API's `value` variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Integer(i64),
    Decimal(f64),
    /// ISO `YYYY-MM-DD`.
    Date(String),
    /// Choice names (one for select-one).
    Choices(Vec<String>),
    Flag(bool),
}

/// A filled form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormRecord {
    /// Stable id (assigned by the store).
    pub id: u64,
    /// `SECTOR/FORM`, e.g. `coal-mining/mine-register`.
    pub form: String,
    /// The plugin version whose form definition the record was filled against.
    pub form_version: String,
    /// Field name → value; inside a repeat group the name is `group[index]/field`
    /// (index from 0). Absent = no value.
    pub values: BTreeMap<String, Value>,
    /// Saved with errors: kept, shown, never counted toward a target.
    #[serde(default)]
    pub draft: bool,
    /// Soft-deleted (can be undone); never counted.
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub revision: u32,
}

impl FormRecord {
    /// A record of `values` as first saved (revision 1, counting), with no author or times.
    pub fn new(
        id: u64,
        form: impl Into<String>,
        form_version: impl Into<String>,
        values: BTreeMap<String, Value>,
    ) -> FormRecord {
        FormRecord {
            id,
            form: form.into(),
            form_version: form_version.into(),
            values,
            draft: false,
            deleted: false,
            author: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        }
    }

    /// Whether the record counts toward targets.
    pub fn counts(&self) -> bool {
        !self.draft && !self.deleted
    }

    /// The sector id part of [`FormRecord::form`].
    pub fn sector(&self) -> &str {
        self.form.split_once('/').map_or(&self.form, |(s, _)| s)
    }
}

/// A value borrowed from where it is stored: what a reader going through a register hands
/// out without allocating. [`Value::as_ref`] gives one from an owned value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Text(&'a str),
    Integer(i64),
    Decimal(f64),
    Date(&'a str),
    Choices(ChoiceList<'a>),
    Flag(bool),
}

/// The choice names of a [`ValueRef::Choices`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ChoiceList<'a> {
    Owned(&'a [String]),
    Borrowed(&'a [&'a str]),
}

impl<'a> ChoiceList<'a> {
    pub fn len(&self) -> usize {
        match self {
            ChoiceList::Owned(c) => c.len(),
            ChoiceList::Borrowed(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            ChoiceList::Owned(c) => c.get(i).map(String::as_str),
            ChoiceList::Borrowed(c) => c.get(i).copied(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl Value {
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Text(t) => ValueRef::Text(t),
            Value::Integer(x) => ValueRef::Integer(*x),
            Value::Decimal(x) => ValueRef::Decimal(*x),
            Value::Date(t) => ValueRef::Date(t),
            Value::Choices(c) => ValueRef::Choices(ChoiceList::Owned(c)),
            Value::Flag(b) => ValueRef::Flag(*b),
        }
    }
}
