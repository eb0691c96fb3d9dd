//! Import and export for Anwei Desk: the bundled demo campaign and the cell-per-line
//! task-division table import (the layout Word tables take when copied as text, as in the
//! reform 任务分工方案). Pure functions over text; the callers read and write files.

pub mod activity;
pub mod celltable;
pub mod demo;

pub use activity::{DEMO_COAL_FORM, DEMO_REPORT_ID, demo_activity};
pub use celltable::{CellTable, CellTableError, TableRow, parse_cell_table};
pub use demo::{
    DEMO_CAMPAIGN_JSON, DEMO_REFORM_TABLE, DemoError, REFORM_CAMPAIGN_ID, demo_campaign,
    demo_campaigns, demo_reform_campaign, load_campaign_json, wave1_demo,
};
