//! The column-wise `record-batch` that v1's `compute` receives: only the fields the form's
//! targets name in `inputs` ([`from_records`]), which keeps 100 000 records within the
//! plugin's 64 MiB, and its fingerprint (the key of remembered bad inputs).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hasher;

use anwei_core::{ChoiceList, FormRecord, Value, ValueRef};
use sha2::{Digest, Sha256};

use super::wit;
use crate::error::{PluginError, Result};

/// A value as a column holds it, borrowed from a record.
enum Cell<'r> {
    /// WIT's `none` (the host's records have no such value: an absent field is none).
    #[cfg(test)]
    None,
    Text(&'r str),
    Date(&'r str),
    Integer(i64),
    Decimal(f64),
    Choices(&'r [String]),
    Flag(bool),
}

impl<'r> From<&'r Value> for Cell<'r> {
    fn from(v: &'r Value) -> Cell<'r> {
        match v {
            Value::Text(t) => Cell::Text(t),
            Value::Integer(x) => Cell::Integer(*x),
            Value::Decimal(x) => Cell::Decimal(*x),
            Value::Date(t) => Cell::Date(t),
            Value::Choices(c) => Cell::Choices(c),
            Value::Flag(b) => Cell::Flag(*b),
        }
    }
}

#[cfg(test)]
impl<'r> From<&'r wit::Value> for Cell<'r> {
    fn from(v: &'r wit::Value) -> Cell<'r> {
        match v {
            wit::Value::None => Cell::None,
            wit::Value::Text(t) => Cell::Text(t),
            wit::Value::Integer(x) => Cell::Integer(*x),
            wit::Value::Decimal(x) => Cell::Decimal(*x),
            wit::Value::Date(t) => Cell::Date(t),
            wit::Value::Choices(c) => Cell::Choices(c),
            wit::Value::Flag(b) => Cell::Flag(*b),
        }
    }
}

/// The field a record's value name stands for inside a repeat group: "units[2]/u_status" →
/// "u_status" (`None` for a top-level name).
fn repeated_field(name: &str) -> Option<&str> {
    let (path, field) = name.rsplit_once('/')?;
    path.ends_with(']').then_some(field)
}

/// `records` as `compute` receives them: one column per field of `fields` (in that order),
/// each record's value of that field (none if absent), every distinct text once per column.
/// A field of `fields` inside a repeat group also gets one column per row name the records
/// use ("units[0]/u_status", "units[1]/u_status"…, after the named columns, in the order
/// first met), so a target can read the rows. Other fields and record ids are left out.
pub(crate) fn from_records<R: Borrow<FormRecord>>(
    records: &[R],
    fields: &[String],
) -> Result<wit::RecordBatch> {
    build(records, fields, |r| {
        r.borrow()
            .values
            .iter()
            .map(|(name, v)| (name.as_str(), Cell::from(v)))
    })
}

/// The batch of WIT records (a repeated field: the first value counts).
#[cfg(test)]
fn record_batch(records: &[wit::FormRecord], fields: &[String]) -> Result<wit::RecordBatch> {
    build(records, fields, |r| {
        r.fields
            .iter()
            .map(|f| (f.name.as_str(), Cell::from(&f.value)))
    })
}

fn build<'r, R, I>(
    records: &'r [R],
    fields: &[String],
    cells: impl Fn(&'r R) -> I,
) -> Result<wit::RecordBatch>
where
    I: Iterator<Item = (&'r str, Cell<'r>)>,
{
    let count = u32::try_from(records.len())
        .map_err(|_| PluginError::Engine(format!("记录过多（{} 条）", records.len())))?;
    let index: FastMap<&str, usize> = fields
        .iter()
        .enumerate()
        .rev()
        .map(|(i, f)| (f.as_str(), i))
        .collect();
    let mut columns: Vec<ColumnBuilder> = fields
        .iter()
        .map(|f| ColumnBuilder::new(f, records.len()))
        .collect();
    // Columns of repeat-group rows, by name, made as the records name them.
    let mut rows: FastMap<&'r str, usize> = FastMap::default();
    // Records of one form mostly list their fields in the same order: a field named as in
    // the previous record at the same position maps to the same column (no hashing).
    let mut layout: Vec<(&str, Option<usize>)> = Vec::new();
    for (row, r) in records.iter().enumerate() {
        for (j, (name, value)) in cells(r).enumerate() {
            let column = match layout.get(j) {
                Some(&(prev, c)) if prev == name => c,
                _ => {
                    let c = index.get(name).copied().or_else(|| {
                        let field = repeated_field(name)?;
                        index.get(field)?;
                        Some(*rows.entry(name).or_insert_with(|| {
                            columns.push(ColumnBuilder::new(name, records.len()));
                            columns.len() - 1
                        }))
                    });
                    if j < layout.len() {
                        layout[j] = (name, c);
                    } else {
                        layout.push((name, c));
                    }
                    c
                }
            };
            if let Some(c) = column {
                columns[c].set(row, value);
            }
        }
    }
    // A field named twice in `fields` gets its column twice.
    let mut out: Vec<wit::Column> = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        match index.get(f.as_str()) {
            Some(&first) if first != i => {
                let copy = out[first].clone();
                out.push(copy);
            }
            _ => {
                let c = std::mem::replace(&mut columns[i], ColumnBuilder::new(f, 0));
                out.push(c.finish());
            }
        }
    }
    out.extend(columns.drain(fields.len()..).map(ColumnBuilder::finish));
    Ok(wit::RecordBatch {
        count,
        columns: out,
    })
}

/// sha256 of what `compute` receives: the key (plugin code and form), the date and the
/// batch, column by column.
pub(crate) fn fingerprint(key: &str, as_of: &str, batch: &wit::RecordBatch) -> String {
    fn put(h: &mut Sha256, t: &str) {
        h.update((t.len() as u64).to_le_bytes());
        h.update(t.as_bytes());
    }
    let mut h = Sha256::new();
    put(&mut h, key);
    put(&mut h, as_of);
    h.update(u64::from(batch.count).to_le_bytes());
    for c in &batch.columns {
        put(&mut h, &c.name);
        let kinds: Vec<u8> = c.kinds.iter().map(|k| *k as u8).collect();
        h.update(&kinds);
        for d in &c.data {
            h.update(d.to_le_bytes());
        }
        h.update((c.texts.len() as u64).to_le_bytes());
        for t in &c.texts {
            put(&mut h, t);
        }
        h.update((c.choice_lists.len() as u64).to_le_bytes());
        for list in &c.choice_lists {
            h.update((list.len() as u64).to_le_bytes());
            for t in list {
                put(&mut h, t);
            }
        }
    }
    hex::encode(h.finalize())
}

/// FNV-1a: short keys (field names, choice texts) hash several times faster than with
/// SipHash. The keys are the desk's own records, not adversarial input.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

struct ColumnBuilder<'r> {
    name: String,
    kinds: Vec<wit::CellKind>,
    data: Vec<u64>,
    /// Records whose value is set (the first occurrence of a repeated field counts).
    set: Vec<bool>,
    texts: Vec<String>,
    text_index: FastMap<&'r str, u64>,
    choice_lists: Vec<Vec<String>>,
    choice_index: FastMap<&'r [String], u64>,
}

