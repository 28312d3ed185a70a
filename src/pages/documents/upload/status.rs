//! A queued file's status as plain data: what each outcome turns it into, what it says, and
//! which buttons it offers (Retry among them). The component only renders this.

use opendental::{
    documents::{max_upload_bytes, Upload},
    error::MAX_BODY_CHARS,
    ApiError,
};

/// The largest file Open Dental accepts in one upload for this patient and extension: the one
/// place the screen knows the limit.
pub fn upload_limit(pat_num: i64, extension: &str) -> f64 {
    max_upload_bytes(&Upload {
        pat_num,
        extension: extension.to_owned(),
        ..Default::default()
    }) as f64
}

/// Where the limit comes from, for the hint's tooltip.
pub fn limit_explanation() -> String {
    format!(
        "Open Dental accepts {:.1} million characters per request, and encoding adds a third.",
        MAX_BODY_CHARS as f64 / 1e6
    )
}

/// A size in the unit that fits it: "92 bytes", "4.3 KB", "12.6 MB" (decimal units, as the
/// limit is stated).
pub fn readable_size(bytes: f64) -> String {
    match bytes {
        b if b < 1_000.0 => format!("{b:.0} {}", if b == 1.0 { "byte" } else { "bytes" }),
        b if b < 999_950.0 => format!("{:.1} KB", b / 1_000.0),
        b => format!("{:.1} MB", b / 1_000_000.0),
    }
}

/// What Retry does after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Nothing: the file cannot be sent as it is (it must be renamed and added again).
    Never,
    /// Sends the file again, from the fields as they are then (they can be corrected first).
    Send,
    /// Open Dental may have the file: Retry looks for it among the patient's documents first
    /// and sends the same upload again only if it is not there; the fields stay as they were sent.
    CheckFirst,
}

