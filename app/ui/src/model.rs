//! The read-only snapshot the panels draw from.
//!
//! Built once from the store; afterwards refreshed incrementally by [`crate::DeskApp`] after
//! each applied command (one task's summary and row, the rows naming a unit, …). Panels never
//! read the store.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anwei_core::{
    Campaign, FormRecord, LatestProgress, Plan, ProgressEntry, RowContext, Status, StatusSummary,
    Target, Task, TaskRow, Unit, UnitDirectory,
};
use anwei_session::targets::{Computed, TargetRow, evaluate_targets};
use anwei_store::{AuditRecord, Settings, Store, StoreError};
use chrono::{Datelike, NaiveDate};

use crate::records::{LedgerRows, Revision};

/// Counts of one plan's tasks per status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanStats {
    /// Tasks that apply (those marked 不适用 are not among them).
    pub tasks: usize,
    /// In [`Status::ALL`] order.
    pub by_status: [usize; 5],
    /// Tasks marked 不适用: shown beside the totals, counted in none.
    pub not_applicable: usize,
}

impl PlanStats {
    pub fn count(&self, status: Status) -> usize {
        Status::ALL
            .iter()
            .position(|s| *s == status)
            .map_or(0, |i| self.by_status[i])
    }
}

/// The open task's progress log (read when the task is opened and after it changes).
#[derive(Debug, Clone, Default)]
pub struct TaskDetailData {
    pub task: String,
    /// Oldest first, as the store returns them.
    pub entries: Vec<ProgressEntry>,
    /// Audit records per entry id (newest first), loaded when "修改记录" is first opened.
    pub history: BTreeMap<u64, Vec<AuditRecord>>,
}

/// Everything the panels show.
#[derive(Debug, Clone)]
pub struct DeskModel {
    /// The campaign shown (the current one, see [`anwei_core::current_campaign`]).
    pub campaign: Campaign,
    /// Every campaign of the desk, the shown one among them (for switching).
    pub campaigns: Vec<Campaign>,
    /// False when the store holds no campaign (then `campaign` is a placeholder).
    pub has_campaign: bool,
    pub plans: Vec<Plan>,
    pub tasks: Vec<Task>,
    pub units: UnitDirectory,
    /// The latest progress per task as known on `today`: what the statuses are computed
    /// from and what a progress report prints.
    pub progress: HashMap<String, LatestProgress>,
    pub settings: Settings,
    /// One row per task, in document order (plan order, then task order).
    pub rows: Vec<TaskRow>,
    pub today: NaiveDate,
    /// Tasks referencing each unit id (any role).
    pub unit_task_counts: HashMap<String, usize>,
    /// Per plan id.
    pub plan_stats: HashMap<String, PlanStats>,
    /// Automatic backups, newest first.
    pub auto_backups: Vec<PathBuf>,
    pub detail: Option<TaskDetailData>,
    /// Issued 督办通知书, every year's, in number order (read at load and after each notice
    /// issued or voided).
    pub notices: Vec<anwei_core::NoticeRecord>,
    /// Targets of every sector plan, with their hand-entered values (read at load and after
    /// each entered value).
    pub targets: Vec<Target>,
    /// Target values plugins computed from the records.
    pub computed: Computed,
    /// Every target evaluated as of `today` (in `targets` order).
    pub target_rows: Vec<TargetRow>,
    /// Counts of `target_rows` by status.
    pub target_summary: StatusSummary,
    /// 今日待办: the tasks and targets past or near their dates, most urgent first (kept
    /// with the rows and the target evaluations).
    pub todos: Vec<anwei_core::today::Todo>,
    /// Every unit's submissions of reports (报送), in the order recorded.
    pub submissions: Vec<anwei_core::reports::Submission>,
    /// The supervision registers (督办事项, 通报, 约谈, accidents, 考核 deductions).
    pub registers: anwei_core::supervision::Registers,
    /// Each sector's hazard categories and 判定标准 checklist, as its plugin's imported plan
    /// states them (sectors without one are left out), by sector id.
    pub sector_hazards: BTreeMap<String, Vec<anwei_core::HazardCategory>>,
    /// The year-end 考核 sheets last computed (on the 督办 tab's asking).
    pub assessment: Option<anwei_session::assessment::Assessment>,
    /// The periods of the shown campaign's reports (its tasks' recurring duties and the
    /// office's own reports) owed by units, by due date.
    pub report_periods: Vec<anwei_core::calendar::CalendarEntry>,
    /// Each unit's standing on each of `report_periods` as of `today`.
    pub filings: Vec<anwei_core::reports::Filing>,
    /// The on-time rate per unit and period of `filings` (kept with them).
    pub on_time: Vec<anwei_core::reports::OnTime>,
    /// The periods counted in `on_time` (due by the day), by due date.
    pub rate_periods: Vec<String>,
    /// Every progress entry of the shown campaign's tasks, per task (the 看板's trend counts
    /// each month with the entries known then).
    pub entries: HashMap<String, Vec<ProgressEntry>>,
    /// Titles of the forms whose target values are not computed for `today` yet (being
    /// computed, or waiting for something to show them): a report made meanwhile says so.
    pub targets_pending: Vec<String>,
    /// Records per form (`SECTOR/FORM`, deleted ones included): read at load, counted since.
    pub record_counts: BTreeMap<String, usize>,
    /// The open ledger: the records of one form, kept in memory and updated record by record.
    pub ledger: Option<LedgerRows>,
    /// Revisions per record id (newest first), read when its 修改记录 is opened.
    pub record_history: BTreeMap<u64, Vec<Revision>>,
    /// The database's integrity could not be verified when it was opened (its state records
    /// were gone): shown over every tab until the user accepts it.
    pub unverified: Option<anwei_store::Unverified>,
    /// The window's theme and text size (set by the desk before each frame).
    pub look: (crate::prefs::Theme, crate::prefs::TextSize),
    /// The panels whose commands are being saved (set by the desk before each frame): their
    /// forms wait for the answer.
    pub saving: Vec<crate::action::Origin>,
    task_index: HashMap<String, usize>,
    row_index: HashMap<String, usize>,
    /// Bumped on every change; caches (the filtered task list) compare it.
    generation: u64,
}

