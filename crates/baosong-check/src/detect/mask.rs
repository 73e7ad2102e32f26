//! Masking in the formats portals publish: `138****1234`, `35*************123`.

/// Masks the letters and digits of `s` except the first `front` and the last
/// `back` of them; spaces, hyphens and a `+86` prefix's `+` are kept as they are.
pub fn keep_ends(s: &str, front: usize, back: usize) -> String {
    let total = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || is_wide_alnum(*c))
        .count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || is_wide_alnum(c) {
                seen += 1;
                if seen <= front || seen > total.saturating_sub(back) {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// A mobile number with an optional country prefix: the prefix stays, then
/// `138****1234`.
pub fn mobile(s: &str) -> String {
    // Split before the last 11 digits.
    let digit_positions: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit() || is_wide_digit(*c))
        .map(|(i, _)| i)
        .collect();
    match digit_positions.len().checked_sub(11) {
        Some(k) if k > 0 => {
            let split = digit_positions[k];
            format!("{}{}", &s[..split], keep_ends(&s[split..], 3, 4))
        }
        _ => keep_ends(s, 3, 4),
    }
}

/// `zhangsan@163.com` → `z***@163.com`.
pub fn email(s: &str) -> String {
    match s.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => keep_ends(s, 1, 0),
    }
}

/// Digits become `*`; words stay: `3号楼2单元501室` → `*号楼*单元***室`.
pub fn digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() || is_wide_digit(c) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

fn is_wide_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn is_wide_alnum(c: char) -> bool {
    is_wide_digit(c) || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_formats() {
        assert_eq!(mobile("13812341234"), "138****1234");
        assert_eq!(mobile("+86 138-1234-1234"), "+86 138-****-1234");
        assert_eq!(keep_ends("350102199003071234", 2, 3), "35*************234");
        assert_eq!(
            keep_ends("6222 0212 3456 7890", 4, 4),
            "6222 **** **** 7890"
        );
        assert_eq!(email("zhangsan@163.com"), "z***@163.com");
        assert_eq!(digits("3号楼2单元501室"), "*号楼*单元***室");
        assert_eq!(mobile("１３８１２３４１２３４"), "１３８****１２３４");
    }
}
