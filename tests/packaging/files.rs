//! The packaging files of every platform, made from one source: `[package]` and
//! `[package.metadata.synmap-app]` in Cargo.toml, and the icon `packaging/synmap.svg`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
// Escapes for an attribute, and so for text between tags too.
use synmap::svg::export::escaped_attr as xml;

/// What Cargo.toml says about the application.
#[derive(Debug, Deserialize)]
pub struct App {
    /// The crate and binary name.
    pub name: String,
    /// The version every package carries.
    pub version: String,
    /// One sentence on what synmap is.
    pub description: String,
    /// The licence (SPDX).
    pub license: String,
    /// The rest, from `[package.metadata.synmap-app]`.
    pub meta: AppMeta,
    /// The Debian package's maintainer (`[package.metadata.deb]`).
    pub maintainer: String,
}

/// `[package.metadata.synmap-app]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct AppMeta {
    /// Reverse-DNS id.
    pub id: String,
    /// The name people see.
    pub title: String,
    /// A few words (GenericName, AppStream summary).
    pub summary: String,
    /// A sentence (desktop entry comment).
    pub comment: String,
    /// Paragraphs for AppStream and the Debian package.
    pub long_description: Vec<String>,
    /// Who publishes it.
    pub publisher: String,
    /// The date of this version's release.
    pub release_date: String,
    /// The SVG icon every other icon is rendered from.
    pub icon: PathBuf,
    /// Freedesktop menu categories.
    pub categories: Vec<String>,
    /// Search words.
    pub keywords: Vec<String>,
    /// The Windows installer's upgrade code: it never changes.
    pub windows_upgrade_code: String,
    /// The file types synmap opens.
    pub file_types: Vec<FileType>,
}

/// A file type synmap opens.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FileType {
    /// Without the dot.
    pub extension: String,
    /// Its MIME type.
    pub mime: String,
    /// What it is, for people.
    pub description: String,
    /// The MIME type it is a kind of (for a type synmap defines).
    pub parent_mime: Option<String>,
    /// macOS uniform type identifier.
    pub mac_uti: String,
    /// The macOS type it conforms to (for a type synmap defines).
    pub mac_conforms_to: Option<String>,
    /// synmap defines this type and is its default application; otherwise it only offers to
    /// open it.
    pub own: bool,
}

impl App {
    /// Reads Cargo.toml.
    pub fn load(root: &Path) -> App {
        #[derive(Deserialize)]
        struct Manifest {
            package: Package,
        }
        #[derive(Deserialize)]
        struct Package {
            name: String,
            version: String,
            description: String,
            license: String,
            metadata: Metadata,
        }
        #[derive(Deserialize)]
        struct Metadata {
            #[serde(rename = "synmap-app")]
            app: AppMeta,
            deb: Deb,
        }
        #[derive(Deserialize)]
        struct Deb {
            maintainer: String,
        }
        let text = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
        let p =
            toml::from_str::<Manifest>(&text).expect("Cargo.toml's [package.metadata.synmap-app]").package;
        App {
            name: p.name,
            version: p.version,
            description: p.description,
            license: p.license,
            meta: p.metadata.app,
            maintainer: p.metadata.deb.maintainer,
        }
    }

    fn owned(&self) -> impl Iterator<Item = &FileType> {
        self.meta.file_types.iter().filter(|t| t.own)
    }
}

/// The icon sizes of the hicolor theme that are written as PNG.
pub const ICON_SIZES: [u32; 9] = [16, 22, 24, 32, 48, 64, 128, 256, 512];
/// The sizes in the Windows icon.
const ICO_SIZES: [u32; 6] = [16, 24, 32, 48, 64, 256];

