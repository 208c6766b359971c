; Generated from Cargo.toml by tests/packaging (UPDATE_PACKAGING=1 cargo test --test packaging).
; Build: makensis -DSOURCE_EXE=synmap.exe -DICON_FILE=packaging/windows/synmap.ico -DOUT_FILE=synmap-0.1.0-setup.exe packaging/windows/synmap.nsi
Unicode true
Name "synmap"
OutFile "${OUT_FILE}"
Icon "${ICON_FILE}"
UninstallIcon "${ICON_FILE}"
InstallDir "$PROGRAMFILES64\synmap"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
VIProductVersion "0.1.0.0"
VIAddVersionKey "ProductName" "synmap"
VIAddVersionKey "ProductVersion" "0.1.0"
VIAddVersionKey "CompanyName" "the synmap developers"
VIAddVersionKey "FileDescription" "Synoptic map studio"
VIAddVersionKey "FileVersion" "0.1.0"
VIAddVersionKey "LegalCopyright" "the synmap developers"
Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "Install"
  SetRegView 64
  SetOutPath "$INSTDIR"
  File "/oname=synmap.exe" "${SOURCE_EXE}"
  File "/oname=synmap.ico" "${ICON_FILE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\synmap.lnk" "$INSTDIR\synmap.exe"
  WriteRegStr HKLM "Software\Classes\.jsvg" "" "synmap.jsvg"
  WriteRegStr HKLM "Software\Classes\.jsvg" "Content Type" "application/x-synoptic-jsvg"
  WriteRegStr HKLM "Software\Classes\.jsvg\OpenWithProgids" "synmap.jsvg" ""
  WriteRegStr HKLM "Software\Classes\synmap.jsvg" "" "Synoptic Panel map (JSVG)"
  WriteRegStr HKLM "Software\Classes\synmap.jsvg\DefaultIcon" "" "$INSTDIR\synmap.ico"
  WriteRegStr HKLM "Software\Classes\synmap.jsvg\shell\open\command" "" "$\"$INSTDIR\synmap.exe$\" $\"%1$\""
  WriteRegStr HKLM "Software\Classes\Applications\synmap.exe\SupportedTypes" ".jsvg" ""
  WriteRegStr HKLM "Software\Classes\.svgz\OpenWithProgids" "synmap.svgz" ""
  WriteRegStr HKLM "Software\Classes\synmap.svgz" "" "Compressed SVG map"
  WriteRegStr HKLM "Software\Classes\synmap.svgz\DefaultIcon" "" "$INSTDIR\synmap.ico"
  WriteRegStr HKLM "Software\Classes\synmap.svgz\shell\open\command" "" "$\"$INSTDIR\synmap.exe$\" $\"%1$\""
  WriteRegStr HKLM "Software\Classes\Applications\synmap.exe\SupportedTypes" ".svgz" ""
  WriteRegStr HKLM "Software\Classes\.svg\OpenWithProgids" "synmap.svg" ""
  WriteRegStr HKLM "Software\Classes\synmap.svg" "" "SVG map"
  WriteRegStr HKLM "Software\Classes\synmap.svg\DefaultIcon" "" "$INSTDIR\synmap.ico"
  WriteRegStr HKLM "Software\Classes\synmap.svg\shell\open\command" "" "$\"$INSTDIR\synmap.exe$\" $\"%1$\""
  WriteRegStr HKLM "Software\Classes\Applications\synmap.exe\SupportedTypes" ".svg" ""
  WriteRegStr HKLM "Software\Classes\.json\OpenWithProgids" "synmap.json" ""
  WriteRegStr HKLM "Software\Classes\synmap.json" "" "JSON (JSVG map)"
  WriteRegStr HKLM "Software\Classes\synmap.json\DefaultIcon" "" "$INSTDIR\synmap.ico"
  WriteRegStr HKLM "Software\Classes\synmap.json\shell\open\command" "" "$\"$INSTDIR\synmap.exe$\" $\"%1$\""
  WriteRegStr HKLM "Software\Classes\Applications\synmap.exe\SupportedTypes" ".json" ""
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\synmap" "DisplayName" "synmap"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\synmap" "DisplayVersion" "0.1.0"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\synmap" "Publisher" "the synmap developers"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\synmap" "DisplayIcon" "$INSTDIR\synmap.ico"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\synmap" "UninstallString" '"$INSTDIR\uninstall.exe"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  SetRegView 64
  Delete "$INSTDIR\synmap.exe"
  Delete "$INSTDIR\synmap.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\synmap.lnk"
  DeleteRegKey HKLM "Software\Classes\.jsvg"
  DeleteRegKey HKLM "Software\Classes\synmap.jsvg"
  DeleteRegValue HKLM "Software\Classes\.svgz\OpenWithProgids" "synmap.svgz"
  DeleteRegKey HKLM "Software\Classes\synmap.svgz"
  DeleteRegValue HKLM "Software\Classes\.svg\OpenWithProgids" "synmap.svg"
  DeleteRegKey HKLM "Software\Classes\synmap.svg"
  DeleteRegValue HKLM "Software\Classes\.json\OpenWithProgids" "synmap.json"
  DeleteRegKey HKLM "Software\Classes\synmap.json"
  DeleteRegKey HKLM "Software\Classes\Applications\synmap.exe"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\synmap"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
