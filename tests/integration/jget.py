#!/usr/bin/env python3
"""jget.py PATH [PATH...] < JSON: print the value at each dotted PATH.

Components that are integers index lists; "key=value" picks the first list
element whose key equals value (e.g. sessions.id=3.a.rtp.packets).  Scalars
print as JSON (true, null, 12, "text" without quotes); a missing path
prints MISSING and makes the exit status 1.
"""
import json
import sys


def walk(doc, path):
    for part in path.split("."):
        if isinstance(doc, list):
            if "=" in part:
                key, _, want = part.partition("=")
                doc = next(e for e in doc if str(e.get(key)) == want)
            else:
                doc = doc[int(part)]
        else:
            doc = doc[part]
    return doc


def main():
    doc = json.load(sys.stdin)
    status = 0
    for path in sys.argv[1:]:
        try:
            v = walk(doc, path)
        except (KeyError, IndexError, ValueError, StopIteration, TypeError):
            print("MISSING")
            status = 1
            continue
        print(v if isinstance(v, str) else json.dumps(v))
    return status


if __name__ == "__main__":
    sys.exit(main())
