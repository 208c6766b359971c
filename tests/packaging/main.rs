//! Packaging: the files every platform's package is made of are generated from Cargo.toml and
//! up to date, each is valid by its platform's own tool (desktop-file-validate, appstreamcli,
//! update-mime-database, wixl, makensis, a plist parser), and the Debian package built by
//! `scripts/package` from the test build's binary holds what it should and lintian finds no
//! error in it.
//!
//! `UPDATE_PACKAGING=1 cargo test --test packaging` rewrites the generated files.

mod files;

use std::path::{Path, PathBuf};
use std::process::Command;

use files::{App, ICON_SIZES, generate};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a tool the test needs; a missing tool fails with the set-up step that installs it.
fn run(program: &str, args: &[&str], package: &str) -> std::process::Output {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("{program}: {e}; install it with 'apt-get install {package}' (scripts/test does)")
    });
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn generated_packaging_files_are_up_to_date() {
    let app = App::load(root());
    let update = std::env::var_os("UPDATE_PACKAGING").is_some();
    let mut stale = Vec::new();
    for (path, bytes) in generate(root(), &app) {
        let full = root().join(&path);
        if std::fs::read(&full).ok().as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, bytes).unwrap();
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date with Cargo.toml or packaging/synmap.svg: {stale:?}; run 'UPDATE_PACKAGING=1 cargo test --test packaging'"
    );
}

#[test]
fn the_window_uses_the_application_id() {
    assert_eq!(synmap::APP_ID, App::load(root()).meta.id, "synmap::APP_ID and Cargo.toml's id differ");
}

#[test]
fn desktop_entry_is_valid_and_opens_maps_without_claiming_svg_or_json() {
    let app = App::load(root());
    let entry = root().join(format!("packaging/linux/{}.desktop", app.meta.id));
    let out = run("desktop-file-validate", &[entry.to_str().unwrap()], "desktop-file-utils");
    assert!(text(&out).trim().is_empty(), "desktop-file-validate: {}", text(&out));
    let entry = std::fs::read_to_string(entry).unwrap();
    let mimes = entry.lines().find_map(|l| l.strip_prefix("MimeType=")).expect("MimeType");
    for mime in
        ["application/x-synoptic-jsvg", "image/svg+xml-compressed", "image/svg+xml", "application/json"]
    {
        assert!(mimes.split(';').any(|m| m == mime), "the desktop entry does not open {mime}");
    }
    // Only the JSVG type is synmap's own: the MIME definitions never name .svg or .json.
    let mime_xml = std::fs::read_to_string(root().join("packaging/linux/synmap-mime.xml")).unwrap();
    let doc = roxmltree::Document::parse(&mime_xml).unwrap();
    let globs: Vec<_> =
        doc.descendants().filter(|n| n.has_tag_name("glob")).filter_map(|n| n.attribute("pattern")).collect();
    assert_eq!(globs, ["*.jsvg"]);
}

#[test]
fn mime_database_recognises_jsvg_maps() {
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("mime/packages");
    std::fs::create_dir_all(&packages).unwrap();
    std::fs::copy(root().join("packaging/linux/synmap-mime.xml"), packages.join("synmap.xml")).unwrap();
    let mime = dir.path().join("mime");
    run("update-mime-database", &[mime.to_str().unwrap()], "shared-mime-info");
    let globs = std::fs::read_to_string(mime.join("globs2")).unwrap();
    assert!(globs.lines().any(|l| l.ends_with(":application/x-synoptic-jsvg:*.jsvg")), "globs2:\n{globs}");
    let subclasses = std::fs::read_to_string(mime.join("subclasses")).unwrap();
    assert!(subclasses.contains("application/x-synoptic-jsvg application/json"), "{subclasses}");
}

#[test]
fn appstream_metadata_is_valid() {
    let app = App::load(root());
    let path = root().join(format!("packaging/linux/{}.metainfo.xml", app.meta.id));
    let out = Command::new("appstreamcli")
        .args(["validate", "--no-net", "--explain", path.to_str().unwrap()])
        .output()
        .expect("appstreamcli: install it with 'apt-get install appstream' (scripts/test does)");
    assert!(out.status.success(), "appstreamcli validate:\n{}", text(&out));
}

