//! 看板: which unit is behind — the campaign's units against their tasks' statuses, a traffic
//! light each, sortable by any column — and how the campaign went month by month (the status
//! counts at each month's end, from the progress history), drawn with egui_plot.

use anwei_core::Status;
use anwei_core::board::{
    BoardSort, Light, UnitStatus, month_ends, sort_board, status_trend, unit_board,
};
use chrono::NaiveDate;
use egui::{Color32, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use crate::model::DeskModel;
use crate::widgets::status_color;

/// The board's sort and the cached board and trend (computed again when the model changes).
#[derive(Debug, Clone, Default)]
pub struct BoardState {
    pub sort: BoardSort,
    cache: Option<Cached>,
}

#[derive(Debug, Clone)]
struct Cached {
    generation: u64,
    today: NaiveDate,
    sort: BoardSort,
    board: Vec<UnitStatus>,
    days: Vec<NaiveDate>,
    trend: Vec<[usize; 5]>,
}

impl BoardState {
    /// The board and the trend for `model`, computed only when it changed.
    fn refresh(&mut self, model: &DeskModel) -> &Cached {
        let fresh = self.cache.as_ref().is_some_and(|c| {
            c.generation == model.generation() && c.today == model.today && c.sort == self.sort
        });
        if !fresh {
            self.cache = Some(Cached::compute(model, self.sort));
        }
        self.cache
            .get_or_insert_with(|| Cached::compute(model, self.sort))
    }

    /// The board as last drawn (tests).
    pub fn board(&self) -> Option<&[UnitStatus]> {
        self.cache.as_ref().map(|c| c.board.as_slice())
    }

    /// The trend as last drawn: (month end, counts in [`Status::ALL`] order) (tests).
    pub fn trend(&self) -> Vec<(NaiveDate, [usize; 5])> {
        self.cache
            .as_ref()
            .map(|c| {
                c.days
                    .iter()
                    .copied()
                    .zip(c.trend.iter().copied())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Cached {
    fn compute(model: &DeskModel, sort: BoardSort) -> Cached {
        let c = &model.campaign;
        let last = model.today.min(c.end);
        let days = if last < c.start {
            Vec::new()
        } else {
            let mut d = month_ends(c.start, last);
            // The last point is the day shown, not the end of its month.
            if let Some(x) = d.last_mut() {
                *x = (*x).min(last);
            }
            d
        };
        let plan_end = |plan: &str| model.plan(plan).map_or(c.end, |p| c.plan_end(p));
        let trend = status_trend(
            &model.tasks,
            |t, day| {
                model
                    .settings
                    .deadline_changes
                    .in_force(&t.id, day)
                    .map_or_else(|| t.effective_due(plan_end(&t.plan)), |c| c.due)
            },
            &model.entries,
            model.settings.rules(),
            &model.settings.not_applicable,
            &days,
        );
        Cached {
            generation: model.generation(),
            today: model.today,
            sort,
            board: unit_board(&model.rows, sort),
            days,
            trend,
        }
    }
}

fn light_color(l: Light) -> Color32 {
    match l {
        Light::Red => status_color(Status::Overdue),
        Light::Amber => status_color(Status::DueSoon),
        Light::Green => status_color(Status::Done),
        Light::Grey => Color32::from_gray(150),
    }
}

/// Draws the panel.
pub fn board_panel(ui: &mut Ui, model: &DeskModel, state: &mut BoardState) {
    let mut sort = state.sort;
    let cached = state.refresh(model);
    ui.heading(format!("看板（截至 {}）", model.today));
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("单位信号灯：").weak());
        for l in [Light::Red, Light::Amber, Light::Green, Light::Grey] {
            ui.label(RichText::new("●").color(light_color(l)));
            ui.label(l.label_zh());
        }
        ui.weak("（按牵头单位计；任务未列牵头单位的，按责任单位计；不适用的任务不计）");
    });
    let height = (ui.available_height() * 0.5).max(160.0);
    egui::Frame::new().show(ui, |ui| {
        ui.set_height(height);
        board_table(ui, &cached.board, &mut sort);
    });
    ui.separator();
    ui.label(RichText::new("各月末任务状态").strong());
    trend_plot(ui, &cached.days, &cached.trend, model.today);
    if sort != state.sort {
        state.sort = sort;
        if let Some(c) = &mut state.cache {
            sort_board(&mut c.board, sort);
            c.sort = sort;
        }
    }
}

fn board_table(ui: &mut Ui, board: &[UnitStatus], sort: &mut BoardSort) {
    const ROW: f32 = 22.0;
    let headers: [(&str, BoardSort); 7] = [
        ("单位", BoardSort::Unit),
        ("任务", BoardSort::Total),
        ("逾期", BoardSort::Status(Status::Overdue)),
        ("临期", BoardSort::Status(Status::DueSoon)),
        ("进行中", BoardSort::Status(Status::InProgress)),
        ("未开始", BoardSort::Status(Status::NotStarted)),
        ("已完成", BoardSort::Status(Status::Done)),
    ];
    TableBuilder::new(ui)
        .id_salt("unit-board")
        .striped(true)
        .sense(Sense::hover())
        .column(Column::initial(28.0))
        .column(Column::remainder().at_least(160.0).clip(true))
        .columns(Column::initial(64.0), 6)
        .min_scrolled_height(0.0)
        .header(ROW, |mut h| {
            h.col(|ui| {
                ui.strong("灯");
            });
            for (title, key) in headers {
                h.col(|ui| {
                    let active = *sort == key
                        || (key == BoardSort::Status(Status::Overdue)
                            && *sort == BoardSort::Urgency);
                    if ui
                        .selectable_label(active, RichText::new(title).strong())
                        .on_hover_text("点击按此列排序")
                        .clicked()
                    {
                        *sort = key;
                    }
                });
            }
        })
        .body(|body| {
            body.rows(ROW, board.len(), |mut row| {
                let Some(u) = board.get(row.index()) else {
                    return;
                };
                let light = u.light();
                row.col(|ui| {
                    ui.label(RichText::new("●").color(light_color(light)))
                        .on_hover_text(light.label_zh());
                });
                row.col(|ui| {
                    ui.label(&u.unit);
                });
                row.col(|ui| {
                    ui.label(u.total.to_string());
                });
                for s in [
                    Status::Overdue,
                    Status::DueSoon,
                    Status::InProgress,
                    Status::NotStarted,
                    Status::Done,
                ] {
                    row.col(|ui| {
                        let n = u.count(s);
                        let text = RichText::new(n.to_string());
                        ui.label(if n > 0 {
                            text.color(status_color(s))
                        } else {
                            text.weak()
                        });
                    });
                }
            });
        });
}

fn trend_plot(ui: &mut Ui, days: &[NaiveDate], trend: &[[usize; 5]], today: NaiveDate) {
    if days.is_empty() {
        ui.label("活动尚未开始，还没有按月的状态。");
        return;
    }
    let labels: Vec<String> = days.iter().map(|d| d.format("%Y-%m").to_string()).collect();
    let x_labels = labels.clone();
    Plot::new("status-trend")
        .legend(Legend::default())
        .height(ui.available_height().max(160.0))
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _range| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                x_labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_label("任务数")
        .show(ui, |plot| {
            for (k, s) in Status::ALL.iter().enumerate() {
                let points: PlotPoints = trend
                    .iter()
                    .enumerate()
                    .map(|(i, c)| [i as f64, c[k] as f64])
                    .collect();
                plot.line(Line::new(s.label_zh(), points).color(status_color(*s)));
            }
            // The day shown: the last point, when it is not a month's end.
            if days.last() == Some(&today) {
                plot.vline(VLine::new("截至", (days.len() - 1) as f64).color(Color32::GRAY));
            }
        });
}
