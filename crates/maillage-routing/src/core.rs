//! The junction graph ("core") the searches run on.
//!
//! Most nodes of a road graph are shape points in the middle of a street: on Monaco's car graph,
//! 88 % of the nodes have exactly two neighbours. A Dijkstra pays a priority-queue operation per
//! node; here it pays one per *junction* only. Each street between two junctions is a *walk*: the
//! list of its intermediate nodes with their time from the walk's entry junction; a two-way street
//! gives two walks, one per direction. The search runs on junctions linked by arcs whose time is the
//! exact (integer) sum along the walk, then the time of an intermediate node is read off its walks:
//! `time(entry junction) + offset`, or, on the walk a source sits on, the offset difference. Times
//! are the same integers a plain Dijkstra on the full graph finds (tests check it on real extracts).

use crate::graph::{Arc, Graph, NodeIndex};

pub(crate) const NONE: u32 = u32::MAX;

/// A street between two junctions, in one direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    pub exit: NodeIndex,
    pub total: u32,
    /// Range of its nodes in `Core::walk_nodes`.
    pub start: u32,
    pub len: u32,
}

pub(crate) struct Core {
    /// Arcs between junctions (CSR over all node indices; intermediate nodes have none).
    pub first_out: Vec<u32>,
    pub arcs: Vec<Arc>,
    /// Walks leaving each junction (CSR over all node indices).
    pub walk_first: Vec<u32>,
    pub walks: Vec<Walk>,
    /// Entry junction of each walk.
    pub walk_entry: Vec<NodeIndex>,
    /// The walk over the same nodes the other way (two-way streets), or `NONE`.
    pub twin: Vec<u32>,
    /// Intermediate nodes of the walks, in walk order: (node, time from the entry junction).
    pub walk_nodes: Vec<(NodeIndex, u32)>,
    /// For an intermediate node, its places in `walk_nodes` (one per direction it can be crossed);
    /// `[NONE, NONE]` for a junction.
    pub node_pos: Vec<[u32; 2]>,
}

impl Core {
    pub fn is_junction(&self, node: NodeIndex) -> bool {
        self.node_pos[node as usize][0] == NONE
    }

    /// The walk holding position `pos` of `walk_nodes`.
    pub fn walk_at(&self, pos: u32) -> usize {
        self.walks.partition_point(|w| w.start <= pos) - 1
    }

    pub fn memory_bytes(&self) -> usize {
        self.first_out.capacity() * 4
            + self.arcs.capacity() * 8
            + self.walk_first.capacity() * 4
            + self.walks.capacity() * std::mem::size_of::<Walk>()
            + self.walk_entry.capacity() * 4
            + self.twin.capacity() * 4
            + self.walk_nodes.capacity() * 8
            + self.node_pos.capacity() * 8
    }