/// Every generated file: its path from the repository's root, and its bytes.
pub fn generate(root: &Path, app: &App) -> Vec<(PathBuf, Vec<u8>)> {
    let id = &app.meta.id;
    let icon = std::fs::read(root.join(&app.meta.icon)).expect("the icon");
    let mut files = vec![
        (format!("packaging/linux/{id}.desktop"), desktop_entry(app).into_bytes()),
        ("packaging/linux/synmap-mime.xml".into(), mime_types(app).into_bytes()),
        (format!("packaging/linux/{id}.metainfo.xml"), appstream(app).into_bytes()),
        ("packaging/linux/changelog".into(), debian_changelog(app).into_bytes()),
        (
            "packaging/linux/description.txt".into(),
            format!("{}\n", app.meta.long_description.join("\n\n")).into_bytes(),
        ),
        ("packaging/windows/synmap.wxs".into(), wix(app).into_bytes()),
        ("packaging/windows/synmap.nsi".into(), nsis(app).into_bytes()),
        ("packaging/windows/synmap.ico".into(), ico(&icon)),
        ("packaging/macos/Info.plist".into(), info_plist(app).into_bytes()),
    ];
    for size in ICON_SIZES {
        files.push((format!("packaging/icons/hicolor/{size}x{size}/apps/{id}.png"), png(&icon, size)));
    }
    files.into_iter().map(|(path, bytes)| (PathBuf::from(path), bytes)).collect()
}

fn desktop_entry(app: &App) -> String {
    let list = |items: &mut dyn Iterator<Item = &str>| items.map(|s| format!("{s};")).collect::<String>();
    let mimes = list(&mut app.meta.file_types.iter().map(|t| t.mime.as_str()));
    format!(
        "[Desktop Entry]\nType=Application\nName={}\nGenericName={}\nComment={}\nExec={} %f\nIcon={}\n\
         Terminal=false\nStartupNotify=true\nStartupWMClass={}\nCategories={}\nMimeType={}\nKeywords={}\n",
        app.meta.title,
        app.meta.summary,
        app.meta.comment,
        app.name,
        app.meta.id,
        app.meta.id,
        list(&mut app.meta.categories.iter().map(String::as_str)),
        mimes,
        list(&mut app.meta.keywords.iter().map(String::as_str)),
    )
}

/// The Debian changelog: one entry for this version, on its release date.
fn debian_changelog(app: &App) -> String {
    let date: jiff::civil::Date = app.meta.release_date.parse().expect("release-date is YYYY-MM-DD");
    format!(
        "{} ({}-1) unstable; urgency=medium\n\n  * Release {}.\n\n -- {}  {}\n",
        app.name,
        app.version,
        app.version,
        app.maintainer,
        date.strftime("%a, %d %b %Y 00:00:00 +0000"),
    )
}

fn mime_types(app: &App) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <mime-info xmlns=\"http://www.freedesktop.org/standards/shared-mime-info\">\n",
    );
    for t in app.owned() {
        let _ = writeln!(out, "  <mime-type type=\"{}\">", xml(&t.mime));
        let _ = writeln!(out, "    <comment>{}</comment>", xml(&t.description));
        if let Some(parent) = &t.parent_mime {
            let _ = writeln!(out, "    <sub-class-of type=\"{}\"/>", xml(parent));
        }
        let _ = writeln!(out, "    <glob pattern=\"*.{}\"/>", xml(&t.extension));
        let _ = writeln!(out, "  </mime-type>");
    }
    out + "</mime-info>\n"
}