#[test]
fn macos_info_plist_declares_the_bundle_and_its_documents() {
    let plist = root().join("packaging/macos/Info.plist");
    let script = "import plistlib,sys,json; p=plistlib.load(open(sys.argv[1],'rb')); print(json.dumps(p))";
    let out = run("python3", &["-c", script, plist.to_str().unwrap()], "python3");
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let app = App::load(root());
    assert_eq!(p["CFBundleIdentifier"], app.meta.id.as_str());
    assert_eq!(p["CFBundleShortVersionString"], app.version.as_str());
    assert_eq!(p["CFBundleExecutable"], "synmap");
    let docs = p["CFBundleDocumentTypes"].as_array().unwrap();
    let rank = |ext: &str| {
        docs.iter()
            .find(|d| d["CFBundleTypeExtensions"].as_array().unwrap().iter().any(|e| e == ext))
            .map(|d| d["LSHandlerRank"].as_str().unwrap().to_owned())
    };
    assert_eq!(rank("jsvg").as_deref(), Some("Owner"));
    assert_eq!(rank("svg").as_deref(), Some("Alternate"));
    assert_eq!(rank("json").as_deref(), Some("Alternate"));
    assert_eq!(
        p["UTExportedTypeDeclarations"][0]["UTTypeTagSpecification"]["public.filename-extension"][0],
        "jsvg"
    );
}

/// A stand-in for the Windows executable, which cannot be built here.
fn placeholder_exe(dir: &Path) -> PathBuf {
    let exe = dir.join("synmap.exe");
    std::fs::write(&exe, b"MZ placeholder: the real synmap.exe is built on Windows").unwrap();
    exe
}

#[test]
fn windows_msi_builds_with_wixl_and_associates_jsvg() {
    let dir = tempfile::tempdir().unwrap();
    placeholder_exe(dir.path());
    // wixl takes source files by relative paths only.
    std::fs::copy(root().join("packaging/windows/synmap.ico"), dir.path().join("synmap.ico")).unwrap();
    let wxs = root().join("packaging/windows/synmap.wxs");
    let out = Command::new("wixl")
        .args(["-a", "x64", "-D", "SourceExe=synmap.exe", "-D", "IconFile=synmap.ico", "-o", "synmap.msi"])
        .arg(&wxs)
        .current_dir(dir.path())
        .output()
        .expect("wixl: install it with 'apt-get install wixl' (scripts/test does)");
    assert!(out.status.success() && text(&out).trim().is_empty(), "wixl:\n{}", text(&out));
    let msi = dir.path().join("synmap.msi");
    let upgrade = text(&run("msiinfo", &["export", msi.to_str().unwrap(), "Upgrade"], "msitools"));
    let app = App::load(root());
    assert!(upgrade.contains(&app.meta.windows_upgrade_code), "no major upgrade:\n{upgrade}");
    let registry = text(&run("msiinfo", &["export", msi.to_str().unwrap(), "Registry"], "msitools"));
    let row = |key: &str, name: &str, value: &str| {
        registry.lines().any(|l| {
            let cols: Vec<_> = l.split('\t').collect();
            cols.len() >= 5 && cols[2] == key && cols[3] == name && cols[4] == value
        })
    };
    assert!(row("Software\\Classes\\.jsvg", "", "synmap.jsvg"), "no .jsvg association:\n{registry}");
    assert!(row(
        "Software\\Classes\\synmap.jsvg\\shell\\open\\command",
        "",
        "\"[INSTALLDIR]synmap.exe\" \"%1\""
    ));
    // .svg and .json are offered, never taken.
    assert!(row("Software\\Classes\\.svg\\OpenWithProgids", "synmap.svg", ""), "{registry}");
    assert!(!registry.lines().any(|l| l.contains("\tSoftware\\Classes\\.svg\t\t")), "{registry}");
    let files = text(&run("msiinfo", &["export", msi.to_str().unwrap(), "File"], "msitools"));
    assert!(files.contains("synmap.exe") && files.contains("synmap.ico"), "{files}");
}

#[test]
fn windows_nsis_installer_builds() {
    let dir = tempfile::tempdir().unwrap();
    let exe = placeholder_exe(dir.path());
    let out_file = dir.path().join("synmap-setup.exe");
    run(
        "makensis",
        &[
            "-V2",
            "-WX",
            &format!("-DSOURCE_EXE={}", exe.display()),
            &format!("-DICON_FILE={}", root().join("packaging/windows/synmap.ico").display()),
            &format!("-DOUT_FILE={}", out_file.display()),
            root().join("packaging/windows/synmap.nsi").to_str().unwrap(),
        ],
        "nsis",
    );
    let installer = std::fs::read(&out_file).unwrap();
    assert_eq!(&installer[..2], b"MZ", "not a Windows executable");
}