impl<'r> ColumnBuilder<'r> {
    fn new(name: &str, n: usize) -> ColumnBuilder<'r> {
        ColumnBuilder {
            name: name.to_owned(),
            kinds: vec![wit::CellKind::None; n],
            data: vec![0; n],
            set: vec![false; n],
            texts: Vec::new(),
            text_index: FastMap::default(),
            choice_lists: Vec::new(),
            choice_index: FastMap::default(),
        }
    }

    fn text(&mut self, t: &'r str) -> u64 {
        let next = self.texts.len() as u64;
        *self.text_index.entry(t).or_insert_with(|| {
            self.texts.push(t.to_owned());
            next
        })
    }

    fn set(&mut self, row: usize, v: Cell<'r>) {
        if std::mem::replace(&mut self.set[row], true) {
            return;
        }
        let (kind, data) = match v {
            #[cfg(test)]
            Cell::None => (wit::CellKind::None, 0),
            Cell::Text(t) => (wit::CellKind::Text, self.text(t)),
            Cell::Date(t) => (wit::CellKind::Date, self.text(t)),
            Cell::Integer(x) => (wit::CellKind::Integer, x as u64),
            Cell::Decimal(x) => (wit::CellKind::Decimal, x.to_bits()),
            Cell::Flag(b) => (wit::CellKind::Flag, u64::from(b)),
            Cell::Choices(c) => {
                let next = self.choice_lists.len() as u64;
                let k = *self.choice_index.entry(c).or_insert_with(|| {
                    self.choice_lists.push(c.to_vec());
                    next
                });
                (wit::CellKind::Choices, k)
            }
        };
        self.kinds[row] = kind;
        self.data[row] = data;
    }

    fn finish(self) -> wit::Column {
        wit::Column {
            name: self.name,
            kinds: self.kinds,
            data: self.data,
            texts: self.texts,
            choice_lists: self.choice_lists,
        }
    }
}

