//! [`DeskApp`]: owns the session (store + plugin host), the model, the jobs and the panels'
//! UI state; draws a frame, then applies the frame's actions. A command is written off the UI
//! thread ([`crate::writes`]: "保存中…" meanwhile); its outcome refreshes the parts of the
//! model it touched and goes back to the panel it came from ([`crate::outcome`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anwei_core::form::Severity;
use anwei_core::{Command, FieldIssue, FormRecord};
use anwei_session::{Session, WriteGate};
use anwei_store::{Applied, Store, StoreError};
use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};

use crate::action::{Action, Origin, Tab};
use crate::backups::{Backups, Finished};
use crate::jobs::{JobError, Jobs};
use crate::model::{DeskModel, TaskDetailData};
use crate::outcome::{Outcome, Part, Saved, TakesOutcome, Touched, Undo, effects};
use crate::panels::{
    BackupState, BoardState, DetailState, DocKind, FailureState, LedgerState, PluginsState,
    PrintState, ReportsState, SearchState, SupervisionState, TargetsState, TasksState,
    TimelineState, TodayState, UnitsState, backup_panel, board_panel, detail_panel, failure_screen,
    ledger_panel, overview_panel, plugin_banners, plugins_panel, print_panel, record_panel,
    reports_panel, search_window, supervision_panel, target_detail, targets_panel, tasks_panel,
    timeline_panel, today_panel, units_panel,
};
use crate::plugins::{PluginsRuntime, PluginsView};
use crate::prefs::{Prefs, TextSize, Theme};
use crate::records::{LedgerRows, revision};
use crate::widgets::ERROR_COLOR;
use crate::workers::{Classifier, Computes, Validator};
use crate::writes::{Writes, Written};

/// How old the newest automatic backup may be before opening the desk makes another (on a
/// worker, after the first frame).
pub const AUTO_BACKUP_AGE: Duration = Duration::from_secs(12 * 3600);

/// The status line while commands are being written.
const SAVING_COLOR: Color32 = Color32::from_rgb(200, 120, 0);

/// The bottom status line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StatusLine {
    #[default]
    Empty,
    /// A change the store has flushed to disk: "已保存 HH:MM:SS：<summary>".
    Saved {
        time: String,
        summary: String,
    },
    Info(String),
    Error(String),
}

impl StatusLine {
    /// The text shown.
    pub fn text(&self) -> String {
        match self {
            StatusLine::Empty => String::new(),
            StatusLine::Saved { time, summary } => format!("已保存 {time}：{summary}"),
            StatusLine::Info(s) | StatusLine::Error(s) => s.clone(),
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, StatusLine::Error(_))
    }

    fn saved(summary: String) -> Self {
        StatusLine::Saved {
            time: chrono::Local::now().format("%H:%M:%S").to_string(),
            summary,
        }
    }
}

/// The panels' own UI state. The desk draws them and hands each the outcomes of its
/// commands; it does not write into them.
#[derive(Debug)]
struct Panels {
    tasks: TasksState,
    detail: DetailState,
    units: UnitsState,
    backup: BackupState,
    print: PrintState,
    plugins: PluginsState,
    ledger: LedgerState,
    targets: TargetsState,
    today: TodayState,
    board: BoardState,
    timeline: TimelineState,
    reports: ReportsState,
    supervision: SupervisionState,
    search: SearchState,
}

impl Panels {
    fn new(jobs: &Jobs) -> Panels {
        Panels {
            tasks: TasksState::default(),
            detail: DetailState::default(),
            units: UnitsState::default(),
            backup: BackupState::default(),
            print: PrintState::new(jobs.clone()),
            plugins: PluginsState::default(),
            ledger: LedgerState::default(),
            targets: TargetsState::default(),
            today: TodayState::default(),
            board: BoardState::default(),
            timeline: TimelineState::default(),
            reports: ReportsState::default(),
            supervision: SupervisionState::default(),
            search: SearchState::default(),
        }
    }

    /// The panel that takes the outcomes of commands from `from`.
    fn taking(&mut self, from: Origin) -> Option<&mut dyn TakesOutcome> {
        match from {
            Origin::Desk => None,
            Origin::Detail => Some(&mut self.detail),
            Origin::Units => Some(&mut self.units),
            Origin::Ledger => Some(&mut self.ledger),
            Origin::Targets => Some(&mut self.targets),
            Origin::Print => Some(&mut self.print),
            Origin::Plugins => Some(&mut self.plugins),
            Origin::Settings => Some(&mut self.backup),
            Origin::Reports => Some(&mut self.reports),
            Origin::Supervision => Some(&mut self.supervision),
        }
    }
}

/// The open desk.
struct Desk {
    /// The store and the plugin host, as one session (the CLI uses the same).
    session: Session,
    model: DeskModel,
    tab: Tab,
    open_task: Option<String>,
    panels: Panels,
    /// Everything that runs off the UI thread.
    jobs: Jobs,
    /// Backups (the automatic one of the start, those the user asks for), as jobs.
    backups: Backups,
    plugins: PluginsRuntime,
    /// Plugin validation of the record being edited.
    validator: Validator,
    /// The sector rules applied to the ledger rows shown.
    classifier: Classifier,
    /// Target values computed from records.
    computes: Computes,
    /// The search of every register for the search window's query.
    record_search: Option<crate::jobs::Job<RecordAnswer>>,
    /// The Excel file being written: its path, its rows, the job.
    export: Option<(std::path::PathBuf, usize, crate::jobs::Job<()>)>,
    /// 演示数据 was added at this start: the sector plans the plugins import get theirs too.
    extend_demo: bool,
    /// Every computed value must be computed again (start-up, plugins changed, "today"
    /// moved): done as soon as the plugin host is there.
    compute_all: bool,
    /// What the status line offers to undo (the record just deleted).
    undo: Option<Undo>,
    /// The window waits for the pending writes to close.
    closing: bool,
    /// Commands being written, in order. Last: dropped after the session, it finishes what
    /// is left (nothing given to the store is dropped).
    writes: Writes,
}

/// What a search of the registers found.
struct RecordAnswer {
    query: String,
    hits: Vec<crate::panels::Hit>,
    read: usize,
}

/// A form searched: its id, title and fields' labels.
struct Searched {
    form: String,
    title: String,
    labels: HashMap<String, String>,
}

/// A value's text as typed (what a search matches).
fn plain_value(v: &anwei_core::Value) -> String {
    use anwei_core::Value;
    match v {
        Value::Text(t) | Value::Date(t) => t.clone(),
        Value::Choices(c) => c.join("、"),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => d.to_string(),
        Value::Flag(b) => if *b { "是" } else { "否" }.to_owned(),
    }
}

enum Screen {
    Desk(Box<Desk>),
    Failed(FailureState),
}

/// The whole desk: call [`DeskApp::ui`] every frame.
pub struct DeskApp {
    data_dir: PathBuf,
    actor: String,
    today: Option<NaiveDate>,
    screen: Screen,
    status: StatusLine,
    /// Something was saved this session (an automatic backup is made on exit).
    changed: bool,
    /// Holds the writes back (tests).
    gate: Option<WriteGate>,
    /// Theme, text size, window size, last tab ([`crate::prefs`]).
    prefs: Prefs,
    /// Where the preferences are kept (`None`: not kept, as in tests).
    prefs_path: Option<PathBuf>,
    /// The theme and text size the context was last given.
    applied_look: Option<(Theme, TextSize)>,
    /// The as-of date is the shown campaign's last day because it has ended (not the user's
    /// choice): it follows the campaign shown.
    auto_as_of: bool,
    /// The campaign the as-of date was last fitted to.
    fitted_campaign: Option<String>,
    /// An empty data folder gets the demo's 演示数据 besides its campaigns (the window; tests
    /// open without).
    demo_activity: bool,
}

impl DeskApp {
    /// Opens the desk on data folder `data_dir`; `actor` is the name recorded in the audit
    /// trail until the user sets one. Never panics: when the store cannot be opened the app
    /// shows the error with the ways out (restore from a backup, retry). An empty store gets
    /// the bundled demo campaign; when the last automatic backup is over 12 h old, another is
    /// made on a worker once the first frame is drawn (with a progress line).
    pub fn open(data_dir: impl Into<PathBuf>, actor: impl Into<String>) -> DeskApp {
        Self::open_with(data_dir.into(), actor.into(), false)
    }

    /// As [`DeskApp::open`], and an empty data folder gets the demo's 演示数据 too (progress
    /// entries, a quarterly 季报 and its submissions, each marked 【演示数据】 and removable in
    /// one step from 总览), so that the demo looks like a campaign in use.
    pub fn open_with_demo_activity(
        data_dir: impl Into<PathBuf>,
        actor: impl Into<String>,
    ) -> DeskApp {
        Self::open_with(data_dir.into(), actor.into(), true)
    }

