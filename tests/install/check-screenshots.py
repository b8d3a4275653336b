#!/usr/bin/env python3
"""Check that every screenshot in the metainfo file exists in the source tree.

The metainfo names its screenshots by their address in the public
repository, which nothing checks offline, so a renamed or missing image
would only show up as a broken picture in software centres.

Usage: check-screenshots.py SOURCE_ROOT METAINFO_TEMPLATE
"""

import os
import sys
import xml.etree.ElementTree as ElementTree

REPOSITORY_PREFIX = "https://raw.githubusercontent.com/confab/confab/main/"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def main():
    source_root, metainfo = sys.argv[1], sys.argv[2]
    images = [image.text.strip() for image in ElementTree.parse(metainfo).iter("image")]
    if not images:
        sys.exit(f"check-screenshots: {metainfo} lists no screenshots")

    failures = 0
    for url in images:
        if not url.startswith(REPOSITORY_PREFIX):
            print(f"check-screenshots: {url} is not in the repository {REPOSITORY_PREFIX}",
                  file=sys.stderr)
            failures += 1
            continue
        path = os.path.join(source_root, url[len(REPOSITORY_PREFIX):])
        try:
            with open(path, "rb") as f:
                is_png = f.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE
        except OSError as error:
            print(f"check-screenshots: {url} has no file: {error}. "
                  "Run tools/screenshots data/screenshots", file=sys.stderr)
            failures += 1
            continue
        if not is_png:
            print(f"check-screenshots: {path} is not a PNG image", file=sys.stderr)
            failures += 1

    if failures:
        sys.exit(1)
    print(f"All {len(images)} screenshots exist in {source_root}")


if __name__ == "__main__":
    main()
