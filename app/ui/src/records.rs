//! The open ledger (台账) in memory: the records of one form, their cell texts, and the
//! filtered + sorted row list the table shows.
//!
//! [`LedgerRows`] is built once when a form is opened (one read of the store) and then kept
//! up to date record by record from what each applied command returns (`Applied::record`).
//! Each row keeps its cell texts joined in one string (choice labels, unit names, 是/否 …), so
//! the free-text filter and sorting by a text column read no record values and allocate
//! nothing per row. [`LedgerView`] caches the filtered and sorted index list and recomputes it
//! only when the records, the filter or the sort change.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use anwei_core::{FieldDef, FieldKind, FormDef, FormRecord, UnitDirectory, Value};

use anwei_store::AuditRecord;
use chrono::NaiveDate;

/// Separates the cells of a row in [`LedgerRows`]' joined row text.
const SEP: char = '\u{1f}';

/// Every [`LedgerRows`] change takes a new number from here, so that two ledgers (another
/// form opened) never share one and a cached row list can tell it is stale.
static GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, AtomicOrdering::Relaxed)
}

/// 有效 / 草稿 / 已删除.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordStatus {
    /// Saved without errors, not deleted: counts toward targets.
    Valid,
    /// Saved with errors: kept, never counted.
    Draft,
    /// Soft-deleted (can be restored).
    Deleted,
}

impl RecordStatus {
    pub const ALL: [RecordStatus; 3] = [
        RecordStatus::Valid,
        RecordStatus::Draft,
        RecordStatus::Deleted,
    ];

    pub fn of(record: &FormRecord) -> RecordStatus {
        if record.deleted {
            RecordStatus::Deleted
        } else if record.draft {
            RecordStatus::Draft
        } else {
            RecordStatus::Valid
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RecordStatus::Valid => "有效",
            RecordStatus::Draft => "草稿",
            RecordStatus::Deleted => "已删除",
        }
    }
}

/// Which records the status filter lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StatusFilter {
    /// 有效 and 草稿 (deleted records are hidden).
    #[default]
    NotDeleted,
    All,
    Only(RecordStatus),
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::NotDeleted,
        StatusFilter::All,
        StatusFilter::Only(RecordStatus::Valid),
        StatusFilter::Only(RecordStatus::Draft),
        StatusFilter::Only(RecordStatus::Deleted),
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            StatusFilter::NotDeleted => "有效和草稿",
            StatusFilter::All => "全部（含已删除）",
            StatusFilter::Only(s) => s.label_zh(),
        }
    }

    pub fn accepts(self, status: RecordStatus) -> bool {
        match self {
            StatusFilter::NotDeleted => status != RecordStatus::Deleted,
            StatusFilter::All => true,
            StatusFilter::Only(s) => s == status,
        }
    }
}

/// What a column shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    /// A top-level value field of the form (by name).
    Field(String),
    /// 状态: 有效 / 草稿 / 已删除.
    Status,
    /// 修改时间.
    Updated,
}

/// One column of the ledger table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerColumn {
    pub title: String,
    pub kind: ColumnKind,
}

/// The ledger's filters. Town and unit compare the shown text of the form's town-ref and
/// unit-ref field; the date range applies to the form's first date field (both ends
/// included); `text` is matched (ASCII case ignored) against every shown column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerFilter {
    pub town: Option<String>,
    pub unit: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status: StatusFilter,
    pub text: String,
}

impl LedgerFilter {
    pub fn is_empty(&self) -> bool {
        *self == LedgerFilter::default()
    }
}

/// The sort: by a column (index into [`LedgerRows::columns`]) or, with `None`, in the order
/// the records were entered.
///
/// Numbers sort as numbers, everything else by its shown text; cells without a value come
/// last in both directions, and equal cells keep the entry order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerSort {
    pub column: Option<usize>,
    pub descending: bool,
}

/// A sort key of one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key<'a> {
    Num(f64),
    Text(&'a str),
}