    fn open_with(data_dir: PathBuf, actor: String, demo_activity: bool) -> DeskApp {
        let mut app = DeskApp {
            data_dir,
            actor,
            today: None,
            screen: Screen::Failed(FailureState {
                data_dir: PathBuf::new(),
                message: String::new(),
                locked: false,
                not_a_folder: false,
                latest_backup: None,
                typed_path: String::new(),
            }),
            status: StatusLine::Empty,
            changed: false,
            gate: None,
            prefs: Prefs::default(),
            prefs_path: None,
            applied_look: None,
            auto_as_of: false,
            fitted_campaign: None,
            demo_activity,
        };
        app.reopen();
        app
    }

    /// Keeps the window's preferences in `path` (the user's configuration folder): read now
    /// (the last tab is shown again), written when the look changes and when the window closes.
    pub fn with_prefs_file(mut self, path: PathBuf) -> DeskApp {
        self.prefs = Prefs::load(&path);
        self.prefs_path = Some(path);
        if let (Screen::Desk(d), Some(tab)) = (&mut self.screen, self.prefs.tab) {
            d.tab = tab;
        }
        self
    }

    /// The window's preferences as they stand.
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// Sets theme and text size (tests; the window uses [`Action::SetAppearance`]).
    pub fn set_look(&mut self, theme: Theme, text: TextSize) {
        self.prefs.theme = theme;
        self.prefs.text = text;
    }

    /// A campaign that has ended is shown as of its last day (its statuses as they stood when it
    /// closed, not every task red for years after), until the user picks another date; a
    /// campaign under way is shown as of today. Fitted when the shown campaign changes.
    fn fit_as_of_to_campaign(&mut self) {
        let Screen::Desk(d) = &self.screen else {
            return;
        };
        if !d.model.has_campaign
            || self.fitted_campaign.as_deref() == Some(d.model.campaign.id.as_str())
        {
            return;
        }
        self.fitted_campaign = Some(d.model.campaign.id.clone());
        if self.today.is_some() && !self.auto_as_of {
            return;
        }
        let real = Store::today();
        let end = d.model.campaign.end;
        if end < real {
            self.set_today(end);
            self.auto_as_of = true;
        } else if self.auto_as_of {
            self.set_today(real);
            self.today = None;
            self.auto_as_of = false;
        }
    }

    /// Whether the as-of date is the ended campaign's last day, set by the desk.
    pub fn as_of_is_campaign_end(&self) -> bool {
        self.auto_as_of
    }

    /// Writes the preferences, with the window's size and tab as they are now.
    fn save_prefs(&mut self) -> Result<(), anwei_files::WriteError> {
        if let Screen::Desk(d) = &self.screen {
            self.prefs.tab = Some(d.tab);
        }
        match &self.prefs_path {
            Some(path) => self.prefs.save(path),
            None => Ok(()),
        }
    }

    fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(Store::today)
    }

    /// Holds the desk's writes at `gate` until it opens (tests: a write as slow as the test
    /// wants). Never close it around [`DeskApp::apply_actions`], [`DeskApp::wait_for_writes`]
    /// or dropping the desk: they wait for the writes.
    pub fn with_write_gate(mut self, gate: WriteGate) -> DeskApp {
        self.gate = Some(gate);
        if let Screen::Desk(d) = &mut self.screen {
            d.session.set_write_gate(self.gate.clone());
            d.writes.set_writer(d.session.writer());
        }
        self
    }

    /// Opens (again) the store and builds the model, or shows the failure screen.
    fn reopen(&mut self) {
        self.wait_for_writes();
        // A running backup holds the folder: let it finish first.
        self.settle_backups();
        // Drop a store we hold before opening the folder again.
        self.screen = Screen::Failed(self.failure(String::new(), false));
        match Store::open(&self.data_dir) {
            Ok(store) => self.start(store),
            Err(e) => {
                tracing::error!("cannot open {}: {e}", self.data_dir.display());
                let locked = matches!(e, StoreError::Locked(_));
                let mut failure = self.failure(e.to_string(), locked);
                failure.not_a_folder = matches!(e, StoreError::NotAFolder(_));
                self.screen = Screen::Failed(failure);
            }
        }
    }

    fn failure(&self, message: String, locked: bool) -> FailureState {
        FailureState {
            data_dir: self.data_dir.clone(),
            message,
            locked,
            not_a_folder: false,
            latest_backup: anwei_store::latest_auto_backup(&self.data_dir),
            typed_path: String::new(),
        }
    }

    fn start(&mut self, store: Store) {
        let mut notes: Vec<String> = Vec::new();
        // What went well, said as information (problems go to `notes`).
        let mut info: Vec<String> = Vec::new();
        let mut extend_demo = false;
        let mut session = Session::with_store(store).with_actor(self.actor.clone());
        session.set_write_gate(self.gate.clone());
        let store = session.store();
        if store.is_empty() {
            match anwei_exchange::demo_campaigns() {
                Ok(campaigns) => {
                    match anwei_session::import_campaigns(store, campaigns, &session.actor()) {
                        Err(e) => notes.push(format!("示例活动导入失败：{e}")),
                        Ok(_) if self.demo_activity => {
                            match anwei_session::load_demo_activity(store, &session.actor()) {
                                Ok(line) => {
                                    info.push(line);
                                    extend_demo = true;
                                }
                                Err(e) => notes.push(format!("演示数据未能载入：{e}")),
                            }
                        }
                        Ok(_) => {}
                    }
                }
                Err(e) => notes.push(format!("示例活动无法读取：{e}")),
            }
        }
        let auto_due = anwei_store::auto_backup_due(store.root(), AUTO_BACKUP_AGE);
        match DeskModel::load(store, self.today()) {
            Ok(model) => {
                let jobs = Jobs::new();
                let plugins = PluginsRuntime::start(&session, &jobs);
                let writes = Writes::new(jobs.clone(), session.writer());
                self.screen = Screen::Desk(Box::new(Desk {
                    plugins,
                    session,
                    model,
                    tab: Tab::default(),
                    open_task: None,
                    panels: Panels::new(&jobs),
                    validator: Validator::new(jobs.clone()),
                    classifier: Classifier::new(jobs.clone()),
                    computes: Computes::new(jobs.clone()),
                    record_search: None,
                    export: None,
                    extend_demo,
                    backups: Backups::new(jobs.clone(), auto_due),
                    jobs,
                    compute_all: true,
                    undo: None,
                    closing: false,
                    writes,
                }));
                if !notes.is_empty() {
                    self.status = StatusLine::Error(notes.join("；"));
                } else if !info.is_empty() {
                    self.status = StatusLine::Info(info.join("；"));
                }
            }
            Err(e) => {
                drop(session);
                notes.insert(0, format!("数据读取失败：{e}"));
                self.screen = Screen::Failed(self.failure(notes.join("；"), false));
            }
        }
    }

    // ----- accessors -------------------------------------------------------------------

    /// The status line.
    pub fn status(&self) -> &StatusLine {
        &self.status
    }

    /// True when the desk is open (not the failure screen).
    pub fn is_open(&self) -> bool {
        matches!(self.screen, Screen::Desk(_))
    }

    /// The message of the failure screen, when the data could not be opened.
    pub fn open_error(&self) -> Option<&str> {
        match &self.screen {
            Screen::Failed(f) => Some(&f.message),
            Screen::Desk(_) => None,
        }
    }

    pub fn model(&self) -> Option<&DeskModel> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.model),
            Screen::Failed(_) => None,
        }
    }

    pub fn store(&self) -> Option<&Store> {
        match &self.screen {
            Screen::Desk(d) => Some(d.session.store()),
            Screen::Failed(_) => None,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn tab(&self) -> Option<Tab> {
        match &self.screen {
            Screen::Desk(d) => Some(d.tab),
            Screen::Failed(_) => None,
        }
    }

    pub fn set_tab(&mut self, tab: Tab) {
        if let Screen::Desk(d) = &mut self.screen {
            d.tab = tab;
        }
    }

    /// The task whose detail is shown.
    pub fn open_task(&self) -> Option<&str> {
        match &self.screen {
            Screen::Desk(d) => d.open_task.as_deref(),
            Screen::Failed(_) => None,
        }
    }

    /// The task table's state (filters, sort, visible rows).
    pub fn tasks_state(&self) -> Option<&TasksState> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.panels.tasks),
            Screen::Failed(_) => None,
        }
    }

    /// The 打印 panel's state (document kind, the laid-out preview, the job).
    pub fn print_state(&self) -> Option<&PrintState> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.panels.print),
            Screen::Failed(_) => None,
        }
    }

    /// The 打印 tab's state, to change (tests point its print service at stand-ins).
    /// The 时间轴's state: its filters and zoom.
    pub fn timeline_state(&self) -> Option<&TimelineState> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.panels.timeline),
            Screen::Failed(_) => None,
        }
    }

    /// The 看板's state: its board and trend as last drawn.
    pub fn board_state(&self) -> Option<&BoardState> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.panels.board),
            Screen::Failed(_) => None,
        }
    }

    pub fn print_state_mut(&mut self) -> Option<&mut PrintState> {
        match &mut self.screen {
            Screen::Desk(d) => Some(&mut d.panels.print),
            Screen::Failed(_) => None,
        }
    }

    /// Reprints issued notice `number` (year, number) to `to`, or prints it without a path,
    /// as the 打印 tab's job (the register read and the file written off the UI thread).
    fn issued_notice_job(&mut self, number: (i32, u32), to: Option<PathBuf>) {
        match &mut self.screen {
            Screen::Desk(d) => {
                let notices = d.session.store().notice_reader();
                let prefix = d.model.settings.doc_prefix.clone();
                d.panels.print.start_issued(notices, number, prefix, to);
            }
            Screen::Failed(_) => {
                self.status = StatusLine::Error("数据目录没有打开，无法重印或打印".to_owned());
            }
        }
    }

    /// What the plugin page shows (loaded plugins, banners, developer mode).
    pub fn plugins_view(&self) -> Option<&PluginsView> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.plugins.view),
            Screen::Failed(_) => None,
        }
    }

    /// The running plugin host, once it has started.
    pub fn plugin_host(&self) -> Option<std::sync::Arc<anwei_plugin_host::PluginHost>> {
        match &self.screen {
            Screen::Desk(d) => d.plugins.host().cloned(),
            Screen::Failed(_) => None,
        }
    }

    /// The 台账 tab's state (open editor, filters, sort, visible rows).
    pub fn ledger_state(&self) -> Option<&LedgerState> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.panels.ledger),
            Screen::Failed(_) => None,
        }
    }

    /// The 指标 tab's state (filters, the selected target).
    pub fn targets_state(&self) -> Option<&TargetsState> {
        match &self.screen {
            Screen::Desk(d) => Some(&d.panels.targets),
            Screen::Failed(_) => None,
        }
    }

    /// How many target computations were started (one per changed form, debounced).
    pub fn computes_started(&self) -> u64 {
        match &self.screen {
            Screen::Desk(d) => d.computes.sent,
            Screen::Failed(_) => 0,
        }
    }

    /// Commands given to the store and not answered yet (the one being written included).
    pub fn pending_writes(&self) -> usize {
        match &self.screen {
            Screen::Desk(d) => d.writes.pending(),
            Screen::Failed(_) => 0,
        }
    }

    /// What the status line says while commands are being written ("保存中…：…").
    pub fn saving_text(&self) -> Option<String> {
        match &self.screen {
            Screen::Desk(d) => d.writes.saving_text(),
            Screen::Failed(_) => None,
        }
    }

    /// Waits until every command given is written, taking each answer as a frame would
    /// (model, panel, status line). The window never waits; tests, the CLI, closing the desk
    /// and a backup or restore (still on the UI thread) do.
    pub fn wait_for_writes(&mut self) {
        self.poll_writes(true);
    }

    /// Takes the answers of finished writes (`wait`: of every pending one) and starts the
    /// next.
    fn poll_writes(&mut self, wait: bool) {
        loop {
            let Screen::Desk(d) = &mut self.screen else {
                return;
            };
            let Some(written) = d.writes.poll(wait) else {
                return;
            };
            self.status = d.finish_write(written, &mut self.changed);
        }
    }

    /// Waits until the pending writes are done ([`DeskApp::wait_for_writes`]) and the
    /// plugin host has started (and a running install has finished), then
    /// takes its results as a frame would; then finishes the plugin work the desk has asked
    /// for (target values of changed forms — without waiting for the debounce — and the
    /// validation of the record being edited). The window never waits; tests and the CLI do.
    pub fn wait_for_plugins(&mut self) {
        self.wait_for_writes();
        if let Screen::Desk(d) = &mut self.screen {
            d.plugins.wait();
        }
        self.poll_plugins(None);
        self.poll_workers(true);
    }

    /// Takes finished validations and target computations and starts those now due.
    fn poll_workers(&mut self, wait: bool) {
        let Screen::Desk(d) = &mut self.screen else {
            return;
        };
        let errors = d.poll_workers(wait);
        if !errors.is_empty() {
            self.status = StatusLine::Error(errors.join("；"));
        }
    }

    /// Takes finished plugin work and host events: audit trail, sector plans, status line.
    fn poll_plugins(&mut self, ctx: Option<&egui::Context>) {
        let Screen::Desk(d) = &mut self.screen else {
            return;
        };
        let out = d.plugins.poll(&mut d.session, ctx);
        if out.refreshed {
            d.plugins_changed();
        }
        let mut errors = out.errors;
        let mut infos = out.infos;
        if out.reload && d.extend_demo {
            // The sector plans are in: their tasks get demo progress like the rest.
            d.extend_demo = false;
            let actor = d.session.actor();
            match anwei_session::extend_demo_activity(d.session.store(), &actor) {
                Ok(Some(line)) => infos.push(line),
                Ok(None) => {}
                Err(e) => errors.push(format!("行业方案的演示数据未能载入：{e}")),
            }
        }
        if out.reload
            && let Err(e) = d.reload_model()
        {
            errors.push(format!("行业方案已导入，但刷新显示失败：{e}"));
        }
        if !errors.is_empty() {
            self.status = StatusLine::Error(errors.join("；"));
        } else if !infos.is_empty() {
            self.status = StatusLine::saved(infos.join("；"));
        } else if !out.notes.is_empty() {
            self.status = StatusLine::Info(out.notes.join("；"));
        } else if !out.imported.is_empty() && self.status == StatusLine::Empty {
            // Imported by itself (start-up, a package dropped into the folder): shown only
            // when it hides nothing else.
            self.status = StatusLine::saved(out.imported.join("；"));
        }
    }

    /// While jobs run (or a computation waits for its debounce) the window repaints soon to
    /// take their answers; a finishing job also wakes it. Nothing sleeps or waits.
    fn schedule_repaint(&self, ctx: &egui::Context) {
        let Screen::Desk(d) = &self.screen else {
            return;
        };
        if d.jobs.running() > 0 {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(due) = d.computes.next_due_in() {
            ctx.request_repaint_after(due.max(Duration::from_millis(20)));
        }
    }

    /// Overrides today's date (tests; the default is the local date).
    pub fn set_today(&mut self, today: NaiveDate) {
        self.today = Some(today);
        if let Screen::Desk(d) = &mut self.screen
            && today != d.model.today
        {
            d.compute_all = true;
            match d.session.store().latest_progress(today) {
                Ok(progress) => d.model.set_today(today, progress),
                Err(e) => self.status = StatusLine::Error(format!("进展读取失败：{e}")),
            }
        }
    }

    /// Whether anything was saved this session.
    pub fn changed_this_session(&self) -> bool {
        self.changed
    }

    /// Whether a backup job runs (or waits for one that runs).
    pub fn backup_running(&self) -> bool {
        match &self.screen {
            Screen::Desk(d) => d.backups.running(),
            Screen::Failed(_) => false,
        }
    }

    /// Waits for the running backup jobs and takes their results as a frame would. The
    /// window never waits; tests, closing and restoring do.
    pub fn wait_for_backup(&mut self) {
        self.settle_backups();
    }

    /// Makes the next backup job wait at its start until the returned sender is dropped
    /// (tests: to look at the window while a backup runs). `None` without an open desk.
    #[doc(hidden)]
    pub fn hold_next_backup(&mut self) -> Option<std::sync::mpsc::Sender<()>> {
        match &mut self.screen {
            Screen::Desk(d) => Some(d.backups.hold_next()),
            Screen::Failed(_) => None,
        }
    }

    fn settle_backups(&mut self) {
        let Screen::Desk(d) = &mut self.screen else {
            return;
        };
        let finished = d.backups.wait(d.session.store());
        for f in finished {
            self.took_backup(f);
        }
    }

    /// Takes a finished backup job's answer, if there is one, without waiting.
    /// Takes the finished Excel export's message (`wait`: waits for a running one).
    fn poll_export(&mut self, wait: bool) {
        if let Screen::Desk(d) = &mut self.screen
            && let Some(status) = d.poll_export(wait)
        {
            self.status = status;
        }
    }

    /// Waits for the Excel file being written and takes its message (tests; the window never
    /// waits).
    pub fn wait_for_export(&mut self) {
        self.poll_export(true);
    }

    fn poll_backup(&mut self) {
        let Screen::Desk(d) = &mut self.screen else {
            return;
        };
        if let Some(f) = d.backups.poll(d.session.store()) {
            self.took_backup(f);
        }
    }

    fn took_backup(&mut self, finished: Finished) {
        if let Screen::Desk(d) = &mut self.screen {
            d.model.auto_backups = anwei_store::auto_backups(&self.data_dir);
        }
        match finished.message {
            Some(Ok(m)) => self.status = StatusLine::Info(m),
            Some(Err(m)) => self.status = StatusLine::Error(m),
            None => {}
        }
    }

    /// Begins the automatic backup if it is due: after a frame, so the window is up first.
    fn start_due_backup(&mut self) {
        let Screen::Desk(d) = &mut self.screen else {
            return;
        };
        if let Some(e) = d.backups.start_due(d.session.store()) {
            self.status = StatusLine::Error(e);
        }
    }

    /// Call when the window closes: waits for the pending writes, then makes an automatic
    /// backup if anything changed this session. Errors are logged (there is no window left
    /// to show them in).
    pub fn on_exit(&mut self) {
        if let Err(e) = self.save_prefs() {
            tracing::error!("窗口偏好未能保存：{e}");
        }
        if let Err(e) = self.exit_backup() {
            tracing::error!("automatic backup on exit failed: {e}");
        }
    }

    /// The backup [`Self::on_exit`] makes (after the pending writes are done); `Ok(None)`
    /// when nothing changed.
    pub fn exit_backup(&mut self) -> Result<Option<PathBuf>, StoreError> {
        self.wait_for_writes();
        self.settle_backups();
        if !self.changed {
            return Ok(None);
        }
        let Screen::Desk(d) = &self.screen else {
            return Ok(None);
        };
        let info = d.session.store().auto_backup()?;
        self.changed = false;
        Ok(Some(info.path))
    }

    // ----- frame -----------------------------------------------------------------------

    /// Draws one frame into `ui` (eframe 0.37's `App::ui` hands over the root `Ui`), then
    /// applies what the user asked for.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let look = (self.prefs.theme, self.prefs.text);
        if self.applied_look != Some(look) {
            ctx.set_theme(look.0.egui());
            ctx.set_zoom_factor(look.1.zoom());
            self.applied_look = Some(look);
        }
        if let Some(rect) = ctx.input(|i| i.viewport().inner_rect) {
            self.prefs.window = Some([rect.width(), rect.height()]);
        }
        if let Some(rect) = ctx.input(|i| i.viewport().outer_rect) {
            self.prefs.position = Some([rect.min.x, rect.min.y]);
        }
        if let Screen::Desk(d) = &self.screen {
            d.jobs.repaint_with(&ctx);
        }
        self.poll_writes(false);
        self.fit_as_of_to_campaign();
        self.hold_close_for_writes(&ctx);
        self.poll_plugins(Some(&ctx));
        self.poll_workers(false);
        self.poll_backup();
        self.poll_export(false);
        let mut actions = Vec::new();
        let status = self.status.clone();
        match &mut self.screen {
            Screen::Desk(desk) => {
                desk.model.saving = desk.writes.origins();
                desk.model.look = (self.prefs.theme, self.prefs.text);
                desk.ui(ui, &status, &mut actions);
            }
            Screen::Failed(f) => {
                let msg = status.is_error().then(|| status.text());
                failure_screen(ui, f, msg.as_deref(), &mut actions);
            }
        }
        self.take_dropped_files(ui.ctx());
        self.apply_actions_now(actions);
        self.close_when_written(&ctx);
        self.start_due_backup();
        self.schedule_repaint(&ctx);
    }

    /// Closing the window while commands are being written: the close waits for them
    /// (the status line says so), then the window closes by itself.
    fn hold_close_for_writes(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.pending_writes() == 0 {
            return;
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        if let Screen::Desk(d) = &mut self.screen {
            d.closing = true;
        }
    }

    fn close_when_written(&mut self, ctx: &egui::Context) {
        if let Screen::Desk(d) = &mut self.screen
            && d.closing
            && d.writes.pending() == 0
        {
            d.closing = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Files dropped on the window go to the open progress form.
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if dropped.is_empty() {
            return;
        }
        let Screen::Desk(d) = &mut self.screen else {
            return;
        };
        // Plugin packages are installed, whatever tab is shown.
        let (packages, dropped): (Vec<_>, Vec<_>) = dropped.into_iter().partition(|f| {
            f.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case(anwei_plugin_host::package::PACKAGE_EXT))
        });
        if !packages.is_empty() {
            let mut msgs = Vec::new();
            let mut failed = false;
            for f in packages {
                match d.plugins.install(f.path().to_path_buf(), false) {
                    Ok(()) => msgs.push(format!("正在安装插件包 {} …", f.path().display())),
                    Err(e) => {
                        failed = true;
                        msgs.push(e);
                    }
                }
            }
            d.tab = Tab::Plugins;
            self.status = if failed {
                StatusLine::Error(msgs.join("；"))
            } else {
                StatusLine::Info(msgs.join("；"))
            };
            if dropped.is_empty() {
                return;
            }
        }
        let Some(task) = d.open_task.clone().filter(|_| d.tab == Tab::Tasks) else {
            self.status = StatusLine::Error("请先打开一个任务，再把附件拖到窗口上".to_owned());
            return;
        };
        let paths = dropped.iter().map(|f| f.path().to_path_buf()).collect();
        self.status = match d.panels.detail.attach_dropped(&task, d.model.today, paths) {
            Ok(added) => StatusLine::Info(format!("已加入 {added} 个待添加附件，保存进展后生效")),
            Err(problems) => StatusLine::Error(problems),
        };
    }

    /// Applies the actions of a frame, in order, and waits until their commands are
    /// written (tests; the window's frames never wait: [`DeskApp::pending_writes`]).
    pub fn apply_actions(&mut self, actions: Vec<Action>) {
        self.apply_actions_now(actions);
        self.wait_for_writes();
    }

    /// Applies actions as a frame does: their commands are queued to be written and not
    /// waited for ([`DeskApp::pending_writes`], [`DeskApp::wait_for_writes`]).
    pub fn queue_actions(&mut self, actions: Vec<Action>) {
        self.apply_actions_now(actions);
    }

    /// Applies the actions of a frame, in order; commands are queued to be written.
    fn apply_actions_now(&mut self, actions: Vec<Action>) {
        for action in actions {
            self.apply_action(action);
        }
    }

    fn apply_action(&mut self, action: Action) {
        match action {
            Action::SetAppearance { theme, text } => {
                self.set_look(theme, text);
                if let Err(e) = self.save_prefs() {
                    self.status = StatusLine::Error(format!("外观已改，但未能记住：{e}"));
                }
            }
            Action::Retry => {
                self.status = StatusLine::Empty;
                self.reopen();
                if let Screen::Failed(f) = &self.screen {
                    self.status = StatusLine::Error(format!("仍无法打开：{}", f.message));
                }
            }
            Action::Restore(path) => self.restore(&path),
            Action::Backup(path) => {
                // A backup holds every save asked for before it.
                self.wait_for_writes();
                if let Screen::Desk(d) = &mut self.screen
                    && let Some(status) = d.apply(Action::Backup(path))
                {
                    self.status = status;
                }
            }
            Action::ReprintNotice { year, number, path } => {
                self.issued_notice_job((year, number), Some(path));
            }
            Action::PrintIssuedNotice { year, number } => {
                self.issued_notice_job((year, number), None);
            }
            Action::OpenEvidence(stored) => {
                let path = anwei_files::DataDir::new(&self.data_dir).evidence_file(&stored);
                self.status = if !path.is_file() {
                    StatusLine::Error(format!("附件文件不存在：{}", path.display()))
                } else {
                    match opener::open(&path) {
                        Ok(()) => StatusLine::Info(format!("已打开 {}", path.display())),
                        Err(e) => StatusLine::Error(format!(
                            "无法打开 {}：{e}（文件保存在该位置，可手动打开）",
                            path.display()
                        )),
                    }
                };
            }
            Action::SetAsOf(date) => {
                self.auto_as_of = false;
                let real = Store::today();
                self.set_today(date.unwrap_or(real));
                self.status = match date {
                    Some(d) if d != real => StatusLine::Info(format!("状态按 {d} 计算")),
                    _ => StatusLine::Info("状态按今天计算".to_owned()),
                };
            }
            Action::StartFresh => {
                self.status = StatusLine::Empty;
                match anwei_store::set_aside_damaged(&self.data_dir) {
                    Ok(aside) => {
                        self.reopen();
                        if self.status == StatusLine::Empty {
                            self.status = StatusLine::Info(format!(
                                "已新建数据；无法打开的旧数据库保留在 {}",
                                aside.display()
                            ));
                        }
                    }
                    Err(e) => self.status = StatusLine::Error(format!("无法新建数据：{e}")),
                }
            }
            Action::Error(msg) => self.status = StatusLine::Error(msg),
            Action::Info(msg) => self.status = StatusLine::Info(msg),
            other => {
                let Screen::Desk(d) = &mut self.screen else {
                    return;
                };
                if let Some(status) = d.apply(other) {
                    self.status = status;
                }
            }
        }
    }

    /// Drops the store, restores the backup and opens the desk again.
    fn restore(&mut self, backup: &Path) {
        // Every save asked for is written before the store closes.
        self.wait_for_writes();
        let keep = match &self.screen {
            Screen::Desk(d) => Some((d.tab, d.panels.tasks.clone())),
            Screen::Failed(_) => None,
        };
        // The store must be closed (its lock released) before restoring, and so must a
        // backup job (it holds the lock too).
        self.settle_backups();
        self.screen = Screen::Failed(self.failure("正在恢复…".to_owned(), false));
        let result = anwei_store::restore(&self.data_dir, backup);
        self.status = StatusLine::Empty;
        self.reopen();
        match result {
            Ok(report) => {
                self.changed = true;
                let mut msg = format!(
                    "已从备份恢复：{}（备份时间 {}）",
                    backup.file_name().map_or_else(
                        || backup.display().to_string(),
                        |n| n.to_string_lossy().into_owned()
                    ),
                    report
                        .manifest
                        .created_at
                        .get(..19)
                        .unwrap_or(&report.manifest.created_at)
                );
                if let Some(prev) = &report.previous_backup {
                    msg.push_str(&format!("；恢复前的数据已备份到 {}", prev.display()));
                }
                if let Some(aside) = &report.damaged_kept_at {
                    msg.push_str(&format!("；无法打开的旧数据库保留在 {}", aside.display()));
                }
                if self.status == StatusLine::Empty {
                    self.status = StatusLine::Info(msg);
                }
            }
            Err(e) => {
                self.status = StatusLine::Error(format!("恢复失败：{e}。当前数据没有改变。"));
            }
        }
        if let (Screen::Desk(d), Some((tab, tasks))) = (&mut self.screen, keep) {
            d.tab = tab;
            d.panels.tasks = tasks;
        }
    }
}

