//! Ledger records against plugin forms: the forms the enabled plugins contribute, and the
//! full check of a record (the core's rules, then the plugin's own validation).

use std::collections::BTreeMap;

use anwei_core::Value;
use anwei_core::form::{FieldIssue, FormDef, Severity, validate};
use anwei_plugin_host::{PluginError, PluginHost, wit};
use chrono::NaiveDate;

/// The forms of the enabled plugins, as core definitions (`SECTOR/FORM` ids), in plugin
/// order. A form that cannot be converted is reported, not dropped silently.
pub fn forms(host: &PluginHost) -> (Vec<FormDef>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for info in host.list().into_iter().filter(|i| i.enabled) {
        let Ok(d) = host.describe(&info.sector_id) else {
            continue;
        };
        for f in &d.forms {
            match anwei_plugin_host::convert::form_def(&info.sector_id, &info.version, f) {
                Ok(def) => out.push(def),
                Err(e) => errors.push(format!("“{}”的表单“{}”无法使用：{e}", info.name, f.title)),
            }
        }
    }
    (out, errors)
}

/// The plugin's issues as core issues (info is shown like a warning: seen, not blocking).
pub fn plugin_issues(issues: Vec<wit::Issue>) -> Vec<FieldIssue> {
    issues
        .into_iter()
        .map(|i| FieldIssue {
            field: i.field,
            severity: match i.severity {
                wit::Severity::Error => Severity::Error,
                _ => Severity::Warning,
            },
            message: i.message,
        })
        .collect()
}

/// The plugin's own issues with a record of `form` (`SECTOR/FORM`); values as the record
/// holds them (calculated fields included). ≤ 200 ms; the window calls it on a worker.
pub fn plugin_check(
    host: &PluginHost,
    form: &str,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Result<Vec<FieldIssue>, PluginError> {
    let (sector, form_id) = form.split_once('/').unwrap_or((form, ""));
    let record = wit::FormRecord {
        id: String::new(),
        fields: values
            .iter()
            .map(|(name, v)| wit::FieldValue {
                name: name.clone(),
                value: crate::targets::wit_value(v),
            })
            .collect(),
    };
    let issues = host.validate(
        sector,
        form_id,
        &record,
        &today.format("%Y-%m-%d").to_string(),
    )?;
    Ok(plugin_issues(issues))
}

/// Every issue of a record: the core's (required, types, choices, constraints…) and the
/// plugin's rules. A plugin fault is returned as the error (the record is not judged valid).
pub fn check_record(
    host: &PluginHost,
    form: &FormDef,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Result<Vec<FieldIssue>, PluginError> {
    let mut issues = validate(form, values, today);
    issues.extend(plugin_check(host, &form.id, values, today)?);
    Ok(issues)
}

/// Whether the issues make the record a draft.
pub fn has_errors(issues: &[FieldIssue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}
