#!/usr/bin/env python3
"""Check flatpak/io.github.confab.Confab.json without flatpak-builder.

flatpak-builder and the GNOME runtime are not available on the build
machines, so this checks what can be checked offline. The manifest must
parse and name this application and its command. It must build Confab last,
with meson and without the server. Its sandbox must grant exactly the
permissions the client needs, and every other module must be pinned to a
release with a checksum.

Usage: check-flatpak-manifest.py SOURCE_ROOT APP_ID
"""

import json
import os
import re
import sys

# The client reaches the Confab server and the Jitsi meeting over the network.
# It draws with Wayland, or with X11 and shared memory where Wayland is
# missing. PulseAudio carries sound and the microphone. The camera needs
# --device=all because Flatpak has no narrower device permission for it, and
# the keyring stores the session token.
REQUIRED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--socket=pulseaudio",
    "--device=all",
    "--talk-name=org.freedesktop.secrets",
}


def fail(message):
    print(f"check-flatpak-manifest: {message}", file=sys.stderr)
    sys.exit(1)


def check_pinned(module):
    """Every dependency is a fixed release: an archive with a sha256, or a
    git source with a commit."""
    name = module.get("name", "<unnamed>")
    sources = module.get("sources", [])
    if not sources:
        fail(f"module {name} has no sources")
    for source in sources:
        kind = source.get("type")
        if kind in ("archive", "file"):
            if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                fail(f"module {name}: source {source.get('url')} has no sha256; "
                     "pin the release with its checksum")
        elif kind == "git":
            if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                fail(f"module {name}: git source {source.get('url')} has no commit; "
                     "pin the release tag with its commit")
        elif kind != "patch":
            fail(f"module {name}: source type {kind} cannot be pinned; "
                 "use an archive with a sha256 or git with a commit")


def main():
    if len(sys.argv) != 3:
        fail("usage: check-flatpak-manifest.py SOURCE_ROOT APP_ID")
    source_root, app_id = sys.argv[1], sys.argv[2]
    manifest_dir = os.path.join(source_root, "flatpak")
    path = os.path.join(manifest_dir, app_id + ".json")

    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        fail(f"cannot read {path}: {error}")

    if manifest.get("id") != app_id:
        fail(f"id is {manifest.get('id')!r}, expected {app_id!r}")
    if manifest.get("command") != "confab":
        fail(f"command is {manifest.get('command')!r}, expected 'confab'")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        fail("runtime and sdk must be org.gnome.Platform and org.gnome.Sdk")
    if not re.fullmatch(r"[0-9]+", str(manifest.get("runtime-version", ""))):
        fail(f"runtime-version {manifest.get('runtime-version')!r} is not a stable GNOME "
             "release number such as '51'")

    finish_args = set(manifest.get("finish-args", []))
    missing = REQUIRED_FINISH_ARGS - finish_args
    extra = finish_args - REQUIRED_FINISH_ARGS
    if missing:
        fail(f"finish-args lack {sorted(missing)}")
    if extra:
        fail(f"finish-args grant more than the client needs: {sorted(extra)}")

    modules = manifest.get("modules", [])
    if not modules:
        fail("no modules")
    confab = modules[-1]
    if confab.get("name") != "confab" or confab.get("buildsystem") != "meson":
        fail("the last module must be confab, built with meson")
    if "-Dserver=false" not in confab.get("config-opts", []):
        fail("the confab module must be configured with -Dserver=false")

    sources = confab.get("sources", [])
    if len(sources) != 1 or sources[0].get("type") != "dir":
        fail("the confab module must build the source tree (one 'dir' source)")
    tree = os.path.normpath(os.path.join(manifest_dir, sources[0].get("path", "")))
    if os.path.realpath(tree) != os.path.realpath(source_root):
        fail(f"the confab module's source {tree} is not the source tree {source_root}")

    with open(os.path.join(source_root, "meson_options.txt"), encoding="utf-8") as f:
        if not re.search(r"option\(\s*'server'", f.read()):
            fail("meson_options.txt has no 'server' option for -Dserver=false")

    for module in modules[:-1]:
        check_pinned(module)

    print(f"{path}: runtime org.gnome.Platform//{manifest['runtime-version']}, "
          f"{len(modules)} module(s), {len(finish_args)} permissions")


if __name__ == "__main__":
    main()