/// What a saved command did, in the user's words: forms, targets and tasks by their titles,
/// never by ids like `coal-mining/mine-register` (the audit trail keeps the ids). `None`: the
/// store's own summary says it well enough.
fn user_words(command: &Command, model: &DeskModel, view: &PluginsView) -> Option<String> {
    let form_title = |id: &str| {
        view.form(id)
            .map_or_else(|| id.to_owned(), |f| f.form.title.clone())
    };
    let target_name = |id: &str| {
        model
            .targets
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.name.clone())
    };
    let task_name = |id: &str| {
        model
            .row(id)
            .map_or_else(|| id.to_owned(), |r| format!("{} {}", r.label, r.title))
    };
    let open_form = || model.ledger.as_ref().map(|l| l.form().title.clone());
    Some(match command {
        Command::AddRecord { form, draft, .. } => format!(
            "新增台账记录（{}{}）",
            form_title(form),
            if *draft { "，草稿" } else { "" }
        ),
        Command::ImportRecords { form, rows, .. } => {
            format!("导入台账记录 {} 条（{}）", rows.len(), form_title(form))
        }
        Command::EditRecord { id, draft, .. } => match open_form() {
            Some(t) => format!(
                "修改台账记录 #{id}（{t}{}）",
                if *draft { "，草稿" } else { "" }
            ),
            None => return None,
        },
        Command::DeleteRecord { id } => match open_form() {
            Some(t) => format!("删除台账记录 #{id}（{t}，可撤销）"),
            None => return None,
        },
        Command::RestoreRecord { id } => match open_form() {
            Some(t) => format!("恢复台账记录 #{id}（{t}）"),
            None => return None,
        },
        Command::AddMeasurement {
            target,
            date,
            value,
            ..
        } => format!("录入指标值“{}”：{value}（{date}）", target_name(target)),
        Command::SetNotApplicable { item, reason, .. } => {
            let name = match item {
                anwei_core::Item::Task(id) => task_name(id),
                anwei_core::Item::Target(id) => target_name(id),
            };
            match reason {
                Some(r) => format!("{}“{name}”标为不适用：{}", item.kind_zh(), r.trim()),
                None => format!("{}“{name}”恢复为适用", item.kind_zh()),
            }
        }
        Command::AdjustDeadline {
            task, due, reason, ..
        } => format!(
            "任务“{}”的完成时间调整为 {due}：{}",
            task_name(task),
            reason.trim()
        ),
        Command::SubmitReport {
            unit,
            report,
            period_start,
            date,
            late_reason,
            ..
        } => {
            let entry = model
                .report_periods
                .iter()
                .find(|e| &e.id == report && e.start == *period_start)?;
            anwei_core::reports::submission_words(
                model.units.name_of(unit),
                &entry.name,
                &entry.period,
                *date,
                late_reason.is_some(),
            )
        }
        Command::AcceptSubmission { id, .. } | Command::ReturnSubmission { id, .. } => {
            let s = model.submission(*id)?;
            let name = model
                .report_periods
                .iter()
                .find(|e| e.id == s.report)
                .map_or(s.report.as_str(), |e| e.name.as_str());
            let what = anwei_core::reports::submission_words(
                model.units.name_of(&s.unit),
                name,
                &s.period,
                s.date,
                s.is_late(),
            );
            match command {
                Command::ReturnSubmission { reason, .. } => {
                    format!("退回修改：{what}，理由：{}", reason.trim())
                }
                _ => format!("签收：{what}"),
            }
        }
        Command::MoveSectorPlan { sector, campaign } => format!(
            "行业方案“{}”归入活动“{}”",
            // The model shows another campaign now: the plugin's own words.
            view.plugins
                .iter()
                .find(|(i, _)| &i.sector_id == sector)
                .and_then(|(_, c)| c.as_ref())
                .map_or(sector.as_str(), |c| c.plan_title.as_str()),
            model
                .campaigns
                .iter()
                .find(|c| &c.id == campaign)
                .map_or(campaign.as_str(), |c| c.name.as_str())
        ),
        Command::SetCurrentCampaign { campaign } => format!(
            "已切换到活动“{}”",
            model
                .campaigns
                .iter()
                .find(|c| &c.id == campaign)
                .map_or(campaign.as_str(), |c| c.name.as_str())
        ),
        _ => return None,
    })
}

