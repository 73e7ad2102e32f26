//! The trie of the terms, in codes. The root's children are an array
//! indexed by code (every candidate position starts there); every other
//! edge lives in one open-addressing hash table keyed by (node, code), which
//! builds in one pass over the terms — much faster than placing a double
//! array. An edge also carries the value of the term ending at its child, so
//! each step of a walk touches one slot (usually one cache line) and nothing else.

/// No term ends at this node / an empty hash slot.
pub const NONE: u32 = u32::MAX;

pub struct Trie {
    /// `[child, value]` for each code: the depth-1 node (0 where no term
    /// starts with the code; the root is node 0 and nobody's child) and the
    /// value of the one-character term, or [`NONE`].
    pub(super) root: Box<[[u32; 2]]>,
    pub(super) edges: Edges,
    /// Nodes other than the root, numbered from 1.
    pub(super) nodes: u32,
}

impl Trie {
    pub fn new(codes: usize) -> Trie {
        Trie {
            root: vec![[0, NONE]; codes].into_boxed_slice(),
            edges: Edges::with_capacity(1024),
            nodes: 0,
        }
    }

    /// Adds a term as codes (none of them [`super::codes::ABSENT`]).
    pub fn insert(&mut self, term: impl Iterator<Item = u32>, value: u32) {
        let mut node = 0;
        // Where the edge into `node` keeps its value.
        let mut value_at: Option<&mut u32> = None;
        for code in term {
            if node == 0 {
                let Some(entry) = self.root.get_mut(code as usize) else {
                    return;
                };
                if entry[0] == 0 {
                    self.nodes += 1;
                    entry[0] = self.nodes;
                }
                node = entry[0];
                value_at = Some(&mut entry[1]);
            } else {
                let slot = match self.edges.find(node, code) {
                    Some(slot) => slot,
                    None => {
                        self.nodes += 1;
                        self.edges.insert(node, code, self.nodes)
                    }
                };
                let s = &mut self.edges.slots[slot];
                node = s[2];
                value_at = Some(&mut s[3]);
            }
        }
        if let Some(v) = value_at {
            *v = value;
        }
    }

    /// `[node, value]` of the first character's code: the depth-1 node (0
    /// if no term starts with it) and the one-character term's value.
    #[inline(always)]
    pub fn first(&self, code: u32) -> [u32; 2] {
        self.root.get(code as usize).copied().unwrap_or([0, NONE])
    }

    /// `[child, value]` of `node` (not the root) by `code`; child 0 if none.
    #[inline(always)]
    pub fn step(&self, node: u32, code: u32) -> [u32; 2] {
        self.edges.get(node, code)
    }

    pub fn heap_bytes(&self) -> usize {
        self.root.len() * 8 + self.edges.heap_bytes()
    }
}

/// Edges below the root: (parent, code) → (child, value), linear probing.
pub struct Edges {
    /// `[parent, code, child, value]`; parent [`NONE`] marks an empty slot.
    pub(super) slots: Vec<[u32; 4]>,
    /// The farthest any key sits from its home slot: a lookup gives up
    /// after that many slots, so even a damaged table cannot loop.
    pub(super) max_probe: u32,
    len: usize,
}

const EMPTY: [u32; 4] = [NONE, 0, 0, NONE];

impl Edges {
    fn with_capacity(slots: usize) -> Edges {
        Edges {
            slots: vec![EMPTY; slots.next_power_of_two()],
            max_probe: 0,
            len: 0,
        }
    }

    /// Rebuilds a table from its slots (from a cache). Every parent and
    /// child must be a node (`1..=nodes`); the slot count a power of two.
    pub fn from_slots(slots: Vec<[u32; 4]>, max_probe: u32, nodes: u32) -> Result<Edges, ()> {
        // At least two slots: the hash keeps the top log2(len) bits of 64.
        if !slots.len().is_power_of_two() || slots.len() < 2 || max_probe as usize >= slots.len() {
            return Err(());
        }
        let node = |n: u32| (1..=nodes).contains(&n);
        let mut len = 0;
        for s in &slots {
            if s[0] != NONE {
                if !node(s[0]) || !node(s[2]) {
                    return Err(());
                }
                len += 1;
            }
        }
        Ok(Edges {
            slots,
            max_probe,
            len,
        })
    }

    #[inline(always)]
    fn home(&self, parent: u32, code: u32) -> usize {
        let key = u64::from(parent) << 32 | u64::from(code);
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The slot of the edge from `parent` by `code`.
    #[inline(always)]
    fn find(&self, parent: u32, code: u32) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(parent, code);
        for _ in 0..=self.max_probe {
            let &[p, c, _, _] = self.slots.get(i)?;
            if p == parent && c == code {
                return Some(i);
            }
            if p == NONE {
                return None;
            }
            i = (i + 1) & mask;
        }
        None
    }

    /// `[child, value]` of the edge from `parent` by `code`; `[0, NONE]` if none.
    #[inline(always)]
    pub fn get(&self, parent: u32, code: u32) -> [u32; 2] {
        match self.find(parent, code).and_then(|i| self.slots.get(i)) {
            Some(&[_, _, child, value]) => [child, value],
            None => [0, NONE],
        }
    }

    /// Adds an edge (not yet present) with no value; returns its slot.
    fn insert(&mut self, parent: u32, code: u32, child: u32) -> usize {
        // At most 70 % full: lookups that miss (most of them) stay short.
        if (self.len + 1) * 10 > self.slots.len() * 7 {
            self.grow();
        }
        self.place([parent, code, child, NONE])
    }

    fn place(&mut self, slot: [u32; 4]) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(slot[0], slot[1]);
        let mut probe = 0;
        while self.slots[i][0] != NONE {
            i = (i + 1) & mask;
            probe += 1;
        }
        self.slots[i] = slot;
        self.max_probe = self.max_probe.max(probe);
        self.len += 1;
        i
    }

    fn grow(&mut self) {
        let old = std::mem::replace(self, Edges::with_capacity(self.slots.len() * 2));
        for slot in old.slots {
            if slot[0] != NONE {
                self.place(slot);
            }
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_survive_growth_and_damage_is_refused() {
        let mut e = Edges::with_capacity(2);
        for k in 1..5000u32 {
            e.insert(k, k % 7, k + 1);
        }
        assert!((1..5000u32).all(|k| e.get(k, k % 7) == [k + 1, NONE]));
        assert_eq!(e.get(3, 4), [0, NONE]);
        let slots = e.slots.clone();
        assert!(Edges::from_slots(slots.clone(), e.max_probe, 6000).is_ok());
        assert!(Edges::from_slots(slots, e.max_probe, 100).is_err());
    }
}
