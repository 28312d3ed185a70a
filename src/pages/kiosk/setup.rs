//! Kiosk setup, kept on the device (localStorage): which steps are offered and, per step, the
//! image category, type and description; the idle timeout; and the staff PIN. Patient data is
//! never stored here or anywhere else.

use opendental::models::Definition;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "chairside.kiosk-setup";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    Selfie,
    CardFront,
    CardBack,
    PhotoId,
}

impl StepKind {
    pub const ALL: [StepKind; 4] = [
        StepKind::Selfie,
        StepKind::CardFront,
        StepKind::CardBack,
        StepKind::PhotoId,
    ];

    pub fn title(self) -> &'static str {
        match self {
            StepKind::Selfie => "Your photo",
            StepKind::CardFront => "Insurance card, front",
            StepKind::CardBack => "Insurance card, back",
            StepKind::PhotoId => "Photo ID",
        }
    }

    pub fn instruction(self) -> &'static str {
        match self {
            StepKind::Selfie => "Take a photo of your face, looking at the camera. It helps us greet you.",
            StepKind::CardFront => "Lay your insurance card on a flat surface and photograph the front.",
            StepKind::CardBack => "Now turn the card over and photograph the back.",
            StepKind::PhotoId => "Photograph your driver's license or other photo ID.",
        }
    }

    /// The front camera for the selfie, the back one for documents.
    pub fn camera(self) -> &'static str {
        if self == StepKind::Selfie {
            "user"
        } else {
            "environment"
        }
    }

    fn default_description(self) -> &'static str {
        match self {
            StepKind::Selfie => "Patient photo (kiosk)",
            StepKind::CardFront => "Insurance card front (kiosk)",
            StepKind::CardBack => "Insurance card back (kiosk)",
            StepKind::PhotoId => "Photo ID (kiosk)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepSetup {
    pub kind: StepKind,
    pub enabled: bool,
    /// DefNum of the image category (Category 18).
    pub category: i64,
    pub img_type: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskSetup {
    pub steps: Vec<StepSetup>,
    pub idle_seconds: u32,
    /// Salted hash of the staff PIN; see `hash_pin`.
    pub pin_hash: String,
    pub pin_salt: String,
}

impl KioskSetup {
    /// Sensible defaults for this practice's image categories: the selfie goes to the category
    /// whose usage letters contain `P` (patient pictures), cards and ID to categories named for
    /// them when there are such, otherwise the first.
    pub fn defaults(categories: &[Definition]) -> Self {
        let first = categories.first().map(|c| c.def_num).unwrap_or(0);
        let named = |words: &[&str]| {
            categories
                .iter()
                .find(|c| words.iter().any(|w| c.item_name.to_lowercase().contains(w)))
                .map(|c| c.def_num)
                .unwrap_or(first)
        };
        let pictures = categories
            .iter()
            .find(|c| c.item_value.contains('P'))
            .map(|c| c.def_num)
            .unwrap_or(first);
        let steps = StepKind::ALL
            .iter()
            .map(|&kind| StepSetup {
                kind,
                enabled: true,
                category: match kind {
                    StepKind::Selfie => pictures,
                    StepKind::CardFront | StepKind::CardBack => named(&["insurance"]),
                    StepKind::PhotoId => named(&["photo id", "id card", "identification"]),
                },
                img_type: "Photo".into(),
                description: kind.default_description().into(),
            })
            .collect();
        KioskSetup {
            steps,
            idle_seconds: 90,
            pin_hash: String::new(),
            pin_salt: String::new(),
        }
    }

    pub fn has_pin(&self) -> bool {
        !self.pin_hash.is_empty()
    }

    pub fn set_pin(&mut self, pin: &str, salt: &str) {
        self.pin_salt = salt.to_owned();
        self.pin_hash = hash_pin(pin, salt);
    }

    pub fn pin_matches(&self, pin: &str) -> bool {
        self.has_pin() && hash_pin(pin.trim(), &self.pin_salt) == self.pin_hash
    }

    pub fn enabled_steps(&self) -> Vec<StepSetup> {
        self.steps.iter().filter(|s| s.enabled).cloned().collect()
    }

    pub fn load() -> Option<KioskSetup> {
        let json = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
        serde_json::from_str(&json).ok()
    }

    pub fn save(&self) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, &serde_json::to_string(self).unwrap_or_default());
        }
    }
}