/// The campaign shown, with its region and years; with more than one campaign, a list to
/// switch (the choice is kept: `SetCurrentCampaign`). An archived one says so.
fn campaign_picker(ui: &mut Ui, model: &DeskModel, actions: &mut Vec<Action>) {
    let c = &model.campaign;
    if model.campaigns.len() > 1 {
        let label = ui.label("活动");
        let mut chosen = c.id.clone();
        egui::ComboBox::from_id_salt("campaign-picker")
            .selected_text(RichText::new(&c.name).strong())
            .show_ui(ui, |ui| {
                for x in &model.campaigns {
                    let mut text = format!("{}（{}，{}）", x.name, x.region, x.years_text());
                    if x.archived {
                        text.push_str("〔已归档〕");
                    }
                    ui.selectable_value(&mut chosen, x.id.clone(), text);
                }
            })
            .response
            .labelled_by(label.id);
        if chosen != c.id {
            actions.push(Action::apply(Command::SetCurrentCampaign {
                campaign: chosen,
            }));
        }
    } else {
        ui.label(RichText::new(&c.name).strong());
    }
    if model.has_campaign {
        ui.label(RichText::new(format!("{} {}", c.region, c.years_text())).weak());
    }
    if c.archived {
        ui.label(RichText::new("已归档（只读）").color(ERROR_COLOR));
    }
}

