"""Tables of round-trip results, and the checked-in list of known failures.

roundtrip_expected.json maps result keys "service/protocol/Operation/direction" (fnmatch
patterns allowed, e.g. "ec2/*/*/output") to the reason the failure is known. A failure
matching no key fails the test; a listed key that now passes is reported as fixed so the
list can shrink.
"""

import collections
import fnmatch
import json
import os

from runner import FAILED, OK, SKIPPED

EXPECTED_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "roundtrip_expected.json")


def load_expected(path=EXPECTED_PATH):
    try:
        with open(path) as f:
            return json.load(f).get("known_failures", {})
    except FileNotFoundError:
        return {}


def match_expected(key, expected):
    if key in expected:
        return key
    for pattern in expected:
        if any(c in pattern for c in "*?[") and fnmatch.fnmatchcase(key, pattern):
            return pattern
    return None


def classify(results, expected):
    """(unexpected failures, known failures, fixed keys) of a run."""
    unexpected, known, fixed = [], [], []
    for r in results:
        pattern = match_expected(r.key, expected)
        if r.status == FAILED:
            (known if pattern else unexpected).append(r)
        elif r.status == OK and pattern == r.key:
            fixed.append(r.key)  # only exact keys: a pattern may cover passing operations
    return unexpected, known, fixed


# (direction, status) per column; minimal runs skip exactly what rich runs skip.
COLUMNS = [("input", OK), ("input", FAILED), ("input", SKIPPED),
           ("output", OK), ("output", FAILED), ("output", SKIPPED),
           ("input-min", OK), ("input-min", FAILED), ("output-min", OK), ("output-min", FAILED)]
HEADER = ["service", "protocol", "in ok", "in failed", "in skipped", "out ok", "out failed",
          "out skipped", "min-in ok", "min-in failed", "min-out ok", "min-out failed"]


def summary_rows(results):
    counts = collections.OrderedDict()
    for r in results:
        c = counts.setdefault((r.service, r.protocol), collections.Counter())
        c[(r.direction, r.status)] += 1
    return [[service, protocol] + [str(c[col]) for col in COLUMNS]
            for (service, protocol), c in counts.items()]


def text_table(results):
    rows = [HEADER] + summary_rows(results)
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows)


def skip_reasons(results):
    c = collections.Counter((r.service, r.reason) for r in results
                            if r.status == SKIPPED and r.direction in ("input", "output"))
    return [f"{service}: {n} x {reason}" for (service, reason), n in sorted(c.items())]


def text_report(results, unexpected, known, fixed, max_lines=60):
    out = ["protocol round trip", text_table(results), "", "skipped:"]
    out += ["  " + line for line in skip_reasons(results)]
    out.append(f"\nunexpected failures: {len(unexpected)}")
    out += [f"  {r.key}: {r.reason[:300]}" for r in unexpected[:max_lines]]
    if len(unexpected) > max_lines:
        out.append(f"  ... and {len(unexpected) - max_lines} more")
    out.append(f"known failures: {len(known)}")
    if fixed:
        out.append(f"listed as known but now passing ({len(fixed)}): remove them from "
                   "roundtrip_expected.json")
        out += ["  " + k for k in fixed[:max_lines]]
    return "\n".join(out)


def _md_escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_report(results, unexpected, known, fixed, expected=None):
    out = ["# Protocol round trip", "", "| " + " | ".join(HEADER) + " |",
           "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(r) + " |" for r in summary_rows(results)]
    out += ["", "## Skipped", ""] + [f"- {_md_escape(s)}" for s in skip_reasons(results)]
    out += ["", f"## Unexpected failures ({len(unexpected)})", ""]
    if unexpected:
        out += ["| operation | observed |", "|---|---|"]
        out += [f"| {r.key} | {_md_escape(r.reason[:400])} |" for r in unexpected]
    out += ["", f"## Known failures ({len(known)})", ""]
    if known:
        expected = expected or {}
        out += ["| operation | known reason | observed |", "|---|---|---|"]
        out += [f"| {r.key} | {_md_escape(expected.get(match_expected(r.key, expected) or '', ''))} "
                f"| {_md_escape(r.reason[:300])} |" for r in known]
    if fixed:
        out += ["", f"## Listed as known but passing ({len(fixed)})", ""]
        out += [f"- {k}" for k in fixed]
    return "\n".join(out) + "\n"


def write_expected(results, path=EXPECTED_PATH, keep=None):
    """Rewrites the known-failure list from a run (keeping reasons already written)."""
    keep = keep or {}
    failures = {r.key: keep.get(r.key) or r.reason[:200] for r in results if r.status == FAILED}
    ran = {(r.service, r.protocol) for r in results}
    for key, reason in keep.items():
        # Patterns stay, and so do entries of services and protocols this run did not cover.
        if any(c in key for c in "*?[") or tuple(key.split("/")[:2]) not in ran:
            failures[key] = reason
    with open(path, "w") as f:
        json.dump({"_comment": "Known protocol round-trip failures: key -> reason. See report.py.",
                   "known_failures": dict(sorted(failures.items()))}, f, indent=1,
                  ensure_ascii=False)
        f.write("\n")
