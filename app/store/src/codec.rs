//! How ledger records are stored (schema v5): a format byte, then the record in postcard
//! (a compact binary serde format: varints, length-prefixed strings, no field names of the
//! struct itself). The record's form and id are in its key and are not repeated, and its
//! field names are numbers into the form's list of field names ([`FieldNames`], the
//! `record_fields` tree: each name stored once per form, append-only).
//!
//! Rows written before v5 are JSON, which always begins with `{`; they still read (the v5
//! migration rewrites them, and a migration cut short leaves a mix that reads correctly and
//! is finished on the next open). Rows of format `0x05` (names in each row) read too.

use std::collections::{BTreeMap, HashMap, HashSet};

use anwei_core::{ChoiceList, FormRecord, Value, ValueRef};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// The first byte of a record row naming its fields in the row (written only during
/// development of v5; read).
pub(crate) const RECORD_V5: u8 = 0x05;
/// The first byte of a record row naming its fields by number ([`FieldNames`]).
pub(crate) const RECORD_V5_NUMBERED: u8 = 0x06;

/// A form's field names, numbered in the order first stored; a record row names a field by
/// its number. Only ever appended to, so a number never changes its meaning.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldNames {
    names: Vec<String>,
    index: HashMap<String, u32>,
    /// Names added since it was loaded (it must be stored with the records using them).
    pub(crate) grown: bool,
}

impl FieldNames {
    /// The names stored for `form` in `tree` (`record_fields`), none for a new form.
    pub(crate) fn load(tree: &sled::Tree, form: &str) -> Result<FieldNames, StoreError> {
        match tree.get(form.as_bytes())? {
            Some(bytes) => FieldNames::from_bytes(form, &bytes),
            None => Ok(FieldNames::default()),
        }
    }

    fn from_bytes(form: &str, bytes: &[u8]) -> Result<FieldNames, StoreError> {
        let names: Vec<String> = postcard::from_bytes(bytes).map_err(|e| StoreError::Damaged {
            detail: format!("表单 {form} 的字段名表无法解析：{e}"),
        })?;
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Ok(FieldNames {
            names,
            index,
            grown: false,
        })
    }

    /// The stored form of the list.
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, StoreError> {
        postcard::to_stdvec(&self.names)
            .map_err(|e| StoreError::Invalid(format!("字段名表编码失败：{e}")))
    }

    fn number(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(name) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        self.grown = true;
        i
    }

    fn name(&self, i: u32) -> Option<&str> {
        self.names.get(i as usize).map(String::as_str)
    }
}

#[derive(Serialize)]
struct RecordOut<'a> {
    form_version: &'a str,
    values: Vec<(u32, ValueOut<'a>)>,
    draft: bool,
    deleted: bool,
    author: &'a str,
    created_at: &'a str,
    updated_at: &'a str,
    revision: u32,
}

/// A value as stored; the variant order is part of the format (never reorder, only append).
#[derive(Serialize)]
enum ValueOut<'a> {
    Text(&'a str),
    Integer(i64),
    Decimal(f64),
    Date(&'a str),
    Choices(&'a [String]),
    Flag(bool),
}

#[derive(Deserialize)]
struct RecordIn<'a, K> {
    #[serde(borrow)]
    form_version: &'a str,
    #[serde(borrow)]
    values: Vec<(K, ValueIn<'a>)>,
    draft: bool,
    deleted: bool,
    author: &'a str,
    created_at: &'a str,
    updated_at: &'a str,
    revision: u32,
}

#[derive(Deserialize)]
enum ValueIn<'a> {
    Text(&'a str),
    Integer(i64),
    Decimal(f64),
    Date(&'a str),
    #[serde(borrow)]
    Choices(StrList<'a>),
    Flag(bool),
}

/// Choice names borrowed from the row; a list of one (the usual case) without allocating.
enum StrList<'a> {
    One([&'a str; 1]),
    Many(Vec<&'a str>),
}

impl<'a> StrList<'a> {
    fn as_slice(&self) -> &[&'a str] {
        match self {
            StrList::One(one) => one,
            StrList::Many(many) => many,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StrList<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StrList<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of choice names")
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(
                self,
                mut seq: S,
            ) -> Result<Self::Value, S::Error> {
                let Some(first) = seq.next_element::<&'de str>()? else {
                    return Ok(StrList::Many(Vec::new()));
                };
                let Some(second) = seq.next_element::<&'de str>()? else {
                    return Ok(StrList::One([first]));
                };
                let mut many = vec![first, second];
                while let Some(next) = seq.next_element::<&'de str>()? {
                    many.push(next);
                }
                Ok(StrList::Many(many))
            }
        }
        d.deserialize_seq(V)
    }
}

impl ValueIn<'_> {
    fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            ValueIn::Text(t) => ValueRef::Text(t),
            ValueIn::Integer(x) => ValueRef::Integer(*x),
            ValueIn::Decimal(x) => ValueRef::Decimal(*x),
            ValueIn::Date(t) => ValueRef::Date(t),
            ValueIn::Choices(c) => ValueRef::Choices(ChoiceList::Borrowed(c.as_slice())),
            ValueIn::Flag(b) => ValueRef::Flag(*b),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            ValueIn::Text(t) => Value::Text((*t).to_owned()),
            ValueIn::Integer(x) => Value::Integer(*x),
            ValueIn::Decimal(x) => Value::Decimal(*x),
            ValueIn::Date(t) => Value::Date((*t).to_owned()),
            ValueIn::Choices(c) => {
                Value::Choices(c.as_slice().iter().map(|s| (*s).to_owned()).collect())
            }
            ValueIn::Flag(b) => Value::Flag(*b),
        }
    }
}