fn appstream(app: &App) -> String {
    let m = &app.meta;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<component type=\"desktop-application\">\n",
    );
    let _ = writeln!(out, "  <id>{}</id>", xml(&m.id));
    let _ = writeln!(out, "  <metadata_license>{}</metadata_license>", xml(&app.license));
    let _ = writeln!(out, "  <project_license>{}</project_license>", xml(&app.license));
    let _ = writeln!(out, "  <name>{}</name>", xml(&m.title));
    let _ = writeln!(out, "  <summary>{}</summary>", xml(&m.summary));
    let _ = writeln!(
        out,
        "  <developer id=\"{}\">",
        xml(m.id.rsplit_once('.').map_or(m.id.as_str(), |(org, _)| org))
    );
    let _ = writeln!(out, "    <name>{}</name>\n  </developer>", xml(&m.publisher));
    out += "  <description>\n";
    for p in &m.long_description {
        let _ = writeln!(out, "    <p>{}</p>", xml(p));
    }
    out += "  </description>\n";
    let _ = writeln!(out, "  <launchable type=\"desktop-id\">{}.desktop</launchable>", xml(&m.id));
    let _ = writeln!(out, "  <provides>\n    <binary>{}</binary>", xml(&app.name));
    for t in &m.file_types {
        let _ = writeln!(out, "    <mediatype>{}</mediatype>", xml(&t.mime));
    }
    out += "  </provides>\n  <categories>\n";
    for c in &m.categories {
        let _ = writeln!(out, "    <category>{}</category>", xml(c));
    }
    out += "  </categories>\n  <keywords>\n";
    for k in &m.keywords {
        let _ = writeln!(out, "    <keyword>{}</keyword>", xml(k));
    }
    out += "  </keywords>\n  <content_rating type=\"oars-1.1\"/>\n  <releases>\n";
    let _ =
        writeln!(out, "    <release version=\"{}\" date=\"{}\"/>", xml(&app.version), xml(&m.release_date));
    out + "  </releases>\n</component>\n"
}

/// The Windows registry values that associate the file types, as (key under
/// `Software\Classes`, value name or "" for the default, value).
fn windows_associations(app: &App, exe: &str, ico: &str) -> Vec<(String, String, String)> {
    let mut values = Vec::new();
    for t in &app.meta.file_types {
        let ext = format!(".{}", t.extension);
        let prog_id = format!("{}.{}", app.name, t.extension);
        if t.own {
            values.push((ext.clone(), String::new(), prog_id.clone()));
            values.push((ext.clone(), "Content Type".into(), t.mime.clone()));
        }
        values.push((format!("{ext}\\OpenWithProgids"), prog_id.clone(), String::new()));
        values.push((prog_id.clone(), String::new(), t.description.clone()));
        values.push((format!("{prog_id}\\DefaultIcon"), String::new(), ico.into()));
        values.push((format!("{prog_id}\\shell\\open\\command"), String::new(), format!("\"{exe}\" \"%1\"")));
        values.push((format!("Applications\\{}.exe\\SupportedTypes", app.name), ext, String::new()));
    }
    values
}

