//! 统一社会信用代码 (GB 32100-2015): normalising and checking the codes
//! printed in enterprise lists, so that typing errors are caught at build
//! time instead of being published.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// The 31 code characters; a character's value is its index. I, O, S, V
/// and Z are left out because they are easily confused with digits.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Length of a full code.
const CODE_LEN: usize = 18;

/// Weights 3^(i-1) mod 31 for positions 1–17 (GB/T 17710 MOD 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Trim, NFKC (full-width → half-width), remove all internal white space,
/// upper-case. Codes are often copied from PDFs or typed with a Chinese IME,
/// so zero-width characters and BOMs are dropped along with spaces.
pub fn normalize(raw: &str) -> String {
    // Fast path: most codes are already clean ASCII (the common case in large lists).
    if raw.len() == 18
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return raw.to_string();
    }
    raw.trim()
        .nfkc()
        .filter(|&c| !c.is_whitespace() && !is_zero_width(c))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Invisible characters that PDF copies and web forms leave behind.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Why a code was rejected; positions are 1-based so they match what an
/// editor sees when counting characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Number of characters after normalising.
    Length { found: usize },
    /// A character outside [`ALPHABET`] (I O S V Z, punctuation, CJK…).
    InvalidChar { position: usize, ch: char },
    /// A code character in a position that only allows a narrower set
    /// (positions 3–8 are a GB/T 2260 division code, so digits only).
    Format {
        position: usize,
        ch: char,
        expected: &'static str,
    },
    /// The 18th character does not match the computed check character.
    CheckChar { expected: char, found: char },
}

/// Shows invisible characters as U+XXXX so the message stays readable.
struct Shown(char);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_control() || self.0.is_whitespace() || is_zero_width(self.0) {
            write!(f, "U+{:04X}", u32::from(self.0))
        } else {
            write!(f, "“{}”", self.0)
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Length { found } => {
                write!(f, "统一社会信用代码应为18位，实际为{found}位")
            }
            CodeError::InvalidChar { position, ch } => write!(
                f,
                "统一社会信用代码第{position}位{}不是有效字符（只允许数字和大写字母，不含 I、O、S、V、Z）",
                Shown(*ch)
            ),
            CodeError::Format {
                position,
                ch,
                expected,
            } => write!(
                f,
                "统一社会信用代码第{position}位应为{expected}，实际为{}",
                Shown(*ch)
            ),
            CodeError::CheckChar { expected, found } => write!(
                f,
                "统一社会信用代码校验位不符：第18位应为“{expected}”，实际为“{found}”，请核对代码是否抄错"
            ),
        }
    }
}

impl std::error::Error for CodeError {}

/// Value of a code character (its index in [`ALPHABET`]).
fn value(c: char) -> Option<u32> {
    ALPHABET
        .chars()
        .position(|a| a == c)
        .and_then(|i| u32::try_from(i).ok())
}

/// Character for a value 0–30.
fn char_for(v: u32) -> Option<char> {
    ALPHABET.chars().nth(usize::try_from(v).ok()?)
}

/// What a position allows beyond the alphabet, if narrower.
fn position_rule(position: usize) -> Option<&'static str> {
    // Positions 3–8: 登记管理机关行政区划码 (six digits).
    (3..=8)
        .contains(&position)
        .then_some("数字（第3–8位是登记管理机关行政区划码）")
}

/// Validates an already-normalised code; returns Ok(()) or the first
/// problem, in the order length, characters left to right, check character.
pub fn validate(code: &str) -> Result<(), CodeError> {
    let len = code.chars().count();
    if len != CODE_LEN {
        return Err(CodeError::Length { found: len });
    }
    for (i, ch) in code.chars().enumerate() {
        let position = i + 1;
        if value(ch).is_none() {
            return Err(CodeError::InvalidChar { position, ch });
        }
        if let Some(expected) = position_rule(position) {
            if !ch.is_ascii_digit() {
                return Err(CodeError::Format {
                    position,
                    ch,
                    expected,
                });
            }
        }
    }
    // Every character is in the (ASCII) alphabet now, so byte indices are char indices.
    let found = code.as_bytes()[CODE_LEN - 1] as char;
    match check_char(&code[..CODE_LEN - 1]) {
        Some(expected) if expected == found => Ok(()),
        Some(expected) => Err(CodeError::CheckChar { expected, found }),
        // Unreachable after the character checks above, but never panic.
        None => Err(CodeError::InvalidChar {
            position: CODE_LEN,
            ch: found,
        }),
    }
}

