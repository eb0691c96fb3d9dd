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

    /// Issued notices, oldest first; of one year when given.
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
            .notice_files
            .get(keys::notice_key(year, number))?
            .map(|v| v.to_vec()))
    }

    pub fn notices(&self, year: Option<i32>) -> Result<Vec<NoticeRecord>, StoreError> {
        let iter = match year {
            Some(y) => self.notices.scan_prefix(keys::notice_year_prefix(y)),
            None => self.notices.iter(),
        };
        iter.values().map(|v| from_json(&v?)).collect()
    }
}
