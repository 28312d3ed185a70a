//! The staff dialog's requests (its state and what it shows are `kiosk::staff` and
//! `kiosk::view`): sign in, find the patient, start their intake here, leave kiosk mode, and
//! sign out when the dialog closes with a staff session still open.

use wasm_bindgen_futures::spawn_local;

use super::{dom, runtime::leave_kiosk_mode, Kiosk};
use crate::{
    gateway::{self, kiosk as api},
    kiosk::{
        machine::Event,
        staff::{Choice, StaffDialog, View},
    },
};

fn update(kiosk: &Kiosk, change: impl FnOnce(&mut StaffDialog)) {
    kiosk.update_ui(|ui| {
        if let Some(dialog) = ui.staff.as_mut() {
            change(dialog);
        }
    });
}

fn focus_the_dialog() {
    dom::focus_first_in("staff-dialog");
}

/// Another view of the dialog, its first field focused (the button pressed is gone).
pub fn show(kiosk: &Kiosk, view: View) {
    update(kiosk, |d| d.show(view));
    focus_the_dialog();
}

/// Closes the dialog; a staff session opened in it ends.
pub fn close(kiosk: &Kiosk) {
    let signed_in = kiosk.with_ui(|ui| ui.staff.as_ref().is_some_and(|d| d.signed_in));
    if signed_in {
        spawn_local(async {
            let _ = gateway::sign_out().await;
        });
    }
    kiosk.update_ui(|ui| ui.staff = None);
}

pub fn sign_in(kiosk: &Kiosk) {
    let (username, password) = (dom::input_value("kiosk-username"), dom::input_value("kiosk-password"));
    let mut send = false;
    update(kiosk, |d| send = d.sign_in(&username, &password));
    if !send {
        return;
    }
    let kiosk = kiosk.clone();
    spawn_local(async move {
        let result = gateway::sign_in(username.trim(), &password).await;
        dom::clear_input("kiosk-password");
        match result {
            Ok(_) => {
                update(&kiosk, StaffDialog::signed_in_as_staff);
                focus_the_dialog();
            }
            Err(message) => {
                update(&kiosk, |d| d.failed(message));
                dom::focus("kiosk-password");
            }
        }
    });
}

pub fn search(kiosk: &Kiosk) {
    let query = dom::input_value("kiosk-search-last");
    let kiosk = kiosk.clone();
    spawn_local(async move {
        let found = api::find_patients(&query).await.map(|patients| {
            patients
                .into_iter()
                .map(|p| Choice {
                    pat_num: p.pat_num,
                    label: format!("{}, {} ({})", p.l_name, p.f_name, p.birthdate),
                })
                .collect()
        });
        update(&kiosk, |d| d.searched(found));
    });
}

/// Starts the patient's intake here. The gateway ends the staff session as it does.
pub fn start_here(kiosk: &Kiosk, pat_num: i64) {
    let kiosk = kiosk.clone();
    spawn_local(async move {
        match api::start_here(pat_num).await {
            Ok(state) => {
                kiosk.update_ui(|ui| ui.staff = None);
                kiosk.send(Event::State(state));
            }
            Err(message) => update(&kiosk, |d| d.failed(message)),
        }
    });
}

/// Leaving kiosk mode: a staff member's username and password, checked by the gateway.
pub fn exit(kiosk: &Kiosk) {
    let (username, password) = (
        dom::input_value("kiosk-exit-username"),
        dom::input_value("kiosk-exit-password"),
    );
    dom::clear_input("kiosk-exit-password");
    let mut send = false;
    update(kiosk, |d| send = d.exit());
    if !send {
        return;
    }
    let kiosk = kiosk.clone();
    spawn_local(async move {
        match api::exit(username.trim(), &password).await {
            Ok(()) => leave_kiosk_mode().await,
            Err(message) => update(&kiosk, |d| d.failed(message)),
        }
    });
}
