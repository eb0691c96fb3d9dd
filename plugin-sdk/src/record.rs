//! Typed access to record values: one [`Fields`] trait for a [`FormRecord`] (what `validate`
//! and `classify` get) and a [`Row`] of a [`RecordBatch`] (what `compute` gets), so a rule is
//! written once and reads the same values either way.

use std::collections::HashMap;

use crate::date::Date;
use crate::{CellKind, Column, FieldValue, FormRecord, RecordBatch, Value};

/// A borrowed field value, the same for a [`FormRecord`] and a [`Row`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    None,
    Text(&'a str),
    Integer(i64),
    Decimal(f64),
    Date(&'a str),
    Choices(&'a [String]),
    Flag(bool),
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(v: &'a Value) -> ValueRef<'a> {
        match v {
            Value::None => ValueRef::None,
            Value::Text(t) => ValueRef::Text(t),
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Decimal(d) => ValueRef::Decimal(*d),
            Value::Date(t) => ValueRef::Date(t),
            Value::Choices(c) => ValueRef::Choices(c),
            Value::Flag(b) => ValueRef::Flag(*b),
        }
    }
}

impl ValueRef<'_> {
    /// The owned [`Value`].
    pub fn to_value(self) -> Value {
        match self {
            ValueRef::None => Value::None,
            ValueRef::Text(t) => Value::Text(t.to_owned()),
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Decimal(d) => Value::Decimal(d),
            ValueRef::Date(t) => Value::Date(t.to_owned()),
            ValueRef::Choices(c) => Value::Choices(c.to_vec()),
            ValueRef::Flag(b) => Value::Flag(b),
        }
    }
}

/// Typed reads of one record's fields. Implemented by [`FormRecord`] and [`Row`]; write rules
/// as `fn rule(r: &impl Fields)` to use them in `validate`, `classify` and `compute` alike.
/// An absent field reads like a field with no value.
pub trait Fields {
    /// The value of field `name` (`None` when the record does not have it).
    fn value(&self, name: &str) -> Option<ValueRef<'_>>;

    /// True when the field is absent, `none` or an empty text.
    fn is_blank(&self, name: &str) -> bool {
        match self.value(name) {
            None | Some(ValueRef::None) => true,
            Some(ValueRef::Text(t)) | Some(ValueRef::Date(t)) => t.trim().is_empty(),
            Some(ValueRef::Choices(c)) => c.is_empty(),
            _ => false,
        }
    }

    fn text(&self, name: &str) -> Option<&str> {
        match self.value(name)? {
            ValueRef::Text(t) | ValueRef::Date(t) => Some(t),
            ValueRef::Choices(c) if c.len() == 1 => Some(c[0].as_str()),
            _ => None,
        }
    }

    /// A select-one value (text or single choice).
    fn choice(&self, name: &str) -> Option<&str> {
        self.text(name)
    }

    fn choices(&self, name: &str) -> Vec<&str> {
        match self.value(name) {
            Some(ValueRef::Choices(c)) => c.iter().map(String::as_str).collect(),
            Some(ValueRef::Text(t)) => t.split_whitespace().collect(),
            _ => Vec::new(),
        }
    }

    /// A number from an integer, decimal or numeric text value.
    fn number(&self, name: &str) -> Option<f64> {
        match self.value(name)? {
            ValueRef::Integer(i) => Some(i as f64),
            ValueRef::Decimal(d) if d.is_finite() => Some(d),
            ValueRef::Text(t) => t.trim().parse().ok().filter(|v: &f64| v.is_finite()),
            _ => None,
        }
    }

    fn date(&self, name: &str) -> Option<Date> {
        match self.value(name)? {
            ValueRef::Date(t) | ValueRef::Text(t) => Date::parse(t),
            _ => None,
        }
    }

    /// A yes/no value (`flag`, or the texts "yes"/"no"/"是"/"否").
    fn flag(&self, name: &str) -> Option<bool> {
        match self.value(name)? {
            ValueRef::Flag(b) => Some(b),
            ValueRef::Integer(i) => Some(i != 0),
            ValueRef::Text(t) => match t.trim() {
                "yes" | "true" | "是" | "1" => Some(true),
                "no" | "false" | "否" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

impl<T: Fields + ?Sized> Fields for &T {
    fn value(&self, name: &str) -> Option<ValueRef<'_>> {
        (**self).value(name)
    }
}

impl Fields for FormRecord {
    fn value(&self, name: &str) -> Option<ValueRef<'_>> {
        self.get(name).map(ValueRef::from)
    }
}

/// The [`Fields`] reads as inherent methods, so callers need not import the trait.
macro_rules! inherent_reads {
    ($t:ty) => {
        impl $t {
            /// True when the field is absent, `none` or an empty text.
            pub fn is_blank(&self, name: &str) -> bool {
                Fields::is_blank(self, name)
            }
            pub fn text(&self, name: &str) -> Option<&str> {
                Fields::text(self, name)
            }
            /// A select-one value (text or single choice).
            pub fn choice(&self, name: &str) -> Option<&str> {
                Fields::choice(self, name)
            }
            pub fn choices(&self, name: &str) -> Vec<&str> {
                Fields::choices(self, name)
            }
            /// A number from an integer, decimal or numeric text value.
            pub fn number(&self, name: &str) -> Option<f64> {
                Fields::number(self, name)
            }
            pub fn date(&self, name: &str) -> Option<Date> {
                Fields::date(self, name)
            }
            /// A yes/no value (`flag`, or the texts "yes"/"no"/"是"/"否").
            pub fn flag(&self, name: &str) -> Option<bool> {
                Fields::flag(self, name)
            }
        }
    };
}

inherent_reads!(FormRecord);
inherent_reads!(Row<'_>);

impl FormRecord {
    /// The raw value of field `name` (`None` when absent; the first one when repeated).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }
}

/// One record of a [`RecordBatch`]: the fields the batch holds (the targets' `inputs`).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    batch: &'a RecordBatch,
    index: usize,
}

impl<'a> Row<'a> {
    /// Position of the record in the batch.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The value of field `name`, with the batch's lifetime.
    pub fn get(&self, name: &str) -> Option<ValueRef<'a>> {
        self.batch.column(name).map(|c| cell(c, self.index))
    }
}

impl Fields for Row<'_> {
    fn value(&self, name: &str) -> Option<ValueRef<'_>> {
        self.get(name)
    }
}

/// Record `i`'s value in `c` (a malformed cell reads as no value).
fn cell(c: &Column, i: usize) -> ValueRef<'_> {
    let data = c.data.get(i).copied().unwrap_or(0);
    let text = || {
        usize::try_from(data)
            .ok()
            .and_then(|k| c.texts.get(k))
            .map(String::as_str)
    };
    let value = match c.kinds.get(i) {
        None | Some(CellKind::None) => None,
        Some(CellKind::Text) => text().map(ValueRef::Text),
        Some(CellKind::Date) => text().map(ValueRef::Date),
        Some(CellKind::Integer) => Some(ValueRef::Integer(data as i64)),
        Some(CellKind::Decimal) => Some(ValueRef::Decimal(f64::from_bits(data))),
        Some(CellKind::Flag) => Some(ValueRef::Flag(data != 0)),
        Some(CellKind::Choices) => usize::try_from(data)
            .ok()
            .and_then(|k| c.choice_lists.get(k))
            .map(|l| ValueRef::Choices(l)),
    };
    value.unwrap_or(ValueRef::None)
}

