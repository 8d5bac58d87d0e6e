//! Order statistics of aligned pairs: Kendall's tau and runs.
//!
//! Both work on plain positions so that any matcher (the monotone aligner,
//! a future non-monotone one, a reordering detector) can use them.

/// Kendall's tau-b between two rankings given as positions `(x, y)`, one
/// entry per aligned pair: 1 when the pairs keep their order, −1 when the
/// second text reverses it, near 0 when there is no relation. Ties (equal
/// positions) are handled as in tau-b. `None` for fewer than two pairs or
/// when every position of one side is tied.
///
/// Runs in `O(k log k)` (Knight's algorithm).
///
/// ```
/// use retold_core::align::order::kendall_tau;
/// assert_eq!(kendall_tau(&[(0, 0), (1, 1), (2, 2)]), Some(1.0));
/// assert_eq!(kendall_tau(&[(0, 2), (1, 1), (2, 0)]), Some(-1.0));
/// let t = kendall_tau(&[(0, 1), (1, 0), (2, 2), (3, 3)]).unwrap();
/// assert!((t - 2.0 / 3.0).abs() < 1e-9);
/// assert_eq!(kendall_tau(&[(0, 0)]), None);
/// ```
pub fn kendall_tau(pairs: &[(usize, usize)]) -> Option<f64> {
    let n = pairs.len();
    if n < 2 {
        return None;
    }
    let mut v: Vec<(usize, usize)> = pairs.to_vec();
    v.sort_unstable();
    let total = (n as u64) * (n as u64 - 1) / 2;
    // Pairs tied in x, and tied in both.
    let (mut tied_x, mut tied_xy) = (0u64, 0u64);
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && v[j].0 == v[i].0 {
            j += 1;
        }
        tied_x += ties(j - i);
        let mut k = i;
        while k < j {
            let mut l = k + 1;
            while l < j && v[l].1 == v[k].1 {
                l += 1;
            }
            tied_xy += ties(l - k);
            k = l;
        }
        i = j;
    }
    // Sorting by y now counts the discordant pairs as swaps.
    let mut ys: Vec<usize> = v.iter().map(|p| p.1).collect();
    let mut buf = vec![0usize; n];
    let swaps = merge_count(&mut ys, &mut buf);
    let mut tied_y = 0u64;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && ys[j] == ys[i] {
            j += 1;
        }
        tied_y += ties(j - i);
        i = j;
    }
    let concordant_minus_discordant =
        total as f64 - tied_x as f64 - tied_y as f64 + tied_xy as f64 - 2.0 * swaps as f64;
    let denom = ((total - tied_x) as f64 * (total - tied_y) as f64).sqrt();
    (denom > 0.0).then(|| (concordant_minus_discordant / denom).clamp(-1.0, 1.0))
}

fn ties(k: usize) -> u64 {
    (k as u64) * (k as u64).saturating_sub(1) / 2
}

/// Sorts `v` (stable merge sort) and returns the number of inversions
/// (pairs with `v[i] > v[j]`, `i < j`).
fn merge_count(v: &mut [usize], buf: &mut [usize]) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut swaps = {
        let (l, r) = v.split_at_mut(mid);
        let (bl, br) = buf.split_at_mut(mid);
        merge_count(l, bl) + merge_count(r, br)
    };
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if v[j] < v[i] {
            buf[k] = v[j];
            swaps += (mid - i) as u64;
            j += 1;
        } else {
            buf[k] = v[i];
            i += 1;
        }
        k += 1;
    }
    while i < mid {
        buf[k] = v[i];
        i += 1;
        k += 1;
    }
    while j < n {
        buf[k] = v[j];
        j += 1;
        k += 1;
    }
    v.copy_from_slice(&buf[..n]);
    swaps
}