impl Key<'_> {
    fn cmp(&self, other: &Key<'_>) -> Ordering {
        match (self, other) {
            (Key::Num(a), Key::Num(b)) => a.total_cmp(b),
            (Key::Num(_), Key::Text(_)) => Ordering::Less,
            (Key::Text(_), Key::Num(_)) => Ordering::Greater,
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
        }
    }
}

/// One row's cell texts, joined by [`SEP`] (the free-text filter searches them in one go);
/// `ends` is where each cell ends; `lower` is the ASCII-lower-cased copy when it differs (the
/// filter ignores ASCII case); `numbers` holds the values of the numeric columns (NaN: none).
#[derive(Debug, Clone)]
struct RowText {
    text: Box<str>,
    ends: Box<[u32]>,
    lower: Option<Box<str>>,
    numbers: Box<[f64]>,
}

impl RowText {
    fn new(text: String, ends: Vec<u32>, numbers: Vec<f64>) -> RowText {
        let lower = text
            .bytes()
            .any(|b| b.is_ascii_uppercase())
            .then(|| text.to_ascii_lowercase().into_boxed_str());
        RowText {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            lower,
            numbers: numbers.into_boxed_slice(),
        }
    }

    fn cell(&self, column: usize) -> &str {
        let Some(&end) = self.ends.get(column) else {
            return "";
        };
        // The separator is one byte.
        let start = match column {
            0 => 0,
            c => self.ends[c - 1] as usize + 1,
        };
        self.text.get(start..end as usize).unwrap_or("")
    }

    fn searchable(&self) -> &str {
        self.lower.as_deref().unwrap_or(&self.text)
    }
}

/// The records of one form, in entry (id) order, with their cell texts.
#[derive(Clone)]
pub struct LedgerRows {
    form: FormDef,
    columns: Vec<LedgerColumn>,
    records: Vec<Arc<FormRecord>>,
    rows: Vec<RowText>,
    by_id: HashMap<u64, usize>,
    /// Index into `form.fields` of each column's field.
    column_fields: Vec<Option<usize>>,
    /// Columns of reference fields (town, unit, enterprise).
    facet_columns: Vec<usize>,
    /// Per column, its slot in [`RowText::numbers`] (fields that may hold numbers).
    number_slots: Vec<Option<usize>>,
    numeric_columns: usize,
    /// Unit id → name (reference fields may hold unit ids).
    unit_names: HashMap<String, String>,
    /// Column of the town-ref / unit-ref field; name of the first date field.
    town_column: Option<usize>,
    unit_column: Option<usize>,
    date_field: Option<String>,
    /// Each record's value of the date field, as YYYYMMDD.
    dates: Vec<Option<u32>>,
    /// Shown values of the reference columns (town, unit, enterprise) with their counts:
    /// the filters' lists and the editor's suggestions.
    facets: HashMap<usize, BTreeMap<String, usize>>,
    generation: u64,
}

impl std::fmt::Debug for LedgerRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerRows")
            .field("form", &self.form.id)
            .field("records", &self.records.len())
            .field("generation", &self.generation)
            .finish()
    }
}

/// The columns a form's ledger shows: 状态 (first, so it stays in view), the form's top-level
/// value fields (not notes, not repeat groups), then 修改时间.
pub fn ledger_columns(form: &FormDef) -> Vec<LedgerColumn> {
    let status = LedgerColumn {
        title: "状态".to_owned(),
        kind: ColumnKind::Status,
    };
    let updated = LedgerColumn {
        title: "修改时间".to_owned(),
        kind: ColumnKind::Updated,
    };
    std::iter::once(status)
        .chain(
            form.fields
                .iter()
                .filter(|f| f.kind.holds_value())
                .map(|f| LedgerColumn {
                    title: f.display_label().to_owned(),
                    kind: ColumnKind::Field(f.name.clone()),
                }),
        )
        .chain([updated])
        .collect()
}

