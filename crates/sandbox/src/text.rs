//! Text helpers shared by searches and seed data: folding names for search, and Open Dental's
//! date formats.

/// Lowercases and drops accents, so a search for "nunez" finds "Núñez" and "o’b" (typed with a
/// curly apostrophe, as phones do) finds "O'Brien". Covers the Latin letters that occur in
/// names; anything else passes through lowercased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à'..='å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => out.push('c'),
            'ď' | 'đ' | 'ð' => out.push('d'),
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
            'ĥ' | 'ħ' => out.push('h'),
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => out.push('i'),
            'ĵ' => out.push('j'),
            'ķ' => out.push('k'),
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => out.push('l'),
            'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ŕ' | 'ŗ' | 'ř' => out.push('r'),
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ţ' | 'ť' | 'ŧ' | 'ț' => out.push('t'),
            'þ' => out.push_str("th"),
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ŵ' => out.push('w'),
            'ý' | 'ÿ' | 'ŷ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '´' => out.push('\''),
            // Combining accents, for names typed in decomposed form.
            '\u{0300}'..='\u{036F}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Only the digits: phone numbers and SSNs match whatever punctuation was typed.
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The patient's folder in the A-to-Z images folder, as Open Dental names it: last and first
/// name reduced to plain letters, then the PatNum ("SmithJane48", "OBrienSean3").
pub fn image_folder_name(l_name: &str, f_name: &str, pat_num: i64) -> String {
    let mut folder = String::new();
    for c in l_name.chars().chain(f_name.chars()) {
        let plain = fold(&c.to_string());
        for p in plain.chars().filter(char::is_ascii_alphabetic) {
            folder.push(if c.is_uppercase() { p.to_ascii_uppercase() } else { p });
        }
    }
    format!("{folder}{pat_num}")
}

/// Checks a "yyyy-MM-dd" date as the API takes it.
pub fn is_date(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// Checks a "yyyy-MM-dd HH:mm:ss" date-time as the API takes it.
pub fn is_date_time(text: &str) -> bool {
    text.len() == 19 && chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").is_ok()
}

/// The server's local time as Open Dental reports it in `serverDateTime`.
pub fn server_date_time() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Núñez José"), "nunez jose");
        assert_eq!(fold("MÜLLER, Zoë"), "muller, zoe");
        assert_eq!(fold("O’Brien"), "o'brien");
        assert_eq!(fold("Çelik Ayşe"), "celik ayse");
        assert_eq!(fold("Jose\u{0301}"), "jose");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn image_folders_use_plain_letters() {
        assert_eq!(image_folder_name("Smith", "Jane", 48), "SmithJane48");
        assert_eq!(image_folder_name("O'Brien", "Seán", 3), "OBrienSean3");
        assert_eq!(image_folder_name("De Angelo", "Ánna", 7), "DeAngeloAnna7");
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("1976-05-24") && is_date("0001-01-01"));
        assert!(!is_date("1976-5-24") && !is_date("05/24/1976") && !is_date("1976-02-30"));
        assert!(is_date_time("2021-08-01 05:30:00"));
        assert!(!is_date_time("2021-08-01"));
        assert_eq!(server_date_time().len(), 19);
        assert_eq!(digits("(503) 555-0142"), "5035550142");
    }
}