/// A stored record as [`crate::RecordReader::for_each_view`] hands it out: its values
/// borrowed from the row, nothing copied.
pub struct RecordView<'a> {
    pub id: u64,
    pub draft: bool,
    pub deleted: bool,
    values: ViewValues<'a>,
}

enum ViewValues<'a> {
    Stored(StoredValues<'a>),
    /// A row of the pre-v5 JSON format, decoded.
    Decoded(&'a FormRecord),
}

/// A binary row's values as parsed, borrowed from the row: by field number (names looked up
/// as they are read; every number checked at parsing) or by name (format 0x05).
enum StoredValues<'a> {
    Numbered(Vec<(u32, ValueIn<'a>)>, &'a FieldNames),
    Named(Vec<(&'a str, ValueIn<'a>)>),
}

impl<'a> StoredValues<'a> {
    fn iter(&self) -> impl Iterator<Item = (&'a str, &ValueIn<'a>)> + '_ {
        let (numbered, named) = match self {
            StoredValues::Numbered(v, names) => (Some((v, *names)), None),
            StoredValues::Named(v) => (None, Some(v)),
        };
        numbered
            .into_iter()
            .flat_map(|(v, names)| {
                v.iter()
                    .map(move |(k, x)| (names.name(*k).unwrap_or_default(), x))
            })
            .chain(
                named
                    .into_iter()
                    .flat_map(|v| v.iter().map(|(k, x)| (*k, x))),
            )
    }
}

impl RecordView<'_> {
    /// Whether the record counts toward targets (not a draft, not deleted).
    pub fn counts(&self) -> bool {
        !self.draft && !self.deleted
    }

    /// The record's values (field name, value), in field-name order.
    pub fn values(&self) -> Box<dyn Iterator<Item = (&str, ValueRef<'_>)> + '_> {
        match &self.values {
            ViewValues::Stored(v) => Box::new(v.iter().map(|(k, v)| (k, v.as_value_ref()))),
            ViewValues::Decoded(r) => {
                Box::new(r.values.iter().map(|(k, v)| (k.as_str(), v.as_ref())))
            }
        }
    }
}

/// A binary row parsed, its values borrowed from the row (names from the form's list).
struct Parsed<'a> {
    form_version: &'a str,
    values: StoredValues<'a>,
    draft: bool,
    deleted: bool,
    author: &'a str,
    created_at: &'a str,
    updated_at: &'a str,
    revision: u32,
}

impl<'a, K> RecordIn<'a, K> {
    fn parsed(self, values: impl FnOnce(Vec<(K, ValueIn<'a>)>) -> StoredValues<'a>) -> Parsed<'a> {
        Parsed {
            form_version: self.form_version,
            values: values(self.values),
            draft: self.draft,
            deleted: self.deleted,
            author: self.author,
            created_at: self.created_at,
            updated_at: self.updated_at,
            revision: self.revision,
        }
    }
}

/// The binary row `bytes` parsed; `None` for a JSON row.
fn parse<'a>(
    form: &str,
    id: u64,
    bytes: &'a [u8],
    names: &'a FieldNames,
) -> Result<Option<Parsed<'a>>, StoreError> {
    match bytes.split_first() {
        Some((&RECORD_V5_NUMBERED, rest)) => {
            let r: RecordIn<'a, u32> =
                postcard::from_bytes(rest).map_err(|e| damaged(form, id, e))?;
            if r.values.iter().any(|(i, _)| names.name(*i).is_none()) {
                return Err(damaged(form, id, "字段编号不在字段名表中"));
            }
            Ok(Some(r.parsed(|v| StoredValues::Numbered(v, names))))
        }
        Some((&RECORD_V5, rest)) => {
            let r: RecordIn<'a, &'a str> =
                postcard::from_bytes(rest).map_err(|e| damaged(form, id, e))?;
            Ok(Some(r.parsed(StoredValues::Named)))
        }
        Some((b'{', _)) => Ok(None),
        _ => Err(StoreError::Damaged {
            detail: format!("台账记录 {form}#{id} 的格式无法识别"),
        }),
    }
}

