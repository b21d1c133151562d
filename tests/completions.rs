//! `hftlist completions` and `hftlist man`: generated from the clap definition, and parseable.

use crate::util::{TestDb, assert_text};

#[test]
fn bash_completions_parse_with_bash_n() {
    let db = TestDb::new();
    let run = db.run(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("hftlist"), "{}", run.stdout);
    let script = db.root().join("hftlist.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    let db = TestDb::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish", "ZSH"] {
        let run = db.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for sub in ["validate", "rename", "completions"] {
            assert!(run.stdout.contains(sub), "{shell} lacks {sub}");
        }
    }
    assert_eq!(db.run(&["completions", "tcsh"]).code, 2);
}

#[test]
fn man_prints_a_roff_page_with_every_subcommand() {
    let run = TestDb::new().run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &run.stdout[..80]
    );
    assert!(run.stdout.contains(".TH hftlist 1"), "{}", run.stdout);
    for heading in [
        ".SH \"HFTLIST VALIDATE\"",
        ".SH \"HFTLIST INIT\"",
        "\\-\\-deny\\-warnings",
    ] {
        assert!(run.stdout.contains(heading), "no {heading}");
    }
    // groff, when present, reads it without a warning.
    if let Ok(out) = std::process::Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(run.stdout.as_bytes())?;
            child.wait_with_output()
        })
    {
        assert_text(&String::from_utf8_lossy(&out.stderr), "");
    }
}