impl Retry {
    /// Only a dropped connection or a server error leaves it unknown whether the file was saved.
    pub fn after(error: &ApiError) -> Retry {
        if matches!(error, ApiError::Network { .. }) || error.status().is_some_and(|s| s >= 500) {
            Retry::CheckFirst
        } else {
            Retry::Send
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Ready,
    /// Over Open Dental's `limit`; images may be shrunk with the user's agreement.
    TooLarge {
        limit: f64,
        can_shrink: bool,
    },
    Shrinking,
    Waiting,
    Reading,
    Sending {
        sent: f64,
        total: f64,
    },
    Checking,
    Done {
        note: Option<String>,
    },
    Failed {
        message: String,
        retry: Retry,
    },
    Cancelled,
}

impl Status {
    /// A file just added: refused at once without an extension (Open Dental needs one), too
    /// large if over the limit, else ready.
    pub fn for_new_file(pat_num: i64, extension: &str, size: f64, is_image: bool) -> Status {
        if extension.is_empty() {
            return Status::Failed {
                message:
                    "This file has no extension (like .jpg or .pdf), which Open Dental needs. Rename it and add it again."
                        .into(),
                retry: Retry::Never,
            };
        }
        let limit = upload_limit(pat_num, extension);
        if size > limit {
            Status::TooLarge {
                limit,
                can_shrink: is_image,
            }
        } else {
            Status::Ready
        }
    }

    /// The fields could not make an upload (a required one is empty, say): fix them and retry.
    pub fn invalid(message: String) -> Status {
        Status::Failed {
            message,
            retry: Retry::Send,
        }
    }

    /// Cancelled while waiting for its turn, before anything was sent or checked.
    pub fn cancelled_before_sending(retrying_unclear: bool) -> Status {
        if retrying_unclear {
            // The earlier attempt is still unaccounted for.
            Status::Failed {
                message: "Not checked: Open Dental may still have the earlier attempt.".into(),
                retry: Retry::CheckFirst,
            }
        } else {
            Status::Cancelled
        }
    }

    /// The answer to looking for an unclear attempt among the patient's documents: `None` when
    /// it is not there, so it is to be sent again.
    pub fn after_check(answer: Result<Option<i64>, &ApiError>) -> Option<Status> {
        match answer {
            Ok(Some(doc_num)) => Some(Status::Done {
                note: Some(format!(
                    "Open Dental had received it before the connection dropped (document #{doc_num}); it was not sent again."
                )),
            }),
            Ok(None) => None,
            Err(e) => Some(Status::Failed {
                message: format!(
                    "Could not check whether the earlier attempt arrived, so it was not sent again. {}",
                    e.message()
                ),
                retry: Retry::CheckFirst,
            }),
        }
    }

    /// The answer to sending the file; `fully_sent` if every byte had gone out.
    pub fn after_send<T>(answer: &Result<T, ApiError>, fully_sent: bool) -> Status {
        match answer {
            Ok(_) => Status::Done { note: None },
            // Stopped after the whole file went out, the upload may have been saved all the same.
            Err(ApiError::Cancelled) if fully_sent => Status::Failed {
                message: "Stopped after the whole file had been sent, so Open Dental may have saved it.".into(),
                retry: Retry::CheckFirst,
            },
            Err(ApiError::Cancelled) => Status::Cancelled,
            // A refusal settles it: the earlier try was looked for and is not there either.
            Err(e) => Status::Failed {
                message: e.message(),
                retry: Retry::after(e),
            },
        }
    }

    /// Working on it: the file cannot be removed meanwhile.
    pub fn busy(&self) -> bool {
        matches!(
            self,
            Status::Shrinking | Status::Waiting | Status::Reading | Status::Sending { .. } | Status::Checking
        )
    }

    /// Open Dental may or may not have the file: its fields stay as they were sent, and the
    /// next try sends that same upload.
    pub fn unclear(&self) -> bool {
        matches!(
            self,
            Status::Failed {
                retry: Retry::CheckFirst,
                ..
            }
        )
    }

    pub fn offers_upload(&self) -> bool {
        *self == Status::Ready
    }

    pub fn offers_retry(&self) -> bool {
        match self {
            Status::Failed { retry, .. } => *retry != Retry::Never,
            Status::Cancelled => true,
            _ => false,
        }
    }

    pub fn offers_shrink(&self) -> bool {
        matches!(self, Status::TooLarge { can_shrink: true, .. })
    }

    /// Shrinking and checking cannot be stopped halfway; waiting, reading and sending can.
    pub fn offers_cancel(&self) -> bool {
        self.busy() && !matches!(self, Status::Shrinking | Status::Checking)
    }

    /// Remove (or Clear, once done) whenever nothing is under way.
    pub fn offers_remove(&self) -> bool {
        !self.busy()
    }

    /// The image info shows (and can be edited) before the file is sent and after it failed.
    pub fn shows_fields(&self) -> bool {
        matches!(
            self,
            Status::Ready | Status::Failed { .. } | Status::Cancelled | Status::TooLarge { .. }
        )
    }

    pub fn is_problem(&self) -> bool {
        matches!(self, Status::Failed { .. } | Status::TooLarge { .. })
    }

    /// The progress bar: (value, max).
    pub fn progress(&self) -> (f64, f64) {
        match self {
            Status::Sending { sent, total } => (*sent, total.max(1.0)),
            Status::Done { .. } => (1.0, 1.0),
            _ => (0.0, 1.0),
        }
    }

    /// The status line, for a file of `size` bytes.
    pub fn text(&self, size: f64) -> String {
        match self {
            Status::Ready => "Ready to upload.".to_owned(),
            Status::TooLarge { limit, .. } => format!(
                "Too large: {} is over the {} Open Dental accepts in one upload.",
                readable_size(size),
                readable_size(*limit)
            ),
            Status::Shrinking => "Making the photo smaller…".into(),
            Status::Waiting => "Waiting for the upload before it…".into(),
            Status::Reading => "Reading the file…".into(),
            Status::Sending { sent, total } => {
                format!("Uploading: {} of {}", readable_size(*sent), readable_size(*total))
            }
            Status::Checking => "Checking whether the earlier attempt arrived…".into(),
            Status::Done { note } => note.clone().unwrap_or_else(|| "Uploaded.".into()),
            Status::Failed { message, .. } => message.clone(),
            Status::Cancelled => "Cancelled. Nothing was saved.".into(),
        }
    }

    /// The item's `data-status`.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::TooLarge { .. } => "too-large",
            Status::Shrinking => "shrinking",
            Status::Waiting => "waiting",
            Status::Reading => "reading",
            Status::Sending { .. } => "sending",
            Status::Checking => "checking",
            Status::Done { .. } => "done",
            Status::Failed { .. } => "failed",
            Status::Cancelled => "cancelled",
        }
    }
}

#[cfg(test)]
#[path = "status_tests.rs"]
mod tests;