/// Calls `f` with the record stored in `bytes` (of form `form`, id `id`, field names in
/// `names`) as a view.
pub(crate) fn view_record<T>(
    form: &str,
    id: u64,
    bytes: &[u8],
    names: &FieldNames,
    f: impl FnOnce(&RecordView<'_>) -> T,
) -> Result<T, StoreError> {
    match parse(form, id, bytes, names)? {
        Some(r) => Ok(f(&RecordView {
            id,
            draft: r.draft,
            deleted: r.deleted,
            values: ViewValues::Stored(r.values),
        })),
        None => {
            let r = decode_record(form, id, bytes, names, None)?;
            Ok(f(&RecordView {
                id,
                draft: r.draft,
                deleted: r.deleted,
                values: ViewValues::Decoded(&r),
            }))
        }
    }
}

/// The stored row of `record` (its form and id go in the key), naming its fields by their
/// numbers in `names` (the form's list; names it lacks are added: store the list with the
/// row when [`FieldNames::grown`]).
pub(crate) fn encode_record(
    record: &FormRecord,
    names: &mut FieldNames,
) -> Result<Vec<u8>, StoreError> {
    let out = RecordOut {
        form_version: &record.form_version,
        values: record
            .values
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::Text(t) => ValueOut::Text(t),
                    Value::Integer(x) => ValueOut::Integer(*x),
                    Value::Decimal(x) => ValueOut::Decimal(*x),
                    Value::Date(t) => ValueOut::Date(t),
                    Value::Choices(c) => ValueOut::Choices(c),
                    Value::Flag(b) => ValueOut::Flag(*b),
                };
                (names.number(k), v)
            })
            .collect(),
        draft: record.draft,
        deleted: record.deleted,
        author: &record.author,
        created_at: &record.created_at,
        updated_at: &record.updated_at,
        revision: record.revision,
    };
    let mut bytes = vec![RECORD_V5_NUMBERED];
    postcard::to_io(&out, &mut bytes)
        .map_err(|e| StoreError::Invalid(format!("记录编码失败：{e}")))?;
    Ok(bytes)
}

/// The record of form `form` with id `id` from its stored row (v5 binary or older JSON;
/// field names in `names`). `keep`: only these fields' values are decoded; `None`: all.
pub(crate) fn decode_record(
    form: &str,
    id: u64,
    bytes: &[u8],
    names: &FieldNames,
    keep: Option<&HashSet<&str>>,
) -> Result<FormRecord, StoreError> {
    match parse(form, id, bytes, names)? {
        Some(r) => {
            let values: BTreeMap<String, Value> = r
                .values
                .iter()
                .filter(|(k, _)| keep.is_none_or(|keep| keep.contains(k)))
                .map(|(k, v)| (k.to_owned(), v.to_value()))
                .collect();
            Ok(FormRecord {
                id,
                form: form.to_owned(),
                form_version: r.form_version.to_owned(),
                values,
                draft: r.draft,
                deleted: r.deleted,
                author: r.author.to_owned(),
                created_at: r.created_at.to_owned(),
                updated_at: r.updated_at.to_owned(),
                revision: r.revision,
            })
        }
        None => {
            let mut r: FormRecord =
                serde_json::from_slice(bytes).map_err(|e| damaged(form, id, e))?;
            if let Some(keep) = keep {
                r.values.retain(|k, _| keep.contains(k.as_str()));
            }
            Ok(r)
        }
    }
}

/// Whether a stored record row is in the pre-v5 JSON format.
pub(crate) fn is_legacy_record(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'{')
}

/// Whether a stored row names its fields by number, so that reading it needs the form's
/// list of names.
pub(crate) fn needs_names(bytes: &[u8]) -> bool {
    bytes.first() == Some(&RECORD_V5_NUMBERED)
}