/// A `record-batch` built one record at a time (the records are read from the store as
/// they are pushed and never held together): the same columns as [`from_records`].
pub(crate) struct Streamed {
    fields: Vec<String>,
    /// Column of each field name (the first of a name named twice).
    index: FastMap<String, usize>,
    columns: Vec<OwnedColumn>,
    count: usize,
    /// By position in the records pushed: the name last seen there and its column.
    slots: Vec<(String, Option<usize>)>,
}

/// A multiply-and-rotate hash for [`ShortKey`]s: two multiplications per key.
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(26) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }
    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }
}

/// A text of at most 16 bytes as one integer and its length: dates, choice names and most
/// short texts, found in a map without comparing strings.
type ShortKey = (u128, u8);

fn short_key(t: &str) -> Option<ShortKey> {
    let bytes = t.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut buf = [0u8; 16];
        buf[..bytes.len()].copy_from_slice(bytes);
        (u128::from_le_bytes(buf), bytes.len() as u8)
    })
}

/// A date as the desk writes it ("2021-06-30") as one small integer (20210630): a map of
/// them is a quarter the size of one of texts, so the tables of a register's date columns
/// stay in the processor's cache while its records stream by.
fn date_key(t: &str) -> Option<u32> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = t.as_bytes() else {
        return None;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    digits.iter().all(u8::is_ascii_digit).then(|| {
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    })
}

/// The positions of the distinct texts of a column.
#[derive(Default)]
struct Interner {
    dates: HashMap<u32, u32, std::hash::BuildHasherDefault<Mix>>,
    short: HashMap<ShortKey, u64, std::hash::BuildHasherDefault<Mix>>,
    long: FastMap<String, u64>,
}

impl Interner {
    /// The position of `t`, `add`ed (it returns the new position) when it is new.
    fn position(&mut self, t: &str, add: impl FnOnce() -> u64) -> u64 {
        if let Some(key) = date_key(t) {
            if let Some(&i) = self.dates.get(&key) {
                return u64::from(i);
            }
            let i = add();
            // A column holds at most u32::MAX records, so at most as many texts.
            if let Ok(small) = u32::try_from(i) {
                self.dates.insert(key, small);
            }
            return i;
        }
        match short_key(t) {
            Some(key) => *self.short.entry(key).or_insert_with(add),
            None => {
                if let Some(i) = self.long.get(t) {
                    return *i;
                }
                let i = add();
                self.long.insert(t.to_owned(), i);
                i
            }
        }
    }
}

