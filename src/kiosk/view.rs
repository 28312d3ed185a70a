//! What the tablet shows, as a tree (`kiosk::tree`) drawn from the machine and the few things
//! only the page knows (`Ui`). Screens speak the patient's language; the staff dialog is in
//! English. Targets are at least 64 px (style/main.css). What a control does is named by its
//! `data-do` (see `kiosk_app`).

use super::{
    i18n::{DateOrder, Lang, Texts},
    machine::{BirthdateError, EndReason, Machine, Phase, Screen},
    model::StepLabels,
    staff::{StaffDialog, View},
    tree::{el, El},
};

/// The birthdate's fields, read when the form is sent.
pub const BIRTH_DAY: &str = "kiosk-birth-day";
pub const BIRTH_MONTH: &str = "kiosk-birth-month";
pub const BIRTH_YEAR: &str = "kiosk-birth-year";

/// What the page knows beside the machine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ui {
    /// The kiosk's name as staff paired it (shown while waiting).
    pub kiosk_name: String,
    /// Today's date in the patient's language (from the browser's clock).
    pub today: String,
    /// Larger text and more contrast.
    pub large: bool,
    /// How much of the photo on its way has been sent, in percent.
    pub progress: Option<u8>,
    /// The object URL of the photo taken for the step on screen.
    pub photo: Option<String>,
    pub staff: Option<StaffDialog>,
}

/// The whole app: the bar, the screen, and the dialogs over it.
pub fn page(m: &Machine, ui: &Ui) -> El {
    let t = m.lang.texts();
    el("div")
        .class(if ui.large { "kiosk large" } else { "kiosk" })
        .child(
            el("header")
                .class("kiosk-bar")
                .child(el("span").class("brand").text(t.brand))
                .child(
                    el("span")
                        .class("kiosk-today")
                        .id("kiosk-today")
                        .text(ui.today.as_str()),
                )
                // The pressed state shows as a filled, ticked button.
                .child(
                    button("kiosk-toggle", "large", t.larger_text)
                        .attr("aria-pressed", if ui.large { "true" } else { "false" }),
                )
                .child(button("kiosk-staff", "staff", t.staff)),
        )
        .child(
            el("main")
                .id("main")
                .class("kiosk-main")
                .attr("tabindex", "-1")
                .maybe(screen(m, ui, t)),
        )
        .maybe(m.warning.map(|seconds| idle_warning(t, seconds)))
        .maybe(ui.staff.as_ref().map(staff_dialog))
}

fn button(class: &str, action: &str, label: &str) -> El {
    el("button")
        .attr("type", "button")
        .class(class)
        .does(action)
        .text(label)
}

/// A screen's section, named by its title; `key` makes each screen a new element.
fn card(key: impl Into<String>) -> El {
    card_with_class(key, "kiosk-card")
}

fn card_with_class(key: impl Into<String>, class: &str) -> El {
    el("section")
        .key(key)
        .class(class)
        .attr("aria-labelledby", "kiosk-title")
}

/// The screen's title, focused when the screen changes.
fn title(text: impl Into<String>) -> El {
    el("h1").id("kiosk-title").attr("tabindex", "-1").text(text)
}

fn first_name(m: &Machine) -> &str {
    m.intake.as_ref().map_or("", |i| i.first_name.as_str())
}

fn screen(m: &Machine, ui: &Ui, t: &Texts) -> Option<El> {
    Some(match m.screen {
        Screen::Offline => card("offline")
            .child(title(t.offline_title))
            .child(el("p").attr("role", "status").text(t.offline_body)),
        Screen::Waiting => card("waiting")
            .child(title(t.waiting_title))
            .child(el("p").text(t.waiting_body))
            .child(
                el("p")
                    .class("kiosk-notice")
                    .id("kiosk-name")
                    .text(ui.kiosk_name.as_str()),
            ),
        Screen::Welcome => welcome(m, t),
        Screen::Birthdate => birthdate(m, t),
        Screen::Step(index) => photo_step(m, ui, t, index)?,
        Screen::Done => card("done")
            .child(title((t.thanks)(first_name(m))))
            .child(el("p").text(t.all_set))
            .child(button("kiosk-primary", "done", t.done).id("kiosk-done")),
        Screen::Ended(reason) => card("ended")
            .child(title(if reason == EndReason::LockedOut {
                t.locked_out
            } else {
                t.ended_title
            }))
            .maybe((reason == EndReason::Idle).then(|| el("p").text(t.ended_idle)))
            .child(el("p").text(t.see_front_desk)),
    })
}

