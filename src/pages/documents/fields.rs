//! The image-info fields every documents form shares (upload, add by URL, edit): the form's
//! state as plain strings, turned into API fields with validation, and the component that
//! edits them.

use std::sync::Arc;

use leptos::prelude::*;
use opendental::{
    documents::{from_datetime_local, to_datetime_local, Document, DocumentFields, IMG_TYPES},
    models::Definition,
    tooth,
};

use super::DocumentsContext;
use crate::{api::Provider, components::Loaded, reference::use_reference_data};

/// What the user typed, as the inputs hold it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldsForm {
    pub description: String,
    /// `<input type="datetime-local">` value, "2024-01-25T07:45:35".
    pub date: String,
    /// DefNum as text; "" for the server's default.
    pub category: String,
    pub img_type: String,
    pub teeth: String,
    /// ProvNum as text; "0" for none.
    pub provider: String,
    pub print_heading: bool,
}

impl FieldsForm {
    pub fn from_document(d: &Document) -> Self {
        Self {
            description: d.description.clone(),
            date: to_datetime_local(&d.date_created),
            category: d.doc_category.to_string(),
            img_type: d.img_type.clone(),
            teeth: d.tooth_numbers.clone(),
            provider: d.prov_num.to_string(),
            print_heading: d.print_heading,
        }
    }

    /// A form for a document made from scratch (by URL, from SFTP): the first category, type
    /// Document, no provider, now.
    pub fn new_document(categories: &[Definition]) -> Self {
        Self {
            category: categories.first().map(|c| c.def_num.to_string()).unwrap_or_default(),
            img_type: "Document".into(),
            provider: "0".into(),
            date: to_datetime_local(&crate::clock::now()),
            ..Default::default()
        }
    }

    /// The teeth as they will be stored, or why they can't be.
    pub fn teeth_expanded(&self) -> Result<String, String> {
        tooth::expand(&self.teeth)
    }

    /// Every field, for creating a document.
    pub fn to_fields(&self) -> Result<DocumentFields, String> {
        let date = match self.date.trim() {
            "" => None,
            value => Some(from_datetime_local(value).ok_or("Enter the date and time, e.g. 2024-01-25 07:45.")?),
        };
        let teeth = self.teeth_expanded()?;
        Ok(DocumentFields {
            description: Some(self.description.trim().to_owned()).filter(|d| !d.is_empty()),
            date_created: date,
            doc_category: self.category.parse().ok(),
            img_type: Some(self.img_type.clone()).filter(|t| IMG_TYPES.contains(&t.as_str())),
            tooth_numbers: Some(teeth).filter(|t| !t.is_empty()),
            prov_num: self.provider.parse().ok().filter(|p| *p != 0),
            print_heading: self.print_heading.then(|| "true".to_owned()),
        })
    }

    /// Only what differs from `original`, for a PUT that changes nothing else.
    pub fn changes_from(&self, original: &FieldsForm) -> Result<DocumentFields, String> {
        let date = from_datetime_local(&self.date).ok_or("Enter the date and time, e.g. 2024-01-25 07:45.")?;
        let teeth = self.teeth_expanded()?;
        let changed = |a: &str, b: &str| (a.trim() != b.trim()).then(|| a.trim().to_owned());
        Ok(DocumentFields {
            description: changed(&self.description, &original.description),
            date_created: (Some(&date) != from_datetime_local(&original.date).as_ref()).then_some(date),
            doc_category: changed(&self.category, &original.category).and_then(|c| c.parse().ok()),
            img_type: changed(&self.img_type, &original.img_type),
            tooth_numbers: (teeth != original.teeth_expanded().unwrap_or_default()).then_some(teeth),
            prov_num: changed(&self.provider, &original.provider).and_then(|p| p.parse().ok()),
            print_heading: (self.print_heading != original.print_heading).then(|| self.print_heading.to_string()),
        })
    }
}

/// True when a PUT body would change nothing.
pub fn is_empty(fields: &DocumentFields) -> bool {
    fields == &DocumentFields::default()
}

/// The inputs for `FieldsForm`, once the practice's providers are known (fetched once per
/// session). `id` keeps labels unique when several forms are on screen.
#[component]
pub fn FieldsEditor(
    form: RwSignal<FieldsForm>,
    categories: Arc<Vec<Definition>>,
    #[prop(into)] id: String,
    /// Offer the print-heading checkbox (edit only).
    #[prop(optional)]
    with_print_heading: bool,
) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let reference = use_reference_data();
    let providers = LocalResource::new(move || {
        let client = context.client.clone();
        async move { reference.providers(&client).await }
    });
    view! {
        <Loaded resource=providers loading="Loading providers…" let:providers>
            <FieldInputs form categories=categories.clone() providers id=id.clone() with_print_heading />
        </Loaded>
    }
}

