//! What the viewer's keys and tool buttons ask for, as plain data: one `Command` type that the
//! toolbar sends and the keyboard maps to (tested natively).

use super::super::view_state::{Step, ViewState};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Command {
    Go(Step),
    ZoomIn,
    ZoomOut,
    Fit,
    ActualSize,
    RotateRight,
    RotateLeft,
    FlipHorizontally,
    FlipVertically,
    Brightness(u32),
    Contrast(u32),
    ResetAdjustments,
}

impl Command {
    /// The command of a key pressed in the viewer (outside its sliders), if any.
    pub(super) fn for_key(key: &str) -> Option<Command> {
        Some(match key {
            "ArrowRight" | "PageDown" => Command::Go(Step::Next),
            "ArrowLeft" | "PageUp" => Command::Go(Step::Previous),
            "+" | "=" => Command::ZoomIn,
            "-" => Command::ZoomOut,
            "0" => Command::Fit,
            "1" => Command::ActualSize,
            "r" => Command::RotateRight,
            "R" => Command::RotateLeft,
            _ => return None,
        })
    }

    /// Applies a command that needs neither the stage's size nor the list of documents;
    /// `false` for those that do (the viewer carries them out itself).
    pub(super) fn apply_to_view(self, v: &mut ViewState) -> bool {
        match self {
            Command::Fit => v.fit(),
            Command::ActualSize => v.actual_size(),
            Command::RotateRight => v.rotate_right(),
            Command::RotateLeft => v.rotate_left(),
            Command::FlipHorizontally => v.flip_horizontally(),
            Command::FlipVertically => v.flip_vertically(),
            Command::Brightness(b) => v.brightness = b,
            Command::Contrast(c) => v.contrast = c,
            Command::ResetAdjustments => v.reset_adjustments(),
            Command::Go(_) | Command::ZoomIn | Command::ZoomOut => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_zoom_fit_and_turn() {
        assert_eq!(Command::for_key("ArrowRight"), Some(Command::Go(Step::Next)));
        assert_eq!(Command::for_key("PageDown"), Some(Command::Go(Step::Next)));
        assert_eq!(Command::for_key("ArrowLeft"), Some(Command::Go(Step::Previous)));
        assert_eq!(Command::for_key("PageUp"), Some(Command::Go(Step::Previous)));
        assert_eq!(Command::for_key("+"), Some(Command::ZoomIn));
        assert_eq!(Command::for_key("="), Some(Command::ZoomIn));
        assert_eq!(Command::for_key("-"), Some(Command::ZoomOut));
        assert_eq!(Command::for_key("0"), Some(Command::Fit));
        assert_eq!(Command::for_key("1"), Some(Command::ActualSize));
        assert_eq!(Command::for_key("r"), Some(Command::RotateRight));
        assert_eq!(Command::for_key("R"), Some(Command::RotateLeft));
        // Other keys keep their usual meaning (Tab, Escape, letters).
        for key in ["Tab", "Escape", "Enter", "x", "ArrowUp"] {
            assert_eq!(Command::for_key(key), None, "{key}");
        }
    }

    #[test]
    fn view_commands_change_only_the_view() {
        let changed = |command: Command| {
            let mut v = ViewState::default();
            assert!(command.apply_to_view(&mut v), "{command:?} is a view command");
            v
        };
        assert_eq!(changed(Command::RotateRight).quarter_turns, 1);
        assert_eq!(changed(Command::RotateLeft).quarter_turns, 3);
        assert!(changed(Command::FlipHorizontally).flip_horizontal);
        assert!(changed(Command::FlipVertically).flip_vertical);
        assert_eq!(changed(Command::Brightness(150)).brightness, 150);
        assert_eq!(changed(Command::Contrast(40)).contrast, 40);
        let mut adjusted = changed(Command::Contrast(40));
        assert!(Command::ResetAdjustments.apply_to_view(&mut adjusted));
        assert_eq!(adjusted, ViewState::default());
        let mut zoomed = changed(Command::ActualSize);
        assert!(Command::Fit.apply_to_view(&mut zoomed));
        assert_eq!(zoomed, ViewState::default());
        // These need the stage or the list: the viewer does them itself, and the view is as it was.
        for command in [Command::ZoomIn, Command::ZoomOut, Command::Go(Step::Next)] {
            let mut v = ViewState::default();
            assert!(!command.apply_to_view(&mut v), "{command:?}");
            assert_eq!(v, ViewState::default());
        }
    }
}
