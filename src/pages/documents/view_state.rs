//! What the viewer shows, as plain Rust (tested natively): zoom (fit, 100 %, steps, about a
//! point for the wheel and pinch), pan, rotation in quarter turns, flips, brightness and
//! contrast, and the CSS that draws it. Nothing here is written back to Open Dental.
//!
//! Coordinates are CSS pixels relative to the centre of the stage; the image is drawn centred
//! and then moved by `pan`.

/// Zoom limits: 5 % to 1600 %.
pub const MIN_SCALE: f64 = 0.05;
pub const MAX_SCALE: f64 = 16.0;
/// One press of zoom in or out.
pub const STEP: f64 = 1.25;
/// One notch of the mouse wheel.
pub const WHEEL_STEP: f64 = 1.1;
/// A swipe: this far sideways, and mostly sideways.
pub const SWIPE_PX: f64 = 60.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

impl Size {
    pub fn new(width: f64, height: f64) -> Size {
        Size { width, height }
    }

    fn is_empty(&self) -> bool {
        self.width <= 0.0 || self.height <= 0.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    /// The whole image in the stage (never enlarged past 100 %).
    Fit,
    /// CSS pixels per image pixel.
    Scale(f64),
}

/// Where a swipe or arrow key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Previous,
    Next,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewState {
    pub zoom: Zoom,
    pub pan: (f64, f64),
    /// Clockwise quarter turns, 0 to 3.
    pub quarter_turns: u8,
    pub flip_horizontal: bool,
    pub flip_vertical: bool,
    /// Percent, 100 = as stored; sliders go 0 to 200.
    pub brightness: u32,
    pub contrast: u32,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            zoom: Zoom::Fit,
            pan: (0.0, 0.0),
            quarter_turns: 0,
            flip_horizontal: false,
            flip_vertical: false,
            brightness: 100,
            contrast: 100,
        }
    }
}

impl ViewState {
    /// The image's size once turned.
    pub fn turned(&self, natural: Size) -> Size {
        if self.quarter_turns % 2 == 1 {
            Size::new(natural.height, natural.width)
        } else {
            natural
        }
    }

    /// The scale at which the turned image just fits the stage, at most 1.
    pub fn fit_scale(&self, natural: Size, stage: Size) -> f64 {
        let turned = self.turned(natural);
        if turned.is_empty() || stage.is_empty() {
            return 1.0;
        }
        (stage.width / turned.width).min(stage.height / turned.height).min(1.0)
    }

    pub fn scale(&self, natural: Size, stage: Size) -> f64 {
        match self.zoom {
            Zoom::Fit => self.fit_scale(natural, stage),
            Zoom::Scale(s) => s,
        }
    }

    /// Zoom as a whole percentage, for the toolbar.
    pub fn percent(&self, natural: Size, stage: Size) -> u32 {
        (self.scale(natural, stage) * 100.0).round() as u32
    }

    /// Zooms by `factor` keeping the image point under `at` (relative to the stage's centre)
    /// where it is: the wheel and pinch zoom about the pointer.
    pub fn zoom_by(&mut self, factor: f64, at: (f64, f64), natural: Size, stage: Size) {
        let old = self.scale(natural, stage);
        let new = (old * factor).clamp(MIN_SCALE, MAX_SCALE);
        let ratio = new / old;
        self.pan = (at.0 - (at.0 - self.pan.0) * ratio, at.1 - (at.1 - self.pan.1) * ratio);
        self.zoom = Zoom::Scale(new);
    }

    pub fn zoom_in(&mut self, natural: Size, stage: Size) {
        self.zoom_by(STEP, (0.0, 0.0), natural, stage);
    }

    pub fn zoom_out(&mut self, natural: Size, stage: Size) {
        self.zoom_by(1.0 / STEP, (0.0, 0.0), natural, stage);
    }

    /// A wheel turn: up (negative `delta_y`) zooms in.
    pub fn wheel(&mut self, delta_y: f64, at: (f64, f64), natural: Size, stage: Size) {
        if delta_y == 0.0 {
            return;
        }
        let factor = if delta_y < 0.0 { WHEEL_STEP } else { 1.0 / WHEEL_STEP };
        self.zoom_by(factor, at, natural, stage);
    }