    pub fn build(graph: &Graph) -> Core {
        let n = graph.node_count();
        let (first_out, arcs) = graph.csr();
        // In-arcs, to recognise intermediate nodes.
        let mut in_first = vec![0u32; n + 1];
        for a in arcs {
            in_first[a.head as usize + 1] += 1;
        }
        for i in 0..n {
            in_first[i + 1] += in_first[i];
        }
        let mut fill = in_first.clone();
        let mut in_tail = vec![0u32; arcs.len()];
        for u in 0..n {
            for a in &arcs[first_out[u] as usize..first_out[u + 1] as usize] {
                in_tail[fill[a.head as usize] as usize] = u as u32;
                fill[a.head as usize] += 1;
            }
        }
        // An intermediate node has the same two neighbours in and out (two-way street), or one in
        // and another one out (one-way street). Graphs have no loops nor parallel arcs.
        let mut junction: Vec<bool> = (0..n)
            .map(|u| {
                let out: Vec<u32> = graph.arcs(u as u32).iter().map(|a| a.head).collect();
                let ins = &in_tail[in_first[u] as usize..in_first[u + 1] as usize];
                let two_way = out.len() == 2
                    && ins.len() == 2
                    && ins.contains(&out[0])
                    && ins.contains(&out[1]);
                let one_way = out.len() == 1 && ins.len() == 1 && out[0] != ins[0];
                !(two_way || one_way)
            })
            .collect();
        drop((in_first, in_tail, fill));

        let mut core_arcs: Vec<(u32, u32, u32)> = Vec::new();
        let mut walks: Vec<(NodeIndex, Walk)> = Vec::new();
        let mut walk_nodes: Vec<(NodeIndex, u32)> = Vec::new();
        let mut visited = vec![false; n];
        let mut trace = |j: u32, junction: &[bool], visited: &mut [bool]| {
            for first in graph.arcs(j) {
                let (mut prev, mut cur, mut t) = (j, first.head, first.millis);
                let start = walk_nodes.len() as u32;
                let mut steps = 0usize;
                while !junction[cur as usize] && steps <= n {
                    visited[cur as usize] = true;
                    walk_nodes.push((cur, t));
                    let next = graph
                        .arcs(cur)
                        .iter()
                        .find(|a| a.head != prev)
                        .or_else(|| graph.arcs(cur).first())
                        .expect("intermediate nodes have an out-arc");
                    t = t.saturating_add(next.millis);
                    prev = cur;
                    cur = next.head;
                    steps += 1;
                }
                let len = walk_nodes.len() as u32 - start;
                if len > 0 {
                    walks.push((
                        j,
                        Walk {
                            exit: cur,
                            total: t,
                            start,
                            len,
                        },
                    ));
                }
                if cur != j {
                    core_arcs.push((j, cur, t));
                }
            }
        };
        for j in 0..n as u32 {
            if junction[j as usize] {
                trace(j, &junction, &mut visited);
            }
        }
        // Rings of intermediate nodes with no junction (a lone roundabout): make one node a junction.
        for v in 0..n {
            if !junction[v] && !visited[v] {
                junction[v] = true;
                trace(v as u32, &junction, &mut visited);
            }
        }

        core_arcs.sort_unstable();
        core_arcs.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
        let mut core_first = vec![0u32; n + 1];
        for a in &core_arcs {
            core_first[a.0 as usize + 1] += 1;
        }
        for i in 0..n {
            core_first[i + 1] += core_first[i];
        }
        // Walks are already grouped by entry junction in increasing order, except those of promoted
        // ring nodes: sort (stable) by entry, then lay their nodes out in that order.
        walks.sort_by_key(|w| w.0);
        let mut ordered_nodes = Vec::with_capacity(walk_nodes.len());
        let mut walk_first = vec![0u32; n + 1];
        let mut walk_entry = Vec::with_capacity(walks.len());
        let mut walk_list = Vec::with_capacity(walks.len());
        for (entry, w) in &walks {
            walk_first[*entry as usize + 1] += 1;
            let start = ordered_nodes.len() as u32;
            ordered_nodes
                .extend_from_slice(&walk_nodes[w.start as usize..(w.start + w.len) as usize]);
            walk_list.push(Walk { start, ..*w });
            walk_entry.push(*entry);
        }
        for i in 0..n {
            walk_first[i + 1] += walk_first[i];
        }
        let mut node_pos = vec![[NONE, NONE]; n];
        for (pos, &(node, _)) in ordered_nodes.iter().enumerate() {
            let slot = &mut node_pos[node as usize];
            if slot[0] == NONE {
                slot[0] = pos as u32;
            } else {
                slot[1] = pos as u32;
            }
        }
        let mut core = Core {
            first_out: core_first,
            arcs: core_arcs
                .into_iter()
                .map(|(_, head, millis)| Arc { head, millis })
                .collect(),
            walk_first,
            walks: walk_list,
            walk_entry,
            walk_nodes: ordered_nodes,
            node_pos,
            twin: Vec::new(),
        };
        // A two-way street's first node is also on the walk the other way.
        core.twin = (0..core.walks.len())
            .map(|w| {
                let node = core.walk_nodes[core.walks[w].start as usize].0;
                let [a, b] = core.node_pos[node as usize];
                let other = if a == core.walks[w].start { b } else { a };
                if other == NONE {
                    NONE
                } else {
                    core.walk_at(other) as u32
                }
            })
            .collect();
        core
    }
}