/// Batches of more columns than this are looked up through an index ([`RecordBatch::column`]).
const INDEXED_FROM: usize = 8;

/// Slots of the address cache of [`ColumnIndex`] (a power of two).
const ADDRESS_SLOTS: usize = 256;

/// FNV-1a: field names are short, and hash several times faster than with SipHash. They
/// are the plugin's own names and the desk's, not adversarial input (a collision costs
/// time, never a wrong answer).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The column positions of the batch last looked up. Rules name fields with string
/// literals, so a name is first looked for by its address (a literal's never changes): one
/// multiplication and one comparison of the name per read, no hashing. A name met at a
/// new address (a name built at run time) is looked up by its text and remembered at that
/// address. Every answer is checked against the column's own name, so an address reused
/// for another text only costs a lookup.
struct ColumnIndex {
    /// The batch: its columns' address and count.
    batch: (usize, usize),
    by_name: HashMap<String, usize, std::hash::BuildHasherDefault<Fnv>>,
    /// (address, length, column) by address.
    by_address: Vec<(usize, usize, usize)>,
}

impl ColumnIndex {
    fn for_batch(&mut self, columns: &[Column]) {
        let key = (columns.as_ptr() as usize, columns.len());
        if self.batch != key {
            self.by_name = columns
                .iter()
                .enumerate()
                .rev()
                .map(|(i, c)| (c.name.clone(), i))
                .collect();
            self.by_address = vec![(0, 0, 0); ADDRESS_SLOTS];
            self.batch = key;
        }
    }

    fn slot(name: &str) -> usize {
        // Fibonacci hashing of the address: the top bits of the product.
        let h = (name.as_ptr() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> 56) as usize % ADDRESS_SLOTS
    }

