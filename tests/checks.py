"""The bookkeeping every real-process test file shares: named checks (a
test goes on after a failed check, so one run shows every fault), the
temporary directories it made, and the summary with its exit status.

    from checks import check, temp_dir, finish
    check("name", ok, "detail shown with it")
    finish("faults")   # prints each check, removes the directories, exits 1 on any failure
"""
import shutil
import sys
import tempfile
import threading

results = []
_lock = threading.Lock()
_temp_dirs = []


def check(name, ok, detail=""):
    with _lock:
        results.append((name, bool(ok), detail))


def temp_dir(prefix="tc-test-"):
    path = tempfile.mkdtemp(prefix=prefix)
    with _lock:
        _temp_dirs.append(path)
    return path


def finish(suite, note=""):
    for path in _temp_dirs:
        shutil.rmtree(path, ignore_errors=True)
    failed = 0
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else ""))
        failed += 0 if ok else 1
    print(f"{suite}: {len(results) - failed} passed, {failed} failed" + (f" ({note})" if note else ""))
    sys.exit(1 if failed else 0)
