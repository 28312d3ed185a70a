//! The demo SFTP site that `--demo-sftp` (and the gateway's demo) start beside the sandbox,
//! for trying the SFTP document methods by hand.

use std::path::Path;

use chairside_sftp_server::SftpServer;

/// Starts a local SFTP site over `root` with a fresh password; returns it and the line that
/// tells a person how to use it.
pub async fn start(root: &Path) -> std::io::Result<(SftpServer, String)> {
    std::fs::create_dir_all(root.join("incoming"))?;
    let password = chairside_sftp_server::random_password()?;
    let server = SftpServer::start(root, "chairside", &password).await?;
    let line = format!(
        "Demo SFTP site: {host}/ (username chairside, password {password}); its files are in {}. Put a file in \
         incoming/ and use the address {host}/incoming/<file name> with UploadSftp.",
        root.display(),
        host = server.host(),
    );
    Ok((server, line))
}