impl Desk {
    fn ui(&mut self, ui: &mut Ui, status: &StatusLine, actions: &mut Vec<Action>) {
        // A finished print job is taken whatever tab is shown (a saved notice is recorded).
        self.panels.print.poll(ui.ctx(), actions);
        egui::Panel::top("desk-top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("安委办专项整治工作台");
                ui.separator();
                campaign_picker(ui, &self.model, actions);
                let real = Store::today();
                let c = &self.model.campaign;
                if self.model.has_campaign && c.end < real && self.model.today == c.end {
                    // An ended campaign, shown as it stood on its last day.
                    ui.separator();
                    ui.label(
                        RichText::new(format!("活动已于 {} 结束：状态按结束之日显示", c.end))
                            .color(egui::Color32::from_rgb(210, 130, 0)),
                    );
                    if ui
                        .small_button("按今天查看")
                        .on_hover_text("按今天的日期计算状态（结束时未完成的任务都显示为逾期）")
                        .clicked()
                    {
                        actions.push(Action::SetAsOf(Some(real)));
                    }
                } else if self.model.today != real {
                    ui.separator();
                    ui.label(
                        RichText::new(format!("状态截至 {}（非今天）", self.model.today))
                            .color(egui::Color32::from_rgb(210, 130, 0)),
                    );
                }
            });
            if let Some(u) = &self.model.unverified {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("警告：{}", u.message()))
                            .color(ERROR_COLOR)
                            .strong(),
                    );
                    if ui
                        .button("已核对，确认接受")
                        .on_hover_text("确认数据齐全后点此，提示不再显示（记入审计日志）")
                        .clicked()
                    {
                        actions.push(Action::apply(Command::AcknowledgeUnverified));
                    }
                });
            }
            plugin_banners(ui, &self.plugins.view);
            ui.horizontal(|ui| {
                for tab in Tab::ALL {
                    if ui
                        .selectable_label(self.tab == tab, tab.label_zh())
                        .clicked()
                    {
                        self.tab = tab;
                    }
                }
                ui.separator();
                if ui
                    .button("搜索（Ctrl+K）")
                    .on_hover_text("在任务、进展、单位、指标、督办通知书和打开的台账中查找")
                    .clicked()
                {
                    self.panels.search.show();
                }
            });
        });
        egui::Panel::bottom("desk-status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(undo) = &self.undo
                    && ui.button(undo.label).on_hover_text(&undo.hint).clicked()
                {
                    actions.push(Action::apply(undo.command.clone()));
                }
                let backing_up = self.backups.line();
                if let Some(line) = &backing_up {
                    ui.label(RichText::new(line).strong());
                    ui.separator();
                }
                if let Some(saving) = self.writes.saving_text() {
                    // The last answer waits until the writes are done.
                    let text = if self.closing {
                        format!("{saving}（保存完成后关闭窗口）")
                    } else {
                        saving
                    };
                    ui.add(egui::Label::new(RichText::new(text).color(SAVING_COLOR)).wrap());
                    return;
                }
                let text = status.text();
                if status.is_error() {
                    ui.add(egui::Label::new(RichText::new(text).color(ERROR_COLOR)).wrap());
                } else if text.is_empty() {
                    if backing_up.is_none() {
                        ui.weak("就绪");
                    }
                } else {
                    ui.add(
                        egui::Label::new(RichText::new(text).color(Color32::from_rgb(30, 140, 60)))
                            .wrap(),
                    );
                }
            });
        });
        if self.tab == Tab::Tasks
            && let Some(task) = &self.open_task
        {
            egui::Panel::right("task-detail")
                .resizable(true)
                .default_size(460.0)
                .size_range(300.0..=900.0)
                .show(ui, |ui| {
                    detail_panel(ui, &self.model, task, &mut self.panels.detail, actions);
                });
        }
        if self.tab == Tab::Ledger && self.panels.ledger.editor_open() {
            egui::Panel::right("record-editor")
                .resizable(true)
                .default_size(480.0)
                .size_range(320.0..=900.0)
                .show(ui, |ui| {
                    record_panel(ui, &self.model, &mut self.panels.ledger, actions);
                });
        }
        if self.tab == Tab::Targets && self.panels.targets.detail_open() {
            egui::Panel::right("target-detail")
                .resizable(true)
                .default_size(460.0)
                .size_range(320.0..=900.0)
                .show(ui, |ui| {
                    target_detail(
                        ui,
                        &self.model,
                        &self.plugins.view,
                        &mut self.panels.targets,
                        actions,
                    );
                });
        }
        egui::CentralPanel::default().show(ui, |ui| match self.tab {
            Tab::Overview => overview_panel(ui, &self.model, actions),
            Tab::Today => today_panel(ui, &self.model, &mut self.panels.today, actions),
            Tab::Board => board_panel(ui, &self.model, &mut self.panels.board),
            Tab::Timeline => timeline_panel(ui, &self.model, &mut self.panels.timeline),
            Tab::Reports => reports_panel(ui, &self.model, &mut self.panels.reports, actions),
            Tab::Supervision => supervision_panel(
                ui,
                &self.model,
                &self.plugins.view,
                &mut self.panels.supervision,
                actions,
            ),
            Tab::Ledger => ledger_panel(
                ui,
                &self.model,
                &self.plugins.view,
                &mut self.panels.ledger,
                actions,
            ),
            Tab::Targets => {
                targets_panel(
                    ui,
                    &self.model,
                    &self.plugins.view,
                    &mut self.panels.targets,
                    actions,
                );
            }
            Tab::Tasks => tasks_panel(
                ui,
                &self.model,
                &mut self.panels.tasks,
                self.open_task.as_deref(),
                actions,
            ),
            Tab::Units => units_panel(ui, &self.model, &mut self.panels.units, actions),
            Tab::Print => print_panel(ui, &self.model, &mut self.panels.print),
            Tab::Plugins => {
                plugins_panel(
                    ui,
                    &self.plugins.view,
                    &self.model,
                    &mut self.panels.plugins,
                    actions,
                );
            }
            Tab::Backup => backup_panel(ui, &self.model, &mut self.panels.backup, actions),
        });
        search_window(ui, &self.model, &mut self.panels.search, actions);
    }

    /// Applies one action; returns the new status line, if it changes.
    fn apply(&mut self, action: Action) -> Option<StatusLine> {
        match action {
            Action::Apply { from, command } => {
                // Written off the UI thread; the answer is taken in a later frame
                // (`finish_write`). A double click gives the same command once.
                self.writes.submit(from, command);
                None
            }
            Action::ExportXlsx { tables, path } => Some(self.start_export(tables, path)),
            Action::Backup(path) => {
                Some(match self.backups.backup_to(self.session.store(), path) {
                    Ok(msg) => StatusLine::Info(msg),
                    Err(e) => StatusLine::Error(e),
                })
            }
            Action::OpenTarget(id) => {
                self.tab = Tab::Targets;
                self.panels.targets.select(&id);
                None
            }
            Action::SearchRecords { query } => {
                self.start_record_search(query);
                None
            }
            Action::OpenRecord { form, id } => {
                self.tab = Tab::Ledger;
                let said = self.open_ledger(&form);
                if let Some(l) = &self.model.ledger
                    && l.form().id == form
                {
                    match l.record(id).cloned() {
                        Some(r) => self.panels.ledger.open_record(l, &r, self.model.today),
                        None => {
                            return Some(StatusLine::Error(format!(
                                "“{}”中没有编号为 {id} 的记录",
                                l.form().title
                            )));
                        }
                    }
                }
                said
            }
            Action::OpenReport { report, due } => {
                self.tab = Tab::Reports;
                self.panels.reports.open(&self.model, &report, due);
                None
            }
            Action::SuperviseTask(task) => {
                self.tab = Tab::Supervision;
                self.panels.supervision.item_from_task(&self.model, &task);
                None
            }
            Action::OpenSupervision(id) => {
                self.tab = Tab::Supervision;
                self.panels.supervision.open(&id);
                None
            }
            Action::ComputeAssessment(year) => {
                match self.session.assessment(year, None, None, self.model.today) {
                    Ok(a) => {
                        let n = a.sheets.len();
                        self.model.assessment = Some(a);
                        Some(StatusLine::Info(format!(
                            "{year}年度考核表已生成：{n} 个单位"
                        )))
                    }
                    Err(e) => Some(StatusLine::Error(format!("考核表未能生成：{e}"))),
                }
            }
            Action::OpenTask(id) => {
                self.open_task = Some(id.clone());
                self.tab = Tab::Tasks;
                self.load_detail(&id)
            }
            Action::CloseTask => {
                self.open_task = None;
                None
            }
            Action::LoadHistory(entry) => {
                match self
                    .session
                    .store()
                    .audit(Some(&format!("progress:{entry}")), 200)
                {
                    Ok(records) => {
                        if let Some(d) = &mut self.model.detail {
                            d.history.insert(entry, records);
                        }
                        None
                    }
                    Err(e) => Some(StatusLine::Error(format!("修改记录读取失败：{e}"))),
                }
            }
            Action::PrintNotice(task) => {
                self.panels.print.preset_notice(&task);
                self.tab = Tab::Print;
                None
            }
            Action::PrintLetter(item) => {
                self.panels.print.preset_letter(item);
                self.tab = Tab::Print;
                None
            }
            Action::PrintForm(record) => {
                self.panels.print.preset_form(record);
                self.tab = Tab::Print;
                None
            }
            Action::SwitchTab(tab) => {
                self.tab = tab;
                None
            }
            Action::InstallPlugin {
                path,
                allow_downgrade,
            } => Some(match self.plugins.install(path.clone(), allow_downgrade) {
                Ok(()) => StatusLine::Info(format!("正在安装插件包 {} …", path.display())),
                Err(e) => StatusLine::Error(e),
            }),
            Action::CancelInstall => {
                self.plugins.cancel_install();
                None
            }
            Action::SetPluginEnabled { sector, on } => {
                match self.plugins.set_enabled(&sector, on) {
                    Ok(()) => None,
                    Err(e) => Some(StatusLine::Error(e)),
                }
            }
            Action::RemovePlugin(sector) => match self.plugins.remove(&sector) {
                Ok(()) => None,
                Err(e) => Some(StatusLine::Error(format!("未能移除：{e}"))),
            },
            Action::FilterPlan(plan) => {
                self.panels.tasks.show_plan(plan);
                self.tab = Tab::Tasks;
                None
            }
            Action::OpenLedger(form) => {
                self.tab = Tab::Ledger;
                self.open_ledger(&form)
            }
            Action::LoadRecordHistory(id) => {
                match self
                    .session
                    .store()
                    .audit(Some(&format!("record:{id}")), 200)
                {
                    Ok(records) => {
                        let revisions = match &self.model.ledger {
                            Some(l) => records
                                .iter()
                                .map(|a| revision(l.form(), a, &self.model.units))
                                .collect(),
                            None => Vec::new(),
                        };
                        self.model.record_history.insert(id, revisions);
                        None
                    }
                    Err(e) => {
                        self.model.record_history.insert(id, Vec::new());
                        Some(StatusLine::Error(format!("修改记录读取失败：{e}")))
                    }
                }
            }
            Action::ClassifyRecords { form, records } => {
                if let Some(host) = self.plugins.host().cloned()
                    && self.plugins.view.form(&form).is_some()
                {
                    self.classifier
                        .request(host, form, records, self.model.today);
                }
                None
            }
            Action::ValidateRecord {
                session,
                form,
                values,
            } => {
                if let Some(host) = self.plugins.host().cloned()
                    && self.plugins.view.form(&form).is_some()
                {
                    self.validator
                        .request(host, session, &form, values, self.model.today);
                }
                None
            }
            // Handled by DeskApp.
            Action::Restore(_)
            | Action::Retry
            | Action::StartFresh
            | Action::SetAppearance { .. }
            | Action::SetAsOf(_)
            | Action::OpenEvidence(_)
            | Action::ReprintNotice { .. }
            | Action::PrintIssuedNotice { .. }
            | Action::Error(_)
            | Action::Info(_) => None,
        }
    }

    /// Reads the whole model again (after sector plans were imported).
    fn reload_model(&mut self) -> Result<(), StoreError> {
        let today = self.model.today;
        let ledger = self.model.ledger.take();
        let computed = std::mem::take(&mut self.model.computed);
        let generation = self.model.generation();
        self.model = DeskModel::load(self.session.store(), today)?;
        // Caches keyed by the generation (the filtered task list) must see a new model.
        self.model.follow(generation);
        // A filter on a plan of another campaign would show nothing: it goes.
        if let Some(plan) = &self.panels.tasks.plan
            && self.model.plan(plan).is_none()
        {
            self.panels.tasks.plan = None;
        }
        // A task of another campaign is not shown: its detail closes.
        if let Some(task) = &self.open_task
            && self.model.row(task).is_none()
        {
            self.open_task = None;
            self.model.detail = None;
        }
        // The records and computed values are not in what was imported: keep them (the
        // imported targets may differ: compute everything again).
        self.model.computed = computed;
        if let Some(mut l) = ledger {
            l.set_units(&self.model.units);
            self.model.set_ledger(Some(l));
        }
        self.model.evaluate_targets();
        self.compute_all = true;
        if let Some(task) = self.open_task.clone()
            && let Some(StatusLine::Error(e)) = self.load_detail(&task)
        {
            return Err(StoreError::Invalid(e));
        }
        Ok(())
    }

    fn load_detail(&mut self, task: &str) -> Option<StatusLine> {
        match self.session.store().progress_of(task) {
            Ok(entries) => {
                self.model.detail = Some(TaskDetailData {
                    task: task.to_owned(),
                    entries,
                    history: Default::default(),
                });
                None
            }
            Err(e) => {
                self.model.detail = None;
                Some(StatusLine::Error(format!("进展记录读取失败：{e}")))
            }
        }
    }

    /// Takes a command's answer from the writer: refreshes the parts of the model it touched
    /// and hands the outcome to the panel it came from. Returns the status line.
    fn finish_write(&mut self, written: Written, changed: &mut bool) -> StatusLine {
        let Written {
            from,
            command,
            result,
        } = written;
        let result = result.map(|applied| {
            // On disk now: the writer flushed before it answered.
            *changed = true;
            let touched = Touched::of(&command, &applied);
            Saved { applied, touched }
        });
        let outcome = Outcome {
            from,
            command,
            result,
        };
        let refreshed = match &outcome.result {
            Ok(saved) => {
                self.undo = effects(&outcome.command).undo;
                self.refresh(&saved.touched, &saved.applied)
            }
            Err(_) => Ok(()),
        };
        let words = self
            .panels
            .taking(outcome.from)
            .and_then(|panel| panel.on_outcome(&outcome, &self.model))
            .or_else(|| user_words(&outcome.command, &self.model, &self.plugins.view));
        match (&outcome.result, refreshed) {
            (Err(msg), _) => StatusLine::Error(msg.clone()),
            (Ok(saved), Err(e)) => StatusLine::Error(format!(
                "已保存“{}”，但刷新显示失败：{e}",
                saved.applied.summary
            )),
            (Ok(saved), Ok(())) => {
                StatusLine::saved(words.unwrap_or_else(|| saved.applied.summary.clone()))
            }
        }
    }

    /// Brings the parts of the model a saved command touched up to date, reading no more
    /// than them.
    fn refresh(&mut self, touched: &Touched, applied: &Applied) -> Result<(), StoreError> {
        for part in touched.parts() {
            match part {
                Part::Progress => {
                    if let Some(entry) = &applied.entry {
                        self.refresh_progress(&entry.task)?;
                    }
                }
                Part::Units => {
                    let updated = applied
                        .unit
                        .clone()
                        .is_some_and(|unit| self.model.upsert_unit(unit));
                    if !updated {
                        // The incremental update failed: take the directory as stored.
                        self.model.set_units(self.session.store().unit_directory()?);
                    }
                }
                Part::Settings => self.model.set_settings(self.session.store().settings()?),
                Part::PluginHost => {
                    // The host reads these settings when it starts: start it again.
                    self.session.set_host(None);
                    self.plugins = PluginsRuntime::start(&self.session, &self.jobs);
                }
                Part::SectorPlans => self.reload_model()?,
                Part::Unverified => self.model.unverified = self.session.store().unverified()?,
                Part::Records => match applied.record.clone() {
                    Some(record) => self.record_changed(record),
                    None => return Err(StoreError::Invalid("保存结果中没有记录".to_owned())),
                },
                Part::Targets => self.model.set_targets(self.session.store().targets()?),
                Part::Notices => self.model.set_notices(self.session.store().notices(None)?),
                Part::Reports => self
                    .model
                    .set_submissions(self.session.store().submissions()?),
                // The rows the change wrote and took out: never the registers read again.
                Part::Supervision => self
                    .model
                    .supervision_changed(&applied.supervision, &applied.supervision_removed),
            }
        }
        Ok(())
    }

    /// After a progress change: that task's summary, row and (if open) its log.
    fn refresh_progress(&mut self, task: &str) -> Result<(), StoreError> {
        let entries = self.session.store().progress_of(task)?;
        self.model.set_progress(task, entries);
        Ok(())
    }

    /// After a record was saved: the open ledger (in memory), the form's count, and its
    /// target values (recomputed after the debounce).
    fn record_changed(&mut self, record: FormRecord) {
        let form = record.form.clone();
        self.model.record_saved(record);
        if self.model.computing_forms().contains(&form) {
            self.computes.mark(&form, false);
        }
    }

    /// Opens the ledger of `form`: its records are read once and then kept up to date.
    fn open_ledger(&mut self, form: &str) -> Option<StatusLine> {
        if self
            .model
            .ledger
            .as_ref()
            .is_some_and(|l| l.form().id == form)
        {
            return None;
        }
        let Some(def) = self.plugins.view.form(form).map(|f| f.form.clone()) else {
            return Some(StatusLine::Error(format!(
                "表单“{form}”不可用（插件未启用）"
            )));
        };
        match self.session.store().records(form) {
            Ok(records) => {
                self.model
                    .set_ledger(Some(LedgerRows::new(def, records, &self.model.units)));
                self.panels.ledger.form_opened();
                None
            }
            Err(e) => Some(StatusLine::Error(format!("台账读取失败：{e}"))),
        }
    }

    /// Searches every register of the campaign's sector plans for `query` on a worker (the
    /// search before is given up): at most [`crate::panels::search::PER_KIND`] records, not
    /// deleted ones, each named by its form's title, the field and the value that matched.
    fn start_record_search(&mut self, query: String) {
        if let Some(old) = self.record_search.take() {
            old.cancel();
        }
        let sectors: Vec<&str> = self
            .model
            .plans
            .iter()
            .filter_map(|p| p.sector.as_deref())
            .collect();
        let forms: Vec<Searched> = self
            .model
            .record_counts
            .iter()
            .filter(|(f, n)| {
                **n > 0 && f.split_once('/').is_some_and(|(s, _)| sectors.contains(&s))
            })
            .map(|(f, _)| match self.plugins.view.form(f) {
                Some(v) => Searched {
                    form: f.clone(),
                    title: v.form.title.clone(),
                    labels: v
                        .form
                        .fields
                        .iter()
                        .map(|d| (d.name.clone(), d.label.clone()))
                        .collect(),
                },
                None => Searched {
                    form: f.clone(),
                    title: f.clone(),
                    labels: HashMap::new(),
                },
            })
            .collect();
        let reader = self.session.store().record_reader();
        let needle = query.to_lowercase();
        self.record_search = Some(self.jobs.spawn("search-records", move |ctl| {
            let has = |s: &str| s.to_lowercase().contains(&needle);
            let (mut hits, mut read) = (Vec::new(), 0);
            for f in &forms {
                ctl.checkpoint()?;
                let room = crate::panels::search::PER_KIND.saturating_sub(hits.len());
                if room == 0 {
                    break;
                }
                let (found, n) = reader
                    .find(
                        &f.form,
                        room,
                        |r| {
                            !r.deleted
                                && r.values
                                    .values()
                                    .any(|v| crate::panels::search::value_has(v, &has))
                        },
                        || ctl.cancelled(),
                    )
                    .map_err(|e| JobError::Failed(e.to_string()))?;
                read += n;
                for r in found {
                    let (field, value) = r
                        .values
                        .iter()
                        .find(|(_, v)| crate::panels::search::value_has(v, &has))
                        .map(|(k, v)| (f.labels.get(k).unwrap_or(k).clone(), plain_value(v)))
                        .unwrap_or_default();
                    hits.push(crate::panels::Hit::Record {
                        form: f.form.clone(),
                        id: r.id,
                        text: format!("{} #{}：{field}：{value}", f.title, r.id),
                    });
                }
            }
            ctl.checkpoint()?;
            Ok(RecordAnswer { query, hits, read })
        }));
    }

    /// Takes the answer of the search of the registers; `wait`: until it is there.
    /// Starts writing `tables` to `path`, one export at a time.
    fn start_export(
        &mut self,
        tables: Vec<anwei_exchange::xlsx::Table>,
        path: std::path::PathBuf,
    ) -> StatusLine {
        if let Some((running, ..)) = &self.export {
            return StatusLine::Error(format!(
                "正在导出 {}，完成后再导出下一个",
                running.display()
            ));
        }
        let rows = tables.iter().map(|t| t.rows.len()).sum();
        let to = path.clone();
        let job = self.jobs.spawn("export-xlsx", move |_| {
            anwei_exchange::xlsx::save(&to, &tables).map_err(|e| JobError::Failed(e.to_string()))
        });
        let status = StatusLine::Info(format!("正在导出 {rows} 行到 {}…", path.display()));
        self.export = Some((path, rows, job));
        status
    }

    /// The finished export's message (`wait`: waits for a running one).
    fn poll_export(&mut self, wait: bool) -> Option<StatusLine> {
        let (_, _, job) = self.export.as_mut()?;
        if wait {
            job.wait();
        }
        let answer = job.poll()?;
        let (path, rows, _) = self.export.take()?;
        Some(match answer {
            Ok(()) => StatusLine::saved(format!("已导出 {rows} 行到 {}", path.display())),
            Err(e) => StatusLine::Error(format!("未能导出：{e}")),
        })
    }

    fn poll_record_search(&mut self, wait: bool) -> Option<String> {
        loop {
            match crate::jobs::take_answer(&mut self.record_search) {
                Some(Ok(a)) => {
                    self.panels.search.take_records(a.query, a.hits, a.read);
                    return None;
                }
                Some(Err(JobError::Cancelled)) => return None,
                Some(Err(e)) => return Some(format!("台账记录查找失败：{e}")),
                None if wait && self.record_search.is_some() => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                None => return None,
            }
        }
    }

    /// After the plugins changed: the open ledger's form definition, and every computed
    /// value (a plugin may have been upgraded, enabled or disabled).
    fn plugins_changed(&mut self) {
        if let Some(l) = &mut self.model.ledger
            && let Some(f) = self.plugins.view.form(&l.form().id)
        {
            l.set_form(f.form.clone());
        }
        self.compute_all = true;
    }

    /// Keeps `targets_pending` to the forms with records whose values are stale (all of them
    /// while every form is to be computed, or while no plugin host runs).
    fn note_pending_targets(&mut self) {
        let mut pending: Vec<String> = if self.compute_all || self.plugins.host().is_none() {
            self.model.computing_forms()
        } else {
            self.computes.pending().map(str::to_owned).collect()
        };
        pending.sort();
        pending.dedup();
        let pending: Vec<String> = pending
            .into_iter()
            .filter(|f| self.model.record_counts.get(f).copied().unwrap_or(0) > 0)
            .map(|f| {
                self.plugins
                    .view
                    .form(&f)
                    .map_or(f, |v| v.form.title.clone())
            })
            .collect();
        if pending != self.model.targets_pending {
            self.model.targets_pending = pending;
        }
    }

    /// Starts due computations and takes finished ones and validations; `wait`: until none
    /// is left. Returns messages for the status line.
    fn poll_workers(&mut self, wait: bool) -> Vec<String> {
        let mut errors = Vec::new();
        errors.extend(self.poll_record_search(wait));
        let Some(host) = self.plugins.host().cloned() else {
            self.note_pending_targets();
            return errors;
        };
        // Target values are computed when something shows them (the 指标 tab, a 进展报告 on
        // the 打印 tab): the first frame never waits for a register, and a form changed
        // elsewhere is computed when its values are looked at (most often kept from the last
        // time: see `compute_form_cached`).
        let wanted = self.tab == Tab::Targets
            || (self.tab == Tab::Print && self.panels.print.kind == DocKind::Report);
        if self.compute_all && wanted {
            self.compute_all = false;
            for form in self.model.computing_forms() {
                self.computes.mark(&form, true);
            }
        }
        let today = self.model.today;
        loop {
            let mut changed = false;
            let due = if wanted {
                self.computes.due(wait)
            } else {
                Vec::new()
            };
            for form in due {
                // Only plugins that are enabled compute; no record: no value.
                let has_records = self.model.record_counts.get(&form).copied().unwrap_or(0) > 0;
                if self.plugins.view.form(&form).is_some() && has_records {
                    let reader = self.session.store().record_reader();
                    self.computes.start(host.clone(), &form, reader, today);
                } else {
                    self.model.clear_computed(&form);
                    changed = true;
                }
            }
            for done in self.computes.poll(wait) {
                if done.as_of != self.model.today {
                    // "Today" moved while it ran.
                    self.computes.mark(&done.form, true);
                    continue;
                }
                tracing::debug!("computed {} in {:?}", done.form, done.elapsed);
                match done.values {
                    Ok(values) => self.model.set_computed(&done.form, values, done.as_of),
                    Err(e) => {
                        let title = self
                            .plugins
                            .view
                            .form(&done.form)
                            .map_or(done.form.clone(), |f| f.form.title.clone());
                        errors.push(format!("“{title}”的指标未能计算：{e}"));
                    }
                }
            }
            if changed {
                self.model.evaluate_targets();
            }
            for v in self.validator.poll(wait) {
                let issues = v.issues.unwrap_or_else(|e| {
                    vec![FieldIssue {
                        field: String::new(),
                        severity: Severity::Warning,
                        message: format!("插件未能检查此记录：{e}"),
                    }]
                });
                self.panels
                    .ledger
                    .take_plugin_issues(v.session, issues, v.classes);
            }
            for c in self.classifier.poll(wait) {
                if let Some(e) = &c.error {
                    errors.push(format!("规则判定未完成：{e}"));
                }
                self.panels.ledger.rules.take(&c.form, c.today, c.results);
            }
            // Forms marked while their values are not shown wait for the 指标 tab.
            let computing = if wanted {
                self.computes.busy()
            } else {
                self.computes.running()
            };
            if !wait || !(computing || self.validator.busy() || self.classifier.busy()) {
                break;
            }
        }
        self.note_pending_targets();
        errors
    }
}
