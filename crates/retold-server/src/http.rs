//! The HTTP API and the web pages (routes in [`router`]; documented in
//! `docs/openapi.yaml`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use retold_core::article::Article;
use retold_core::ingest::{Batch, IngestOptions};
use retold_core::report::pair::PairReport;
use retold_core::report::{html, Analysis, ArticleRow, StoryBrief, StoryView};
use serde::{Deserialize, Serialize};

use crate::ingest::{read_html, read_jsonl, Outcome, Status};
use serde_json::value::RawValue;

use crate::service::{IngestFailure, Ingestor, Shared, Snapshot, Updated};
use crate::store::Revision;

/// What every handler needs.
#[derive(Clone)]
pub struct App {
    pub ingestor: Ingestor,
    /// Writing endpoints need `Authorization: Bearer <token>` when set.
    pub token: Option<Arc<str>>,
    pub options: Arc<IngestOptions>,
}

impl App {
    fn shared(&self) -> &Shared {
        &self.ingestor.shared
    }
}

/// Largest page of stories one request returns.
pub const MAX_LIMIT: usize = 500;
/// Stories on the web index.
const INDEX_STORIES: usize = 200;

/// The routes, with the request body bounded to `max_body_bytes`.
pub fn router(app: App, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/", get(index_page))
        .route("/stories/{id}", get(story_page))
        .route("/compare", get(compare_page))
        .route("/v1/articles", axum::routing::post(post_articles))
        .route("/v1/articles/{id}", get(get_article))
        .route("/v1/stories", get(get_stories))
        .route("/v1/stories/{id}", get(get_story))
        .route("/v1/compare", get(get_compare))
        .route("/v1/health", get(health))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(app)
}

/// An error as the API returns it: `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no {what} `{id}`"),
        )
    }

    fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// Compares without stopping at the first difference.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorize(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &app.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if same_secret(given.as_bytes(), token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "writing needs `Authorization: Bearer <token>`",
        ))
    }
}

#[derive(Debug, Deserialize)]
pub struct PostQuery {
    /// The URL an HTML page was fetched from; makes the body an HTML page.
    url: Option<String>,
}

/// What `POST /v1/articles` answers.
#[derive(Debug, Serialize)]
pub struct IngestResponse {
    pub new: usize,
    pub revisions: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// Every record's outcome, in the order of the body.
    pub records: Vec<Outcome>,
}

