//! The optimistic priority change, as plain data: a new priority shows at once, and each
//! answer decides what the row shows afterwards. Answers can arrive in any order.
//!
//! The rule: while a row's newest edit is on its way, the row shows that edit's priority.
//! Otherwise it shows what Open Dental last confirmed: the answer to the newest edit saved so
//! far (by the order the edits were made, not the order the answers came), else the priority
//! as loaded or attached. So a failure of the newest edit rolls the row back to that, an older
//! edit saved afterwards moves it forward to the older edit's answer (it is then the newest
//! saved), and an answer to an edit older than one already saved changes nothing.

use std::collections::HashMap;

use opendental::treatment::TreatPlanAttach;

/// A priority as a row shows it: the DefNum (0 for none) and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub priority: i64,
    pub label: String,
}

impl From<&TreatPlanAttach> for Shown {
    fn from(attach: &TreatPlanAttach) -> Self {
        Shown {
            priority: attach.priority,
            label: attach.priority_label.clone(),
        }
    }
}

/// One edit on its way to the server, from `PendingEdits::begin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    pub attach_num: i64,
    number: u64,
}

/// What to show once an edit's answer is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled<E> {
    /// The edit was saved and the row now shows what the server kept: it was the row's newest
    /// edit, or the newer ones have failed and it is the newest saved.
    Saved(Shown),
    /// The edit was saved but the row keeps what it shows: a newer edit is still on its way,
    /// or a newer edit was saved already.
    Overtaken,
    /// The row's newest edit failed: show `back` (what Open Dental last confirmed), if known.
    RolledBack { back: Option<Shown>, error: E },
    /// An older edit failed: the row keeps what it shows; only report it.
    FailedOvertaken(E),
}

/// One row's edits.
#[derive(Debug, Default)]
struct Row {
    /// What Open Dental last confirmed, if anything is known.
    confirmed: Option<Shown>,
    /// The number of the edit `confirmed` answered (what is loaded or attached counts as
    /// answering every edit made before it).
    confirmed_by: u64,
    /// The number of the row's newest edit (0: none yet).
    newest: u64,
    /// Whether the newest edit's answer is still to come (the row shows its priority meanwhile).
    newest_open: bool,
}

/// Every row's edits, by attach.
#[derive(Debug, Default)]
pub struct PendingEdits {
    rows: HashMap<i64, Row>,
}