fn wix(app: &App) -> String {
    let m = &app.meta;
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- Generated from Cargo.toml by tests/packaging: do not edit (see packaging/README.md). -->\n\
         <!-- Build: wixl -a x64 -D SourceExe=synmap.exe -D IconFile=packaging/windows/synmap.ico \
         -o synmap-{version}-x64.msi packaging/windows/synmap.wxs (relative paths: wixl refuses absolute ones) -->\n\
         <Wix xmlns=\"http://schemas.microsoft.com/wix/2006/wi\">\n\
         \x20 <Product Id=\"*\" Name=\"{title}\" Language=\"1033\" Version=\"{version}\" Manufacturer=\"{publisher}\" UpgradeCode=\"{upgrade}\">\n\
         \x20   <Package InstallerVersion=\"500\" Compressed=\"yes\" InstallScope=\"perMachine\" Description=\"{description}\" Comments=\"{comment}\"/>\n\
         \x20   <MajorUpgrade DowngradeErrorMessage=\"A newer version of {title} is already installed.\"/>\n\
         \x20   <Media Id=\"1\" Cabinet=\"synmap.cab\" EmbedCab=\"yes\"/>\n\
         \x20   <Icon Id=\"synmap.ico\" SourceFile=\"$(var.IconFile)\"/>\n\
         \x20   <Property Id=\"ARPPRODUCTICON\" Value=\"synmap.ico\"/>\n\
         \x20   <Directory Id=\"TARGETDIR\" Name=\"SourceDir\">\n\
         \x20     <Directory Id=\"ProgramFiles64Folder\">\n\
         \x20       <Directory Id=\"INSTALLDIR\" Name=\"{title}\">\n\
         \x20         <Component Id=\"Program\" Guid=\"*\" Win64=\"yes\">\n\
         \x20           <File Id=\"SynmapExe\" Name=\"{name}.exe\" Source=\"$(var.SourceExe)\" KeyPath=\"yes\"/>\n\
         \x20           <File Id=\"SynmapIco\" Name=\"synmap.ico\" Source=\"$(var.IconFile)\"/>\n",
        version = xml(&app.version),
        title = xml(&m.title),
        publisher = xml(&m.publisher),
        upgrade = xml(&m.windows_upgrade_code),
        description = xml(&app.description),
        comment = xml(&m.comment),
        name = xml(&app.name),
    );
    for (key, name, value) in windows_associations(app, "[INSTALLDIR]synmap.exe", "[INSTALLDIR]synmap.ico") {
        let name = if name.is_empty() { String::new() } else { format!(" Name=\"{}\"", xml(&name)) };
        let _ = writeln!(
            out,
            "            <RegistryValue Root=\"HKLM\" Key=\"Software\\Classes\\{}\"{name} Type=\"string\" Value=\"{}\"/>",
            xml(&key),
            xml(&value),
        );
    }
    let _ = write!(
        out,
        "          </Component>\n\
         \x20       </Directory>\n\
         \x20     </Directory>\n\
         \x20     <Directory Id=\"ProgramMenuFolder\">\n\
         \x20       <Component Id=\"MenuShortcut\" Guid=\"*\">\n\
         \x20         <Shortcut Id=\"SynmapShortcut\" Name=\"{title}\" Description=\"{comment}\" Target=\"[INSTALLDIR]{name}.exe\" WorkingDirectory=\"INSTALLDIR\"/>\n\
         \x20         <RegistryValue Root=\"HKCU\" Key=\"Software\\{title}\" Name=\"shortcut\" Type=\"integer\" Value=\"1\" KeyPath=\"yes\"/>\n\
         \x20       </Component>\n\
         \x20     </Directory>\n\
         \x20   </Directory>\n\
         \x20   <Feature Id=\"Complete\" Level=\"1\">\n\
         \x20     <ComponentRef Id=\"Program\"/>\n\
         \x20     <ComponentRef Id=\"MenuShortcut\"/>\n\
         \x20   </Feature>\n\
         \x20 </Product>\n\
         </Wix>\n",
        title = xml(&m.title),
        comment = xml(&m.comment),
        name = xml(&app.name),
    );
    out
}