    /// The position of the column `name` among `columns` (those of the indexed batch), if
    /// the index knows it. An index may be another batch's (made for one at the same
    /// address, since dropped): an answer is only given when the column there has the name,
    /// and a name the index does not know is left to the caller to look for.
    fn find(&mut self, columns: &[Column], name: &str) -> Option<usize> {
        let slot = Self::slot(name);
        if let Some(&(address, len, at)) = self.by_address.get(slot)
            && address == name.as_ptr() as usize
            && len == name.len()
            && columns.get(at).is_some_and(|c| same_text(&c.name, name))
        {
            return Some(at);
        }
        let at = self.by_name.get(name).copied()?;
        if columns.get(at).is_some_and(|c| same_text(&c.name, name)) {
            if let Some(s) = self.by_address.get_mut(slot) {
                *s = (name.as_ptr() as usize, name.len(), at);
            }
            Some(at)
        } else {
            // Another batch's index: made again at the next lookup.
            self.batch = (0, 0);
            None
        }
    }
}

/// `a == b`, eight bytes at a time. Every field read checks the column's name: in WASM,
/// `==` calls a `memcmp` that compares byte by byte.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let word = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_ne_bytes)
    };
    let mut at = 0;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    // The last eight bytes (overlapping the previous word when n is not a multiple of 8).
    word(a, n - 8) == word(b, n - 8)
}

thread_local! {
    /// The index of the batch last looked up. A plugin runs in a fresh instance per call,
    /// so this lives for one call.
    static COLUMN_INDEX: std::cell::RefCell<ColumnIndex> = std::cell::RefCell::new(ColumnIndex {
        batch: (0, 0),
        by_name: HashMap::default(),
        by_address: Vec::new(),
    });
}

impl RecordBatch {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The column of field `name`. A batch of many columns (a form whose targets read many
    /// fields, or a repeat group's rows) is looked up through an index made once per batch
    /// (see `ColumnIndex`); others, and a name the index does not know, column by column.
    pub fn column(&self, name: &str) -> Option<&Column> {
        if self.columns.len() > INDEXED_FROM {
            let found = COLUMN_INDEX.with(|index| {
                let mut index = index.borrow_mut();
                index.for_batch(&self.columns);
                index.find(&self.columns, name)
            });
            if let Some(c) = found.and_then(|i| self.columns.get(i)) {
                return Some(c);
            }
        }
        self.columns.iter().find(|c| c.name == name)
    }

    /// Record `index`.
    pub fn row(&self, index: usize) -> Option<Row<'_>> {
        (index < self.len()).then_some(Row { batch: self, index })
    }

    /// The records in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        (0..self.len()).map(move |index| Row { batch: self, index })
    }

    /// The records as [`FormRecord`]s (ids empty, fields without a value left out). Costs a
    /// few hundred bytes per record: for small batches and tests.
    pub fn to_records(&self) -> Vec<FormRecord> {
        self.rows()
            .map(|r| FormRecord {
                id: String::new(),
                fields: self
                    .columns
                    .iter()
                    .filter_map(|c| {
                        let v = cell(c, r.index);
                        (v != ValueRef::None).then(|| FieldValue {
                            name: c.name.clone(),
                            value: v.to_value(),
                        })
                    })
                    .collect(),
            })
            .collect()
    }

    /// What the desk passes to `compute` for these records when the form's targets name
    /// `fields` as inputs: one column per field, in that order (for plugin tests).
    pub fn from_records(records: &[FormRecord], fields: &[&str]) -> RecordBatch {
        let mut columns: Vec<ColumnBuilder> = fields
            .iter()
            .map(|f| ColumnBuilder::new(f, records.len()))
            .collect();
        for (i, r) in records.iter().enumerate() {
            for c in &mut columns {
                if let Some(v) = r.get(&c.column.name) {
                    c.set(i, v);
                }
            }
        }
        RecordBatch {
            count: u32::try_from(records.len()).unwrap_or(u32::MAX),
            columns: columns.into_iter().map(|c| c.column).collect(),
        }
    }
}

struct ColumnBuilder {
    column: Column,
    texts: HashMap<String, u64>,
    choices: HashMap<Vec<String>, u64>,
}

impl ColumnBuilder {
    fn new(name: &str, n: usize) -> ColumnBuilder {
        ColumnBuilder {
            column: Column {
                name: name.to_owned(),
                kinds: vec![CellKind::None; n],
                data: vec![0; n],
                texts: Vec::new(),
                choice_lists: Vec::new(),
            },
            texts: HashMap::new(),
            choices: HashMap::new(),
        }
    }

