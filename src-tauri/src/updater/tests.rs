//! The downloads against a real HTTP server on 127.0.0.1 that answers with exactly the bytes
//! a broken or hostile update server would send.

use std::io::{Read, Write};
use std::net::TcpListener;

use tauri::Url;

use super::fetch::{self, FetchError, MAX_MANIFEST_BYTES};

/// Serves `answers` in order, one per connection, each after reading the request's head.
fn serve(answers: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let _ = stream.write_all(&answer);
        }
    });
    format!("http://{address}")
}

fn ok(body: &[u8]) -> Vec<u8> {
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(body);
    answer
}

fn url(text: &str) -> Url {
    Url::parse(text).expect("a URL")
}

#[tokio::test]
async fn a_manifest_is_read_as_json() {
    let base = serve(vec![ok(br#"{"version":"9.9.9"}"#)]);
    let manifest = fetch::manifest(&url(&format!("{base}/latest.json")))
        .await
        .expect("read");
    assert_eq!(manifest["version"], "9.9.9");
}

#[tokio::test]
async fn a_manifest_over_its_limit_is_refused_unread() {
    let size = usize::try_from(MAX_MANIFEST_BYTES).expect("fits") + 1;
    // Announced too long: refused before the body is read.
    let base = serve(vec![ok(&vec![b' '; size])]);
    let refused = fetch::manifest(&url(&format!("{base}/latest.json"))).await;
    assert!(
        matches!(refused, Err(FetchError::TooLarge(_))),
        "{refused:?}"
    );

    // Not announced (chunked): cut as soon as it passes the limit.
    let mut chunked =
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
    for _ in 0..(size / 65_536 + 1) {
        chunked.extend_from_slice(b"10000\r\n");
        chunked.extend_from_slice(&[b' '; 65_536]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let base = serve(vec![chunked]);
    let refused = fetch::manifest(&url(&format!("{base}/latest.json"))).await;
    assert!(
        matches!(refused, Err(FetchError::TooLarge(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_package_reports_its_progress() {
    let body = vec![7u8; 300_000];
    let base = serve(vec![ok(&body)]);
    let mut seen = Vec::new();
    let bytes = fetch::package(&url(&format!("{base}/confab.deb")), |done, total| {
        seen.push((done, total));
    })
    .await
    .expect("downloaded");
    assert_eq!(bytes, body);
    assert_eq!(seen.last(), Some(&(300_000, Some(300_000))));
    assert!(seen.windows(2).all(|pair| pair[0].0 < pair[1].0));
}

#[tokio::test]
async fn an_error_status_and_a_redirect_off_https_are_refused() {
    let base = serve(vec![
        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
        b"HTTP/1.1 302 Found\r\nlocation: http://example.com/latest.json\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
    ]);
    let missing = fetch::manifest(&url(&format!("{base}/latest.json"))).await;
    assert!(
        matches!(missing, Err(FetchError::Status(404))),
        "{missing:?}"
    );
    let redirected = fetch::manifest(&url(&format!("{base}/latest.json"))).await;
    assert!(
        matches!(redirected, Err(FetchError::Insecure(_))),
        "{redirected:?}"
    );
}

#[test]
fn only_https_or_loopback_http_is_allowed() {
    for allowed in [
        "https://github.com/confab-app/confab/releases/latest/download/latest.json",
        "http://127.0.0.1:8080/latest.json",
        "http://localhost/latest.json",
        "http://[::1]:9/latest.json",
    ] {
        assert!(fetch::allowed(&url(allowed)), "{allowed}");
    }
    for refused in [
        "http://example.com/latest.json",
        "http://10.0.0.1/latest.json",
        "file:///etc/passwd",
        "ftp://127.0.0.1/latest.json",
    ] {
        assert!(!fetch::allowed(&url(refused)), "{refused}");
    }
    assert!(super::endpoint(Some("http://example.com/x.json".into())).is_err());
    assert!(super::endpoint(None).is_err());
    assert!(super::endpoint(Some("http://127.0.0.1:1/latest.json".into())).is_ok());
}
