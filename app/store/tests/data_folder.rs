//! A data folder path that is a regular file is refused as such, not as "File exists".
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anwei_store::{Store, StoreError};

#[test]
fn a_file_as_data_folder_is_not_a_folder_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("数据");
    std::fs::write(&file, "一个文件").unwrap();
    for path in [file.clone(), file.join("子目录")] {
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(err, StoreError::NotAFolder(_)), "{err:?}");
        assert!(!err.is_damaged());
        let msg = err.to_string();
        assert!(msg.contains("不是文件夹"), "{msg}");
        assert!(!msg.contains("os error"), "{msg}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "一个文件");
}