/// "2020-09-01T10:15:00+08:00" → "2020-09-01 10:15".
pub fn short_time(rfc3339: &str) -> String {
    let mut s: String = rfc3339.chars().take(16).collect();
    if s.len() > 10 {
        s = s.replacen('T', " ", 1);
    }
    s
}

/// A value as the ledger shows it: choice labels, 是/否, unit names for unit ids; on one
/// line.
pub fn display_value(
    field: &FieldDef,
    value: &Value,
    unit_names: &HashMap<String, String>,
) -> String {
    let mut out = String::new();
    push_value(&mut out, field, value, unit_names);
    out
}

/// Appends `s` on one line (line breaks and the cell separator become spaces).
fn push_clean(out: &mut String, s: &str) {
    if s.contains(['\n', '\r', SEP]) {
        out.push_str(&s.replace(['\n', '\r', SEP], " "));
    } else {
        out.push_str(s);
    }
}

/// [`display_value`] appended to `out` (no allocation for texts, choices and flags).
fn push_value(
    out: &mut String,
    field: &FieldDef,
    value: &Value,
    unit_names: &HashMap<String, String>,
) {
    match (&field.kind, value) {
        (FieldKind::UnitRef | FieldKind::TownRef | FieldKind::EnterpriseRef, Value::Text(t)) => {
            push_clean(out, unit_names.get(t).map_or(t.as_str(), String::as_str));
        }
        (_, Value::Text(t) | Value::Date(t)) => push_clean(out, t),
        (_, Value::Choices(names)) => {
            for (k, n) in names.iter().enumerate() {
                if k > 0 {
                    out.push('、');
                }
                push_clean(
                    out,
                    field.choice(n).map_or(n.as_str(), |c| c.label.as_str()),
                );
            }
        }
        (_, Value::Flag(b)) => out.push_str(if *b { "是" } else { "否" }),
        (_, Value::Integer(_) | Value::Decimal(_)) => out.push_str(&field.display_value(value)),
    }
}

