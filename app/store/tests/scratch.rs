#![allow(clippy::unwrap_used, clippy::expect_used)]
use anwei_store::Store;
use std::path::Path;

fn fresh(root: &Path) {
    let s = Store::open(root).unwrap();
    s.import_campaign(&anwei_exchange::demo_campaign().unwrap(), "t").unwrap();
}

fn garbage(len: usize, seed: u8) -> Vec<u8> {
    let mut x: u32 = 0x12345678 ^ seed as u32;
    (0..len).map(|_| { x ^= x << 13; x ^= x >> 17; x ^= x << 5; x as u8 }).collect()
}

fn show(label: &str, root: &Path) {
    let r = std::panic::catch_unwind(|| Store::open(root).map(|s| (s.is_empty(), s.schema_version().unwrap(), s.tasks().unwrap().len())));
    match r {
        Ok(Ok(v)) => println!("{label}: OPENED {v:?}"),
        Ok(Err(e)) => println!("{label}: ERR {e:?} / {e}"),
        Err(_) => println!("{label}: PANIC escaped"),
    }
}

#[test]
fn damage_modes() {
    for (label, files, mode) in [
        ("db+conf garbage", vec!["db", "conf"], 0),
        ("conf garbage", vec!["conf"], 0),
        ("db garbage", vec!["db"], 0),
        ("db truncated 0", vec!["db"], 1),
        ("conf truncated 0", vec!["conf"], 1),
        ("db first 4k garbage", vec!["db"], 2),
        ("db truncated half", vec!["db"], 3),
    ] {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("data");
        fresh(&root);
        for f in &files {
            let p = root.join("db").join(f);
            let len = std::fs::metadata(&p).unwrap().len() as usize;
            match mode {
                0 => std::fs::write(&p, garbage(len, 7)).unwrap(),
                1 => std::fs::write(&p, b"").unwrap(),
                2 => { let mut b = std::fs::read(&p).unwrap(); let g = garbage(4096.min(len), 3); b[..g.len()].copy_from_slice(&g); std::fs::write(&p, b).unwrap() }
                _ => { let b = std::fs::read(&p).unwrap(); std::fs::write(&p, &b[..len/2]).unwrap() }
            }
            println!("{label}: {f} len {len}");
        }
        let t = std::time::Instant::now();
        show(label, &root);
        println!("  took {:?}", t.elapsed());
    }
}
