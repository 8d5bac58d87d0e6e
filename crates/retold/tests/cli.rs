//! The `retold` binary end to end: stdin, JSON output, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn retold() -> Command {
    Command::new(env!("CARGO_BIN_EXE_retold"))
}

/// `retold ARGS PATH`, which must succeed and print JSON: its stderr and
/// the JSON.
fn json_run(args: &[&str], path: &std::path::Path) -> (String, serde_json::Value) {
    let out = retold().args(args).arg(path).output().expect("retold runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let v = serde_json::from_slice(&out.stdout).expect("JSON");
    (stderr, v)
}

/// `retold eval reuse --corpus --format json [extra] DIR`: must succeed;
/// its stderr and JSON.
fn eval_reuse_json(dir: &std::path::Path, extra: &[&str]) -> (String, serde_json::Value) {
    let mut args = vec!["eval", "reuse", "--corpus", "--format", "json"];
    args.extend_from_slice(extra);
    json_run(&args, dir)
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = retold()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs retold with `args` and the example corpus directory appended;
/// expects success and JSON on stdout.
fn json_on_corpus(args: &[&str]) -> serde_json::Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let out = retold().args(args).arg(&dir).output().expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn stdin_jsonl_to_json_report() {
    let input = b"{\"id\":\"a\",\"source\":\"Harbor Gazette\",\"published\":\"2026-03-14T09:30:00Z\",\"text\":\"The bridge closed. Engineers found a crack.\"}\n{broken\n";
    let (code, stdout, stderr) = run_with_stdin(&["analyze", "--format", "json", "-"], input);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["schema"], "retold-analysis/1");
    assert_eq!(v["stories"][0]["origin"], "a");
    assert_eq!(v["stories"][0]["members"][0]["role"], "origin");
    assert_eq!(v["summary"]["articles"], 1);
    let a = &v["articles"][0];
    assert_eq!(a["id"], "a");
    assert_eq!(a["source"], "Harbor Gazette");
    assert_eq!(a["published"], "2026-03-14T09:30:00Z");
    assert_eq!(a["at"], "-:1");
    assert_eq!(v["skipped"][0]["at"], "-:2");
    assert_eq!(v["skipped"][0]["code"], "invalid_json");
    assert!(stderr.contains("skipped -:2: invalid JSON"), "{stderr}");
}

#[test]
fn strict_exit_code_and_nothing_readable() {
    let (code, _, stderr) = run_with_stdin(
        &["analyze", "--strict", "-"],
        b"{\"text\":\"ok\"}\n{broken\n",
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("-:2"), "{stderr}");
    let (code, _, stderr) = run_with_stdin(&["analyze", "-"], b"");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("empty input"), "{stderr}");
}