fn placeholder_campaign(today: NaiveDate) -> Campaign {
    Campaign {
        id: String::new(),
        name: "（尚无专项整治活动）".to_owned(),
        region: String::new(),
        start: today,
        end: today,
        phases: Vec::new(),
        milestones: Vec::new(),
        actions: Vec::new(),
        note: String::new(),
        archived: false,
    }
}

impl DeskModel {
    /// Whether a command of the panel `from` is being saved.
    pub fn saving_from(&self, from: crate::action::Origin) -> bool {
        self.saving.contains(&from)
    }

    /// Builds a model from parts (no store needed: benches and tests use this).
    pub fn from_parts(
        campaign: Option<Campaign>,
        plans: Vec<Plan>,
        tasks: Vec<Task>,
        units: UnitDirectory,
        progress: HashMap<String, LatestProgress>,
        settings: Settings,
        today: NaiveDate,
    ) -> Self {
        let has_campaign = campaign.is_some();
        let campaign = campaign.unwrap_or_else(|| placeholder_campaign(today));
        let campaigns = if has_campaign {
            vec![campaign.clone()]
        } else {
            Vec::new()
        };
        let mut unit_task_counts: HashMap<String, usize> = HashMap::new();
        for t in &tasks {
            let distinct: HashSet<&str> = t.roles.iter().map(|r| r.unit.as_str()).collect();
            for u in distinct {
                *unit_task_counts.entry(u.to_owned()).or_default() += 1;
            }
        }
        let task_index = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        let mut model = DeskModel {
            campaign,
            campaigns,
            has_campaign,
            plans,
            tasks,
            units,
            progress,
            settings,
            rows: Vec::new(),
            today,
            unit_task_counts,
            plan_stats: HashMap::new(),
            auto_backups: Vec::new(),
            detail: None,
            notices: Vec::new(),
            targets: Vec::new(),
            computed: Computed::default(),
            target_rows: Vec::new(),
            target_summary: StatusSummary::default(),
            todos: Vec::new(),
            submissions: Vec::new(),
            registers: Default::default(),
            sector_hazards: BTreeMap::new(),
            assessment: None,
            report_periods: Vec::new(),
            filings: Vec::new(),
            on_time: Vec::new(),
            rate_periods: Vec::new(),
            entries: HashMap::new(),
            targets_pending: Vec::new(),
            record_counts: BTreeMap::new(),
            ledger: None,
            record_history: BTreeMap::new(),
            unverified: None,
            look: Default::default(),
            saving: Vec::new(),
            task_index,
            row_index: HashMap::new(),
            generation: 0,
        };
        model.refresh_reports();
        model.rebuild_rows();
        model
    }