fn welcome(m: &Machine, t: &Texts) -> El {
    let languages = Lang::ALL.into_iter().map(|lang| {
        let code = lang.code();
        button(
            "kiosk-secondary kiosk-language",
            &format!("lang-{code}"),
            lang.texts().name,
        )
        .attr("lang", code)
        .id(&format!("kiosk-lang-{code}"))
        .attr("aria-pressed", if m.lang == lang { "true" } else { "false" })
    });
    card("welcome")
        .child(title((t.hello)(first_name(m))))
        .child(el("p").text(t.welcome_body))
        .child(
            el("div")
                .class("kiosk-languages")
                .attr("role", "group")
                .attr("aria-label", t.choose_language)
                .children(languages),
        )
        .child(button("kiosk-primary", "start", t.start).id("kiosk-start"))
}

fn birthdate(m: &Machine, t: &Texts) -> El {
    let intake = m.intake.as_ref();
    let checking = intake.is_some_and(|i| i.checking);
    let error = intake.and_then(|i| i.birthdate_error.as_ref()).map(|e| match e {
        BirthdateError::Local(problem) => problem.text(t).to_owned(),
        BirthdateError::Wrong(left) => (t.birthdate_wrong)(*left),
        BirthdateError::Unreachable => t.birthdate_unreachable.to_owned(),
    });
    let field = |id: &str, label: &str, size: u32| {
        el("div")
            .class("kiosk-date-part")
            .child(el("label").attr("for", id).text(label))
            .child(
                el("input")
                    .id(id)
                    .attr("type", "text")
                    .attr("inputmode", "numeric")
                    .attr("autocomplete", "off")
                    .attr("maxlength", size.to_string())
                    .attr("size", size.to_string())
                    .class(if size == 4 { "kiosk-date-4" } else { "kiosk-date-2" }),
            )
    };
    let (day, month, year) = (
        field(BIRTH_DAY, t.day, 2),
        field(BIRTH_MONTH, t.month, 2),
        field(BIRTH_YEAR, t.year, 4),
    );
    let fields = match t.date_order {
        DateOrder::MonthDayYear => [month, day, year],
        DateOrder::DayMonthYear => [day, month, year],
    };
    el("form")
        .key("birthdate")
        .class("kiosk-card")
        .does("birthdate")
        .attr("aria-labelledby", "kiosk-title")
        .child(title(t.birthdate_title))
        .child(el("p").text(t.birthdate_intro))
        .child(
            el("fieldset")
                .class("kiosk-date")
                .attr("aria-describedby", "kiosk-date-hint")
                .child(el("legend").text(t.birthdate_legend))
                .children(fields),
        )
        .child(
            el("p")
                .id("kiosk-date-hint")
                .class("kiosk-notice")
                .text(t.date_example()),
        )
        .child(
            el("div")
                .attr("role", "alert")
                .id("kiosk-birthdate-error")
                .maybe(error.map(|e| el("p").class("kiosk-error").text(e))),
        )
        .child(
            el("button")
                .attr("type", "submit")
                .class("kiosk-primary")
                .id("kiosk-check")
                .flag("disabled", checking)
                .text(if checking { t.checking } else { t.check }),
        )
}