fn nsis(app: &App) -> String {
    let m = &app.meta;
    let quote = |s: &str| s.replace("$\\", "$$\\").replace('"', "$\\\"");
    let uninstall_key = format!("Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{}", app.name);
    let mut out = format!(
        "; Generated from Cargo.toml by tests/packaging (UPDATE_PACKAGING=1 cargo test --test packaging).\n\
         ; Build: makensis -DSOURCE_EXE=synmap.exe -DICON_FILE=packaging/windows/synmap.ico \
         -DOUT_FILE=synmap-{version}-setup.exe packaging/windows/synmap.nsi\n\
         Unicode true\n\
         Name \"{title}\"\n\
         OutFile \"${{OUT_FILE}}\"\n\
         Icon \"${{ICON_FILE}}\"\n\
         UninstallIcon \"${{ICON_FILE}}\"\n\
         InstallDir \"$PROGRAMFILES64\\{title}\"\n\
         RequestExecutionLevel admin\n\
         SetCompressor /SOLID lzma\n\
         VIProductVersion \"{version}.0\"\n\
         VIAddVersionKey \"ProductName\" \"{title}\"\n\
         VIAddVersionKey \"ProductVersion\" \"{version}\"\n\
         VIAddVersionKey \"CompanyName\" \"{publisher}\"\n\
         VIAddVersionKey \"FileDescription\" \"{summary}\"\n\
         VIAddVersionKey \"FileVersion\" \"{version}\"\n\
         VIAddVersionKey \"LegalCopyright\" \"{publisher}\"\n\
         Page directory\n\
         Page instfiles\n\
         UninstPage uninstConfirm\n\
         UninstPage instfiles\n\n\
         Section \"Install\"\n\
         \x20 SetRegView 64\n\
         \x20 SetOutPath \"$INSTDIR\"\n\
         \x20 File \"/oname={name}.exe\" \"${{SOURCE_EXE}}\"\n\
         \x20 File \"/oname=synmap.ico\" \"${{ICON_FILE}}\"\n\
         \x20 WriteUninstaller \"$INSTDIR\\uninstall.exe\"\n\
         \x20 CreateShortcut \"$SMPROGRAMS\\{title}.lnk\" \"$INSTDIR\\{name}.exe\"\n",
        version = quote(&app.version),
        title = quote(&m.title),
        publisher = quote(&m.publisher),
        summary = quote(&m.summary),
        name = quote(&app.name),
    );
    let associations = windows_associations(app, "$INSTDIR\\synmap.exe", "$INSTDIR\\synmap.ico");
    for (key, name, value) in &associations {
        let _ = writeln!(
            out,
            "  WriteRegStr HKLM \"Software\\Classes\\{}\" \"{}\" \"{}\"",
            quote(key),
            quote(name),
            quote(value)
        );
    }
    let _ = write!(
        out,
        "  WriteRegStr HKLM \"{key}\" \"DisplayName\" \"{title}\"\n\
         \x20 WriteRegStr HKLM \"{key}\" \"DisplayVersion\" \"{version}\"\n\
         \x20 WriteRegStr HKLM \"{key}\" \"Publisher\" \"{publisher}\"\n\
         \x20 WriteRegStr HKLM \"{key}\" \"DisplayIcon\" \"$INSTDIR\\synmap.ico\"\n\
         \x20 WriteRegStr HKLM \"{key}\" \"UninstallString\" '\"$INSTDIR\\uninstall.exe\"'\n\
         \x20 System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'\n\
         SectionEnd\n\n\
         Section \"Uninstall\"\n\
         \x20 SetRegView 64\n\
         \x20 Delete \"$INSTDIR\\{name}.exe\"\n\
         \x20 Delete \"$INSTDIR\\synmap.ico\"\n\
         \x20 Delete \"$INSTDIR\\uninstall.exe\"\n\
         \x20 RMDir \"$INSTDIR\"\n\
         \x20 Delete \"$SMPROGRAMS\\{title}.lnk\"\n",
        key = quote(&uninstall_key),
        title = quote(&m.title),
        version = quote(&app.version),
        publisher = quote(&m.publisher),
        name = quote(&app.name),
    );
    // Removes what the install wrote: the keys of synmap's own types and programs, and synmap's
    // entry in the other types' "open with" lists (their keys stay: they are not synmap's).
    for t in &m.file_types {
        let ext = format!(".{}", t.extension);
        let prog_id = format!("{}.{}", app.name, t.extension);
        if t.own {
            let _ = writeln!(out, "  DeleteRegKey HKLM \"Software\\Classes\\{}\"", quote(&ext));
        } else {
            let _ = writeln!(
                out,
                "  DeleteRegValue HKLM \"Software\\Classes\\{}\\OpenWithProgids\" \"{}\"",
                quote(&ext),
                quote(&prog_id)
            );
        }
        let _ = writeln!(out, "  DeleteRegKey HKLM \"Software\\Classes\\{}\"", quote(&prog_id));
    }
    let _ = write!(
        out,
        "  DeleteRegKey HKLM \"Software\\Classes\\Applications\\{name}.exe\"\n\
         \x20 DeleteRegKey HKLM \"{key}\"\n\
         \x20 System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'\n\
         SectionEnd\n",
        name = quote(&app.name),
        key = quote(&uninstall_key),
    );
    out
}