fn damaged(form: &str, id: u64, e: impl std::fmt::Display) -> StoreError {
    StoreError::Damaged {
        detail: format!("台账记录 {form}#{id} 无法解析：{e}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn record() -> FormRecord {
        let mut values = BTreeMap::new();
        values.insert("name".to_owned(), Value::Text("第1号煤矿".to_owned()));
        values.insert("n".to_owned(), Value::Integer(-7));
        values.insert("x".to_owned(), Value::Decimal(0.1));
        values.insert("d".to_owned(), Value::Date("2021-06-30".to_owned()));
        values.insert(
            "c".to_owned(),
            Value::Choices(vec!["a".to_owned(), "乙".to_owned()]),
        );
        values.insert("f".to_owned(), Value::Flag(true));
        FormRecord {
            id: 42,
            form: "coal-mining/mine-register".to_owned(),
            form_version: "1.2.0".to_owned(),
            values,
            draft: true,
            deleted: false,
            author: "张三".to_owned(),
            created_at: "2020-09-01T10:00:00+08:00".to_owned(),
            updated_at: "2020-09-02T10:00:00+08:00".to_owned(),
            revision: 3,
        }
    }

    #[test]
    fn a_record_round_trips_and_is_smaller_than_its_json() {
        let r = record();
        let mut names = FieldNames::default();
        let bytes = encode_record(&r, &mut names).unwrap();
        assert_eq!(bytes[0], RECORD_V5_NUMBERED);
        assert!(names.grown);
        assert_eq!(
            decode_record(&r.form, r.id, &bytes, &names, None).unwrap(),
            r
        );
        // The list as stored reads back the same.
        let stored = FieldNames::from_bytes("f", &names.to_bytes().unwrap()).unwrap();
        assert_eq!(
            decode_record(&r.form, r.id, &bytes, &stored, None).unwrap(),
            r
        );
        // A second record adds no names; a list that lacks a number is damage, not a panic.
        let mut again = stored.clone();
        encode_record(&r, &mut again).unwrap();
        assert!(!again.grown);
        assert!(decode_record(&r.form, r.id, &bytes, &FieldNames::default(), None).is_err());
        let json = serde_json::to_vec(&r).unwrap();
        assert!(
            bytes.len() * 2 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn json_rows_of_earlier_versions_still_read() {
        let r = record();
        let json = serde_json::to_vec(&r).unwrap();
        assert!(is_legacy_record(&json));
        assert_eq!(
            decode_record(&r.form, r.id, &json, &FieldNames::default(), None).unwrap(),
            r
        );
    }

    #[test]
    fn only_the_kept_fields_are_decoded() {
        let r = record();
        let keep: HashSet<&str> = ["n", "c"].into_iter().collect();
        let mut names = FieldNames::default();
        for bytes in [
            encode_record(&r, &mut names).unwrap(),
            serde_json::to_vec(&r).unwrap(),
        ] {
            let got = decode_record(&r.form, r.id, &bytes, &names, Some(&keep)).unwrap();
            assert_eq!(got.values.len(), 2);
            assert_eq!(got.values["n"], Value::Integer(-7));
            assert_eq!(got.draft, r.draft);
        }
    }

    #[test]
    fn a_damaged_row_is_an_error_not_a_panic() {
        let mut names = FieldNames::default();
        let bytes = encode_record(&record(), &mut names).unwrap();
        for cut in [0, 1, 5, bytes.len() / 2] {
            assert!(decode_record("f/x", 1, &bytes[..cut], &names, None).is_err());
        }
        assert!(decode_record("f/x", 1, b"garbage", &names, None).is_err());
    }

    #[test]
    fn a_view_reads_the_same_values_without_copying() {
        let r = record();
        let mut names = FieldNames::default();
        for bytes in [
            encode_record(&r, &mut names).unwrap(),
            serde_json::to_vec(&r).unwrap(),
        ] {
            let got = view_record(&r.form, r.id, &bytes, &names, |v| {
                assert_eq!((v.id, v.draft, v.counts()), (42, true, false));
                v.values()
                    .map(|(k, v)| (k.to_owned(), format!("{v:?}")))
                    .collect::<Vec<_>>()
            })
            .unwrap();
            let want: Vec<(String, String)> = r
                .values
                .iter()
                .map(|(k, v)| (k.clone(), format!("{:?}", v.as_ref())))
                .collect();
            // Choices compare by names whichever list holds them.
            let names = |s: &str| s.replace("Borrowed", "").replace("Owned", "");
            let got: Vec<_> = got.into_iter().map(|(k, v)| (k, names(&v))).collect();
            let want: Vec<_> = want.into_iter().map(|(k, v)| (k, names(&v))).collect();
            assert_eq!(got, want);
        }
    }
}