fn photo_step(m: &Machine, ui: &Ui, t: &Texts, index: usize) -> Option<El> {
    let step = m.step(index)?;
    let count = m.intake.as_ref().map_or(0, |i| i.steps.len());
    let kind = step.kind;
    let name = (t.step_title)(kind);
    let skip = || button("kiosk-secondary", "skip", t.skip).id("kiosk-skip");
    let retake = || button("kiosk-secondary", "retake", t.retake).id("kiosk-retake");
    let actions = || el("div").class("kiosk-actions");
    let file_input = |id: &str| {
        el("input")
            .id(id)
            .class("file-input")
            .attr("type", "file")
            .attr("accept", "image/*")
            .does("photo")
    };
    let capture = || {
        actions()
            .child(
                el("label")
                    .class("kiosk-primary")
                    .attr("for", "kiosk-camera")
                    .text(t.take_photo),
            )
            .child(file_input("kiosk-camera").attr("capture", kind.camera()))
            .child(
                el("label")
                    .class("kiosk-secondary")
                    .attr("for", "kiosk-library")
                    .text(t.choose_photo),
            )
            .child(file_input("kiosk-library"))
            .child(skip())
    };
    let preview = || {
        ui.photo.as_ref().map(|url| {
            el("img")
                .class("kiosk-preview")
                .attr("src", url.as_str())
                .attr("alt", (t.your_photo)(name))
        })
    };
    let status = |text: String| el("p").attr("role", "status").attr("aria-live", "polite").text(text);
    let error = |text: &str| el("p").class("kiosk-error").attr("role", "alert").text(text);
    // Whole percents: an attribute from a float would bring float formatting into the
    // kiosk's wasm for nothing the patient can see.
    let progress = |percent: Option<u8>| {
        let bar = el("progress").class("kiosk-progress");
        match percent {
            Some(p) => bar.attr("max", "100").attr("value", p.to_string()),
            None => bar,
        }
        .attr("aria-hidden", "true")
    };
    let section = card_with_class(format!("step-{index}"), "kiosk-card kiosk-step")
        .child(el("p").class("kiosk-count").text((t.step_count)(index + 1, count)))
        .child(title(name))
        .child(el("p").text((t.step_instruction)(kind)));
    let phase: Vec<El> = match step.phase {
        Phase::Capture => vec![capture()],
        Phase::Refused { too_large } => vec![error(if too_large { t.too_large } else { t.refused }), capture()],
        Phase::Preview => preview()
            .into_iter()
            .chain([actions()
                .child(button("kiosk-primary", "use", t.use_photo).id("kiosk-use"))
                .child(retake())
                .child(skip())])
            .collect(),
        Phase::Sending { attempt } => vec![
            progress(ui.progress),
            status(if attempt > 1 {
                (t.sending_try)(attempt)
            } else {
                t.sending.to_owned()
            })
            .id("kiosk-sending"),
        ],
        Phase::Retrying { wait_ms, .. } => vec![progress(None), status((t.retrying_in)(wait_ms.div_ceil(1000)))],
        Phase::Offline { .. } => preview()
            .into_iter()
            .chain([
                status(t.offline_photo.to_owned())
                    .class("kiosk-waiting")
                    .id("kiosk-offline"),
                actions().child(retake()).child(skip()),
            ])
            .collect(),
        Phase::NotSent => vec![
            error(t.not_sent),
            actions()
                .child(button("kiosk-primary", "try-again", t.try_again).id("kiosk-try-again"))
                .child(retake())
                .child(skip()),
        ],
        Phase::Arrived | Phase::Skipped => vec![el("p").attr("role", "status").text(t.arrived)],
    };
    Some(section.children(phase))
}

/// A modal `<dialog>` (`kiosk_app::dom` opens it with `showModal()`, focuses `initial`, keeps
/// Tab inside, and turns Escape into `cancel`).
fn dialog(id: &str, class: &str, labelled_by: &str, cancel: &str) -> El {
    el("dialog")
        .id(id)
        .class(class)
        .attr("aria-modal", "true")
        .attr("aria-labelledby", labelled_by)
        .attr("data-cancel", cancel)
}

/// "Are you still there?" before the reset, counting down.
fn idle_warning(t: &Texts, seconds: u32) -> El {
    dialog("idle-dialog", "kiosk-dialog", "idle-title", "still-here")
        .attr("role", "alertdialog")
        .attr("aria-describedby", "idle-text")
        .attr("data-focus", "kiosk-still-here")
        .child(
            el("div")
                .class("kiosk-card")
                .child(el("h2").id("idle-title").text(t.idle_title))
                .child(
                    el("p")
                        .id("idle-text")
                        .attr("aria-live", "assertive")
                        .text((t.idle_text)(seconds)),
                )
                .child(button("kiosk-primary", "still-here", t.still_here).id("kiosk-still-here")),
        )
}

/// A failure, announced to screen readers at once (the staff app's `ErrorNotice`).
fn notice(message: &str) -> El {
    el("div").class("notice error").attr("role", "alert").text(message)
}

