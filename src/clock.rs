//! The browser's local time as Open Dental writes dates: "yyyy-MM-dd HH:mm:ss".

use wasm_bindgen::JsValue;

/// Now, in the browser's time zone.
pub fn now() -> String {
    date_time(&js_sys::Date::new_0())
}

/// When the user's file was last changed, in the browser's time zone.
pub fn last_modified(file: &web_sys::File) -> String {
    date_time(&js_sys::Date::new(&JsValue::from_f64(file.last_modified())))
}

fn date_time(d: &js_sys::Date) -> String {
    opendental::documents::format_date_time(
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
    )
}
