//! Ledger records against plugin forms: the forms the enabled plugins contribute, and the
//! full check of a record (the core's rules, then the plugin's own validation).

use std::collections::BTreeMap;

use anwei_core::form::{FieldIssue, FormDef, Severity, validate};
use anwei_core::{FormRecord, Value, limits};
use anwei_plugin_host::{PluginError, PluginHost};
use chrono::NaiveDate;

/// A form of an enabled plugin, with the plugin it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginForm {
    pub sector: String,
    /// The plugin's name, as the desk shows it.
    pub sector_name: String,
    pub form: FormDef,
}

/// The forms of the enabled plugins, as core definitions (`SECTOR/FORM` ids), in plugin
/// order, with their plugins. A form that cannot be converted is reported, not dropped
/// silently.
pub fn plugin_forms(host: &PluginHost) -> (Vec<PluginForm>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for info in host.list().into_iter().filter(|i| i.enabled) {
        let Ok(d) = host.describe(&info.sector_id) else {
            continue;
        };
        for f in &d.forms {
            match anwei_plugin_host::convert::form_def(&info.sector_id, &info.version, f) {
                Ok(form) => out.push(PluginForm {
                    sector: info.sector_id.clone(),
                    sector_name: info.name.clone(),
                    form,
                }),
                Err(e) => errors.push(format!(
                    "插件“{}”的表单“{}”无法使用：{e}",
                    info.name, f.title
                )),
            }
        }
    }
    (out, errors)
}

/// The forms of the enabled plugins ([`plugin_forms`] without the plugins).
pub fn forms(host: &PluginHost) -> (Vec<FormDef>, Vec<String>) {
    let (forms, errors) = plugin_forms(host);
    (forms.into_iter().map(|f| f.form).collect(), errors)
}

/// The size limits a record's values break ([`anwei_core::limits`]), as errors at their
/// fields (fields named by `label`).
fn limit_issues(
    values: &BTreeMap<String, Value>,
    label: impl Fn(&str) -> String,
) -> Vec<FieldIssue> {
    limits::record_limit_issues(values, label)
        .into_iter()
        .map(|e| FieldIssue {
            field: e.field.clone().unwrap_or_default(),
            severity: Severity::Error,
            message: e.to_string(),
        })
        .collect()
}

/// The plugin's own issues with a record of `form` (`SECTOR/FORM`); values as the record
/// holds them (calculated fields included). ≤ 200 ms; the window calls it on a worker.
/// Values over the size limits are not passed to the plugin at all: the limits' issues are
/// returned instead (an oversized input is the user's, never a fault of the plugin).
pub fn plugin_check(
    host: &PluginHost,
    form: &str,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Result<Vec<FieldIssue>, PluginError> {
    let over = limit_issues(values, str::to_owned);
    if !over.is_empty() {
        return Ok(over);
    }
    let (sector, form_id, record) = unsaved(form, values);
    host.validate(
        sector,
        form_id,
        &record,
        &today.format("%Y-%m-%d").to_string(),
    )
}

/// The sector and form of `form` (`SECTOR/FORM`) and `values` as a record not stored yet
/// (id 0): the plugin sees the values only.
fn unsaved<'f>(form: &'f str, values: &BTreeMap<String, Value>) -> (&'f str, &'f str, FormRecord) {
    let (sector, form_id) = form.split_once('/').unwrap_or((form, ""));
    let record = FormRecord {
        id: 0,
        form: form.to_owned(),
        form_version: String::new(),
        values: values.clone(),
        draft: false,
        deleted: false,
        author: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 0,
    };
    (sector, form_id, record)
}

/// The plugin's rule results (classifications) for the values of one record of `form`
/// (`SECTOR/FORM`) on `today`: what the sector's rules conclude of it ("重点企业", "超期贮存").
/// ≤ 200 ms; the window calls it on a worker. Values over the size limits are not passed to
/// the plugin (no results then: the limits' issues say why).
pub fn plugin_classify(
    host: &PluginHost,
    form: &str,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Result<Vec<anwei_core::Classification>, PluginError> {
    if !limit_issues(values, str::to_owned).is_empty() {
        return Ok(Vec::new());
    }
    let (sector, form_id, record) = unsaved(form, values);
    host.classify(
        sector,
        form_id,
        &record,
        &today.format("%Y-%m-%d").to_string(),
    )
}

/// Every issue of a record: the core's (required, types, choices, constraints…) and the
/// plugin's rules. A plugin fault is returned as the error (the record is not judged valid).
/// A record over the size limits ([`anwei_core::limits`]) is refused with the core's issues
/// (which name the field and the limit) before the plugin is called.
pub fn check_record(
    host: &PluginHost,
    form: &FormDef,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Result<Vec<FieldIssue>, PluginError> {
    let mut issues = validate(form, values, today);
    if limits::check_record_values(values).is_err() {
        if !has_errors(&issues) {
            // The core's check always reports the limits; this keeps the refusal even if
            // it did not.
            issues.extend(limit_issues(values, str::to_owned));
        }
        return Ok(issues);
    }
    issues.extend(plugin_check(host, &form.id, values, today)?);
    Ok(issues)
}

/// Whether the issues make the record a draft.
pub fn has_errors(issues: &[FieldIssue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}
