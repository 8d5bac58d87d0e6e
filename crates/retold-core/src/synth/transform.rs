//! The transformations that make derived versions.

use super::rng::Rng;

/// How a derived version was made from its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Derivation {
    /// The same text.
    Verbatim,
    /// The same text between scraper boilerplate lines.
    Boilerplate,
    /// A few sentences dropped, one added, some words swapped.
    Edited,
    /// The first part only.
    Truncated,
    /// A passage from the middle.
    Excerpt,
    /// Sentences moved around.
    Reordered,
    /// Most words swapped for synonyms and function words shuffled, as a spinner does.
    Spun,
    /// Names misspelled.
    Misspelled,
    /// Numbers changed.
    Numbers,
}

impl Derivation {
    pub const ALL: [Derivation; 9] = [
        Derivation::Verbatim,
        Derivation::Boilerplate,
        Derivation::Edited,
        Derivation::Truncated,
        Derivation::Excerpt,
        Derivation::Reordered,
        Derivation::Spun,
        Derivation::Misspelled,
        Derivation::Numbers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Derivation::Verbatim => "verbatim",
            Derivation::Boilerplate => "boilerplate",
            Derivation::Edited => "edited",
            Derivation::Truncated => "truncated",
            Derivation::Excerpt => "excerpt",
            Derivation::Reordered => "reordered",
            Derivation::Spun => "spun",
            Derivation::Misspelled => "misspelled",
            Derivation::Numbers => "numbers",
        }
    }

    /// Makes a derived version of `original`; `pool` supplies foreign sentences.
    pub fn apply(self, original: &[String], rng: &mut Rng, pool: &[&str]) -> Vec<String> {
        let n = original.len();
        let foreign = |rng: &mut Rng| pool[rng.below(pool.len() as u64) as usize].to_string();
        match self {
            Derivation::Verbatim => original.to_vec(),
            Derivation::Boilerplate => {
                let mut out = vec![format!("READ ALSO: {}", foreign(rng))];
                out.extend(original.iter().cloned());
                out.push("Source link".into());
                out.push("Share this: Facebook Twitter WhatsApp Email".into());
                out
            }
            Derivation::Edited => {
                let mut out = Vec::with_capacity(n + 1);
                for s in original {
                    if rng.chance(0.1) {
                        continue;
                    }
                    out.push(if rng.chance(0.3) {
                        swap_words(s, rng, 0.5)
                    } else {
                        s.clone()
                    });
                }
                let at = rng.below(out.len() as u64 + 1) as usize;
                out.insert(at, foreign(rng));
                out
            }
            Derivation::Truncated => {
                let keep = (n * (40 + rng.below(31) as usize) / 100).max(2).min(n);
                original[..keep].to_vec()
            }
            Derivation::Excerpt => {
                let len = (n * (30 + rng.below(21) as usize) / 100).max(2).min(n);
                let start = rng.below((n - len) as u64 + 1) as usize;
                original[start..start + len].to_vec()
            }
            Derivation::Reordered => {
                let mut out = original.to_vec();
                for _ in 0..(n / 3).max(1) {
                    let i = rng.below(n as u64) as usize;
                    let j = rng.below(n as u64) as usize;
                    out.swap(i, j);
                }
                out
            }
            Derivation::Spun => original.iter().map(|s| swap_words(s, rng, 0.95)).collect(),
            Derivation::Misspelled => original.iter().map(|s| misspell_names(s, rng)).collect(),
            Derivation::Numbers => original.iter().map(|s| change_numbers(s, rng)).collect(),
        }
    }
}