/// An ISO date `YYYY-MM-DD` as the number YYYYMMDD (ordered like the dates).
fn iso_day(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut n = 0u32;
    for (i, c) in b.iter().enumerate() {
        if i == 4 || i == 7 {
            continue;
        }
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

fn day_number(d: NaiveDate) -> u32 {
    iso_day(&d.format("%Y-%m-%d").to_string()).unwrap_or(0)
}

/// The first 16 bytes of a text as a number ordered like the texts (ties need the rest).
fn text_prefix(s: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = s.len().min(16);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(b)
}

/// An `f64` as a number ordered like [`f64::total_cmp`].
fn number_order(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

impl LedgerRows {
    /// The ledger of `form` over `records` (any order; kept in id order). `directory` names
    /// the units that reference fields hold by id.
    pub fn new(form: FormDef, records: Vec<FormRecord>, directory: &UnitDirectory) -> LedgerRows {
        let mut records = records;
        records.sort_by_key(|r| r.id);
        records.dedup_by_key(|r| r.id);
        let mut ledger = LedgerRows {
            columns: ledger_columns(&form),
            form,
            column_fields: Vec::new(),
            facet_columns: Vec::new(),
            number_slots: Vec::new(),
            numeric_columns: 0,
            records: records.into_iter().map(Arc::new).collect(),
            rows: Vec::new(),
            dates: Vec::new(),
            by_id: HashMap::new(),
            unit_names: directory
                .units()
                .iter()
                .map(|u| (u.id.clone(), u.name.clone()))
                .collect(),
            town_column: None,
            unit_column: None,
            date_field: None,
            facets: HashMap::new(),
            generation: next_generation(),
        };
        ledger.index_columns();
        ledger.rebuild();
        ledger
    }

    /// Which field each column shows, and the columns the filters use.
    fn index_columns(&mut self) {
        self.column_fields = self
            .columns
            .iter()
            .map(|c| match &c.kind {
                ColumnKind::Field(name) => self.form.fields.iter().position(|f| &f.name == name),
                _ => None,
            })
            .collect();
        let column_of = |pred: &dyn Fn(&FieldKind) -> bool| {
            self.column_fields
                .iter()
                .position(|f| f.is_some_and(|i| pred(&self.form.fields[i].kind)))
        };
        self.town_column = column_of(&|k| *k == FieldKind::TownRef);
        self.unit_column = column_of(&|k| *k == FieldKind::UnitRef);
        self.facet_columns = self
            .column_fields
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.is_some_and(|i| {
                    matches!(
                        self.form.fields[i].kind,
                        FieldKind::TownRef | FieldKind::UnitRef | FieldKind::EnterpriseRef
                    )
                })
            })
            .map(|(c, _)| c)
            .collect();
        let mut slots = 0;
        self.number_slots = self
            .column_fields
            .iter()
            .map(|f| {
                let numeric = f.is_some_and(|i| {
                    matches!(
                        self.form.fields[i].kind,
                        FieldKind::Integer | FieldKind::Decimal | FieldKind::Calculate
                    )
                });
                numeric.then(|| {
                    slots += 1;
                    slots - 1
                })
            })
            .collect();
        self.numeric_columns = slots;
        self.date_field = self
            .form
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Date)
            .map(|f| f.name.clone());
    }

    /// Recomputes every row's texts (after the unit directory or the form changed).
    fn rebuild(&mut self) {
        self.facets.clear();
        let rows: Vec<RowText> = self.records.iter().map(|r| self.row_text(r)).collect();
        self.rows = rows;
        self.dates = self.records.iter().map(|r| self.date_of(r)).collect();
        self.by_id = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        for i in 0..self.records.len() {
            self.count_facets(i, 1);
        }
        self.generation = next_generation();
    }

    /// Takes the unit names of a (changed) directory; rows are recomputed.
    pub fn set_units(&mut self, directory: &UnitDirectory) {
        self.unit_names = directory
            .units()
            .iter()
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect();
        self.rebuild();
    }

    /// Takes a new definition of the form (a plugin upgrade); rows are recomputed.
    pub fn set_form(&mut self, form: FormDef) {
        if form != self.form {
            self.columns = ledger_columns(&form);
            self.form = form;
            self.index_columns();
            self.rebuild();
        }
    }

    fn row_text(&self, record: &FormRecord) -> RowText {
        let mut text = String::with_capacity(256);
        let mut ends = Vec::with_capacity(self.columns.len());
        let mut numbers = vec![f64::NAN; self.numeric_columns];
        for (c, column) in self.columns.iter().enumerate() {
            if c > 0 {
                text.push(SEP);
            }
            match &column.kind {
                ColumnKind::Field(name) => {
                    if let (Some(Some(i)), Some(v)) =
                        (self.column_fields.get(c), record.values.get(name))
                    {
                        push_value(&mut text, &self.form.fields[*i], v, &self.unit_names);
                        if let Some(Some(slot)) = self.number_slots.get(c) {
                            numbers[*slot] = match v {
                                Value::Integer(n) => *n as f64,
                                Value::Decimal(d) => *d,
                                _ => f64::NAN,
                            };
                        }
                    }
                }
                ColumnKind::Status => text.push_str(RecordStatus::of(record).label_zh()),
                ColumnKind::Updated => text.push_str(&short_time(&record.updated_at)),
            }
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        RowText::new(text, ends, numbers)
    }

    fn count_facets(&mut self, row: usize, delta: isize) {
        let Some(text) = self.rows.get(row) else {
            return;
        };
        for &col in &self.facet_columns {
            let cell = text.cell(col);
            if cell.is_empty() {
                continue;
            }
            let counts = self.facets.entry(col).or_default();
            if delta > 0 {
                match counts.get_mut(cell) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(cell.to_owned(), 1);
                    }
                }
            } else if let Some(n) = counts.get_mut(cell) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    counts.remove(cell);
                }
            }
        }
    }

    /// Adds a new record or replaces the stored one with the same id (from `Applied::record`).
    pub fn upsert(&mut self, record: FormRecord) {
        if record.form != self.form.id {
            return;
        }
        match self.by_id.get(&record.id).copied() {
            Some(i) => {
                self.count_facets(i, -1);
                self.rows[i] = self.row_text(&record);
                self.dates[i] = self.date_of(&record);
                self.records[i] = Arc::new(record);
                self.count_facets(i, 1);
            }
            None => {
                let at = self.records.partition_point(|r| r.id < record.id);
                let text = self.row_text(&record);
                self.dates.insert(at, self.date_of(&record));
                self.records.insert(at, Arc::new(record));
                self.rows.insert(at, text);
                if at + 1 == self.records.len() {
                    self.by_id.insert(self.records[at].id, at);
                } else {
                    self.by_id = self
                        .records
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (r.id, i))
                        .collect();
                }
                self.count_facets(at, 1);
            }
        }
        self.generation = next_generation();
    }

    pub fn form(&self) -> &FormDef {
        &self.form
    }

    pub fn columns(&self) -> &[LedgerColumn] {
        &self.columns
    }

    /// The records, in id order.
    pub fn records(&self) -> &[Arc<FormRecord>] {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn record(&self, id: u64) -> Option<&FormRecord> {
        self.by_id.get(&id).map(|&i| self.records[i].as_ref())
    }

    /// Index of a record id in [`Self::records`].
    pub fn index_of(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The text shown in a cell.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows.get(row).map_or("", |r| r.cell(column))
    }

    /// Changes with every change of the records; a cached row list holding another is stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Records that count toward targets (not drafts, not deleted).
    pub fn counted(&self) -> usize {
        self.records.iter().filter(|r| r.counts()).count()
    }

    /// The column of the form's town-ref field.
    pub fn town_column(&self) -> Option<usize> {
        self.town_column
    }

    pub fn unit_column(&self) -> Option<usize> {
        self.unit_column
    }

    /// Name of the form's first date field (the date-range filter's field).
    pub fn date_field(&self) -> Option<&str> {
        self.date_field.as_deref()
    }

    /// The shown values of a reference column (town, unit, enterprise), sorted.
    pub fn distinct(&self, column: usize) -> Vec<String> {
        self.facets
            .get(&column)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The shown values of every field of `kind` (the editor's suggestions).
    pub fn distinct_of_kind(&self, kind: &FieldKind) -> Vec<String> {
        let mut out = BTreeSet::new();
        for (c, field) in self.column_fields.iter().enumerate() {
            if field.is_some_and(|i| &self.form.fields[i].kind == kind)
                && let Some(m) = self.facets.get(&c)
            {
                out.extend(m.keys().cloned());
            }
        }
        out.into_iter().collect()
    }

    fn date_of(&self, record: &FormRecord) -> Option<u32> {
        let name = self.date_field.as_deref()?;
        match record.values.get(name)? {
            Value::Date(d) => iso_day(d),
            _ => None,
        }
    }

    fn key(&self, row: usize, column: usize) -> Option<Key<'_>> {
        let text = &self.rows[row];
        if let Some(Some(slot)) = self.number_slots.get(column)
            && let Some(x) = text.numbers.get(*slot).filter(|x| !x.is_nan())
        {
            return Some(Key::Num(*x));
        }
        let cell = text.cell(column);
        (!cell.is_empty()).then_some(Key::Text(cell))
    }

    /// Indices into [`Self::records`] of the rows `filter` lets through, in `sort` order.
    pub fn filter_sort(&self, filter: &LedgerFilter, sort: LedgerSort) -> Vec<usize> {
        let needle = filter.text.trim().to_ascii_lowercase();
        let from = filter.from.map(day_number);
        let to = filter.to.map(day_number);
        let town = filter.town.as_deref().zip(self.town_column);
        let unit = filter.unit.as_deref().zip(self.unit_column);
        let mut out: Vec<usize> = (0..self.records.len())
            .filter(|&i| {
                let r = &self.records[i];
                if !filter.status.accepts(RecordStatus::of(r)) {
                    return false;
                }
                let row = &self.rows[i];
                if let Some((t, col)) = town
                    && row.cell(col) != t
                {
                    return false;
                }
                if let Some((u, col)) = unit
                    && row.cell(col) != u
                {
                    return false;
                }
                if from.is_some() || to.is_some() {
                    let Some(d) = self.dates[i] else {
                        return false;
                    };
                    if from.is_some_and(|f| d < f) || to.is_some_and(|t| d > t) {
                        return false;
                    }
                }
                needle.is_empty() || row.searchable().contains(needle.as_str())
            })
            .collect();
        if let Some(col) = sort.column.filter(|c| *c < self.columns.len()) {
            out = self.sorted(&out, col, sort.descending);
        } else if sort.descending {
            out.reverse();
        }
        out
    }

    /// `rows` ordered by `column` (see [`LedgerSort`]): each row's key becomes a class
    /// (numbers, texts, empty) and a 128-bit number (a number's bits, a text's first 16
    /// bytes), sorted as integers; only texts that tie on their first 16 bytes are then
    /// compared as a whole.
    fn sorted(&self, rows: &[usize], column: usize, descending: bool) -> Vec<usize> {
        if u32::try_from(self.records.len()).is_err() {
            return self.sorted_slowly(rows, column, descending);
        }
        // Numbers before texts (after them when descending); empty cells last either way.
        let (num_class, text_class) = if descending { (1u8, 0u8) } else { (0, 1) };
        let mut keyed: Vec<(u8, u128, u32)> = rows
            .iter()
            .map(|&i| {
                let (class, key) = match self.key(i, column) {
                    Some(Key::Num(x)) => (num_class, u128::from(number_order(x))),
                    Some(Key::Text(t)) => (text_class, text_prefix(t)),
                    None => (2, 0),
                };
                let key = if descending && class != 2 { !key } else { key };
                (class, key, i as u32)
            })
            .collect();
        keyed.sort_unstable();
        let mut start = 0;
        while start < keyed.len() {
            let (class, key, _) = keyed[start];
            let end = start
                + keyed[start..]
                    .iter()
                    .take_while(|k| k.0 == class && k.1 == key)
                    .count();
            if end - start > 1 && class == text_class {
                let run = &mut keyed[start..end];
                let cell = |k: &(u8, u128, u32)| self.rows[k.2 as usize].cell(column);
                let first = cell(&run[0]);
                if run.iter().any(|k| cell(k) != first) {
                    run.sort_by(|a, b| {
                        let by_text = if descending {
                            cell(b).cmp(cell(a))
                        } else {
                            cell(a).cmp(cell(b))
                        };
                        by_text.then(a.2.cmp(&b.2))
                    });
                }
            }
            start = end;
        }
        keyed.into_iter().map(|k| k.2 as usize).collect()
    }

    /// [`Self::sorted`] for ledgers too large to number rows in 32 bits.
    fn sorted_slowly(&self, rows: &[usize], column: usize, descending: bool) -> Vec<usize> {
        let mut keyed: Vec<(Option<Key<'_>>, usize)> =
            rows.iter().map(|&i| (self.key(i, column), i)).collect();
        keyed.sort_by(|(a, ia), (b, ib)| {
            let by_key = match (a, b) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) if descending => y.cmp(x),
                (Some(x), Some(y)) => x.cmp(y),
            };
            by_key.then(ia.cmp(ib))
        });
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}

/// The cached row list of a ledger table.
#[derive(Debug, Clone, Default)]
pub struct LedgerView {
    key: Option<(u64, LedgerFilter, LedgerSort)>,
    indices: Vec<usize>,
    recomputed: u64,
}

impl LedgerView {
    /// Brings the list up to date; recomputes only when the records, the filter or the sort
    /// changed. Returns whether it recomputed.
    pub fn refresh(&mut self, rows: &LedgerRows, filter: &LedgerFilter, sort: LedgerSort) -> bool {
        let fresh = self
            .key
            .as_ref()
            .is_some_and(|(g, f, s)| *g == rows.generation() && f == filter && *s == sort);
        if fresh {
            return false;
        }
        self.indices = rows.filter_sort(filter, sort);
        self.key = Some((rows.generation(), filter.clone(), sort));
        self.recomputed += 1;
        true
    }

    /// Indices into [`LedgerRows::records`] of the rows shown, in order.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }

    /// How many times the list was recomputed (tests and benches check the cache works).
    pub fn recompute_count(&self) -> u64 {
        self.recomputed
    }

    /// Forgets the list (another form was opened).
    pub fn clear(&mut self) {
        self.key = None;
        self.indices.clear();
    }
}

/// One changed field of a record revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One revision of a record from the audit trail: who, when, what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub at: String,
    pub actor: String,
    pub summary: String,
    pub changes: Vec<FieldChange>,
}

