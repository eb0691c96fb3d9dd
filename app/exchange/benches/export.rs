//! A 台账 of 100 000 records exported to Excel, as `anwei export records` does it: each record's
//! row (choices by label, units by name, numbers and dates typed), the workbook's bytes, the
//! file written. Target (issue 17): ≤ 3 s for the whole export.
//!
//! `cargo bench -p anwei-exchange --bench export` (release). Prints p50 / max in ms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anwei_core::form::{FieldDef, FieldKind as K, FormDef};
use anwei_core::{FormRecord, Unit, UnitDirectory, UnitKind, Value};
use anwei_exchange::tables::RecordColumns;
use anwei_exchange::xlsx;
use chrono::NaiveDate;

const RECORDS: u64 = 100_000;
const RUNS: usize = 5;

/// A form shaped like the 煤矿台账: 28 fields of every kind.
fn form() -> FormDef {
    let choice = |n: &str, l: &str| {
        FieldDef::new(n, K::SelectOne, l).choices(&[
            ("a", "甲类"),
            ("b", "乙类"),
            ("c", "丙类"),
            ("d", "丁类"),
        ])
    };
    let mut fields = vec![
        FieldDef::new("name", K::Text, "煤矿名称"),
        FieldDef::new("town", K::TownRef, "所在镇(街道)"),
        FieldDef::new("enterprise", K::EnterpriseRef, "所属企业"),
    ];
    for i in 0..8 {
        fields.push(choice(&format!("c{i}"), &format!("分类{i}")));
    }
    for i in 0..6 {
        fields.push(FieldDef::new(
            &format!("n{i}"),
            K::Decimal,
            &format!("数值{i}"),
        ));
    }
    for i in 0..6 {
        fields.push(FieldDef::new(
            &format!("f{i}"),
            K::YesNo,
            &format!("是否{i}"),
        ));
    }
    for i in 0..3 {
        fields.push(FieldDef::new(
            &format!("d{i}"),
            K::Date,
            &format!("日期{i}"),
        ));
    }
    fields.push(FieldDef::new("remarks", K::Text, "备注"));
    FormDef {
        id: "coal-mining/mine-register".into(),
        title: "煤矿台账".into(),
        version: "1.0.0".into(),
        fields,
    }
}

fn record(n: u64) -> FormRecord {
    let mut v = BTreeMap::new();
    v.insert("name".into(), Value::Text(format!("麒麟测试煤矿{n}")));
    v.insert("town".into(), Value::Text(format!("t{}", n % 12)));
    v.insert(
        "enterprise".into(),
        Value::Text(format!("云南某某能源有限公司{}", n % 300)),
    );
    for i in 0..8 {
        let c = ["a", "b", "c", "d"][((n + i) % 4) as usize];
        v.insert(format!("c{i}"), Value::Choices(vec![c.into()]));
    }
    for i in 0..6 {
        v.insert(
            format!("n{i}"),
            Value::Decimal((n % 1000) as f64 * 0.5 + i as f64),
        );
    }
    for i in 0..6 {
        v.insert(format!("f{i}"), Value::Flag((n + i).is_multiple_of(2)));
    }
    for i in 0..3 {
        v.insert(
            format!("d{i}"),
            Value::Date(format!("2021-0{}-1{}", i + 1, n % 10)),
        );
    }
    if n.is_multiple_of(3) {
        v.insert(
            "remarks".into(),
            Value::Text("已列入整治计划，按期推进".repeat(2)),
        );
    }
    let mut r = FormRecord::new(n, "coal-mining/mine-register", "1.0.0", v);
    r.author = "区能源局".into();
    r.updated_at = "2021-06-30T10:00:00Z".into();
    r
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<44} p50 {:>9.1} ms   max {:>9.1} ms",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}

fn main() {
    let units = UnitDirectory::new(
        (0..12)
            .map(|i| Unit {
                id: format!("t{i}"),
                name: format!("第{i}镇"),
                aliases: Vec::new(),
                kind: UnitKind::Local,
                alias_sources: Vec::new(),
            })
            .collect(),
    )
    .unwrap();
    let form = form();
    let records: Vec<FormRecord> = (1..=RECORDS).map(record).collect();
    let columns = RecordColumns::of(&form);
    let today = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("煤矿台账.xlsx");
    let (mut rows_t, mut book_t, mut save_t, mut whole_t) = (vec![], vec![], vec![], vec![]);
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let rows: Vec<_> = records.iter().map(|r| columns.row(r, &units)).collect();
        let row_time = start.elapsed();
        rows_t.push(row_time);
        let table = columns.table("麒麟区煤矿台账", rows, today);
        let t = Instant::now();
        let bytes = xlsx::workbook(std::slice::from_ref(&table)).unwrap();
        book_t.push(t.elapsed());
        size = bytes.len();
        let t = Instant::now();
        xlsx::save(&path, std::slice::from_ref(&table)).unwrap();
        let save_time = t.elapsed();
        save_t.push(save_time);
        // The export as the CLI runs it: the rows, then the workbook written to its file.
        whole_t.push(row_time + save_time);
    }
    println!(
        "{RECORDS} records × {} columns, file {:.1} MB",
        form.fields.len() + 4,
        size as f64 / 1e6
    );
    report("rows from the records", &mut rows_t);
    report("workbook bytes (rust_xlsxwriter)", &mut book_t);
    report("workbook written to its file (atomic)", &mut save_t);
    report("whole export (rows + file)", &mut whole_t);
}