impl PendingEdits {
    /// Starts from the plan's attaches as loaded.
    pub fn new<'a>(attaches: impl IntoIterator<Item = &'a TreatPlanAttach>) -> Self {
        let mut edits = PendingEdits::default();
        for attach in attaches {
            edits.confirm(attach);
        }
        edits
    }

    /// The server holds `attach` as it is (loaded, or just attached).
    pub fn confirm(&mut self, attach: &TreatPlanAttach) {
        let row = self.rows.entry(attach.treat_plan_attach_num).or_default();
        row.confirmed = Some(Shown::from(attach));
        row.confirmed_by = row.newest;
    }

    /// A new edit of the row: it becomes the row's newest, overtaking any still on its way.
    pub fn begin(&mut self, attach_num: i64) -> Edit {
        let row = self.rows.entry(attach_num).or_default();
        row.newest += 1;
        row.newest_open = true;
        Edit {
            attach_num,
            number: row.newest,
        }
    }

    /// The answer to `edit`: what the row shows from now on.
    pub fn settle<E>(&mut self, edit: Edit, answer: Result<TreatPlanAttach, E>) -> Settled<E> {
        let row = self.rows.entry(edit.attach_num).or_default();
        let is_newest = row.newest == edit.number;
        if is_newest {
            row.newest_open = false;
        }
        match answer {
            Ok(saved) => {
                // Only an edit newer than the one last confirmed tells what the server holds.
                if edit.number <= row.confirmed_by {
                    return Settled::Overtaken;
                }
                let shown = Shown::from(&saved);
                row.confirmed = Some(shown.clone());
                row.confirmed_by = edit.number;
                if row.newest_open {
                    Settled::Overtaken
                } else {
                    Settled::Saved(shown)
                }
            }
            Err(error) if is_newest => Settled::RolledBack {
                back: row.confirmed.clone(),
                error,
            },
            Err(error) => Settled::FailedOvertaken(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attach(num: i64, priority: i64, label: &str) -> TreatPlanAttach {
        TreatPlanAttach {
            treat_plan_attach_num: num,
            priority,
            priority_label: label.into(),
            ..Default::default()
        }
    }

    fn shown(priority: i64, label: &str) -> Shown {
        Shown {
            priority,
            label: label.into(),
        }
    }

    #[test]
    fn a_saved_edit_shows_what_the_server_kept() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let edit = edits.begin(1);
        // The server's label wins over the one shown while waiting.
        assert_eq!(
            edits.settle::<()>(edit, Ok(attach(1, 24, "1"))),
            Settled::Saved(shown(24, "1"))
        );
    }

    #[test]
    fn a_failed_edit_rolls_back_to_the_last_confirmed_priority() {
        let mut edits = PendingEdits::new(&[attach(1, 22, "2")]);
        let edit = edits.begin(1);
        assert_eq!(
            edits.settle(edit, Err("refused")),
            Settled::RolledBack {
                back: Some(shown(22, "2")),
                error: "refused"
            }
        );
    }

    #[test]
    fn a_rollback_goes_to_the_last_saved_edit_not_to_the_loaded_priority() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let first = edits.begin(1);
        assert_eq!(
            edits.settle::<()>(first, Ok(attach(1, 24, "1"))),
            Settled::Saved(shown(24, "1"))
        );
        let second = edits.begin(1);
        assert_eq!(
            edits.settle(second, Err(())),
            Settled::RolledBack {
                back: Some(shown(24, "1")),
                error: ()
            }
        );
    }

    #[test]
    fn an_older_answer_arriving_last_does_not_overwrite_the_newer_edit() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let older = edits.begin(1);
        let newer = edits.begin(1);
        assert_eq!(
            edits.settle::<()>(newer, Ok(attach(1, 26, "3"))),
            Settled::Saved(shown(26, "3"))
        );
        assert_eq!(edits.settle::<()>(older, Ok(attach(1, 24, "1"))), Settled::Overtaken);
    }

    #[test]
    fn a_newer_edit_supersedes_an_older_ones_failure() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let older = edits.begin(1);
        let newer = edits.begin(1);
        // The older failure is reported, but the row keeps showing the newer edit.
        assert_eq!(edits.settle(older, Err("busy")), Settled::FailedOvertaken("busy"));
        assert_eq!(
            edits.settle::<&str>(newer, Ok(attach(1, 26, "3"))),
            Settled::Saved(shown(26, "3"))
        );
    }

    #[test]
    fn an_overtaken_success_still_counts_as_confirmed_for_a_later_rollback() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let older = edits.begin(1);
        let newer = edits.begin(1);
        assert_eq!(edits.settle::<()>(older, Ok(attach(1, 24, "1"))), Settled::Overtaken);
        assert_eq!(
            edits.settle(newer, Err(())),
            Settled::RolledBack {
                back: Some(shown(24, "1")),
                error: ()
            }
        );
    }

    #[test]
    fn rows_are_independent() {
        let mut edits = PendingEdits::new(&[attach(1, 0, ""), attach(2, 22, "2")]);
        let row1 = edits.begin(1);
        let row2 = edits.begin(2);
        // Row 2's edit does not make row 1's answer stale, nor the other way round.
        assert_eq!(
            edits.settle(row2, Err(())),
            Settled::RolledBack {
                back: Some(shown(22, "2")),
                error: ()
            }
        );
        assert_eq!(
            edits.settle::<()>(row1, Ok(attach(1, 25, "Low"))),
            Settled::Saved(shown(25, "Low"))
        );
    }

    #[test]
    fn a_row_attached_after_loading_rolls_back_to_its_attached_priority() {
        let mut edits = PendingEdits::new(&[]);
        edits.confirm(&attach(7, 21, "Wait"));
        let edit = edits.begin(7);
        assert_eq!(
            edits.settle(edit, Err(())),
            Settled::RolledBack {
                back: Some(shown(21, "Wait")),
                error: ()
            }
        );
    }

    #[test]
    fn an_older_edit_saved_after_the_newest_failed_moves_the_row_to_it() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let older = edits.begin(1);
        let newest = edits.begin(1);
        // Nothing is saved yet: back to what Open Dental holds.
        assert_eq!(
            edits.settle(newest, Err(())),
            Settled::RolledBack {
                back: Some(shown(0, "")),
                error: ()
            }
        );
        // The older edit is now the newest saved, so the row shows it.
        assert_eq!(
            edits.settle::<()>(older, Ok(attach(1, 24, "1"))),
            Settled::Saved(shown(24, "1"))
        );
    }

    #[test]
    fn after_the_newest_failed_only_the_newest_saved_of_the_older_edits_shows() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let first = edits.begin(1);
        let second = edits.begin(1);
        let third = edits.begin(1);
        assert!(matches!(edits.settle(third, Err(())), Settled::RolledBack { .. }));
        assert_eq!(
            edits.settle::<()>(second, Ok(attach(1, 26, "3"))),
            Settled::Saved(shown(26, "3"))
        );
        // The first answer comes last but is older than the second: it changes nothing.
        assert_eq!(edits.settle::<()>(first, Ok(attach(1, 24, "1"))), Settled::Overtaken);
        let fourth = edits.begin(1);
        assert_eq!(
            edits.settle(fourth, Err(())),
            Settled::RolledBack {
                back: Some(shown(26, "3")),
                error: ()
            }
        );
    }

    #[test]
    fn an_older_answer_arriving_last_is_not_what_a_later_rollback_goes_back_to() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let older = edits.begin(1);
        let newer = edits.begin(1);
        assert_eq!(
            edits.settle::<()>(newer, Ok(attach(1, 26, "3"))),
            Settled::Saved(shown(26, "3"))
        );
        assert_eq!(edits.settle::<()>(older, Ok(attach(1, 24, "1"))), Settled::Overtaken);
        let next = edits.begin(1);
        assert_eq!(
            edits.settle(next, Err(())),
            Settled::RolledBack {
                back: Some(shown(26, "3")),
                error: ()
            }
        );
    }

    #[test]
    fn an_older_failure_after_the_newest_failed_is_only_reported() {
        let mut edits = PendingEdits::new(&[attach(1, 22, "2")]);
        let older = edits.begin(1);
        let newest = edits.begin(1);
        assert!(matches!(edits.settle(newest, Err("busy")), Settled::RolledBack { .. }));
        assert_eq!(edits.settle(older, Err("gone")), Settled::FailedOvertaken("gone"));
        // Nothing was saved: a later failure still goes back to the loaded priority.
        let next = edits.begin(1);
        assert_eq!(
            edits.settle(next, Err("refused")),
            Settled::RolledBack {
                back: Some(shown(22, "2")),
                error: "refused"
            }
        );
    }

    #[test]
    fn after_a_rollback_a_new_edit_on_its_way_keeps_the_row_while_an_older_one_is_saved() {
        let mut edits = PendingEdits::new(&[attach(1, 0, "")]);
        let first = edits.begin(1);
        let second = edits.begin(1);
        assert!(matches!(edits.settle(second, Err(())), Settled::RolledBack { .. }));
        let third = edits.begin(1);
        // The third edit shows until its answer; the first one's success waits behind it.
        assert_eq!(edits.settle::<()>(first, Ok(attach(1, 24, "1"))), Settled::Overtaken);
        assert_eq!(
            edits.settle(third, Err(())),
            Settled::RolledBack {
                back: Some(shown(24, "1")),
                error: ()
            }
        );
    }

    #[test]
    fn a_row_never_confirmed_has_nothing_to_roll_back_to() {
        let mut edits = PendingEdits::new(&[]);
        let edit = edits.begin(5);
        assert_eq!(
            edits.settle(edit, Err(())),
            Settled::RolledBack { back: None, error: () }
        );
    }
}
