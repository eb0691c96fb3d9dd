//! Checks a plugin's content folder (`plan.json`, `forms.json`) as its `build.rs` does, and
//! prints every problem: `cargo run -p anwei-plugin-sdk --example check_content -- plugins/fire/content`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("用法：check_content <插件的 content 文件夹>");
        return ExitCode::from(2);
    };
    match anwei_plugin_sdk::content::check_dir(std::path::Path::new(&dir)) {
        Ok(()) => {
            println!("内容检查通过");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprintln!("内容检查未通过：\n{problems}");
            ExitCode::FAILURE
        }
    }
}