#[test]
fn icons_cover_the_hicolor_sizes() {
    let app = App::load(root());
    for size in ICON_SIZES {
        let path = root().join(format!("packaging/icons/hicolor/{size}x{size}/apps/{}.png", app.meta.id));
        let (w, h) = image::image_dimensions(&path).unwrap();
        assert_eq!((w, h), (size, size), "{}", path.display());
    }
}

/// `scripts/package` on the test build's binary: the package holds the binary, desktop entry,
/// MIME types, icons, man pages, completions, licences, AppStream metadata and SBOM; the binary
/// in it runs; lintian reports no error.
#[test]
fn debian_package_from_the_test_binary() {
    let out_dir = tempfile::tempdir().unwrap();
    let status = Command::new(root().join("scripts/package"))
        .args(["--binary", env!("CARGO_BIN_EXE_synmap"), "--fast", "--output"])
        .arg(out_dir.path())
        .current_dir(root())
        .status()
        .unwrap();
    assert!(status.success(), "scripts/package failed");
    let deb = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("a .deb");
    let app = App::load(root());
    let name = deb.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with(&format!("synmap_{}", app.version)), "{name}");

    let tree = out_dir.path().join("unpacked");
    run("dpkg-deb", &["-x", deb.to_str().unwrap(), tree.to_str().unwrap()], "dpkg");
    let id = &app.meta.id;
    let doc = "usr/share/doc/synmap";
    for path in [
        "usr/bin/synmap".to_owned(),
        format!("usr/share/applications/{id}.desktop"),
        format!("usr/share/metainfo/{id}.metainfo.xml"),
        "usr/share/mime/packages/synmap.xml".into(),
        format!("usr/share/icons/hicolor/scalable/apps/{id}.svg"),
        format!("usr/share/icons/hicolor/48x48/apps/{id}.png"),
        format!("usr/share/icons/hicolor/512x512/apps/{id}.png"),
        "usr/share/man/man1/synmap.1.gz".into(),
        "usr/share/man/man1/synmap-check.1.gz".into(),
        "usr/share/man/man1/synmap-publish-mystorage-upload.1.gz".into(),
        "usr/share/bash-completion/completions/synmap".into(),
        "usr/share/zsh/vendor-completions/_synmap".into(),
        "usr/share/fish/vendor_completions.d/synmap.fish".into(),
        format!("{doc}/copyright"),
        format!("{doc}/THIRD-PARTY-LICENSES.html"),
        format!("{doc}/synmap.cdx.json"),
        format!("{doc}/font-licenses/LICENSE-DejaVu.txt"),
        format!("{doc}/font-licenses/MaterialSymbols-Apache-2.0.txt"),
    ] {
        assert!(tree.join(&path).is_file(), "the package has no {path}");
    }

    // The binary in the package runs and knows its version.
    let version = run(tree.join("usr/bin/synmap").to_str().unwrap(), &["--version"], "synmap");
    assert!(text(&version).starts_with(&format!("synmap {}", app.version)), "{}", text(&version));

    // Every crate in the build is in the SBOM and the licence report.
    let sbom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tree.join(doc).join("synmap.cdx.json")).unwrap()).unwrap();
    assert_eq!(sbom["bomFormat"], "CycloneDX");
    let components: Vec<&str> =
        sbom["components"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    let report = std::fs::read_to_string(tree.join(doc).join("THIRD-PARTY-LICENSES.html")).unwrap();
    for krate in ["usvg", "eframe", "reqwest", "keyring", "image"] {
        assert!(components.contains(&krate), "the SBOM lacks {krate}");
        assert!(report.contains(krate), "the licence report lacks {krate}");
    }

    let lintian = Command::new("lintian")
        .args(["--tag-display-limit", "0", deb.to_str().unwrap()])
        .output()
        .expect("lintian: install it with 'apt-get install lintian' (scripts/test does)");
    let findings = text(&lintian);
    let errors: Vec<_> = findings.lines().filter(|l| l.starts_with("E:")).collect();
    assert!(errors.is_empty(), "lintian errors:\n{findings}");
}
