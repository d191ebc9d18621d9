#!/usr/bin/env python3
"""How many sets could a compressed session keep at all? A search, not the engine.

For each corpus plan x goal at 40 / 60 / 80 % of the plan's own length (as
examples/cli corpus.rs takes them), a simulated annealing search looks for the
most sets that fit the target under the duration model (SPEC section 4) at the
rest floors (section 5), over set counts, removals and superset groupings,
keeping priority order, set floors, author supersets and the pairing rules.
It prints the engine's kept sets beside the best the search found: a
heuristic, so the best found is a lower bound on what is possible, which is
how BENCHMARKS.md ("Time used") reads it.

    python3 benches/kept_sets_search.py PREVIEW_BIN [--rules engine|spec] [--core kept|trimmed]

--rules engine: the engine's own pairing rules (zones of consecutive working
blocks; warm-ups and cool-downs as written); spec: SPEC section 6 alone.
--core kept: core lifts keep every set (SPEC section 5 trims them only in
core_only); trimmed: they may go down to their set floor too.

The duration model is restated here in a few lines so the search can run
thousands of candidates without the engine; src/estimate.rs is the reference.
"""
import argparse, glob, json, math, os, random, subprocess

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PRIORITY = {"core": 0, "primary": 1, "secondary": 2, "optional": 3}
COMPOUND = {"squat", "hinge", "lunge", "horizontal_push", "vertical_push", "horizontal_pull", "vertical_pull"}
WORKING = {"main", "accessory", "core", "conditioning"}


def load(plan, goal, rules):
    top = min(PRIORITY[e["priority"]] for b in plan["blocks"] for e in b["exercises"])
    exercises, zone, previous = [], -1, None
    for bi, block in enumerate(plan["blocks"]):
        kind = block["kind"]
        if rules == "spec":
            zone = 0  # SPEC section 6 sets no block rule
        elif not (kind in WORKING and previous in WORKING):
            zone = bi  # a new zone, as src/workout.rs makes them
        previous = kind
        for e in block["exercises"]:
            work = 15 + (e["reps"] * e.get("secondsPerRep", 3) if "reps" in e else e["durationSeconds"])
            work *= 2 if e.get("unilateral") else 1
            core = PRIORITY[e["priority"]] == top
            main = core or e["priority"] in ("core", "primary")
            if core and e.get("reps", 99) <= 6:
                floor = 180 if goal == "strength" else 120
            elif e["pattern"] in COMPOUND:
                floor = 90
            else:
                floor = 45
            pairable = not (goal == "strength" and core)
            if rules == "engine":
                pairable = pairable and kind not in ("warmup", "cooldown")
            exercises.append(dict(
                work=work, sets=e["sets"], rest=e["restSeconds"], floor=min(e["restSeconds"], floor), core=core,
                min_sets=min(e["sets"], 2 if main else 1), priority=PRIORITY[e["priority"]], zone=zone,
                pairable=pairable, barbell=e["equipment"] == "barbell", muscles=set(e["muscles"]),
                author=(bi, e["supersetGroup"]) if "supersetGroup" in e else None))
    return exercises


def compatible(a, b):
    if a["zone"] != b["zone"] or not a["pairable"] or not b["pairable"]:
        return False
    if "full_body" in a["muscles"] | b["muscles"] or a["muscles"] & b["muscles"]:
        return False
    return not (a["barbell"] and b["barbell"])


def seconds(ex, sets, group):
    items = {}
    for i in range(len(ex)):
        if sets[i]:
            items.setdefault(group[i], []).append(i)
    total = 0
    for members in items.values():
        if len(members) == 1:
            e, s = ex[members[0]], sets[members[0]]
            total += s * e["work"] + (s - 1) * e["floor"]
            continue
        rounds = max(sets[m] for m in members)
        for j in range(1, rounds + 1):
            in_round = [m for m in members if sets[m] >= j]
            total += sum(ex[m]["work"] for m in in_round) + 15 * (len(in_round) - 1)
        total += (rounds - 1) * min(60, max(ex[m]["rest"] for m in members))
    return total + 60 * (len(items) - 1)


