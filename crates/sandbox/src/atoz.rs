//! The A-to-Z images folder, laid out as Open Dental lays it out:
//! `<AtoZ>/<letter>/<ImageFolder>/<FileName>`, where the letter is the first letter of the
//! patient's ImageFolder, uppercased ("S/SmithJane1/SmithJane34.jpg"). ImageFolder is already
//! made of plain ASCII letters and the PatNum (see `text::image_folder_name`), so the letter is
//! the last name's first letter with accents folded ("Núñez" -> "N").
//!
//! Documents GET shows a document's `filePath` as the office's Windows server would:
//! `\\server\OpenDentImages\S\SmithJane1\SmithJane34.jpg`. The sandbox's real folder is
//! elsewhere (`--data-dir`/AtoZ, or a temporary one); clients must not open that path.
//!
//! Later SFTP methods (DownloadSftp, Thumbnails, DownloadMount) read files through
//! `file_path`; a mount's images are its items' documents in item order.

use crate::text;
use std::io;
use std::path::{Path, PathBuf};

/// The A-to-Z folder as the demo office's workstations see it.
pub const SERVER_ATOZ_PATH: &str = r"\\server\OpenDentImages";

/// The letter folder of a patient: the ImageFolder's first character, uppercased.
pub fn letter_folder(image_folder: &str) -> String {
    image_folder
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// A document's file name as Open Dental gives it: LastnameFirstname + DocNum + extension
/// ("SmithJane34.jpg"), from plain letters only (manual-imageinfo.md, "File Name").
pub fn document_file_name(l_name: &str, f_name: &str, doc_num: i64, extension: &str) -> String {
    format!("{}{extension}", text::image_folder_name(l_name, f_name, doc_num))
}

/// Where the sandbox keeps the file. Refuses names that could leave the A-to-Z folder: both
/// come from the database, but a hand-edited row must not make DELETE remove another file.
pub fn file_path(atoz_dir: &Path, image_folder: &str, file_name: &str) -> io::Result<PathBuf> {
    for part in [image_folder, file_name] {
        if !is_plain_name(part) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{part:?} is not a plain file or folder name"),
            ));
        }
    }
    Ok(atoz_dir
        .join(letter_folder(image_folder))
        .join(image_folder)
        .join(file_name))
}

/// The `filePath` Documents GET shows: the file on the office's server.
pub fn server_path(image_folder: &str, file_name: &str) -> String {
    format!(
        r"{SERVER_ATOZ_PATH}\{}\{image_folder}\{file_name}",
        letter_folder(image_folder)
    )
}

/// Writes the file, creating the letter and patient folders as needed. Written under a
/// temporary name and renamed, so a reader never sees half a file.
pub fn write_file(atoz_dir: &Path, image_folder: &str, file_name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let path = file_path(atoz_dir, image_folder, file_name)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_file_name(format!("{file_name}.partial"));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// Removes the file; one that is already gone (a pending import never had one) is fine.
pub fn remove_file(atoz_dir: &Path, image_folder: &str, file_name: &str) -> io::Result<()> {
    match std::fs::remove_file(file_path(atoz_dir, image_folder, file_name)?) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', ':', '\0'])
}

/// Every file below `atoz_dir`, in any patient's folder (tests look at what arrived).
pub fn all_files(atoz_dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![atoz_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// How many stored files hold exactly `bytes`: a document counted by its content.
pub fn copies_of(atoz_dir: &Path, bytes: &[u8]) -> usize {
    all_files(atoz_dir)
        .iter()
        .filter(|path| std::fs::read(path).is_ok_and(|stored| stored == bytes))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_open_dentals_layout() {
        assert_eq!(letter_folder("SmithJane1"), "S");
        assert_eq!(letter_folder("obrienSean3"), "O");
        assert_eq!(document_file_name("Núñez", "José", 34, ".jpg"), "NunezJose34.jpg");
        assert_eq!(
            server_path("SmithJane1", "SmithJane34.jpg"),
            r"\\server\OpenDentImages\S\SmithJane1\SmithJane34.jpg"
        );
        let path = file_path(Path::new("/atoz"), "SmithJane1", "SmithJane34.jpg").unwrap();
        assert_eq!(path, Path::new("/atoz/S/SmithJane1/SmithJane34.jpg"));
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for (folder, file) in [("..", "x.jpg"), ("SmithJane1", "../x.jpg"), ("", "x"), ("a\\b", "x")] {
            assert!(file_path(Path::new("/atoz"), folder, file).is_err(), "{folder} {file}");
        }
    }
}