    /// Two fingers moved from `before` to `after` apart, centred at `at`.
    pub fn pinch(&mut self, before: f64, after: f64, at: (f64, f64), natural: Size, stage: Size) {
        if before > 0.0 && after > 0.0 {
            self.zoom_by(after / before, at, natural, stage);
        }
    }

    pub fn fit(&mut self) {
        self.zoom = Zoom::Fit;
        self.pan = (0.0, 0.0);
    }

    /// One CSS pixel per image pixel.
    pub fn actual_size(&mut self) {
        self.zoom = Zoom::Scale(1.0);
        self.pan = (0.0, 0.0);
    }

    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        self.pan = (self.pan.0 + dx, self.pan.1 + dy);
    }

    pub fn rotate_right(&mut self) {
        self.quarter_turns = (self.quarter_turns + 1) % 4;
        self.pan = (0.0, 0.0);
    }

    pub fn rotate_left(&mut self) {
        self.quarter_turns = (self.quarter_turns + 3) % 4;
        self.pan = (0.0, 0.0);
    }

    /// Mirrors the image left to right as it is on screen (after any rotation).
    pub fn flip_horizontally(&mut self) {
        self.flip_horizontal = !self.flip_horizontal;
    }

    pub fn flip_vertically(&mut self) {
        self.flip_vertical = !self.flip_vertical;
    }

    pub fn reset_adjustments(&mut self) {
        self.brightness = 100;
        self.contrast = 100;
    }

    /// Whether a drag should move the image rather than swipe to the next one: only when the
    /// image is larger than at fit.
    pub fn is_zoomed_in(&self, natural: Size, stage: Size) -> bool {
        self.scale(natural, stage) > self.fit_scale(natural, stage) + 1e-9
    }

    /// The image element's `transform` (its `left`/`top` are the stage's centre, its size the
    /// natural size): centred, moved, then scaled and mirrored in screen space, turned first.
    pub fn transform_css(&self, natural: Size, stage: Size) -> String {
        let s = self.scale(natural, stage);
        let sx = if self.flip_horizontal { -s } else { s };
        let sy = if self.flip_vertical { -s } else { s };
        format!(
            "translate(-50%, -50%) translate({:.2}px, {:.2}px) scale({sx:.5}, {sy:.5}) rotate({}deg)",
            self.pan.0,
            self.pan.1,
            u32::from(self.quarter_turns) * 90
        )
    }

    /// The image's `filter`: brightness and contrast, or none.
    pub fn filter_css(&self) -> String {
        if self.brightness == 100 && self.contrast == 100 {
            "none".into()
        } else {
            format!(
                "brightness({:.2}) contrast({:.2})",
                f64::from(self.brightness) / 100.0,
                f64::from(self.contrast) / 100.0
            )
        }
    }
}

/// A finished one-finger gesture: a swipe to the next or previous image, or nothing.
pub fn swipe(dx: f64, dy: f64) -> Option<Step> {
    if dx.abs() >= SWIPE_PX && dy.abs() * 2.0 < dx.abs() {
        Some(if dx < 0.0 { Step::Next } else { Step::Previous })
    } else {
        None
    }
}