    /// Reads everything from the store (at start-up and after a restore only).
    pub fn load(store: &Store, today: NaiveDate) -> Result<Self, StoreError> {
        // The current campaign's plans and tasks only: the others wait until one switches.
        let (campaign, plans, tasks) = match store.campaign_scope(None, today)? {
            Some(s) => (Some(s.campaign), s.plans, s.tasks),
            None => (None, Vec::new(), Vec::new()),
        };
        // The progress entries, read once: the latest per task as of the day (what the
        // statuses count), and the shown campaign's whole history (the 看板's trend).
        let mut entries: HashMap<String, Vec<ProgressEntry>> = HashMap::new();
        for e in store.all_progress()? {
            entries.entry(e.task.clone()).or_default().push(e);
        }
        let latest = entries
            .iter()
            .filter_map(|(task, es)| Some((task.clone(), LatestProgress::of(es, today)?)))
            .collect();
        let held: HashSet<&str> = tasks.iter().map(|t| t.id.as_str()).collect();
        entries.retain(|task, _| held.contains(task.as_str()));
        let mut model = DeskModel::from_parts(
            campaign,
            plans,
            tasks,
            store.unit_directory()?,
            latest,
            store.settings()?,
            today,
        );
        model.auto_backups = anwei_store::auto_backups(store.root());
        model.notices = store.notices(None)?;
        model.record_counts = store.record_counts()?;
        model.entries = entries;
        model.campaigns = store.campaigns()?;
        model.campaigns.sort_by_key(|c| std::cmp::Reverse(c.start));
        model.set_targets(store.targets()?);
        model.set_submissions(store.submissions()?);
        model.set_registers(store.supervision_registers()?);
        model.sector_hazards = store
            .sector_records()?
            .into_iter()
            .filter(|r| !r.hazards.is_empty())
            .map(|r| (r.sector, r.hazards))
            .collect();
        model.unverified = store.unverified()?;
        Ok(model)
    }

    /// Changes with every refresh; a cache holding an older value is stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Takes the place of a model of generation `previous` (read again from the store):
    /// its generation is a later one, so no cache takes it for the old.
    pub fn follow(&mut self, previous: u64) {
        self.generation = previous.wrapping_add(self.generation).wrapping_add(1);
    }

    fn bump(&mut self) {
        self.generation = self.generation.wrapping_add(1);
    }

