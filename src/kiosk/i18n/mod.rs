//! Every word the patient reads on the kiosk, per language: one file per language fills one
//! [`Texts`], so a third language is one file plus one arm of [`Lang`]. Staff screens stay in
//! English.

mod en;
mod es;

use super::model::StepKind;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// The choices on the first screen, in this order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The gateway's code (`"en"`, `"es"`); anything else reads as English.
    pub fn from_code(code: &str) -> Lang {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
            .unwrap_or_default()
    }

    /// BCP 47, for `<html lang>`.
    pub fn code(self) -> &'static str {
        self.texts().code
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &en::TEXTS,
            Lang::Es => &es::TEXTS,
        }
    }
}

/// The order a locale writes dates in; the birthdate fields follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    MonthDayYear,
    DayMonthYear,
}

/// One language's kiosk texts. Sentences with a value in them are functions.
pub struct Texts {
    pub code: &'static str,
    /// The language's own name, for the language buttons.
    pub name: &'static str,
    pub date_order: DateOrder,
    /// How a date is written: (year, month, day).
    pub date: fn(i32, u32, u32) -> String,

    pub brand: &'static str,
    pub larger_text: &'static str,
    pub staff: &'static str,

    pub waiting_title: &'static str,
    pub waiting_body: &'static str,
    pub offline_title: &'static str,
    pub offline_body: &'static str,

    pub hello: fn(&str) -> String,
    pub welcome_body: &'static str,
    pub choose_language: &'static str,
    pub start: &'static str,

    pub birthdate_title: &'static str,
    pub birthdate_intro: &'static str,
    pub birthdate_legend: &'static str,
    pub day: &'static str,
    pub month: &'static str,
    pub year: &'static str,
    /// The order, before an example date (`example_date`).
    pub date_hint: &'static str,
    pub check: &'static str,
    pub checking: &'static str,
    pub birthdate_incomplete: &'static str,
    pub birthdate_invalid: &'static str,
    pub birthdate_wrong: fn(u8) -> String,
    pub birthdate_unreachable: &'static str,

    pub step_count: fn(usize, usize) -> String,
    pub step_title: fn(StepKind) -> &'static str,
    pub step_instruction: fn(StepKind) -> &'static str,
    pub take_photo: &'static str,
    pub choose_photo: &'static str,
    pub skip: &'static str,
    pub your_photo: fn(&str) -> String,
    pub use_photo: &'static str,
    pub retake: &'static str,
    pub sending: &'static str,
    pub sending_try: fn(u32) -> String,
    pub retrying_in: fn(u32) -> String,
    pub offline_photo: &'static str,
    pub arrived: &'static str,
    pub refused: &'static str,
    pub too_large: &'static str,
    pub not_sent: &'static str,
    pub try_again: &'static str,

    pub thanks: fn(&str) -> String,
    pub all_set: &'static str,
    pub done: &'static str,

    pub idle_title: &'static str,
    pub idle_text: fn(u32) -> String,
    pub still_here: &'static str,

    pub ended_title: &'static str,
    pub ended_idle: &'static str,
    pub locked_out: &'static str,
    pub see_front_desk: &'static str,
}

impl Texts {
    /// "Month / Day / Year, for example 05/24/1976": the hint under the birthdate fields.
    pub fn date_example(&self) -> String {
        format!("{} {}", self.date_hint, (self.date)(1976, 5, 24))
    }
}

