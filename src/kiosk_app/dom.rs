//! Real DOM from a `kiosk::tree`: built with `createElement`/`textContent` (never HTML
//! strings) and patched in place, so an element that stays the same element (same tag, key and
//! id at the same place) keeps its node: typed input, focus and live regions survive a redraw,
//! and a screen reader hears a status change as a change. Also the modal dialogs' part:
//! `showModal()`, first focus, Tab kept inside, Escape as the dialog's cancel, and the focus
//! given back when one closes.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlDialogElement, HtmlElement, KeyboardEvent};

use crate::kiosk::tree::{El, Node};

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

pub fn build(doc: &Document, node: &Node) -> Option<web_sys::Node> {
    match node {
        Node::Text(text) => Some(doc.create_text_node(text).into()),
        Node::El(el) => {
            let dom = doc.create_element(el.tag).ok()?;
            for (name, value) in &el.attrs {
                let _ = dom.set_attribute(name, value);
            }
            for child in &el.children {
                if let Some(child) = build(doc, child) {
                    let _ = dom.append_child(&child);
                }
            }
            Some(dom.into())
        }
    }
}

fn same_element(old: &Node, new: &Node) -> bool {
    match (old, new) {
        (Node::Text(_), Node::Text(_)) => true,
        (Node::El(a), Node::El(b)) => a.tag == b.tag && a.key == b.key && a.get("id") == b.get("id"),
        _ => false,
    }
}

/// Makes `dom`, built from `old`, show `new`. Attributes the browser sets itself (a dialog's
/// `open`) are left alone: only what `old` had is ever removed.
pub fn patch(doc: &Document, dom: &Element, old: &El, new: &El) {
    if old == new {
        return;
    }
    for (name, _) in &old.attrs {
        if new.get(name).is_none() {
            let _ = dom.remove_attribute(name);
        }
    }
    for (name, value) in &new.attrs {
        if old.get(name) != Some(value.as_str()) {
            let _ = dom.set_attribute(name, value);
        }
    }
    let nodes = dom.child_nodes();
    for (i, new_child) in new.children.iter().enumerate() {
        let existing = nodes.item(i as u32);
        match (old.children.get(i), existing) {
            (Some(old_child), Some(node)) if same_element(old_child, new_child) => match (old_child, new_child) {
                (Node::Text(a), Node::Text(b)) if a != b => node.set_node_value(Some(b)),
                (Node::El(a), Node::El(b)) => {
                    if let Ok(element) = node.dyn_into::<Element>() {
                        patch(doc, &element, a, b);
                    }
                }
                _ => {}
            },
            (_, Some(node)) => {
                if let Some(fresh) = build(doc, new_child) {
                    let _ = dom.replace_child(&fresh, &node);
                }
            }
            (_, None) => {
                if let Some(fresh) = build(doc, new_child) {
                    let _ = dom.append_child(&fresh);
                }
            }
        }
    }
    while nodes.length() > new.children.len() as u32 {
        match dom.last_child() {
            Some(last) => {
                let _ = dom.remove_child(&last);
            }
            None => break,
        }
    }
}

pub fn by_id<T: JsCast>(id: &str) -> Option<T> {
    document()?.get_element_by_id(id)?.dyn_into::<T>().ok()
}

pub fn focus(id: &str) {
    if let Some(el) = by_id::<HtmlElement>(id) {
        let _ = el.focus();
    }
}

/// What is typed in the input with this id.
pub fn input_value(id: &str) -> String {
    by_id::<web_sys::HtmlInputElement>(id)
        .map(|i| i.value())
        .unwrap_or_default()
}

pub fn clear_input(id: &str) {
    if let Some(input) = by_id::<web_sys::HtmlInputElement>(id) {
        input.set_value("");
    }
}

fn active_element() -> Option<HtmlElement> {
    document()?.active_element()?.dyn_into::<HtmlElement>().ok()
}

/// The controls inside `root` that Tab reaches, in document order.
fn focusable_in(root: &Element) -> Vec<HtmlElement> {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
                             textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    let Ok(found) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some() || e.get_client_rects().length() > 0)
        .collect()
}

/// Focuses the first control inside the element with this id.
pub fn focus_first_in(id: &str) {
    if let Some(first) = by_id::<Element>(id).and_then(|root| focusable_in(&root).into_iter().next()) {
        let _ = first.focus();
    }
}

/// The page's open modal dialogs, newest last, each with what had the focus before it opened.
#[derive(Default)]
pub struct Dialogs {
    open: Vec<(String, Option<HtmlElement>)>,
}

impl Dialogs {
    /// After a patch: opens the dialogs it added (focusing their `data-focus` control, or the
    /// first one), and gives the focus back for those it removed.
    pub fn sync(&mut self, root: &Element) {
        let mut back = None;
        self.open.retain(|(id, opener)| {
            let still_there = by_id::<Element>(id).is_some();
            if !still_there {
                back = Some(opener.clone());
            }
            still_there
        });
        if let Some(opener) = back {
            match opener.filter(|o| o.is_connected()) {
                Some(opener) => {
                    let _ = opener.focus();
                }
                None => focus("main"),
            }
        }
        let Ok(found) = root.query_selector_all("dialog") else {
            return;
        };
        for i in 0..found.length() {
            let Some(dialog) = found.item(i).and_then(|d| d.dyn_into::<HtmlDialogElement>().ok()) else {
                continue;
            };
            if dialog.open() {
                continue;
            }
            let opener = active_element();
            let _ = dialog.show_modal();
            let first = dialog
                .get_attribute("data-focus")
                .and_then(|id| by_id::<HtmlElement>(&id))
                .or_else(|| focusable_in(&dialog).into_iter().next());
            if let Some(first) = first {
                let _ = first.focus();
            }
            self.open.push((dialog.id(), opener));
        }
    }

    /// A key pressed while a dialog is open: Escape is the newest dialog's cancel (its
    /// `data-cancel` action, returned; the browser's own cancel would close it behind the
    /// app's back), and Tab and Shift+Tab go round its controls.
    pub fn key(&self, ev: &KeyboardEvent) -> Option<String> {
        let (id, _) = self.open.last()?;
        let dialog = by_id::<Element>(id)?;
        if ev.key() == "Escape" {
            ev.prevent_default();
            return dialog.get_attribute("data-cancel");
        }
        if ev.key() != "Tab" {
            return None;
        }
        let controls = focusable_in(&dialog);
        let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
            ev.prevent_default();
            return None;
        };
        let active = active_element();
        let at = |target: &HtmlElement| active.as_ref() == Some(target);
        let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
        if ev.shift_key() && (at(first) || !inside) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (at(last) || !inside) {
            ev.prevent_default();
            let _ = first.focus();
        }
        None
    }
}
