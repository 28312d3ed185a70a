//! A kiosk's setup, as the gateway keeps it per paired tablet and the app edits it: which
//! steps are offered and, per step, the image category (a Category 18 DefNum), image type and
//! description the photo is filed under; and how long the tablet waits before resetting.
//! One rule for the defaults and one for what is valid, shared by the app and the gateway.

use serde::{Deserialize, Serialize};

use crate::models::Definition;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    Selfie,
    CardFront,
    CardBack,
    PhotoId,
}

impl StepKind {
    /// Every step, in the order the patient sees them.
    pub const ALL: [StepKind; 4] = [
        StepKind::Selfie,
        StepKind::CardFront,
        StepKind::CardBack,
        StepKind::PhotoId,
    ];

    /// The wire name ("cardFront"), as in URLs.
    pub fn id(self) -> &'static str {
        match self {
            StepKind::Selfie => "selfie",
            StepKind::CardFront => "cardFront",
            StepKind::CardBack => "cardBack",
            StepKind::PhotoId => "photoId",
        }
    }

    pub fn from_id(id: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn default_description(self) -> &'static str {
        match self {
            StepKind::Selfie => "Patient photo (kiosk)",
            StepKind::CardFront => "Insurance card front (kiosk)",
            StepKind::CardBack => "Insurance card back (kiosk)",
            StepKind::PhotoId => "Photo ID (kiosk)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepSetup {
    pub kind: StepKind,
    pub enabled: bool,
    /// DefNum of the image category (Category 18).
    pub category: i64,
    /// Open Dental's ImgType: Document, Radiograph, Photo, File or Attachment.
    pub img_type: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskSetup {
    /// All four kinds, in `StepKind::ALL` order; `enabled` says which are offered.
    pub steps: Vec<StepSetup>,
    pub idle_seconds: u32,
}

pub const MIN_IDLE_SECONDS: u32 = 2;
pub const MAX_IDLE_SECONDS: u32 = 600;
const IMG_TYPES: [&str; 5] = ["Document", "Radiograph", "Photo", "File", "Attachment"];

impl KioskSetup {
    /// Sensible defaults for this practice's image categories (Definitions, Category 18, in
    /// definition order): the selfie goes to the category whose usage letters contain `P`
    /// (patient pictures), cards and ID to categories named for them when there are such,
    /// otherwise the first.
    pub fn defaults(categories: &[Definition]) -> KioskSetup {
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
        }
    }

    /// Why this setup cannot be used, as a sentence for staff; `Ok` when it can.
    pub fn validate(&self) -> Result<(), String> {
        let kinds: Vec<StepKind> = self.steps.iter().map(|s| s.kind).collect();
        if kinds != StepKind::ALL {
            return Err(
                "The setup must list the four steps (selfie, cardFront, cardBack, photoId) in that order.".into(),
            );
        }
        if !self.steps.iter().any(|s| s.enabled) {
            return Err("Turn on at least one step: a kiosk with no steps has nothing to ask.".into());
        }
        if !(MIN_IDLE_SECONDS..=MAX_IDLE_SECONDS).contains(&self.idle_seconds) {
            return Err(format!(
                "The idle time must be between {MIN_IDLE_SECONDS} and {MAX_IDLE_SECONDS} seconds."
            ));
        }
        for step in &self.steps {
            if step.category <= 0 {
                return Err(format!("Choose an image category for the {} step.", step.kind.id()));
            }
            if !IMG_TYPES.contains(&step.img_type.as_str()) {
                return Err(format!(
                    "The image type of the {} step must be one of {}.",
                    step.kind.id(),
                    IMG_TYPES.join(", ")
                ));
            }
            let description = step.description.trim();
            if description.is_empty() || description.chars().count() > 255 {
                return Err(format!(
                    "The description of the {} step must be 1 to 255 characters.",
                    step.kind.id()
                ));
            }
        }
        Ok(())
    }

    pub fn step(&self, kind: StepKind) -> Option<&StepSetup> {
        self.steps.iter().find(|s| s.kind == kind)
    }

    pub fn enabled_steps(&self) -> Vec<StepSetup> {
        self.steps.iter().filter(|s| s.enabled).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(def_num: i64, name: &str, value: &str) -> Definition {
        Definition {
            def_num,
            item_name: name.into(),
            item_value: value.into(),
            category: 18,
            ..Default::default()
        }
    }

    #[test]
    fn defaults_pick_pictures_insurance_and_id_categories_else_the_first() {
        let cats = [
            def(13, "Patient Pictures", "P"),
            def(14, "X-Rays", "XT"),
            def(17, "Insurance Cards", ""),
            def(18, "Photo ID", ""),
        ];
        let setup = KioskSetup::defaults(&cats);
        let categories: Vec<i64> = setup.steps.iter().map(|s| s.category).collect();
        assert_eq!(categories, [13, 17, 17, 18]);
        assert_eq!(setup.idle_seconds, 90);
        assert!(setup.steps.iter().all(|s| s.enabled && s.img_type == "Photo"));
        assert_eq!(setup.validate(), Ok(()));

        let plain = KioskSetup::defaults(&[def(5, "Misc", ""), def(6, "Other", "")]);
        assert!(plain.steps.iter().all(|s| s.category == 5));
    }

    #[test]
    fn the_wire_names_are_camel_case() {
        let setup = KioskSetup::defaults(&[def(13, "Patient Pictures", "P")]);
        let json = serde_json::to_value(&setup).unwrap();
        assert_eq!(json["idleSeconds"], 90);
        assert_eq!(json["steps"][1]["kind"], "cardFront");
        assert_eq!(json["steps"][0]["imgType"], "Photo");
        assert_eq!(StepKind::from_id("photoId"), Some(StepKind::PhotoId));
        assert_eq!(StepKind::from_id("PhotoId"), None);
    }

    #[test]
    fn invalid_setups_are_refused_with_a_sentence() {
        let good = KioskSetup::defaults(&[def(13, "Patient Pictures", "P")]);
        let broken = |change: fn(&mut KioskSetup)| {
            let mut s = good.clone();
            change(&mut s);
            s.validate().unwrap_err()
        };
        assert!(broken(|s| s.steps.iter_mut().for_each(|st| st.enabled = false)).contains("at least one step"));
        assert!(broken(|s| s.idle_seconds = 1).contains("between 2 and 600"));
        assert!(broken(|s| s.idle_seconds = 601).contains("between 2 and 600"));
        assert!(broken(|s| s.steps[2].category = 0).contains("cardBack"));
        assert!(broken(|s| s.steps[0].description = "  ".into()).contains("1 to 255"));
        assert!(broken(|s| s.steps[0].description = "x".repeat(256)).contains("1 to 255"));
        assert!(broken(|s| s.steps[3].img_type = "Selfie".into()).contains("image type"));
        assert!(broken(|s| {
            s.steps.pop();
        })
        .contains("four steps"));
        assert!(broken(|s| s.steps.swap(0, 1)).contains("four steps"));
        let mut edge = good.clone();
        edge.idle_seconds = 2;
        edge.steps[0].description = "x".repeat(255);
        assert_eq!(edge.validate(), Ok(()));
    }
}