    fn text(&mut self, t: &str) -> u64 {
        let next = self.column.texts.len() as u64;
        *self.texts.entry(t.to_owned()).or_insert_with(|| {
            self.column.texts.push(t.to_owned());
            next
        })
    }

    fn set(&mut self, i: usize, v: &Value) {
        let (kind, data) = match v {
            Value::None => (CellKind::None, 0),
            Value::Text(t) => (CellKind::Text, self.text(t)),
            Value::Date(t) => (CellKind::Date, self.text(t)),
            Value::Integer(x) => (CellKind::Integer, *x as u64),
            Value::Decimal(x) => (CellKind::Decimal, x.to_bits()),
            Value::Flag(b) => (CellKind::Flag, u64::from(*b)),
            Value::Choices(c) => {
                let next = self.column.choice_lists.len() as u64;
                let k = *self.choices.entry(c.clone()).or_insert_with(|| {
                    self.column.choice_lists.push(c.clone());
                    next
                });
                (CellKind::Choices, k)
            }
        };
        self.column.kinds[i] = kind;
        self.column.data[i] = data;
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
    pub fn choices(self, name: &str, v: &[&str]) -> Self {
        self.push(
            name,
            Value::Choices(v.iter().map(|s| (*s).to_owned()).collect()),
        )
    }
    pub fn none(self, name: &str) -> Self {
        self.push(name, Value::None)
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
    fn same_text_is_equality_at_every_length_and_position() {
        for n in 0..40 {
            let a: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            assert!(same_text(&a, &a.clone()), "{n}");
            assert!(!same_text(&a, &format!("{a}x")), "{n}");
            for at in 0..n {
                let mut b = a.clone().into_bytes();
                b[at] = b'#';
                let b = String::from_utf8(b).unwrap();
                assert!(!same_text(&a, &b), "{n} at {at}");
                assert!(!same_text(&b, &a), "{n} at {at}");
            }
        }
        assert!(same_text("units[0]/u_status", "units[0]/u_status"));
        assert!(!same_text("units[0]/u_status", "units[1]/u_status"));
    }

    fn sample() -> FormRecord {
        RecordBuilder::new("r1")
            .text("name", "甲矿")
            .decimal("capacity", 45.0)
            .integer("depth", 600)
            .date("d", "2020-01-31")
            .flag("f", true)
            .text("t", "是")
            .choices("c", &["a", "b"])
            .choices("one", &["x"])
            .text("n", " 12.5 ")
            .none("blank")
            .integer("big", i64::MIN)
            .decimal("neg", -0.0)
            .text("name", "duplicate: the first one counts")
            .build()
    }

    #[test]
    fn typed_getters() {
        let r = sample();
        assert_eq!(r.text("name"), Some("甲矿"));
        assert_eq!(r.number("capacity"), Some(45.0));
        assert_eq!(r.number("depth"), Some(600.0));
        assert_eq!(r.date("d").unwrap().month, 1);
        assert_eq!(r.flag("f"), Some(true));
        assert_eq!(r.flag("t"), Some(true));
        assert_eq!(r.choice("one"), Some("x"));
        assert_eq!(r.choices("c"), ["a", "b"]);
        assert_eq!(r.number("n"), Some(12.5));
        assert!(r.is_blank("missing"));
        assert!(r.is_blank("blank"));
        assert!(!r.is_blank("name"));
    }

    #[test]
    fn a_batch_row_reads_exactly_like_the_record() {
        let records = vec![
            sample(),
            RecordBuilder::new("r2")
                .text("name", "乙矿")
                .text("capacity", "30")
                .build(),
            RecordBuilder::new("r3").build(),
        ];
        let names = [
            "name", "capacity", "depth", "d", "f", "t", "c", "one", "n", "blank", "big", "neg",
        ];
        let batch = RecordBatch::from_records(&records, &names);
        assert_eq!(batch.len(), 3);
        // Each distinct text is held once per column.
        assert_eq!(batch.column("name").unwrap().texts, ["甲矿", "乙矿"]);
        for (r, row) in records.iter().zip(batch.rows()) {
            for name in names.iter().chain(&["missing"]) {
                assert_eq!(r.is_blank(name), row.is_blank(name), "{name}");
                assert_eq!(r.text(name), row.text(name), "{name}");
                assert_eq!(r.choices(name), row.choices(name), "{name}");
                assert_eq!(
                    r.number(name).map(f64::to_bits),
                    row.number(name).map(f64::to_bits),
                    "{name}"
                );
                assert_eq!(r.date(name), row.date(name), "{name}");
                assert_eq!(r.flag(name), row.flag(name), "{name}");
            }
        }
        assert_eq!(
            batch.row(0).unwrap().get("big"),
            Some(ValueRef::Integer(i64::MIN))
        );
        // A field not in the batch reads as absent.
        let slim = RecordBatch::from_records(&records, &["name"]);
        assert_eq!(slim.row(0).unwrap().number("capacity"), None);
        // Back to records: the same values, without the empty ones.
        let back = batch.to_records();
        assert_eq!(back[0].text("name"), Some("甲矿"));
        assert!(back[0].get("blank").is_none());
        assert!(back[2].fields.is_empty());
    }

    /// A batch of many columns is read through its index, and two batches read in turn (an
    /// index made for the other) still give each its own values.
    #[test]
    fn wide_batches_read_their_own_columns() {
        let names: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
        let fields: Vec<&str> = names.iter().map(String::as_str).collect();
        let make = |offset: i64| {
            let mut b = RecordBuilder::new("r");
            for (i, f) in fields.iter().enumerate() {
                b = b.integer(f, offset + i as i64);
            }
            RecordBatch::from_records(&[b.build()], &fields)
        };
        let (a, b) = (make(0), make(100));
        for _ in 0..2 {
            for (batch, offset) in [(&a, 0), (&b, 100)] {
                let row = batch.row(0).unwrap();
                for (i, f) in fields.iter().enumerate() {
                    assert_eq!(row.number(f), Some((offset + i as i64) as f64), "{f}");
                }
                assert_eq!(row.number("absent"), None);
            }
        }
        // A batch whose columns are in another order at the same length.
        let mut reversed = fields.clone();
        reversed.reverse();
        let mut rb = RecordBuilder::new("r");
        for (i, f) in fields.iter().enumerate() {
            rb = rb.integer(f, 1000 + i as i64);
        }
        let c = RecordBatch::from_records(&[rb.build()], &reversed);
        assert_eq!(c.row(0).unwrap().number("f3"), Some(1003.0));
        assert_eq!(a.row(0).unwrap().number("f3"), Some(3.0));
    }

    /// Names built at run time in one buffer (one address, changing text) and names read by
    /// literal both find their own columns; of a name given twice the first column counts,
    /// with or without the index.
    #[test]
    fn names_at_a_reused_address_read_their_own_columns() {
        let names: Vec<String> = (0..12).map(|i| format!("units[{i}]/u")).collect();
        let mut fields: Vec<&str> = names.iter().map(String::as_str).collect();
        fields.push("twice");
        let mut b = RecordBuilder::new("r");
        for (i, f) in names.iter().enumerate() {
            b = b.integer(f, i as i64);
        }
        let record = b.integer("twice", 7).build();
        let wide = RecordBatch::from_records(std::slice::from_ref(&record), &fields);
        let mut first = wide.clone();
        first.columns.push(Column {
            name: "twice".into(),
            kinds: vec![CellKind::Integer],
            data: vec![8],
            texts: Vec::new(),
            choice_lists: Vec::new(),
        });
        let row = first.row(0).unwrap();
        let mut buffer = String::new();
        for _ in 0..3 {
            for i in (0..12).rev() {
                buffer.clear();
                buffer.push_str(&format!("units[{i}]/u"));
                assert_eq!(row.number(&buffer), Some(i as f64), "{buffer}");
                assert_eq!(row.number("twice"), Some(7.0));
            }
            buffer.clear();
            buffer.push_str("units[99]/u");
            assert_eq!(row.number(&buffer), None);
        }
        // A batch changed in place (its columns at the same address, as many of them: what a
        // batch made where a dropped one was looks like) finds a name the first did not have.
        let a_names: Vec<String> = (0..12).map(|i| format!("a{i}")).collect();
        let a_refs: Vec<&str> = a_names.iter().map(String::as_str).collect();
        let mut b = RecordBuilder::new("r");
        for i in 0..12 {
            b = b.integer(&format!("a{i}"), i);
        }
        let mut batch = RecordBatch::from_records(&[b.build()], &a_refs);
        assert_eq!(batch.row(0).unwrap().number("new"), None);
        assert_eq!(batch.row(0).unwrap().number("a11"), Some(11.0));
        batch.columns[11].name = "new".into();
        assert_eq!(batch.row(0).unwrap().number("new"), Some(11.0));
        assert_eq!(batch.row(0).unwrap().number("a11"), None);
        let narrow = RecordBatch::from_records(std::slice::from_ref(&record), &["twice", "x"]);
        let mut narrow_twice = narrow.clone();
        narrow_twice.columns.push(first.columns[13].clone());
        assert_eq!(narrow_twice.row(0).unwrap().number("twice"), Some(7.0));
    }
}
