//! Azure Blob hosting end to end against the Azurite emulator: configure a target with a
//! container SAS URL (kept in the real Secret Service), upload the sample's Synoptic-ready SVG,
//! read it back anonymously, and run the hosting check the visual's needs are judged by.

mod azurite;
mod support;

use std::process::Output;

use azurite::Azurite;
use synmap::storage::Secret;
use synmap::storage::azure::{SasUrl, check_hosting, upload};
use synmap::storage::netlog::NetLog;
use synmap::storage::transport::{Transfer, Transport, TransportOptions};

fn publish(config: &std::path::Path, args: &[&str], sas: Option<&str>) -> Output {
    let mut cmd = support::synmap();
    cmd.arg("publish").args(args).env("SYNMAP_CONFIG_DIR", config).env("RUST_LOG", "trace");
    if let Some(s) = sas {
        cmd.env("TEST_SAS_URL", s);
    }
    support::run_with_watchdog(cmd, std::time::Duration::from_secs(60))
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn cli_uploads_the_ready_svg_and_the_hosting_check_passes() {
    let az = Azurite::start();
    az.create_public_container("maps");
    az.set_cors("*");
    let sas = az.container_sas_url("maps", "racwl");
    let config = tempfile::tempdir().unwrap();
    let target = format!("site-{}", uuid::Uuid::new_v4());

    let out =
        publish(config.path(), &["azure", "configure", &target, "--sas-url-env", "TEST_SAS_URL"], Some(&sas));
    assert!(out.status.success(), "{}", text(&out));
    let sample = support::sample();
    let out =
        publish(config.path(), &["azure", "upload", sample.to_str().unwrap(), "--target", &target], None);
    assert!(out.status.success(), "{}", text(&out));
    let url = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().to_string();
    assert_eq!(url, az.blob_url("maps", "office-floor.svg"));

    let (status, headers, body) = az.get_blob_anonymous("maps", "office-floor.svg");
    assert_eq!(status, 200);
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    assert_eq!(header("content-type").as_deref(), Some("image/svg+xml"));
    assert_eq!(header("cache-control").as_deref(), Some(synmap::storage::azure::CACHE_CONTROL));
    let imported = synmap::svg::import_file(&sample).unwrap();
    let expected = synmap::svg::export_svg(&imported.map, &synmap::svg::ExportOptions::default()).svg;
    assert_eq!(String::from_utf8(body).unwrap(), expected);

    // The same map as the map holds it, on request.
    let args = ["azure", "upload", sample.to_str().unwrap(), "--target", &target, "--blob", "plain.svg"];
    let out = publish(config.path(), &[&args[..], &["--no-optimise"]].concat(), None);
    assert!(out.status.success(), "{}", text(&out));
    let (_, _, body) = az.get_blob_anonymous("maps", "plain.svg");
    let plain = synmap::svg::ExportOptions { optimise: false, ..synmap::svg::ExportOptions::default() };
    let plain = synmap::svg::export_svg(&imported.map, &plain).svg;
    assert_ne!(plain, expected);
    assert_eq!(String::from_utf8(body).unwrap(), plain);

    // Everything the visual needs is there except HTTPS, which the emulator does not speak.
    let out = publish(config.path(), &["azure", "check", &url], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(report.contains("status: 200"), "{report}");
    assert!(report.contains("content type: image/svg+xml"), "{report}");
    assert!(report.contains("CORS for https://app.powerbi.com: *"), "{report}");
    assert_eq!(report.matches("problem:").count(), 1, "{report}");
    assert!(report.contains("problem: not HTTPS"), "{report}");
    // The SAS (its signature above all) is a credential: never printed or written to settings.
    let sig = sas.split("sig=").nth(1).unwrap();
    let settings = std::fs::read_to_string(config.path().join("settings.toml")).unwrap();
    assert!(!settings.contains(sig) && settings.contains("/maps"));

    let out = publish(config.path(), &["azure", "forget", &target], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("removed from the keyring"));
}

#[test]
fn hosting_check_reports_what_the_visual_would_trip_over() {
    let az = Azurite::start();
    az.create_private_container("private");
    let sas = az.container_sas_url("private", "racwl");
    let transport = Transport::new(TransportOptions { attempts: 1, ..Default::default() }, NetLog::default());
    let parsed = SasUrl::parse(&Secret::new(sas.clone())).unwrap();
    let url = upload(
        &transport,
        &parsed,
        "plan.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        &Transfer::default(),
    )
    .unwrap();
    let report = check_hosting(&transport, &url).unwrap();
    assert!(!report.ok());
    assert!(!report.https);
    assert!(report.problems.iter().any(|p| p.contains("not HTTPS")));
    assert!(report.problems.iter().any(|p| p.contains("not publicly readable")), "{:?}", report.problems);
    assert!(report.problems.iter().any(|p| p.contains("CORS")), "{:?}", report.problems);
    // A plain-HTTP remote URL fails without being fetched.
    let log = NetLog::default();
    let t = Transport::new(TransportOptions::default(), log.clone());
    let remote = check_hosting(&t, "http://maps.example.com/plan.svg").unwrap();
    assert!(!remote.ok() && remote.status.is_none());
    assert!(log.entries().is_empty());
}

#[test]
fn a_refused_sas_says_so_without_revealing_it() {
    let az = Azurite::start();
    az.create_public_container("maps");
    let sas = az.container_sas_url("maps", "rl");
    let transport = Transport::new(TransportOptions { attempts: 1, ..Default::default() }, NetLog::default());
    let parsed = SasUrl::parse(&Secret::new(sas.clone())).unwrap();
    let err = upload(&transport, &parsed, "plan.svg", b"<svg/>".to_vec(), &Transfer::default()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("403") && msg.contains("SAS URL was refused"), "{msg}");
    assert!(!msg.contains("sig="), "{msg}");
}