async fn post_articles(
    State(app): State<App>,
    Query(q): Query<PostQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "empty",
            "the request body is empty",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let is_html = q.url.is_some()
        || content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("text/html"));
    let options = Arc::clone(&app.options);
    let records = tokio::task::spawn_blocking(move || {
        let clock = std::time::Instant::now();
        let records = if is_html {
            read_html(&body, q.url.as_deref(), content_type.as_deref(), "request")
        } else {
            read_jsonl(&body, "request", &options)
        };
        if std::env::var_os("RETOLD_DEBUG").is_some() {
            eprintln!(
                "retold serve: read {} records ({} bytes) in {:.3} s",
                records.len(),
                body.len(),
                clock.elapsed().as_secs_f64()
            );
        }
        records
    })
    .await
    .map_err(ApiError::internal)?;
    let outcomes = app
        .ingestor
        .ingest("http".into(), records)
        .await
        .map_err(|e| match e {
            IngestFailure::Unavailable(m) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", m)
            }
            IngestFailure::Failed(m) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "placement_failed", m)
            }
        })?;
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    let response = IngestResponse {
        new: count(Status::New),
        revisions: count(Status::Revision),
        unchanged: count(Status::Unchanged),
        rejected: count(Status::Rejected),
        records: outcomes,
    };
    // Any bad record makes it a 4xx; the good ones are stored all the same.
    let status = if response.rejected > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(response)).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct StoriesQuery {
    /// Only stories changed after this: an ingest sequence number, or an
    /// RFC 3339 time (changed at or after it).
    since: Option<String>,
    /// Only stories whose title, outlets or member titles contain this
    /// (case-insensitive).
    q: Option<String>,
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `full` (the default: each story's whole view) or `brief` (a
    /// listing line per story, [`StoryBrief`]).
    view: Option<String>,
}

/// A page of story briefs (`view=brief`): what a listing shows, a small
/// fraction of the full page.
#[derive(Debug, Serialize)]
pub struct BriefPage {
    pub schema: String,
    pub summary: retold_core::report::Summary,
    pub stories: Vec<BriefRow>,
    pub last_seq: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One listed story and when it last changed.
#[derive(Debug, Serialize)]
pub struct BriefRow {
    #[serde(flatten)]
    pub brief: StoryBrief,
    pub updated: Updated,
}

/// A page of stories: the analysis view model restricted to them (the
/// summary counts the whole store), newest change first. The fields are
/// [`Analysis`]'s, in its order; each story is its view's JSON as the
/// snapshot keeps it ([`Snapshot::json`]).
#[derive(Debug, Serialize)]
pub struct StoriesPage {
    pub schema: String,
    pub summary: retold_core::report::Summary,
    pub articles: Vec<ArticleRow>,
    pub stories: Vec<Arc<RawValue>>,
    pub skipped: [(); 0],
    pub warnings: [(); 0],
    /// When each story of the page last changed, by story id.
    pub updated: BTreeMap<String, Updated>,
    /// The highest ingest sequence number placed.
    pub last_seq: i64,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
}

/// The page of `snap`'s stories `q` asks for.
fn stories_page(snap: &Snapshot, q: &StoriesQuery) -> Result<StoriesPage, ApiError> {
    let (picked, next_cursor) = pick_stories(snap, q)?;
    let mut page = StoriesPage {
        schema: snap.analysis.schema.clone(),
        summary: snap.analysis.summary.clone(),
        articles: Vec::new(),
        stories: Vec::with_capacity(picked.len()),
        skipped: [],
        warnings: [],
        updated: BTreeMap::new(),
        last_seq: snap.last_seq,
        next_cursor,
    };
    for &k in &picked {
        let v = &snap.analysis.stories[k];
        for a in &v.story.articles {
            if let Some(r) = snap.row(a) {
                page.articles.push(r.clone());
            }
        }
        page.updated.insert(v.story.id.clone(), snap.updated[k]);
        let json = match snap.json.get(k) {
            Some(j) => Arc::clone(j),
            // A snapshot built without the kept JSON (none is, today).
            None => Arc::from(serde_json::value::to_raw_value(v).map_err(ApiError::internal)?),
        };
        page.stories.push(json);
    }
    Ok(page)
}

/// The page of briefs `q` asks for (`view=brief`).
fn brief_page(snap: &Snapshot, q: &StoriesQuery) -> Result<BriefPage, ApiError> {
    let (picked, next_cursor) = pick_stories(snap, q)?;
    Ok(BriefPage {
        schema: snap.analysis.schema.clone(),
        summary: snap.analysis.summary.clone(),
        stories: picked
            .iter()
            .map(|&k| BriefRow {
                brief: snap.analysis.stories[k].brief(),
                updated: snap.updated[k],
            })
            .collect(),
        last_seq: snap.last_seq,
        next_cursor,
    })
}

/// The stories of `snap` that `q` picks (indices, newest change first)
/// and the cursor of the next page.
fn pick_stories(
    snap: &Snapshot,
    q: &StoriesQuery,
) -> Result<(Vec<usize>, Option<String>), ApiError> {
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_LIMIT);
    enum Since {
        Seq(i64),
        Time(jiff::Timestamp),
    }
    let since = match q.since.as_deref() {
        None | Some("") => None,
        Some(s) => Some(match s.parse::<i64>() {
            Ok(n) => Since::Seq(n),
            Err(_) => Since::Time(s.parse().map_err(|_| {
                bad_request(format!(
                    "`since` must be a sequence number or an RFC 3339 time, not `{s}`"
                ))
            })?),
        }),
    };
    let cursor = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => {
            let (seq, id) = c
                .split_once(':')
                .and_then(|(s, id)| Some((s.parse::<i64>().ok()?, id)))
                .ok_or_else(|| bad_request(format!("bad cursor `{c}`")))?;
            Some((seq, id.to_string()))
        }
    };
    let needle =
        q.q.as_deref()
            .map(str::to_lowercase)
            .filter(|s| !s.is_empty());
    let row = |id: &str| snap.row(id);
    let matches = |k: usize| -> bool {
        let v = &snap.analysis.stories[k];
        let u = snap.updated[k];
        if let Some((seq, id)) = &cursor {
            if !(u.seq < *seq || (u.seq == *seq && v.story.id.as_str() > id.as_str())) {
                return false;
            }
        }
        match &since {
            Some(Since::Seq(n)) if u.seq <= *n => return false,
            Some(Since::Time(t)) => {
                let at = snap
                    .received(u.seq)
                    .and_then(|r| r.parse::<jiff::Timestamp>().ok());
                if at.is_none_or(|at| at < *t) {
                    return false;
                }
            }
            _ => {}
        }
        if let Some(n) = &needle {
            let hit = |s: &str| s.to_lowercase().contains(n.as_str());
            let found = hit(&v.story.title)
                || v.overview.outlets.iter().any(|o| hit(o))
                || v.story
                    .articles
                    .iter()
                    .any(|a| hit(a) || row(a).and_then(|r| r.title.as_deref()).is_some_and(hit));
            if !found {
                return false;
            }
        }
        true
    };
    let mut picked: Vec<usize> = Vec::new();
    let mut more = false;
    for k in 0..snap.analysis.stories.len() {
        if !matches(k) {
            continue;
        }
        if picked.len() == limit {
            more = true;
            break;
        }
        picked.push(k);
    }
    let next_cursor = match (more, picked.last()) {
        (true, Some(&k)) => Some(format!(
            "{}:{}",
            snap.updated[k].seq, snap.analysis.stories[k].story.id
        )),
        _ => None,
    };
    Ok((picked, next_cursor))
}

