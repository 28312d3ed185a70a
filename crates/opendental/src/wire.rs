//! Serde helpers for the API's conventions (apiimplementation.md, "Data Types"): booleans are
//! the strings "true"/"false", and some numbers arrive as strings in some responses
//! (`"PatNum": "101"` in Documents GET multiple; `"Zip": 90011` the other way round).

use serde::{de, Deserialize, Deserializer, Serializer};
use std::fmt;

/// "yyyy-MM-dd" value Open Dental uses for "no date".
pub const NO_DATE: &str = "0001-01-01";

/// A date field as the user should see it: `None` for Open Dental's "no date".
pub fn date_or_none(date: &str) -> Option<&str> {
    let date = date.trim();
    (!date.is_empty() && !date.starts_with(NO_DATE)).then_some(date)
}

/// `bool` <-> `"true"`/`"false"`. Reading also accepts a JSON boolean.
pub mod string_bool {
    use super::*;

    pub fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *value { "true" } else { "false" })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(b) => Ok(b),
            Raw::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" | "" => Ok(false),
                other => Err(de::Error::custom(format!(
                    "expected \"true\" or \"false\", got {other:?}"
                ))),
            },
        }
    }
}

/// An integer that may arrive as a JSON number or a numeric string; written as a number.
pub mod lenient_i64 {
    use super::*;

    pub fn serialize<S: Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = i64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer or a string holding one")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
                i64::try_from(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
                if v.fract() == 0.0 {
                    Ok(v as i64)
                } else {
                    Err(E::custom(format!("expected an integer, got {v}")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
                let v = v.trim();
                if v.is_empty() {
                    return Ok(0);
                }
                v.parse()
                    .map_err(|_| E::custom(format!("expected an integer, got {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A decimal (fees, balances) that may arrive as a JSON number or a numeric string.
pub mod lenient_f64 {
    use super::*;

    pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(*value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a string holding one")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
                let v = v.trim();
                if v.is_empty() {
                    return Ok(0.0);
                }
                v.parse()
                    .map_err(|_| E::custom(format!("expected a number, got {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// Text that may arrive as a JSON number (`"Zip": 90011` in Patients GET multiple).
pub mod lenient_string {
    use super::*;

    pub fn serialize<S: Serializer>(value: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Str(String),
            Int(i64),
            Float(f64),
            Null(()),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Str(s) => s,
            Raw::Int(n) => n.to_string(),
            Raw::Float(n) => n.to_string(),
            Raw::Null(()) => String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(with = "string_bool")]
        flag: bool,
        #[serde(with = "lenient_i64")]
        num: i64,
        #[serde(with = "lenient_f64")]
        fee: f64,
        #[serde(with = "lenient_string")]
        zip: String,
    }

    #[test]
    fn reads_numbers_given_as_strings_and_strings_given_as_numbers() {
        let s: Sample = serde_json::from_str(r#"{"flag":"true","num":"101","fee":"12.50","zip":90011}"#).unwrap();
        assert_eq!(
            s,
            Sample {
                flag: true,
                num: 101,
                fee: 12.5,
                zip: "90011".into()
            }
        );
        let s: Sample = serde_json::from_str(r#"{"flag":false,"num":7,"fee":3,"zip":"97301"}"#).unwrap();
        assert_eq!(
            s,
            Sample {
                flag: false,
                num: 7,
                fee: 3.0,
                zip: "97301".into()
            }
        );
    }

    #[test]
    fn writes_booleans_as_strings_and_numbers_as_numbers() {
        let s = Sample {
            flag: false,
            num: 5,
            fee: 1.5,
            zip: "1".into(),
        };
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"flag":"false","num":5,"fee":1.5,"zip":"1"}"#
        );
    }

    #[test]
    fn refuses_nonsense() {
        assert!(serde_json::from_str::<Sample>(r#"{"flag":"yes","num":1,"fee":1,"zip":""}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"flag":"true","num":"1x","fee":1,"zip":""}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"flag":"true","num":1.5,"fee":1,"zip":""}"#).is_err());
    }

    #[test]
    fn no_date_is_none() {
        assert_eq!(date_or_none("0001-01-01"), None);
        assert_eq!(date_or_none("0001-01-01 00:00:00"), None);
        assert_eq!(date_or_none(""), None);
        assert_eq!(date_or_none("1976-05-24"), Some("1976-05-24"));
    }
}
