use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The fixture list settings, shared by most tests.
pub const LIST: &str = include_str!("fixtures/list.yaml");

/// A clean record that every failing case varies from.
pub const BASE: &str =
    "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n";

/// A temp folder holding `papers/` with the fixture `list.yaml`.
pub struct TestDb {
    dir: tempfile::TempDir,
}

/// What a run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl TestDb {
    pub fn new() -> Self {
        let db = Self::empty();
        db.file("list.yaml", LIST);
        db
    }

    /// A temp folder with an empty `papers/` and no list.yaml.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("papers")).unwrap();
        Self { dir }
    }

    /// The `papers/` folder.
    pub fn papers(&self) -> PathBuf {
        self.dir.path().join("papers")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `papers/<name>`.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> &Self {
        std::fs::write(self.papers().join(name), content).unwrap();
        self
    }

    /// Runs hftlist in the temp folder (so paths print as `papers/...`).
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::cargo_bin("hftlist")
            .unwrap()
            .current_dir(self.root())
            .env_remove("HFTLIST_DB")
            // Never the user's cache, never the network.
            .env("HFTLIST_CACHE_DIR", self.root().join("cache"))
            .env("HFTLIST_ARXIV_URL", "https://127.0.0.1:9/unused")
            .args(args)
            .output()
            .unwrap();
        Run {
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

/// Asserts two texts are equal, printing both in full when they are not.
#[track_caller]
pub fn assert_text(got: &str, expected: &str) {
    assert!(
        got == expected,
        "\n--- expected ---\n{expected}\n--- got ---\n{got}\n----------------"
    );
}

/// A database with one attack (`clean`, from `BASE`) and one defense (`vaccine`).
pub fn two_papers() -> TestDb {
    let db = TestDb::new();
    db.file("clean.yaml", BASE);
    db.file(
        "vaccine.yaml",
        "title: \"Vaccine: Perturbation-aware Alignment\"\nkind: defense\nstage: alignment\n\
         date: \"2024-02-02\"\nvenue: NeurIPS 2024\narxiv: \"2402.01100\"\n",
    );
    db
}

/// hftlist run in `dir`, without HFTLIST_DB or NO_COLOR from the environment.
pub fn hftlist_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("hftlist").unwrap();
    cmd.current_dir(dir)
        .env_remove("HFTLIST_DB")
        .env_remove("NO_COLOR");
    cmd
}

/// Runs a command: stdout, stderr, exit code.
pub fn output_of(cmd: &mut Command) -> (String, String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Writes `list.md`: a Markdown list with a new attack (venue `NeurIPS24`) and a duplicate of
/// `BASE`.
pub fn markdown_list(db: &TestDb) {
    std::fs::write(
        db.root().join("list.md"),
        "### Attacks\n- [2024/3/3] **A New Attack** *NeurIPS24* [[paper](https://arxiv.org/abs/2403.00001)]\n\
         - [2024/2/2] **A Clean Attack** [[paper](https://arxiv.org/abs/2402.01109)]\n",
    )
    .unwrap();
}
