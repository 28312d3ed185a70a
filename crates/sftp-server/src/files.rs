//! The SFTP requests, answered from one local folder.

use russh_sftp::protocol::{Attrs, Data, File, FileAttributes, Handle, Name, OpenFlags, Status, StatusCode, Version};
use russh_sftp::server::StatusReply;
use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// Maps server paths into the root folder; nothing can climb above it.
#[derive(Clone)]
pub struct Jail {
    root: PathBuf,
}

impl Jail {
    pub fn new(root: PathBuf) -> Jail {
        Jail { root }
    }

    /// "/a/./b/../c" -> "/a/c"; relative paths start at "/". `None` if ".." climbs above "/".
    pub fn normalize(path: &str) -> Option<String> {
        let mut parts: Vec<&str> = Vec::new();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                part => parts.push(part),
            }
        }
        Some(format!("/{}", parts.join("/")))
    }

    pub fn local(&self, path: &str) -> Result<PathBuf, StatusReply> {
        let normal = Self::normalize(path)
            .ok_or_else(|| StatusCode::PermissionDenied.with_message(format!("{path} is outside the SFTP root")))?;
        Ok(self.root.join(normal.trim_start_matches('/')))
    }
}

enum Open {
    File(fs::File),
    /// A directory listing, sent in one reply; `None` once sent.
    Dir(Option<Vec<File>>),
}

pub struct Files {
    jail: Jail,
    handles: HashMap<String, Open>,
    next_handle: u64,
}

impl Files {
    pub fn new(jail: Jail) -> Files {
        Files {
            jail,
            handles: HashMap::new(),
            next_handle: 1,
        }
    }

    fn add(&mut self, open: Open) -> String {
        let handle = format!("h{}", self.next_handle);
        self.next_handle += 1;
        self.handles.insert(handle.clone(), open);
        handle
    }

    fn file(&mut self, handle: &str) -> Result<&mut fs::File, StatusReply> {
        match self.handles.get_mut(handle) {
            Some(Open::File(file)) => Ok(file),
            _ => Err(StatusCode::Failure.with_message("no such open file")),
        }
    }
}

fn ok(id: u32) -> Status {
    Status {
        id,
        status_code: StatusCode::Ok,
        error_message: "Ok".into(),
        language_tag: "en-US".into(),
    }
}

/// The status a client sees for a failed file operation, with the system's reason.
fn io_error(e: io::Error) -> StatusReply {
    let code = match e.kind() {
        io::ErrorKind::NotFound => StatusCode::NoSuchFile,
        io::ErrorKind::PermissionDenied => StatusCode::PermissionDenied,
        _ => StatusCode::Failure,
    };
    code.with_message(e.to_string())
}

impl russh_sftp::server::Handler for Files {
    type Error = StatusReply;

    fn unimplemented(&self) -> Self::Error {
        StatusCode::OpUnsupported.into()
    }

    async fn init(&mut self, _version: u32, _extensions: HashMap<String, String>) -> Result<Version, Self::Error> {
        Ok(Version::new())
    }

    async fn realpath(&mut self, id: u32, path: String) -> Result<Name, Self::Error> {
        let normal = Jail::normalize(&path).ok_or_else(|| StatusReply::from(StatusCode::NoSuchFile))?;
        Ok(Name {
            id,
            files: vec![File::dummy(normal)],
        })
    }

