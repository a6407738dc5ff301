#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""layout-dump (sizes from the compiled C types) must print exactly what
the generator's model computes, cover the five combinations, and name
the structures the way the references do."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(here), "gen"))
import agxfw_gen  # noqa: E402

exe = sys.argv[1]
out = subprocess.run([exe], check=True, capture_output=True,
                     text=True).stdout.splitlines()
_, model = agxfw_gen.generate(os.path.join(os.path.dirname(here), "spec"))
ok = True
if out != model:
    ok = False
    for a, b in zip(out, model):
        if a != b:
            print(f"layout-dump: {a!r}  model: {b!r}")
            break
    print(f"layout-dump printed {len(out)} lines, model has {len(model)}")
combos = {line.split()[0] for line in out}
want = {"G13-12.3", "G14G-12.4", "G13-13.5", "G14G-13.5", "G14X-13.5"}
if combos != want:
    ok = False
    print(f"combinations: {sorted(combos)}")
names = {line.split()[1] for line in out}
for n in ["InitData", "RuntimePointers", "FwStatus", "ChannelState",
          "FwCtlChannelState", "ChannelRing", "RunWorkQueueMsg",
          "DeviceControlMsg", "EventMsg", "FwLogMsg", "FwLogPayloadMsg",
          "KTraceMsg", "StatsMsg", "FwCtlMsg", "QueueInfo", "RingState",
          "GpuContextData", "Notifier", "JobMeta", "RunVertex",
          "RunFragment", "RunCompute", "Barrier", "Attachments",
          "BufferInfo", "Scene", "InitBuffer", "FaultInfo", "Globals",
          "HwDataB", "Handoff", "StartVertex", "FinalizeCompute"]:
    for c in want:
        if f"{c} {n}" not in {" ".join(line.split()[:2]) for line in out}:
            ok = False
            print(f"missing: {c} {n}")
for line in out:
    parts = line.split()
    if len(parts) != 3 or not parts[2].isdigit():
        ok = False
        print(f"bad line: {line!r}")
print("ok" if ok else "FAILED")
sys.exit(0 if ok else 1)
