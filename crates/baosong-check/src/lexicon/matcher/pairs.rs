//! Which pairs of characters a term can start with: a bitmap indexed by the
//! codes of two adjacent characters, so most positions of a text are ruled
//! out with one lookup before the trie is touched.
//!
//! The bitmap covers the [`SIDE`] most frequent codes (128 KiB, so it stays
//! in the CPU's L2 cache); a pair with a rarer character always answers
//! "maybe" and the trie decides. A pair that is there also has a rank (the
//! number of set bits before it, from a count kept per word), which numbers
//! the trie's depth-2 nodes densely: the matcher finds the node in a small
//! array instead of the large edge table.

/// Codes covered in each dimension.
pub const SIDE: u32 = 1024;

/// What the bitmap says about a pair of codes.
pub enum Pair {
    /// No term starts with it.
    Absent,
    /// The `k`-th pair present, in (a, b) order.
    At(usize),
    /// A code beyond the bitmap: ask the trie.
    Unknown,
}

pub struct Pairs {
    /// `side * side` bits, row-major: bit `a * side + b`.
    words: Box<[u64]>,
    /// Set bits before each word.
    ranks: Box<[u32]>,
    /// log2 of the side (the side is a power of two, at most [`SIDE`]).
    shift: u32,
}

impl Pairs {
    /// An empty bitmap for `codes` codes.
    pub fn new(codes: usize) -> Pairs {
        let side = (codes.max(2) as u32).next_power_of_two().min(SIDE);
        let shift = side.trailing_zeros();
        Pairs {
            words: vec![0u64; ((side * side) as usize).div_ceil(64)].into_boxed_slice(),
            ranks: Box::new([]),
            shift,
        }
    }

    /// Counts the set bits for [`Pairs::lookup`], once all pairs are added.
    pub fn finish(&mut self) {
        let mut total = 0;
        self.ranks = self
            .words
            .iter()
            .map(|w| {
                let before = total;
                total += w.count_ones();
                before
            })
            .collect();
    }

    /// Rebuilds a bitmap from its words (from a cache), checking its size.
    pub fn from_words(shift: u32, words: Vec<u64>) -> Result<Pairs, ()> {
        if shift > SIDE.trailing_zeros() || words.len() != (1usize << (2 * shift)).div_ceil(64) {
            return Err(());
        }
        let mut pairs = Pairs {
            words: words.into_boxed_slice(),
            ranks: Box::new([]),
            shift,
        };
        pairs.finish();
        Ok(pairs)
    }

    fn side(&self) -> u32 {
        1 << self.shift
    }

    /// Records a term starting with codes `a`, `b`.
    pub fn add(&mut self, a: u32, b: u32) {
        if a < self.side() && b < self.side() {
            let bit = (a << self.shift | b) as usize;
            self.words[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Whether a term starts with codes `a`, `b`, and if so the pair's rank.
    #[inline(always)]
    pub fn lookup(&self, a: u32, b: u32) -> Pair {
        let side = self.side();
        if a >= side || b >= side {
            return Pair::Unknown;
        }
        let bit = (a << self.shift | b) as usize;
        let Some(&word) = self.words.get(bit / 64) else {
            return Pair::Unknown;
        };
        if word >> (bit % 64) & 1 == 0 {
            return Pair::Absent; // the common case: the rank is not read
        }
        let Some(&rank) = self.ranks.get(bit / 64) else {
            return Pair::Unknown;
        };
        let below = word & ((1u64 << (bit % 64)) - 1);
        Pair::At(rank as usize + below.count_ones() as usize)
    }

    /// The pairs present, in rank order.
    pub fn present(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let shift = self.shift;
        self.words.iter().enumerate().flat_map(move |(w, &word)| {
            (0..64).filter(move |k| word >> k & 1 != 0).map(move |k| {
                (
                    (w * 64 + k) as u32 >> shift,
                    (w * 64 + k) as u32 & ((1 << shift) - 1),
                )
            })
        })
    }

    /// Whether a term may start with codes `a`, `b`.
    #[inline(always)]
    pub fn may_start(&self, a: u32, b: u32) -> bool {
        let side = self.side();
        if a >= side || b >= side {
            return true;
        }
        let bit = (a << self.shift | b) as usize;
        self.words
            .get(bit / 64)
            .is_none_or(|w| w >> (bit % 64) & 1 != 0)
    }

    pub fn shift(&self) -> u32 {
        self.shift
    }

    pub fn words(&self) -> &[u64] {
        &self.words
    }

    pub fn heap_bytes(&self) -> usize {
        self.words.len() * 8 + self.ranks.len() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_ranks_and_rare_codes() {
        let mut p = Pairs::new(3000);
        for (a, b) in [(1, 2), (3, 999), (0, 70), (1, 1)] {
            p.add(a, b);
        }
        p.finish();
        assert!(p.may_start(1, 2));
        assert!(!p.may_start(2, 1));
        assert!(p.may_start(SIDE, 1), "beyond the bitmap: maybe");
        let rank = |a, b| match p.lookup(a, b) {
            Pair::At(k) => Some(k),
            _ => None,
        };
        assert_eq!(
            [rank(0, 70), rank(1, 1), rank(1, 2), rank(3, 999)],
            [0, 1, 2, 3].map(Some)
        );
        assert!(matches!(p.lookup(2, 1), Pair::Absent));
        assert!(matches!(p.lookup(1, SIDE), Pair::Unknown));
        let all: Vec<_> = p.present().collect();
        assert_eq!(all, [(0, 70), (1, 1), (1, 2), (3, 999)]);
        let q = Pairs::from_words(p.shift(), p.words().to_vec()).unwrap();
        assert!(matches!(q.lookup(3, 999), Pair::At(3)));
        assert!(Pairs::from_words(p.shift(), vec![0; 3]).is_err());
    }
}