fn staff_dialog(d: &StaffDialog) -> El {
    let body: Vec<El> = match d.view {
        View::Menu => vec![el("div")
            .class("kiosk-actions")
            .child(button("kiosk-primary", "staff-sign-in", "Start an intake on this tablet").id("kiosk-staff-start"))
            .child(button("kiosk-secondary", "staff-exit", "Leave kiosk mode").id("kiosk-staff-exit"))],
        View::SignIn => vec![el("p").text("Sign in to choose the patient."), sign_in_form(d)],
        View::Search => search(d),
        View::Exit => vec![exit_form(d)],
    };
    // Keyed by the view, so each view starts with empty fields.
    let view_key = match d.view {
        View::Menu => "menu",
        View::SignIn => "sign-in",
        View::Search => "search",
        View::Exit => "exit",
    };
    dialog(
        "staff-dialog",
        "kiosk-dialog kiosk-staff-dialog",
        "staff-title",
        "staff-cancel",
    )
    .attr("role", "dialog")
    .child(
        el("div")
            .class("kiosk-card")
            .child(el("h2").id("staff-title").text("Staff"))
            .children(body.into_iter().map(|e| e.key(view_key)))
            .child(button("kiosk-secondary", "staff-cancel", "Cancel").id("kiosk-staff-cancel")),
    )
}

fn labelled_input(id: &str, label: &str, kind: &str) -> [El; 2] {
    [
        el("label").attr("for", id).text(label),
        el("input").id(id).attr("type", kind),
    ]
}

/// Username, password, "Sign in" (the staff app's sign-in form, with the kiosk's ids).
fn sign_in_form(d: &StaffDialog) -> El {
    let [user_label, user] = labelled_input("kiosk-username", "Username", "text");
    let [pass_label, pass] = labelled_input("kiosk-password", "Password", "password");
    el("form")
        .id("kiosk-sign-in")
        .class("form sign-in-form")
        .does("sign-in")
        .child(user_label)
        .child(
            user.attr("name", "username")
                .attr("autocomplete", "username")
                .attr("autocapitalize", "none")
                .attr("spellcheck", "false")
                .flag("required", true),
        )
        .child(pass_label)
        .child(
            pass.attr("name", "password")
                .attr("autocomplete", "current-password")
                .flag("required", true),
        )
        .child(
            el("div")
                .id("kiosk-sign-in-error")
                .maybe(d.problem.as_deref().map(notice)),
        )
        .child(
            el("div").class("actions").child(
                el("button")
                    .attr("type", "submit")
                    .id("kiosk-sign-in-submit")
                    .class("primary")
                    .flag("disabled", d.busy)
                    .text(if d.busy { "Signing in…" } else { "Sign in" }),
            ),
        )
}

/// Finds the patient by last name and starts their intake on this tablet.
fn search(d: &StaffDialog) -> Vec<El> {
    let [label, input] = labelled_input("kiosk-search-last", "Patient's last name", "text");
    let form = el("form")
        .class("form")
        .does("search")
        .child(label)
        .child(input.attr("autocomplete", "off"))
        .child(
            el("button")
                .attr("type", "submit")
                .class("kiosk-primary")
                .id("kiosk-search")
                .text("Search"),
        );
    let found = match &d.found {
        None => None,
        Some(Err(message)) => Some(notice(message)),
        Some(Ok(patients)) => Some(el("ul").class("kiosk-patients").children(patients.iter().map(|p| {
            el("li").child(el("span").text(p.label.as_str())).child(
                button("kiosk-primary kiosk-start-here", "start-here", "Start intake here")
                    .attr("data-pat-num", p.pat_num.to_string()),
            )
        }))),
    };
    [Some(form), d.problem.as_deref().map(notice), found]
        .into_iter()
        .flatten()
        .collect()
}

/// Leaving kiosk mode: a staff member's username and password, checked by the gateway.
fn exit_form(d: &StaffDialog) -> El {
    let [user_label, user] = labelled_input("kiosk-exit-username", "Username", "text");
    let [pass_label, pass] = labelled_input("kiosk-exit-password", "Password", "password");
    el("form")
        .class("form")
        .id("kiosk-exit")
        .does("exit")
        .child(el("p").text("A staff member's sign-in ends kiosk mode on this tablet."))
        .child(user_label)
        .child(user.attr("autocomplete", "off").attr("autocapitalize", "none"))
        .child(pass_label)
        .child(pass.attr("autocomplete", "off"))
        .child(
            el("div")
                .attr("role", "alert")
                .id("kiosk-exit-error")
                .maybe(d.problem.as_deref().map(|p| el("p").class("kiosk-error").text(p))),
        )
        .child(
            el("button")
                .attr("type", "submit")
                .class("kiosk-primary")
                .id("kiosk-exit-submit")
                .flag("disabled", d.busy)
                .text("Leave kiosk mode"),
        )
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
