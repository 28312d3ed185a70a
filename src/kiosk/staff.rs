//! The tablet's discreet "Staff" dialog as plain state: a staff member signs in to start an
//! intake here, or leaves kiosk mode with their username and password. Staff screens are in
//! English. Nothing of a staff session stays on the tablet: starting an intake ends it (the
//! gateway clears the cookie), and closing the dialog signs out (`kiosk_app` does the calls).

/// A patient staff may start an intake for: only what the list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub pat_num: i64,
    /// "Last, First (birthdate)".
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Menu,
    SignIn,
    Search,
    Exit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffDialog {
    pub view: View,
    /// A staff session exists on this tablet (signed in, no intake started yet): closing the
    /// dialog ends it.
    pub signed_in: bool,
    /// A sign-in or exit request is on its way.
    pub busy: bool,
    pub problem: Option<String>,
    /// The last search's answer.
    pub found: Option<Result<Vec<Choice>, String>>,
}

impl StaffDialog {
    pub fn new() -> Self {
        StaffDialog {
            view: View::Menu,
            signed_in: false,
            busy: false,
            problem: None,
            found: None,
        }
    }

    pub fn show(&mut self, view: View) {
        self.view = view;
        self.busy = false;
        self.problem = None;
        self.found = None;
    }

    /// "Sign in" pressed: whether to send the request (a request already on its way, or an
    /// empty field, sends nothing).
    pub fn sign_in(&mut self, username: &str, password: &str) -> bool {
        if self.busy {
            return false;
        }
        if username.trim().is_empty() || password.is_empty() {
            self.problem = Some("Enter your username and your password.".into());
            return false;
        }
        self.busy = true;
        self.problem = None;
        true
    }

    pub fn signed_in_as_staff(&mut self) {
        self.signed_in = true;
        self.show(View::Search);
    }

    /// A sign-in or exit request failed: the gateway's sentence, verbatim.
    pub fn failed(&mut self, problem: String) {
        self.busy = false;
        self.problem = Some(problem);
    }

    pub fn searched(&mut self, found: Result<Vec<Choice>, String>) {
        self.problem = None;
        self.found = Some(found);
    }

    /// "Leave kiosk mode" pressed with a username and password: whether to send it.
    pub fn exit(&mut self) -> bool {
        if self.busy {
            return false;
        }
        self.busy = true;
        self.problem = None;
        true
    }
}

impl Default for StaffDialog {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_in_needs_both_fields_and_one_request_at_a_time() {
        let mut dialog = StaffDialog::new();
        dialog.show(View::SignIn);
        assert!(!dialog.sign_in("  ", "secret"));
        assert_eq!(
            dialog.problem.as_deref(),
            Some("Enter your username and your password.")
        );
        assert!(dialog.sign_in("maria", "secret"));
        assert!(dialog.busy && dialog.problem.is_none());
        assert!(
            !dialog.sign_in("maria", "secret"),
            "a second press while it is on its way"
        );
        dialog.failed("Wrong username or password.".into());
        assert!(!dialog.busy);
        assert!(dialog.sign_in("maria", "right"));
        dialog.signed_in_as_staff();
        assert_eq!(dialog.view, View::Search);
        assert!(dialog.signed_in && !dialog.busy);
    }

    #[test]
    fn a_search_answer_replaces_the_last_problem() {
        let mut dialog = StaffDialog::new();
        dialog.signed_in_as_staff();
        dialog.failed("Could not start the intake.".into());
        dialog.searched(Ok(vec![Choice {
            pat_num: 1,
            label: "Doe, Jane (1980-01-02)".into(),
        }]));
        assert!(dialog.problem.is_none());
        assert_eq!(dialog.found.as_ref().unwrap().as_ref().unwrap().len(), 1);
    }

    #[test]
    fn leaving_sends_once_until_it_fails() {
        let mut dialog = StaffDialog::new();
        dialog.show(View::Exit);
        assert!(dialog.exit());
        assert!(!dialog.exit());
        dialog.failed("Only staff can do that.".into());
        assert!(dialog.exit());
    }
}
