//! Evidence files: copied into `evidence/<entry>/` before the change that names them is
//! written, each atomically, and taken back when the change is refused.

use std::fs::{self, File};
use std::path::Path;

use anwei_core::{Evidence, EvidenceSource};

use crate::error::StoreError;
use anwei_files::AtomicWrite;

use crate::open::evidence_dir;
use crate::store::Store;

impl Store {
    /// Copies evidence files into `evidence/<entry>/`, each atomically; returns their records.
    /// On failure the copies made by this call are taken back, so a refused command leaves no
    /// files behind.
    pub(crate) fn copy_evidence(
        &self,
        entry: u64,
        sources: &[EvidenceSource],
        existing: &[Evidence],
    ) -> Result<Vec<Evidence>, StoreError> {
        if sources.is_empty() {
            return Ok(Vec::new());
        }
        let dir = evidence_dir(&self.root).join(entry.to_string());
        let created_dir = !dir.exists();
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let mut out = Vec::new();
        let result = self.copy_evidence_into(&dir, entry, sources, existing, &mut out);
        if result.is_err() {
            for ev in &out {
                let _ = fs::remove_file(evidence_dir(&self.root).join(&ev.stored));
            }
            if created_dir {
                let _ = fs::remove_dir(&dir);
            }
        }
        result.map(|()| out)
    }

    fn copy_evidence_into(
        &self,
        dir: &Path,
        entry: u64,
        sources: &[EvidenceSource],
        existing: &[Evidence],
        out: &mut Vec<Evidence>,
    ) -> Result<(), StoreError> {
        let mut taken: Vec<String> = existing.iter().map(|e| e.stored.clone()).collect();
        for src in sources {
            let path = Path::new(src.path.trim());
            let meta = fs::metadata(path).map_err(|e| StoreError::io(path, e))?;
            if !meta.is_file() {
                return Err(StoreError::Invalid(format!(
                    "附件“{}”不是文件",
                    path.display()
                )));
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "附件".to_owned());
            let mut stored_name = name.clone();
            let mut n = 1;
            // Names already used by this entry, or files left in its folder (detached
            // evidence is kept), are not overwritten.
            while taken.contains(&format!("{entry}/{stored_name}"))
                || dir.join(&stored_name).exists()
            {
                n += 1;
                stored_name = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}({n}).{ext}"),
                    None => format!("{name}({n})"),
                };
            }
            let stored = format!("{entry}/{stored_name}");
            let dest = dir.join(&stored_name);
            let mut input = File::open(path).map_err(|e| StoreError::io(path, e))?;
            // Never over a file already there (a detached attachment is kept).
            let mut copy = AtomicWrite::new(&dest).keep_existing().open()?;
            std::io::copy(&mut input, &mut copy).map_err(|e| StoreError::io(path, e))?;
            copy.commit()?;
            taken.push(stored.clone());
            out.push(Evidence {
                name,
                stored,
                size: meta.len(),
            });
        }
        Ok(())
    }
}