#[test]
fn usage_error_is_exit_2() {
    let out = retold().arg("analyze").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_file_and_table() {
    let dir = std::env::temp_dir().join(format!("retold-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("out.txt");
    let (code, stdout, stderr) = run_with_stdin(
        &["analyze", "-o", out_path.to_str().unwrap(), "-"],
        b"Title: Harbor bridge shut\nURL: https://www.harbor.example/b\n\nThe bridge closed on Monday. Engineers found a crack.",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let table = std::fs::read_to_string(&out_path).unwrap();
    assert!(
        table.starts_with("1 articles with no other version"),
        "{table}"
    );
    assert!(table.contains("harbor.example"), "{table}");
    assert!(table.contains("Harbor bridge shut"), "{table}");
    assert!(
        table.contains(
            "1 articles from 1 inputs: 0 stories with several versions, 1 single; 0 skipped"
        ),
        "{table}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_names_the_relation_and_the_source() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_retold"))
        .args(["compare", "--format", "json"])
        .arg(dir.join("text/viralpulsedaily-larkmoor-bridge.md"))
        .arg(dir.join("html/portcaddoncourier-larkmoor-bridge-closed.html"))
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["schema"], "retold-compare/1");
    // Every field the schema requires is there.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("../../docs/schema/compare-v1.json")).expect("schema"),
    )
    .expect("schema JSON");
    for k in schema["required"].as_array().expect("required") {
        let k = k.as_str().expect("a name");
        assert!(v.get(k).is_some(), "{k} missing");
    }
    assert_eq!(v["verdict"]["relation"], "spun");
    assert_eq!(v["verdict"]["direction"]["source"], "b");
    let rows = v["rows"].as_array().expect("rows");
    assert!(rows.iter().any(|r| r["kind"] == "aligned"));
    assert!(rows.iter().any(|r| r["kind"] == "only_a"));
    // Passages with spans into both texts and each side's changed words.
    let a_text = v["a"]["text"].as_str().expect("A's text");
    let p = &v["passages"][0];
    let (s, e) = (
        p["a"]["span"]["start"].as_u64().unwrap() as usize,
        p["a"]["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&a_text[s..e], p["a"]["text"].as_str().unwrap());
    assert!(p["b"]["runs"]
        .as_array()
        .is_some_and(|r| r.iter().any(|r| r["changed"] == true)));
    // Text output names the verdict too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_retold"))
        .arg("compare")
        .arg(dir.join("text/viralpulsedaily-larkmoor-bridge.md"))
        .arg(dir.join("html/portcaddoncourier-larkmoor-bridge-closed.html"))
        .output()
        .expect("retold runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("verdict: spun"), "{text}");
    assert!(text.contains("[-"), "changed words are marked: {text}");
}

/// Two texts of one event with paragraph breaks inside sentences and many
/// sentences only one side has, written to a temporary directory.
fn paragraph_pair(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let shared = "Crews closed the Harbour Bridge in Eastport on Monday after inspectors\n\
        found a crack in one of its steel girders.\n\n\
        Repairs will take at least six weeks, the city's transport office said.\n\n";
    let mut a = format!("{shared}<script>alert('a')</script> The bridge opened in 1971.\n\n");
    let mut b = shared.replace("Crews closed", "Workers shut");
    for i in 0..30 {
        a.push_str(&format!("Resident number {i} of the old town praised the lifeboat crew and the quick response today.\n\n"));
        b.push_str(&format!("Shop owner {i} on the quay complained that the ferries were slow and the fares too high.\n\n"));
    }
    let (pa, pb) = (dir.join("a.txt"), dir.join("b.txt"));
    std::fs::write(&pa, a).unwrap();
    std::fs::write(&pb, b).unwrap();
    (pa, pb)
}

#[test]
fn compare_text_keeps_the_table_whole() {
    let dir = std::env::temp_dir().join(format!("retold-cmp-text-{}", std::process::id()));
    let (a, b) = paragraph_pair(&dir);
    let out = retold()
        .args(["compare", "--width", "100"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // Every line between the table's head and its legend is a table row.
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("─┼──────┼─"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() >= 2, "{text}");
    for l in &table {
        assert_eq!(l.matches(" │").count(), 2, "broken row {l:?} in\n{text}");
        assert!(l.chars().count() <= 100, "too wide: {l:?}");
    }
    // The one-sided sentences are counted, not listed; paths and whole ids shown.
    assert!(
        text.contains("31 sentences only in A, 30 only in B (--all to list them)"),
        "{text}"
    );
    assert!(text.contains(&a.display().to_string()), "{text}");
    assert!(
        text.contains("{+Workers shut+}"),
        "B's words in B's wording: {text}"
    );
    let all = retold()
        .args(["compare", "--all", "--width", "100"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("retold runs");
    let all = String::from_utf8_lossy(&all.stdout);
    assert!(all.contains("Shop owner 29"), "{all}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_html_escapes_and_a_wrong_id_is_named() {
    let dir = std::env::temp_dir().join(format!("retold-cmp-html-{}", std::process::id()));
    let (a, b) = paragraph_pair(&dir);
    let page = dir.join("pair.html");
    let out = retold()
        .args(["compare", "--format", "html", "-o"])
        .arg(&page)
        .arg(&a)
        .arg(&b)
        .output()
        .expect("retold runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("&lt;script&gt;alert("), "escaped");
    assert!(!html.contains("<script>alert"), "not escaped");
    assert!(html.contains("id=\"b-p0\""));
    let out = retold()
        .args(["compare", "--a-id", "nope"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("retold runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no article with id or URL \"nope\""), "{err}");
    assert!(!err.contains("Some("), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_fails_clearly_on_a_missing_file() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_retold"))
        .args(["compare", "no-such-file.txt", "no-such-file-either.txt"])
        .output()
        .expect("retold runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.txt"));
}

/// Whether the multilingual model is found (the cross-language path of
/// `analyze` and `eval corpus` is then on); `RETOLD_MODEL_TESTS` makes a
/// missing model a failure.
fn model_on() -> bool {
    let on = retold_core::features::embed::locate()
        .and_then(|dir| retold_core::features::embed::E5::load(&dir).map(|_| ()))
        .is_ok();
    assert!(
        on || std::env::var_os("RETOLD_MODEL_TESTS").is_none(),
        "RETOLD_MODEL_TESTS is set but the multilingual model is missing"
    );
    on
}

#[test]
fn analyze_the_example_corpus_into_stories() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let v = json_on_corpus(&["analyze", "--quiet", "--format", "json"]);
    assert_eq!(v["summary"]["articles"], 46);
    assert_eq!(v["summary"]["stories"], 4);
    // The German translation joins its story with the multilingual model
    // (CI installs it) and stands alone without it.
    let singletons = if model_on() { 13 } else { 14 };
    assert_eq!(
        v["summary"]["singletons"],
        singletons,
        "model on: {}",
        model_on()
    );
    let stories = v["stories"].as_array().expect("stories");
    for s in stories
        .iter()
        .filter(|s| s["members"].as_array().map_or(0, Vec::len) > 1)
    {
        let members = s["members"].as_array().expect("members");
        // Eight versions per story, and the Larkmoor story's German
        // translation with the model.
        let english = members
            .iter()
            .filter(|m| m["relation"] != "translated")
            .count();
        assert_eq!(english, 8, "{}", s["id"]);
        assert_eq!(members.iter().filter(|m| m["role"] == "origin").count(), 1);
        for m in members.iter().filter(|m| m["role"] == "derived") {
            assert!(
                m["parent"].is_string() && m["evidence"]["features"]["pairs"].as_u64() > Some(0)
            );
        }
    }
    // Planted spelling variants come back as one entity with its canonical form.
    let entities: Vec<&serde_json::Value> = stories
        .iter()
        .flat_map(|s| s["entities"].as_array().into_iter().flatten())
        .collect();
    assert!(
        entities
            .iter()
            .any(|e| e["canonical"] == "Anneliese Corrow"),
        "{entities:?}"
    );
    assert!(stories
        .iter()
        .flat_map(|s| s["members"].as_array().into_iter().flatten())
        .any(|m| {
            m["changes"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["kind"] == "number_changed"))
        }));
    // Each story of several versions has claims with their support and its quotes.
    for s in stories
        .iter()
        .filter(|s| s["members"].as_array().map_or(0, Vec::len) > 1)
    {
        let claims = s["consensus"].as_array().expect("consensus");
        assert!(claims
            .iter()
            .any(|c| c["status"] == "corroborated" && c["support"].as_u64() >= Some(2)));
        assert!(claims.iter().all(|c| {
            let n = c["support"].as_u64().unwrap_or(0);
            (c["status"] == "single_source") == (n == 1)
                && c["sentences"].as_array().is_some_and(|x| !x.is_empty())
        }));
        let quotes = s["quotes"].as_array().expect("quotes");
        assert!(quotes.iter().all(|q| q["wordings"][0]["articles"]
            .as_array()
            .is_some_and(|a| !a.is_empty())));
    }
    // The planted reattribution ("Marlowe said" → "Tennant said") at story level.
    assert!(stories
        .iter()
        .flat_map(|s| s["quotes"].as_array().into_iter().flatten())
        .any(|q| q["status"] == "reattributed" && q["speaker"] == "Marlowe"));
    // The text view draws the tree.
    let out = retold()
        .args(["analyze", "--quiet"])
        .arg(&dir)
        .output()
        .expect("retold runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("━━ s-"), "{text}");
    assert!(text.contains("└─ spun"), "{text}");
    assert!(text.contains("corroborated by 2+ reports"), "{text}");
    assert!(text.contains("Marlowe → Tennant"), "{text}");
}

#[test]
fn eval_corpus_scores_the_example_corpus() {
    let v = json_on_corpus(&["eval", "corpus", "--format", "json"]);
    assert_eq!(v["stories"]["bcubed_f1"], 1.0);
    // The translation is scored only with the multilingual model.
    assert_eq!(v["relations"]["total"], if model_on() { 21 } else { 20 });
    assert!(v["relations"]["right"].as_u64() >= Some(19), "{v}");
    assert!(v["parents"]["right"].as_u64() >= Some(18), "{v}");
}

/// `retold eval reuse` on a small labelled directory written here: a wire
/// story, a lightly edited copy (wholly derived), a report built around
/// three of its sentences (partially derived) and an independent report
/// of another event (non derived). Dates are hidden by default.
#[test]
fn eval_reuse_scores_a_labelled_directory() {
    let wire = "Flood waters forced 2,400 people from their homes in the Tarn valley on Sunday, regional officials said. The river rose four metres in six hours after a week of storms across the south-west. Rescue crews used boats to reach villages cut off by the water near Albiac and Saint-Juery. The prefect ordered schools in 14 towns to stay closed on Monday while engineers inspect the bridges. Forecasters expect more rain on Tuesday before the weather clears later in the week.";
    let copy = wire.replace("Forecasters expect", "Forecasters said they expect");
    let partial = "Shopkeepers in Gaillac spent Sunday carrying stock upstairs as the water crept along the quays. The river rose four metres in six hours after a week of storms across the south-west. Volunteers from the rugby club filled sandbags outside the town hall until dark. Rescue crews used boats to reach villages cut off by the water near Albiac and Saint-Juery. The mayor opened the sports hall to families who had to leave their houses. The prefect ordered schools in 14 towns to stay closed on Monday while engineers inspect the bridges. Farmers on the plain moved their cattle to higher fields before nightfall.";
    let other = "The chess championship in Lindau ended in a draw on Sunday after seven hours of play. Both players said they were tired but pleased with the match. The organisers will hold a rapid tiebreak on Tuesday morning in the town hall.";
    let dir = std::env::temp_dir().join(format!("retold-eval-reuse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let line = |id: &str, date: &str, text: &str| {
        serde_json::json!({"id": id, "published": date, "text": text, "language": "en"}).to_string()
    };
    let articles = [
        line("w", "2026-03-01T08:00:00Z", wire),
        line("c", "2026-03-01T09:00:00Z", &copy),
        line("p", "2026-03-01T10:00:00Z", partial),
        line("o", "2026-03-01T11:00:00Z", other),
    ]
    .join("\n");
    std::fs::write(dir.join("articles.jsonl"), articles).unwrap();
    let pairs = [
        r#"{"a": "w", "b": "c", "label": "wholly_derived", "pair_type": "agency-newspaper"}"#,
        r#"{"a": "w", "b": "p", "label": "partially_derived"}"#,
        r#"{"a": "w", "b": "o", "label": "non_derived", "pair_type": "agency-newspaper"}"#,
        r#"{"a": "w", "b": "nowhere", "label": "non_derived"}"#,
    ]
    .join("\n");
    std::fs::write(dir.join("pairs.jsonl"), pairs).unwrap();
    let (stderr, v) = eval_reuse_json(&dir, &[]);
    // The pair naming a missing article is reported and skipped.
    assert!(stderr.contains("pairs.jsonl:4: skipped"), "{stderr}");
    assert_eq!(v["pairs"], 3);
    assert_eq!(v["dates"], false);
    // Every pair right: confusion on the diagonal, both F1s 1.
    assert_eq!(
        v["confusion"],
        serde_json::json!([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    );
    assert_eq!(v["binary"]["f1"], 1.0);
    assert_eq!(v["ternary_macro_f1"], 1.0);
    // Only the pairs of one type are scored when asked; the others (and
    // lines without a type) are left out.
    let (_, typed) = eval_reuse_json(&dir, &["--pair-type", "agency-newspaper"]);
    assert_eq!(typed["pairs"], 2, "{typed}");
    assert_eq!(
        typed["confusion"],
        serde_json::json!([[1, 0, 0], [0, 0, 0], [0, 0, 1]])
    );
    // Dates hidden, nothing tells the copy from the wire story: the corpus
    // run puts all three in one story, and the tree is the re-rooting's
    // (direction unknown), not the input order's.
    assert_eq!(v["corpus"]["same_story"], 2, "{v}");
    assert_eq!(v["corpus"]["kept_apart"], 1, "{v}");
    // With the dates, both derived texts hang below the wire story.
    let (_, v) = eval_reuse_json(&dir, &["--with-dates"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(v["dates"], true);
    assert_eq!(v["corpus"]["source_found"], 2, "{v}");
    assert_eq!(v["corpus"]["kept_apart"], 1, "{v}");
}

/// An agency that sends one story twice, each copy labelled with another
/// newspaper: a newspaper that hangs below the first copy is made from
/// the same text as its labelled source, and the corpus run says so apart
/// from the strict figure.
#[test]
fn eval_reuse_counts_a_duplicate_of_the_source_apart() {
    let wire = "Flood waters forced 2,400 people from their homes in the Tarn valley on Sunday, regional officials said. The river rose four metres in six hours after a week of storms across the south-west. Rescue crews used boats to reach villages cut off by the water near Albiac and Saint-Juery. The prefect ordered schools in 14 towns to stay closed on Monday while engineers inspect the bridges. Forecasters expect more rain on Tuesday before the weather clears later in the week.";
    let copy = wire.replace("Forecasters expect", "Forecasters said they expect");
    let dir = std::env::temp_dir().join(format!("retold-eval-reuse-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let line = |id: &str, date: &str, text: &str| {
        serde_json::json!({"id": id, "published": date, "text": text, "language": "en"}).to_string()
    };
    let articles = [
        line("w1", "2026-03-01T08:00:00Z", wire),
        line("w2", "2026-03-01T08:30:00Z", wire),
        line("n", "2026-03-01T10:00:00Z", &copy),
    ]
    .join("\n");
    std::fs::write(dir.join("articles.jsonl"), articles).unwrap();
    std::fs::write(
        dir.join("pairs.jsonl"),
        r#"{"a": "w2", "b": "n", "label": "wholly_derived"}"#,
    )
    .unwrap();
    let (_, v) = eval_reuse_json(&dir, &["--with-dates"]);
    let _ = std::fs::remove_dir_all(&dir);
    // The copy hangs below the first of the two identical wire texts.
    assert_eq!(v["corpus"]["source_found"], 0, "{v}");
    assert_eq!(v["corpus"]["source_or_duplicate_found"], 1, "{v}");
    assert_eq!(v["corpus"]["same_story"], 1, "{v}");
}

/// Writes `rows` (id, text, gold story) as the JSON Lines `retold eval
/// stories` reads, an hour apart in their order, to a file named after
/// `name` in the temporary directory; returns its path.
fn gold_stories<T: AsRef<str>>(name: &str, rows: &[(&str, T, &str)]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("retold-{name}-{}.jsonl", std::process::id()));
    let text: String = rows
        .iter()
        .enumerate()
        .map(|(k, (id, t, g))| {
            format!(
                "{}\n",
                serde_json::json!({"id": id, "text": t.as_ref(), "story": g,
                    "published": format!("2026-03-01T0{k}:00:00Z")})
            )
        })
        .collect();
    std::fs::write(&path, text).expect("write input");
    path
}

#[test]
fn eval_stories_explains_split_and_mixed_gold_stories() {
    let flood = "The river Aln burst its banks early on Sunday after three days of rain. \
        About 300 homes were flooded in the old town of Wexhall, the fire service said. \
        Mayor Ines Okafor asked residents to boil their drinking water. \
        Schools will stay closed until Friday, the education office announced.";
    let chess = "The chess championship in Lindau ended in a draw after seven hours of play. \
        Both players agreed to a rematch in the spring, the federation said.";
    // Gold puts the flood report and the chess report in one story (the
    // engine splits them: never candidates of each other), and a verbatim
    // copy of the flood report in another (the engine mixes it in).
    let rows = [
        ("flood", flood, "g1"),
        ("chess", chess, "g1"),
        ("copy", flood, "g2"),
    ];
    let path = gold_stories("explain", &rows);
    let out = retold()
        .args(["eval", "stories", "--explain"])
        .arg(&path)
        .output()
        .expect("retold runs");
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("split  gold g1: 2 articles in 2 stories (1 + 1)"),
        "{stdout}"
    );
    assert!(stdout.contains("candidates (no pair scored)"), "{stdout}");
    assert!(stdout.contains("mixed  s-flood: g1 1, g2 1"), "{stdout}");
    assert!(
        stdout.contains("copy (gold g2): verdict (duplicate of flood"),
        "{stdout}"
    );
}

#[test]
fn eval_stories_explains_a_subject_split() {
    let first = |k: usize| {
        format!(
            "Harbor City receiver Vance Okoro arrested on DUI charge\n\n\
             Harbor City Sharks receiver Vance Okoro was arrested early on Sunday on suspicion of \
             drunken driving, the state highway patrol said. Okoro was stopped on the coast road \
             at 2 a.m. and booked into the county jail. Okoro was released on bail later on \
             Sunday. The Sharks said they were aware of the arrest of Okoro. Report {k}."
        )
    };
    let second = |k: usize| {
        format!(
            "Harbor City tackle Darnell Pryce arrested on DUI charge\n\n\
             Harbor City Sharks tackle Darnell Pryce was arrested early on Friday on suspicion of \
             drunken driving, the state highway patrol said. Pryce was stopped on the coast road \
             at 3 a.m. and booked into the county jail. Pryce was released on bail on Friday. \
             The Sharks said they were aware of the arrest of Pryce. Pryce is the second Sharks \
             player arrested this season; receiver Vance Okoro was arrested in March. Report {k}."
        )
    };
    let rows = [
        ("okoro-1", first(1), "okoro"),
        ("pryce-1", second(1), "pryce"),
        ("okoro-2", first(2), "okoro"),
        ("okoro-3", first(3), "okoro"),
        ("okoro-4", first(4), "okoro"),
        ("pryce-2", second(2), "pryce"),
    ];
    let path = gold_stories("split", &rows);
    let run = |split: &str| {
        let out = retold()
            .args(["eval", "stories", "--explain", "--subject-split", split])
            .arg(&path)
            .output()
            .expect("retold runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let (on, off) = (run("true"), run("false"));
    let _ = std::fs::remove_file(&path);
    assert!(
        on.contains("subject split by pryce-2: 2 members about \"pryce\" left, 4 about \"okoro\" stayed (right: gold apart)"),
        "{on}"
    );
    assert!(!on.contains("mixed"), "{on}");
    assert!(!off.contains("subject split"), "{off}");
    assert!(off.contains("mixed"), "{off}");
}

/// Runs retold with `args`, reads the first line of its output and closes
/// the pipe (as `| head -1` does); returns the line, the exit code and
/// stderr.
fn first_line_then_close(args: &[std::ffi::OsString]) -> (String, i32, String) {
    use std::io::BufRead;
    let mut child = retold()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("retold runs");
    let mut line = String::new();
    {
        let stdout = child.stdout.take().expect("piped stdout");
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("a first line");
        // The reader and the pipe are dropped here.
    }
    let out = child.wait_with_output().expect("retold ends");
    (
        line,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let dir = std::env::temp_dir().join(format!("retold-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Two long versions of one text, every sentence aligned and changed:
    // every output of `compare` is far more than a pipe holds (64 KB).
    let a: String = (0..600)
        .map(|i| {
            format!(
                "Inspectors counted {i} new cracks in girder number {} of the old Harbour \
                 Bridge on Monday morning.\n\n",
                i + 1
            )
        })
        .collect();
    let b = a.replace("Monday morning", "Tuesday evening");
    let (pa, pb) = (dir.join("a.txt"), dir.join("b.txt"));
    std::fs::write(&pa, a).unwrap();
    std::fs::write(&pb, b).unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let os = |v: &[&str]| -> Vec<std::ffi::OsString> { v.iter().map(|s| s.into()).collect() };
    let mut cases: Vec<Vec<std::ffi::OsString>> = Vec::new();
    for format in ["text", "json", "html"] {
        let mut c = os(&["compare", "--all", "--width", "100", "--format", format]);
        c.extend([pa.clone().into_os_string(), pb.clone().into_os_string()]);
        let full = retold().args(&c).output().expect("retold runs");
        assert!(
            full.status.success() && full.stdout.len() > 100_000,
            "compare --format {format}: {} bytes; {}",
            full.stdout.len(),
            String::from_utf8_lossy(&full.stderr)
        );
        cases.push(c);
    }
    // The example corpus: 270 KB of HTML, 780 KB of JSON with the texts.
    for args in [
        &["analyze", "--quiet", "--format", "html"][..],
        &["analyze", "--quiet", "--format", "json", "--with-text"],
    ] {
        let mut c = os(args);
        c.push(corpus.clone().into_os_string());
        cases.push(c);
    }
    // A synthetic corpus of 1,000 articles (2.6 MB of JSON Lines).
    let mut synth = os(&["synth", "-n", "1000", "--from"]);
    synth.push(corpus.join("text").into_os_string());
    cases.push(synth);
    for c in &cases {
        let (line, code, stderr) = first_line_then_close(c);
        assert!(!line.is_empty(), "{c:?}: no output");
        assert_eq!(code, 0, "{c:?}: {stderr}");
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("error"),
            "{c:?}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `retold eval pairs --json` on a small hand-written SemEval-layout file:
/// per language pair, same- and cross-language groups; the lexical path
/// orders the English pairs by their grades.
#[test]
fn eval_pairs_on_graded_fixture() {
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graded-pairs.csv");
    let lexical = ["eval", "pairs", "--json", "--quiet", "--embedder", "off"];
    let (_, v) = json_run(&lexical, &file);
    assert_eq!(v["overall"]["pairs"], 6);
    assert_eq!(v["same_language"]["pairs"], 4);
    assert_eq!(v["cross_language"]["pairs"], 2);
    let groups: Vec<&str> = v["by_language_pair"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["group"].as_str())
        .collect();
    assert_eq!(groups, ["en-en", "de-en"]);
    let en = v["by_language_pair"][0]["spearman"]
        .as_f64()
        .expect("en-en spearman");
    assert!(en > 0.7, "{v}");

    // A pair with an empty text is skipped with a warning naming its line;
    // the others are scored.
    let dir = std::env::temp_dir().join(format!("retold-pairs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let with_empty = dir.join("pairs.csv");
    let mut csv = std::fs::read_to_string(&file).expect("fixture");
    csv.push_str("9_9,en,en,\"\",\"A text on its own.\",2.0\n");
    std::fs::write(&with_empty, csv).expect("write");
    let (stderr, v) = json_run(&lexical, &with_empty);
    assert!(
        stderr.contains("skipped") && stderr.contains("pairs.csv:8"),
        "{stderr}"
    );
    assert_eq!(v["overall"]["pairs"], 6);
    std::fs::remove_dir_all(&dir).ok();

    // A missing grade column is an error naming the column.
    let out = retold()
        .args(["eval", "pairs", "--grade", "Narrative", "--quiet"])
        .arg(&file)
        .output()
        .expect("retold runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Narrative"));

    // With the model when it is installed (required under
    // RETOLD_MODEL_TESTS): the translation outranks the other story across
    // languages; without it, the run says cross-lingual matching is off.
    let (stderr, v) = json_run(&["eval", "pairs", "--json", "--quiet"], &file);
    let with_model = v["relatedness"]
        .as_str()
        .is_some_and(|r| r.starts_with("lexical+embedding"));
    if with_model {
        let cross = v["cross_language"]["pearson"]
            .as_f64()
            .expect("cross pearson");
        assert!(cross > 0.99, "{v}");
    } else {
        assert!(
            std::env::var_os("RETOLD_MODEL_TESTS").is_none(),
            "RETOLD_MODEL_TESTS is set but the model did not run: {stderr}"
        );
        assert!(stderr.contains("cross-lingual matching is off"), "{stderr}");
    }
}

/// `analyze` says whether articles in several languages are linked (the
/// wording depends on whether the model is installed); one language, no
/// note.
#[test]
fn analyze_notes_cross_language_corpora_only() {
    let en = "{\"id\":\"a\",\"text\":\"The river burst its banks early on Sunday after three days of rain. About 300 homes were flooded in the old town, the fire service said.\"}\n";
    let de = "{\"id\":\"b\",\"text\":\"Der Fluss trat am Sonntagmorgen nach drei Tagen Regen über die Ufer. Rund 300 Häuser in der Altstadt wurden überflutet, teilte die Feuerwehr mit.\"}\n";
    let (code, _, stderr) = run_with_stdin(&["analyze", "--quiet", "-"], en.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("cross-lingual"), "{stderr}");
    let both = format!("{en}{de}");
    let (code, _, stderr) = run_with_stdin(&["analyze", "--quiet", "-"], both.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.matches("cross-lingual matching").count(),
        1,
        "{stderr}"
    );
}

/// `compare` on a German translation and its English source says what
/// `analyze` says of the pair: `translated`, with the altered figure, when
/// the multilingual model is there; without it (or turned off) the lexical
/// verdict with a note that cross-lingual matching is off, never a silent
/// `unrelated`.
#[test]
fn compare_across_languages_says_what_analyze_says() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let source = dir.join("html/portcaddoncourier-larkmoor-bridge-closed.html");
    let german = dir.join("text/kuestenbote-larkmoor-bruecke.txt");
    let run = |off: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_retold"));
        cmd.args(["compare", "--format", "json"])
            .arg(&source)
            .arg(&german);
        if off {
            cmd.env("RETOLD_EMBEDDER", "off");
        }
        let out = cmd.output().expect("retold runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON")
    };
    let off = run(true);
    assert_eq!(off["verdict"]["relation"], "unrelated");
    let note = off["note"].as_str().expect("a note");
    assert!(note.contains("cross-lingual matching is off"), "{note}");
    assert!(note.contains("en and de"), "{note}");
    if model_on() {
        let on = run(false);
        assert!(on.get("note").is_none(), "{}", on["note"]);
        assert_eq!(on["verdict"]["relation"], "translated");
        assert_eq!(on["verdict"]["degree"], "wholly");
        assert_eq!(on["direction"]["source"], "a");
        assert_eq!(on["changes_of"], "b");
        assert!(on["passages"].as_array().map_or(0, Vec::len) >= 15);
        let changed: Vec<(&str, &str)> = on["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter(|c| c["kind"] == "number_changed")
            .filter_map(|c| Some((c["parent"]["text"].as_str()?, c["child"]["text"].as_str()?)))
            .collect();
        assert!(
            changed
                .iter()
                .any(|(p, c)| p.contains("14.2") && c.contains("24,2")),
            "{changed:?}"
        );
        // The page's legend does not promise word changes it does not
        // show: sentences across languages are not compared word by word.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_retold"))
            .args(["compare", "--format", "html"])
            .arg(&source)
            .arg(&german)
            .output()
            .expect("retold runs");
        let page = String::from_utf8_lossy(&out.stdout);
        assert!(page.contains("their words are not compared"), "{page}");
        assert!(!page.contains("words only A has"));
    }
}

/// One truth, the other way round: where `retold compare` calls a pair
/// derived and the story did not hang one below the other, the member
/// lists the refused verdict and its gate, and `compare` on the pair says
/// the same relation. On `examples/reuse-en`, undated, the story stage
/// refuses derived verdicts by at least three gates (names replaced in the
/// aligned sentences; reuse only, off the subject; reporting of its own,
/// where the re-rooting decides the tree).
#[test]
fn analyze_names_the_gate_of_each_derived_verdict_it_did_not_follow() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en");
    let dir = std::env::temp_dir().join(format!("retold-refused-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let undated: String = std::fs::read_to_string(root.join("articles.jsonl"))
        .expect("articles")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut a: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            if let Some(o) = a.as_object_mut() {
                o.remove("published");
            }
            a.to_string() + "\n"
        })
        .collect();
    let path = dir.join("articles.jsonl");
    std::fs::write(&path, undated).expect("write");
    let (_, v) = json_run(&["analyze", "--format", "json"], &path);
    let mut refused: Vec<(String, serde_json::Value)> = Vec::new();
    for s in v["stories"].as_array().expect("stories") {
        for m in s["members"].as_array().expect("members") {
            for r in m["refused"].as_array().into_iter().flatten() {
                refused.push((m["article"].as_str().unwrap_or_default().into(), r.clone()));
            }
        }
    }
    let kinds: std::collections::BTreeSet<&str> = refused
        .iter()
        .filter_map(|(_, r)| r["reason"]["kind"].as_str())
        .collect();
    assert!(kinds.contains("names_replaced"), "{kinds:?}");
    assert!(kinds.contains("reuse_off_subject"), "{kinds:?}");
    assert!(kinds.contains("own_reporting"), "{kinds:?}");
    for kind in ["names_replaced", "reuse_off_subject", "own_reporting"] {
        let (member, r) = refused
            .iter()
            .find(|(_, r)| r["reason"]["kind"] == kind)
            .expect("a refusal of that kind");
        let against = r["against"].as_str().expect("against");
        let (_, pair) = json_run(
            &[
                "compare",
                "--format",
                "json",
                "--a-id",
                member,
                "--b-id",
                against,
                path.to_str().unwrap_or_default(),
            ],
            &path,
        );
        assert_eq!(
            pair["verdict"]["relation"], r["relation"],
            "{member} / {against}"
        );
        assert!(["duplicate", "copy", "excerpt", "rewrite", "spun"]
            .contains(&r["relation"].as_str().unwrap_or_default()));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The English newsroom-reuse set of `examples/reuse-en` (written for this
/// project, never fitted on): 22 agency stories and 63 newspaper articles,
/// labelled wholly / partially / non derived, dates hidden. The floors are
/// the figures QUALITY.md reports ("English newsroom reuse of our own").
/// Without the cased-script background of the wording node (the pooled one
/// set it at 0.086) binary F1 was 0.778 and the source was found for 62%;
/// without agency names read from the start of a source field
/// ("Press Association Wire (PAW)"), 4 directions were decided; without
/// the own-reporting rule (`Model::own_reporting`), binary F1 0.854,
/// ternary 0.653 and 8 non-derived articles kept apart; with names alone as
/// material of its own (no figures, no quotations), 0.872, 0.794 and 10;
/// without a dateline tag naming the article's own outlet read as its filed
/// copy ("ORRIN FALLS (Allied Press) -"), 35 directions decided and the
/// source found for 37.
#[test]
fn eval_reuse_on_the_english_newsroom_set() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en");
    let (stderr, v) = eval_reuse_json(&dir, &[]);
    assert_eq!(v["pairs"], 63, "{stderr}");
    assert_eq!(v["dates"], false);
    let f1 = v["binary"]["f1"].as_f64().expect("binary F1");
    // 0.891 before a quotation left open at its paragraph's end (news
    // style for a quote of several paragraphs) counted as quoted.
    // 0.903 before two reports of one occasion (`Model::one_occasion`):
    // 0001:n3 now is one. 0.923 while names counted toward a copied
    // passage: the independent 0018:n4 shared "published in the Journal
    // of Adolescent Health Studies" and "the Kingsmere Institute of
    // Neuroscience, who was not involved" with the wire. 0.933 while a
    // lifted sentence needed no run of the other's phrasing.
    assert!(f1 >= 0.943, "binary F1 {f1}");
    let ternary = v["ternary_macro_f1"].as_f64().expect("ternary");
    // 0.691 when the degree read only the derived side's share: a rewrite
    // that brings no names of its own is wholly derived (19 of 19 wholly).
    // 0.851 while a possessive ("Okoro's") counted as a name of its own:
    // the independent report 0018:n4, which the verdict calls a rewrite,
    // now names no one of its own and reads as wholly derived (0.848).
    // 0.848 before a rewrite telling words of its own (`OWN_WORDS`) was
    // partially derived: 0018:n4 and one more independent report, which
    // the verdict calls rewrites, tell 25 or more words the wire never
    // uses, so neither is wholly derived now.
    // 0.855 before two reports of one occasion; 0.889 while names
    // counted toward a copied passage; 0.905 while a lifted sentence
    // needed no run of the other's phrasing.
    assert!(ternary >= 0.922, "ternary macro F1 {ternary}");
    assert_eq!(
        v["confusion"][2][0], 0,
        "non-derived read as wholly: {}",
        v["confusion"]
    );
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(42), "{d}");
    assert!(
        d["decided"].as_u64() <= d["right"].as_u64().map(|r| r + 6),
        "{d}"
    );
    let c = &v["corpus"];
    assert_eq!(c["derived"], 47);
    // 39 while a derived link's name fidelity was pooled over both sides
    // (`PairFeatures::name_retention_best`).
    assert!(c["source_found"].as_u64() >= Some(41), "{c}");
    // 12 before two reports of one occasion, 14 while names counted
    // toward a copied passage, 15 while a lifted sentence needed no run of
    // the other's phrasing.
    assert!(c["kept_apart"].as_u64() >= Some(16), "{c}");
}

/// Each source of `examples/reuse-en` followed by a source of
/// `examples/reuse-en-2` (other stories), as `scripts/extend-sources.py
/// examples/reuse-en OUT --with examples/reuse-en-2` writes it: a wire
/// story printed with another one, as in a wire service's run of versions
/// or a digest. The labels stand (a text made from a source is still made
/// from it), but every measure read on the source's side halves. The
/// floors are QUALITY.md's ("A source inside a longer text"): the verdict
/// fitted without pairs of that kind (`scripts/verdict-pairs.py`'s
/// "+ext" rows) scored binary F1 0.785 and found the source of 32.
/// Undated, the batch goes longest text first (`publication_order`), so
/// the figure is the same in any order of the file: 37. In input order it
/// was 38 in the file's order and 36 to 39 over four orders.
#[test]
fn eval_reuse_with_each_source_inside_a_longer_text() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let read = |set: &str, file: &str| -> Vec<serde_json::Value> {
        let path = root.join(set).join(file);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    };
    let sources = |pairs: &[serde_json::Value]| -> std::collections::BTreeSet<String> {
        pairs
            .iter()
            .filter_map(|p| p["a"].as_str().map(String::from))
            .collect()
    };
    let (articles, pairs) = (
        read("reuse-en", "articles.jsonl"),
        read("reuse-en", "pairs.jsonl"),
    );
    let other_sources = sources(&read("reuse-en-2", "pairs.jsonl"));
    let fillers: Vec<String> = read("reuse-en-2", "articles.jsonl")
        .into_iter()
        .filter(|a| {
            a["id"]
                .as_str()
                .is_some_and(|id| other_sources.contains(id))
        })
        .filter_map(|a| a["text"].as_str().map(String::from))
        .collect();
    let at: std::collections::HashMap<String, usize> = sources(&pairs)
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let dir = std::env::temp_dir().join(format!("retold-eval-reuse-ext-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut out = String::new();
    for mut a in articles {
        let id = a["id"].as_str().unwrap_or_default().to_string();
        if let Some(&i) = at.get(&id) {
            let text = format!(
                "{}\n\n{}",
                a["text"].as_str().unwrap_or_default(),
                fillers[i % fillers.len()]
            );
            a["text"] = serde_json::Value::String(text);
        }
        out.push_str(&a.to_string());
        out.push('\n');
    }
    std::fs::write(dir.join("articles.jsonl"), out).expect("articles");
    std::fs::copy(root.join("reuse-en/pairs.jsonl"), dir.join("pairs.jsonl")).expect("pairs");
    let (stderr, v) = eval_reuse_json(&dir, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(v["pairs"], 63, "{stderr}");
    let f1 = v["binary"]["f1"].as_f64().expect("binary F1");
    assert!(f1 >= 0.85, "binary F1 {f1}");
    assert!(v["corpus"]["source_found"].as_u64() >= Some(37), "{v}");
}

/// The second English newsroom-reuse set, `examples/reuse-en-2` (written
/// in session 18 by two writers blind to the tool; half A read article by
/// article since, half B measured as totals only): 24 agency stories and 70
/// newspaper articles, dates hidden. The floors are QUALITY.md's figures
/// ("A second English set, written blind"). Without the short name a
/// source field gives itself read in a dateline tag ("(CNS)" from
/// "Continental News Service (CNS)"), 38 of 50 directions were decided and
/// the source found for 47; with a derived link's name fidelity pooled over
/// both sides, the source found for 48; without the rule that a text with
/// material of its own never hangs below a rewrite
/// (`story::may_hang_below`), 14 non-derived articles kept apart. Since
/// the re-rooted tree grows from its root by closeness (`story::root`),
/// 16: `h15:n4` hangs below `h15:n2` by their pair verdict (a rewrite on
/// one aligned sentence), which the rank order had kept from it.
#[test]
fn eval_reuse_on_the_second_english_set() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en-2");
    let (stderr, v) = eval_reuse_json(&dir, &[]);
    assert_eq!(v["pairs"], 70, "{stderr}");
    assert_eq!(v["dates"], false);
    let f1 = v["binary"]["f1"].as_f64().expect("binary F1");
    assert!(f1 >= 0.97, "binary F1 {f1}");
    let ternary = v["ternary_macro_f1"].as_f64().expect("ternary");
    assert!(ternary >= 0.95, "ternary macro F1 {ternary}");
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(50), "{d}");
    assert_eq!(d["decided"], d["right"], "{d}");
    let c = &v["corpus"];
    assert_eq!(c["derived"], 52);
    assert!(c["source_found"].as_u64() >= Some(51), "{c}");
    assert!(c["kept_apart"].as_u64() >= Some(16), "{c}");
    // With the source fields hidden, what speaks is in the texts: five
    // derived pairs say "today" on the wire's side where the newspaper
    // says "yesterday" (relate::days); nothing else decides. The trees
    // shown start from the text that holds most of the others (the wire
    // story), their direction said to be unknown.
    let (stderr, v) = eval_reuse_json(&dir, &["--hide-sources"]);
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(5), "{d} {stderr}");
    assert_eq!(d["decided"], d["right"], "{d}");
    assert!(
        v["corpus"]["source_found"].as_u64() >= Some(49),
        "{}",
        v["corpus"]
    );
}

/// The third English set: wire stories filed in takes (QUALITY.md, "One
/// outlet's takes"). Its newspaper pairs are scored as in the other sets;
/// its update pairs (each take against the one before) are where the rule
/// for one outlet's texts speaks: without it, containment made each full
/// story the source of its first take (0 of 7 decided right, 4 of 18
/// earlier takes found above their later ones), and 13 of the 18 later
/// takes were called wholly derived from the shorter text.
#[test]
fn eval_reuse_on_the_third_english_set() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en-3");
    // The corpus run in the file's order and three shuffles (`--orders`):
    // the same figures in each, the first the one `corpus` shows.
    let (stderr, v) = eval_reuse_json(&dir, &["--pair-type", "agency-newspaper", "--orders", "4"]);
    assert_eq!(v["pairs"], 44, "{stderr}");
    let orders = v["orders"].as_array().expect("orders");
    assert_eq!(orders.len(), 4, "{stderr}");
    assert_eq!(orders[0], v["corpus"]);
    for o in orders {
        assert!(o["source_found"].as_u64() >= Some(31), "{o}");
        assert!(o["kept_apart"].as_u64() >= Some(10), "{o}");
    }
    // 0.928 and 0.867 before two reports of one occasion
    // (`Model::one_occasion`): m01:n4 and m06:n3 are.
    let f1 = v["binary"]["f1"].as_f64().expect("binary F1");
    assert!(f1 >= 0.955, "binary F1 {f1}");
    let ternary = v["ternary_macro_f1"].as_f64().expect("ternary");
    assert!(ternary >= 0.923, "ternary macro F1 {ternary}");
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(32), "{d}");
    assert_eq!(d["decided"], d["right"], "{d}");
    let c = &v["corpus"];
    assert_eq!(c["derived"], 34);
    // 29: three more than without the rule that a newspaper lifting a
    // real part of its text from the wire joins below it whoever it leads
    // with (`story::SUBJECT_PASSAGES`); 31 since a version made from the
    // agency's later take hangs below that take (`root::later_take`).
    assert!(c["source_found"].as_u64() >= Some(31), "{c}");
    // 10 of 10 since a report is no version of what a newspaper took from
    // the wire (`story::inherited`, rule 2 of session 32): 9 before.
    assert!(c["kept_apart"].as_u64() >= Some(10), "{c}");
    let (stderr, v) = eval_reuse_json(&dir, &["--pair-type", "agency-update"]);
    assert_eq!(v["pairs"], 18, "{stderr}");
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(12), "{d}");
    // One wrong since one outlet's earlier take needs 0.15 more of it held
    // than of the later one (`direction::TAKE_MARGIN`), not 0.3: m11's new
    // lead (t3), shorter than the full story and 0.87 held in it, reads as
    // its earlier take. reuse-en-4's updates, which add a few paragraphs,
    // went from 1 to 5 of 6 decided right.
    assert!(d["decided"].as_u64() <= Some(13), "{d}");
    assert!(
        d["decided"].as_u64() <= d["right"].as_u64().map(|r| r + 1),
        "{d}"
    );
    // Each later take adds to the one before: partially derived.
    assert!(
        v["confusion"][1][1].as_u64() >= Some(17),
        "{}",
        v["confusion"]
    );
    // 17 of 18 earlier takes above their later ones: 12 before the
    // re-rooted tree grew from its root by closeness, when a third take
    // rewritten from the full story (decided against neither take) ranked
    // above the full story and hung below the first take; 16 before a
    // take made from the full story hung below it rather than below the
    // first take (`root::later_take`).
    let c = &v["corpus"];
    assert!(c["source_found"].as_u64() >= Some(17), "{c}");
}

/// Floors for one English reuse set's newspaper pairs
/// (`--pair-type agency-newspaper`): the pair count and derived count
/// exactly, the rest as floors; every decided direction right.
struct ReuseFloors {
    pairs: u64,
    f1: f64,
    ternary: f64,
    right: u64,
    derived: u64,
    found: u64,
    kept: u64,
}

fn assert_reuse_floors(set: &str, floors: &ReuseFloors) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(set);
    let (stderr, v) = eval_reuse_json(&dir, &["--pair-type", "agency-newspaper"]);
    assert_eq!(v["pairs"], floors.pairs, "{stderr}");
    let f1 = v["binary"]["f1"].as_f64().expect("binary F1");
    assert!(f1 >= floors.f1, "{set}: binary F1 {f1}");
    let ternary = v["ternary_macro_f1"].as_f64().expect("ternary");
    assert!(
        ternary >= floors.ternary,
        "{set}: ternary macro F1 {ternary}"
    );
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(floors.right), "{set}: {d}");
    assert_eq!(d["decided"], d["right"], "{set}: {d}");
    let c = &v["corpus"];
    assert_eq!(c["derived"], floors.derived, "{set}: {c}");
    assert!(
        c["source_found"].as_u64() >= Some(floors.found),
        "{set}: {c}"
    );
    assert!(c["kept_apart"].as_u64() >= Some(floors.kept), "{set}: {c}");
}

/// The fourth English set, written blind by three writers and measured
/// once before any change (QUALITY.md, session 29): its figures are the
/// nearest we have to the held-out English corpus. Two of its agencies
/// ("National News Agency (NNA)", "Central Press Agency (CPA)") are in no
/// table and tag no dateline: they name themselves news agencies in the
/// source field, and that decides each pair's direction (22 of 60 decided
/// without it, all by the third agency's dateline tag). Its independent
/// reports from the same hearings are what retold keeps apart worst: 9 of
/// 22 (QUALITY.md).
#[test]
fn eval_reuse_on_the_fourth_english_set() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en-4");
    // 0.889, 0.747 and 9 of 22 kept apart before two reports of one
    // occasion (`Model::one_occasion`): the structure and the shared
    // phrasing said derived, no sentence was lifted, the version told
    // words of its own.
    assert_reuse_floors(
        "reuse-en-4",
        &ReuseFloors {
            pairs: 83,
            f1: 0.944,
            ternary: 0.882,
            right: 60,
            derived: 61,
            found: 58,
            kept: 18,
        },
    );
    // The same with the rule off (`lifted_min` 0 in the model given with
    // `--model`, which the corpus run reads too): the figures before it.
    let mut model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("../../crates/retold-core/src/relate/model.json"))
            .expect("model"),
    )
    .expect("model JSON");
    model["lifted_min"] = 0.into();
    let tmp = std::env::temp_dir().join(format!("retold-occasion-off-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let off = tmp.join("model.json");
    std::fs::write(&off, model.to_string()).expect("model written");
    let off_arg = off.to_string_lossy().into_owned();
    let (stderr, v) = eval_reuse_json(
        &dir,
        &[
            "--pair-type",
            "agency-newspaper",
            "--model",
            off_arg.as_str(),
        ],
    );
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(v["binary"]["f1"].as_f64() < Some(0.9), "{stderr}");
    assert!(
        v["corpus"]["kept_apart"].as_u64() <= Some(10),
        "{}",
        v["corpus"]
    );
    // Each agency's second version against its first: a few paragraphs
    // added, so the first is held nearly whole and the second less
    // (`direction::TAKE_MARGIN`; 1 of 6 decided at the 0.3 that two
    // outlets' texts need).
    let (stderr, v) = eval_reuse_json(&dir, &["--pair-type", "agency-update"]);
    assert_eq!(v["pairs"], 6, "{stderr}");
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(5), "{d}");
    assert_eq!(d["decided"], d["right"], "{d}");
    assert!(
        v["corpus"]["source_found"].as_u64() >= Some(5),
        "{}",
        v["corpus"]
    );
}

/// The fifth English set (`examples/reuse-en-5`), written blind in
/// session 30 to test the one-occasion rule and measured once before any
/// change (its README): 0.867 / 0.689 with dates hidden, and 14 of 26
/// directions decided, because writer 1's agency, "Northern Counties Press
/// (NCP)", named itself by no agency word. The floors are the figures after
/// a source field styled with its initials marks a wire
/// (`relate::outlets::names_itself_an_agency`). Session 32's rule that a
/// report is no version of what a newspaper took from the wire
/// (`story::inherited`) keeps 11 → 14 reports apart and finds 26 → 24
/// sources: q02:n1 and q03:n5, whose pair verdicts read two reports with
/// their wire, had been found only below a sibling newspaper.
#[test]
fn eval_reuse_on_the_fifth_english_set() {
    assert_reuse_floors(
        "reuse-en-5",
        &ReuseFloors {
            pairs: 45,
            f1: 0.892,
            ternary: 0.823,
            right: 25,
            derived: 28,
            found: 24,
            kept: 14,
        },
    );
}

/// The sixth blind English set (`examples/reuse-en-6`), written in session
/// 31 to measure that session's story rule cleanly: the floors are its
/// figures measured once before anything was read (its README). Session
/// 29's build reads it at 0.778 / 0.599 with 4 of 18 reports kept apart,
/// session 30's at 0.806 / 0.694 with 6; the floors are the figures once a
/// lifted sentence needs a run of the other's phrasing (measured after the
/// set was read), and 10 kept apart once a report is no version of what a
/// newspaper took from the wire (`story::inherited`, session 32).
#[test]
fn eval_reuse_on_the_sixth_english_set() {
    assert_reuse_floors(
        "reuse-en-6",
        &ReuseFloors {
            pairs: 47,
            f1: 0.818,
            ternary: 0.718,
            right: 27,
            derived: 29,
            found: 27,
            kept: 10,
        },
    );
}

/// The seventh blind English set (`examples/reuse-en-7`), written in
/// session 31 and measured once before anything was read (its README):
/// session 30's final build 0.857 / 0.804 with 6 of 18 reports kept apart,
/// the story rule (`story::inherited`) 9, and a lifted sentence needing a
/// run of the other's phrasing 0.871 / 0.826. The floors are those
/// figures, with 26 of 28 sources found since session 32's rule that a
/// report is no version of what a newspaper took from the wire: one
/// partially derived text whose pair verdict reads two reports with its
/// wire had been found only below a sibling newspaper.
#[test]
fn eval_reuse_on_the_seventh_english_set() {
    assert_reuse_floors(
        "reuse-en-7",
        &ReuseFloors {
            pairs: 46,
            f1: 0.870,
            ternary: 0.826,
            right: 27,
            derived: 28,
            found: 26,
            kept: 9,
        },
    );
}

/// The eighth blind English set (`examples/reuse-en-8`), written in
/// session 32 and measured once before anything was read (its README):
/// session 31's final build 0.881 / 0.801 with 7 of 17 reports kept apart
/// (10 with dates); once a report is no version of what a newspaper took
/// from the wire (`story::inherited`, rule 2 of session 32), 12 of 17.
/// The floors are those figures.
#[test]
fn eval_reuse_on_the_eighth_english_set() {
    assert_reuse_floors(
        "reuse-en-8",
        &ReuseFloors {
            pairs: 44,
            f1: 0.880,
            ternary: 0.800,
            right: 26,
            derived: 27,
            found: 26,
            kept: 12,
        },
    );
}

/// `--explain` lists what the corpus run got wrong: each derived article
/// whose source is not above it and each non-derived one below the other
/// text, with where it was placed.
#[test]
fn eval_reuse_explains_what_the_corpus_run_got_wrong() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reuse-en-3");
    let (stderr, v) = eval_reuse_json(&dir, &["--pair-type", "agency-newspaper", "--explain"]);
    let c = &v["corpus"];
    let n = |k: &str| c[k].as_u64().unwrap_or(0);
    let misses = c["misses"].as_array().expect("misses");
    assert_eq!(
        misses.len() as u64,
        n("derived") - n("source_found") + n("non_derived") - n("kept_apart"),
        "{c} {stderr}"
    );
    for m in misses {
        let chain: Vec<&str> = m["chain"]
            .as_array()
            .expect("chain")
            .iter()
            .filter_map(|x| x.as_str())
            .collect();
        let against = m["against"].as_str().expect("against");
        // A non-derived text listed is below the text it is labelled
        // against; a derived one is not.
        assert_eq!(chain.contains(&against), m["label"] == "non", "{m}");
    }
    // Without `--explain` the list is not there; in text it is a line each.
    let (_, plain) = eval_reuse_json(&dir, &["--pair-type", "agency-newspaper"]);
    assert!(plain["corpus"].get("misses").is_none());
    let out = retold()
        .args([
            "eval",
            "reuse",
            "--corpus",
            "--explain",
            "--pair-type",
            "agency-newspaper",
        ])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let lines = text
        .lines()
        .filter(|l| l.contains(" missed its source ") || l.contains(" joined under "))
        .count();
    assert_eq!(lines, misses.len(), "{text}");
}

/// The English articles' stories (each a sorted list of English ids) of
/// `analyze` over `articles` with the multilingual model turned off.
fn english_stories_without_the_model(articles: &std::path::Path) -> Vec<Vec<String>> {
    let out = retold()
        .args(["analyze", "--quiet", "--format", "json"])
        .arg(articles)
        .env("RETOLD_EMBEDDER", "off")
        .output()
        .expect("retold runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let lang: std::collections::HashMap<&str, &str> = v["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| Some((a["id"].as_str()?, a["language"].as_str()?)))
        .collect();
    let mut stories: Vec<Vec<String>> = v["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| {
            let mut ids: Vec<String> = s["members"]
                .as_array()
                .expect("members")
                .iter()
                .filter_map(|m| m["article"].as_str())
                .filter(|id| lang.get(id) == Some(&"en"))
                .map(str::to_string)
                .collect();
            ids.sort();
            ids
        })
        .filter(|ids| !ids.is_empty())
        .collect();
    stories.sort();
    stories
}

/// `analyze` over the translation set with the multilingual model: every
/// full translation hangs below its source (parent or ancestor), the
/// Japanese ones too. `tr:0016:ja-t` was never a candidate while figures
/// run into Japanese words ("49歳の…") were read as one number with them:
/// it shared one anchor of four with its source (QUALITY.md, session 15).
#[test]
fn analyze_puts_every_translation_of_the_set_below_its_source() {
    if !model_on() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/translations");
    let out = retold()
        .args(["analyze", "--quiet", "--format", "json"])
        .arg(dir.join("articles.jsonl"))
        .output()
        .expect("retold runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut parent = std::collections::HashMap::new();
    for s in v["stories"].as_array().expect("stories") {
        for m in s["members"].as_array().expect("members") {
            if let (Some(a), Some(p)) = (m["article"].as_str(), m["parent"].as_str()) {
                parent.insert(a.to_string(), p.to_string());
            }
        }
    }
    let below = |child: &str, ancestor: &str| {
        let mut at = child.to_string();
        for _ in 0..parent.len() {
            match parent.get(&at) {
                Some(p) if p == ancestor => return true,
                Some(p) => at = p.clone(),
                None => return false,
            }
        }
        false
    };
    let pairs = std::fs::read_to_string(dir.join("pairs.jsonl")).expect("pairs");
    let mut missed = Vec::new();
    let mut translations = 0;
    for line in pairs.lines() {
        let p: serde_json::Value = serde_json::from_str(line).expect("pair");
        if p["pair_type"] != "translation" {
            continue;
        }
        translations += 1;
        let (a, b) = (p["a"].as_str().unwrap_or(""), p["b"].as_str().unwrap_or(""));
        if !below(b, a) {
            missed.push(b.to_string());
        }
    }
    assert_eq!(translations, 32);
    assert!(missed.is_empty(), "not below their source: {missed:?}");
}

/// `eval reuse` on the translation set (`examples/translations`, issue
/// 18). Without the model: the run says cross-lingual matching is off, and
/// the English articles' stories are those of the English articles alone.
/// With it (required under RETOLD_MODEL_TESTS): floors at the figures of
/// QUALITY.md ("Cross-language", "The translation set").
#[test]
fn eval_reuse_on_the_translation_set() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/translations");
    let run = |off: bool| {
        let mut cmd = retold();
        cmd.args(["eval", "reuse", "--format", "json"]).arg(&dir);
        if off {
            cmd.env("RETOLD_EMBEDDER", "off");
        }
        let out = cmd.output().expect("retold runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (stderr, v)
    };
    let (stderr, v) = run(true);
    assert_eq!(v["pairs"], 57, "{stderr}");
    let x = &v["cross_language"];
    assert_eq!(x["on"], false, "{x}");
    assert!(stderr.contains("cross-lingual matching is off"), "{stderr}");
    assert!(
        x["off"]
            .as_str()
            .is_some_and(|w| w.contains("cross-lingual matching is off")),
        "{x}"
    );
    assert_eq!(x["all"]["derived"], 40, "{x}");
    assert_eq!(x["all"]["non"], 17, "{x}");
    assert_eq!(x["all"]["translated"], 0, "{x}");
    assert_eq!(x["altered"], 6, "{x}");
    assert_eq!(x["altered_caught"], 0, "{x}");

    // The English stories of the set, without the model, are those of its
    // English articles alone.
    let tmp = std::env::temp_dir().join(format!("retold-translations-en-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let english: String = std::fs::read_to_string(dir.join("articles.jsonl"))
        .expect("articles")
        .lines()
        .filter(|l| l.contains("\"lang\": \"en\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(english.lines().count(), 18);
    let only = tmp.join("english.jsonl");
    std::fs::write(&only, english).expect("write");
    let all = english_stories_without_the_model(&dir.join("articles.jsonl"));
    assert_eq!(all, english_stories_without_the_model(&only));
    assert_eq!(all.len(), 18, "{all:?}");
    std::fs::remove_dir_all(&tmp).ok();

    if !model_on() {
        return;
    }
    let (stderr, v) = run(false);
    let x = &v["cross_language"];
    assert_eq!(x["on"], true, "{stderr}");
    let all = &x["all"];
    // Floors at the measured figures (QUALITY.md), one pair below them
    // where a pair sits near a bar: the same code measured 0.850 and 0.859
    // ternary on two builds of one machine, 0.877 in an earlier session
    // (QUALITY.md, "Merged sentences and the figures check").
    assert!(all["wholly_translated"].as_u64() >= Some(31), "{x}");
    // Translated passages: 7 of the 8 partial translations are found
    // (39 of the 40 derived pairs), none of the 17 different articles.
    assert!(all["translated"].as_u64() >= Some(38), "{x}");
    assert!(all["non_called_derived"].as_u64() <= Some(0), "{x}");
    let ternary = v["ternary_macro_f1"].as_f64().unwrap_or(0.0);
    // 0.845 with 1:1 pairs only: merges read the Japanese translations'
    // merged quotes, so their coverage (the degree) reaches "wholly".
    assert!(ternary >= 0.88, "ternary macro F1 {ternary}");
    assert!(x["altered_caught"].as_u64() >= Some(5), "{x}");
    // Dates hidden, direction rests on translation notes and outlets: 34
    // of 39 before the Japanese notes ("（英語から翻訳）") were read.
    let d = &v["direction"];
    assert!(d["right"].as_u64() >= Some(37), "{d}");
    assert!(
        d["decided"].as_u64() <= d["right"].as_u64(),
        "a decided direction is wrong: {d}"
    );
    // Changes reported where the translator changed nothing: an exonym
    // (Tenerife / Teneriffa), a noun for an adjective (European / Europa),
    // a unit converted (48 acres / 20 Hektar). Months in another language,
    // accents, capitalized pronouns and ranges with one scale word were 5
    // more before they were read as what they are.
    assert!(x["changes_without_alteration"].as_u64() <= Some(6), "{x}");
    // Japanese, across scripts, at a margin rather than a cosine floor.
    let ja = x["by_languages"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["languages"] == "en→ja"));
    assert!(
        ja.and_then(|r| r["wholly_translated"].as_u64()) >= Some(4),
        "{x}"
    );
    // Icelandic, a language the detector's tables lack.
    let is = x["by_languages"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["languages"] == "en→is"));
    assert!(
        is.and_then(|r| r["wholly_translated"].as_u64()) >= Some(2),
        "{x}"
    );
}
