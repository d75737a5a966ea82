//! Largest strongly connected component (iterative Tarjan: no recursion, so no stack overflow on
//! graphs of millions of nodes).

/// For a CSR graph (`first_out` of length n+1, `heads`), a mask of the nodes in the largest strongly
/// connected component (the first one found among equals, so the result is deterministic).
pub(crate) fn largest_component(first_out: &[u32], heads: &[u32]) -> Vec<bool> {
    const NONE: u32 = u32::MAX;
    let n = first_out.len() - 1;
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![NONE; n];
    let mut stack: Vec<u32> = Vec::new();
    // Explicit call stack: (node, next arc to look at).
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let mut next_index = 0u32;
    let mut best = (0usize, NONE); // (size, component id)
    let mut components = 0u32;

    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        calls.push((root, first_out[root as usize]));

        while let Some(&(v, arc)) = calls.last() {
            let vu = v as usize;
            if arc < first_out[vu + 1] {
                calls.last_mut().expect("non-empty").1 = arc + 1;
                let w = heads[arc as usize];
                let wu = w as usize;
                if index[wu] == NONE {
                    index[wu] = next_index;
                    low[wu] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[wu] = true;
                    calls.push((w, first_out[wu]));
                } else if on_stack[wu] {
                    low[vu] = low[vu].min(index[wu]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[vu]);
            }
            if low[vu] == index[vu] {
                let mut size = 0usize;
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    component[w as usize] = components;
                    size += 1;
                    if w == v {
                        break;
                    }
                }
                if size > best.0 {
                    best = (size, components);
                }
                components += 1;
            }
        }
    }
    component.into_iter().map(|c| c == best.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csr(n: usize, edges: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
        let mut e = edges.to_vec();
        e.sort();
        let mut first_out = vec![0u32; n + 1];
        for &(a, _) in &e {
            first_out[a as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        (first_out, e.iter().map(|x| x.1).collect())
    }

    #[test]
    fn finds_largest_cycle() {
        // Cycle 0→1→2→0 (size 3), cycle 3⇄4 (size 2), 2→3 one-way bridge, 5 isolated, 6 a dead end.
        let (f, h) = csr(7, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (2, 3), (4, 6)]);
        assert_eq!(
            largest_component(&f, &h),
            vec![true, true, true, false, false, false, false]
        );
    }

    #[test]
    fn one_way_street_in_a_loop_is_kept() {
        // A square of one-way streets is strongly connected.
        let (f, h) = csr(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]);
        assert_eq!(largest_component(&f, &h), vec![true; 4]);
    }

    #[test]
    fn long_path_does_not_overflow_the_stack() {
        let n = 300_000u32;
        let mut edges: Vec<(u32, u32)> =
            (0..n - 1).flat_map(|i| [(i, i + 1), (i + 1, i)]).collect();
        edges.push((n - 1, 0));
        let (f, h) = csr(n as usize, &edges);
        assert!(largest_component(&f, &h).into_iter().all(|b| b));
    }
}