/// The longest run of blocks that follow each other without a gap in both
/// texts. Blocks are `(a_start, a_end, b_start, b_end)` half-open ranges,
/// sorted by `a_start`; a run continues when the next block starts where the
/// previous one ended on both sides. Returns the run's length in units of A
/// (`a_end − a_start` summed), 0 for no blocks.
///
/// ```
/// use retold_core::align::order::longest_run;
/// // 0-1 ↔ 0-1, 1-3 ↔ 1-2 (a 2:1 merge), then a gap in B, then 3-4 ↔ 5-6.
/// assert_eq!(longest_run(&[(0, 1, 0, 1), (1, 3, 1, 2), (3, 4, 5, 6)]), 3);
/// assert_eq!(longest_run(&[]), 0);
/// ```
pub fn longest_run(blocks: &[(usize, usize, usize, usize)]) -> usize {
    longest_runs(blocks).0
}

/// [`longest_run`] in units of A and in units of B: the two can come from
/// different runs where blocks merge sentences (a 3:1 block counts 3 in A
/// and 1 in B). Read in units of one side only, the run of a pair would
/// depend on which text is called A.
///
/// ```
/// use retold_core::align::order::longest_runs;
/// // 0-3 ↔ 0-1 (a 3:1 merge), then 3-4 ↔ 1-2: 4 sentences of A, 2 of B.
/// assert_eq!(longest_runs(&[(0, 3, 0, 1), (3, 4, 1, 2)]), (4, 2));
/// ```
pub fn longest_runs(blocks: &[(usize, usize, usize, usize)]) -> (usize, usize) {
    let (mut best_a, mut best_b) = (0, 0);
    let (mut run_a, mut run_b) = (0, 0);
    let mut prev: Option<(usize, usize)> = None;
    for &(a0, a1, b0, b1) in blocks {
        let (len_a, len_b) = (a1.saturating_sub(a0), b1.saturating_sub(b0));
        (run_a, run_b) = match prev {
            Some((pa, pb)) if pa == a0 && pb == b0 => (run_a + len_a, run_b + len_b),
            _ => (len_a, len_b),
        };
        best_a = best_a.max(run_a);
        best_b = best_b.max(run_b);
        prev = Some((a1, b1));
    }
    (best_a, best_b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tau-b straight from the definition.
    fn tau_naive(p: &[(usize, usize)]) -> Option<f64> {
        let (mut c, mut d, mut tx, mut ty) = (0i64, 0i64, 0i64, 0i64);
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                let dx = p[i].0 as i64 - p[j].0 as i64;
                let dy = p[i].1 as i64 - p[j].1 as i64;
                match (dx == 0, dy == 0) {
                    (true, true) => {}
                    (true, false) => tx += 1,
                    (false, true) => ty += 1,
                    _ if (dx > 0) == (dy > 0) => c += 1,
                    _ => d += 1,
                }
            }
        }
        let den = (((c + d + tx) * (c + d + ty)) as f64).sqrt();
        (p.len() >= 2 && den > 0.0).then(|| (c - d) as f64 / den)
    }

    #[test]
    fn matches_the_definition_with_ties() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % m) as usize
        };
        for n in 0..40 {
            let p: Vec<(usize, usize)> = (0..n).map(|_| (next(8), next(8))).collect();
            let (fast, slow) = (kendall_tau(&p), tau_naive(&p));
            match (fast, slow) {
                (Some(f), Some(s)) => assert!((f - s).abs() < 1e-9, "{p:?}: {f} vs {s}"),
                (f, s) => assert_eq!(f, s, "{p:?}"),
            }
        }
    }

    #[test]
    fn all_tied_is_none() {
        assert_eq!(kendall_tau(&[(1, 0), (1, 5), (1, 9)]), None);
    }

    #[test]
    fn runs_break_on_gaps_in_either_text() {
        assert_eq!(longest_run(&[(0, 1, 0, 1), (1, 2, 2, 3), (2, 3, 3, 4)]), 2);
        assert_eq!(longest_run(&[(0, 1, 0, 1), (2, 3, 1, 2)]), 1);
    }
}