def valid(ex, sets, group):
    present = [i for i in range(len(ex)) if sets[i]]
    for i in range(len(ex)):
        if not sets[i] and (ex[i]["core"] or any(ex[j]["priority"] > ex[i]["priority"] for j in present)):
            return False
    items = {}
    for i in present:
        items.setdefault(group[i], []).append(i)
    for members in items.values():
        if len(members) > 3:
            return False
        authored = all(ex[m]["author"] is not None and ex[m]["author"] == ex[members[0]]["author"] for m in members)
        if len(members) > 1 and not authored:
            if any(not compatible(ex[a], ex[b]) for n, a in enumerate(members) for b in members[n + 1:]):
                return False
    return True


def search(ex, target, core_kept, iterations=6000, seed=0):
    rnd = random.Random(seed)
    n = len(ex)
    sets = [e["sets"] for e in ex]
    group = [min(j for j in range(n) if ex[j]["author"] == e["author"]) if e["author"] else i for i, e in enumerate(ex)]
    value = lambda s, g: sum(s) - max(0, seconds(ex, s, g) - target) * 0.05
    current, best = value(sets, group), (sum(sets) if seconds(ex, sets, group) <= target else 0)
    for step in range(iterations):
        temperature = 2.0 * (1 - step / iterations) + 0.01
        s2, g2 = list(sets), list(group)
        i = rnd.randrange(n)
        if rnd.random() < 0.5:
            low = ex[i]["sets"] if (core_kept and ex[i]["core"]) else 0
            s2[i] = rnd.choice([o for o in [0] + list(range(ex[i]["min_sets"], ex[i]["sets"] + 1)) if o >= low])
        elif not ex[i]["author"]:
            g2[i] = group[rnd.randrange(n)] if rnd.random() < 0.8 else i
        if not valid(ex, s2, g2):
            continue
        new = value(s2, g2)
        if new >= current or rnd.random() < math.exp((new - current) / temperature):
            sets, group, current = s2, g2, new
            if seconds(ex, sets, group) <= target:
                best = max(best, sum(sets))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preview_bin")
    parser.add_argument("--rules", choices=["engine", "spec"], default="engine")
    parser.add_argument("--core", choices=["kept", "trimmed"], default="kept")
    args = parser.parse_args()
    fractions, engine, found, samples = [0.4, 0.6, 0.8], [0.0] * 3, [0.0] * 3, 0
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/corpus/*.plan.json"))):
        plan = json.load(open(path))
        for goal in ["general", "strength", "hypertrophy"]:
            request = {"plan": plan, "targetMinutes": 60, "options": {"goal": goal}}
            run = subprocess.run([args.preview_bin, "--sweep", "-"], input=json.dumps(request), capture_output=True, text=True, check=True)
            previews = [json.loads(line) for line in run.stdout.splitlines()]
            ex = load(plan, goal, args.rules)
            planned = sum(e["sets"] for e in ex)
            samples += 1
            row = []
            for k, fraction in enumerate(fractions):
                target = max(15, min(180, round(fraction * previews[0]["originalMinutes"])))
                kept = previews[target - 15]["retained"]["workingSets"]
                best = max(search(ex, target * 60, args.core == "kept", seed=seed) for seed in range(3)) / planned
                engine[k] += kept
                found[k] += best
                row.append(f"{kept:.2f}/{best:.2f}")
            print(f"{os.path.basename(path):<44} {goal:<12} engine/search {' '.join(row)}", flush=True)
    print(f"mean kept sets at 40/60/80 %: engine {' / '.join(f'{e / samples:.3f}' for e in engine)}"
          f"   best found by the search ({args.rules} rules, core sets {args.core}) {' / '.join(f'{f / samples:.3f}' for f in found)}")


if __name__ == "__main__":
    main()