/// How long a kiosk may sit untouched before it starts over, in seconds.
pub const IDLE_SECONDS_MIN: u32 = 2;
pub const IDLE_SECONDS_MAX: u32 = 600;

/// The idle timeout as typed, once complete (on leaving the field, or saving; never while it is
/// typed), or why it is not allowed.
pub fn check_idle_seconds(typed: &str) -> Result<u32, String> {
    let allowed =
        format!("Enter a whole number of seconds from {IDLE_SECONDS_MIN} to {IDLE_SECONDS_MAX} (10 minutes).");
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(allowed);
    }
    typed
        .parse::<u32>()
        .ok()
        .filter(|s| (IDLE_SECONDS_MIN..=IDLE_SECONDS_MAX).contains(s))
        .ok_or_else(|| format!("“{typed}” is not allowed. {allowed}"))
}

/// A PIN of 4–8 digits, or why not.
pub fn check_pin(pin: &str) -> Result<String, String> {
    let pin = pin.trim();
    if (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(pin.to_owned())
    } else {
        Err("The staff PIN is 4 to 8 digits.".into())
    }
}

/// FNV-1a over salt and PIN, many rounds. It keeps the PIN from sitting in storage as typed;
/// a short PIN cannot be protected from someone who can read the device's storage, and it
/// guards only leaving kiosk mode, not patient data (which the kiosk never stores).
pub fn hash_pin(pin: &str, salt: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..10_000 {
        for byte in salt.bytes().chain(pin.bytes()).chain(hash.to_le_bytes()) {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(def_num: i64, name: &str, value: &str) -> Definition {
        Definition {
            def_num,
            item_name: name.into(),
            item_value: value.into(),
            category: 18,
            ..Default::default()
        }
    }

    #[test]
    fn defaults_send_the_selfie_to_patient_pictures_and_cards_to_their_category() {
        let cats = vec![
            cat(14, "X-Rays", "XT"),
            cat(13, "Patient Pictures", "P"),
            cat(17, "Insurance Cards", ""),
            cat(18, "Photo ID", ""),
        ];
        let setup = KioskSetup::defaults(&cats);
        let by_kind = |k| setup.steps.iter().find(|s| s.kind == k).unwrap().category;
        assert_eq!(by_kind(StepKind::Selfie), 13);
        assert_eq!(by_kind(StepKind::CardFront), 17);
        assert_eq!(by_kind(StepKind::CardBack), 17);
        assert_eq!(by_kind(StepKind::PhotoId), 18);
        assert_eq!(
            KioskSetup::defaults(&cats[..1]).steps[0].category,
            14,
            "without a P category, the first"
        );
    }

    #[test]
    fn the_idle_timeout_is_a_whole_number_of_seconds_in_range_as_typed() {
        assert_eq!(check_idle_seconds("120"), Ok(120));
        assert_eq!(check_idle_seconds(" 2 "), Ok(2));
        assert_eq!(check_idle_seconds("600"), Ok(600));
        for bad in ["", "1", "601", "0", "-5", "1.5", "abc", "99999999999"] {
            let why = check_idle_seconds(bad).unwrap_err();
            assert!(why.contains("from 2 to 600"), "{bad}: {why}");
        }
        assert!(check_idle_seconds("1").unwrap_err().contains("“1”"));
    }

    #[test]
    fn pins_are_checked_and_never_stored_as_typed() {
        assert!(check_pin("12a4").is_err() && check_pin("123").is_err() && check_pin("123456789").is_err());
        let mut setup = KioskSetup::defaults(&[]);
        assert!(!setup.pin_matches("1234"), "no PIN set matches nothing");
        setup.set_pin("2468", "salt");
        assert!(setup.pin_matches("2468") && setup.pin_matches(" 2468 "));
        assert!(!setup.pin_matches("2469"));
        assert!(!serde_json::to_string(&setup).unwrap().contains("2468"));
        assert_ne!(hash_pin("2468", "a"), hash_pin("2468", "b"));
    }
}
