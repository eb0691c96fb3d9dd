//! The window's own preferences — theme, text size, window size and place, the last tab — kept per
//! user in a small file of the user's configuration folder (not in the office's database:
//! they are how one person likes the window, not the office's data). A missing or unreadable
//! file gives the defaults: a light theme and medium text.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::action::Tab;

/// Light (the default: offices print and read on white) or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 2] = [Theme::Light, Theme::Dark];

    pub fn label_zh(self) -> &'static str {
        match self {
            Theme::Light => "浅色",
            Theme::Dark => "深色",
        }
    }

    /// egui's theme (whatever the system prefers: the user chose).
    pub fn egui(self) -> egui::Theme {
        match self {
            Theme::Light => egui::Theme::Light,
            Theme::Dark => egui::Theme::Dark,
        }
    }
}

/// Text size 小 / 中 / 大: everything in the window scales with it. 中, the default, is larger
/// than egui's own size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    Small,
    #[default]
    Medium,
    Large,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Small, TextSize::Medium, TextSize::Large];

    pub fn label_zh(self) -> &'static str {
        match self {
            TextSize::Small => "小",
            TextSize::Medium => "中",
            TextSize::Large => "大",
        }
    }

    /// The window's zoom factor.
    pub fn zoom(self) -> f32 {
        match self {
            TextSize::Small => 1.0,
            TextSize::Medium => 1.15,
            TextSize::Large => 1.3,
        }
    }
}

/// Largest preferences file read (it holds a few short fields).
const MAX_PREFS_BYTES: u64 = 64 << 10;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub text: TextSize,
    /// The window's inner size when it was last closed (points).
    #[serde(default)]
    pub window: Option<[f32; 2]>,
    /// Where the window's outer top-left corner was when it was last closed (points on the
    /// screen), when the system said.
    #[serde(default)]
    pub position: Option<[f32; 2]>,
    /// The tab shown when the window was last closed.
    #[serde(default)]
    pub tab: Option<Tab>,
}

impl Prefs {
    /// The preferences in `path`; the defaults when it is missing, too large or unreadable
    /// (said in the log: the window still opens).
    pub fn load(path: &Path) -> Prefs {
        let read = || -> Result<Prefs, String> {
            let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
            if meta.len() > MAX_PREFS_BYTES {
                return Err(format!("文件过大（{} 字节）", meta.len()));
            }
            let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
            serde_json::from_str(&text).map_err(|e| e.to_string())
        };
        match read() {
            Ok(p) => p.sane(),
            Err(e) => {
                if path.exists() {
                    tracing::warn!("窗口偏好 {} 无法读取，使用默认值：{e}", path.display());
                }
                Prefs::default()
            }
        }
    }

    /// Writes the preferences to `path` atomically (the folder is made when missing).
    pub fn save(&self, path: &Path) -> Result<(), anwei_files::WriteError> {
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        anwei_files::AtomicWrite::new(path)
            .create_folder()
            .write(&text)
    }

    /// A window size no screen would take is forgotten.
    fn sane(mut self) -> Prefs {
        if let Some([w, h]) = self.window
            && !(w.is_finite()
                && h.is_finite()
                && (400.0..=20_000.0).contains(&w)
                && (300.0..=20_000.0).contains(&h))
        {
            self.window = None;
        }
        // A corner far off any screen (a monitor that is gone) is forgotten: the system
        // places the window.
        if let Some([x, y]) = self.position
            && !(x.is_finite()
                && y.is_finite()
                && (-200.0..=16_000.0).contains(&x)
                && (-200.0..=16_000.0).contains(&y))
        {
            self.position = None;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn defaults_are_light_and_medium_and_a_bad_file_gives_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prefs").join("window.json");
        assert_eq!(Prefs::load(&path), Prefs::default());
        assert_eq!(Prefs::default().theme, Theme::Light);
        assert_eq!(Prefs::default().text, TextSize::Medium);
        assert!(TextSize::Medium.zoom() > TextSize::Small.zoom());
        let p = Prefs {
            theme: Theme::Dark,
            text: TextSize::Large,
            window: Some([1280.0, 800.0]),
            position: Some([40.0, 30.0]),
            tab: Some(Tab::Targets),
        };
        p.save(&path).unwrap();
        assert_eq!(Prefs::load(&path), p);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Prefs::load(&path), Prefs::default());
        std::fs::write(&path, r#"{"window": [1e30, 5]}"#).unwrap();
        assert_eq!(Prefs::load(&path).window, None);
        // A place far off any screen is forgotten; one on it is kept.
        std::fs::write(&path, r#"{"position": [-90000, 10]}"#).unwrap();
        assert_eq!(Prefs::load(&path).position, None);
        std::fs::write(&path, r#"{"position": [1930, 10]}"#).unwrap();
        assert_eq!(Prefs::load(&path).position, Some([1930.0, 10.0]));
    }
}
