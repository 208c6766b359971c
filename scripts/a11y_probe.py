#!/usr/bin/python3
"""Inspect the running synmap window through AT-SPI (pyatspi).

Must run with the *system* python (/usr/bin/python3, Debian package
python3-pyatspi), in the same D-Bus session as synmap, after the a11y bus
has been started with IsEnabled=true.  See scripts/a11y_session.sh, which
sets all of that up on a private Xvfb display and then calls this script.

Usage:
  a11y_probe.py                 dump the accessible tree once
  a11y_probe.py --tab 5         focus the window (xdotool), press Tab 5 times,
                                print the focused node after each press
  a11y_probe.py --keys 'Tab Tab Down'   same, with an arbitrary key list
  a11y_probe.py --events 10     print object:state-changed:focused events for
                                10 s (press keys from another shell meanwhile)
  a11y_probe.py --check         the test the suite runs (tests/accessibility.rs): every
                                focusable node has a name, and an area is reached and
                                selected with the keyboard alone; exits 1 saying what failed
  options: --app NAME (default synmap), --wait SECONDS (default 20),
           --focusable-only, --no-tree, --dump-after (tree again after keys)
Output, one line per node:
  <depth> <indent><role> name=.. desc=.. [states] {attributes} value=.. text=..
"""
import argparse
import os
import subprocess
import sys
import time

import pyatspi

STATES = [
    ("focusable", pyatspi.STATE_FOCUSABLE),
    ("FOCUSED", pyatspi.STATE_FOCUSED),
    ("selected", pyatspi.STATE_SELECTED),
    ("expandable", pyatspi.STATE_EXPANDABLE),
    ("expanded", pyatspi.STATE_EXPANDED),
    ("checked", pyatspi.STATE_CHECKED),
    ("pressed", pyatspi.STATE_PRESSED),
    ("disabled", None),  # derived: not STATE_ENABLED
    ("editable", pyatspi.STATE_EDITABLE),
]


def find_app(name, wait):
    """Return the Accessible of the first application whose name contains
    `name`, retrying for up to `wait` seconds."""
    deadline = time.time() + wait
    while True:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and name.lower() in (app.name or "").lower():
                return app
        if time.time() > deadline:
            names = [a.name for a in desktop if a is not None]
            sys.exit(f"no application matching {name!r} after {wait}s; apps: {names}")
        time.sleep(0.5)


def states_of(acc):
    ss = acc.getState()
    out = []
    for label, st in STATES:
        if st is None:
            if not ss.contains(pyatspi.STATE_ENABLED):
                out.append(label)
        elif ss.contains(st):
            out.append(label)
    return out


def attrs_of(acc):
    try:
        # list of "key:value" strings; tree items carry "level:N" here
        return dict(a.split(":", 1) for a in acc.getAttributes() if ":" in a)
    except Exception:
        return {}


def extras_of(acc):
    parts = []
    try:
        v = acc.queryValue()
        parts.append(f"value={v.currentValue:g} [{v.minimumValue:g}..{v.maximumValue:g}]")
    except NotImplementedError:
        pass
    except Exception as e:  # noqa: BLE001
        parts.append(f"value=<{e.__class__.__name__}>")
    try:
        t = acc.queryText()
        n = t.characterCount
        parts.append(f"text={t.getText(0, min(n, 60))!r}")
    except NotImplementedError:
        pass
    except Exception as e:  # noqa: BLE001
        parts.append(f"text=<{e.__class__.__name__}>")
    return parts


def describe(acc, depth=0):
    name = acc.name or ""
    desc = (acc.description or "").replace("\n", " / ")
    if len(desc) > 50:
        desc = desc[:47] + "..."
    st = states_of(acc)
    attrs = attrs_of(acc)
    level = attrs.pop("level", None)
    line = f"{depth:2d} {'  ' * depth}{acc.getRoleName()} name={name!r}"
    if desc:
        line += f" desc={desc!r}"
    if level is not None:
        line += f" level={level}"
    if st:
        line += f" [{','.join(st)}]"
    if attrs:
        line += f" {attrs}"
    extra = extras_of(acc)
    if extra:
        line += " " + " ".join(extra)
    if "focusable" in st and not name.strip():
        line += "   <-- FOCUSABLE WITHOUT NAME"
    return line


def walk(acc, depth=0):
    yield depth, acc
    for child in acc:
        if child is not None:
            yield from walk(child, depth + 1)


def dump(app, focusable_only=False):
    for depth, acc in walk(app):
        if focusable_only and not acc.getState().contains(pyatspi.STATE_FOCUSABLE):
            continue
        print(describe(acc, depth))


def focused_nodes(app):
    return [(d, a) for d, a in walk(app) if a.getState().contains(pyatspi.STATE_FOCUSED)]


def focus_window(name):
    """There is no window manager: find the X window and give it input focus,
    otherwise xdotool keys go nowhere and AccessKit reports no FOCUSED node."""
    out = subprocess.run(["xdotool", "search", "--name", name],
                         capture_output=True, text=True).stdout.split()
    if not out:
        sys.exit(f"xdotool: no X window named like {name!r} (DISPLAY={os.environ.get('DISPLAY')})")
    win = out[-1]
    subprocess.run(["xdotool", "windowfocus", "--sync", win], check=True)
    return win