fn record_of(v: Option<&serde_json::Value>) -> Option<FormRecord> {
    v.and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The label of a value path (`name`, or `group[2]/name` as "组 第3行 名称").
fn path_label(form: &FormDef, path: &str) -> String {
    match form.field(path) {
        Some(f) if !path.contains('/') => f.display_label().to_owned(),
        Some(f) => {
            let group = path.split('[').next().unwrap_or(path);
            let row = path
                .split_once('[')
                .and_then(|(_, rest)| rest.split_once(']'))
                .and_then(|(i, _)| i.parse::<usize>().ok())
                .map_or(String::new(), |i| format!("第{}行", i + 1));
            let group = form.field(group).map_or(group, FieldDef::display_label);
            format!("{group}{row}{}", f.display_label())
        }
        None => path.to_owned(),
    }
}

/// What one audit record of a ledger record changed (field by field, old → new, as shown).
pub fn revision(form: &FormDef, audit: &AuditRecord, directory: &UnitDirectory) -> Revision {
    let names: HashMap<String, String> = directory
        .units()
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let before = record_of(audit.before.as_ref());
    let after = record_of(audit.after.as_ref());
    let show = |path: &str, v: Option<&Value>| match v {
        None => "（空）".to_owned(),
        Some(v) => match form.field(path) {
            Some(f) => display_value(f, v, &names),
            None => FieldDef::default().display_value(v),
        },
    };
    let mut changes = Vec::new();
    let empty = BTreeMap::new();
    let old_values = before.as_ref().map_or(&empty, |r| &r.values);
    let new_values = after.as_ref().map_or(&empty, |r| &r.values);
    let keys: BTreeSet<&String> = old_values.keys().chain(new_values.keys()).collect();
    // Fields in form order, then any the form no longer has.
    let order: HashMap<&str, usize> = form
        .all_fields()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let mut keys: Vec<&String> = keys.into_iter().collect();
    keys.sort_by_key(|k| {
        let leaf = k.rsplit('/').next().unwrap_or(k);
        (order.get(leaf).copied().unwrap_or(usize::MAX), (*k).clone())
    });
    if before.is_some() {
        for k in keys {
            let (a, b) = (old_values.get(k), new_values.get(k));
            if a != b {
                changes.push(FieldChange {
                    field: path_label(form, k),
                    before: show(k, a),
                    after: show(k, b),
                });
            }
        }
    }
    if let (Some(a), Some(b)) = (&before, &after) {
        let (sa, sb) = (RecordStatus::of(a), RecordStatus::of(b));
        if sa != sb {
            changes.push(FieldChange {
                field: "状态".to_owned(),
                before: sa.label_zh().to_owned(),
                after: sb.label_zh().to_owned(),
            });
        }
    }
    Revision {
        at: short_time(&audit.at),
        actor: audit.actor.clone(),
        summary: audit.summary.clone(),
        changes,
    }
}
