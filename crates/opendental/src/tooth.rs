//! Tooth numbers as Open Dental takes them: "1-5,8" style lists of teeth and ranges
//! (apidocuments.md, ToothNumbers), stored expanded ("1,2,3,4,5,8").
//!
//! Valid teeth (Universal numbering): permanent 1–32, primary A–T, and the supernumerary
//! numbers Open Dental allows: 51–82 for permanent teeth (tooth + 50) and AS–TS for primary
//! teeth (letter + "S").

/// Expands and checks a list like "1-5, 8, A-C". Returns the teeth in the order given, without
/// duplicates, or a sentence saying what is wrong. An empty input is an empty list.
pub fn parse(input: &str) -> Result<Vec<String>, String> {
    let mut teeth: Vec<String> = Vec::new();
    for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let expanded = match part.split_once('-') {
            Some((from, to)) => expand_range(from.trim(), to.trim())?,
            None => vec![normalize(part)?],
        };
        for tooth in expanded {
            if !teeth.contains(&tooth) {
                teeth.push(tooth);
            }
        }
    }
    Ok(teeth)
}

/// The stored form: "1,2,3,4,5,8".
pub fn expand(input: &str) -> Result<String, String> {
    Ok(parse(input)?.join(","))
}

/// One tooth in canonical form (uppercase letters), or why it is not a tooth.
fn normalize(tooth: &str) -> Result<String, String> {
    let upper = tooth.to_ascii_uppercase();
    if let Ok(n) = upper.parse::<u32>() {
        if (1..=32).contains(&n) || (51..=82).contains(&n) {
            return Ok(n.to_string());
        }
        return Err(format!(
            "{tooth} is not a tooth number: permanent teeth are 1–32 (supernumerary 51–82)."
        ));
    }
    let mut chars = upper.chars();
    let letter = chars.next().filter(|c| ('A'..='T').contains(c));
    match (letter, chars.as_str()) {
        (Some(letter), "") => Ok(letter.to_string()),
        (Some(letter), "S") => Ok(format!("{letter}S")),
        _ => Err(format!(
            "{tooth} is not a tooth: use 1–32 for permanent teeth, A–T for primary teeth, 51–82 or AS–TS for supernumerary."
        )),
    }
}

/// "1-5" or "A-E": both ends of one kind, ascending.
fn expand_range(from: &str, to: &str) -> Result<Vec<String>, String> {
    let (start, end) = (normalize(from)?, normalize(to)?);
    let as_number = |t: &str| t.parse::<u32>().ok();
    match (as_number(&start), as_number(&end)) {
        (Some(a), Some(b)) if a <= b && ((a <= 32) == (b <= 32)) => Ok((a..=b).map(|n| n.to_string()).collect()),
        (None, None) if start.len() == 1 && end.len() == 1 && start <= end => {
            let (a, b) = (start.as_bytes()[0], end.as_bytes()[0]);
            Ok((a..=b).map(|c| (c as char).to_string()).collect())
        }
        _ => Err(format!(
            "{from}-{to} is not a range of teeth: give the lower tooth first, both of one kind."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_ranges_and_lists_as_open_dental_stores_them() {
        assert_eq!(expand("1-5,8").unwrap(), "1,2,3,4,5,8");
        assert_eq!(expand("12-15,20,21").unwrap(), "12,13,14,15,20,21");
        assert_eq!(expand(" 3 , 3, 4 ").unwrap(), "3,4");
        assert_eq!(expand("a-c,t").unwrap(), "A,B,C,T");
        assert_eq!(expand("51,82,as,TS").unwrap(), "51,82,AS,TS");
        assert_eq!(expand("").unwrap(), "");
        assert_eq!(expand("1-32").unwrap().split(',').count(), 32);
    }

    #[test]
    fn refuses_what_is_not_a_tooth() {
        for bad in [
            "0", "33", "50", "83", "U", "AA", "5-1", "C-A", "30-52", "1-A", "x", "1--3", "US",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(parse("33").unwrap_err().contains("1–32"));
    }
}