    async fn stat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        let metadata = fs::metadata(self.jail.local(&path)?).map_err(io_error)?;
        Ok(Attrs {
            id,
            attrs: FileAttributes::from(&metadata),
        })
    }

    async fn lstat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        self.stat(id, path).await
    }

    async fn fstat(&mut self, id: u32, handle: String) -> Result<Attrs, Self::Error> {
        let metadata = self.file(&handle)?.metadata().map_err(io_error)?;
        Ok(Attrs {
            id,
            attrs: FileAttributes::from(&metadata),
        })
    }

    /// Permissions and times are accepted and ignored: the folder belongs to the test.
    async fn setstat(&mut self, id: u32, path: String, _attrs: FileAttributes) -> Result<Status, Self::Error> {
        fs::metadata(self.jail.local(&path)?).map_err(io_error)?;
        Ok(ok(id))
    }

    async fn fsetstat(&mut self, id: u32, handle: String, _attrs: FileAttributes) -> Result<Status, Self::Error> {
        self.file(&handle)?;
        Ok(ok(id))
    }

    async fn open(
        &mut self,
        id: u32,
        filename: String,
        pflags: OpenFlags,
        _attrs: FileAttributes,
    ) -> Result<Handle, Self::Error> {
        let path = self.jail.local(&filename)?;
        let mut options = OpenOptions::new();
        options
            .read(pflags.contains(OpenFlags::READ))
            .write(pflags.contains(OpenFlags::WRITE) || pflags.contains(OpenFlags::APPEND))
            .append(pflags.contains(OpenFlags::APPEND))
            .truncate(pflags.contains(OpenFlags::TRUNCATE));
        if pflags.contains(OpenFlags::EXCLUDE) {
            options.create_new(true);
        } else if pflags.contains(OpenFlags::CREATE) {
            options.create(true);
        }
        let file = options.open(&path).map_err(io_error)?;
        if file.metadata().map_err(io_error)?.is_dir() {
            return Err(StatusCode::Failure.with_message(format!("{filename} is a directory")));
        }
        Ok(Handle {
            id,
            handle: self.add(Open::File(file)),
        })
    }

    async fn read(&mut self, id: u32, handle: String, offset: u64, len: u32) -> Result<Data, Self::Error> {
        let file = self.file(&handle)?;
        file.seek(SeekFrom::Start(offset)).map_err(io_error)?;
        let mut data = Vec::with_capacity(len.min(256 * 1024) as usize);
        file.take(u64::from(len)).read_to_end(&mut data).map_err(io_error)?;
        if data.is_empty() && len > 0 {
            return Err(StatusCode::Eof.into());
        }
        Ok(Data { id, data })
    }

    async fn write(&mut self, id: u32, handle: String, offset: u64, data: Vec<u8>) -> Result<Status, Self::Error> {
        let file = self.file(&handle)?;
        file.seek(SeekFrom::Start(offset)).map_err(io_error)?;
        file.write_all(&data).map_err(io_error)?;
        Ok(ok(id))
    }

    async fn close(&mut self, id: u32, handle: String) -> Result<Status, Self::Error> {
        match self.handles.remove(&handle) {
            Some(Open::File(file)) => file.sync_all().map_err(io_error)?,
            Some(Open::Dir(_)) => {}
            None => return Err(StatusCode::Failure.with_message("no such handle")),
        }
        Ok(ok(id))
    }

    async fn opendir(&mut self, id: u32, path: String) -> Result<Handle, Self::Error> {
        let mut files = Vec::new();
        for entry in fs::read_dir(self.jail.local(&path)?).map_err(io_error)? {
            let entry = entry.map_err(io_error)?;
            let metadata = entry.metadata().map_err(io_error)?;
            files.push(File::new(
                entry.file_name().to_string_lossy(),
                FileAttributes::from(&metadata),
            ));
        }
        files.sort_by(|a, b| a.filename.cmp(&b.filename));
        Ok(Handle {
            id,
            handle: self.add(Open::Dir(Some(files))),
        })
    }

    async fn readdir(&mut self, id: u32, handle: String) -> Result<Name, Self::Error> {
        match self.handles.get_mut(&handle) {
            Some(Open::Dir(files)) => match files.take() {
                Some(files) => Ok(Name { id, files }),
                None => Err(StatusCode::Eof.into()),
            },
            _ => Err(StatusCode::Failure.with_message("no such open directory")),
        }
    }

    async fn mkdir(&mut self, id: u32, path: String, _attrs: FileAttributes) -> Result<Status, Self::Error> {
        fs::create_dir(self.jail.local(&path)?).map_err(io_error)?;
        Ok(ok(id))
    }

    async fn rmdir(&mut self, id: u32, path: String) -> Result<Status, Self::Error> {
        fs::remove_dir(self.jail.local(&path)?).map_err(io_error)?;
        Ok(ok(id))
    }

    async fn remove(&mut self, id: u32, filename: String) -> Result<Status, Self::Error> {
        fs::remove_file(self.jail.local(&filename)?).map_err(io_error)?;
        Ok(ok(id))
    }

    async fn rename(&mut self, id: u32, oldpath: String, newpath: String) -> Result<Status, Self::Error> {
        fs::rename(self.jail.local(&oldpath)?, self.jail.local(&newpath)?).map_err(io_error)?;
        Ok(ok(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        assert_eq!(Jail::normalize("/a/./b/../c").as_deref(), Some("/a/c"));
        assert_eq!(Jail::normalize("a//b/").as_deref(), Some("/a/b"));
        assert_eq!(Jail::normalize(".").as_deref(), Some("/"));
        assert_eq!(Jail::normalize("/a/../.."), None);
        let jail = Jail::new(PathBuf::from("/srv/root"));
        assert_eq!(jail.local("/x/y.png").unwrap(), PathBuf::from("/srv/root/x/y.png"));
        assert_eq!(jail.local("x/../y.png").unwrap(), PathBuf::from("/srv/root/y.png"));
        assert!(jail.local("../etc/passwd").is_err());
    }
}
