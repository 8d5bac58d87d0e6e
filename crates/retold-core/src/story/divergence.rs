//! What the versions of a story share and change: per story, the names
//! that were spelled several ways. (Each derived member's changes against
//! its parent are made by the engine when it places the member.)

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::changes::{Change, ChangeKind};

/// One spelling of an entity and the articles that use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub spelling: String,
    pub articles: Vec<String>,
}

/// An entity spelled more than one way across a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The spelling most of the story's versions use (ties: the one closer
    /// to the origin).
    pub canonical: String,
    pub variants: Vec<Variant>,
}

/// Entities with several spellings, merged from the name variants found at
/// aligned positions (a name in a copy aligned against another spelling in
/// its source). `members` are the story's articles, closest to the origin
/// first; `variants` the name-variant changes with the child's article id.
pub fn entities(members: &[&Article], variants: &[(&str, &Change)]) -> Vec<Entity> {
    // Union-find over spellings.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut id = |s: &str, parent: &mut Vec<usize>| -> usize {
        let n = index.len();
        *index.entry(s.to_string()).or_insert_with(|| {
            parent.push(n);
            n
        })
    };
    for (_, c) in variants
        .iter()
        .filter(|(_, c)| c.kind == ChangeKind::NameVariant)
    {
        let (Some(a), Some(b)) = (&c.parent, &c.child) else {
            continue;
        };
        if a.text.is_empty() || b.text.is_empty() || a.text == b.text {
            continue;
        }
        // A one-word "name" that the story also writes in lower case is a
        // common noun at a sentence start or in a heading ("College").
        let common = |w: &str| {
            !w.contains(' ') && {
                let lower = w.to_lowercase();
                members.iter().any(|m| uses(&m.text, &lower))
            }
        };
        if common(&a.text) || common(&b.text) {
            continue;
        }
        let (x, y) = (id(&a.text, &mut parent), id(&b.text, &mut parent));
        let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
        if rx != ry {
            parent[ry] = rx;
        }
    }
    // A surname alone joins the full name that ends with it ("Wrenfeld" with
    // "Tobias Wrenfeld").
    // Sorted, so the full name a surname joins does not depend on hash order.
    let mut all: Vec<(String, usize)> = index.iter().map(|(s, &i)| (s.clone(), i)).collect();
    all.sort();
    for (short, i) in &all {
        if short.contains(' ') {
            continue;
        }
        if let Some((_, j)) = all
            .iter()
            .find(|(long, _)| long.len() > short.len() && long.ends_with(&format!(" {short}")))
        {
            let (ri, rj) = (find(&mut parent, *i), find(&mut parent, *j));
            if ri != rj {
                parent[ri] = rj;
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let spellings: Vec<(String, usize)> = index.iter().map(|(s, &i)| (s.clone(), i)).collect();
    for (s, i) in spellings {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(s);
    }
    let mut out: Vec<Entity> = groups
        .into_values()
        .map(|mut spellings| {
            spellings.sort();
            let variants: Vec<Variant> = spellings
                .iter()
                .map(|s| Variant {
                    spelling: s.clone(),
                    articles: members
                        .iter()
                        .filter(|a| uses(&a.text, s))
                        .map(|a| a.id.clone())
                        .collect(),
                })
                .collect();
            // Full names before bare surnames, then most articles, then the
            // spelling the earliest member uses.
            let first_use = |v: &Variant| {
                members
                    .iter()
                    .position(|a| v.articles.contains(&a.id))
                    .unwrap_or(usize::MAX)
            };
            let canonical = variants
                .iter()
                .max_by(|x, y| {
                    let words = |v: &Variant| v.spelling.split_whitespace().count().min(2);
                    words(x)
                        .cmp(&words(y))
                        .then(x.articles.len().cmp(&y.articles.len()))
                        .then(first_use(y).cmp(&first_use(x)))
                })
                .map(|v| v.spelling.clone())
                .unwrap_or_default();
            Entity {
                canonical,
                variants,
            }
        })
        .collect();
    out.sort_by(|x, y| x.canonical.cmp(&y.canonical));
    out
}

/// `text` uses `spelling` as whole words ("Marlow" is not in "Marlowe").
fn uses(text: &str, spelling: &str) -> bool {
    text.match_indices(spelling).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleDraft, Origin};
    use crate::changes::Excerpt;
    use crate::text::Span;

    fn article(id: &str, text: &str) -> Article {
        ArticleDraft {
            id: Some(id.into()),
            text: text.into(),
            ..Default::default()
        }
        .finish(Origin::whole(id))
        .expect("article")
    }

    fn variant(from: &str, to: &str) -> Change {
        let e = |t: &str| Excerpt {
            text: t.into(),
            span: Span { start: 0, end: 0 },
        };
        Change {
            kind: ChangeKind::NameVariant,
            parent: Some(e(from)),
            child: Some(e(to)),
            detail: None,
        }
    }

    #[test]
    fn the_spelling_most_versions_use_is_canonical() {
        let a = article("a", "Siobhan Marlowe spoke. Marlowe left.");
        let b = article("b", "Siobhan Marlowe spoke. Marlowe left.");
        let c = article("c", "Siobahn Marlow spoke. Marlow left.");
        let changes = [
            variant("Siobhan Marlowe", "Siobahn Marlow"),
            variant("Marlowe", "Marlow"),
        ];
        let v: Vec<(&str, &Change)> = changes.iter().map(|c| ("c", c)).collect();
        let e = entities(&[&a, &b, &c], &v);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].canonical, "Siobhan Marlowe");
        let marlow = e[0]
            .variants
            .iter()
            .find(|v| v.spelling == "Marlow")
            .expect("variant");
        assert_eq!(marlow.articles, ["c"]);
    }

    #[test]
    fn different_names_stay_apart() {
        let a = article("a", "Nell Brannigan and Colm Varley met.");
        let changes = [
            variant("Nell Brannigan", "Nell Branagan"),
            variant("Colm Varley", "Colum Varley"),
        ];
        let v: Vec<(&str, &Change)> = changes.iter().map(|c| ("b", c)).collect();
        assert_eq!(entities(&[&a], &v).len(), 2);
    }
}
