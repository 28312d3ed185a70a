//! English.

use super::{DateOrder, Texts};
use crate::kiosk::model::StepKind;

pub static TEXTS: Texts = Texts {
    code: "en",
    name: "English",
    date_order: DateOrder::MonthDayYear,
    date: |y, m, d| format!("{m:02}/{d:02}/{y:04}"),

    brand: "Check-in",
    larger_text: "Larger text",
    staff: "Staff",

    waiting_title: "Please hand this tablet to the front desk.",
    waiting_body: "They will set it up for you.",
    offline_title: "Waiting for the network",
    offline_body: "This tablet has lost its connection. It will carry on by itself as soon as the connection is back.",

    hello: |name| format!("Hello, {name}."),
    welcome_body: "We will take a few photos for your record. It takes about two minutes.",
    choose_language: "Language",
    start: "Start",

    birthdate_title: "Your date of birth",
    birthdate_intro: "To protect your privacy, please enter your date of birth.",
    birthdate_legend: "Date of birth",
    day: "Day",
    month: "Month",
    year: "Year",
    date_hint: "Month / Day / Year, for example",
    check: "Continue",
    checking: "Checking…",
    birthdate_incomplete: "Please fill in the day, the month and the year.",
    birthdate_invalid: "That is not a date. Please check the day, the month and the year (four digits).",
    birthdate_wrong: |left| {
        let tries = if left == 1 { "try" } else { "tries" };
        format!("That date does not match our records. {left} {tries} left.")
    },
    birthdate_unreachable: "We could not check your date of birth just now. Please try again in a moment.",

    step_count: |step, of| format!("Step {step} of {of}"),
    step_title: |kind| match kind {
        StepKind::Selfie => "Your photo",
        StepKind::CardFront => "Insurance card, front",
        StepKind::CardBack => "Insurance card, back",
        StepKind::PhotoId => "Photo ID",
    },
    step_instruction: |kind| match kind {
        StepKind::Selfie => "Take a photo of your face, looking at the camera. It helps us greet you.",
        StepKind::CardFront => "Lay your insurance card on a flat surface and photograph the front.",
        StepKind::CardBack => "Now turn the card over and photograph the back.",
        StepKind::PhotoId => "Photograph your driver's license or other photo ID.",
    },
    take_photo: "Take a photo",
    choose_photo: "Choose from photos",
    skip: "Skip this step",
    your_photo: |what| format!("Your photo: {what}"),
    use_photo: "Use this photo",
    retake: "Retake",
    sending: "Sending your photo…",
    sending_try: |attempt| format!("Sending your photo… (try {attempt})"),
    retrying_in: |secs| format!("The connection is slow. Trying again in {secs} s…"),
    offline_photo:
        "The network is down. Your photo is kept on this tablet and will be sent as soon as the connection is back.",
    arrived: "Your photo arrived.",
    refused: "This photo could not be used. Please take it again, or skip this step.",
    too_large: "This photo is too large to send. Please take it again.",
    not_sent: "We could not send this photo. Try again, or skip this step and ask the front desk.",
    try_again: "Try again",

    thanks: |name| format!("Thank you, {name}!"),
    all_set: "You're all set. Please hand the tablet back to the front desk.",
    done: "Done",

    idle_title: "Are you still there?",
    idle_text: |secs| {
        let unit = if secs == 1 { "second" } else { "seconds" };
        format!("To protect your privacy we will start over in {secs} {unit}.")
    },
    still_here: "I'm still here",

    ended_title: "This visit has ended.",
    ended_idle: "The tablet started over after a while without activity.",
    locked_out: "We could not confirm who you are.",
    see_front_desk: "Please hand this tablet to the front desk.",
};