#[component]
fn FieldInputs(
    form: RwSignal<FieldsForm>,
    categories: Arc<Vec<Definition>>,
    providers: Arc<Vec<Provider>>,
    id: String,
    with_print_heading: bool,
) -> impl IntoView {
    let field = move |name: &str| format!("{id}-{name}");
    let teeth_hint = move || match form.with(|f| f.teeth_expanded()) {
        Ok(t) if t.is_empty() => ("hint", "Optional, e.g. 1-5,8 or A-E.".to_owned()),
        Ok(t) => ("hint", format!("Teeth: {}", t.replace(',', ", "))),
        Err(problem) => ("hint error-text", problem),
    };
    let current_category = form.with_untracked(|f| f.category.clone());
    let current_type = form.with_untracked(|f| f.img_type.clone());
    let current_provider = form.with_untracked(|f| f.provider.clone());
    view! {
        <div class="fields-grid">
            <div class="wide">
                <label for=field("description")>"Description"</label>
                <input
                    id=field("description")
                    type="text"
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input:target=move |ev| form.update(|f| f.description = ev.target().value())
                />
            </div>
            <div>
                <label for=field("category")>"Category"</label>
                <select
                    id=field("category")
                    on:change:target=move |ev| form.update(|f| f.category = ev.target().value())
                >
                    {categories
                        .iter()
                        .map(|c| {
                            let value = c.def_num.to_string();
                            let selected = value == current_category;
                            view! { <option value=value selected=selected>{c.item_name.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for=field("type")>"Type"</label>
                <select id=field("type") on:change:target=move |ev| form.update(|f| f.img_type = ev.target().value())>
                    {IMG_TYPES
                        .iter()
                        .map(|t| view! { <option value=*t selected=*t == current_type>{*t}</option> })
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for=field("date")>"Date and time"</label>
                <input
                    id=field("date")
                    type="datetime-local"
                    step="1"
                    prop:value=move || form.with(|f| f.date.clone())
                    on:input:target=move |ev| form.update(|f| f.date = ev.target().value())
                />
            </div>
            <div>
                <label for=field("teeth")>"Tooth numbers"</label>
                <input
                    id=field("teeth")
                    type="text"
                    autocomplete="off"
                    aria-describedby=field("teeth-hint")
                    aria-invalid=move || form.with(|f| f.teeth_expanded().is_err()).to_string()
                    prop:value=move || form.with(|f| f.teeth.clone())
                    on:input:target=move |ev| form.update(|f| f.teeth = ev.target().value())
                />
                <p id=field("teeth-hint") class=move || teeth_hint().0 aria-live="polite">
                    {move || teeth_hint().1}
                </p>
            </div>
            <div>
                <label for=field("provider")>"Provider"</label>
                <select
                    id=field("provider")
                    on:change:target=move |ev| form.update(|f| f.provider = ev.target().value())
                >
                    <option value="0" selected=current_provider == "0" || current_provider.is_empty()>"None"</option>
                    {providers
                        .iter()
                        .map(|p| {
                            let value = p.prov_num.to_string();
                            let selected = value == current_provider;
                            view! { <option value=value selected=selected>{format!("{} ({} {})", p.abbr, p.f_name, p.l_name)}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            {with_print_heading
                .then(|| {
                    view! {
                        <label class="check wide">
                            <input
                                id=field("print-heading")
                                type="checkbox"
                                prop:checked=move || form.with(|f| f.print_heading)
                                on:change:target=move |ev| form.update(|f| f.print_heading = ev.target().checked())
                            />
                            "Print heading (patient name, birthdate and image date when printed)"
                        </label>
                    }
                })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original() -> FieldsForm {
        FieldsForm::from_document(&Document {
            description: "Pano".into(),
            date_created: "2024-01-25 07:45:35".into(),
            doc_category: 14,
            img_type: "Radiograph".into(),
            tooth_numbers: "12,13".into(),
            prov_num: 2,
            ..Default::default()
        })
    }

    #[test]
    fn unchanged_form_changes_nothing() {
        assert!(is_empty(&original().changes_from(&original()).unwrap()));
    }

    #[test]
    fn only_changed_fields_are_sent_with_teeth_expanded() {
        let mut edited = original();
        edited.description = "Panoramic".into();
        edited.teeth = "12-15".into();
        edited.print_heading = true;
        let changes = edited.changes_from(&original()).unwrap();
        assert_eq!(
            serde_json::to_string(&changes).unwrap(),
            r#"{"Description":"Panoramic","ToothNumbers":"12,13,14,15","PrintHeading":"true"}"#
        );
        // The same teeth written as a range are no change at all.
        let mut same = original();
        same.teeth = "12-13".into();
        assert!(is_empty(&same.changes_from(&original()).unwrap()));
    }

    #[test]
    fn bad_teeth_or_dates_are_refused_with_a_reason() {
        let mut bad = original();
        bad.teeth = "33".into();
        assert!(bad.changes_from(&original()).unwrap_err().contains("1–32"));
        let mut bad_date = original();
        bad_date.date = "soon".into();
        assert!(bad_date.to_fields().is_err());
    }

    #[test]
    fn new_documents_send_what_was_filled_in() {
        let form = FieldsForm {
            description: " Card front ".into(),
            date: "2024-02-01T09:30".into(),
            category: "17".into(),
            img_type: "Photo".into(),
            teeth: "".into(),
            provider: "0".into(),
            print_heading: false,
        };
        assert_eq!(
            serde_json::to_string(&form.to_fields().unwrap()).unwrap(),
            r#"{"Description":"Card front","DateCreated":"2024-02-01 09:30:00","DocCategory":17,"ImgType":"Photo"}"#
        );
    }
}