fn info_plist(app: &App) -> String {
    let m = &app.meta;
    let key = |k: &str, v: &str| format!("  <key>{k}</key>\n  <string>{}</string>\n", xml(v));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n",
    );
    for (k, v) in [
        ("CFBundleName", m.title.as_str()),
        ("CFBundleDisplayName", &m.title),
        ("CFBundleIdentifier", &m.id),
        ("CFBundleVersion", &app.version),
        ("CFBundleShortVersionString", &app.version),
        ("CFBundleExecutable", &app.name),
        ("CFBundleIconFile", "synmap.icns"),
        ("CFBundlePackageType", "APPL"),
        ("CFBundleInfoDictionaryVersion", "6.0"),
        ("LSMinimumSystemVersion", "11.0"),
        ("LSApplicationCategoryType", "public.app-category.graphics-design"),
        ("NSHumanReadableCopyright", &format!("© {}", m.publisher)),
    ] {
        out += &key(k, v);
    }
    out += "  <key>NSHighResolutionCapable</key>\n  <true/>\n  <key>CFBundleDocumentTypes</key>\n  <array>\n";
    for t in &m.file_types {
        let rank = if t.own { "Owner" } else { "Alternate" };
        let _ = write!(
            out,
            "    <dict>\n\
             \x20     <key>CFBundleTypeName</key>\n      <string>{}</string>\n\
             \x20     <key>CFBundleTypeRole</key>\n      <string>Editor</string>\n\
             \x20     <key>LSHandlerRank</key>\n      <string>{rank}</string>\n\
             \x20     <key>LSItemContentTypes</key>\n      <array>\n        <string>{}</string>\n      </array>\n\
             \x20     <key>CFBundleTypeExtensions</key>\n      <array>\n        <string>{}</string>\n      </array>\n\
             \x20   </dict>\n",
            xml(&t.description),
            xml(&t.mac_uti),
            xml(&t.extension),
        );
    }
    out += "  </array>\n  <key>UTExportedTypeDeclarations</key>\n  <array>\n";
    for t in app.owned() {
        let _ = write!(
            out,
            "    <dict>\n\
             \x20     <key>UTTypeIdentifier</key>\n      <string>{}</string>\n\
             \x20     <key>UTTypeDescription</key>\n      <string>{}</string>\n\
             \x20     <key>UTTypeConformsTo</key>\n      <array>\n        <string>{}</string>\n      </array>\n\
             \x20     <key>UTTypeTagSpecification</key>\n      <dict>\n\
             \x20       <key>public.filename-extension</key>\n        <array>\n          <string>{}</string>\n        </array>\n\
             \x20       <key>public.mime-type</key>\n        <array>\n          <string>{}</string>\n        </array>\n\
             \x20     </dict>\n\
             \x20   </dict>\n",
            xml(&t.mac_uti),
            xml(&t.description),
            xml(t.mac_conforms_to.as_deref().unwrap_or("public.data")),
            xml(&t.extension),
            xml(&t.mime),
        );
    }
    out + "  </array>\n</dict>\n</plist>\n"
}

/// Renders the SVG icon as a square PNG.
pub fn png(svg: &[u8], size: u32) -> Vec<u8> {
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).expect("the icon is SVG");
    let mut pixmap = tiny_skia::Pixmap::new(size, size).expect("a pixmap");
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().expect("PNG")
}

/// The Windows icon: the PNG renderings in one `.ico`.
fn ico(svg: &[u8]) -> Vec<u8> {
    let frames: Vec<_> = ICO_SIZES
        .iter()
        .map(|&size| {
            image::codecs::ico::IcoFrame::with_encoded(
                png(svg, size),
                size,
                size,
                image::ExtendedColorType::Rgba8,
            )
            .expect("an icon frame")
        })
        .collect();
    let mut out = Vec::new();
    image::codecs::ico::IcoEncoder::new(&mut out).encode_images(&frames).expect("ICO");
    out
}