/// The check character for the first 17 characters (must be valid alphabet
/// chars), None if any is invalid or len != 17. Useful for making test data.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum: u32 = 0;
    let mut count = 0usize;
    for c in first17.chars() {
        let w = *WEIGHTS.get(count)?;
        sum += value(c)? * w;
        count += 1;
    }
    if count != WEIGHTS.len() {
        return None;
    }
    char_for((31 - sum % 31) % 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: [&str; 3] = [
        "91210202MAEW6A1C6R",
        "91440104MAEWCWHD91",
        "91140105MAEX9CCB0Q",
    ];
    const SYNTHETIC: [&str; 5] = [
        "91210202MA0000001J",
        "91210203MA00000011",
        "91210213MA0000001G",
        "91210214MA0000001Y",
        "91210283MA0000001W",
    ];

    #[test]
    fn alphabet_has_31_unique_chars_without_ioszv() {
        let chars: Vec<char> = ALPHABET.chars().collect();
        assert_eq!(chars.len(), 31);
        let mut sorted = chars.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 31);
        for c in ['I', 'O', 'S', 'V', 'Z'] {
            assert!(!ALPHABET.contains(c));
        }
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for &expected in &WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn real_codes_validate() {
        for code in REAL {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn synthetic_codes_validate() {
        for code in SYNTHETIC {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn check_char_matches_known_codes() {
        for code in REAL.iter().chain(SYNTHETIC.iter()) {
            let (prefix, last) = code.split_at(17);
            assert_eq!(check_char(prefix), last.chars().next(), "{code}");
        }
    }

    #[test]
    fn changed_last_char_reports_expected() {
        assert_eq!(
            validate("91210202MAEW6A1C6Q"),
            Err(CodeError::CheckChar {
                expected: 'R',
                found: 'Q'
            })
        );
        assert_eq!(
            validate("91210203MA00000012"),
            Err(CodeError::CheckChar {
                expected: '1',
                found: '2'
            })
        );
    }

    #[test]
    fn changed_body_char_is_caught_by_check_char() {
        // One typo in the body (2 → 3 at position 8) must be detected.
        assert!(matches!(
            validate("91210203MAEW6A1C6R"),
            Err(CodeError::CheckChar { found: 'R', .. })
        ));
    }

    #[test]
    fn full_width_input_normalises_and_validates() {
        let n = normalize("９１２１０２０２ＭＡＥＷ６Ａ１Ｃ６Ｒ");
        assert_eq!(n, "91210202MAEW6A1C6R");
        assert_eq!(validate(&n), Ok(()));
    }

    #[test]
    fn lower_case_with_spaces_normalises_and_validates() {
        let n = normalize("  9144 0104 maew\tcwhd91 \n");
        assert_eq!(n, "91440104MAEWCWHD91");
        assert_eq!(validate(&n), Ok(()));
    }

    #[test]
    fn ideographic_space_is_removed() {
        let n = normalize("\u{3000}91140105\u{3000}MAEX9CCB0Q\u{3000}");
        assert_eq!(n, "91140105MAEX9CCB0Q");
        assert_eq!(validate(&n), Ok(()));
    }

    #[test]
    fn zero_width_chars_and_bom_are_removed() {
        let n = normalize("\u{FEFF}9121\u{200B}0202MAEW6A1C6R\u{2060}");
        assert_eq!(n, "91210202MAEW6A1C6R");
        assert_eq!(validate(&n), Ok(()));
    }

    #[test]
    fn normalize_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("   "), "");
    }

    #[test]
    fn length_errors() {
        assert_eq!(
            validate("91210202MAEW6A1C6"),
            Err(CodeError::Length { found: 17 })
        );
        assert_eq!(
            validate("91210202MAEW6A1C6RR"),
            Err(CodeError::Length { found: 19 })
        );
        assert_eq!(validate(""), Err(CodeError::Length { found: 0 }));
        // Counted in characters, not bytes.
        assert_eq!(
            validate("大连市中山区"),
            Err(CodeError::Length { found: 6 })
        );
    }

    #[test]
    fn excluded_letters_are_invalid_chars() {
        for (i, bad) in ['I', 'O', 'S', 'V', 'Z'].into_iter().enumerate() {
            // Put the bad letter at position 10 (a letter position).
            let mut chars: Vec<char> = "91210202MAEW6A1C6R".chars().collect();
            chars[9] = bad;
            let code: String = chars.into_iter().collect();
            assert_eq!(
                validate(&code),
                Err(CodeError::InvalidChar {
                    position: 10,
                    ch: bad
                }),
                "case {i}"
            );
        }
    }

    #[test]
    fn lower_case_and_punctuation_and_cjk_are_invalid_chars() {
        assert_eq!(
            validate("91210202maEW6A1C6R"),
            Err(CodeError::InvalidChar {
                position: 9,
                ch: 'm'
            })
        );
        assert_eq!(
            validate("91210202MA-W6A1C6R"),
            Err(CodeError::InvalidChar {
                position: 11,
                ch: '-'
            })
        );
        assert_eq!(
            validate("中1210202MAEW6A1C6R"),
            Err(CodeError::InvalidChar {
                position: 1,
                ch: '中'
            })
        );
    }

    #[test]
    fn letter_in_division_code_is_format_error() {
        for pos in 3..=8 {
            let mut chars: Vec<char> = "91210202MAEW6A1C6R".chars().collect();
            chars[pos - 1] = 'A';
            let code: String = chars.into_iter().collect();
            match validate(&code) {
                Err(CodeError::Format {
                    position,
                    ch,
                    expected,
                }) => {
                    assert_eq!(position, pos);
                    assert_eq!(ch, 'A');
                    assert!(expected.starts_with("数字"));
                }
                other => panic!("position {pos}: {other:?}"),
            }
        }
    }

    #[test]
    fn letters_allowed_in_first_two_and_body() {
        // Position 1–2 and 9–17 take letters; only the check char decides.
        let prefix = "Y1210202MAEW6A1C6";
        let c = check_char(prefix).expect("valid prefix");
        assert_eq!(validate(&format!("{prefix}{c}")), Ok(()));
        let prefix = "NA210202ABCDEFGHJ";
        let c = check_char(prefix).expect("valid prefix");
        assert_eq!(validate(&format!("{prefix}{c}")), Ok(()));
    }

    #[test]
    fn first_problem_is_reported() {
        // An excluded letter at position 2 comes before a letter at 3.
        assert_eq!(
            validate("9IA10202MAEW6A1C6R"),
            Err(CodeError::InvalidChar {
                position: 2,
                ch: 'I'
            })
        );
    }

    #[test]
    fn check_char_rejects_bad_input() {
        assert_eq!(check_char(""), None);
        assert_eq!(check_char("91210202MAEW6A1C"), None); // 16
        assert_eq!(check_char("91210202MAEW6A1C6R"), None); // 18
        assert_eq!(check_char("91210202MAEW6A1CI"), None); // I
        assert_eq!(check_char("91210202MAEW6A1Cé"), None);
        assert_eq!(check_char("９1210202MAEW6A1C6"), None); // not normalised
    }

    #[test]
    fn display_messages_are_chinese() {
        assert_eq!(
            CodeError::Length { found: 17 }.to_string(),
            "统一社会信用代码应为18位，实际为17位"
        );
        let s = CodeError::InvalidChar {
            position: 10,
            ch: 'O',
        }
        .to_string();
        assert!(s.contains("第10位“O”"), "{s}");
        let s = CodeError::InvalidChar {
            position: 4,
            ch: '\u{7}',
        }
        .to_string();
        assert!(s.contains("U+0007"), "{s}");
        let s = CodeError::Format {
            position: 3,
            ch: 'A',
            expected: "数字",
        }
        .to_string();
        assert_eq!(s, "统一社会信用代码第3位应为数字，实际为“A”");
        let s = CodeError::CheckChar {
            expected: 'R',
            found: 'Q',
        }
        .to_string();
        assert!(s.contains("应为“R”，实际为“Q”"), "{s}");
        let e: Box<dyn std::error::Error> = Box::new(CodeError::Length { found: 0 });
        assert!(e.to_string().starts_with("统一社会信用代码"));
    }

    /// Deterministic LCG (Numerical Recipes constants); no rand crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as u32
        }
    }

    #[test]
    fn property_check_char_round_trips_and_detects_every_wrong_last_char() {
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let mut rng = Lcg(0x5eed_2026);
        for _ in 0..2_000 {
            let prefix: String = (1..=17)
                .map(|pos| {
                    let n = if (3..=8).contains(&pos) { 10 } else { 31 };
                    alphabet[(rng.next() % n) as usize]
                })
                .collect();
            let check = check_char(&prefix).expect("prefix is valid");
            assert_eq!(validate(&format!("{prefix}{check}")), Ok(()), "{prefix}");
            for &other in alphabet.iter().filter(|&&c| c != check) {
                assert_eq!(
                    validate(&format!("{prefix}{other}")),
                    Err(CodeError::CheckChar {
                        expected: check,
                        found: other
                    }),
                    "{prefix}{other}"
                );
            }
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for raw in [
            "",
            "\u{0}",
            "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
            "ß",
            "ﬃ",
            "\u{200b}91210202MAEW6A1C6R",
            "91210202MAEW6A1C6R\u{301}",
        ] {
            let n = normalize(raw);
            let _ = validate(&n);
            let _ = validate(raw);
            let _ = check_char(raw);
            let _ = check_char(&n);
        }
    }
}