async fn get_stories(
    State(app): State<App>,
    Query(q): Query<StoriesQuery>,
) -> Result<Response, ApiError> {
    let snap = app.shared().snapshot();
    match q.view.as_deref() {
        None | Some("") | Some("full") => Ok(Json(stories_page(&snap, &q)?).into_response()),
        Some("brief") => Ok(Json(brief_page(&snap, &q)?).into_response()),
        Some(other) => Err(bad_request(format!(
            "`view` must be `full` or `brief`, not `{other}`"
        ))),
    }
}

/// Runs `f` with the store's read connection on a blocking thread.
async fn with_store<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&crate::store::Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let shared = Arc::clone(&app.ingestor.shared);
    tokio::task::spawn_blocking(move || {
        let store = match shared.reader.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&store)
    })
    .await
    .map_err(ApiError::internal)?
}

/// One story with its texts: each derived member beside its parent, the
/// changed words marked (the analysis of that story alone).
async fn story_analysis(app: &App, id: &str) -> Result<Analysis, ApiError> {
    let snap = app.shared().snapshot();
    let k = snap
        .story_by_id(id)
        .or_else(|| snap.story_of(id))
        .ok_or_else(|| ApiError::not_found("story", id))?;
    let story = snap.analysis.stories[k].story.clone();
    let ids = story.articles.clone();
    with_store(app, move |store| {
        let mut articles = Vec::with_capacity(ids.len());
        for id in &ids {
            let r = store.by_engine_id(id).map_err(ApiError::internal)?;
            articles.extend(r.map(|r| r.article));
        }
        let batch = Batch {
            articles,
            ..Default::default()
        };
        Ok(Analysis::new(&batch, vec![story], true))
    })
    .await
}

async fn get_story(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<Analysis>, ApiError> {
    Ok(Json(story_analysis(&app, &id).await?))
}

/// An article and every revision of it.
#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub revisions: Vec<RevisionView>,
}

#[derive(Debug, Serialize)]
pub struct RevisionView {
    #[serde(flatten)]
    pub revision: Revision,
    /// The story this revision is in.
    pub story: Option<String>,
    /// The report's row of the revision, with its text.
    pub article: ArticleRow,
}

async fn get_article(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<ArticleView>, ApiError> {
    let snap = app.shared().snapshot();
    let key = id.clone();
    let revisions =
        with_store(&app, move |s| s.revisions(&key).map_err(ApiError::internal)).await?;
    let Some(first) = revisions.first() else {
        return Err(ApiError::not_found("article", &id));
    };
    let article_id = first.article_id.clone();
    let revisions = revisions
        .into_iter()
        .map(|r| RevisionView {
            story: snap
                .story_of(&r.engine_id)
                .map(|k| snap.analysis.stories[k].story.id.clone()),
            article: ArticleRow::new(&r.article, true),
            revision: r,
        })
        .collect();
    Ok(Json(ArticleView {
        id: article_id,
        revisions,
    }))
}

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

/// The article a compare names: an engine id (one revision), else the
/// latest revision of an article id.
fn resolve(store: &crate::store::Store, id: &str) -> Result<Article, ApiError> {
    if let Some(r) = store.by_engine_id(id).map_err(ApiError::internal)? {
        return Ok(r.article);
    }
    store
        .revisions(id)
        .map_err(ApiError::internal)?
        .pop()
        .map(|r| r.article)
        .ok_or_else(|| ApiError::not_found("article", id))
}

async fn pair(app: &App, q: CompareQuery) -> Result<PairReport, ApiError> {
    let (Some(a), Some(b)) = (q.a, q.b) else {
        return Err(bad_request("compare needs `a` and `b` (article ids)"));
    };
    with_store(app, move |store| {
        let (a, b) = (resolve(store, &a)?, resolve(store, &b)?);
        Ok(PairReport::compare(&a, &b))
    })
    .await
}

async fn get_compare(
    State(app): State<App>,
    Query(q): Query<CompareQuery>,
) -> Result<Json<PairReport>, ApiError> {
    Ok(Json(pair(&app, q).await?))
}

/// What `/v1/health` answers.
#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub schema_version: i64,
    pub articles: i64,
    pub revisions: i64,
    pub batches: i64,
    /// Stories with more than one version, and articles alone.
    pub stories: usize,
    pub singletons: usize,
    /// The highest ingest sequence number placed: it changes whenever the
    /// stories may have changed.
    pub last_seq: i64,
    pub queue_depth: usize,
    /// The engine's rebuild at start: revisions loaded with the saved
    /// state, revisions placed again from the store, and seconds.
    pub restored: usize,
    pub replayed: usize,
    pub replay_seconds: f64,
}

