; "Open With MCP Patchbay" for MCP config files on Windows, registered for the current user only.
; The app is added to each extension's OpenWithProgids list and never written as the extension's default
; handler, so whatever opens .json and .yaml files today keeps doing so.

!define PATCHBAY_PROGID "MCPPatchbay.ConfigFile"

!macro patchbayOpenWith EXT
  WriteRegStr HKCU "Software\Classes\.${EXT}\OpenWithProgids" "${PATCHBAY_PROGID}" ""
!macroend

!macro patchbayForget EXT
  DeleteRegValue HKCU "Software\Classes\.${EXT}\OpenWithProgids" "${PATCHBAY_PROGID}"
!macroend

!macro customInstall
  WriteRegStr HKCU "Software\Classes\${PATCHBAY_PROGID}" "" "MCP config file"
  WriteRegStr HKCU "Software\Classes\${PATCHBAY_PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr HKCU "Software\Classes\${PATCHBAY_PROGID}\shell\open" "FriendlyAppName" "MCP Patchbay"
  WriteRegStr HKCU "Software\Classes\${PATCHBAY_PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  !insertmacro patchbayOpenWith "json"
  !insertmacro patchbayOpenWith "jsonc"
  !insertmacro patchbayOpenWith "yaml"
  !insertmacro patchbayOpenWith "yml"
  ; Tell Explorer the associations changed.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  !insertmacro patchbayForget "json"
  !insertmacro patchbayForget "jsonc"
  !insertmacro patchbayForget "yaml"
  !insertmacro patchbayForget "yml"
  DeleteRegKey HKCU "Software\Classes\${PATCHBAY_PROGID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
