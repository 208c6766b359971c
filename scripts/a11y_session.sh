#!/bin/bash
# Run synmap on a private headless X display with the AT-SPI accessibility bus
# enabled, then inspect it with scripts/a11y_probe.py.  No desktop, no WM needed.
#
#   scripts/a11y_session.sh [a11y_probe.py args...]     e.g.  --tab 8
#
# Env: SYNMAP_BIN (default target/debug/synmap), SYNMAP_FILE (default
#      assets/samples/office-floor.svg), A11Y_DISPLAY (default: a free one),
#      A11Y_DIR (default: a new temporary folder), A11Y_HOLD=1 to open a shell in
#      the session instead of exiting after the probe.
# Needs: apt-get install -y python3-pyatspi (at-spi2-core, xvfb, xdotool, dbus).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# 1. Private session bus: re-exec ourselves under dbus-run-session.
if [ -z "${A11Y_INNER:-}" ]; then
    export A11Y_INNER=1
    exec dbus-run-session -- "$0" "$@"
fi

A11Y_DIR=${A11Y_DIR:-$(mktemp -d)}
BIN=${SYNMAP_BIN:-$HERE/../target/debug/synmap}
FILE=${SYNMAP_FILE:-$HERE/../assets/samples/office-floor.svg}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Keep the a11y bus socket and GSettings writes out of the real $HOME:
# at-spi-bus-launcher puts its socket in $XDG_RUNTIME_DIR/at-spi (else
# ~/.cache/at-spi, shared by every session of this user) and persists
# IsEnabled to dconf (org.gnome.desktop.interface toolkit-accessibility).
export XDG_RUNTIME_DIR=$A11Y_DIR/run GSETTINGS_BACKEND=memory
mkdir -p "$XDG_RUNTIME_DIR" "$A11Y_DIR/home" && chmod 700 "$XDG_RUNTIME_DIR"

# 2. X server, on a free display unless one is named.
if [ -n "${A11Y_DISPLAY:-}" ]; then
    Xvfb "$A11Y_DISPLAY" -screen 0 1400x900x24 -nolisten tcp >"$A11Y_DIR/xvfb.log" 2>&1 &
    PIDS+=($!)
    export DISPLAY=$A11Y_DISPLAY
else
    # A free display well above the ones desktops use (:0 may belong to another server).
    n=$((80 + RANDOM % 400))
    while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 1400x900x24 -nolisten tcp >"$A11Y_DIR/xvfb.log" 2>&1 &
    PIDS+=($!)
    echo "$n" >"$A11Y_DIR/display"
    export DISPLAY=:$n
fi
for _ in $(seq 300); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
xdotool getdisplaygeometry >/dev/null || { echo "no X server answers on $DISPLAY" >&2; exit 1; }

# 3. Accessibility bus, enabled from the start (--a11y=1 => org.a11y.Status
#    IsEnabled=true, the only property AccessKit's unix adapter watches).
/usr/libexec/at-spi-bus-launcher --launch-immediately --a11y=1 >"$A11Y_DIR/bus.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do
    busctl --user get-property org.a11y.Bus /org/a11y/bus org.a11y.Status IsEnabled 2>/dev/null | grep -q true && break
    sleep 0.1
done
# Equivalent at any time, also after the app started (AccessKit follows changes):
busctl --user set-property org.a11y.Bus /org/a11y/bus org.a11y.Status IsEnabled b true
/usr/libexec/at-spi2-registryd --use-gnome-session >"$A11Y_DIR/registryd.log" 2>&1 &
PIDS+=($!)

# 4. The app, with a throw-away HOME (no autosave => no recovery prompt).
rm -rf "$A11Y_DIR/home/.local/share/synmap/autosave"
# Started again when it could not reach the fresh X server at once (seen now and then under
# load: xdotool answered, winit did not).
for _ in 1 2 3; do
    HOME=$A11Y_DIR/home "$BIN" "$FILE" >"$A11Y_DIR/app.log" 2>&1 &
    app=$!
    sleep 2
    kill -0 "$app" 2>/dev/null && break
    grep -q "open connection to X server" "$A11Y_DIR/app.log" || break
done
PIDS+=($app)

# 5. Probe (system python: pyatspi is a Debian package, not in pyenv).
/usr/bin/python3 "$HERE/a11y_probe.py" "$@"
if [ -n "${A11Y_HOLD:-}" ]; then
    echo "session ready: DISPLAY=$DISPLAY DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS; exit to clean up"
    bash -i
fi
