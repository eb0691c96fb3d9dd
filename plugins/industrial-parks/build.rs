//! Checks `content/plan.json` and `content/forms.json` before the plugin is built: a mistake
//! in the data (an unknown comparator, a target reading a field its form lacks, a 左右
//! without its tolerance…) stops the build with a message that names it.

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    if let Err(problems) = anwei_plugin_sdk::content::check_dir(&dir) {
        eprintln!("插件内容检查未通过：\n{problems}");
        std::process::exit(1);
    }
}
