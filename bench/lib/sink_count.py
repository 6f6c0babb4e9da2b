#!/usr/bin/env python3
"""Counts messages at the smtp-sink instances of a benchmark, from their running counters (smtp-sink -c).

  sink_count.py now FILE...                 prints the messages received so far, over all sinks
  sink_count.py until TARGET SECONDS FILE...  waits until the sinks together have received TARGET messages; prints the
                                            wall-clock time (epoch seconds) it happened, or exits 1 after SECONDS

Each sink's counter line is "sess=N quit=N mesg=N", rewritten with a carriage return whenever "." is received, so
the last one in the file is the count. The files are polled every 5 ms, so the time is the arrival at the sinks to
within a few milliseconds, whatever sent the messages.
"""
import re
import sys
import time

LAST = re.compile(rb"mesg=(\d+)")


def count(path):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 256))
            found = LAST.findall(f.read())
            return int(found[-1]) if found else 0
    except FileNotFoundError:
        return 0


def total(paths):
    return sum(count(p) for p in paths)


def main(argv):
    if argv[1] == "now":
        print(total(argv[2:]))
        return 0
    target, seconds, paths = int(argv[2]), float(argv[3]), argv[4:]
    deadline = time.time() + seconds
    while time.time() < deadline:
        if total(paths) >= target:
            print("%.3f" % time.time())
            return 0
        time.sleep(0.005)
    print("timeout: %d of %d" % (total(paths), target), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