#[derive(Default)]
struct OwnedColumn {
    kinds: Vec<wit::CellKind>,
    data: Vec<u64>,
    texts: Vec<String>,
    text_index: Interner,
    choice_lists: Vec<Vec<String>>,
    /// Lists of one choice (the common case) by that choice; longer lists by their names.
    single_index: Interner,
    choice_index: FastMap<Vec<String>, u64>,
}

impl OwnedColumn {
    fn text(&mut self, t: &str) -> u64 {
        let texts = &mut self.texts;
        self.text_index.position(t, || {
            texts.push(t.to_owned());
            texts.len() as u64 - 1
        })
    }

    fn choices(&mut self, c: ChoiceList<'_>) -> u64 {
        if c.len() == 1
            && let Some(one) = c.get(0)
        {
            let lists = &mut self.choice_lists;
            return self.single_index.position(one, || {
                lists.push(vec![one.to_owned()]);
                lists.len() as u64 - 1
            });
        }
        let list: Vec<String> = c.iter().map(str::to_owned).collect();
        if let Some(k) = self.choice_index.get(&list) {
            return *k;
        }
        let k = self.choice_lists.len() as u64;
        self.choice_lists.push(list.clone());
        self.choice_index.insert(list, k);
        k
    }

    fn set(&mut self, row: usize, v: ValueRef<'_>) {
        let (kind, data) = match v {
            ValueRef::Text(t) => (wit::CellKind::Text, self.text(t)),
            ValueRef::Date(t) => (wit::CellKind::Date, self.text(t)),
            ValueRef::Integer(x) => (wit::CellKind::Integer, x as u64),
            ValueRef::Decimal(x) => (wit::CellKind::Decimal, x.to_bits()),
            ValueRef::Flag(b) => (wit::CellKind::Flag, u64::from(b)),
            ValueRef::Choices(c) => (wit::CellKind::Choices, self.choices(c)),
        };
        self.kinds[row] = kind;
        self.data[row] = data;
    }
}

impl Streamed {
    pub(crate) fn new(fields: &[String]) -> Streamed {
        let mut index = FastMap::default();
        for (i, f) in fields.iter().enumerate() {
            index.entry(f.clone()).or_insert(i);
        }
        Streamed {
            fields: fields.to_vec(),
            index,
            columns: fields.iter().map(|_| OwnedColumn::default()).collect(),
            count: 0,
            slots: Vec::new(),
        }
    }

    pub(crate) fn fields(&self) -> &[String] {
        &self.fields
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Adds one record (its fields that are not columns are ignored).
    pub(crate) fn push(&mut self, record: &FormRecord) {
        self.push_values(record.values.iter().map(|(k, v)| (k.as_str(), v.as_ref())));
    }

    /// Adds one record given as its values (fields that are not columns are ignored; of a
    /// field named twice the first value counts).
    pub(crate) fn push_values<'v>(
        &mut self,
        values: impl Iterator<Item = (&'v str, ValueRef<'v>)>,
    ) {
        let row = self.count;
        for c in &mut self.columns {
            c.kinds.push(wit::CellKind::None);
            c.data.push(0);
        }
        for (position, (name, v)) in values.enumerate() {
            // The records of a register mostly name the same fields in the same order: the
            // name at this position is compared with the last record's (a few bytes) before
            // it is looked up.
            let column = match self.slots.get(position) {
                Some((last, c)) if last == name => *c,
                _ => {
                    let c = self.index.get(name).copied().or_else(|| {
                        let field = repeated_field(name)?;
                        self.index.get(field)?;
                        Some(self.add_row_column(name, row))
                    });
                    if position < self.slots.len() {
                        self.slots[position] = (name.to_owned(), c);
                    } else if position == self.slots.len() {
                        self.slots.push((name.to_owned(), c));
                    }
                    c
                }
            };
            if let Some(c) = column
                && self.columns[c].kinds[row] == wit::CellKind::None
            {
                self.columns[c].set(row, v);
            }
        }
        self.count += 1;
    }

