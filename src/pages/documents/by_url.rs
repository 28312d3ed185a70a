//! Add a document by URL (Documents POST SetByUrl): Open Dental downloads the file itself, later,
//! from inside the office, so only public http(s) addresses are sent
//! (`opendental::documents::check_fetchable_url` says why any other is refused).

use leptos::{prelude::*, task::spawn_local};
use opendental::documents::{check_fetchable_url, SetByUrl};

use super::{
    fields::{FieldsEditor, FieldsForm},
    DocumentsContext, WithProviders,
};
use crate::components::ErrorNotice;

#[component]
pub fn ByUrlPanel() -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let open = RwSignal::new(false);
    let url = RwSignal::new(String::new());
    let form = RwSignal::new(FieldsForm::new_document(&context.categories));
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let categories = context.categories.clone();

    let submit = {
        let context = context.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            problem.set(None);
            let typed = url.get_untracked().trim().to_owned();
            let checked = check_fetchable_url(&typed).map(|()| typed);
            let fields = form.with_untracked(|f| f.to_fields());
            let (url_ok, fields) = match (checked, fields) {
                (Ok(u), Ok(f)) => (u, f),
                (Err(e), _) | (_, Err(e)) => return problem.set(Some(e)),
            };
            busy.set(true);
            let context = context.clone();
            let request = SetByUrl {
                pat_num: context.pat_num,
                url: url_ok,
                fields,
            };
            spawn_local(async move {
                match context.client.set_by_url(&request).await {
                    Ok(doc) => {
                        context.announce.run(format!(
                            "Added “{}” by URL; Open Dental downloads it when the document is opened.",
                            doc.description
                        ));
                        url.set(String::new());
                        context.reload.run(());
                    }
                    Err(e) => problem.set(Some(format!("Not added. {}", e.message()))),
                }
                busy.set(false);
            });
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
                <form class="form" on:submit=submit.clone()>
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
                    <WithProviders children={
                        let categories = categories.clone();
                        Box::new(move |providers| {
                            view! { <FieldsEditor form categories=categories.clone() providers id="by-url" /> }.into_any()
                        })
                    } />
                    {move || problem.get().map(|message| view! { <ErrorNotice message /> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>"Add document"</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
