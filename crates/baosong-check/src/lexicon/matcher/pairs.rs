//! Which pairs of characters a term can start with: a bitmap indexed by the
//! codes of two adjacent characters, so most positions of a text are ruled
//! out with one lookup before the trie is touched.
//!
//! The bitmap covers the [`SIDE`] most frequent codes (128 KiB, so it stays
//! in the CPU's L2 cache); a pair with a rarer character always answers
//! "maybe" and the trie decides. A term of one character marks its whole row.

/// Codes covered in each dimension.
pub const SIDE: u32 = 1024;

pub struct Pairs {
    /// `side * side` bits, row-major: bit `a * side + b`.
    words: Box<[u64]>,
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
            shift,
        }
    }

    /// Rebuilds a bitmap from its words (from a cache), checking its size.
    pub fn from_words(shift: u32, words: Vec<u64>) -> Result<Pairs, ()> {
        if shift > SIDE.trailing_zeros() || words.len() != (1usize << (2 * shift)).div_ceil(64) {
            return Err(());
        }
        Ok(Pairs {
            words: words.into_boxed_slice(),
            shift,
        })
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

    /// Records a one-character term `a`: any pair starting with it.
    pub fn add_row(&mut self, a: u32) {
        if a < self.side() {
            let row = (a << self.shift) as usize;
            for bit in row..row + self.side() as usize {
                self.words[bit / 64] |= 1 << (bit % 64);
            }
        }
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
        self.words.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_rows_and_rare_codes() {
        let mut p = Pairs::new(3000);
        p.add(1, 2);
        p.add_row(3);
        assert!(p.may_start(1, 2));
        assert!(!p.may_start(2, 1));
        assert!(p.may_start(3, 999));
        assert!(p.may_start(SIDE, 1), "beyond the bitmap: maybe");
        let q = Pairs::from_words(p.shift(), p.words().to_vec()).unwrap();
        assert!(q.may_start(1, 2) && !q.may_start(2, 1));
        assert!(Pairs::from_words(p.shift(), vec![0; 3]).is_err());
    }
}
