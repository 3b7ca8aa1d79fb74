//! Chinese telephone numbers as printed in notices: parsed once so that
//! pages show them consistently and `tel:` links dial from any phone
//! (RFC 3966 global form, since dialers handle `phone-context` poorly).

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// A mainland number: fixed line (`area` "0411", `local` "82565782") or
/// mobile (`area` empty, `local` the 11 digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub area: String,
    pub local: String,
}

/// Why a number could not be used; `reason` is a complete Chinese message
/// that quotes the input and shows the expected form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhoneError {
    Empty,
    Invalid { reason: String },
}

/// The hint every message ends with, so editors see a correct example.
const HINT: &str = "应为8位本地号码（如 82565782），或带区号（如 024-86906657）";

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => write!(f, "电话号码为空：{HINT}"),
            PhoneError::Invalid { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for PhoneError {}

/// Builds an Invalid error; `problem` may be empty when the hint says it all.
fn invalid(raw: &str, problem: &str) -> PhoneError {
    let raw = raw.trim();
    let reason = if problem.is_empty() {
        format!("电话号码“{raw}”{HINT}")
    } else {
        format!("电话号码“{raw}”{problem}；{HINT}")
    };
    PhoneError::Invalid { reason }
}

/// Characters people put between digit groups (after NFKC, so full-width
/// forms are already ASCII).
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}'
        )
}

/// Area codes 010 and 020–029 have three digits; all others four.
fn area_len(national: &str) -> usize {
    if national.starts_with("010") || national.starts_with("02") {
        3
    } else {
        4
    }
}

/// Local numbers never start with 0 or 1; cities with three-digit area
/// codes all use eight digits, others seven or eight.
fn local_ok(area: &str, local: &str) -> bool {
    let first_ok = local
        .chars()
        .next()
        .is_some_and(|c| ('2'..='9').contains(&c));
    let len_ok = match area.len() {
        3 => local.len() == 8,
        _ => local.len() == 7 || local.len() == 8,
    };
    first_ok && len_ok
}

/// Normalises a configured default area ("0411", "411", "０４１１").
fn normalize_area(default_area: &str) -> Option<String> {
    let digits: String = default_area.nfkc().filter(|&c| !is_separator(c)).collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let area = if digits.starts_with('0') {
        digits
    } else {
        format!("0{digits}")
    };
    let ok = !area.starts_with("00") && area.len() == area_len(&area);
    ok.then_some(area)
}

/// Parses "82565782" (local; uses default_area), "024-86906657",
/// "0411-82565782", "02486906657", "(024)86906657", full-width digits too;
/// mobile "13800138000" (area = "" , local = the 11 digits). A leading
/// "+86" or "0086" is accepted.
pub(crate) fn parse(raw: &str, default_area: &str) -> Result<Phone, PhoneError> {
    let text: String = raw.nfkc().collect();
    let text = text.trim();
    if text.is_empty() {
        return Err(PhoneError::Empty);
    }

    let mut digits = String::new();
    let mut plus = false;
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            c if is_separator(c) => {}
            c => return Err(invalid(raw, &format!("含有无效字符“{c}”"))),
        }
    }
    if digits.is_empty() {
        return Err(invalid(raw, "不含数字"));
    }

    // International prefix: keep the national significant number.
    let national = if plus || digits.starts_with("0086") {
        let rest = if plus {
            digits.as_str()
        } else {
            digits.strip_prefix("00").unwrap_or(&digits)
        };
        match rest.strip_prefix("86") {
            Some(n) if n.starts_with('1') => n.to_string(),
            Some(n) if !n.is_empty() && !n.starts_with('0') => format!("0{n}"),
            _ => return Err(invalid(raw, "不是中国大陆号码（+86）")),
        }
    } else {
        digits
    };

    if let Some(rest) = national.strip_prefix('1') {
        let second_ok = rest
            .chars()
            .next()
            .is_some_and(|c| ('3'..='9').contains(&c));
        if national.len() == 11 && second_ok {
            return Ok(Phone {
                area: String::new(),
                local: national,
            });
        }
        return Err(invalid(raw, "不是有效的11位手机号码"));
    }

    if national.starts_with('0') {
        if national.starts_with("00") {
            return Err(invalid(raw, "区号不能以00开头"));
        }
        let (area, local) = national.split_at(area_len(&national).min(national.len()));
        if !local_ok(area, local) {
            return Err(invalid(raw, ""));
        }
        return Ok(Phone {
            area: area.to_string(),
            local: local.to_string(),
        });
    }

    let Some(area) = normalize_area(default_area) else {
        return Err(invalid(
            raw,
            &format!("没有区号，且默认区号“{default_area}”无效"),
        ));
    };
    if !local_ok(&area, &national) {
        return Err(invalid(raw, ""));
    }
    Ok(Phone {
        area,
        local: national,
    })
}

