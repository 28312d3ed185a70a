//! Add a document by URL (Documents POST SetByUrl): Open Dental downloads the file itself, later,
//! from inside the office, so only public http(s) addresses are sent
//! (`opendental::documents::check_fetchable_url` says why any other is refused).

use leptos::prelude::*;
use opendental::{
    documents::{check_fetchable_url, SetByUrl},
    ApiError,
};

use super::{
    fields::{FieldsEditor, FieldsForm},
    DocumentsContext,
};
use crate::components::{action_failure, ErrorNotice};

#[component]
pub fn ByUrlPanel() -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let open = RwSignal::new(false);
    let url = RwSignal::new(String::new());
    let form = RwSignal::new(FieldsForm::new_document(&context.categories));
    // What the form's own check found (an address Open Dental could not fetch, a bad date).
    let invalid = RwSignal::new(None::<String>);
    let categories = context.categories.clone();

    let add = Action::new_local({
        let context = context.clone();
        move |request: &SetByUrl| {
            let (context, request) = (context.clone(), request.clone());
            async move {
                let doc = context.client.set_by_url(&request).await?;
                context.announce.run(format!(
                    "Added “{}” by URL; Open Dental downloads it when the document is opened.",
                    doc.description
                ));
                url.set(String::new());
                context.reload.run(());
                Ok::<_, ApiError>(())
            }
        }
    });
    let busy = add.pending();
    let failure = action_failure(add, "Not added.");

    let submit = {
        let context = context.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            invalid.set(None);
            add.value().set(None);
            let typed = url.get_untracked().trim().to_owned();
            let checked = check_fetchable_url(&typed).map(|()| typed);
            match (checked, form.with_untracked(|f| f.to_fields())) {
                (Ok(url), Ok(fields)) => {
                    add.dispatch(SetByUrl {
                        pat_num: context.pat_num,
                        url,
                        fields,
                    });
                }
                (Err(e), _) | (_, Err(e)) => invalid.set(Some(e)),
            }
        }
    };

    view! {
        <section class="by-url card" aria-labelledby="by-url-title">
            <h3 id="by-url-title">
                <button type="button" class="link" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                    "Add by URL"
                </button>
            </h3>
            <Show when=move || open.get()>
                <form class="form" on:submit=submit>
                    <label for="by-url-address">"Web address of the file"</label>
                    <input
                        id="by-url-address"
                        type="url"
                        placeholder="https://example.org/scan.pdf"
                        aria-describedby="by-url-help"
                        prop:value=move || url.get()
                        on:input:target=move |ev| url.set(ev.target().value())
                    />
                    <p class="hint" id="by-url-help">
                        "Open Dental fetches the file itself, later, from the office: only public web addresses, without a user name or password."
                    </p>
                    <FieldsEditor form categories=categories.clone() id="by-url" />
                    {move || invalid.get().or_else(failure).map(|message| view! { <ErrorNotice message /> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>"Add document"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
