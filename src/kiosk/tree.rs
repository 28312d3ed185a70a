//! The kiosk app's views as plain data. Each screen is a function from state to a tree of
//! elements (`kiosk::view`), tested natively; the browser side (`kiosk_app::dom`) builds and
//! patches real DOM nodes from it with `createElement` and `textContent`, never HTML strings,
//! so text from the network needs no escaping.
//!
//! Why not Leptos here: the tablet's first load is budgeted (issue 13), and Leptos' view and
//! reactive machinery was most of the kiosk app's wasm. Five small screens redrawn from one
//! state machine need only this tree and a patch.

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    El(El),
    Text(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct El {
    pub tag: &'static str,
    /// Identity beyond the tag and id: an element whose key changed is built afresh, so a new
    /// screen never inherits the previous one's inputs or focus.
    pub key: String,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

pub fn el(tag: &'static str) -> El {
    El {
        tag,
        key: String::new(),
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

impl El {
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    pub fn id(self, id: &str) -> Self {
        self.attr("id", id)
    }

    pub fn class(self, class: &str) -> Self {
        self.attr("class", class)
    }

    /// A boolean attribute (`disabled`, `required`): present only when `on`.
    pub fn flag(self, name: &'static str, on: bool) -> Self {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    /// What a click, submit or change on this element asks for (`kiosk_app` reads it).
    pub fn does(self, action: &str) -> Self {
        self.attr("data-do", action)
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    pub fn child(mut self, child: impl Into<Node>) -> Self {
        self.children.push(child.into());
        self
    }

    pub fn maybe(self, child: Option<El>) -> Self {
        match child {
            Some(child) => self.child(child),
            None => self,
        }
    }

    pub fn children(mut self, children: impl IntoIterator<Item = El>) -> Self {
        self.children.extend(children.into_iter().map(Node::El));
        self
    }

    pub fn text(self, text: impl Into<String>) -> Self {
        self.child(Node::Text(text.into()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|c| match c {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }
}

/// For tests: reading a tree as a person or a test would.
#[cfg(test)]
impl El {
    /// The element with this id, here or below.
    pub fn find(&self, id: &str) -> Option<&El> {
        if self.get("id") == Some(id) {
            return Some(self);
        }
        self.elements().find_map(|child| child.find(id))
    }

    /// Every element here and below, in document order.
    pub fn all(&self) -> Vec<&El> {
        let mut found = vec![self];
        for child in self.elements() {
            found.extend(child.all());
        }
        found
    }

    /// The text a reader sees, as `textContent` would give it.
    pub fn text_content(&self) -> String {
        self.children
            .iter()
            .map(|c| match c {
                Node::El(e) => e.text_content(),
                Node::Text(t) => t.clone(),
            })
            .collect()
    }
}

impl From<El> for Node {
    fn from(el: El) -> Node {
        Node::El(el)
    }
}

impl From<&str> for Node {
    fn from(text: &str) -> Node {
        Node::Text(text.to_owned())
    }
}

impl From<String> for Node {
    fn from(text: String) -> Node {
        Node::Text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_is_built_and_searched_as_written() {
        let tree = el("section")
            .class("card")
            .child(el("h1").id("title").text("Hello, ").text(String::from("Ana")))
            .maybe(None)
            .child(
                el("button")
                    .id("go")
                    .flag("disabled", true)
                    .flag("hidden", false)
                    .does("start"),
            );
        assert_eq!(tree.find("title").unwrap().text_content(), "Hello, Ana");
        let go = tree.find("go").unwrap();
        assert_eq!(go.get("disabled"), Some(""));
        assert_eq!(go.get("hidden"), None);
        assert_eq!(go.get("data-do"), Some("start"));
        assert_eq!(tree.all().len(), 3);
        assert!(tree.find("nowhere").is_none());
    }
}
