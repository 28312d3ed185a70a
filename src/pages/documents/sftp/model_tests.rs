//! The SFTP panel's checks, choices and messages.

use super::*;

#[test]
fn logins_are_checked_before_sending() {
    let ok = check_login(SftpAction::Import, " site:2222/in/scan.jpg ", " me ", "pw").unwrap();
    assert_eq!(
        (ok.address.as_str(), ok.username.as_str(), ok.password.as_str()),
        ("site:2222/in/scan.jpg", "me", "pw")
    );
    assert!(check_login(SftpAction::Import, "site/in/", "me", "pw")
        .unwrap_err()
        .contains("file's name"));
    assert!(check_login(SftpAction::Import, "site/in/README", "me", "pw")
        .unwrap_err()
        .contains("extension"));
    assert!(check_login(SftpAction::Send, "site/out/", "me", "pw").is_ok());
    assert!(check_login(SftpAction::Thumbnails, "site", "me", "pw").is_ok());
    assert!(check_login(SftpAction::Send, "sftp://site/out/", "me", "pw")
        .unwrap_err()
        .starts_with("The SFTP address"));
    assert_eq!(
        check_login(SftpAction::Send, "site/out/", " ", "pw").unwrap_err(),
        "Enter the SFTP username."
    );
    assert_eq!(
        check_login(SftpAction::Send, "site/out/", "me", "").unwrap_err(),
        "Enter the SFTP password."
    );
}

#[test]
fn items_round_trip_through_select_values() {
    assert_eq!(DownloadItem::Document(2).to_value(), "doc:2");
    assert_eq!(DownloadItem::Mount(1).to_value(), "mount:1");
    for item in [DownloadItem::Document(2), DownloadItem::Mount(1)] {
        assert_eq!(DownloadItem::from_value(&item.to_value()), Some(item));
    }
    for bad in ["", "doc:", "doc:0", "mount:x", "file:3", "doc:-4"] {
        assert_eq!(DownloadItem::from_value(bad), None, "{bad}");
    }
    let doc = DocumentListItem {
        doc_num: 2,
        description: "PA #3".into(),
        date_created: "2023-02-14 09:40:05".into(),
        file_path: r"\\server\OpenDentImages\S\SmithJane1\SmithJane2.jpg".into(),
        ..Default::default()
    };
    assert_eq!(item_label(&doc), "PA #3 · 2023-02-14 · SmithJane2.jpg");
    let mount = DocumentListItem {
        mount_num: 1,
        description: "4BW".into(),
        date_created: "2024-03-05 09:55:00".into(),
        ..Default::default()
    };
    assert_eq!(item_label(&mount), "4BW · 2024-03-05 · mount");
}

#[test]
fn outcomes_say_what_happened() {
    let files = vec![SftpFile {
        doc_num: 12,
        file_name: "SmithJane12.jpg".into(),
    }];
    let done = Outcome::from_files(folder_shown("site/Mounts"), SftpFiles::Written(files));
    assert_eq!(done.summary(), "Wrote 1 file to site/Mounts/:");
    let nothing = Outcome::from_files(
        "x/".into(),
        SftpFiles::Nothing("No mount images could be downloaded.".into()),
    );
    assert_eq!(nothing.summary(), "No mount images could be downloaded.");
    assert_eq!(Outcome::Written("site/a.jpg".into()).summary(), "Written to site/a.jpg");
}

#[test]
fn the_password_is_never_remembered() {
    let memory = SftpMemory {
        username: "me".into(),
        addresses: BTreeMap::from([("send".to_owned(), "site/out/".to_owned())]),
    };
    let json = serde_json::to_string(&memory).unwrap();
    assert!(!json.to_lowercase().contains("password"));
    assert_eq!(serde_json::from_str::<SftpMemory>(&json).unwrap(), memory);
}

#[test]
fn a_mount_choice_is_written_as_the_mounts_item_and_takes_only_mounts() {
    assert_eq!(MountChoice(1).to_value(), "mount:1");
    assert_eq!(MountChoice::from_value("mount:1"), Some(MountChoice(1)));
    assert_eq!(MountChoice::from_value("doc:1"), None);
    assert_eq!(MountChoice::from_value(""), None);
}

#[test]
fn a_listed_document_or_mount_is_chosen_as_itself() {
    let doc = DocumentListItem {
        doc_num: 7,
        ..Default::default()
    };
    let mount = DocumentListItem {
        mount_num: 3,
        ..Default::default()
    };
    assert_eq!(item_of(&doc), DownloadItem::Document(7));
    assert_eq!(item_of(&mount), DownloadItem::Mount(3));
}

fn login() -> SftpLogin {
    check_login(SftpAction::Send, "site/out/", "me", "pw").unwrap()
}

fn no_fields() -> Result<DocumentFields, String> {
    panic!("the image info is read only for an import")
}

#[test]
fn a_send_or_mount_request_needs_its_choice() {
    assert_eq!(
        prepare(SftpAction::Send, 1, login(), None, Some(MountChoice(1)), no_fields).unwrap_err(),
        "Choose the document or mount to send."
    );
    assert_eq!(
        prepare(
            SftpAction::Send,
            1,
            login(),
            Some(DownloadItem::Mount(4)),
            None,
            no_fields
        )
        .unwrap(),
        Request::Send(DownloadSftp::new(DownloadItem::Mount(4), login()))
    );
    assert_eq!(
        prepare(
            SftpAction::MountImages,
            1,
            login(),
            Some(DownloadItem::Mount(4)),
            None,
            no_fields
        )
        .unwrap_err(),
        "Choose the mount whose images to send."
    );
    assert_eq!(
        prepare(
            SftpAction::MountImages,
            1,
            login(),
            None,
            Some(MountChoice(4)),
            no_fields
        )
        .unwrap(),
        Request::MountImages(DownloadMount {
            mount_num: 4,
            login: login()
        })
    );
    assert_eq!(
        prepare(SftpAction::Thumbnails, 9, login(), None, None, no_fields).unwrap(),
        Request::Thumbnails(Thumbnails {
            pat_num: 9,
            login: login()
        })
    );
}

#[test]
fn an_import_carries_the_image_info_or_its_problem() {
    let fields = DocumentFields {
        description: Some("Scan".into()),
        ..Default::default()
    };
    let sent = fields.clone();
    assert_eq!(
        prepare(SftpAction::Import, 9, login(), None, None, move || Ok(sent)).unwrap(),
        Request::Import(UploadSftp {
            pat_num: 9,
            login: login(),
            fields
        })
    );
    assert_eq!(
        prepare(SftpAction::Import, 9, login(), None, None, || Err(
            "Choose a category.".into()
        ))
        .unwrap_err(),
        "Choose a category."
    );
}
