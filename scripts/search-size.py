#!/usr/bin/env python3
"""Reports the size of mekong's search index in a built site: raw and gzip, per language,
against the bytes of text indexed. usage: search-size.py PUBLIC_DIR"""
import gzip
import json
import os
import sys

public = sys.argv[1]
total_raw = total_gzip = total_text = 0
for lang in sorted(os.listdir(os.path.join(public, "search"))):
    folder = os.path.join(public, "search", lang)
    if not os.path.isdir(folder):
        continue
    manifest = json.load(open(os.path.join(folder, "index.json")))
    raw = gz = 0
    for name in os.listdir(folder):
        data = open(os.path.join(folder, name), "rb").read()
        raw += len(data)
        gz += len(gzip.compress(data, 9))
    text = manifest["text_bytes"]
    total_raw, total_gzip, total_text = total_raw + raw, total_gzip + gz, total_text + text
    print(f"{lang}: {manifest['docs']} pages, text {text / 1e3:.0f} kB, index {raw / 1e3:.0f} kB raw, "
          f"{gz / 1e3:.0f} kB gzip = {100 * gz / text:.0f}% of the text")
print(f"all: index {total_raw / 1e3:.0f} kB raw, {total_gzip / 1e3:.0f} kB gzip = "
      f"{100 * total_gzip / total_text:.0f}% of {total_text / 1e3:.0f} kB text (budget 35%)")
