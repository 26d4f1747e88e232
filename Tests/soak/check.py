#!/usr/bin/env python3
"""The soak's checks and figures (scripts/soak).

  check.py charges SANDBOX_STATE      the charges made so far on the sandbox company's cards
  check.py check DIR MINUTES FAULTS TTL

`check` compares, item by item, what the soak asked for (its manifests),
what the sandbox holds (read through its APIs by census.lua, and its
cards' charge counts from its state file), the batch ledger and paysh's
journal; checks how every process ended and that the long-lived process's
memory stayed flat; prints the figures, writes them as Markdown to
DIR/figures.md, and exits 1 on any violation.
"""
import glob
import json
import os
import sqlite3
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

COMPANY = "956865a9-b9f7-4198-87eb-10b4f0f411c9"  # the sandbox company the Lumyri token names
RECONCILE_AGE = 300  # paysh journal --reconcile looks only at calls this old (seconds)

# Memory is flat when, after the warm-up, the median RSS of the last quarter
# is at most the median of the first quarter times MEMORY_RATIO plus
# MEMORY_SLACK_KB.
MEMORY_RATIO = 1.2
MEMORY_SLACK_KB = 8 * 1024


def readonly(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def charges(state):
    """Charges made so far on the company's cards, and its invoices still Processing. Each card counts
    its charge attempts in the state, in the payment's own transaction (the in-memory charges_made
    counter is lost with the process); no test card that declines is used."""
    db = readonly(state)
    total = processing = 0
    for (body,) in db.execute("SELECT body FROM object WHERE service = 'lumyri' AND kind = 'card' AND owner = ?", (COMPANY,)):
        total += int(json.loads(body).get("chargeAttempts") or 0)
    for (body,) in db.execute("SELECT body FROM object WHERE service = 'lumyri' AND kind = 'invoice' AND owner = ?", (COMPANY,)):
        processing += json.loads(body).get("status") == "Processing"
    return json.dumps({"charges": total, "processing": processing})


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path, errors="replace") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def parse_time(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def said(work, label):
    """What a process that ended badly last wrote on stderr (the batch's
    per-item failure lines left out), so that the report shows why."""
    files = {"workload": "workload.err", "reconcile": "reconcile.err", "census": "census/census.err"}
    path = f"{work}/" + (files.get(label) or ("sandbox.log" if label.startswith("sandbox-") else f"batches/{label}.err"))
    words = [line for line in lines(path) if line.strip() and not line.startswith("failure ")][-3:]
    return ("; it said: " + " | ".join(words))[:600] if words else ""


def check(work, minutes, faults, ttl):
    problems = [line for line in lines(f"{work}/violations.txt")]

    # --- what the soak asked for
    payout_batches = {}   # name -> count
    invoice_batches = {}  # name -> [ids]
    workload_invoices, workload_paid, hows = [], {}, Counter()
    reads = readfails = rounds = retried = 0
    workload_ended = False
    for line in lines(f"{work}/manifest/workload.txt"):
        word, _, rest = line.partition(" ")
        if word == "batch":
            name, count = rest.split()
            payout_batches[name] = int(count)
        elif word == "invoice":
            workload_invoices.append(rest)
        elif word == "paid":
            iid, how = rest.split()
            workload_paid[iid] = how
            hows[how] += 1
        elif word == "reads":
            reads += int(rest)
        elif word == "readfail":
            readfails += int(rest)
        elif word == "round":
            rounds += 1
        elif word == "error":
            retried += 1
        elif word == "end":
            workload_ended = True
    if not workload_ended:
        problems.append("the long-lived process did not reach its end")
    for iid in workload_invoices:
        if workload_paid.get(iid) in (None, "nil"):
            problems.append(f"invoice {iid}: the long-lived process never saw it paid")
    for line in lines(f"{work}/manifest/crash.txt"):
        kind, name, what = line.split()
        if kind == "batch":
            payout_batches[name] = int(what)
        else:
            invoice_batches[name] = lines(what)
    expected_refs = {f"{name}:k{i}" for name, count in payout_batches.items() for i in range(1, count + 1)}
    expected_invoices = set(workload_invoices) | {i for ids in invoice_batches.values() for i in ids}

    # --- what the sandbox holds
    on_server = defaultdict(list)  # paysh_ref -> [payout id]
    for line in lines(f"{work}/census/payouts.tsv"):
        pid, ref, _ = line.split("\t")
        on_server[ref].append(pid)
    invoices = {}
    for line in lines(f"{work}/census/invoices.tsv"):
        iid, status, payment = line.split("\t")
        invoices[iid] = (status, payment)
    census_ok = bool(lines(f"{work}/census/census.out"))
    if not census_ok:
        problems.append("the census of the sandbox did not run: " + " ".join(lines(f"{work}/census/census.err"))[:300])
    lost = sorted(r for r in expected_refs if not on_server.get(r))
    doubled = sorted(r for r in expected_refs if len(on_server.get(r, [])) > 1)
    stray = sorted(r for r in on_server if r not in expected_refs)
    if census_ok:
        for r in lost[:10]:
            problems.append(f"payout {r}: none on the sandbox (lost)")
        for r in doubled[:10]:
            problems.append(f"payout {r}: {len(on_server[r])} on the sandbox (doubled): {on_server[r]}")
        for r in stray[:10]:
            problems.append(f"payout {r}: on the sandbox but asked by no batch")
        if len(lost) + len(doubled) + len(stray) > 30:
            problems.append(f"... {len(lost)} lost, {len(doubled)} doubled, {len(stray)} stray in all")
    unpaid = sorted(i for i in expected_invoices if invoices.get(i, ("missing",))[0] != "Succeeded")
    if census_ok:
        for i in unpaid[:10]:
            problems.append(f"invoice {i}: {invoices.get(i, ('missing',))[0]} on the sandbox, not paid")
    charged = issued_unknown = None
    try:
        at_start = json.load(open(f"{work}/charges-start.txt"))
        at_end = json.load(open(f"{work}/charges-end.txt"))
        charged = at_end["charges"] - at_start["charges"]
        issued_unknown = at_end["processing"] - at_start["processing"]
        if charged != len(expected_invoices):
            problems.append(f"the sandbox charged {charged} times for {len(expected_invoices)} invoices")
    except (OSError, ValueError) as error:
        problems.append(f"the charge counts could not be read: {error}")

    # --- the batch ledger: every item done, with the sandbox's id
    ledger = readonly(f"{work}/ledger.sqlite")
    ledger_items = defaultdict(dict)
    for batch, key, state, remote in ledger.execute("SELECT batch, key, state, remote_id FROM item"):
        ledger_items[batch][key] = (state, remote)
    for name, count in payout_batches.items():
        items = ledger_items.get(name, {})
        if len(items) != count:
            problems.append(f"ledger {name}: {len(items)} items, not {count}")
        for key, (state, remote) in items.items():
            ids = on_server.get(f"{name}:{key}", [])
            if state != "done":
                problems.append(f"ledger {name}:{key}: {state}")
            elif census_ok and ids and remote not in ids:
                problems.append(f"ledger {name}:{key}: done as {remote}, the sandbox's payout is {ids}")
    for name, ids in invoice_batches.items():
        items = ledger_items.get(name, {})
        if set(items) != set(ids):
            problems.append(f"ledger {name}: {len(items)} items, not the {len(ids)} invoices")
        for key, (state, _) in items.items():
            if state != "done":
                problems.append(f"ledger {name}:{key}: {state}")

    # --- the journal against the sandbox, call by call
    journal = readonly(f"{work}/journal.sqlite")
    rows = journal.execute("""SELECT operation, reference, state, remote_id, resolution, resolved_remote_id, intent_at, http_status
                              FROM mutation WHERE operation IN ('lumanu.create_payout', 'lumyri.pay_invoice')""").fetchall()
    end_time = max((parse_time(r[6]) for r in rows), default=datetime.now(timezone.utc))
    try:  # when paysh journal --reconcile started: it looked only at calls RECONCILE_AGE old by then
        reconcile_run = datetime.fromtimestamp(int(open(f"{work}/reconcile.started").read()), timezone.utc)
    except (OSError, ValueError):
        reconcile_run = end_time
        problems.append("paysh journal --reconcile did not run")
    by_ref = defaultdict(list)
    states = Counter()
    young_unresolved = resolved = conflicts = 0
    for op, ref, state, remote, resolution, resolved_remote, intent_at, http in rows:
        by_ref[(op, ref)].append((state, remote, resolution, resolved_remote))
        states[(op, state if not resolution else f"{state} ({resolution.replace('_', ' ')})")] += 1
        if resolution:
            resolved += 1
        if state in ("pending", "unknown") and not resolution:
            if (reconcile_run - parse_time(intent_at)).total_seconds() >= RECONCILE_AGE + 2:
                problems.append(f"journal {op} {ref}: {state} at {intent_at}, left unresolved by paysh journal --reconcile")
            else:
                young_unresolved += 1
        if op == "lumyri.pay_invoice" and state == "failed" and http == 409:
            conflicts += 1
    for (op, ref), calls in by_ref.items():
        applied = [(resolved_remote if resolution == "applied" else remote) for state, remote, resolution, resolved_remote in calls
                   if state == "succeeded" or resolution == "applied"]
        open_calls = [c for c in calls if c[0] in ("pending", "unknown") and not c[2]]
        if op == "lumanu.create_payout":
            ids = on_server.get(ref, [])
            if not census_ok:
                continue
            if len(applied) > 1:
                problems.append(f"journal {ref}: {len(applied)} calls took effect")
            elif applied and applied[0] not in ids:
                problems.append(f"journal {ref}: took effect as {applied[0]}, the sandbox has {ids or 'none'}")
            elif not applied and ids and not open_calls:
                problems.append(f"journal {ref}: no call took effect, the sandbox has {ids}")
        else:
            paid = invoices.get(ref, ("missing",))[0] == "Succeeded"
            if len(applied) > 1:
                problems.append(f"journal pay {ref}: {len(applied)} calls took effect")
            elif applied and not paid:
                problems.append(f"journal pay {ref}: took effect, the invoice is {invoices.get(ref, ('missing',))[0]}")
            elif not applied and paid and ref in expected_invoices and not open_calls:
                problems.append(f"journal pay {ref}: no call took effect, the invoice is paid")
    journal_refs = {ref for (op, ref) in by_ref if op == "lumanu.create_payout"}
    if census_ok:
        for r in sorted(expected_refs - journal_refs)[:10]:
            problems.append(f"journal: no call for payout {r}")

    # --- how every process ended
    exits = Counter()
    for line in lines(f"{work}/exits.tsv"):
        label, status, killed = line.split("\t")
        status, killed = int(status), killed == "1"
        kind = "sandbox" if label.startswith("sandbox-") else "paysh"
        if killed:
            exits[f"{kind} killed"] += 1
            if status != 137:
                problems.append(f"{label}: killed with SIGKILL, ended with status {status}")
        else:
            exits[f"{kind} status {status}"] += 1
            if status != 0:
                problems.append(f"{label}: ended with status {status}" + (f" (signal {status - 128})" if status > 128 else "")
                                + said(work, label))
    kills = Counter(line.split("\t")[1] for line in lines(f"{work}/kills.tsv"))

    # --- the sandbox's own counts, summed over its lives (each life's counters are in memory)
    faults_seen, tokens, requests, charges_counted = Counter(), 0, 0, 0
    lives = sorted(glob.glob(f"{work}/stats/life-*.json"))
    for path in lives:
        try:
            stats = json.load(open(path))
        except (OSError, ValueError):
            continue
        faults_seen.update(stats.get("faults", {}))
        tokens += stats.get("tokens_issued", 0)
        charges_counted += stats.get("charges_made", 0)
        requests += sum(stats.get("requests", {}).values())
    for kind in ("latency", "503", "500-after", "drop-before", "drop-after", "ratelimit"):
        if faults_seen.get(kind, 0) == 0:
            problems.append(f"no {kind} fault was injected")
    if tokens <= 1:
        problems.append("no token expired and was replaced")

    # --- memory
    samples = [tuple(int(x) for x in line.split("\t")) for line in lines(f"{work}/rss.tsv")]
    duration = samples[-1][0] if samples else 0
    warmup = max(60, duration * 0.2)
    steady = [s for s in samples if s[0] >= warmup]
    memory = {}
    if len(steady) >= 8:
        quarter = max(2, len(steady) // 4)
        first, last = statistics.median(s[1] for s in steady[:quarter]), statistics.median(s[1] for s in steady[-quarter:])
        limit = first * MEMORY_RATIO + MEMORY_SLACK_KB
        xs, ys = [s[0] for s in steady], [s[1] for s in steady]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(1e-9, sum((x - mx) ** 2 for x in xs))
        memory = dict(first=first, last=last, limit=limit, slope_mb_h=slope * 3600 / 1024)
        if last > limit:
            problems.append(f"memory grew: last-quarter median {last / 1024:.1f} MB > {first / 1024:.1f} MB x {MEMORY_RATIO} + {MEMORY_SLACK_KB // 1024} MB")
    else:
        problems.append(f"too few RSS samples after the warm-up ({len(steady)})")

    # --- the figures
    mb = lambda kb: f"{kb / 1024:.1f} MB"
    workload_payouts = sum(c for n, c in payout_batches.items() if n.startswith("soak-w"))
    crash_payouts = sum(c for n, c in payout_batches.items() if n.startswith("soak-c"))
    crash_invoices = sum(len(ids) for ids in invoice_batches.values())
    rows_out = [
        ("duration", f"{minutes} min ({duration} s of samples); faults `{faults}`; tokens live {ttl} s"),
        ("long-lived process", f"{rounds} rounds: {workload_payouts} payouts in {sum(1 for n in payout_batches if n.startswith('soak-w'))} batches, "
                               f"{len(workload_invoices)} invoices paid ({', '.join(f'{v} {k}' for k, v in sorted(hows.items()))}), "
                               f"{reads} items read by cursors ({readfails} cursor reads failed and were not retried), {retried} steps taken up again"),
        ("killed batches", f"{crash_payouts} payouts in {sum(1 for n in payout_batches if n.startswith('soak-c'))} batches, "
                           f"{crash_invoices} invoices in {len(invoice_batches)} batches"),
        ("kills", f"paysh {kills.get('paysh', 0)}, sandbox {kills.get('sandbox', 0)} (restarted on the same state file and port {len(lives) - 1} times)"),
        ("process ends", ", ".join(f"{v} {k}" for k, v in sorted(exits.items()))),
        ("sandbox", f"{requests} requests, {tokens} tokens issued, faults: " + ", ".join(f"{k} {v}" for k, v in sorted(faults_seen.items()))),
        ("payouts on the sandbox", f"{sum(len(v) for v in on_server.values())} for {len(expected_refs)} keys: {len(lost)} lost, {len(doubled)} doubled, {len(stray)} stray"),
        ("invoices", f"{len(expected_invoices)} issued and paid, {len(unpaid)} unpaid; charges {charged} (charges_made counted {charges_counted} over the sandbox's lives); "
                     f"{issued_unknown} issued whose answer was lost (unpaid, as they should be); {conflicts} pay calls answered 409 already paid"),
        ("journal", f"{len(rows)} calls: " + ", ".join(f"{op.split('.')[1]} {st} {n}" for (op, st), n in sorted(states.items()))
                    + f"; {resolved} resolved by reconciliation, {young_unresolved} younger than {RECONCILE_AGE // 60} min checked against the sandbox by the soak"),
    ]
    if samples:
        rss = [s[1] for s in samples]
        srss = [s[2] for s in samples if s[2]]
        text = f"first {mb(rss[0])}, last {mb(rss[-1])}, max {mb(max(rss))}"
        if memory:
            text += (f"; after the {warmup:.0f} s warm-up, first-quarter median {mb(memory['first'])}, last-quarter median "
                     f"{mb(memory['last'])} (limit {mb(memory['limit'])}), trend {memory['slope_mb_h']:+.1f} MB/h")
        rows_out.append(("RSS of the long-lived paysh", text + f" ({len(samples)} samples, every few seconds)"))
        if srss:
            rows_out.append(("RSS of the sandbox", f"max {mb(max(srss))}, last {mb(srss[-1])}"))
    rows_out.append(("result", "no violation" if not problems else f"{len(problems)} violations"))
    table = "| | |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in rows_out) + "\n"
    with open(f"{work}/figures.md", "w") as f:
        f.write(table)
    print("== soak figures")
    print(table, end="")
    if problems:
        print(f"== soak: {len(problems)} violations")
        for p in problems[:60]:
            print("  " + p)
        return 1
    print("== soak: no violation")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "charges":
        print(charges(sys.argv[2]))
    elif len(sys.argv) == 6 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
