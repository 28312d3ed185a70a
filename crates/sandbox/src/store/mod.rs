//! What several resources' routes share about their stored rows, kept apart from HTTP.

pub mod documents;
