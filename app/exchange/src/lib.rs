//! Import and export for Anwei Desk: the bundled demo campaign, the cell-per-line
//! task-division table import (the layout Word tables take when copied as text, as in the
//! reform 任务分工方案), and the desk's tables as Excel workbooks ([`tables`] makes them from
//! the rows the desk shows, [`xlsx`] writes them in the office's print layout). Pure
//! functions over data; only [`xlsx::save`] writes a file (atomically).

pub mod activity;
pub mod celltable;
pub mod demo;
pub mod tables;
pub mod xlsx;

pub use activity::{DEMO_COAL_FORM, DEMO_REPORT_ID, demo_activity};
pub use celltable::{CellTable, CellTableError, TableRow, parse_cell_table};
pub use demo::{
    DEMO_CAMPAIGN_JSON, DEMO_REFORM_TABLE, DemoError, REFORM_CAMPAIGN_ID, demo_campaign,
    demo_campaigns, demo_reform_campaign, load_campaign_json, wave1_demo,
};
