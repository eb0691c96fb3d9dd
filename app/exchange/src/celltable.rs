//! Task-division tables copied out of Word as one cell per line:
//!
//! ```text
//! 附件
//!   推进安全生产领域改革发展重点任务分工方案
//!     序号
//!     主要任务
//!     牵头单位
//!     完成时间
//!     1
//!     把安全生产和职业健康监管职责……
//!     市编办、市安监局、各县（区）政府
//!     2019年6月
//! ```
//!
//! Cells are indented with a tab in the real files. A row starts at a line holding only its
//! number; its first cell is the task, its last the deadline, and everything between is the unit cell (which may wrap over several lines,
//! contain blank lines or end with a stray "、").

use anwei_core::deadline::parse_deadline;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// 序号 as written.
    pub number: u32,
    /// 主要任务
    pub task: String,
    /// 牵头单位, split on "、".
    pub units: Vec<String>,
    /// 完成时间 as written.
    pub deadline: String,
    /// 1-based line of the row's number in the source.
    pub line: usize,
}

/// A parsed table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellTable {
    /// The label above the title ("附件", "附件2"…), if present.
    pub attachment: Option<String>,
    /// The table's title, if present above the header.
    pub title: Option<String>,
    /// Header cells, e.g. 序号 / 主要任务 / 牵头单位 / 完成时间.
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// Why a table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellTableError {
    #[error("没有找到表头（需要“序号”和“完成时间”两列）")]
    NoHeader,
    #[error("第{line}行：序号 {number} 的行不完整（至少需要主要任务和完成时间两格）")]
    ShortRow { line: usize, number: u32 },
    #[error("第{line}行：序号应为 {expected}，实际为 {found}")]
    Numbering {
        line: usize,
        expected: u32,
        found: u32,
    },
    #[error("第{line}行：序号 {number} 的完成时间“{text}”无法识别：{reason}")]
    Deadline {
        line: usize,
        number: u32,
        text: String,
        reason: String,
    },
    #[error("表格没有数据行")]
    Empty,
}

/// Parses a cell-per-line table.
pub fn parse_cell_table(text: &str) -> Result<CellTable, CellTableError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .collect();
    let header_start = lines
        .iter()
        .position(|(_, l)| *l == "序号")
        .ok_or(CellTableError::NoHeader)?;
    let header_end = lines[header_start..]
        .iter()
        .position(|(_, l)| *l == "完成时间")
        .map(|i| header_start + i)
        .ok_or(CellTableError::NoHeader)?;
    let header: Vec<String> = lines[header_start..=header_end]
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(_, l)| (*l).to_owned())
        .collect();
    let preamble: Vec<&str> = lines[..header_start]
        .iter()
        .map(|(_, l)| *l)
        .filter(|l| !l.is_empty())
        .collect();
    let (attachment, title) = match preamble.as_slice() {
        [] => (None, None),
        [only] if only.starts_with("附件") => (Some((*only).to_owned()), None),
        [only] => (None, Some((*only).to_owned())),
        [first, rest @ ..] if first.starts_with("附件") => {
            (Some((*first).to_owned()), Some(rest.concat()))
        }
        all => (None, Some(all.concat())),
    };

    // Group lines into rows at lines holding only a number.
    let mut groups: Vec<(usize, u32, Vec<&str>)> = Vec::new();
    for &(line_no, line) in &lines[header_end + 1..] {
        let is_number =
            !line.is_empty() && line.len() <= 4 && line.bytes().all(|b| b.is_ascii_digit());
        if is_number {
            let number = line.parse().unwrap_or(0);
            groups.push((line_no, number, Vec::new()));
        } else if !line.is_empty()
            && let Some((_, _, cells)) = groups.last_mut()
        {
            cells.push(line);
        }
    }
    if groups.is_empty() {
        return Err(CellTableError::Empty);
    }

    let mut rows = Vec::with_capacity(groups.len());
    for (i, (line, number, cells)) in groups.into_iter().enumerate() {
        let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if number != expected {
            return Err(CellTableError::Numbering {
                line,
                expected,
                found: number,
            });
        }
        let [task, middle @ .., deadline] = cells.as_slice() else {
            return Err(CellTableError::ShortRow { line, number });
        };
        if let Err(e) = parse_deadline(deadline, None) {
            return Err(CellTableError::Deadline {
                line,
                number,
                text: (*deadline).to_owned(),
                reason: e.to_string(),
            });
        }
        let units = middle
            .concat()
            .split('、')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect();
        rows.push(TableRow {
            number,
            task: (*task).to_owned(),
            units,
            deadline: (*deadline).to_owned(),
            line,
        });
    }
    Ok(CellTable {
        attachment,
        title,
        header,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_unit_cells_blank_lines_and_trailing_separator() {
        let text = "附件\n\n  某某分工方案\n\t序号\n\t主要任务\n\t牵头单位\n\t完成时间\n\n\t1\n\t任务一。\n\t市编办、市安监局、\n\n市财政局、各县（区）政府\n\t2018年\n\n\t2\n\t任务二。\n\n\t市安监局、市财政局、\n\t2019年6月\n";
        let t = parse_cell_table(text).unwrap();
        assert_eq!(t.attachment.as_deref(), Some("附件"));
        assert_eq!(t.title.as_deref(), Some("某某分工方案"));
        assert_eq!(t.header, ["序号", "主要任务", "牵头单位", "完成时间"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[0].units,
            ["市编办", "市安监局", "市财政局", "各县（区）政府"]
        );
        assert_eq!(t.rows[1].units, ["市安监局", "市财政局"]);
        assert_eq!(t.rows[1].deadline, "2019年6月");
        assert_eq!(t.rows[1].line, 16);
    }

    #[test]
    fn errors_name_the_line() {
        let head = "\t序号\n\t主要任务\n\t牵头单位\n\t完成时间\n";
        assert_eq!(parse_cell_table("1\n任务\n"), Err(CellTableError::NoHeader));
        assert_eq!(parse_cell_table(head), Err(CellTableError::Empty));
        assert_eq!(
            parse_cell_table(&format!("{head}\t2\n任务\n市安监局\n2018年\n")),
            Err(CellTableError::Numbering {
                line: 5,
                expected: 1,
                found: 2
            })
        );
        assert_eq!(
            parse_cell_table(&format!("{head}\t1\n任务\n")),
            Err(CellTableError::ShortRow { line: 5, number: 1 })
        );
        assert!(matches!(
            parse_cell_table(&format!("{head}\t1\n任务\n市安监局\n尽快\n")),
            Err(CellTableError::Deadline { line: 5, .. })
        ));
    }
}