def press_keys(app, name, keys):
    win = focus_window(name)
    time.sleep(0.5)
    print(f"# window {win} focused; focused nodes before keys:")
    for d, a in focused_nodes(app):
        print("   ", describe(a, d))
    for key in keys:
        subprocess.run(["xdotool", "key", "--window", win, "--clearmodifiers", key], check=True)
        time.sleep(0.4)  # let egui repaint and AccessKit push the update
        nodes = focused_nodes(app)
        print(f"# after {key}: {len(nodes)} focused")
        for d, a in nodes:
            print("   ", describe(a, d))


def listen(app_name, seconds):
    from gi.repository import GLib

    def on_event(ev):
        src = ev.source
        try:
            app = src.getApplication().name
        except Exception:
            app = "?"
        if app_name.lower() not in (app or "").lower():
            return
        if ev.type.startswith("object:state-changed:focused") and ev.detail1 == 1:
            print(f"[focus] {describe(src)}", flush=True)
        elif ev.type.startswith("focus"):
            print(f"[{ev.type}] {describe(src)}", flush=True)

    pyatspi.Registry.registerEventListener(on_event, "object:state-changed:focused", "focus:")
    GLib.timeout_add(int(seconds * 1000), lambda: pyatspi.Registry.stop() or False)
    print(f"# listening for focus events for {seconds}s", flush=True)
    pyatspi.Registry.start()


def nodes_with_role(app, role):
    return [a for _, a in walk(app) if a.getRoleName() == role]


def wait_for(what, seconds, found):
    deadline = time.time() + seconds
    while True:
        result = found()
        if result:
            return result
        if time.time() > deadline:
            sys.exit(f"FAIL: {what} never happened")
        time.sleep(0.3)


def check(app, name):
    """The accessibility test: exits 1 with every failure listed."""
    failures = []
    rows = wait_for("the Areas tree listed", 20, lambda: nodes_with_role(app, "tree item"))
    for depth, acc in walk(app):
        st = acc.getState()
        if st.contains(pyatspi.STATE_FOCUSABLE) and not (acc.name or "").strip():
            failures.append(f"a focusable node has no name: {describe(acc, depth)}")
    if sum(r.getState().contains(pyatspi.STATE_FOCUSABLE) for r in rows) != 1:
        failures.append("the Areas tree is not one Tab stop")
    for row in rows:
        if not (row.description or "").startswith("level "):
            failures.append(f"a tree item does not say its level: {describe(row)}")
    regions = [a for _, a in walk(app) if a.name in ("Status", "Selection")]
    if len(regions) != 2:
        failures.append(f"the status and selection live regions are missing: {[a.name for a in regions]}")

    # Keyboard alone: Tab to the tree, then Down to the next area, which is selected.
    win = focus_window(name)
    time.sleep(0.5)
    focused = None
    for _ in range(80):
        subprocess.run(["xdotool", "key", "--window", win, "Tab"], check=True)
        time.sleep(0.25)
        now = [a for _, a in focused_nodes(app)]
        if now and now[-1].getRoleName() == "tree item":
            focused = now[-1]
            break
    if focused is None:
        failures.append("Tab never reached the Areas tree")
    else:
        first = focused.name
        subprocess.run(["xdotool", "key", "--window", win, "Down"], check=True)

        def moved():
            now = [a for _, a in focused_nodes(app)]
            return now and now[-1].name != first and now[-1]

        row = wait_for("Down moving to the next row", 10, moved)
        # The selected state may reach the registry a frame after the focus.
        wait_for(f"the row Down reached selected ({describe(row)})", 10,
                 lambda: row.getState().contains(pyatspi.STATE_SELECTED))
        said = wait_for(
            "the selection announced",
            10,
            lambda: [a.name for _, a in walk(app) if (a.name or "").startswith(row.name + ",")],
        )
        print(f"# reached and selected {row.name!r} with Tab and Down; the status bar says {said[0]!r}")
    for f in failures:
        print(f"FAIL: {f}")
    if failures:
        sys.exit(1)
    print("# accessibility check passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default="synmap")
    ap.add_argument("--wait", type=float, default=20)
    ap.add_argument("--focusable-only", action="store_true")
    ap.add_argument("--no-tree", action="store_true")
    ap.add_argument("--tab", type=int, default=0, help="press Tab N times, report focus")
    ap.add_argument("--keys", default="", help="space-separated xdotool key names")
    ap.add_argument("--dump-after", action="store_true", help="dump the tree again after the keys")
    ap.add_argument("--events", type=float, default=0, help="listen for focus events N seconds")
    ap.add_argument("--check", action="store_true", help="the suite's accessibility test")
    args = ap.parse_args()

    t0 = time.time()
    app = find_app(args.app, args.wait)
    print(f"# found application {app.name!r} after {time.time() - t0:.1f}s; "
          f"{app.childCount} top-level window(s)")
    if args.check:
        check(app, args.app)
        return
    if not args.no_tree:
        dump(app, args.focusable_only)
    keys = ["Tab"] * args.tab + args.keys.split()
    if keys:
        press_keys(app, args.app, keys)
        if args.dump_after:
            time.sleep(0.5)
            print("# tree after keys")
            dump(app, args.focusable_only)
    if args.events:
        listen(args.app, args.events)


if __name__ == "__main__":
    main()