    /// A column for the repeat-group row value `name` ("units[1]/u_status"), none for the
    /// `row` records before (and the current one, set by the caller).
    fn add_row_column(&mut self, name: &str, row: usize) -> usize {
        let c = self.columns.len();
        self.columns.push(OwnedColumn {
            kinds: vec![wit::CellKind::None; row + 1],
            data: vec![0; row + 1],
            ..OwnedColumn::default()
        });
        self.fields.push(name.to_owned());
        self.index.insert(name.to_owned(), c);
        c
    }

    /// The records pushed so far as a batch ([`Streamed::finish`]); the feed is empty again,
    /// with the same fields.
    pub(crate) fn take(&mut self) -> Result<wit::RecordBatch> {
        let fresh = Streamed::new(&self.fields);
        std::mem::replace(self, fresh).finish()
    }

    pub(crate) fn finish(self) -> Result<wit::RecordBatch> {
        let count = u32::try_from(self.count)
            .map_err(|_| PluginError::Engine(format!("记录过多（{} 条）", self.count)))?;
        let mut columns: Vec<Option<OwnedColumn>> = self.columns.into_iter().map(Some).collect();
        let mut out: Vec<wit::Column> = Vec::with_capacity(self.fields.len());
        for (i, f) in self.fields.iter().enumerate() {
            let first = self.index.get(f).copied().unwrap_or(i);
            if first != i {
                let copy = out[first].clone();
                out.push(copy);
                continue;
            }
            let c = columns[i].take().unwrap_or_default();
            out.push(wit::Column {
                name: f.clone(),
                kinds: c.kinds,
                data: c.data,
                texts: c.texts,
                choice_lists: c.choice_lists,
            });
        }
        Ok(wit::RecordBatch {
            count,
            columns: out,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn rec(fields: Vec<(&str, wit::Value)>) -> wit::FormRecord {
        wit::FormRecord {
            id: "r".into(),
            fields: fields
                .into_iter()
                .map(|(n, value)| wit::FieldValue {
                    name: n.into(),
                    value,
                })
                .collect(),
        }
    }

    #[test]
    fn a_batch_holds_the_named_fields_losslessly_and_nothing_else() {
        use wit::Value as V;
        let records = vec![
            rec(vec![
                ("group", V::Text("keep".into())),
                ("capacity", V::Decimal(-0.5)),
                ("remarks", V::Text("不传".into())),
                ("group", V::Text("close".into())),
                ("n", V::Integer(-3)),
                ("c", V::Choices(vec!["a".into(), "b".into()])),
            ]),
            rec(vec![
                ("capacity", V::Text("60".into())),
                ("group", V::Text("keep".into())),
                ("d", V::Date("2020-06-30".into())),
                ("f", V::Flag(true)),
                ("c", V::Choices(vec!["a".into(), "b".into()])),
            ]),
            rec(vec![("group", V::None)]),
        ];
        let fields: Vec<String> = ["group", "capacity", "n", "d", "f", "c", "missing", "group"]
            .map(String::from)
            .to_vec();
        let b = record_batch(&records, &fields).unwrap();
        assert_eq!(b.count, 3);
        let names: Vec<&str> = b.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, fields);
        let group = &b.columns[0];
        // The first of a repeated field counts; each text once.
        assert_eq!(group.texts, ["keep"]);
        assert_eq!(
            group.kinds,
            [
                wit::CellKind::Text,
                wit::CellKind::Text,
                wit::CellKind::None
            ]
        );
        assert_eq!(group.data, [0, 0, 0]);
        let cap = &b.columns[1];
        assert_eq!(cap.kinds[0], wit::CellKind::Decimal);
        assert_eq!(f64::from_bits(cap.data[0]).to_bits(), (-0.5f64).to_bits());
        assert_eq!(cap.kinds[1], wit::CellKind::Text);
        assert_eq!(cap.texts, ["60"]);
        assert_eq!(b.columns[2].data[0] as i64, -3);
        assert_eq!(b.columns[3].kinds[1], wit::CellKind::Date);
        assert_eq!(b.columns[4].data[1], 1);
        assert_eq!(b.columns[5].choice_lists.len(), 1);
        assert_eq!(b.columns[5].data[..2], [0, 0]);
        assert!(b.columns[6].kinds.iter().all(|k| *k == wit::CellKind::None));
        assert_eq!(b.columns[7].kinds, b.columns[0].kinds);
        assert_eq!(b.columns[7].texts, b.columns[0].texts);
        assert!(
            b.columns
                .iter()
                .all(|c| !c.texts.iter().any(|t| t == "不传"))
        );
    }

    /// The batch of core records is the batch of the same records as the plugin receives
    /// them one by one (so fingerprints of remembered bad inputs stay valid).
    #[test]
    fn core_records_batch_like_their_wit_form() {
        use std::collections::BTreeMap;
        let core = |i: i64| FormRecord {
            id: u64::try_from(i).unwrap() + 1,
            form: "s/f".into(),
            form_version: "1".into(),
            values: BTreeMap::from([
                (
                    "group".into(),
                    Value::Text(["keep", "close"][(i % 2) as usize].into()),
                ),
                ("capacity".into(), Value::Decimal(i as f64 * 1.5)),
                ("n".into(), Value::Integer(-i)),
                ("d".into(), Value::Date("2020-06-30".into())),
                ("c".into(), Value::Choices(vec!["a".into(), i.to_string()])),
                ("f".into(), Value::Flag(i % 3 == 0)),
                ("remarks".into(), Value::Text("不传".into())),
            ]),
            draft: false,
            deleted: false,
            author: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        };
        let records: Vec<FormRecord> = (0..5).map(core).collect();
        let as_wit: Vec<wit::FormRecord> = records.iter().map(super::super::form_record).collect();
        let fields: Vec<String> = ["group", "capacity", "n", "d", "f", "c", "missing"]
            .map(String::from)
            .to_vec();
        let from_core = from_records(&records, &fields).unwrap();
        let debug = |b: &wit::RecordBatch| format!("{b:?}");
        assert_eq!(
            debug(&from_core),
            debug(&record_batch(&as_wit, &fields).unwrap())
        );
        let refs: Vec<&FormRecord> = records.iter().collect();
        assert_eq!(
            debug(&from_records(&refs, &fields).unwrap()),
            debug(&from_core)
        );
        assert_eq!(from_core.columns[0].texts, ["keep", "close"]);
        assert_eq!(from_core.columns[5].choice_lists.len(), 5);
        assert_eq!(
            fingerprint("k", "2022-12-31", &from_core),
            fingerprint("k", "2022-12-31", &record_batch(&as_wit, &fields).unwrap())
        );
    }

    #[test]
    fn a_batch_built_one_record_at_a_time_is_the_same_batch() {
        use anwei_core::{FormRecord, Value as CV};
        let rec = |i: i64| FormRecord {
            id: i as u64,
            form: "s/f".into(),
            form_version: "1".into(),
            values: [
                (
                    "group".to_owned(),
                    CV::Choices(vec![["keep", "close"][i as usize % 2].into()]),
                ),
                ("capacity".to_owned(), CV::Decimal(i as f64 / 2.0)),
                ("name".to_owned(), CV::Text(format!("矿{}", i % 3))),
                ("d".to_owned(), CV::Date("2020-01-01".into())),
                ("f".to_owned(), CV::Flag(i % 2 == 0)),
                ("n".to_owned(), CV::Integer(-i)),
                ("other".to_owned(), CV::Text("不传".into())),
                // Texts at the edge of the short keys (16 bytes), and one that differs from
                // another only by a NUL byte.
                (
                    "long".to_owned(),
                    CV::Text(
                        [
                            "abcdefghijklmnop",
                            "abcdefghijklmnopq",
                            "abc\0",
                            "abc",
                            "2020-01-01",
                            "2020-01-1",
                        ][i as usize % 6]
                            .into(),
                    ),
                ),
            ]
            .into_iter()
            .filter(|(k, _)| i != 3 || k != "capacity")
            .collect(),
            draft: false,
            deleted: false,
            author: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        };
        let records: Vec<FormRecord> = (0..14).map(rec).collect();
        let fields: Vec<String> = [
            "capacity", "group", "name", "d", "f", "n", "group", "absent", "long",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let whole = from_records(&records, &fields).unwrap();
        let mut s = Streamed::new(&fields);
        for r in &records {
            s.push(r);
        }
        assert_eq!(s.len(), 14);
        let streamed = s.finish().unwrap();
        let long = streamed.columns.iter().find(|c| c.name == "long").unwrap();
        assert_eq!(long.texts.len(), 6);
        assert_eq!(long.data[..7], [0, 1, 2, 3, 4, 5, 0]);
        // The fingerprint covers every column, kind, datum and text.
        assert_eq!(
            fingerprint("k", "2022-12-31", &streamed),
            fingerprint("k", "2022-12-31", &whole)
        );
        assert_eq!(format!("{streamed:?}"), format!("{whole:?}"));
    }

    /// A target reading a field of a repeat group ("u_status" of the rows "units[i]/…") gets
    /// one column per row name the records use, built alike from records and streamed, and
    /// no column of a repeat field it does not read.
    #[test]
    fn the_rows_of_a_repeat_group_reach_the_batch_as_columns() {
        use anwei_core::Value as CV;
        let rec = |id: u64, rows: &[(&str, &str)]| FormRecord {
            id,
            form: "s/f".into(),
            form_version: "1".into(),
            values: rows
                .iter()
                .enumerate()
                .flat_map(|(i, (status, name))| {
                    [
                        (format!("units[{i}]/u_status"), CV::Text((*status).into())),
                        (format!("units[{i}]/u_name"), CV::Text((*name).into())),
                    ]
                })
                .chain([("status".to_owned(), CV::Text("open".into()))])
                .collect(),
            draft: false,
            deleted: false,
            author: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        };
        let records = vec![
            rec(1, &[("ok", "甲")]),
            rec(2, &[]),
            rec(3, &[("bad", "乙"), ("ok", "丙"), ("bad", "丁")]),
        ];
        let fields: Vec<String> = ["status", "u_status"].map(str::to_owned).to_vec();
        let whole = from_records(&records, &fields).unwrap();
        let names: Vec<&str> = whole.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "status",
                "u_status",
                "units[0]/u_status",
                "units[1]/u_status",
                "units[2]/u_status"
            ]
        );
        let col = |b: &wit::RecordBatch, name: &str| -> Vec<Option<String>> {
            let c = b.columns.iter().find(|c| c.name == name).unwrap();
            c.kinds
                .iter()
                .zip(&c.data)
                .map(|(k, d)| (*k == wit::CellKind::Text).then(|| c.texts[*d as usize].clone()))
                .collect()
        };
        assert_eq!(
            col(&whole, "units[0]/u_status"),
            [Some("ok".into()), None, Some("bad".into())]
        );
        assert_eq!(
            col(&whole, "units[2]/u_status"),
            [None, None, Some("bad".into())]
        );
        // Streamed: the same cells (a row first met in the third record has none before).
        let mut s = Streamed::new(&fields);
        for r in &records {
            s.push(r);
        }
        let streamed = s.finish().unwrap();
        for name in [
            "units[0]/u_status",
            "units[1]/u_status",
            "units[2]/u_status",
        ] {
            assert_eq!(col(&streamed, name), col(&whole, name), "{name}");
        }
        assert!(streamed.columns.iter().all(|c| !c.name.ends_with("u_name")));
    }
}