/// Word swaps a spinner or a machine-translation round trip makes.
const SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("says", "states"),
    ("told", "informed"),
    ("announced", "declared"),
    ("after", "following"),
    ("before", "prior to"),
    ("because", "since"),
    ("but", "however"),
    ("about", "regarding"),
    ("also", "additionally"),
    ("very", "extremely"),
    ("big", "large"),
    ("large", "huge"),
    ("small", "little"),
    ("new", "fresh"),
    ("old", "aged"),
    ("people", "individuals"),
    ("city", "town"),
    ("country", "nation"),
    ("government", "administration"),
    ("officials", "authorities"),
    ("official", "functionary"),
    ("police", "law enforcement"),
    ("car", "automobile"),
    ("cars", "automobiles"),
    ("house", "residence"),
    ("home", "dwelling"),
    ("help", "assist"),
    ("start", "commence"),
    ("started", "commenced"),
    ("end", "conclude"),
    ("ended", "concluded"),
    ("buy", "purchase"),
    ("bought", "purchased"),
    ("show", "demonstrate"),
    ("showed", "demonstrated"),
    ("shows", "demonstrates"),
    ("found", "discovered"),
    ("find", "discover"),
    ("use", "utilize"),
    ("used", "utilized"),
    ("need", "require"),
    ("needed", "required"),
    ("get", "obtain"),
    ("got", "obtained"),
    ("make", "create"),
    ("made", "created"),
    ("think", "believe"),
    ("thought", "believed"),
    ("want", "wish"),
    ("wanted", "wished"),
    ("many", "numerous"),
    ("most", "the majority of"),
    ("some", "certain"),
    ("often", "frequently"),
    ("quickly", "rapidly"),
    ("fast", "rapid"),
    ("hard", "difficult"),
    ("easy", "simple"),
    ("important", "significant"),
    ("problem", "issue"),
    ("problems", "issues"),
    ("plan", "scheme"),
    ("plans", "schemes"),
    ("job", "occupation"),
    ("jobs", "occupations"),
    ("money", "funds"),
    ("cost", "expense"),
    ("costs", "expenses"),
    ("price", "cost"),
    ("prices", "costs"),
    ("rise", "increase"),
    ("rose", "increased"),
    ("fall", "decrease"),
    ("fell", "decreased"),
    ("week", "seven days"),
    ("year", "twelve months"),
    ("report", "account"),
    ("reported", "recounted"),
    ("meeting", "gathering"),
    ("leader", "chief"),
    ("leaders", "chiefs"),
    ("company", "firm"),
    ("companies", "firms"),
    ("work", "labour"),
    ("worked", "laboured"),
    ("workers", "labourers"),
    ("children", "kids"),
    ("women", "ladies"),
    ("men", "gentlemen"),
    ("during", "throughout"),
    ("against", "versus"),
    ("between", "amid"),
    ("while", "whilst"),
    ("main", "principal"),
    ("major", "key"),
    ("several", "various"),
    ("each", "every"),
    ("still", "nevertheless"),
    ("would", "might"),
    ("could", "may"),
    ("will", "shall"),
    ("is", "remains"),
    ("was", "had been"),
    ("the", "this"),
    ("a", "one"),
    ("and", "as well as"),
    ("of", "from"),
    ("in", "within"),
    ("to", "towards"),
    ("on", "upon"),
    ("for", "regarding"),
    ("with", "alongside"),
    ("by", "through"),
    ("at", "in"),
];

/// Replaces words found in the synonym table with probability `p`.
fn swap_words(sentence: &str, rng: &mut Rng, p: f64) -> String {
    sentence
        .split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            let lower = core.to_lowercase();
            match SYNONYMS.iter().find(|(a, _)| *a == lower) {
                Some((_, b)) if rng.chance(p) => {
                    let replaced = if core.chars().next().is_some_and(char::is_uppercase) {
                        let mut c = b.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or_default()
                    } else {
                        b.to_string()
                    };
                    w.replacen(core, &replaced, 1)
                }
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Changes one vowel of capitalized words that do not open the sentence.
fn misspell_names(sentence: &str, rng: &mut Rng) -> String {
    let vowels = ['a', 'e', 'i', 'o', 'u'];
    sentence
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let is_name = i > 0 && w.len() > 3 && w.chars().next().is_some_and(char::is_uppercase);
            if !is_name || !rng.chance(0.7) {
                return w.to_string();
            }
            let positions: Vec<usize> = w
                .char_indices()
                .skip(1)
                .filter(|(_, c)| vowels.contains(c))
                .map(|(i, _)| i)
                .collect();
            match positions.get(rng.below(positions.len() as u64) as usize) {
                Some(&at) => {
                    let old = w[at..].chars().next().unwrap_or('a');
                    let new = vowels[(vowels.iter().position(|&v| v == old).unwrap_or(0)
                        + 1
                        + rng.below(3) as usize)
                        % 5];
                    format!("{}{}{}", &w[..at], new, &w[at + old.len_utf8()..])
                }
                None => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Changes digits of numbers.
fn change_numbers(sentence: &str, rng: &mut Rng) -> String {
    sentence
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if rng.chance(0.5) => {
                char::from_digit((d + 1 + rng.below(8) as u32) % 10, 10).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original() -> Vec<String> {
        vec![
            "Mayor Helena Voss said the city would buy 40 new buses.".to_string(),
            "The plan will cost 12 million crowns and start in June.".to_string(),
            "Officials told reporters the old buses were a problem.".to_string(),
            "Residents of Harbortown welcomed the news on Tuesday.".to_string(),
            "Some workers still want a meeting with the leader.".to_string(),
        ]
    }

    #[test]
    fn each_transformation_does_what_it_says() {
        let pool = ["A foreign sentence about something else entirely."];
        let mut rng = Rng::new(5);
        let o = original();
        assert_eq!(Derivation::Verbatim.apply(&o, &mut rng, &pool), o);
        let b = Derivation::Boilerplate.apply(&o, &mut rng, &pool);
        assert!(b[0].starts_with("READ ALSO:") && b.contains(&"Source link".to_string()));
        let t = Derivation::Truncated.apply(&o, &mut rng, &pool);
        assert!(t.len() < o.len() && t[..] == o[..t.len()]);
        let spun = Derivation::Spun.apply(&o, &mut rng, &pool).join(" ");
        assert!(spun.contains("stated") || spun.contains("Stated"), "{spun}");
        let m = Derivation::Misspelled.apply(&o, &mut rng, &pool).join(" ");
        assert_ne!(m, o.join(" "));
        assert!(
            m.starts_with("Mayor "),
            "first word of a sentence stays: {m}"
        );
        let n = Derivation::Numbers.apply(&o, &mut rng, &pool).join(" ");
        assert_ne!(n, o.join(" "));
        assert_eq!(n.len(), o.join(" ").len());
    }
}