    fn row_context(&self) -> RowContext<'_> {
        RowContext {
            campaign: &self.campaign,
            plans: &self.plans,
            units: &self.units,
            progress: &self.progress,
            rules: self.settings.rules(),
            today: self.today,
            applicability: &self.settings.not_applicable,

            deadlines: &self.settings.deadline_changes,
        }
    }

    /// Recomputes every row (rules or today changed, or a full load).
    pub fn rebuild_rows(&mut self) {
        self.rows = self.row_context().rows(&self.tasks);
        self.row_index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        self.recompute_stats();
        self.bump();
    }

    /// 今日待办 from the rows, the target evaluations and the reports as they stand.
    fn refresh_todos(&mut self) {
        let mut todos = anwei_core::today::todo_list(
            &self.rows,
            &anwei_session::targets::todo_targets(&self.target_rows),
            self.today,
        );
        let units = &self.units;
        todos.extend(anwei_core::today::report_todos(
            &self.filings,
            self.today,
            self.settings.reporting.remind_days,
            &|u| units.name_of(u).to_owned(),
        ));
        todos.extend(anwei_core::today::supervision_todos(
            &self.registers,
            &self.settings.supervision.ladder,
            self.today,
            &|u| units.name_of(u).to_owned(),
        ));
        anwei_core::today::sort_todos(&mut todos);
        self.todos = todos;
    }

    /// The 发文机关 documents are issued by and 督办 items are supervised by.
    pub fn office_name(&self) -> String {
        self.settings.issuing_office(&self.campaign)
    }

    /// After a supervision change: the rows it wrote and those it took out.
    pub fn supervision_changed(
        &mut self,
        rows: &[anwei_core::supervision::SupRow],
        removed: &[(anwei_core::supervision::SupKind, u64)],
    ) {
        for (kind, id) in removed {
            self.registers.remove(*kind, *id);
        }
        for r in rows {
            self.registers.upsert(r.clone());
        }
        self.refresh_todos();
        self.bump();
    }

    /// Replaces the supervision registers (at load, after a change to them).
    pub fn set_registers(&mut self, registers: anwei_core::supervision::Registers) {
        self.registers = registers;
        self.refresh_todos();
        self.bump();
    }

    /// Replaces the submissions (at load, after one was recorded, signed or returned).
    pub fn set_submissions(&mut self, submissions: Vec<anwei_core::reports::Submission>) {
        self.submissions = submissions;
        self.refresh_reports();
        self.refresh_todos();
        self.bump();
    }

    /// The reports' periods and each unit's standing as of `today` (campaign, office reports,
    /// submissions or the day changed).
    fn refresh_reports(&mut self) {
        if !self.has_campaign {
            self.report_periods.clear();
            self.filings.clear();
            self.on_time.clear();
            self.rate_periods.clear();
            return;
        }
        let (periods, filings) = anwei_core::reports::campaign_filings(
            &self.tasks,
            &self.settings.reporting.office_reports,
            &self.units,
            &self.campaign,
            &self.submissions,
            self.today,
        );
        self.on_time = anwei_core::reports::on_time(&filings);
        let mut counted: Vec<(NaiveDate, &str)> = filings
            .iter()
            .filter(|f| f.on_time.is_some())
            .map(|f| (f.due, f.period.as_str()))
            .collect();
        counted.sort_unstable();
        let mut seen = HashSet::new();
        self.rate_periods = counted
            .into_iter()
            .filter(|(_, p)| seen.insert(*p))
            .map(|(_, p)| p.to_owned())
            .collect();
        self.report_periods = periods;
        self.filings = filings;
    }

    /// The submission numbered `id`.
    pub fn submission(&self, id: u64) -> Option<&anwei_core::reports::Submission> {
        self.submissions.iter().find(|s| s.id == id)
    }

    fn recompute_stats(&mut self) {
        self.refresh_todos();
        let mut stats: HashMap<String, PlanStats> = HashMap::new();
        for r in &self.rows {
            let s = stats.entry(r.plan.clone()).or_default();
            if r.status == Status::NotApplicable {
                s.not_applicable += 1;
                continue;
            }
            s.tasks += 1;
            if let Some(i) = Status::ALL.iter().position(|st| *st == r.status) {
                s.by_status[i] += 1;
            }
        }
        self.plan_stats = stats;
    }

    /// Recomputes the rows of the given tasks only.
    fn refresh_rows<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        let updates: Vec<(usize, TaskRow)> = {
            let ctx = self.row_context();
            ids.into_iter()
                .filter_map(|id| {
                    let row = *self.row_index.get(id)?;
                    let task = self.tasks.get(*self.task_index.get(id)?)?;
                    Some((row, ctx.row(task)))
                })
                .collect()
        };
        for (i, row) in updates {
            if let Some(slot) = self.rows.get_mut(i) {
                *slot = row;
            }
        }
        self.recompute_stats();
        self.bump();
    }

    /// Index into [`Self::rows`] of a task id.
    pub fn row_index_of(&self, task: &str) -> Option<usize> {
        self.row_index.get(task).copied()
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.get(*self.task_index.get(id)?)
    }

    pub fn row(&self, id: &str) -> Option<&TaskRow> {
        self.rows.get(self.row_index_of(id)?)
    }

    pub fn plan(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// "附件3 推进安全生产领域改革…": the plan's code and title.
    pub fn plan_caption(plan: &Plan) -> String {
        if plan.code.is_empty() {
            plan.title.clone()
        } else {
            format!("{} {}", plan.code, plan.title)
        }
    }

    /// All phase names of the campaign and its plans, without repeats, in order.
    pub fn phase_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let all = self
            .campaign
            .phases
            .iter()
            .chain(self.plans.iter().flat_map(|p| p.phases.iter()));
        for p in all {
            if !out.contains(&p.name) {
                out.push(p.name.clone());
            }
        }
        out
    }

    /// After a progress entry of `task` was added or edited: its summary and row.
    pub fn set_progress(&mut self, task: &str, entries: Vec<ProgressEntry>) {
        match LatestProgress::of(&entries, self.today) {
            Some(latest) => self.progress.insert(task.to_owned(), latest),
            None => self.progress.remove(task),
        };
        self.entries.insert(task.to_owned(), entries.clone());
        if let Some(detail) = &mut self.detail
            && detail.task == task
        {
            detail.entries = entries;
            detail.history.clear();
        }
        self.refresh_rows([task]);
        // Targets fed by this task's progress count its entries.
        if self
            .targets
            .iter()
            .any(|t| t.progress_of.as_deref() == Some(task))
        {
            self.evaluate_targets();
        }
    }

    /// After a unit was added or changed: the directory and the rows naming it.
    /// Returns false when the directory could not be rebuilt (the caller reloads).
    pub fn upsert_unit(&mut self, unit: Unit) -> bool {
        let mut units: Vec<Unit> = self.units.units().to_vec();
        match units.iter_mut().find(|u| u.id == unit.id) {
            Some(slot) => *slot = unit.clone(),
            None => units.push(unit.clone()),
        }
        match UnitDirectory::new(units) {
            Ok(dir) => self.units = dir,
            Err(_) => return false,
        }
        self.units_changed();
        let affected: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.unit_ids.contains(&unit.id))
            .map(|r| r.id.clone())
            .collect();
        self.refresh_rows(affected.iter().map(String::as_str));
        true
    }

    /// Replaces the whole unit directory (every row is recomputed).
    pub fn set_units(&mut self, units: UnitDirectory) {
        self.units = units;
        self.units_changed();
        self.rebuild_rows();
    }

    /// Unit names show in the ledger and in per-town target rows; who owes an office report
    /// follows the names (a collective owes none).
    fn units_changed(&mut self) {
        if let Some(l) = &mut self.ledger {
            l.set_units(&self.units);
        }
        self.refresh_reports();
        self.evaluate_targets();
    }

    /// After a notice was issued or voided.
    pub fn set_notices(&mut self, notices: Vec<anwei_core::NoticeRecord>) {
        if notices != self.notices {
            self.notices = notices;
            self.bump();
        }
    }

    /// The number the next 督办通知书 of `today`'s year gets: numbers run per year without
    /// gaps, so one after the highest issued ([`anwei_store::Store::next_notice_number`]
    /// says the same of the store).
    pub fn next_notice_number(&self) -> u32 {
        let year = self.today.year();
        self.notices
            .iter()
            .filter(|n| n.year == year)
            .map(|n| n.number)
            .max()
            .map_or(1, |n| n.saturating_add(1))
    }

    /// After a settings change: statuses depend on the rules.
    pub fn set_settings(&mut self, settings: Settings) {
        let rules_changed = settings.rules() != self.settings.rules();
        let marks_changed = settings.not_applicable != self.settings.not_applicable;
        let deadlines_changed = settings.deadline_changes != self.settings.deadline_changes;
        let reporting_changed = settings.reporting != self.settings.reporting;
        self.settings = settings;
        if reporting_changed {
            self.refresh_reports();
            self.refresh_todos();
        }
        if rules_changed || marks_changed || deadlines_changed {
            self.rebuild_rows();
        } else {
            self.bump();
        }
        if marks_changed {
            self.evaluate_targets();
        }
    }

    /// Changes "today" (tests; a desk left open over midnight), with the progress as known
    /// on it (read from the store for that day).
    pub fn set_today(&mut self, today: NaiveDate, progress: HashMap<String, LatestProgress>) {
        if today != self.today {
            self.today = today;
            self.progress = progress;
            self.refresh_reports();
            self.rebuild_rows();
            self.evaluate_targets();
        }
    }

    // ----- ledgers and targets ---------------------------------------------------------

    /// Replaces the targets (at load, after a value was entered by hand) and evaluates them.
    /// Takes the store's targets: those of the shown campaign's plans.
    pub fn set_targets(&mut self, mut targets: Vec<Target>) {
        targets.retain(|t| self.plans.iter().any(|p| p.id == t.plan));
        self.targets = targets;
        self.evaluate_targets();
    }

    /// Evaluates every target as of `today` with the computed and the entered values.
    pub fn evaluate_targets(&mut self) {
        self.target_rows = evaluate_targets(
            &self.targets,
            &self.computed,
            &self.units,
            &self.settings.not_applicable,
            &self.progress,
            self.today,
        );
        self.target_summary = self.target_rows.iter().map(|r| r.status).collect();
        self.refresh_todos();
        self.bump();
    }

    /// The forms (`SECTOR/FORM`) whose records compute some target's value.
    pub fn computing_forms(&self) -> Vec<String> {
        let mut forms: Vec<String> = self
            .targets
            .iter()
            .filter_map(|t| t.computed_from.clone())
            .collect();
        forms.sort();
        forms.dedup();
        forms
    }

    /// Forgets the values computed from `form`'s records (its targets have no data until
    /// they are computed again).
    pub fn clear_computed(&mut self, form: &str) {
        for t in self
            .targets
            .iter()
            .filter(|t| t.computed_from.as_deref() == Some(form))
        {
            self.computed.district.remove(&t.id);
            self.computed.towns.remove(&t.id);
        }
    }

    /// Takes the values a plugin computed from `form`'s records as of `as_of` (replacing the
    /// form's earlier values) and evaluates the targets again.
    pub fn set_computed(
        &mut self,
        form: &str,
        values: Vec<anwei_core::TargetValue>,
        as_of: NaiveDate,
    ) {
        self.clear_computed(form);
        let sector = form.split_once('/').map_or(form, |(s, _)| s);
        self.computed.absorb(sector, values, as_of);
        self.evaluate_targets();
    }

    /// Opens a form's ledger.
    pub fn set_ledger(&mut self, ledger: Option<LedgerRows>) {
        if let Some(l) = &ledger {
            self.record_counts.insert(l.form().id.clone(), l.len());
        }
        self.ledger = ledger;
        self.record_history.clear();
        self.bump();
    }

    /// After a record was added or changed: the open ledger's row, the form's count, and the
    /// record's history (read again when shown).
    pub fn record_saved(&mut self, record: FormRecord) {
        self.record_history.remove(&record.id);
        match &mut self.ledger {
            Some(l) if l.form().id == record.form => {
                l.upsert(record);
                let n = l.len();
                if let Some(form) = self.ledger.as_ref().map(|l| l.form().id.clone()) {
                    self.record_counts.insert(form, n);
                }
            }
            _ => {
                if record.revision <= 1 {
                    *self.record_counts.entry(record.form.clone()).or_insert(0) += 1;
                }
            }
        }
        self.bump();
    }

    /// The campaign phase containing today, if any.
    pub fn current_phase(&self) -> Option<&anwei_core::Phase> {
        self.campaign.phases.iter().find(|p| p.contains(self.today))
    }
}
