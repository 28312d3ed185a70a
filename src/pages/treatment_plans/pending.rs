//! The optimistic priority change, as plain data: a new priority shows at once, and each
//! answer decides what the row shows afterwards. Only the answer to a row's latest edit may
//! change the row (answers can arrive in any order); a failure of the latest edit shows the
//! priority the server last confirmed again, while a failure of an older one leaves the
//! newer edit on screen (it is still on its way) and is only reported.

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
    /// The row's latest edit was saved: show what the server kept.
    Saved(Shown),
    /// An older edit was saved while a newer one is on its way: the row keeps the newer.
    Overtaken,
    /// The row's latest edit failed: show `back` (the last confirmed priority), if known.
    RolledBack { back: Option<Shown>, error: E },
    /// An older edit failed while a newer one is on its way: only report it.
    FailedOvertaken(E),
}

/// Per attach: what the server last confirmed, and the number of the latest edit.
#[derive(Debug, Default)]
pub struct PendingEdits {
    confirmed: HashMap<i64, Shown>,
    latest: HashMap<i64, u64>,
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
        self.confirmed.insert(attach.treat_plan_attach_num, Shown::from(attach));
    }

    /// A new edit of the row: it becomes the row's latest, overtaking any still on its way.
    pub fn begin(&mut self, attach_num: i64) -> Edit {
        let number = self.latest.entry(attach_num).or_default();
        *number += 1;
        Edit {
            attach_num,
            number: *number,
        }
    }

    /// The answer to `edit`: what the row shows from now on.
    pub fn settle<E>(&mut self, edit: Edit, answer: Result<TreatPlanAttach, E>) -> Settled<E> {
        let is_latest = self.latest.get(&edit.attach_num) == Some(&edit.number);
        match answer {
            Ok(saved) => {
                self.confirm(&saved);
                if is_latest {
                    Settled::Saved(Shown::from(&saved))
                } else {
                    Settled::Overtaken
                }
            }
            Err(error) if is_latest => Settled::RolledBack {
                back: self.confirmed.get(&edit.attach_num).cloned(),
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
}