/// Today's date (`Date` in the browser's time zone) in the locale's format.
pub fn today(t: &Texts) -> String {
    let now = js_sys::Date::new_0();
    (t.date)(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
}

/// The birthdate as the patient typed it (day, month, year in any field order), as the
/// gateway's ISO date, or which problem to show.
pub fn birthdate_iso(day: &str, month: &str, year: &str) -> Result<String, BirthdateProblem> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() || month.is_empty() || year.is_empty() {
        return Err(BirthdateProblem::Incomplete);
    }
    let number = |s: &str| s.parse::<u32>().ok().filter(|_| s.chars().all(|c| c.is_ascii_digit()));
    let (Some(d), Some(m), Some(y)) = (number(day), number(month), number(year)) else {
        return Err(BirthdateProblem::Invalid);
    };
    if year.len() != 4 || !(1850..=2200).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in(y, m) {
        return Err(BirthdateProblem::Invalid);
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BirthdateProblem {
    Incomplete,
    Invalid,
}

impl BirthdateProblem {
    pub fn text(self, t: &Texts) -> &'static str {
        match self {
            BirthdateProblem::Incomplete => t.birthdate_incomplete,
            BirthdateProblem::Invalid => t.birthdate_invalid,
        }
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_come_from_the_gateways_code_and_give_the_page_its_lang() {
        assert_eq!(Lang::from_code("es"), Lang::Es);
        assert_eq!(Lang::from_code(" ES "), Lang::Es);
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code("fr"), Lang::En, "anything else: English");
        assert_eq!(Lang::from_code(""), Lang::En);
        assert_eq!((Lang::En.code(), Lang::Es.code()), ("en", "es"));
        assert_eq!((Lang::En.texts().name, Lang::Es.texts().name), ("English", "Español"));
    }

    #[test]
    fn dates_follow_each_locale() {
        assert_eq!((Lang::En.texts().date)(1976, 5, 24), "05/24/1976");
        assert_eq!((Lang::Es.texts().date)(1976, 5, 24), "24/05/1976");
        assert_eq!(Lang::En.texts().date_order, DateOrder::MonthDayYear);
        assert_eq!(Lang::Es.texts().date_order, DateOrder::DayMonthYear);
        assert_eq!(
            Lang::En.texts().date_example(),
            "Month / Day / Year, for example 05/24/1976"
        );
        assert_eq!(
            Lang::Es.texts().date_example(),
            "Día / Mes / Año, por ejemplo 24/05/1976"
        );
    }

    #[test]
    fn every_text_exists_in_every_language_and_differs_from_english() {
        let (en, es) = (Lang::En.texts(), Lang::Es.texts());
        let plain = |t: &Texts| {
            vec![
                t.brand,
                t.larger_text,
                t.staff,
                t.waiting_title,
                t.waiting_body,
                t.offline_title,
                t.offline_body,
                t.welcome_body,
                t.choose_language,
                t.start,
                t.birthdate_title,
                t.birthdate_intro,
                t.birthdate_legend,
                t.day,
                t.month,
                t.year,
                t.date_hint,
                t.check,
                t.checking,
                t.birthdate_incomplete,
                t.birthdate_invalid,
                t.birthdate_unreachable,
                t.take_photo,
                t.choose_photo,
                t.skip,
                t.use_photo,
                t.retake,
                t.sending,
                t.offline_photo,
                t.arrived,
                t.refused,
                t.too_large,
                t.not_sent,
                t.try_again,
                t.all_set,
                t.done,
                t.idle_title,
                t.still_here,
                t.ended_title,
                t.ended_idle,
                t.locked_out,
                t.see_front_desk,
            ]
        };
        for (a, b) in plain(en).into_iter().zip(plain(es)) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "not translated: {a}");
        }
        for t in [en, es] {
            assert!((t.hello)("Ana").contains("Ana") && (t.thanks)("Ana").contains("Ana"));
            assert!((t.idle_text)(17).contains("17") && (t.birthdate_wrong)(2).contains('2'));
            assert!((t.step_count)(2, 4).contains('2') && (t.step_count)(2, 4).contains('4'));
            assert!((t.sending_try)(3).contains('3') && (t.retrying_in)(4).contains('4'));
            for kind in StepKind::ALL {
                assert!(!(t.step_title)(kind).is_empty() && !(t.step_instruction)(kind).is_empty());
                assert!((t.your_photo)((t.step_title)(kind)).contains((t.step_title)(kind)));
            }
        }
        assert_ne!((en.idle_text)(10), (es.idle_text)(10));
        assert_ne!((en.step_title)(StepKind::PhotoId), (es.step_title)(StepKind::PhotoId));
        assert_eq!(
            (es.birthdate_wrong)(1),
            "La fecha no coincide con nuestros registros. Le queda 1 intento."
        );
        assert_eq!(
            (es.birthdate_wrong)(2),
            "La fecha no coincide con nuestros registros. Le quedan 2 intentos."
        );
        assert_eq!(
            (en.birthdate_wrong)(1),
            "That date does not match our records. 1 try left."
        );
    }

    #[test]
    fn a_birthdate_is_checked_for_shape_only_and_sent_as_iso() {
        assert_eq!(birthdate_iso("24", "5", "1976"), Ok("1976-05-24".into()));
        assert_eq!(birthdate_iso(" 09 ", "02", "2000"), Ok("2000-02-09".into()));
        assert_eq!(birthdate_iso("29", "2", "2000"), Ok("2000-02-29".into()));
        assert_eq!(birthdate_iso("", "5", "1976"), Err(BirthdateProblem::Incomplete));
        assert_eq!(birthdate_iso("24", "5", " "), Err(BirthdateProblem::Incomplete));
        for (d, m, y) in [
            ("29", "2", "1900"),
            ("31", "4", "1976"),
            ("0", "5", "1976"),
            ("24", "13", "1976"),
            ("24", "5", "76"),
            ("2x", "5", "1976"),
            ("-1", "5", "1976"),
            ("24", "5", "1776"),
        ] {
            assert_eq!(birthdate_iso(d, m, y), Err(BirthdateProblem::Invalid), "{d}/{m}/{y}");
        }
    }
}
