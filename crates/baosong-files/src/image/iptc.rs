//! IPTC (JPEG APP13): news-agency style captions, by-line, keywords, kept
//! in Photoshop's resource block as IIM datasets (`0x1C record dataset
//! length value`). Only the application record (2) is read.

use super::png_text::text_of;
use super::{MetaClass, MetaField};

fn dataset(number: u8) -> Option<(MetaClass, &'static str)> {
    use MetaClass::*;
    Some(match number {
        80 => (Personal, "作者"),
        85 => (Personal, "作者职务"),
        122 => (Personal, "说明撰写人"),
        90 => (Personal, "拍摄地点（城市）"),
        95 => (Personal, "拍摄地点（省份）"),
        92 => (Personal, "拍摄地点"),
        5 => (Description, "标题"),
        105 => (Description, "标题"),
        120 => (Description, "图片说明"),
        25 => (Description, "关键词"),
        110 => (Personal, "署名"),
        116 => (Other, "版权"),
        _ => return None,
    })
}

/// The IPTC fields in one APP13 block.
pub(crate) fn read(block: &[u8]) -> Vec<MetaField> {
    let mut out: Vec<MetaField> = Vec::new();
    let mut i = 0;
    while i + 5 <= block.len() {
        if block[i] != 0x1C || block[i + 1] != 2 {
            i += 1;
            continue;
        }
        let number = block[i + 2];
        let len = usize::from(u16::from_be_bytes([block[i + 3], block[i + 4]]));
        let Some(value) = block.get(i + 5..i + 5 + len) else {
            break;
        };
        if let Some((class, label)) = dataset(number) {
            push(&mut out, class, label, &text_of(value));
        }
        i += 5 + len;
    }
    out
}

/// Repeated datasets (keywords, several by-lines) become one field.
fn push(out: &mut Vec<MetaField>, class: MetaClass, label: &str, value: &str) {
    if value.trim().is_empty() {
        return;
    }
    match out.iter_mut().find(|f| f.label == label) {
        Some(f) => {
            f.value.push('、');
            f.value.push_str(value);
        }
        None => out.push(MetaField {
            class,
            label: label.to_owned(),
            value: value.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_by_line_and_caption() {
        let mut block = b"Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x20".to_vec();
        for (n, v) in [
            (80u8, "赵六"),
            (120, "说明 13600002222"),
            (25, "甲"),
            (25, "乙"),
        ] {
            block.extend([0x1C, 2, n]);
            block.extend((v.len() as u16).to_be_bytes());
            block.extend(v.as_bytes());
        }
        let f = read(&block);
        let get = |l: &str| f.iter().find(|x| x.label == l).map(|x| x.value.as_str());
        assert_eq!(get("作者"), Some("赵六"));
        assert_eq!(get("图片说明"), Some("说明 13600002222"));
        assert_eq!(get("关键词"), Some("甲、乙"));
    }
}