/// The index a step leads to among `len` items, if there is one (no wrapping: the ends are
/// ends, so a screen reader user knows where they are).
pub fn step_from(index: usize, len: usize, step: Step) -> Option<usize> {
    match step {
        Step::Previous => index.checked_sub(1).filter(|_| len > 0),
        Step::Next => Some(index + 1).filter(|&i| i < len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHOTO: Size = Size {
        width: 4000.0,
        height: 3000.0,
    };
    const STAGE: Size = Size {
        width: 800.0,
        height: 600.0,
    };

    #[test]
    fn fit_shows_the_whole_image_and_never_enlarges_a_small_one() {
        let v = ViewState::default();
        assert_eq!(v.scale(PHOTO, STAGE), 0.2);
        assert_eq!(v.percent(PHOTO, STAGE), 20);
        assert_eq!(v.scale(Size::new(100.0, 50.0), STAGE), 1.0);
        // Turned, the portrait image fits by its new height.
        let mut turned = v;
        turned.rotate_right();
        assert_eq!(turned.scale(PHOTO, STAGE), 0.15);
        assert_eq!(v.scale(Size::new(0.0, 0.0), STAGE), 1.0, "not yet loaded");
    }

    #[test]
    fn buttons_zoom_in_steps_within_limits_and_fit_and_100_percent_reset_the_pan() {
        let near = |v: &ViewState, s: f64| (v.scale(PHOTO, STAGE) - s).abs() < 1e-9;
        let mut v = ViewState::default();
        v.zoom_in(PHOTO, STAGE);
        assert!(near(&v, 0.25), "{:?}", v.zoom);
        v.zoom_out(PHOTO, STAGE);
        v.zoom_out(PHOTO, STAGE);
        assert!(near(&v, 0.2 / STEP), "{:?}", v.zoom);
        for _ in 0..100 {
            v.zoom_in(PHOTO, STAGE);
        }
        assert_eq!(v.zoom, Zoom::Scale(MAX_SCALE));
        for _ in 0..200 {
            v.zoom_out(PHOTO, STAGE);
        }
        assert_eq!(v.zoom, Zoom::Scale(MIN_SCALE));
        v.pan_by(30.0, -10.0);
        v.actual_size();
        assert_eq!((v.zoom, v.pan), (Zoom::Scale(1.0), (0.0, 0.0)));
        v.pan_by(30.0, -10.0);
        v.fit();
        assert_eq!((v.zoom, v.pan), (Zoom::Fit, (0.0, 0.0)));
    }

    #[test]
    fn the_wheel_and_pinch_zoom_about_the_pointer() {
        let mut v = ViewState::default();
        v.actual_size();
        // The image point under (100, 50) stays under it: it was 100 px right of the image's
        // centre at scale 1, and is 110 px right at 1.1, so the image moves 10 px left.
        v.wheel(-3.0, (100.0, 50.0), PHOTO, STAGE);
        assert_eq!(v.zoom, Zoom::Scale(1.1));
        assert!(
            (v.pan.0 + 10.0).abs() < 1e-9 && (v.pan.1 + 5.0).abs() < 1e-9,
            "{:?}",
            v.pan
        );
        v.wheel(3.0, (100.0, 50.0), PHOTO, STAGE);
        assert!((v.scale(PHOTO, STAGE) - 1.0).abs() < 1e-9 && v.pan.0.abs() < 1e-9);
        v.wheel(0.0, (0.0, 0.0), PHOTO, STAGE);
        assert!((v.scale(PHOTO, STAGE) - 1.0).abs() < 1e-9);
        v.pinch(100.0, 200.0, (0.0, 0.0), PHOTO, STAGE);
        assert!((v.scale(PHOTO, STAGE) - 2.0).abs() < 1e-9);
        assert!(v.is_zoomed_in(PHOTO, STAGE));
        v.fit();
        assert!(!v.is_zoomed_in(PHOTO, STAGE));
    }

    #[test]
    fn rotation_turns_in_quarters_both_ways_and_the_css_says_so() {
        let mut v = ViewState::default();
        v.rotate_left();
        assert_eq!(v.quarter_turns, 3);
        v.rotate_right();
        v.rotate_right();
        assert_eq!(v.quarter_turns, 1);
        v.actual_size();
        v.flip_horizontally();
        assert_eq!(
            v.transform_css(PHOTO, STAGE),
            "translate(-50%, -50%) translate(0.00px, 0.00px) scale(-1.00000, 1.00000) rotate(90deg)"
        );
        v.flip_horizontally();
        v.flip_vertically();
        assert!(v.transform_css(PHOTO, STAGE).contains("scale(1.00000, -1.00000)"));
    }

    #[test]
    fn brightness_and_contrast_are_filters_that_reset() {
        let mut v = ViewState::default();
        assert_eq!(v.filter_css(), "none");
        v.brightness = 150;
        v.contrast = 80;
        assert_eq!(v.filter_css(), "brightness(1.50) contrast(0.80)");
        v.reset_adjustments();
        assert_eq!(v.filter_css(), "none");
    }

    #[test]
    fn swipes_go_next_and_previous_and_steps_stop_at_the_ends() {
        assert_eq!(swipe(-80.0, 10.0), Some(Step::Next));
        assert_eq!(swipe(80.0, -10.0), Some(Step::Previous));
        assert_eq!(swipe(-30.0, 0.0), None, "too short");
        assert_eq!(swipe(-80.0, 60.0), None, "too steep");
        assert_eq!(step_from(0, 3, Step::Next), Some(1));
        assert_eq!(step_from(2, 3, Step::Next), None);
        assert_eq!(step_from(0, 3, Step::Previous), None);
        assert_eq!(step_from(2, 3, Step::Previous), Some(1));
    }
}