/// Joins `s` in groups of `sizes` with `-` if the lengths add up, else
/// returns it unchanged (fields are public, so never assume their shape).
fn group(s: &str, sizes: &[usize]) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != sizes.iter().sum::<usize>() {
        return s.to_string();
    }
    let mut out = String::new();
    let mut at = 0;
    for &n in sizes {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(&chars[at..at + n]);
        at += n;
    }
    out
}

/// Mobile numbers group 3-4-4; fixed local numbers 4-4 or 3-4.
fn group_local(local: &str) -> String {
    match local.chars().count() {
        11 => group(local, &[3, 4, 4]),
        8 => group(local, &[4, 4]),
        7 => group(local, &[3, 4]),
        _ => local.to_string(),
    }
}

impl Phone {
    /// "0411-82565782"; mobile "138-0013-8000". The form used in Chinese
    /// government notices.
    pub fn display(&self) -> String {
        if self.area.is_empty() {
            group_local(&self.local)
        } else {
            format!("{}-{}", self.area, self.local)
        }
    }

    /// RFC 3966 global number with visual separators:
    /// "tel:+86-411-8256-5782", "tel:+86-24-8690-6657"; mobile
    /// "tel:+86-138-0013-8000". Non-digits in the fields are dropped so the
    /// URI stays valid.
    pub fn tel_uri(&self) -> String {
        let area: String = self.area.chars().filter(char::is_ascii_digit).collect();
        let local: String = self.local.chars().filter(char::is_ascii_digit).collect();
        let area = area.strip_prefix('0').unwrap_or(&area);
        if area.is_empty() {
            format!("tel:+86-{}", group_local(&local))
        } else {
            format!("tel:+86-{}-{}", area, group_local(&local))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DALIAN: &str = "0411";

    fn p(raw: &str) -> Phone {
        parse(raw, DALIAN).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    fn fixed(area: &str, local: &str) -> Phone {
        Phone {
            area: area.to_string(),
            local: local.to_string(),
        }
    }

    #[test]
    fn every_number_in_the_notice() {
        let local = [
            "82565782", "87576082", "88530195", "83703562", "85280007", "84368647", "83115014",
            "86319302", "85618771", "84799215", "89715135", "86395277", "89128665", "39370171",
            "83686040",
        ];
        for n in local {
            let phone = p(n);
            assert_eq!(phone, fixed("0411", n));
            assert_eq!(phone.display(), format!("0411-{n}"));
            assert_eq!(
                phone.tel_uri(),
                format!("tel:+86-411-{}-{}", &n[..4], &n[4..])
            );
        }
        let ln = p("024-86906657");
        assert_eq!(ln, fixed("024", "86906657"));
        assert_eq!(ln.display(), "024-86906657");
        assert_eq!(ln.tel_uri(), "tel:+86-24-8690-6657");
    }

    #[test]
    fn documented_examples() {
        let d = p("82565782");
        assert_eq!(d.display(), "0411-82565782");
        assert_eq!(d.tel_uri(), "tel:+86-411-8256-5782");
        for raw in [
            "024-86906657",
            "02486906657",
            "(024)86906657",
            "（024）86906657",
        ] {
            assert_eq!(p(raw), fixed("024", "86906657"), "{raw}");
        }
        assert_eq!(p("0411-82565782"), fixed("0411", "82565782"));
        assert_eq!(p("041182565782"), fixed("0411", "82565782"));
    }

    #[test]
    fn full_width_and_spacing() {
        assert_eq!(p("８２５６５７８２"), fixed("0411", "82565782"));
        assert_eq!(p("０４１１－８２５６５７８２"), fixed("0411", "82565782"));
        assert_eq!(p("\u{3000}024－86906657\u{3000}"), fixed("024", "86906657"));
        assert_eq!(p(" 0411 8256 5782 "), fixed("0411", "82565782"));
        assert_eq!(p("0411—82565782"), fixed("0411", "82565782"));
        assert_eq!(p("8256-5782"), fixed("0411", "82565782"));
    }

    #[test]
    fn three_digit_area_codes() {
        assert_eq!(p("010-55520846"), fixed("010", "55520846"));
        assert_eq!(p("028-86264044"), fixed("028", "86264044"));
        assert_eq!(p("025-69652749"), fixed("025", "69652749"));
        assert_eq!(p("010-55520846").tel_uri(), "tel:+86-10-5552-0846");
        // Other 01x codes are four digits.
        assert_eq!(p("0571-56137700"), fixed("0571", "56137700"));
        assert_eq!(p("0571-56137700").tel_uri(), "tel:+86-571-5613-7700");
    }

    #[test]
    fn seven_digit_local_numbers() {
        let phone = p("0422-2234567");
        assert_eq!(phone, fixed("0422", "2234567"));
        assert_eq!(phone.display(), "0422-2234567");
        assert_eq!(phone.tel_uri(), "tel:+86-422-223-4567");
        // Seven digits with the default four-digit area.
        assert_eq!(p("8256578"), fixed("0411", "8256578"));
        // Three-digit areas always have eight.
        assert!(parse("024-8690665", DALIAN).is_err());
    }

    #[test]
    fn mobile_numbers() {
        let m = p("13800138000");
        assert_eq!(m, fixed("", "13800138000"));
        assert_eq!(m.display(), "138-0013-8000");
        assert_eq!(m.tel_uri(), "tel:+86-138-0013-8000");
        assert_eq!(p("138 0013 8000"), m);
        assert_eq!(p("138-0013-8000"), m);
        assert_eq!(p("+86 138 0013 8000"), m);
        assert_eq!(p("008613800138000"), m);
        assert_eq!(p("１３８００１３８０００"), m);
        assert!(parse("12800138000", DALIAN).is_err());
        assert!(parse("1380013800", DALIAN).is_err());
        assert!(parse("138001380001", DALIAN).is_err());
    }

    #[test]
    fn international_prefix() {
        assert_eq!(p("+86-411-8256-5782"), fixed("0411", "82565782"));
        assert_eq!(p("+86 24 8690 6657"), fixed("024", "86906657"));
        assert_eq!(p("0086 411 82565782"), fixed("0411", "82565782"));
        assert!(parse("+1 415 555 0100", DALIAN).is_err());
        assert!(parse("+86", DALIAN).is_err());
        assert!(parse("+86 0411 82565782", DALIAN).is_err());
        assert!(parse("8+6", DALIAN).is_err());
        assert!(parse("++8641182565782", DALIAN).is_err());
    }

    #[test]
    fn default_area_forms() {
        assert_eq!(parse("86906657", "024"), Ok(fixed("024", "86906657")));
        assert_eq!(parse("82565782", "411"), Ok(fixed("0411", "82565782")));
        assert_eq!(parse("82565782", "０４１１"), Ok(fixed("0411", "82565782")));
        // An explicit area code ignores the default.
        assert_eq!(parse("024-86906657", ""), Ok(fixed("024", "86906657")));
        assert_eq!(parse("13800138000", ""), Ok(fixed("", "13800138000")));
        for bad in ["", "04", "04111", "abc", "00411"] {
            match parse("82565782", bad) {
                Err(PhoneError::Invalid { reason }) => {
                    assert!(reason.contains("默认区号"), "{bad}: {reason}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_numbers() {
        assert_eq!(parse("", DALIAN), Err(PhoneError::Empty));
        assert_eq!(parse("  \u{3000} ", DALIAN), Err(PhoneError::Empty));
        for bad in [
            "123",
            "8256578a",
            "0411-123",
            "0411-",
            "0411",
            "024",
            "0",
            "---",
            "()",
            "825657",
            "825657823",
            "02582565782x",
            "0000-12345678",
            "0411-02565782",
            "0411-12565782",
            "12345678",
            "8363583539989876",
            "83635835/39989876",
            "83635835、39989876",
            "0411-82565782转801",
            "tel:+8641182565782",
        ] {
            match parse(bad, DALIAN) {
                Err(PhoneError::Invalid { reason }) => {
                    assert!(reason.starts_with("电话号码“"), "{bad}: {reason}");
                    assert!(reason.contains("024-86906657"), "{bad}: {reason}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            parse("825657", DALIAN).map_err(|e| e.to_string()),
            Err(
                "电话号码“825657”应为8位本地号码（如 82565782），或带区号（如 024-86906657）"
                    .into()
            )
        );
        assert_eq!(
            parse("8256578a", DALIAN).map_err(|e| e.to_string()),
            Err("电话号码“8256578a”含有无效字符“a”；应为8位本地号码（如 82565782），或带区号（如 024-86906657）".into())
        );
        assert!(PhoneError::Empty.to_string().starts_with("电话号码为空"));
        let e: Box<dyn std::error::Error> = Box::new(PhoneError::Empty);
        assert!(e.to_string().contains("82565782"));
    }

    #[test]
    fn odd_hand_built_phones_do_not_panic() {
        let odd = [
            fixed("", ""),
            fixed("", "12345"),
            fixed("0", "82565782"),
            fixed("０４１１", "８２５６５７８２"),
            fixed("大连", "电话"),
            fixed("", "一二三四五六七八九十一"),
        ];
        for phone in odd {
            let _ = phone.display();
            let uri = phone.tel_uri();
            assert!(uri.starts_with("tel:+86"), "{uri}");
        }
        assert_eq!(
            fixed("", "一二三四五六七八九十一").display(),
            "一二三-四五六七-八九十一"
        );
    }

    #[test]
    fn parse_never_panics_on_odd_input() {
        for raw in [
            "\u{0}",
            "🙂",
            "0",
            "00",
            "+",
            "+0",
            "0086",
            "00861",
            "+861",
            "0１",
            "ﬀ",
            "٠١٢٣٤٥٦٧٨٩",
            "0411-8256578\u{301}",
        ] {
            let _ = parse(raw, DALIAN);
            let _ = parse(raw, raw);
        }
    }
}
