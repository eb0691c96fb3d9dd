//! What became of a command: saved (with what it touched) or refused (with the message).
//! The desk refreshes the model by the [`Touched`] parts, then hands the [`Outcome`] to the
//! panel the command came from ([`TakesOutcome`]); the desk itself never writes into a
//! panel. [`effects`] is the one place that knows each command: what it may change and what
//! the status line offers to undo.

use std::collections::BTreeSet;

use anwei_core::{Command, RowKind};
use anwei_store::Applied;

use crate::action::Origin;
use crate::model::DeskModel;

/// A part of the model a saved command may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// One task's progress (the entry in [`Applied::entry`]): its summary, row and log.
    Progress,
    /// The unit directory (the unit in [`Applied::unit`], else read again).
    Units,
    /// The settings (status rules, user name, print settings…).
    Settings,
    /// Settings the plugin host reads when it starts: it is started again.
    PluginHost,
    /// Sector plans (plans, tasks, targets, units): the whole model is read again.
    SectorPlans,
    /// Whether the database is marked unverified.
    Unverified,
    /// A ledger record (the one in [`Applied::record`]) and the targets computed from it.
    Records,
    /// The targets' hand-entered values.
    Targets,
    /// The notice register (the next 文号).
    Notices,
    /// The units' submissions of reports (报送).
    Reports,
    /// The supervision registers (督办事项, 通报, 约谈, accidents, 考核 deductions) and their
    /// rules.
    Supervision,
}

/// The parts of the model a saved command changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched(BTreeSet<Part>);

impl Touched {
    /// What `command` may change (see [`effects`]) and what `applied` says did change (the
    /// kinds of rows the store wrote).
    pub fn of(command: &Command, applied: &Applied) -> Touched {
        let mut parts: BTreeSet<Part> = effects(command).touches.iter().copied().collect();
        if applied.entry.is_some() {
            parts.insert(Part::Progress);
        }
        if applied.unit.is_some() {
            parts.insert(Part::Units);
        }
        if applied.record.is_some() {
            parts.insert(Part::Records);
        }
        for kind in applied.touched.keys() {
            parts.insert(match kind {
                RowKind::Progress => Part::Progress,
                RowKind::Unit => Part::Units,
                RowKind::Record => Part::Records,
                RowKind::Setting => Part::Settings,
                RowKind::Target | RowKind::Measurement => Part::Targets,
                RowKind::Notice => Part::Notices,
                RowKind::Submission => Part::Reports,
                RowKind::Supervision => Part::Supervision,
                RowKind::Unverified => Part::Unverified,
                RowKind::Campaign | RowKind::Plan | RowKind::Task | RowKind::Sector => {
                    Part::SectorPlans
                }
            });
        }
        Touched(parts)
    }

    pub fn contains(&self, part: Part) -> bool {
        self.0.contains(&part)
    }

    /// In [`Part`] order.
    pub fn parts(&self) -> impl Iterator<Item = Part> + '_ {
        self.0.iter().copied()
    }
}

/// A command that takes a saved change back, offered next to the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    /// The button ("撤销删除").
    pub label: &'static str,
    /// Its hover text.
    pub hint: String,
    pub command: Command,
}

/// What a command does to the desk once saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// The parts of the model to refresh.
    pub touches: &'static [Part],
    /// What the status line offers to undo (until the next save).
    pub undo: Option<Undo>,
}

