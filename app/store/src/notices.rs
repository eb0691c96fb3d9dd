//! Notice numbers: 文号 run per year without gaps; an issued notice is never overwritten.

use anwei_core::NoticeRecord;

use crate::error::StoreError;
use crate::keys;
use crate::store::{Store, from_json};

impl Store {
    /// The next 文号 number of `year` (1 for the first notice of a year).
    pub fn next_notice_number(&self, year: i32) -> Result<u32, StoreError> {
        let last = self
            .notices
            .scan_prefix(keys::notice_year_prefix(year))
            .keys()
            .next_back()
            .transpose()?;
        Ok(match last {
            Some(k) if k.len() == 8 => {
                let mut n = [0u8; 4];
                n.copy_from_slice(&k[4..]);
                u32::from_be_bytes(n) + 1
            }
            _ => 1,
        })
    }

    /// A read-only handle on the issued notices and their PDFs that a worker thread can hold
    /// (a reprint or a print off the UI thread).
    pub fn notice_reader(&self) -> NoticeReader {
        NoticeReader {
            notices: self.notices.clone(),
            files: self.notice_files.clone(),
        }
    }

    /// The notice numbered `number` of `year`.
    pub fn notice(&self, year: i32, number: u32) -> Result<Option<NoticeRecord>, StoreError> {
        self.notice_reader().notice(year, number)
    }

    /// The PDF of the notice numbered `number` of `year`, as it was issued (`None` for a
    /// notice issued before the files were kept).
    pub fn notice_pdf(&self, year: i32, number: u32) -> Result<Option<Vec<u8>>, StoreError> {
        self.notice_reader().notice_pdf(year, number)
    }

    /// The notice numbered `number` of `year` with its PDF as issued
    /// ([`NoticeReader::issued_notice`]).
    pub fn issued_notice(
        &self,
        year: i32,
        number: u32,
    ) -> Result<(NoticeRecord, Vec<u8>), StoreError> {
        self.notice_reader().issued_notice(year, number)
    }

    /// An issued notice's kept PDF as found ([`NoticeReader::notice_file`]).
    pub(crate) fn notice_file(&self, notice: &NoticeRecord) -> Result<NoticeFile, StoreError> {
        self.notice_reader().notice_file(notice)
    }

    /// Issued notices, oldest first; of one year when given.
    pub fn notices(&self, year: Option<i32>) -> Result<Vec<NoticeRecord>, StoreError> {
        let iter = match year {
            Some(y) => self.notices.scan_prefix(keys::notice_year_prefix(y)),
            None => self.notices.iter(),
        };
        iter.values().map(|v| from_json(&v?)).collect()
    }
}

/// An issued notice's kept PDF, as found ([`Store::notice_file`]).
pub(crate) enum NoticeFile {
    /// Kept and as issued.
    Kept(Vec<u8>),
    /// Issued before PDFs were kept (its record has no SHA-256).
    NotKept,
    /// Its record names a SHA-256 but the PDF is gone.
    Missing,
    /// The PDF differs from the one issued.
    Changed,
}

/// Read-only access to the issued notices and their kept PDFs ([`Store::notice_reader`]).
#[derive(Clone)]
pub struct NoticeReader {
    notices: sled::Tree,
    files: sled::Tree,
}

impl NoticeReader {
    /// The notice numbered `number` of `year`.
    pub fn notice(&self, year: i32, number: u32) -> Result<Option<NoticeRecord>, StoreError> {
        self.notices
            .get(keys::notice_key(year, number))?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// The PDF of the notice numbered `number` of `year`, as it was issued (`None` for a
    /// notice issued before the files were kept).
    pub fn notice_pdf(&self, year: i32, number: u32) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .files
            .get(keys::notice_key(year, number))?
            .map(|v| v.to_vec()))
    }

    /// The notice numbered `number` of `year` with its PDF as it was issued, checked against
    /// the SHA-256 kept in its record: what a reprint writes. Refused, saying why, when there
    /// is no such notice, it was issued before PDFs were kept, or the PDF was changed.
    pub fn issued_notice(
        &self,
        year: i32,
        number: u32,
    ) -> Result<(NoticeRecord, Vec<u8>), StoreError> {
        let named = format!("督办通知书〔{year}〕{number}号");
        let notice = self.notice(year, number)?.ok_or(StoreError::NotFound {
            what: "督办通知书",
            id: format!("〔{year}〕{number}号"),
        })?;
        match self.notice_file(&notice)? {
            NoticeFile::Kept(pdf) => Ok((notice, pdf)),
            NoticeFile::NotKept => Err(StoreError::Invalid(format!(
                "{named}签发于保存原件之前，没有可重印的原件；请从它当时保存的文件（{}）打印",
                notice.file.as_deref().unwrap_or("未记录")
            ))),
            NoticeFile::Missing => Err(StoreError::Invalid(format!(
                "{named}保存的原件缺失，未重印；请运行“检查数据”（anwei check），或从备份恢复"
            ))),
            NoticeFile::Changed => Err(StoreError::Invalid(format!(
                "{named}保存的原件与签发时不同（已被改动），未重印；请运行“检查数据”（anwei check）"
            ))),
        }
    }

    /// The kept PDF of an issued notice, checked against the SHA-256 in its record: what a
    /// reprint writes and what `check` verifies.
    pub(crate) fn notice_file(&self, notice: &NoticeRecord) -> Result<NoticeFile, StoreError> {
        let pdf = self.notice_pdf(notice.year, notice.number)?;
        Ok(match (pdf, &notice.sha256) {
            (None, None) => NoticeFile::NotKept,
            (None, Some(_)) => NoticeFile::Missing,
            (Some(pdf), Some(sum)) if *sum != anwei_core::notice::pdf_sha256(&pdf) => {
                NoticeFile::Changed
            }
            (Some(pdf), _) => NoticeFile::Kept(pdf),
        })
    }
}
