//! Small pieces shared by pages.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};
use wasm_bindgen::JsCast;

use crate::connection::use_connection;

/// A failure, announced to screen readers at once.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            {message}
        </div>
    }
}

/// Progress text for async work, announced politely.
#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            {what}
        </p>
    }
}

/// A resource on screen: `loading` until it answers, its error's explanation if it failed, else
/// `children` with the value (`let:value` in a view). With `keep_shown`, what was shown stays
/// while the resource loads again (a `Transition`), instead of the loading text (`Suspense`).
#[component]
pub fn Loaded<T, E, V, F>(
    resource: LocalResource<Result<T, E>>,
    loading: &'static str,
    #[prop(optional)] keep_shown: bool,
    children: F,
) -> impl IntoView
where
    T: Clone + 'static,
    E: Clone + std::fmt::Display + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let shown = move || {
        let children = children.clone();
        Suspend::new(async move {
            match resource.await {
                Ok(value) => children(value).into_any(),
                Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
            }
        })
    };
    let fallback = move || view! { <Loading what=loading /> };
    if keep_shown {
        view! { <Transition fallback>{shown}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback>{shown}</Suspense> }.into_any()
    }
}

/// What `action` last failed with, after `what` ("Not saved."; "" for the error alone), until
/// its next try starts.
pub fn action_failure<I: 'static, T: 'static, E: std::fmt::Display + 'static>(
    action: Action<I, Result<T, E>>,
    what: &'static str,
) -> impl Fn() -> Option<String> + Copy {
    move || {
        if action.pending().get() {
            return None;
        }
        action.value().with(|v| {
            let error = v.as_ref()?.as_ref().err()?;
            Some(if what.is_empty() {
                error.to_string()
            } else {
                format!("{what} {error}")
            })
        })
    }
}

/// Renders its children only once a connection is set up; otherwise points to Settings and
/// comes back here afterwards.
#[component]
pub fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let connection = use_connection();
    let location = use_location();
    let settings_link = move || format!("/settings?next={}", opendental::query::encode(&location.pathname.get()));
    view! {
        <Show
            when=move || connection.is_connected()
            fallback=move || {
                view! {
                    <section class="page">
                        <h1>"Connect to Open Dental first"</h1>
                        <p>
                            "Chairside needs the address of your Open Dental API and your keys. "
                            <A href=settings_link>"Set up the connection"</A>
                            "."
                        </p>
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let (settle, settled) = crate::callback::channel::<()>();
    set_timeout(move || settle.send(()), std::time::Duration::from_millis(ms as u64));
    settled.wait().await;
}

/// Focuses the element with `id` once the page has rendered it.
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// A modal dialog: the native `<dialog>` opened with `showModal()`, so the page behind it is
/// inert to keyboard and screen reader. It takes the focus when it opens (`initial_focus`, or
/// its first control), keeps Tab and Shift+Tab inside, turns Escape into `on_cancel`, and gives
/// the focus back to the control that had it (or to the main content, if that control is
/// gone) when it closes, which is when it leaves the page.
#[component]
pub fn ModalDialog(
    /// Id of the element that names the dialog.
    #[prop(into)]
    labelled_by: String,
    #[prop(optional, into)] described_by: Option<String>,
    /// An `alertdialog`: a question that needs an answer, such as a confirmation.
    #[prop(optional)]
    alert: bool,
    /// Id of the control to focus first.
    #[prop(optional, into)]
    initial_focus: Option<String>,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let opener = StoredValue::new_local(active_element());
    dialog.on_load(move |el| {
        let _ = el.show_modal();
        let first = initial_focus
            .and_then(|id| el.query_selector(&format!("#{id}")).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .or_else(|| focusable_in(&el).into_iter().next());
        if let Some(first) = first {
            let _ = first.focus();
        }
    });
    on_cleanup(move || {
        if let Some(el) = dialog.get_untracked() {
            el.close();
        }
        let back = opener
            .get_value()
            .filter(|o| o.is_connected())
            .or_else(|| element_by_id("main"));
        if let Some(back) = back {
            let _ = back.focus();
        }
    });
    let keep_focus_inside = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            // The dialog's own cancel would close it behind the app's back.
            ev.prevent_default();
            on_cancel.run(());
            return;
        }
        let Some(el) = dialog.get_untracked() else { return };
        if ev.key() != "Tab" {
            return;
        }
        let controls = focusable_in(&el);
        let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
            return ev.prevent_default();
        };
        let active = active_element();
        let at = |target: &web_sys::HtmlElement| active.as_ref() == Some(target);
        let inside = active.as_ref().is_some_and(|a| el.contains(Some(a)));
        if ev.shift_key() && (at(first) || !inside) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (at(last) || !inside) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class=class
            role=if alert { "alertdialog" } else { "dialog" }
            aria-modal="true"
            aria-labelledby=labelled_by
            aria-describedby=described_by
            on:keydown=keep_focus_inside
        >
            {children()}
        </dialog>
    }
}

fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// The controls inside `root` that Tab reaches, in document order.
fn focusable_in(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
                             textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    let Ok(found) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some() || e.get_client_rects().length() > 0)
        .collect()
}

/// Moves the keyboard to the main content: the skip link's job. (The router would only change
/// the URL's #fragment, leaving the focus on the link.)
pub fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = element_by_id("main") {
        let _ = main.focus();
    }
}