async fn health(State(app): State<App>) -> Result<Json<Health>, ApiError> {
    let snap = app.shared().snapshot();
    let (counts, version) = with_store(&app, |s| {
        Ok((
            s.counts().map_err(ApiError::internal)?,
            s.schema_version().map_err(ApiError::internal)?,
        ))
    })
    .await?;
    let shared = app.shared();
    Ok(Json(Health {
        status: "ok",
        schema_version: version,
        articles: counts.articles,
        revisions: counts.revisions,
        batches: counts.batches,
        stories: snap.analysis.summary.stories,
        singletons: snap.analysis.summary.singletons,
        last_seq: snap.last_seq,
        queue_depth: shared.queue_depth.load(std::sync::atomic::Ordering::SeqCst),
        restored: shared.replay.loaded,
        replayed: shared.replay.revisions,
        replay_seconds: shared.replay.seconds,
    }))
}

async fn metrics(State(app): State<App>) -> Result<Response, ApiError> {
    let counts = with_store(&app, |s| s.counts().map_err(ApiError::internal)).await?;
    let shared = app.shared();
    let text = shared.metrics.render(
        counts.articles,
        counts.revisions,
        shared.queue_depth.load(std::sync::atomic::Ordering::SeqCst),
    );
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}

/// Adds the service's bar and the polling script to a report page: the
/// page reloads when `/v1/health` says the stories changed (and the reader
/// is not typing in the filter).
fn live(page: String, last_seq: i64, title: &str) -> String {
    let bar = format!(
        "<p class=\"note\" id=\"serve-bar\">retold serve · {} · <a href=\"/\">index</a> · <a href=\"/v1/stories\">JSON</a> · updates every 5 s</p>",
        escape(title)
    );
    let script = format!(
        "<script>(function(){{var seen={last_seq};setInterval(function(){{fetch('/v1/health').then(function(r){{return r.json();}}).then(function(h){{var f=document.activeElement;if(h.last_seq!==seen&&!(f&&f.tagName==='INPUT')){{location.reload();}}}}).catch(function(){{}});}},5000);}})();</script>"
    );
    // After the opening tag of the body.
    let body_open = page
        .find("<body")
        .and_then(|at| page[at..].find('>').map(|end| at + end + 1));
    let page = match body_open {
        Some(at) => format!("{}{bar}{}", &page[..at], &page[at..]),
        None => page,
    };
    match page.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &page[..at], &page[at..]),
        None => page + &script,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn index_page(State(app): State<App>) -> Result<Html<String>, ApiError> {
    let snap = app.shared().snapshot();
    let q = StoriesQuery {
        limit: Some(INDEX_STORIES),
        ..Default::default()
    };
    let (picked, _) = pick_stories(&snap, &q)?;
    let last = snap.last_seq;
    let mut analysis = Analysis {
        schema: snap.analysis.schema.clone(),
        summary: snap.analysis.summary.clone(),
        articles: Vec::new(),
        stories: Vec::with_capacity(picked.len()),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    for &k in &picked {
        let v = &snap.analysis.stories[k];
        analysis
            .articles
            .extend(v.story.articles.iter().filter_map(|a| snap.row(a)).cloned());
        analysis.stories.push(StoryView::clone(v));
    }
    let html = tokio::task::spawn_blocking(move || html::render(&analysis))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(Html(live(html, last, "newest stories")))
}

async fn story_page(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Html<String>, ApiError> {
    let analysis = story_analysis(&app, &id).await?;
    let last = app.shared().snapshot().last_seq;
    let title = analysis
        .stories
        .first()
        .map(|s| s.story.title.clone())
        .unwrap_or_default();
    let html = html::render(&analysis).map_err(ApiError::internal)?;
    Ok(Html(live(html, last, &title)))
}

async fn compare_page(
    State(app): State<App>,
    Query(q): Query<CompareQuery>,
) -> Result<Html<String>, ApiError> {
    let report = pair(&app, q).await?;
    Ok(Html(
        html::render_pair(&report).map_err(ApiError::internal)?,
    ))
}
