//! Chinese numerals for batch names: programmes number their batches 第一批、第十一批, not
//! 第1批, and a list's title, details, JSON, search entries, feed and calendar all show the
//! name the programme's `batch_pattern` makes with `{cn}`.

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const UNITS: [&str; 4] = ["", "十", "百", "千"];
const GROUPS: [&str; 3] = ["", "万", "亿"];

/// `n` in Chinese numerals as a number is read aloud (小写, as in 第二十一批): 1 一,
/// 10 十, 11 十一, 20 二十, 100 一百, 101 一百零一, 110 一百一十, 1001 一千零一,
/// 10000 一万, 100000 十万. A leading 一十 is said 十 (十一, 十万), inside a number it keeps
/// its 一 (一百一十); one 零 stands for any run of zeros between digits, none at the end.
pub fn chinese(n: u32) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    // Groups of four digits, lowest first: 1_2345_6789 → [6789, 2345, 1].
    let mut groups = Vec::with_capacity(3);
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 10_000);
        rest /= 10_000;
    }
    let mut out = String::new();
    // A zero is owed when digits were skipped since the last one written.
    let mut zero_owed = false;
    for (gi, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            zero_owed = !out.is_empty();
            continue;
        }
        // A group under 1000 after a higher one starts with 零 (一万零五百).
        if !out.is_empty() && group < 1000 {
            zero_owed = true;
        }
        for pos in (0..4).rev() {
            let d = (group / 10u32.pow(pos as u32)) % 10;
            if d == 0 {
                zero_owed = zero_owed || !out.is_empty();
                continue;
            }
            if zero_owed && !out.is_empty() {
                out.push(DIGITS[0]);
            }
            zero_owed = false;
            out.push(DIGITS[d as usize]);
            out.push_str(UNITS[pos]);
        }
        out.push_str(GROUPS[gi]);
        zero_owed = false;
        // Zeros at the low end of this group are owed to the next non-zero digit.
        if group % 10 == 0 && gi > 0 {
            zero_owed = true;
        }
    }
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::chinese;

    #[test]
    fn boundaries_of_each_place() {
        for (n, zh) in [
            (0, "零"),
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (999, "九百九十九"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (1100, "一千一百"),
            (9999, "九千九百九十九"),
            (10_000, "一万"),
            (10_001, "一万零一"),
            (10_500, "一万零五百"),
            (11_000, "一万一千"),
            (100_000, "十万"),
            (110_000, "十一万"),
            (100_010, "十万零一十"),
            (1_000_000, "一百万"),
            (100_000_000, "一亿"),
            (100_000_001, "一亿零一"),
            (101_000_000, "一亿零一百万"),
            (u32::MAX, "四十二亿九千四百九十六万七千二百九十五"),
        ] {
            assert_eq!(chinese(n), zh, "{n}");
        }
    }
}
