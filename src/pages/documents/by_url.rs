//! Add a document by URL (Documents POST SetByUrl): Open Dental downloads the file itself when
//! someone opens the document, so only http(s) addresses make sense.

use leptos::{prelude::*, task::spawn_local};
use opendental::documents::SetByUrl;

use super::{
    fields::{FieldsEditor, FieldsForm},
    DocumentsContext, WithProviders,
};
use crate::components::ErrorNotice;

/// An http(s) URL with a host, or why not.
pub fn check_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("Only web addresses starting with http:// or https:// can be added.")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || url.contains(char::is_whitespace) {
        return Err("That web address has no host name or contains spaces.".into());
    }
    Ok(url.to_owned())
}

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
            let checked = check_url(&url.get_untracked());
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
                    "Add a document by URL"
                </button>
            </h3>
            <Show when=move || open.get()>
                <form class="form" on:submit=submit.clone()>
                    <label for="by-url-address">"Web address of the file"</label>
                    <input
                        id="by-url-address"
                        type="url"
                        placeholder="https://example.org/scan.pdf"
                        prop:value=move || url.get()
                        on:input:target=move |ev| url.set(ev.target().value())
                    />
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_addresses_with_a_host() {
        assert_eq!(check_url(" https://x.org/a.pdf ").unwrap(), "https://x.org/a.pdf");
        assert!(check_url("http://127.0.0.1:8080/f.png").is_ok());
        for bad in [
            "ftp://x/a",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "https:///x",
            "http://a b/c",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
