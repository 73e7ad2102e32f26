//! Check characters of the identifiers the PII detector validates.

/// GB 11643-1999 (ISO 7064 MOD 11-2) check character of the first 17 digits
/// of a resident ID number: '0'..'9' or 'X'.
pub fn resident_id_check(first17: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&b, w) in first17.iter().zip(WEIGHTS) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// Whether an 18-character resident ID (ASCII, `x` or `X` last) has a correct
/// check digit.
pub fn resident_id_valid(id: &[u8]) -> bool {
    id.len() == 18 && resident_id_check(&id[..17]) == Some(id[17].to_ascii_uppercase())
}

/// Luhn (ISO/IEC 7812-1) over ASCII digits.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.len() < 2 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The 31 characters of a 统一社会信用代码 (GB 32100-2015): digits and capitals
/// without I, O, Z, S, V.
const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Whether an 18-character 统一社会信用代码 (either case) has a correct check
/// character and a known registration-authority code.
pub fn uscc_valid(code: &[u8]) -> bool {
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    if code.len() != 18 {
        return false;
    }
    let value = |b: u8| USCC_CHARS.iter().position(|&c| c == b.to_ascii_uppercase());
    // Registration authority: 1 机构编制, 5 民政, 9 工商 (市场监管), Y 其他.
    if !matches!(
        code[0].to_ascii_uppercase(),
        b'1'..=b'9' | b'A' | b'N' | b'Y'
    ) {
        return false;
    }
    let mut sum = 0;
    for (&b, w) in code[..17].iter().zip(WEIGHTS) {
        match value(b) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    let check = (31 - sum % 31) % 31;
    value(code[17]) == Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb11643_example_from_the_standard() {
        // The example number printed in GB 11643-1999.
        assert!(resident_id_valid(b"11010519491231002X"));
        assert!(resident_id_valid(b"11010519491231002x"));
        assert!(!resident_id_valid(b"110105194912310021"));
    }

    #[test]
    fn luhn_and_uscc() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(!luhn_valid(b"4111111111111112"));
        assert!(uscc_valid(b"91350100M000100Y43"));
        assert!(!uscc_valid(b"91350100M000100Y44"));
    }
}
