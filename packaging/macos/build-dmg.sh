#!/usr/bin/env bash
# Builds synmap.app and a DMG on macOS (Xcode command-line tools and rustup needed):
#   packaging/macos/build-dmg.sh        -> target/macos/synmap-<version>.dmg
# A universal binary (Apple silicon and Intel), the bundle from the generated Info.plist, the
# icon from the generated hicolor PNGs. Sign and notarise with your Developer ID afterwards
# (codesign --deep --options runtime, xcrun notarytool submit, xcrun stapler staple).
set -euo pipefail
cd "$(dirname "$0")/../.."
plist=packaging/macos/Info.plist
version=$(/usr/libexec/PlistBuddy -c 'Print CFBundleShortVersionString' "$plist")
id=$(/usr/libexec/PlistBuddy -c 'Print CFBundleIdentifier' "$plist")

rustup target add aarch64-apple-darwin x86_64-apple-darwin
cargo build --release --locked --target aarch64-apple-darwin
cargo build --release --locked --target x86_64-apple-darwin

out=target/macos
app="$out/synmap.app"
rm -rf "$out" && mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$plist" "$app/Contents/Info.plist"
lipo -create -output "$app/Contents/MacOS/synmap" \
    target/aarch64-apple-darwin/release/synmap target/x86_64-apple-darwin/release/synmap

iconset="$out/synmap.iconset"
mkdir -p "$iconset"
for size in 16 32 128 256 512; do
    cp "packaging/icons/hicolor/${size}x${size}/apps/$id.png" "$iconset/icon_${size}x${size}.png"
done
for size in 16 32 128 256; do
    double=$((size * 2))
    cp "packaging/icons/hicolor/${double}x${double}/apps/$id.png" "$iconset/icon_${size}x${size}@2x.png"
done
iconutil -c icns -o "$app/Contents/Resources/synmap.icns" "$iconset"

hdiutil create -volname "synmap $version" -srcfolder "$app" -ov -format UDZO "$out/synmap-$version.dmg"
echo "$out/synmap-$version.dmg"