/// The desk's side of every command. A new command gets its arm here (the match has no
/// catch-all, so the compiler points here); its panel takes the outcome in its
/// [`TakesOutcome`].
pub fn effects(command: &Command) -> Effects {
    use Part::*;
    let touches: &'static [Part] = match command {
        Command::AddProgress { .. } | Command::EditProgress { .. } => &[Progress],
        Command::AddUnit { .. }
        | Command::RenameUnit { .. }
        | Command::SetUnitAliases { .. }
        | Command::SetUnitKind { .. } => &[Units],
        Command::SetDueSoonDays { .. }
        | Command::SetUserName { .. }
        | Command::SetPrintSettings { .. }
        | Command::SetNotApplicable { .. }
        | Command::AdjustDeadline { .. }
        | Command::SetReporting { .. } => &[Settings],
        Command::SetPluginDeveloperMode { .. }
        | Command::SetPluginRootKey { .. }
        | Command::SetPluginTrustList { .. } => &[Settings, PluginHost],
        Command::ImportSectorPlan { .. }
        | Command::RemoveSectorPlan { .. }
        | Command::ImportCampaign { .. } => &[SectorPlans],
        // The campaign shown changes, or whether it takes changes: everything is read again.
        Command::SetCurrentCampaign { .. } | Command::ArchiveCampaign { .. } => {
            &[Settings, SectorPlans]
        }
        // Progress, submissions and office reports at once: everything is read again.
        Command::AddDemoData { .. } | Command::RemoveDemoData => &[Settings, SectorPlans],
        Command::MoveSectorPlan { .. } => &[SectorPlans],
        Command::AcknowledgeUnverified => &[Unverified],
        Command::RecordPluginEvent { .. } => &[],
        Command::AddRecord { .. }
        | Command::ImportRecords { .. }
        | Command::EditRecord { .. }
        | Command::DeleteRecord { .. }
        | Command::RestoreRecord { .. } => &[Records],
        Command::AddMeasurement { .. } => &[Targets],
        Command::RecordNotice { .. } | Command::VoidNotice { .. } => &[Notices],
        Command::SubmitReport { .. }
        | Command::AcceptSubmission { .. }
        | Command::ReturnSubmission { .. } => &[Reports],
        Command::Supervise { .. } => &[Supervision],
    };
    let undo = match command {
        Command::DeleteRecord { id } => Some(Undo {
            label: "撤销删除",
            hint: format!("恢复刚删除的台账记录 #{id}"),
            command: Command::RestoreRecord { id: *id },
        }),
        _ => None,
    };
    Effects { touches, undo }
}

/// A command saved: what the store says it did and the parts of the model it touched.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub applied: Applied,
    pub touched: Touched,
}

/// What became of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub from: Origin,
    pub command: Command,
    /// `Err`: the message shown ("未保存：…"); nothing was saved.
    pub result: Result<Saved, String>,
}

impl Outcome {
    /// What the store did, when it saved the command.
    pub fn saved(&self) -> Option<&Applied> {
        self.result.as_ref().ok().map(|s| &s.applied)
    }

    /// Why nothing was saved.
    pub fn refused(&self) -> Option<&str> {
        self.result.as_ref().err().map(String::as_str)
    }
}

/// A panel's side of the commands it pushes: it keeps the user's input when one is refused
/// (and shows why), and clears or closes its form when one is saved.
pub trait TakesOutcome {
    /// Takes the outcome of a command this panel pushed (the model is already refreshed).
    /// Returns its own words for the status line of a save, if it has them.
    fn on_outcome(&mut self, outcome: &Outcome, model: &DeskModel) -> Option<String>;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn applied() -> Applied {
        Applied {
            audit_id: 1,
            summary: String::new(),
            entry: None,
            unit: None,
            record: None,
            touched: Default::default(),
            supervision: Vec::new(),
            supervision_removed: Vec::new(),
        }
    }

    #[test]
    fn touched_comes_from_the_command_and_from_what_the_store_changed() {
        let set = Touched::of(&Command::SetDueSoonDays { days: 10 }, &applied());
        assert_eq!(set.parts().collect::<Vec<_>>(), vec![Part::Settings]);
        let dev = Touched::of(&Command::SetPluginDeveloperMode { on: true }, &applied());
        assert!(dev.contains(Part::Settings) && dev.contains(Part::PluginHost));
        let event = Touched::of(
            &Command::RecordPluginEvent {
                sector: "s".into(),
                event: anwei_core::PluginEvent::Fault,
                version: String::new(),
                message: String::new(),
            },
            &applied(),
        );
        assert_eq!(event, Touched::default());
        let mut with_unit = applied();
        with_unit.unit = Some(anwei_core::Unit {
            alias_sources: Vec::new(),
            id: "u".into(),
            name: "区应急管理局".into(),
            aliases: Vec::new(),
            kind: anwei_core::UnitKind::default(),
        });
        let renamed = Touched::of(
            &Command::RenameUnit {
                unit: "u".into(),
                name: "区应急管理局".into(),
            },
            &with_unit,
        );
        assert_eq!(renamed.parts().collect::<Vec<_>>(), vec![Part::Units]);
        // The kinds of rows the store wrote count too: a campaign import reloads the plans.
        let mut imported = applied();
        imported.touched.insert(RowKind::Task, 12);
        imported.touched.insert(RowKind::Unit, 3);
        let t = Touched::of(&Command::AcknowledgeUnverified, &imported);
        assert!(t.contains(Part::SectorPlans) && t.contains(Part::Units));
    }

    #[test]
    fn only_a_deletion_offers_an_undo() {
        let undo = effects(&Command::DeleteRecord { id: 7 }).undo.unwrap();
        assert_eq!(undo.command, Command::RestoreRecord { id: 7 });
        assert_eq!(undo.label, "撤销删除");
        assert!(effects(&Command::RestoreRecord { id: 7 }).undo.is_none());
    }
}
